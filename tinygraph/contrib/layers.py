"""tf.contrib.layers: the pieces of TF 1.x contrib the book's first edition uses
(`fully_connected`, He/Xavier initializers, l1/l2 regularizers, `flatten`)."""
import math
import numbers

from ..framework import dtypes
from ..framework import graph as _graph
from ..ops import array_ops, init_ops, math_ops, nn_ops
from ..ops import variable_scope as vs

__all__ = ["fully_connected", "variance_scaling_initializer", "xavier_initializer",
           "xavier_initializer_conv2d", "l1_regularizer", "l2_regularizer", "flatten"]


class _VarianceScaling(init_ops.Initializer):
    """contrib's variance scaling: n from fan_in / fan_out / their average, then a
    truncated normal with stddev sqrt(1.3 * factor / n) (1.3 undoes the truncation's
    shrinking) or a uniform on +-sqrt(3 * factor / n)."""

    def __init__(self, factor, mode, uniform, seed, dtype):
        self.factor, self.mode, self.uniform, self.seed = factor, mode, uniform, seed
        self.dtype = dtype

    def __call__(self, shape, dtype=None, partition_info=None):
        shape = [int(d) for d in shape]
        fan_in, fan_out = init_ops._compute_fans(shape)
        n = {"FAN_IN": fan_in, "FAN_OUT": fan_out, "FAN_AVG": (fan_in + fan_out) / 2.0}[self.mode]
        dtype = dtypes.as_dtype(dtype or self.dtype)
        if self.uniform:
            limit = math.sqrt(3.0 * self.factor / n)
            return init_ops.RandomUniform(-limit, limit, seed=self.seed, dtype=dtype)(shape)
        stddev = math.sqrt(1.3 * self.factor / n)
        return init_ops.TruncatedNormal(0.0, stddev, seed=self.seed, dtype=dtype)(shape)

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode, "uniform": self.uniform, "seed": self.seed,
                "dtype": dtypes.as_dtype(self.dtype).name}


def variance_scaling_initializer(factor=2.0, mode="FAN_IN", uniform=False, seed=None,
                                 dtype=dtypes.float32):
    """He initialization by default (tf.contrib.layers.variance_scaling_initializer).

    Args:
      factor: multiplies the variance (2.0 for relu networks).
      mode: "FAN_IN", "FAN_OUT" or "FAN_AVG": which fan n counts.
      uniform: uniform on +-sqrt(3 factor / n) instead of a truncated normal of
        stddev sqrt(1.3 factor / n).
      seed: op seed.
      dtype: a floating dtype.

    Raises:
      ValueError: `dtype` is not floating.
      TypeError: unknown `mode`.
    """
    if not dtypes.as_dtype(dtype).is_floating:
        raise ValueError("Cannot create initializer for non-floating point type.")
    if mode not in ("FAN_IN", "FAN_OUT", "FAN_AVG"):
        raise TypeError("Unknown mode %s [FAN_IN, FAN_OUT, FAN_AVG]" % mode)
    return _VarianceScaling(factor, mode, uniform, seed, dtypes.as_dtype(dtype))


def xavier_initializer(uniform=True, seed=None, dtype=dtypes.float32):
    """Glorot/Xavier initialization: variance_scaling_initializer(1.0, "FAN_AVG", uniform)."""
    return variance_scaling_initializer(1.0, "FAN_AVG", uniform, seed, dtype)


xavier_initializer_conv2d = xavier_initializer


def _regularizer(kind, scale, scope):
    if isinstance(scale, numbers.Integral) or not isinstance(scale, numbers.Real):
        raise ValueError("scale cannot be an integer: %s" % (scale,))
    if scale < 0.0:
        raise ValueError("Setting a scale less than 0 on a regularizer: %g" % scale)
    if scale == 0.0:
        return lambda weights: None

    def regularize(weights):
        with _graph.name_scope(scope, "%s_regularizer" % kind, [weights]) as name:
            factor = _graph.convert_to_tensor(scale, dtype=weights.dtype.base_dtype, name="scale")
            penalty = math_ops.reduce_sum(math_ops.abs(weights)) if kind == "l1" else nn_ops.l2_loss(weights)
            return math_ops.multiply(factor, penalty, name=name[:-1] + "/")
    return regularize


