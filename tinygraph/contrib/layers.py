"""tf.contrib.layers: the pieces of TF 1.x contrib the book's first edition uses
(`fully_connected`, `batch_norm`, `dropout`, `arg_scope`, He/Xavier initializers, l1/l2
regularizers, `flatten`)."""
import math
import numbers

from ..framework import dtypes
from ..framework.tensor_shape import TensorShape
from ..framework import graph as _graph
from ..ops import array_ops, init_ops, math_ops, nn_ops
from ..ops import variable_scope as vs
from .. import layers as _core_layers
from ..ops import constant_op, control_flow_ops, normalization
from .framework import add_arg_scope, arg_scope  # noqa: F401 - tf.contrib.layers.arg_scope

__all__ = ["fully_connected", "variance_scaling_initializer", "xavier_initializer",
           "xavier_initializer_conv2d", "l1_regularizer", "l2_regularizer", "flatten",
           "batch_norm", "dropout", "arg_scope", "add_arg_scope"]


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


@add_arg_scope
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


@add_arg_scope
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


# -- batch_norm and dropout (the `train` engineer's section) ------------------------------------
def _model_variable(name, shape, dtype, initializer, collections, trainable, regularizer=None):
    """A variable also put in MODEL_VARIABLES (contrib's model_variable)."""
    collections = list(collections or []) + [_graph.GraphKeys.GLOBAL_VARIABLES,
                                             _graph.GraphKeys.MODEL_VARIABLES]
    return vs.get_variable(name, shape, dtype=dtype, initializer=initializer,
                           regularizer=regularizer, trainable=trainable, collections=collections)


def _variable_collections(variables_collections, name):
    if isinstance(variables_collections, dict):
        return variables_collections.get(name)
    return variables_collections


@add_arg_scope
def batch_norm(inputs, decay=0.999, center=True, scale=False, epsilon=0.001, activation_fn=None,
               param_initializers=None, param_regularizers=None,
               updates_collections=_graph.GraphKeys.UPDATE_OPS, is_training=True, reuse=None,
               variables_collections=None, outputs_collections=None, trainable=True,
               batch_weights=None, fused=None, data_format="NHWC", zero_debias_moving_mean=False,
               scope=None, renorm=False, renorm_clipping=None, renorm_decay=0.99,
               adjustment=None):
    """Batch normalization (tf.contrib.layers.batch_norm), as TF 1.x's contrib computes it.

    Variables in scope "BatchNorm" (then "BatchNorm_1", ...): beta (center), gamma (scale;
    off by default), moving_mean and moving_variance, all in MODEL_VARIABLES too. In
    training the output uses the batch statistics; the moving ones follow
        moving -= (moving - batch) * (1 - decay)
    through update ops put in `updates_collections`, or, with updates_collections=None,
    run before the output is returned. Rank-2 and rank-4 inputs take TF's fused path (the
    moving variance then averages the Bessel-corrected batch variance, n / (n - 1) times
    the one normalized with); other ranks use the biased variance, as in TF.

    Args:
      inputs: a tensor [batch, ..., channels] (NHWC) or [batch, channels, ...] (NCHW).
      decay: of the moving averages (0.999).
      center, scale: add beta / multiply by gamma.
      epsilon: added to the variance.
      activation_fn: applied to the output, or None.
      param_initializers, param_regularizers: dicts keyed by "beta", "gamma",
        "moving_mean", "moving_variance".
      updates_collections: where the update ops go; None runs them in place.
      is_training: a Python bool or a bool tensor.
      reuse, scope: variable scope reuse and name.
      variables_collections: extra collections (a list, or a dict by variable name).
      outputs_collections: collections the output is added to.
      trainable: add beta and gamma to TRAINABLE_VARIABLES.
      fused: None/True (the fused path for rank 2 and 4) or False.
      data_format: "NHWC" or "NCHW".

    Returns:
      The normalized tensor.

    Raises:
      ValueError: unknown rank or channel dimension, or a bad data_format.
      NotImplementedError: batch_weights, renorm, adjustment or zero_debias_moving_mean.
    """
    if batch_weights is not None or renorm or adjustment is not None or zero_debias_moving_mean:
        raise NotImplementedError("batch_norm with batch_weights, renorm, adjustment or "
                                  "zero_debias_moving_mean is not supported")
    if data_format not in ("NHWC", "NCHW"):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    x = _graph.convert_to_tensor(inputs)
    rank = x.shape.ndims
    if rank is None:
        raise ValueError("Inputs %s has undefined rank." % x.name)
    use_fused = fused is not False and rank in (2, 4)
    with vs.variable_scope(scope, "BatchNorm", [x], reuse=reuse) as sc:
        channel_axis = 1 if data_format == "NCHW" else rank - 1
        channels = x.shape.dims[channel_axis] if rank > 1 else None
        if channels is None:
            if use_fused and rank == 2:
                raise ValueError("`C` dimension must be known but is None")
            raise ValueError("Inputs %s has undefined channels dimension %s."
                             % (x.name, TensorShape([channels])))
        params_shape = [channels]
        dtype = dtypes.float32 if x.dtype == dtypes.float16 else x.dtype
        inits = param_initializers or {}
        regs = param_regularizers or {}
        beta = gamma = None
        if center:
            beta = _model_variable("beta", params_shape, dtype,
                                   inits.get("beta", init_ops.zeros_initializer()),
                                   _variable_collections(variables_collections, "beta"), trainable,
                                   regs.get("beta"))
        if scale:
            gamma = _model_variable("gamma", params_shape, dtype,
                                    inits.get("gamma", init_ops.ones_initializer()),
                                    _variable_collections(variables_collections, "gamma"),
                                    trainable, regs.get("gamma"))
        moving_mean = _model_variable("moving_mean", params_shape, dtype,
                                      inits.get("moving_mean", init_ops.zeros_initializer()),
                                      _variable_collections(variables_collections, "moving_mean"),
                                      False)
        moving_variance = _model_variable(
            "moving_variance", params_shape, dtype,
            inits.get("moving_variance", init_ops.ones_initializer()),
            _variable_collections(variables_collections, "moving_variance"), False)
        if use_fused:
            outputs, mean, variance = _fused_moments_and_output(
                x, beta, gamma, moving_mean, moving_variance, params_shape, dtype, epsilon,
                data_format, is_training)
        else:
            outputs, mean, variance = _moments_and_output(
                x, beta, gamma, moving_mean, moving_variance, epsilon, channel_axis, is_training)
        training_value = normalization.constant_bool(is_training)
        if training_value is None or training_value:
            def updates():
                return (normalization.assign_moving_average(moving_mean, mean, decay),
                        normalization.assign_moving_average(moving_variance, variance, decay))
            if updates_collections is None:
                def forced():
                    with _graph.control_dependencies(list(updates())):
                        return control_flow_ops.identity(outputs)
                outputs = _core_layers.smart_cond(is_training, forced, lambda: outputs)
            else:
                update_mean, update_variance = _core_layers.smart_cond(
                    is_training, updates,
                    lambda: (_graph.convert_to_tensor(moving_mean),
                             _graph.convert_to_tensor(moving_variance)))
                _graph.add_to_collections(updates_collections, update_mean)
                _graph.add_to_collections(updates_collections, update_variance)
        outputs.set_shape(x.shape)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        for c in ([outputs_collections] if isinstance(outputs_collections, str)
                  else outputs_collections or []):
            _graph.add_to_collection(c, outputs)
        return outputs


