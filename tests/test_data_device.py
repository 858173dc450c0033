"""On the device-like backend a tf.data pipeline keeps the data on the device: a shuffled
batch moves only its indices in, and nothing out unless fetched."""
import numpy as np

import tinygraph as tf


def test_shuffled_batches_move_only_their_indices(device_backend):
    rng = np.random.RandomState(0)
    X = rng.rand(500, 20).astype(np.float32)
    y = rng.randint(0, 3, size=500)
    for buffer_size in (100, 500):  # block draws while the input lasts / one permutation
        tf.reset_default_graph()
        xb, yb = tf.data.Dataset.from_tensor_slices((X, y)).shuffle(buffer_size, seed=1).batch(50) \
            .repeat().make_one_shot_iterator().get_next()
        w = tf.Variable(tf.zeros([20, 3]))
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=yb, logits=tf.matmul(xb, w)))
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train)  # uploads the dataset's constants once
            t = device_backend.transfers
            t.reset()
            for _ in range(12):  # crosses an epoch boundary
                sess.run(train)
            assert t.to_host_count == 0
            assert t.to_device_bytes <= 12 * 50 * 8 * 2, t  # int64 indices of each batch
            xv, yv = sess.run([xb, yb])
            assert t.to_host_count == 2 and xv.shape == (50, 20)
            rows = [int(np.flatnonzero((X == r).all(axis=1))[0]) for r in xv]
            assert len(set(rows)) == 50 and yv.tolist() == y[rows].tolist()  # pairs stay paired
