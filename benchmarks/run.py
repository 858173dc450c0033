"""Run the benchmark workloads W1d, W1s, W2, W3, W4 (see WORKLOADS below) on tinygraph,
on the hand-written NumPy reference (benchmarks/reference_numpy.py) and, when they
are installed, on PyTorch, JAX and TensorFlow; print one table of medians and
ratios measured pair by pair in the same run.

    python benchmarks/run.py                 # everything, writes benchmarks/latest.md
    python benchmarks/run.py W1d W4 --quick  # a subset, fewer iterations

Each (workload, engine) pair runs in its own child process so that peak memory
(ru_maxrss) belongs to that pair alone. The reference and tinygraph alternate for
--rounds rounds per workload (reference, tinygraph, reference, ...) so that machine
noise lands on both; the table gives the ratio of their middle rounds and the range
of the per-round ratios.

Workloads (all float32, data from numpy seed 42):
  W1d/W1s  the lecture's training step: relu BasicRNNCell(100) + OutputProjectionWrapper(1),
           20 steps, batch 50, MSE, Adam(0.001); dynamic_rnn / static_rnn. warm-up 50, timed 500.
  W2       batch 32, T=1000, 4 inputs, tanh BasicRNNCell(32), dense head on the final state,
           MSE, Adam. warm-up 5, timed 30.
  W3       batch 128, T=50, 64 inputs, BasicLSTMCell(256), dense 256->10 on final h, mean sparse
           softmax cross-entropy, Adam. warm-up 3, timed 20.
  W4       W1's model (dynamic), forward only, batch 1: seconds per sess.run. warm-up 50, timed 1000.
"""
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

COUNTS = {"W1d": (50, 500), "W1s": (50, 500), "W2": (5, 30), "W3": (3, 20), "W4": (50, 1000)}
ENGINES = ["reference", "tinygraph", "torch", "jax", "tensorflow"]


# -- data -----------------------------------------------------------------------------------
def time_series(t):
    import numpy as np
    return t * np.sin(t) / 3 + 2 * np.sin(t * 5)


def lecture_batches(n, batch_size=50, n_steps=20, seed=42):
    import numpy as np
    rng = np.random.RandomState(seed)
    out = []
    for _ in range(n):
        t0 = rng.rand(batch_size, 1) * (30 - n_steps * 0.1)
        ts = t0 + np.arange(0., n_steps + 1) * 0.1
        ys = time_series(ts)
        out.append((ys[:, :-1].reshape(-1, n_steps, 1).astype(np.float32),
                    ys[:, 1:].reshape(-1, n_steps, 1).astype(np.float32)))
    return out


def data(workload):
    import numpy as np
    warm, timed = COUNTS[workload]
    if workload in ("W1d", "W1s"):
        return lecture_batches(warm + timed)
    if workload == "W4":
        xs = lecture_batches(1, batch_size=1)[0]
        return [xs] * (warm + timed)
    rng = np.random.default_rng(42)
    if workload == "W2":
        X = rng.standard_normal((32, 1000, 4)).astype(np.float32)
        y = rng.standard_normal((32, 1)).astype(np.float32)
    else:
        X = rng.standard_normal((128, 50, 64)).astype(np.float32)
        y = rng.integers(0, 10, 128).astype(np.int32)
    return [(X, y)] * (warm + timed)


# -- engines ----------------------------------------------------------------------------------
def step_reference(workload):
    sys.path.insert(0, HERE)
    import reference_numpy as ref
    model = {"W1d": ref.ReluRNNProjection, "W1s": ref.ReluRNNProjection, "W4": ref.ReluRNNProjection,
             "W2": ref.TanhRNNHead, "W3": ref.LSTMClassifier}[workload]()
    if workload == "W4":
        return lambda X, y: model.forward(X)
    opt = ref.Adam(model.params)

    def step(X, y):
        loss, grads = model.loss_and_grads(X, y)
        opt.step(grads)
        return loss
    return step


