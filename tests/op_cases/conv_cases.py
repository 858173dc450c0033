"""Gradient-check cases for the conv, pool and linalg ops (ops/conv_ops.py, ops/linalg_ops.py).

The gradient ops (Conv2DBackpropInput, MaxPoolGrad, ...) are reached directly or
through tf.gradients with `grad_ys` as an input, so their own gradients are checked too.
"""
import numpy as np

import tinygraph as tf

from . import OpCase


def _ties(*arrays):
    """True when two entries of the pooled input are within 1e-3 (max pooling's kinks)."""
    x = np.sort(arrays[-1].reshape(-1))
    return bool(np.any(np.diff(x) < 1e-3))


def _max_pool(x):
    return tf.nn.max_pool(x, 2, 2, "SAME")


def _avg_pool(x):
    return tf.nn.avg_pool(x, 3, 2, "SAME")


def _conv(x, w):
    return tf.nn.conv2d(x, w, [1, 2, 1, 1], "SAME")


def _depthwise(x, w):
    return tf.nn.depthwise_conv2d(x, w, [1, 2, 2, 1], "SAME")


def _grad_wrt(fn, which):
    """build(dy, *inputs) -> d<fn(*inputs), dy>/d inputs[which]: a graph holding fn's gradient op."""
    def build(dy, *inputs):
        return tf.gradients(fn(*inputs), inputs[which], grad_ys=dy)[0]
    return build


def _max_pool_grad_grad(dd, dy, x):
    dx = tf.gradients(_max_pool(x), x, grad_ys=dy)[0]
    return tf.gradients(dx, dy, grad_ys=dd)[0]


def _well_conditioned(x):
    return x * 0.25 + tf.constant(np.eye(3))  # "unit" domain: diagonally dominant


CASES = [
    OpCase("Conv2D", _conv, [(2, 4, 3, 2), (2, 2, 2, 3)]),
    OpCase("Conv2D", lambda x, w: tf.nn.conv2d(x, w, 1, "VALID", dilations=[1, 1, 2, 1]),
           [(1, 3, 5, 2), (2, 2, 2, 2)], name="Conv2D_dilated"),
    OpCase("Conv2DBackpropInput", lambda w, dy: tf.nn.conv2d_backprop_input(
        [2, 4, 3, 2], w, dy, [1, 2, 1, 1], "SAME"), [(2, 2, 2, 3), (2, 2, 3, 3)]),
    OpCase("Conv2DBackpropFilter", lambda x, dy: tf.nn.conv2d_backprop_filter(
        x, [2, 2, 2, 3], dy, [1, 2, 1, 1], "SAME"), [(2, 4, 3, 2), (2, 2, 3, 3)]),
    OpCase("DepthwiseConv2dNative", _depthwise, [(1, 4, 4, 2), (2, 2, 2, 2)]),
    OpCase("DepthwiseConv2dNativeBackpropInput", _grad_wrt(_depthwise, 0),
           [(1, 2, 2, 4), (1, 4, 4, 2), (2, 2, 2, 2)]),
    OpCase("DepthwiseConv2dNativeBackpropFilter", _grad_wrt(_depthwise, 1),
           [(1, 2, 2, 4), (1, 4, 4, 2), (2, 2, 2, 2)]),
    OpCase("MaxPool", _max_pool, [(1, 3, 3, 2)], kink=_ties, min_gap=2e-3),
    OpCase("MaxPoolGrad", _grad_wrt(_max_pool, 0), [(1, 2, 2, 2), (1, 3, 3, 2)], kink=_ties, min_gap=2e-3),
    OpCase("MaxPoolGradGrad", _max_pool_grad_grad, [(1, 3, 3, 2), (1, 2, 2, 2), (1, 3, 3, 2)],
           kink=_ties, min_gap=2e-3),
    OpCase("AvgPool", _avg_pool, [(1, 4, 3, 2)]),
    OpCase("AvgPoolGrad", _grad_wrt(_avg_pool, 0), [(1, 2, 2, 2), (1, 4, 3, 2)]),
    OpCase("MatrixInverse", lambda x: tf.matrix_inverse(_well_conditioned(x)), [(2, 3, 3)],
           domain="unit"),
    OpCase("MatrixDeterminant", lambda x: tf.matrix_determinant(_well_conditioned(x)), [(2, 3, 3)],
           domain="unit"),
]
