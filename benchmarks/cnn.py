"""A LeNet-size CNN training step: tinygraph against hand-written NumPy and PyTorch (CPU).

The model (float32, NHWC, batch 64 of 28x28x1, random data from numpy seed 42):
conv 5x5x6 (valid) + relu -> max pool 2x2 -> conv 5x5x16 (valid) + relu -> max pool 2x2
-> flatten 256 -> dense 120 relu -> dense 84 relu -> dense 10 -> sparse softmax
cross-entropy (mean) -> one SGD step (learning rate 0.01). Every engine starts from
the same weights and data; the losses of the first and last steps are printed as a
sanity check (they agree to float32 rounding).

* tinygraph: tf.nn.conv2d / max_pool / matmul graph, `sess.run([train_op, loss])`.
* numpy: the same algorithm written by hand as fast as we could: im2col through
  as_strided + one matmul per convolution, the forward's im2col matrices reused for the
  filter gradients, the input gradient as 25 per-tap matmuls added in place, 2x2 pools
  as the maximum of four strided taps, no input gradient for the first convolution,
  and every large array allocated once (fresh large arrays are fresh pages each step,
  whose page faults cost as much as the math).
* torch: torch.nn.functional (NCHW, its oneDNN kernels), autograd, a manual SGD step;
  run with another interpreter: `--torch-python /path/to/venv/bin/python`
  (or TG_BENCH_PYTHON_TORCH); PyTorch is never a dependency of tinygraph.

Engines alternate: each round runs every engine once, in a child process of its own,
for `--steps` timed steps after 3 warm-up steps, with `--threads` BLAS / PyTorch threads
(default 1: on this project's busy 2-core machines more threads make every engine
several times slower; 0 keeps the libraries' defaults). The table gives the median over the
rounds of the seconds per step, the range over the rounds, and the per-round ratios
to the NumPy version.

    python benchmarks/cnn.py [--rounds 5] [--steps 20] [--torch-python PY]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BATCH, LR = 64, 0.01


def init_params():
    """Glorot-uniform weights (TF layout: [kh, kw, in, out], [in, out]) and zero biases."""
    rng = np.random.RandomState(42)
    shapes = [(5, 5, 1, 6), (6,), (5, 5, 6, 16), (16,), (256, 120), (120,), (120, 84), (84,),
              (84, 10), (10,)]
    params = []
    for s in shapes:
        if len(s) == 1:
            params.append(np.zeros(s, np.float32))
            continue
        receptive = int(np.prod(s[:-2])) if len(s) > 2 else 1
        fan_in, fan_out = s[-2] * receptive, s[-1] * receptive
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        params.append(rng.uniform(-limit, limit, s).astype(np.float32))
    return params


def data():
    rng = np.random.RandomState(42)
    x = rng.rand(BATCH, 28, 28, 1).astype(np.float32)
    y = rng.randint(0, 10, BATCH).astype(np.int32)
    return x, y


# -- tinygraph -----------------------------------------------------------------------------
def tinygraph_step():
    sys.path.insert(0, ROOT)
    import tinygraph as tf
    params = init_params()
    x_val, y_val = data()
    X = tf.placeholder(tf.float32, [BATCH, 28, 28, 1], name="X")
    y = tf.placeholder(tf.int32, [BATCH], name="y")
    w = [tf.Variable(p) for p in params]
    h = tf.nn.relu(tf.nn.conv2d(X, w[0], [1, 1, 1, 1], "VALID") + w[1])
    h = tf.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    h = tf.nn.relu(tf.nn.conv2d(h, w[2], [1, 1, 1, 1], "VALID") + w[3])
    h = tf.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    h = tf.reshape(h, [BATCH, 256])
    h = tf.nn.relu(tf.matmul(h, w[4]) + w[5])
    h = tf.nn.relu(tf.matmul(h, w[6]) + w[7])
    logits = tf.matmul(h, w[8]) + w[9]
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    train_op = tf.train.GradientDescentOptimizer(LR).minimize(loss)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    feed = {X: x_val, y: y_val}
    return lambda: sess.run([train_op, loss], feed)[1]


# -- hand-written NumPy -------------------------------------------------------------------------
def _windows(x, k):
    """[n, oh, ow, k, k, c]: a strided view holding every k x k window of x (no copy)."""
    n, h, w, c = x.shape
    s = x.strides
    return np.lib.stride_tricks.as_strided(x, (n, h - k + 1, w - k + 1, k, k, c),
                                           (s[0], s[1], s[2], s[1], s[2], s[3]))


class _Buffers(dict):
    """Arrays allocated once and reused every step: large temporaries would otherwise be
    fresh mmap'd pages each step, and their page faults cost as much as the math."""

    def get(self, name, shape, dtype=np.float32):
        a = dict.get(self, name)
        if a is None:
            a = self[name] = np.empty(shape, dtype)
        return a