def step_tinygraph(workload):
    sys.path.insert(0, ROOT)
    import tinygraph as tf
    tf.reset_default_graph()
    tf.set_random_seed(0)
    if workload in ("W1d", "W1s", "W4"):
        X = tf.placeholder(tf.float32, [None, 20, 1])
        y = tf.placeholder(tf.float32, [None, 20, 1])
        cell = tf.contrib.rnn.OutputProjectionWrapper(
            tf.contrib.rnn.BasicRNNCell(num_units=100, activation=tf.nn.relu), output_size=1)
        if workload == "W1s":
            steps = tf.unstack(tf.transpose(X, perm=[1, 0, 2]))
            outs, _ = tf.contrib.rnn.static_rnn(cell, steps, dtype=tf.float32)
            outputs = tf.transpose(tf.stack(outs), perm=[1, 0, 2])
        else:
            outputs, _ = tf.nn.dynamic_rnn(cell, X, dtype=tf.float32)
        loss = tf.reduce_mean(tf.square(outputs - y))
    elif workload == "W2":
        X = tf.placeholder(tf.float32, [32, 1000, 4])
        y = tf.placeholder(tf.float32, [32, 1])
        _, state = tf.nn.dynamic_rnn(tf.contrib.rnn.BasicRNNCell(32), X, dtype=tf.float32)
        loss = tf.reduce_mean(tf.square(tf.layers.dense(state, 1) - y))
    else:
        X = tf.placeholder(tf.float32, [128, 50, 64])
        y = tf.placeholder(tf.int32, [128])
        _, state = tf.nn.dynamic_rnn(tf.contrib.rnn.BasicLSTMCell(256), X, dtype=tf.float32)
        logits = tf.layers.dense(state.h, 10)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    sess = tf.Session()
    if workload == "W4":
        sess.run(tf.global_variables_initializer())
        return lambda xb, yb: sess.run(outputs, {X: xb})
    train = tf.train.AdamOptimizer(0.001).minimize(loss)
    sess.run(tf.global_variables_initializer())
    return lambda xb, yb: sess.run([loss, train], {X: xb, y: yb})[0]


def engine_python(engine):
    """The interpreter that runs an engine's worker: TG_BENCH_PYTHON_<ENGINE> (e.g.
    TG_BENCH_PYTHON_TENSORFLOW=/path/to/venv/bin/python, for TensorFlow 2.15, which needs
    numpy<2 and so lives in its own virtual environment), else this one."""
    return os.environ.get("TG_BENCH_PYTHON_" + engine.upper()) or sys.executable


def available(engine):
    if engine in ("reference", "tinygraph"):
        return True
    module = {"torch": "torch", "jax": "jax", "tensorflow": "tensorflow"}[engine]
    python = engine_python(engine)
    if python == sys.executable:
        import importlib.util
        return importlib.util.find_spec(module) is not None
    p = subprocess.run([python, "-c", "import importlib.util, sys; sys.exit(importlib.util.find_spec(%r) is None)"
                        % module], capture_output=True)
    return p.returncode == 0


def worker(workload, engine):
    import resource
    import statistics
    info = None
    if engine in ("reference", "tinygraph"):
        step = {"reference": step_reference, "tinygraph": step_tinygraph}[engine](workload)
    else:
        sys.path.insert(0, ROOT)
        from benchmarks import engines
        mod = engines.load(engine)
        step = mod.step(workload)
        info = mod.info()
    batches = data(workload)
    warm, timed = COUNTS[workload]
    for xb, yb in batches[:warm]:
        step(xb, yb)
    times = []
    for xb, yb in batches[warm:warm + timed]:
        t = time.perf_counter()
        step(xb, yb)
        times.append(time.perf_counter() - t)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(json.dumps({"median": statistics.median(times), "min": min(times), "max": max(times),
                      "rss_mb": rss_mb, "info": info}))