def _fused_moments_and_output(x, beta, gamma, moving_mean, moving_variance, params_shape, dtype,
                              epsilon, data_format, is_training):
    """contrib's _fused_batch_norm: rank 2 goes through [-1, 1, 1, C] (or [-1, C, 1, 1])."""
    x4 = x
    if x.shape.ndims == 2:
        c = params_shape[0]
        x4 = array_ops.reshape(x, [-1, 1, 1, c] if data_format == "NHWC" else [-1, c, 1, 1])
    g = _graph.convert_to_tensor(gamma) if gamma is not None else \
        constant_op.constant(1.0, dtype=dtype, shape=params_shape)
    b = _graph.convert_to_tensor(beta) if beta is not None else \
        constant_op.constant(0.0, dtype=dtype, shape=params_shape)

    def in_training():
        return normalization.fused_batch_norm(x4, g, b, epsilon=epsilon, data_format=data_format)

    def in_inference():
        return normalization.fused_batch_norm(x4, g, b, mean=moving_mean, variance=moving_variance,
                                              epsilon=epsilon, is_training=False,
                                              data_format=data_format)
    out, mean, variance = _core_layers.smart_cond(is_training, in_training, in_inference)
    if x.shape.ndims == 2:
        out = array_ops.reshape(out, array_ops.shape(x))
    return out, mean, variance


def _moments_and_output(x, beta, gamma, moving_mean, moving_variance, epsilon, channel_axis,
                        is_training):
    rank = x.shape.ndims
    axes = [i for i in range(rank) if i != channel_axis]
    training_value = normalization.constant_bool(is_training)

    def bcast(v):
        if v is None or channel_axis == rank - 1:
            return v
        shape = [1] * rank
        shape[channel_axis] = -1
        return array_ops.reshape(v, shape)
    if training_value is False:
        mean, variance = (_graph.convert_to_tensor(moving_mean),
                          _graph.convert_to_tensor(moving_variance))
    else:
        batch_mean, batch_variance = nn_ops.moments(x, axes)
        mean, variance = _core_layers.smart_cond(
            is_training, lambda: (batch_mean, batch_variance),
            lambda: (_graph.convert_to_tensor(moving_mean),
                     _graph.convert_to_tensor(moving_variance)))
    out = normalization.batch_normalization(
        x, bcast(mean), bcast(variance),
        bcast(_graph.convert_to_tensor(beta)) if beta is not None else None,
        bcast(_graph.convert_to_tensor(gamma)) if gamma is not None else None, epsilon)
    return out, mean, variance


@add_arg_scope
def dropout(inputs, keep_prob=0.5, noise_shape=None, is_training=True, outputs_collections=None,
            scope=None, seed=None):
    """Dropout keeping each unit with probability keep_prob (tf.contrib.layers.dropout).

    Kept units are scaled by 1 / keep_prob; with is_training False (a Python bool or a
    bool tensor) the inputs pass unchanged. The ops are in name scope "Dropout".
    """
    with vs.variable_scope(scope, "Dropout", [inputs], custom_getter=None):
        x = _graph.convert_to_tensor(inputs)
        out = _core_layers.dropout(x, rate=1 - keep_prob, noise_shape=noise_shape, seed=seed,
                                   training=is_training)
        for c in ([outputs_collections] if isinstance(outputs_collections, str)
                  else outputs_collections or []):
            _graph.add_to_collection(c, out)
        return out
