"""Conv, pool, depthwise, transpose-conv and linalg ops against real TensorFlow's numbers.

tests/golden/conv_reference.npz was computed by tests/golden/make_conv_reference.py
with TensorFlow 2.15.1 in tf.compat.v1 graph mode (float64). For each case we rebuild
y = op(x[, w]) from the stored arguments and compare y, the gradients of <y, r> and
the second-order gradients of <grad, s> with respect to x, w and r.
"""
import json
import os

import numpy as np
import pytest

import tinygraph as tf

DATA = np.load(os.path.join(os.path.dirname(__file__), "golden", "conv_reference.npz"))
META = json.loads(str(DATA["__meta__"]))["cases"]
RTOL, ATOL = 1e-9, 1e-10


def _build(kind, spec, x, w):
    args = {k: v for k, v in spec.items() if k not in ("x", "w")}
    fn = {"conv2d": tf.nn.conv2d, "conv2d_transpose": tf.nn.conv2d_transpose,
          "max_pool": tf.nn.max_pool, "avg_pool": tf.nn.avg_pool,
          "depthwise_conv2d": tf.nn.depthwise_conv2d, "matrix_inverse": tf.matrix_inverse,
          "matrix_determinant": tf.matrix_determinant}[kind]
    return fn(x, w, **args) if w is not None else fn(x, **args)


@pytest.mark.parametrize("name", sorted(META))
def test_matches_tensorflow(name):
    meta = META[name]
    p = name + "/"
    has_w = p + "w" in DATA
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float64, DATA[p + "x"].shape, name="x")
        w = tf.placeholder(tf.float64, DATA[p + "w"].shape, name="w") if has_w else None
        y = _build(meta["kind"], meta["spec"], x, w)
        assert y.shape.as_list() == meta["y_shape"]  # static shape inference
        r = tf.placeholder(tf.float64, meta["y_shape"], name="r")
        xs = [x, w] if has_w else [x]
        grads = tf.gradients(tf.reduce_sum(y * r), xs)
        names = ["x", "w"][:len(xs)]
        inner = tf.add_n([tf.reduce_sum(gr * DATA[p + "s_" + n]) for gr, n in zip(grads, names)])
        second = tf.gradients(inner, xs + [r])
        feed = {x: DATA[p + "x"], r: DATA[p + "r"]}
        if has_w:
            feed[w] = DATA[p + "w"]
        with tf.Session() as sess:
            got_y, got_g = sess.run([y, grads], feed)
            np.testing.assert_allclose(got_y, DATA[p + "y"], rtol=RTOL, atol=ATOL)
            for n, v in zip(names, got_g):
                np.testing.assert_allclose(v, DATA[p + "grad_" + n], rtol=RTOL, atol=ATOL,
                                           err_msg="grad " + n)
            for n, t in zip(names + ["r"], second):
                if n in meta["second_order"]:
                    assert t is not None, "second-order gradient for %s missing" % n
                    np.testing.assert_allclose(sess.run(t, feed), DATA[p + "grad2_" + n],
                                               rtol=RTOL, atol=ATOL, err_msg="grad2 " + n)
                elif t is not None:  # TF has none: ours must be zero
                    np.testing.assert_array_equal(sess.run(t, feed), 0)


def test_reference_covers_every_family():
    kinds = {m["kind"] for m in META.values()}
    assert kinds == {"conv2d", "conv2d_transpose", "max_pool", "avg_pool", "depthwise_conv2d",
                     "matrix_inverse", "matrix_determinant"}
