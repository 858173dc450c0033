"""Regression tests for bugs planted on purpose (issue 16's audit) that the suite missed.

* A TensorArray gradient that overwrites instead of accumulating when one index is
  read twice (outside and inside a loop).
* MatMul's cached transposed weight copy ignoring the variable's version: an MLP with
  64x64 weights trained several steps must match numpy step by step.
* Optimizer formulas (SGD, Momentum, Nesterov, Adam, RMSProp, centered RMSProp,
  Adagrad) against numpy, with the in-place and grouped update passes on and off, so
  both the in-place path (results written into the buffers) and the allocating one
  are checked directly.
"""
import numpy as np
import pytest

import tinygraph as tf
from tinygraph import config
from tinygraph.testing import check_gradients


# -- TensorArray: one index read several times -------------------------------------------------
def test_tensor_array_index_read_twice_accumulates_its_gradients():
    x = tf.placeholder(tf.float64, [3, 2])
    ta = tf.TensorArray(tf.float64, size=3).unstack(x)
    y = ta.read(1) * ta.read(1) + ta.read(1) + 2.0 * ta.read(0)
    g = tf.gradients(tf.reduce_sum(y), x)[0]
    x0 = np.array([[0.5, -1.0], [1.5, 0.25], [2.0, 3.0]])
    with tf.Session() as sess:
        got = sess.run(g, {x: x0})
    want = np.zeros_like(x0)
    want[1] = 2 * x0[1] + 1
    want[0] = 2.0
    np.testing.assert_array_equal(got, want)


def test_tensor_array_index_read_in_every_iteration_accumulates():
    x = tf.placeholder(tf.float64, [3, 2])
    ta = tf.TensorArray(tf.float64, size=3).unstack(x)

    def body(t, acc):
        return t + 1, acc + ta.read(1) * ta.read(t)
    _, acc = tf.while_loop(lambda t, acc: t < 3, body, [tf.constant(0), tf.zeros([2], tf.float64)])
    g = tf.gradients(tf.reduce_sum(acc), x)[0]
    x0 = np.array([[0.5, -1.0], [1.5, 0.25], [2.0, 3.0]])
    with tf.Session() as sess:
        got = sess.run(g, {x: x0})
    # acc = x1 * (x0 + x1 + x2): d/dx1 = x0 + 2 x1 + x2, d/dx0 = d/dx2 = x1
    want = np.stack([x0[1], x0[0] + 2 * x0[1] + x0[2], x0[1]])
    np.testing.assert_allclose(got, want, rtol=1e-14)
    r = check_gradients(tf.reduce_sum(tf.sin(acc)), x, feed_dict={x: x0})
    assert r.status == "ok", r.summary()


# -- MatMul's cached transposed weights across optimizer updates --------------------------------
def _numpy_mlp_sgd(x, y, w1, b1, w2, lr, steps):
    """Losses and final weights of SGD on mean((tanh(x w1 + b1) w2 - y)^2), in float64."""
    losses = []
    for _ in range(steps):
        h = np.tanh(x @ w1 + b1)
        d = h @ w2 - y
        losses.append(np.mean(d * d))
        dout = 2 * d / d.size
        gw2 = h.T @ dout
        dh = dout @ w2.T * (1 - h * h)
        gw1, gb1 = x.T @ dh, dh.sum(0)
        w1, b1, w2 = w1 - lr * gw1, b1 - lr * gb1, w2 - lr * gw2
    return losses, (w1, b1, w2)


@pytest.mark.parametrize("inplace", [True, False])
def test_mlp_with_64x64_weights_trains_like_numpy(inplace):
    rng = np.random.RandomState(3)
    x0, y0 = rng.randn(32, 64), rng.randn(32, 64)
    w1_0, w2_0 = rng.randn(64, 64) * 0.2, rng.randn(64, 64) * 0.2
    b1_0 = rng.randn(64) * 0.1
    lr, steps = 0.5, 6
    with config.optimizations(inplace_optimizer_updates=inplace, group_optimizer_updates=inplace):
        x = tf.placeholder(tf.float64, [None, 64])
        y = tf.placeholder(tf.float64, [None, 64])
        w1, b1, w2 = tf.Variable(w1_0), tf.Variable(b1_0), tf.Variable(w2_0)
        d = tf.matmul(tf.tanh(tf.matmul(x, w1) + b1), w2) - y
        loss = tf.reduce_mean(d * d)
        train = tf.train.GradientDescentOptimizer(lr).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = [sess.run([loss, train], {x: x0, y: y0})[0] for _ in range(steps)]
            final = sess.run([w1, b1, w2])
    want_losses, want_final = _numpy_mlp_sgd(x0, y0, w1_0, b1_0, w2_0, np.float32(lr), steps)
    np.testing.assert_allclose(losses, want_losses, rtol=1e-10)
    for got, want in zip(final, want_final):
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)
    assert want_losses[-1] < 0.9 * want_losses[0]


