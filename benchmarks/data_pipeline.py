"""tf.data against feed_dict on an MNIST-size array, in one run.

    python benchmarks/data_pipeline.py [--rounds 5] [--buffer 60000] [--steps 1200]

Data: X 60,000 x 784 float32, y int64 labels (numpy seed 42). Two ways to get
shuffled batches of 50 into the same graph:

  feed     the hand-made loop: a permutation per epoch, `X[idx]`, `y[idx]` fed to
           placeholders in each `sess.run`;
  dataset  `Dataset.from_tensor_slices((X, y)).shuffle(buffer).batch(50)`, an
           initializable iterator, the batch taken by `get_next()` in the same `sess.run`.

Each is timed on two consumers: `train` (one dense layer 784->10, sparse softmax
cross-entropy, SGD step) and `batch` (the batch reduced to one number, so the cost is
that of delivering the batch). Rounds alternate feed, dataset, feed, ...; each round
runs `--steps` steps (1,200 = one epoch). Prints seconds per step and the
dataset/feed ratio of each round, and their median.
"""
import argparse
import os
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import tinygraph as tf  # noqa: E402


def build(X, y, buffer_size, consumer):
    tf.reset_default_graph()
    tf.set_random_seed(0)
    x_ph = tf.placeholder(tf.float32, [None, 784], name="X")
    y_ph = tf.placeholder(tf.int64, [None], name="y")
    ds = tf.data.Dataset.from_tensor_slices((X, y)).shuffle(buffer_size).batch(50)
    it = ds.make_initializable_iterator()
    xb, yb = it.get_next()

    def head(xs, ys, reuse):
        if consumer == "batch":
            return tf.reduce_sum(xs) + tf.cast(tf.reduce_sum(ys), tf.float32)
        with tf.variable_scope("model", reuse=reuse):
            w = tf.get_variable("w", [784, 10], initializer=tf.zeros_initializer())
            b = tf.get_variable("b", [10], initializer=tf.zeros_initializer())
        logits = tf.matmul(xs, w) + b
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=ys, logits=logits))
        return tf.train.GradientDescentOptimizer(0.01).minimize(loss)
    feed_op = head(x_ph, y_ph, False)
    ds_op = head(xb, yb, True)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    return sess, x_ph, y_ph, feed_op, ds_op, it


def run_feed(sess, x_ph, y_ph, op, X, y, steps, rng):
    n = len(X)
    perm = rng.permutation(n)
    pos = 0
    t0 = time.perf_counter()
    for _ in range(steps):
        if pos + 50 > n:
            perm, pos = rng.permutation(n), 0
        idx = perm[pos:pos + 50]
        pos += 50
        sess.run(op, {x_ph: X[idx], y_ph: y[idx]})
    return (time.perf_counter() - t0) / steps


def run_dataset(sess, it, op, steps):
    t0 = time.perf_counter()
    sess.run(it.initializer)
    done = 0
    while done < steps:
        try:
            sess.run(op)
            done += 1
        except tf.errors.OutOfRangeError:
            sess.run(it.initializer)
    return (time.perf_counter() - t0) / steps


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--buffer", type=int, default=60000)
    ap.add_argument("--steps", type=int, default=1200)
    args = ap.parse_args()
    rng = np.random.RandomState(42)
    X = rng.rand(60000, 784).astype(np.float32)
    y = rng.randint(0, 10, size=60000).astype(np.int64)
    print("backend %s, shuffle buffer %d, %d steps of batch 50 per round, %d rounds"
          % (tf.get_backend().name, args.buffer, args.steps, args.rounds))
    for consumer in ("train", "batch"):
        sess, x_ph, y_ph, feed_op, ds_op, it = build(X, y, args.buffer, consumer)
        run_feed(sess, x_ph, y_ph, feed_op, X, y, 50, rng)  # warm-up: plans compiled
        run_dataset(sess, it, ds_op, 50)
        ratios, feeds, dss = [], [], []
        for _ in range(args.rounds):
            f = run_feed(sess, x_ph, y_ph, feed_op, X, y, args.steps, rng)
            d = run_dataset(sess, it, ds_op, args.steps)
            feeds.append(f)
            dss.append(d)
            ratios.append(d / f)
        sess.close()
        print("%-6s feed %7.1f us/step  dataset %7.1f us/step  dataset/feed median %.2fx "
              "(rounds %s)" % (consumer, statistics.median(feeds) * 1e6, statistics.median(dss) * 1e6,
                               statistics.median(ratios), ", ".join("%.2f" % r for r in ratios)))


if __name__ == "__main__":
    main()
