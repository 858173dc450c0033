"""Gradient-check cases for the math op family (tinygraph/ops/math_ops.py and the modules it gathers)."""
import numpy as np

import tinygraph as tf
from tinygraph.ops import math_ops

from . import OpCase


def _near_integer(a, eps=0.05):
    return bool(np.any(np.abs(a - np.round(a)) < eps))


def _ties(a, b, eps=0.05):
    a, b = np.broadcast_arrays(a, b)
    return bool(np.any(np.abs(a - b) < eps))


def _near_zero(*arrays, eps=0.05):
    return any(bool(np.any(np.abs(a) < eps)) for a in arrays)


def _reduction_ties(axis):
    """kink for max/min reductions: two elements of one group within eps of the extreme."""
    def kink(a, eps=0.05):
        for f in (np.max, np.min):
            extreme = f(a, axis=axis, keepdims=True)
            if np.any(np.sum(np.abs(a - extreme) < eps, axis=axis) > 1):
                return True
        return False
    return kink


def _grad_op(fn):
    """Builds fn's gradient with explicit upstream `dy`, so its fused ...Grad op is in the graph."""
    return lambda x, dy: tf.gradients(fn(x), x, grad_ys=dy)[0]


def _same_dtype_cast(x):
    # A Cast that keeps float64 exercises the Cast gradient without float32 rounding.
    g = tf.get_default_graph()
    return g.create_op("Cast", [x], {"DstT": tf.float64}, name="Cast").outputs[0]