# -- optimizer formulas, passes on and off -------------------------------------------------------
C = np.array([[1.0, -2.0, 0.5], [3.0, 0.25, -1.0]])
D = np.array([0.7, -1.3, 2.0])
W0 = np.array([[0.5, -1.0, 2.0], [1.5, 0.3, -0.7]])
B0 = np.array([0.2, -0.4, 1.1])


def _grads(w, b):
    """Of loss = sum(C W^2) + sum(D b^2) + sum(W * b): both change every step."""
    return 2 * C * w + b, 2 * D * b + w.sum(0)


def f32(h):
    return float(np.float32(h))


def _numpy_steps(name, steps):
    params = [W0.copy(), B0.copy()]
    state = [dict() for _ in params]
    b1p, b2p = np.float32(0.9), np.float32(0.999)
    for _ in range(steps):
        grads = _grads(*params)
        for k, (p, g) in enumerate(zip(params, grads)):
            s = state[k]
            if name == "sgd":
                p = p - f32(0.1) * g
            elif name in ("momentum", "nesterov"):
                lr, mom = f32(0.05), f32(0.9)
                s["a"] = mom * s.get("a", 0) + g
                p = p - (lr * g + lr * mom * s["a"] if name == "nesterov" else lr * s["a"])
            elif name == "adam":
                lr, b1, b2, eps = f32(0.1), f32(0.9), f32(0.999), f32(1e-8)
                lr_t = lr * np.sqrt(1 - float(b2p)) / (1 - float(b1p))
                s["m"] = b1 * s.get("m", 0) + (1 - b1) * g
                s["v"] = b2 * s.get("v", 0) + (1 - b2) * g * g
                p = p - lr_t * s["m"] / (np.sqrt(s["v"]) + eps)
            elif name in ("rmsprop", "rmsprop_centered"):
                lr, decay, eps = f32(0.01), f32(0.8), f32(1e-6)
                s["ms"] = decay * s.get("ms", 1.0) + (1 - decay) * g * g
                s["mg"] = decay * s.get("mg", 0) + (1 - decay) * g
                denom = s["ms"] - s["mg"] ** 2 + eps if name == "rmsprop_centered" else s["ms"] + eps
                s["mom"] = 0.5 * s.get("mom", 0) + lr * g / np.sqrt(denom)
                p = p - s["mom"]
            elif name == "adagrad":
                s["acc"] = s.get("acc", 0.5) + g * g
                p = p - f32(0.1) * g / np.sqrt(s["acc"])
            params[k] = p
        b1p, b2p = b1p * np.float32(0.9), b2p * np.float32(0.999)
    return params


OPTIMIZERS = {
    "sgd": lambda: tf.train.GradientDescentOptimizer(0.1),
    "momentum": lambda: tf.train.MomentumOptimizer(0.05, 0.9),
    "nesterov": lambda: tf.train.MomentumOptimizer(0.05, 0.9, use_nesterov=True),
    "adam": lambda: tf.train.AdamOptimizer(0.1),
    "rmsprop": lambda: tf.train.RMSPropOptimizer(0.01, decay=0.8, momentum=0.5, epsilon=1e-6),
    "rmsprop_centered": lambda: tf.train.RMSPropOptimizer(0.01, decay=0.8, momentum=0.5, epsilon=1e-6,
                                                          centered=True),
    "adagrad": lambda: tf.train.AdagradOptimizer(0.1, initial_accumulator_value=0.5),
}
PASSES = [(True, True), (True, False), (False, True), (False, False)]


@pytest.mark.parametrize("inplace,grouped", PASSES, ids=["inplace-grouped", "inplace", "grouped", "allocating"])
@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_optimizer_formula_matches_numpy(name, inplace, grouped):
    with config.optimizations(inplace_optimizer_updates=inplace, group_optimizer_updates=grouped):
        w, b = tf.Variable(W0, name="W"), tf.Variable(B0, name="b")
        loss = (tf.reduce_sum(tf.constant(C) * w * w) + tf.reduce_sum(tf.constant(D) * b * b)
                + tf.reduce_sum(w * b))
        train = OPTIMIZERS[name]().minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(3):
                sess.run(train)
            got = sess.run([w, b])
    for g, want in zip(got, _numpy_steps(name, 3)):
        np.testing.assert_allclose(g, want, rtol=1e-12, atol=1e-14)
