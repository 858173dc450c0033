"""GPU benchmarks: the CuPy backend against the NumPy backend (needs CuPy and a CUDA GPU).

    python benchmarks/gpu_bench.py [--quick] [--only step,lstm,swap]

1. step: one training step of the lecture's time-series model (BasicRNNCell(100, relu)
   + OutputProjectionWrapper, 20 steps, batch 50, MSE, Adam), NumPy vs CuPy.
2. lstm: a wide LSTM (batch 128, 50 steps, 256 units), forward + backward + SGD step,
   NumPy vs CuPy.
3. swap: a long LSTM (T=2000, batch 64, 256 units), forward + backward on CuPy with
   swap_memory off and on: step time, peak device memory (CuPy's memory pool) and the
   swap counters.

Not run in CI. Prints one line per measurement and a JSON summary at the end.
"""
import argparse
import json
import platform
import sys
import time

import numpy as np

import tinygraph as tf


def _time(fn, repeats, warmup=2):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def _sync(backend):
    if backend.name == "cupy":
        backend.xp.cuda.get_current_stream().synchronize()


def bench_step(backend_name, repeats):
    """The lecture's time-series training step; seconds per step (median)."""
    tf.reset_default_graph()
    backend = tf.set_backend(backend_name)
    n_steps, batch = 20, 50
    X = tf.placeholder(tf.float32, [None, n_steps, 1])
    y = tf.placeholder(tf.float32, [None, n_steps, 1])
    cell = tf.contrib.rnn.OutputProjectionWrapper(
        tf.contrib.rnn.BasicRNNCell(num_units=100, activation=tf.nn.relu), output_size=1)
    outputs, _ = tf.nn.dynamic_rnn(cell, X, dtype=tf.float32)
    loss = tf.reduce_mean(tf.square(outputs - y))
    train = tf.train.AdamOptimizer(0.001).minimize(loss)
    rng = np.random.RandomState(0)
    feed = {X: rng.randn(batch, n_steps, 1), y: rng.randn(batch, n_steps, 1)}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return _time(lambda: (sess.run(train, feed), _sync(backend)), repeats)


def _lstm_graph(batch, steps, units, n_in, swap):
    x = tf.placeholder(tf.float32, [batch, steps, n_in])
    cell = tf.nn.rnn_cell.BasicLSTMCell(units)
    out, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32, swap_memory=swap)
    loss = tf.reduce_mean(tf.square(out))
    return x, loss


def bench_lstm(backend_name, repeats, batch=128, steps=50, units=256, n_in=256):
    """Wide LSTM training step (forward, backward, SGD); seconds per step."""
    tf.reset_default_graph()
    backend = tf.set_backend(backend_name)
    x, loss = _lstm_graph(batch, steps, units, n_in, swap=False)
    train = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
    feed = {x: np.random.RandomState(0).randn(batch, steps, n_in).astype(np.float32)}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return _time(lambda: (sess.run(train, feed), _sync(backend)), repeats)


def bench_swap(swap, repeats, batch=64, steps=2000, units=256, n_in=64, backend_name="cupy"):
    """Long-sequence LSTM gradient on CuPy: (seconds, peak pool bytes, loop_stats)."""
    tf.reset_default_graph()
    backend = tf.set_backend(backend_name)
    x, loss = _lstm_graph(batch, steps, units, n_in, swap=swap)
    grads = tf.gradients(loss, tf.trainable_variables())
    feed = {x: np.random.RandomState(0).randn(batch, steps, n_in).astype(np.float32)}
    if backend_name == "cupy":
        pool = backend.xp.get_default_memory_pool()
    else:  # a dry run of the code path without a GPU (fakedevice): no pool to read
        pool = type("NoPool", (), {"used_bytes": staticmethod(lambda: 0)})
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(grads, feed)
        _sync(backend)
        peak = 0
        md = tf.RunMetadata()

        def step():
            sess.run(grads, feed, run_metadata=md)
            _sync(backend)

        # CuPy's pool has no peak counter: sample used bytes after each push and pop.
        from tinygraph.control_flow import subgraph
        push, values = subgraph.LoopTape.push, subgraph.LoopTape.values

        def push_peak(self, vals):
            nonlocal peak
            push(self, vals)
            peak = max(peak, pool.used_bytes())

        def values_peak(self, it, release=False):
            nonlocal peak
            out = values(self, it, release)
            peak = max(peak, pool.used_bytes())
            return out
        subgraph.LoopTape.push, subgraph.LoopTape.values = push_peak, values_peak
        try:
            seconds = _time(step, repeats, warmup=0)
        finally:
            subgraph.LoopTape.push, subgraph.LoopTape.values = push, values
        return seconds, peak, md.loop_stats


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="fewer repeats")
    p.add_argument("--only", default="step,lstm,swap")
    args = p.parse_args(argv)
    from tinygraph.backend.cupy_backend import import_cupy
    try:
        cp = import_cupy()
    except RuntimeError as e:
        sys.exit("gpu_bench needs a GPU: %s" % e)
    dev = cp.cuda.Device()
    props = cp.cuda.runtime.getDeviceProperties(dev.id)
    card = props["name"].decode() if isinstance(props["name"], bytes) else props["name"]
    results = {"card": card, "cupy": cp.__version__, "numpy": np.__version__,
               "python": platform.python_version(), "date": time.strftime("%Y-%m-%d")}
    print("card: %s, cupy %s" % (card, cp.__version__))
    reps = 3 if args.quick else 10
    only = set(args.only.split(","))
    if "step" in only:
        for name in ("numpy", "cupy"):
            s = bench_step(name, reps)
            results["step_%s_ms" % name] = s * 1e3
            print("lecture step          %-6s %8.2f ms" % (name, s * 1e3))
    if "lstm" in only:
        for name in ("numpy", "cupy"):
            s = bench_lstm(name, reps)
            results["lstm_%s_ms" % name] = s * 1e3
            print("LSTM 128x50x256 step  %-6s %8.2f ms" % (name, s * 1e3))
    if "swap" in only:
        for swap in (False, True):
            s, peak, stats = bench_swap(swap, 1 if args.quick else 3)
            key = "swap_%s" % ("on" if swap else "off")
            results[key] = {"seconds": s, "peak_pool_bytes": peak, "loop_stats": stats}
            print("LSTM T=2000 b64 u256 swap=%-5s %8.2f s  peak pool %8.1f MiB  swapped %d values, %.1f MiB"
                  % (swap, s, peak / 2 ** 20, stats.get("swapped_values", 0),
                     stats.get("swapped_bytes", 0) / 2 ** 20))
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