CASES = [
    # binary arithmetic, with broadcasting both ways
    OpCase("Add", lambda x, y: x + y, [(2, 3), (3,)]),
    OpCase("Add", lambda x, y: tf.add(x, y), [(1, 3), (2, 1)], name="Add_both_broadcast"),
    OpCase("Sub", lambda x, y: x - y, [(2, 3), (2, 1)]),
    OpCase("Mul", lambda x, y: x * y, [(2, 3), (3,)]),
    OpCase("RealDiv", lambda x, y: x / y, [(2, 3), (3,)], domain="nonzero"),
    OpCase("FloorMod", lambda x, y: tf.floormod(x, y), [(2, 3), (3,)], domain="positive",
           order=1, kink=lambda x, y: _near_integer(x / y)),
    OpCase("Pow", lambda x, y: tf.pow(x, y), [(2, 3), (3,)], domain="positive"),
    OpCase("SquaredDifference", lambda x, y: tf.squared_difference(x, y), [(2, 3), (3,)]),
    OpCase("Maximum", lambda x, y: tf.maximum(x, y), [(2, 3), (3,)], order=1, kink=_ties),
    OpCase("Minimum", lambda x, y: tf.minimum(x, y), [(2, 3), (2, 1)], order=1, kink=_ties),
    OpCase("Maximum", lambda x: tf.clip_by_value(x, -0.5, 0.7), [(3, 4)], order=1,
           kink=lambda x: _ties(x, -0.5) or _ties(x, 0.7), name="clip_by_value",
           away_from=(-0.5, 0.7), margin=0.06),
    # unary
    OpCase("Neg", lambda x: -x, [(2, 3)]),
    OpCase("Abs", lambda x: tf.abs(x), [(2, 3)], order=1, kink=_near_zero, away_from=(0.0,), margin=0.06),
    OpCase("Sign", lambda x: tf.sign(x) * x, [(2, 3)], order=1, kink=_near_zero, away_from=(0.0,),
           margin=0.06),
    OpCase("Square", lambda x: tf.square(x), [(2, 3)]),
    OpCase("Sqrt", lambda x: tf.sqrt(x), [(2, 3)], domain="positive"),
    OpCase("Rsqrt", lambda x: tf.rsqrt(x), [(2, 3)], domain="positive"),
    OpCase("Exp", lambda x: tf.exp(x), [(2, 3)]),
    OpCase("Log", lambda x: tf.log(x), [(2, 3)], domain="positive"),
    OpCase("Log1p", lambda x: tf.log1p(x), [(2, 3)], domain="unit"),
    OpCase("Sin", lambda x: tf.sin(x), [(2, 3)]),
    OpCase("Cos", lambda x: tf.cos(x), [(2, 3)]),
    OpCase("Tanh", lambda x: tf.tanh(x), [(2, 3)]),
    OpCase("Sigmoid", lambda x: tf.sigmoid(x), [(2, 3)]),
    OpCase("Reciprocal", lambda x: tf.reciprocal(x), [(2, 3)], domain="nonzero"),
    # the fused gradient ops, which must be differentiable themselves
    OpCase("TanhGrad", _grad_op(tf.tanh), [(2, 3), (2, 3)]),
    OpCase("SigmoidGrad", _grad_op(tf.sigmoid), [(2, 3), (2, 3)]),
    OpCase("SqrtGrad", _grad_op(tf.sqrt), [(2, 3), (2, 3)], domain="positive"),
    OpCase("RsqrtGrad", _grad_op(tf.rsqrt), [(2, 3), (2, 3)], domain="positive"),
    OpCase("ReciprocalGrad", _grad_op(tf.reciprocal), [(2, 3), (2, 3)], domain="nonzero"),
    # casts
    OpCase("Cast", _same_dtype_cast, [(2, 3)]),
    # products
    OpCase("MatMul", lambda a, b: tf.matmul(a, b), [(2, 3), (3, 4)]),
    OpCase("MatMul", lambda a, b: tf.matmul(a, b, transpose_a=True, transpose_b=True),
           [(3, 2), (4, 3)], name="MatMul_transposed"),
    OpCase("MatMul", lambda a, b: a @ b, [(2, 2, 3), (3, 4)], name="MatMul_batch_broadcast"),
    OpCase("MatMul", lambda a, b: tf.tensordot(a, b, 1), [(2, 3), (3, 2)], name="tensordot"),
    # reductions and scans
    OpCase("Sum", lambda x: tf.reduce_sum(x, axis=1), [(2, 3)]),
    OpCase("Sum", lambda x: tf.reduce_sum(x, axis=[0, -1], keepdims=True), [(2, 3, 2)],
           name="Sum_keepdims"),
    OpCase("Mean", lambda x: tf.reduce_mean(x, axis=0), [(3, 2)]),
    OpCase("Mean", lambda x: tf.reduce_mean(x), [(2, 3)], name="Mean_all"),
    # second order goes through Cumprod's gradient, which divides by x (as TF's): keep x != 0
    OpCase("Prod", lambda x: tf.reduce_prod(x, axis=1), [(2, 3)], domain="nonzero"),
    OpCase("Prod", lambda x: tf.reduce_prod(x, axis=[0, 2]), [(2, 3, 2)], domain="nonzero",
           name="Prod_two_axes"),
    OpCase("Prod", lambda x: tf.reduce_prod(x), [(2, 2)], domain="nonzero", name="Prod_all"),
    OpCase("Max", lambda x: tf.reduce_max(x, axis=1), [(2, 3)], order=1, kink=_reduction_ties(1),
           min_gap=0.06),
    OpCase("Min", lambda x: tf.reduce_min(x, axis=0, keepdims=True), [(3, 2)], order=1,
           kink=_reduction_ties(0), min_gap=0.06),
    OpCase("Log", lambda x: tf.reduce_logsumexp(x, axis=1), [(2, 3)], name="reduce_logsumexp"),
    OpCase("Cumsum", lambda x: tf.cumsum(x, axis=1), [(2, 3)]),
    OpCase("Cumsum", lambda x: tf.cumsum(x, axis=0, exclusive=True, reverse=True), [(3, 2)],
           name="Cumsum_exclusive_reverse"),
    OpCase("Cumprod", lambda x: tf.cumprod(x, axis=1), [(2, 3)], domain="nonzero"),
    OpCase("Cumprod", lambda x: tf.cumprod(x, axis=0, exclusive=True, reverse=True), [(3, 2)],
           domain="nonzero", name="Cumprod_exclusive_reverse"),
    # sums of lists, segment sums and the broadcast-undoing helper
    OpCase("AddN", lambda x, y, z: tf.add_n([x, y, z]), [(2, 3), (2, 3), (2, 3)]),
    OpCase("AccumulateNV2", lambda x, y: tf.accumulate_n([x, y]), [(2, 3), (2, 3)]),
    OpCase("UnsortedSegmentSum", lambda d: tf.unsorted_segment_sum(d, [0, 2, 0], 3), [(3, 2)],
           order=1),
    OpCase("SumToShape", lambda g: math_ops.unbroadcast(g, tf.zeros([1, 3], tf.float64)), [(2, 2, 3)]),
]
