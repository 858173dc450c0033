"""Gradient-check cases for the nn ops (tinygraph/ops/nn_ops.py).

The FooGrad ops are reached through tf.gradients of Foo with `grad_ys` as an input,
so their own gradients (second derivatives of Foo) are checked too.
"""
import numpy as np

import tinygraph as tf

from . import OpCase


def _near_zero(*arrays):
    return any(np.any(np.abs(a) < 1e-3) for a in arrays)


def _grad_op(fn):
    """build(dy, x) -> the gradient of fn at x along dy: a graph holding fn's gradient op."""
    return lambda dy, x: tf.gradients(fn(x), x, grad_ys=dy)[0]


def _grad_kink(dy, x):
    return _near_zero(x)


def _sparse_xent(logits):
    rows, classes = logits.shape.as_list()
    labels = tf.constant(np.arange(rows) % classes, tf.int32)
    return tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)


def _sparse_xent_3d(logits):
    labels = tf.constant([[0, 2], [1, 1]], tf.int64)
    return tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)


def _xent(logits, labels, dim=-1):
    # TF's gradient assumes each label slice sums to 1: make them distributions
    labels = tf.nn.softmax(labels, axis=dim)
    return tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits, dim=dim)


def _xent_grad_logits(logits, labels):
    # the backprop output feeds a second derivative into the op's gradient
    return tf.gradients(_xent(logits, labels), logits)[0]


def _sparse_xent_grad_logits(logits):
    return tf.gradients(_sparse_xent(logits), logits)[0]


CASES = [
    # activations
    OpCase("Relu", tf.nn.relu, [(3, 4)], kink=_near_zero, away_from=(0.0,)),
    OpCase("ReluGrad", _grad_op(tf.nn.relu), [(3, 4), (3, 4)], kink=_grad_kink, away_from=(0.0,)),
    OpCase("Relu6", lambda x: tf.nn.relu6(x * 4.0), [(3, 4)],
           kink=lambda x: _near_zero(x, x * 4.0 - 6.0), away_from=(0.0, 1.5)),
    OpCase("Relu6Grad", _grad_op(lambda x: tf.nn.relu6(x * 4.0)), [(3, 4), (3, 4)],
           kink=lambda dy, x: _near_zero(x, x * 4.0 - 6.0), away_from=(0.0, 1.5)),
    OpCase("Elu", tf.nn.elu, [(3, 4)], kink=_near_zero, away_from=(0.0,)),
    OpCase("EluGrad", _grad_op(tf.nn.elu), [(3, 4), (3, 4)], kink=_grad_kink, away_from=(0.0,)),
    OpCase("Selu", tf.nn.selu, [(3, 4)], kink=_near_zero, away_from=(0.0,)),
    OpCase("SeluGrad", _grad_op(tf.nn.selu), [(3, 4), (3, 4)], kink=_grad_kink, away_from=(0.0,)),
    OpCase("LeakyRelu", lambda x: tf.nn.leaky_relu(x, alpha=0.3), [(3, 4)], kink=_near_zero, away_from=(0.0,)),
    OpCase("LeakyReluGrad", _grad_op(lambda x: tf.nn.leaky_relu(x, alpha=0.3)), [(3, 4), (3, 4)],
           kink=_grad_kink, away_from=(0.0,)),
    OpCase("Softplus", tf.nn.softplus, [(3, 4)]),
    OpCase("SoftplusGrad", _grad_op(tf.nn.softplus), [(3, 4), (3, 4)]),
    OpCase("Softsign", tf.nn.softsign, [(3, 4)], kink=_near_zero, away_from=(0.0,)),
    OpCase("SoftsignGrad", _grad_op(tf.nn.softsign), [(3, 4), (3, 4)], kink=_grad_kink, away_from=(0.0,)),
    # softmax family
    OpCase("Softmax", tf.nn.softmax, [(3, 5)]),
    OpCase("Softmax", lambda x: tf.nn.softmax(x, axis=0), [(4, 3)], name="Softmax_axis0"),
    OpCase("LogSoftmax", tf.nn.log_softmax, [(3, 5)]),
    OpCase("LogSoftmax", lambda x: tf.nn.log_softmax(x, axis=1), [(2, 3, 4)], name="LogSoftmax_3d"),
    OpCase("SoftmaxCrossEntropyWithLogits", _xent, [(3, 4), (3, 4)]),
    OpCase("SoftmaxCrossEntropyWithLogits", lambda logits, labels: _xent(logits, labels, dim=0),
           [(3, 4), (3, 4)], name="SoftmaxCrossEntropyWithLogits_dim0"),
    OpCase("SoftmaxCrossEntropyWithLogits", _xent_grad_logits, [(3, 4), (3, 4)],
           name="SoftmaxCrossEntropyWithLogits_backprop"),
    OpCase("SparseSoftmaxCrossEntropyWithLogits", _sparse_xent, [(4, 3)]),
    OpCase("SparseSoftmaxCrossEntropyWithLogits", _sparse_xent_3d, [(2, 2, 3)],
           name="SparseSoftmaxCrossEntropyWithLogits_3d"),
    OpCase("SparseSoftmaxCrossEntropyWithLogits", _sparse_xent_grad_logits, [(4, 3)],
           name="SparseSoftmaxCrossEntropyWithLogits_backprop"),
    OpCase("SigmoidCrossEntropyWithLogits",
           lambda logits, labels: tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits),
           [(3, 4), (3, 4)]),
    # bias, losses, composites
    OpCase("BiasAdd", tf.nn.bias_add, [(3, 4), (4,)]),
    OpCase("BiasAdd", lambda v, b: tf.nn.bias_add(v, b, data_format="NCHW"), [(2, 3, 2), (3,)],
           name="BiasAdd_NCHW"),
    OpCase("BiasAddGrad", _grad_op(lambda v: tf.nn.bias_add(v, tf.constant([1., 2., 3.], tf.float64))),
           [(2, 4, 3), (2, 4, 3)]),
    OpCase("BiasAddGrad", lambda dy, b: tf.gradients(
        tf.nn.bias_add(tf.ones([2, 3, 2], tf.float64), b, data_format="NCHW"), b, grad_ys=dy)[0] * b,
        [(2, 3, 2), (3,)], name="BiasAddGrad_NCHW"),
    OpCase("L2Loss", tf.nn.l2_loss, [(3, 4)]),
    OpCase("MatMul", lambda x, w, b: tf.nn.xw_plus_b(x, w, b), [(2, 3), (3, 4), (4,)], name="nn.xw_plus_b"),
    # order 1: as in TF, the variance treats the mean as a constant (stop_gradient), which
    # leaves the first derivative exact but not the second
    OpCase("Mean", lambda x: tf.nn.moments(x, [0])[1], [(4, 3)], order=1, name="nn.moments_variance"),
    OpCase("Mean", lambda x: tf.nn.moments(x, [0, 2], keep_dims=True)[0], [(2, 3, 2)],
           name="nn.moments_mean"),
    OpCase("Rsqrt", lambda x: tf.nn.l2_normalize(x, axis=1), [(3, 4)], domain="nonzero",
           name="nn.l2_normalize"),
]