def run_pair(workload, engine, quick):
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)  # see ../shared/bench: they slow current numpy
    env.pop("OPENBLAS_L2_SIZE", None)
    if quick:
        env["TG_BENCH_QUICK"] = "1"
    p = subprocess.run([engine_python(engine), __file__, "--worker", workload, engine], capture_output=True,
                       text=True, env=env, cwd=ROOT)
    if p.returncode != 0:
        return {"error": (p.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(p.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("workloads", nargs="*", default=list(COUNTS))
    ap.add_argument("--quick", action="store_true", help="a tenth of the timed iterations")
    ap.add_argument("--worker", nargs=2, metavar=("WORKLOAD", "ENGINE"), help=argparse.SUPPRESS)
    ap.add_argument("--out", default=os.path.join(HERE, "latest.md"))
    ap.add_argument("--rounds", type=int, default=3,
                    help="alternating reference/tinygraph runs per workload (default 3)")
    args = ap.parse_args()
    if os.environ.get("TG_BENCH_QUICK"):
        for k, (w, t) in COUNTS.items():
            COUNTS[k] = (max(1, w // 5), max(3, t // 10))
    if args.worker:
        worker(*args.worker)
        return
    rows = []
    for wl in args.workloads:
        res = {}
        # The reference and tinygraph alternate for `rounds` rounds, so that machine noise
        # lands on both; each keeps the round with its median median, and the table shows
        # the ratio of those and the range of the per-round ratios.
        rounds = [[run_pair(wl, engine, args.quick) for engine in ("reference", "tinygraph")]
                  for _ in range(args.rounds)]
        for k, engine in enumerate(("reference", "tinygraph")):
            runs = [r[k] for r in rounds if "error" not in r[k]] or [rounds[0][k]]
            res[engine] = sorted(runs, key=lambda r: r.get("median", 0))[len(runs) // 2]
        res["round_ratios"] = [r[1]["median"] / r[0]["median"] for r in rounds
                               if "error" not in r[0] and "error" not in r[1]]
        for engine in ENGINES[2:]:
            if not available(engine):
                res[engine] = None
                continue
            res[engine] = run_pair(wl, engine, args.quick)
        rows.append((wl, res))
        print(format_row(wl, res), flush=True)
    table = format_table(rows) + format_engines(rows)
    print()
    print(table)
    with open(args.out, "w") as f:
        f.write(table + "\n")


def _ms(r):
    if r is None:
        return "not installed"
    if "error" in r:
        return "error: " + r["error"][:40]
    scale = 1e6 if r["median"] < 1e-3 else 1e3
    unit = "us" if scale == 1e6 else "ms"
    return "%.3g %s (min %.3g, max %.3g)" % (r["median"] * scale, unit, r["min"] * scale, r["max"] * scale)


def format_row(wl, res):
    ref, tg = res.get("reference"), res.get("tinygraph")
    ratio = tg["median"] / ref["median"] if ref and tg and "error" not in ref and "error" not in tg else float("nan")
    return "%-4s reference %s | tinygraph %s | ratio %.2fx%s" % (wl, _ms(ref), _ms(tg), ratio,
                                                                _ratio_range(res))


def _ratio_range(res):
    r = res.get("round_ratios") or []
    return " (rounds %.2f-%.2f)" % (min(r), max(r)) if len(r) > 1 else ""


def format_engines(rows):
    """Footer: version and threads of each other engine, and its peak RSS per workload."""
    lines = []
    for engine, name in (("torch", "PyTorch"), ("jax", "JAX"), ("tensorflow", "TensorFlow")):
        done = [(wl, res[engine]) for wl, res in rows if res.get(engine) and "error" not in res[engine]]
        if done:
            lines.append("- %s; peak RSS (MB): %s" % (done[0][1].get("info") or name, ", ".join(
                "%s %.0f" % (wl, r["rss_mb"]) for wl, r in done)))
    return "\n\n" + "\n".join(lines) if lines else ""


def format_table(rows):
    lines = ["| workload | NumPy reference | tinygraph | tinygraph / reference | peak RSS ref / tinygraph (MB) | "
             "PyTorch | JAX | TensorFlow |", "|---|---|---|---|---|---|---|---|"]
    for wl, res in rows:
        ref, tg = res.get("reference"), res.get("tinygraph")
        ok = ref and tg and "error" not in ref and "error" not in tg
        ratio = "%.2fx%s" % (tg["median"] / ref["median"], _ratio_range(res)) if ok else "n/a"
        mem = "%.0f / %.0f" % (ref["rss_mb"], tg["rss_mb"]) if ok else "n/a"
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
            wl, _ms(ref), _ms(tg), ratio, mem, _ms(res.get("torch")), _ms(res.get("jax")),
            _ms(res.get("tensorflow"))))
    return "\n".join(lines)


if __name__ == "__main__":
    main()