def l1_regularizer(scale, scope=None):
    """fn(weights) -> scale * sum(|weights|) (tf.contrib.layers.l1_regularizer).

    Raises:
      ValueError: `scale` is an integer or negative.
    """
    return _regularizer("l1", scale, scope)


def l2_regularizer(scale, scope=None):
    """fn(weights) -> scale * sum(weights ** 2) / 2 (tf.contrib.layers.l2_regularizer).

    Raises:
      ValueError: `scale` is an integer or negative.
    """
    return _regularizer("l2", scale, scope)


def flatten(inputs, outputs_collections=None, scope=None):
    """[batch, ...] -> [batch, k] (tf.contrib.layers.flatten)."""
    with _graph.name_scope(scope, "Flatten", [inputs]):
        x = _graph.convert_to_tensor(inputs)
        dims = x.shape.dims
        k = None
        if dims is not None and all(d is not None for d in dims[1:]):
            k = int(math.prod(dims[1:]))
        out = array_ops.reshape(x, [-1 if dims is None or dims[0] is None else dims[0],
                                    -1 if k is None else k])
        return out


def fully_connected(inputs, num_outputs, activation_fn=nn_ops.relu, normalizer_fn=None,
                    normalizer_params=None, weights_initializer=None, weights_regularizer=None,
                    biases_initializer=init_ops.zeros_initializer(), biases_regularizer=None,
                    reuse=None, variables_collections=None, outputs_collections=None,
                    trainable=True, scope=None):
    """A dense layer: activation_fn(inputs @ weights + biases) (tf.contrib.layers.fully_connected).

    Variables `fully_connected/weights` [in, num_outputs] and `fully_connected/biases`
    (the next call uses `fully_connected_1/...`); inputs of rank > 2 are applied on the
    last axis. Note the default activation is relu, unlike tf.layers.dense.

    Raises:
      ValueError: the last dimension of `inputs` is unknown.
    """
    x = _graph.convert_to_tensor(inputs)
    depth = x.shape.dims[-1] if x.shape.dims else None
    if depth is None:
        raise ValueError("The last dimension of the inputs to `fully_connected` should be "
                         "defined. Found `None`.")
    with vs.variable_scope(scope, default_name="fully_connected", values=[x], reuse=reuse):
        weights = vs.get_variable("weights", [depth, num_outputs], dtype=x.dtype,
                                  initializer=weights_initializer or xavier_initializer(dtype=x.dtype),
                                  regularizer=weights_regularizer, trainable=trainable,
                                  collections=_collections(variables_collections))
        if x.shape.ndims > 2:
            out = math_ops.tensordot(x, weights, [[x.shape.ndims - 1], [0]])
        else:
            out = math_ops.matmul(x, weights)
        if normalizer_fn is not None:
            out = normalizer_fn(out, **(normalizer_params or {}))
        elif biases_initializer is not None:
            biases = vs.get_variable("biases", [num_outputs], dtype=x.dtype, initializer=biases_initializer,
                                     regularizer=biases_regularizer, trainable=trainable,
                                     collections=_collections(variables_collections))
            out = nn_ops.bias_add(out, biases)
        if activation_fn is not None:
            out = activation_fn(out)
        for c in ([outputs_collections] if isinstance(outputs_collections, str) else outputs_collections or []):
            _graph.add_to_collection(c, out)
        return out


def _collections(extra):
    if extra is None:
        return None
    extra = [extra] if isinstance(extra, str) else list(extra)
    return [_graph.GraphKeys.GLOBAL_VARIABLES] + extra
