"""Soak test: memory and plan-cache size over many runs of one session.

One session runs a mix of steps for `--runs` runs: an MLP classifier (training steps
and forward passes) and a dynamic_rnn with sequence_length (training and forward),
at batch sizes drawn from 0..64 (0 = an empty batch, forward only), with feeds passed
in varying key orders and forms (Tensor or name). Every `--runs / --rows` runs it
prints one row: resident memory (RSS), the session's plan-cache size, the graph's op
count, live Python objects. A leak shows as a column that keeps growing after the
first rows; a plan cache that grows with the batch size would show in `plans`.

    python benchmarks/soak.py [--runs 100000] [--rows 10] [--seed 0]
"""
import argparse
import gc
import os
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402

import tinygraph as tf  # noqa: E402


def rss_mib():
    """Current resident set size in MiB (Linux /proc; else the peak from getrusage)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2 ** 20
    except (OSError, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build():
    x = tf.placeholder(tf.float32, [None, 20], name="x")
    y = tf.placeholder(tf.int32, [None], name="y")
    h = tf.layers.dense(x, 32, activation=tf.nn.relu, name="hidden")
    logits = tf.layers.dense(h, 10, name="logits")
    probs = tf.nn.softmax(logits)
    pred = tf.argmax(logits, axis=1)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    train = tf.train.AdamOptimizer(1e-3).minimize(loss)

    seq = tf.placeholder(tf.float32, [None, 6, 4], name="seq")
    lengths = tf.placeholder(tf.int32, [None], name="lengths")
    target = tf.placeholder(tf.float32, [None, 5], name="target")
    cell = tf.nn.rnn_cell.BasicRNNCell(5)
    outputs, state = tf.nn.dynamic_rnn(cell, seq, sequence_length=lengths, dtype=tf.float32,
                                       scope="rnn")
    rnn_loss = tf.reduce_mean(tf.square(state - target))
    rnn_train = tf.train.GradientDescentOptimizer(0.01).minimize(rnn_loss)
    return dict(x=x, y=y, probs=probs, pred=pred, loss=loss, train=train, seq=seq,
                lengths=lengths, target=target, outputs=outputs, state=state,
                rnn_loss=rnn_loss, rnn_train=rnn_train)


def step(sess, m, rng, i):
    kind = i % 10
    batch = int(rng.integers(0, 65))
    by_name = rng.random() < 0.5
    key = (lambda t: t.name) if by_name else (lambda t: t)
    if kind < 6:  # MLP: 3 training steps and 3 forward passes in 10 runs
        train = kind % 2 == 0
        batch = max(batch, 1) if train else batch
        feed = {key(m["x"]): rng.standard_normal((batch, 20), dtype=np.float32)}
        if train:
            feed[key(m["y"])] = rng.integers(0, 10, batch).astype(np.int32)
            if rng.random() < 0.5:  # another key order: one plan all the same
                feed = dict(reversed(list(feed.items())))
            sess.run([m["train"], m["loss"]], feed)
        else:
            sess.run([m["probs"], m["pred"]], feed)
    else:  # RNN: 2 training steps and 2 forward passes in 10 runs
        train = kind % 2 == 0
        batch = max(batch, 1) if train else batch
        feed = {key(m["seq"]): rng.standard_normal((batch, 6, 4), dtype=np.float32),
                key(m["lengths"]): rng.integers(0, 7, batch).astype(np.int32)}
        if train:
            feed[key(m["target"])] = rng.standard_normal((batch, 5), dtype=np.float32)
            sess.run([m["rnn_train"], m["rnn_loss"]], feed)
        else:
            sess.run([m["outputs"], m["state"]], feed)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=100000)
    ap.add_argument("--rows", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    m = build()
    graph = tf.get_default_graph()
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    for i in range(200):  # warm-up: every plan compiled once
        step(sess, m, rng, i)
    gc.collect()
    every = max(1, args.runs // args.rows)
    print("backend %s, %d runs, a row every %d" % (sess.backend.name, args.runs, every))
    print("| runs | seconds | RSS MiB | plans | graph ops | Python objects |")
    print("|---:|---:|---:|---:|---:|---:|")

    def row(n, start):
        gc.collect()
        print("| %d | %.0f | %.1f | %d | %d | %d |" % (
            n, time.perf_counter() - start, rss_mib(), len(getattr(sess, "_plans", ())),
            len(graph.get_operations()), len(gc.get_objects())), flush=True)
    start = time.perf_counter()
    row(0, start)
    for i in range(1, args.runs + 1):
        step(sess, m, rng, i)
        if i % every == 0:
            row(i, start)
    sess.close()


if __name__ == "__main__":
    main()
