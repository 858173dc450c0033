"""A CSV file read with tf.data, training a small softmax classifier.

    python examples/csv_dataset.py

The program writes its own CSV file (a header line, then three float features and
an integer class 0-2 per line) to a temporary directory, then:

1. builds a pipeline: TextLineDataset -> skip the header -> decode_csv in `map` ->
   shuffle -> batch;
2. reads training and evaluation passes through ONE iterator made with
   `Iterator.from_structure`, switching datasets with their initializers;
3. trains softmax regression with SGD, one epoch per initializer run, each epoch
   ending with tf.errors.OutOfRangeError.

`write_csv` and `model` are shared with the other ways of reading the same file.
"""
import os
import tempfile

import numpy as np

import tinygraph as tf

N_FEATURES, N_CLASSES = 3, 3
COLUMNS = ["x1", "x2", "x3", "label"]


def write_csv(path, n=600, seed=0):
    """Writes `n` records whose class is the argmax of a fixed linear function."""
    rng = np.random.RandomState(seed)
    X = rng.randn(n, N_FEATURES).astype(np.float32)
    W = np.array([[2.0, -1.0, 0.0], [0.0, 2.0, -2.0], [-1.0, 0.0, 1.5]], np.float32)
    y = np.argmax(X @ W + np.array([0.2, 0.0, -0.2], np.float32), axis=1)
    with open(path, "w") as f:
        f.write(",".join(COLUMNS) + "\n")
        for row, label in zip(X, y):
            f.write("%.5f,%.5f,%.5f,%d\n" % (row[0], row[1], row[2], label))
    return X, y


def model(features, labels):
    """Softmax regression: returns (loss, accuracy, logits)."""
    with tf.variable_scope("softmax_regression", reuse=tf.AUTO_REUSE):
        w = tf.get_variable("w", [N_FEATURES, N_CLASSES], initializer=tf.zeros_initializer())
        b = tf.get_variable("b", [N_CLASSES], initializer=tf.zeros_initializer())
    logits = tf.matmul(features, w) + b
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
    correct = tf.equal(tf.argmax(logits, axis=1, output_type=tf.int32), labels)
    accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
    return loss, accuracy, logits


def parse_line(line):
    x1, x2, x3, label = tf.decode_csv(line, record_defaults=[[0.0], [0.0], [0.0], [0]])
    return tf.stack([x1, x2, x3]), label


def csv_dataset(path, batch_size, shuffle):
    ds = tf.data.TextLineDataset(path).skip(1).map(parse_line)
    if shuffle:
        ds = ds.shuffle(buffer_size=1000)
    return ds.batch(batch_size)


def evaluate(sess, eval_init, accuracy):
    sess.run(eval_init)  # the iterator now reads the evaluation pass
    return sess.run(accuracy)


def main(n_epochs=5, batch_size=32, learning_rate=0.2):
    """Trains for `n_epochs`; returns (accuracy before training, then after each epoch), steps."""
    tf.reset_default_graph()
    tf.set_random_seed(42)
    path = os.path.join(tempfile.mkdtemp(), "train.csv")
    write_csv(path)
    train_ds = csv_dataset(path, batch_size, shuffle=True)
    eval_ds = csv_dataset(path, 10000, shuffle=False)
    iterator = tf.data.Iterator.from_structure(train_ds.output_types, train_ds.output_shapes)
    features, labels = iterator.get_next()
    train_init = iterator.make_initializer(train_ds)
    eval_init = iterator.make_initializer(eval_ds)
    loss, accuracy, _ = model(features, labels)
    train_op = tf.train.GradientDescentOptimizer(learning_rate).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        history, steps_per_epoch = [evaluate(sess, eval_init, accuracy)], []
        print("before training: accuracy %.3f" % history[0])
        for epoch in range(n_epochs):
            sess.run(train_init)
            steps = 0
            while True:
                try:
                    sess.run(train_op)
                    steps += 1
                except tf.errors.OutOfRangeError:
                    break
            steps_per_epoch.append(steps)
            history.append(evaluate(sess, eval_init, accuracy))
            print("epoch %d: %d steps, accuracy %.3f" % (epoch, steps, history[-1]))
    return history, steps_per_epoch


if __name__ == "__main__":
    history, steps_per_epoch = main()
