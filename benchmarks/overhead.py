"""Executor overhead per executed op, against the bare NumPy call it wraps.

A chain of N elementwise adds on a tiny array runs (a) as plain NumPy calls and
(b) as one `sess.run` of the same chain built as a graph, and (c) inside a
while_loop body (per-iteration cost). The difference per op is what the executor
adds: the plan's generated function, the kernel wrapper, the session's feed/fetch
handling amortised over the chain.

    python benchmarks/overhead.py [--ops 200] [--repeat 200]
"""
import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402

import tinygraph as tf  # noqa: E402


def timed(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ops", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=200)
    args = ap.parse_args()
    n = args.ops
    x0 = np.ones((4, 4), np.float32)
    c = np.float32(1e-3) * np.ones((4, 4), np.float32)

    def bare():
        y = x0
        for _ in range(n):
            y = np.add(y, c)
        return y
    t_bare = timed(bare, args.repeat)

    x = tf.placeholder(tf.float32, [4, 4])
    cc = tf.constant(c)
    y = x
    for _ in range(n):
        y = tf.add(y, cc)
    sess = tf.Session()
    sess.run(y, {x: x0})
    t_graph = timed(lambda: sess.run(y, {x: x0}), args.repeat)

    steps = tf.placeholder(tf.int32, [])
    _, z = tf.while_loop(lambda i, z: i < steps, lambda i, z: (i + 1, tf.add(z, cc)), [tf.constant(0), x])
    sess.run(z, {x: x0, steps: n})
    t_loop = timed(lambda: sess.run(z, {x: x0, steps: n}), max(10, args.repeat // 4))

    print("bare NumPy add:                %.2f us per op" % (1e6 * t_bare / n))
    print("graph op in one sess.run:      %.2f us per op (overhead %.2f us)"
          % (1e6 * t_graph / n, 1e6 * (t_graph - t_bare) / n))
    print("while_loop iteration (1 add):  %.2f us per iteration (overhead %.2f us)"
          % (1e6 * t_loop / n, 1e6 * (t_loop - t_bare) / n))


if __name__ == "__main__":
    main()