def numpy_step():
    p = init_params()
    x, y = data()
    n = BATCH
    onehot = np.eye(10, dtype=np.float32)[y]
    buf = _Buffers()

    def conv_relu(name, inp, w, b):
        k, c, oc = w.shape[0], w.shape[2], w.shape[3]
        win = _windows(inp, k)
        shape = win.shape
        cols = buf.get(name + "cols", (shape[0] * shape[1] * shape[2], k * k * c))
        np.copyto(cols.reshape(shape), win)  # im2col: one copy
        a = buf.get(name + "a", (cols.shape[0], oc))
        np.matmul(cols, w.reshape(-1, oc), out=a)
        a += b
        np.maximum(a, 0, out=a)
        return cols, a.reshape(shape[:3] + (oc,))

    def pool(name, a):
        taps = [a[:, i::2, j::2, :] for i in (0, 1) for j in (0, 1)]
        out = buf.get(name + "p", taps[0].shape)
        np.maximum(taps[0], taps[1], out=out)
        np.maximum(out, taps[2], out=out)
        np.maximum(out, taps[3], out=out)
        return out, taps

    def unpool_relu(name, dy, a, out, taps):
        """dy to each window's first maximum (the windows tile a), times relu's mask."""
        dx = buf.get(name + "dx", a.shape)
        taken = buf.get(name + "taken", out.shape, bool)
        m = buf.get(name + "m", out.shape, bool)
        for t, (i, j) in enumerate(((0, 0), (0, 1), (1, 0), (1, 1))):
            np.equal(taps[t], out, out=m)
            if t == 0:
                taken[...] = m
            else:
                m &= ~taken
                taken |= m
            np.multiply(dy, m, out=dx[:, i::2, j::2, :])
        relu = buf.get(name + "relu", a.shape, bool)
        np.greater(a, 0, out=relu)
        dx *= relu
        return dx

    def conv_input_grad(name, d, w, x_shape):
        """col2im fused with the matmul: each tap's d @ w[i, j]^T added where it read."""
        k, c, oc = w.shape[0], w.shape[2], w.shape[3]
        oh, ow = x_shape[1] - k + 1, x_shape[2] - k + 1
        d2 = d.reshape(-1, oc)
        dx = buf.get(name + "dx_in", x_shape)
        dx.fill(0)
        t = buf.get(name + "t", (d2.shape[0], c))
        for i in range(k):
            for j in range(k):
                np.matmul(d2, w[i, j].T, out=t)
                dx[:, i:i + oh, j:j + ow, :] += t.reshape(n, oh, ow, c)
        return dx

    def step():
        w1, b1, w2, b2, w3, b3, w4, b4, w5, b5 = p
        c1, a1 = conv_relu("1", x, w1, b1)
        p1, t1 = pool("1", a1)
        c2, a2 = conv_relu("2", p1, w2, b2)
        p2, t2 = pool("2", a2)
        f = p2.reshape(n, 256)
        h3 = f @ w3
        h3 += b3
        np.maximum(h3, 0, out=h3)
        h4 = h3 @ w4
        h4 += b4
        np.maximum(h4, 0, out=h4)
        logits = h4 @ w5
        logits += b5
        z = logits - logits.max(axis=1, keepdims=True)
        e = np.exp(z)
        s = e.sum(axis=1, keepdims=True)
        loss = float(np.mean(np.log(s[:, 0]) - z[np.arange(n), y]))
        d = (e / s - onehot) / n
        g5, gb5 = h4.T @ d, d.sum(0)
        d = d @ w5.T
        d *= h4 > 0
        g4, gb4 = h3.T @ d, d.sum(0)
        d = d @ w4.T
        d *= h3 > 0
        g3, gb3 = f.T @ d, d.sum(0)
        d = (d @ w3.T).reshape(p2.shape)
        d = unpool_relu("2", d, a2, p2, t2).reshape(-1, 16)
        g2, gb2 = (c2.T @ d).reshape(w2.shape), d.sum(0)
        d = conv_input_grad("2", d, w2, p1.shape)
        d = unpool_relu("1", d, a1, p1, t1).reshape(-1, 6)
        g1, gb1 = (c1.T @ d).reshape(w1.shape), d.sum(0)
        for v, g in zip(p, (g1, gb1, g2, gb2, g3, gb3, g4, gb4, g5, gb5)):
            v -= LR * g
        return loss
    return step


