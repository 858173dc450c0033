"""JAX (CPU, jit). One jitted function per call does forward + value_and_grad + TF1-style
Adam(0.001). W1d/W2/W3/W4: jax.lax.scan over time; W1s: the 20 steps unrolled as a Python
loop traced under jit. The output projection of W1 is applied inside every step, as
OutputProjectionWrapper does."""
import os

import jax
import jax.numpy as jnp
import numpy as np

from ._common import init_params

LR, B1, B2, EPS = 0.001, 0.9, 0.999, 1e-8


def info():
    import jaxlib
    return "JAX %s (jaxlib %s), backend %s, XLA CPU default threading (%d cores), XLA_FLAGS=%r" % (
        jax.__version__, jaxlib.__version__, jax.default_backend(), os.cpu_count(),
        os.environ.get("XLA_FLAGS", ""))


def _w1_scan(p, X):                      # X [B, T, 1] -> [B, T, 1]
    K, b, Wo, bo = p
    n_in = X.shape[2]
    Kx, Kh = K[:n_in], K[n_in:]

    def cell(h, x):
        h = jax.nn.relu(x @ Kx + h @ Kh + b)
        return h, h @ Wo + bo
    h0 = jnp.zeros((X.shape[0], Kh.shape[0]), X.dtype)
    _, out = jax.lax.scan(cell, h0, jnp.swapaxes(X, 0, 1))
    return jnp.swapaxes(out, 0, 1)


def _w1_unrolled(p, X):
    K, b, Wo, bo = p
    n_in = X.shape[2]
    Kx, Kh = K[:n_in], K[n_in:]
    h = jnp.zeros((X.shape[0], Kh.shape[0]), X.dtype)
    outs = []
    for t in range(X.shape[1]):
        h = jax.nn.relu(X[:, t] @ Kx + h @ Kh + b)
        outs.append(h @ Wo + bo)
    return jnp.stack(outs, 1)


def _w2_loss(p, X, y):
    K, b, W, c = p
    Kx, Kh = K[:4], K[4:]

    def cell(h, x):
        return jnp.tanh(x @ Kx + h @ Kh + b), None
    h, _ = jax.lax.scan(cell, jnp.zeros((X.shape[0], 32), X.dtype), jnp.swapaxes(X, 0, 1))
    return jnp.mean(jnp.square(h @ W + c - y))


def _w3_loss(p, X, labels):
    K, b, W, c = p
    n = 256
    Kx, Kh = K[:64], K[64:]

    def cell(hc, x):                      # BasicLSTMCell: gates i, j, f, o; forget_bias 1.0
        h, cs = hc
        g = x @ Kx + h @ Kh + b
        i, j, f, o = jnp.split(g, 4, axis=1)
        cs = cs * jax.nn.sigmoid(f + 1.0) + jax.nn.sigmoid(i) * jnp.tanh(j)
        h = jnp.tanh(cs) * jax.nn.sigmoid(o)
        return (h, cs), None
    z = jnp.zeros((X.shape[0], n), X.dtype)
    (h, _), _ = jax.lax.scan(cell, (z, z), jnp.swapaxes(X, 0, 1))
    logits = h @ W + c
    logp = jax.nn.log_softmax(logits)
    return -jnp.mean(jnp.take_along_axis(logp, labels[:, None].astype(jnp.int32), axis=1))


def step(workload):
    params = tuple(jnp.asarray(a) for a in init_params(workload))
    if workload == "W4":
        fwd = jax.jit(_w1_scan)

        def infer(X, y):
            return fwd(params, X).block_until_ready()
        return infer
    if workload in ("W1d", "W1s"):
        model = _w1_scan if workload == "W1d" else _w1_unrolled

        def loss_fn(p, X, y):
            return jnp.mean(jnp.square(model(p, X) - y))
    else:
        loss_fn = _w2_loss if workload == "W2" else _w3_loss

    def train_step(state, X, y):          # TF1 Adam: lr_t = lr*sqrt(1-b2^t)/(1-b1^t)
        p, m, v, b1p, b2p = state
        loss, g = jax.value_and_grad(loss_fn)(p, X, y)
        m = tuple(B1 * mi + (1 - B1) * gi for mi, gi in zip(m, g))
        v = tuple(B2 * vi + (1 - B2) * gi * gi for vi, gi in zip(v, g))
        lr_t = LR * jnp.sqrt(1 - b2p) / (1 - b1p)
        p = tuple(pi - lr_t * mi / (jnp.sqrt(vi) + EPS) for pi, mi, vi in zip(p, m, v))
        return loss, (p, m, v, b1p * B1, b2p * B2)

    jstep = jax.jit(train_step, donate_argnums=(0,))
    zeros = tuple(jnp.zeros_like(a) for a in params)
    state = [(params, zeros, tuple(jnp.zeros_like(a) for a in params), jnp.float32(B1), jnp.float32(B2))]

    def train(X, y):
        loss, state[0] = jstep(state[0], X, y)
        jax.block_until_ready((loss, state[0]))
        return loss
    return train
