"""How many BLAS threads should a Session use? Times an MLP training step on MNIST-size
batches (784-300-100-10, relu, softmax cross-entropy, plain gradient descent) in Sessions
made with ConfigProto(intra_op_parallelism_threads=1), =2 and = the BLAS library's own
default (its thread count before tinygraph touched it), alternating the settings round by
round so that machine load falls on all of them alike.

    python benchmarks/blas_threads.py                  # batches 50 and 200, 5 rounds
    python benchmarks/blas_threads.py --rounds 9 --steps 100

Prints, per batch size and setting, the median time per step over the rounds (ms) and the
range of the per-round ratios to the 1-thread time. The machine's load average is printed
too: what is fastest depends on it.
"""
import argparse
import os
import statistics
import sys
import time

import numpy as np
from threadpoolctl import ThreadpoolController

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import tinygraph as tf  # noqa: E402


def build(batch):
    tf.reset_default_graph()
    rng = np.random.RandomState(42)
    x = tf.placeholder(tf.float32, [None, 784])
    y = tf.placeholder(tf.int32, [None])
    h1 = tf.layers.dense(x, 300, activation=tf.nn.relu)
    h2 = tf.layers.dense(h1, 100, activation=tf.nn.relu)
    logits = tf.layers.dense(h2, 10)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    train = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
    feed = {x: rng.rand(batch, 784).astype(np.float32), y: rng.randint(0, 10, batch)}
    return train, feed


def session(threads):
    sess = tf.Session(config=tf.ConfigProto(intra_op_parallelism_threads=threads))
    sess.run(tf.global_variables_initializer())
    return sess


def time_steps(sess, train, feed, steps):
    for _ in range(5):
        sess.run(train, feed)
    start = time.perf_counter()
    for _ in range(steps):
        sess.run(train, feed)
    return (time.perf_counter() - start) / steps


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--batches", type=int, nargs="+", default=[50, 200])
    args = parser.parse_args()
    controller = ThreadpoolController()
    default = max(p["num_threads"] for p in controller.info() if p["user_api"] == "blas")
    settings = [("1", 1), ("2", 2), ("default (%d)" % default, default)]
    print("BLAS: %s; os.cpu_count() = %d; load average before: %s"
          % (", ".join(sorted({p["internal_api"] for p in controller.info() if p["user_api"] == "blas"})),
             os.cpu_count(), " ".join(open("/proc/loadavg").read().split()[:3])))
    for batch in args.batches:
        train, feed = build(batch)
        sessions = {name: session(n) for name, n in settings}
        times = {name: [] for name, _ in settings}
        for r in range(args.rounds):
            order = settings if r % 2 == 0 else settings[::-1]
            for name, _ in order:
                times[name].append(time_steps(sessions[name], train, feed, args.steps))
        for sess in sessions.values():
            sess.close()
        base = times["1"]
        print("batch %d (%d rounds x %d steps):" % (batch, args.rounds, args.steps))
        for name, _ in settings:
            ratios = [t / b for t, b in zip(times[name], base)]
            print("  threads %-12s median %7.2f ms/step   vs 1 thread: %.2f-%.2fx"
                  % (name, 1e3 * statistics.median(times[name]), min(ratios), max(ratios)))
    print("load average after: %s" % " ".join(open("/proc/loadavg").read().split()[:3]))


if __name__ == "__main__":
    main()