# -- PyTorch ---------------------------------------------------------------------------------
def torch_step():
    import torch
    import torch.nn.functional as F
    if os.environ.get("OMP_NUM_THREADS"):
        torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
    params = init_params()
    x_val, y_val = data()
    # TF layouts -> PyTorch's: filters [out, in, kh, kw], dense weights [out, in]
    conv = [torch.tensor(params[i].transpose(3, 2, 0, 1).copy(), requires_grad=True) for i in (0, 2)]
    dense = [torch.tensor(params[i].T.copy(), requires_grad=True) for i in (4, 6, 8)]
    biases = [torch.tensor(params[i], requires_grad=True) for i in (1, 3, 5, 7, 9)]
    all_params = conv + dense + biases
    x = torch.tensor(x_val.transpose(0, 3, 1, 2).copy())
    y = torch.tensor(y_val.astype(np.int64))

    def step():
        h = F.max_pool2d(F.relu(F.conv2d(x, conv[0], biases[0])), 2)
        h = F.max_pool2d(F.relu(F.conv2d(h, conv[1], biases[1])), 2)
        h = h.permute(0, 2, 3, 1).reshape(BATCH, 256)  # NHWC flatten order, as the others
        h = F.relu(F.linear(h, dense[0], biases[2]))
        h = F.relu(F.linear(h, dense[1], biases[3]))
        loss = F.cross_entropy(F.linear(h, dense[2], biases[4]), y)
        for p in all_params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in all_params:
                p -= LR * p.grad
        return loss.item()
    return step


ENGINES = {"tinygraph": tinygraph_step, "numpy": numpy_step, "torch": torch_step}


def child(engine, steps):
    step = ENGINES[engine]()
    first = float(step())
    for _ in range(2):
        step()
    t0 = time.perf_counter()
    for _ in range(steps):
        last = step()
    per_step = (time.perf_counter() - t0) / steps
    print(json.dumps({"engine": engine, "seconds": per_step, "first_loss": first,
                      "last_loss": float(last)}))


def _fmt(s):
    return "%.2f ms" % (s * 1e3)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--torch-python", default=os.environ.get("TG_BENCH_PYTHON_TORCH"))
    parser.add_argument("--threads", type=int, default=1,
                        help="BLAS / PyTorch threads of every engine (0: the libraries' defaults)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child, args.steps)
    engines = [("numpy", sys.executable), ("tinygraph", sys.executable)]
    if args.torch_python:
        engines.append(("torch", args.torch_python))
    env = dict(os.environ, PYTHONPATH=ROOT)
    if args.threads:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            env[var] = str(args.threads)
    times = {e: [] for e, _ in engines}
    first = {}
    for r in range(args.rounds):
        for engine, python in engines:
            out = subprocess.run([python, os.path.abspath(__file__), "--child", engine,
                                  "--steps", str(args.steps)], check=True, capture_output=True,
                                 text=True, env=env).stdout
            res = json.loads(out.strip().splitlines()[-1])
            times[engine].append(res["seconds"])
            first[engine] = (res["first_loss"], res["last_loss"])
        print("round %d: %s" % (r + 1, ", ".join("%s %s" % (e, _fmt(times[e][-1])) for e, _ in engines)),
              flush=True)
    print("losses at the first and the last step (every engine trains the same model): %s"
          % ", ".join("%s %.6f / %.6f" % (k, a, b) for k, (a, b) in first.items()))
    print("\n| engine | seconds per step (median) | range over rounds | / numpy (per-round range) |")
    print("|---|---|---|---|")
    for engine, _ in engines:
        ts = times[engine]
        ratios = [t / n for t, n in zip(ts, times["numpy"])]
        print("| %s | %s | %s – %s | %.2fx (%.2f–%.2f) |" % (
            engine, _fmt(statistics.median(ts)), _fmt(min(ts)), _fmt(max(ts)),
            statistics.median(ratios), min(ratios), max(ratios)))


if __name__ == "__main__":
    main()
