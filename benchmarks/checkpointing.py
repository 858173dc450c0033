"""Recomputing loop activations (tinygraph.config "recompute_loop_activations") on long
sequences: memory against time.

W2's model (batch 32, 4 inputs, tanh BasicRNNCell(32), dense head on the final state,
MSE, Adam) at T = 1,000 ... 10,000 steps, one training step per measurement, with
the While loop saving every iteration's activations (off) or keeping a checkpoint of
its state every ceil(sqrt(T)) iterations and recomputing the rest (on). Each run is a
child process, so its peak RSS is its own.

    python benchmarks/checkpointing.py [--steps 1000 4000 10000]
"""
import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def worker(steps, recompute):
    import resource
    sys.path.insert(0, ROOT)
    import numpy as np
    import tinygraph as tf
    tf.config.set_optimizations(recompute_loop_activations=recompute)
    rng = np.random.default_rng(42)
    X = tf.placeholder(tf.float32, [32, steps, 4])
    y = tf.placeholder(tf.float32, [32, 1])
    _, state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicRNNCell(32), X, dtype=tf.float32)
    loss = tf.reduce_mean(tf.square(tf.layers.dense(state, 1) - y))
    grads = tf.gradients(loss, tf.trainable_variables())
    train = tf.train.AdamOptimizer(0.001).apply_gradients(zip(grads, tf.trainable_variables()))
    feed = {X: rng.standard_normal((32, steps, 4)).astype(np.float32),
            y: rng.standard_normal((32, 1)).astype(np.float32)}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train, feed)
        times = []
        for _ in range(3):
            md = tf.RunMetadata()
            t = time.perf_counter()
            sess.run(train, feed, run_metadata=md)
            times.append(time.perf_counter() - t)
    print(json.dumps({"seconds": min(times), "peak_saved_bytes": md.loop_stats["peak_saved_bytes"],
                      "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0}))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, nargs="*", default=[1000, 4000, 10000])
    ap.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(int(args.worker[0]), args.worker[1] == "on")
        return
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    print("| T | saving every step: s/step, peak saved MB, RSS MB | recomputing: s/step, peak saved MB, RSS MB |")
    print("|---:|---|---|")
    for steps in args.steps:
        row = []
        for mode in ("off", "on"):
            p = subprocess.run([sys.executable, __file__, "--worker", str(steps), mode], env=env,
                               capture_output=True, text=True)
            if p.returncode:
                row.append("error: " + (p.stderr.strip().splitlines() or ["?"])[-1][:60])
                continue
            r = json.loads(p.stdout.strip().splitlines()[-1])
            row.append("%.3f, %.2f, %.0f" % (r["seconds"], r["peak_saved_bytes"] / 2**20, r["rss_mb"]))
        print("| %d | %s | %s |" % (steps, row[0], row[1]), flush=True)


if __name__ == "__main__":
    main()
