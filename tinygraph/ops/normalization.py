"""Batch normalization as TF 1.x computes it, built from other ops (so it is differentiable
to any order): `tf.nn.batch_normalization`, `tf.nn.fused_batch_norm`, and the moving
averages that the batch-norm layers keep (`assign_moving_average`).

The two differ in one number: the batch variance that fused_batch_norm returns (and
the layers then average into `moving_variance`) is Bessel-corrected, n / (n - 1) times
the variance it normalizes with, as TF's FusedBatchNorm kernel does.
"""
from ..framework import dtypes
from ..framework import graph as _graph
from . import array_ops, math_ops
from .shape_utils import constant_value
from .variables import assign_sub

__all__ = ["batch_normalization", "fused_batch_norm", "assign_moving_average", "constant_bool"]


def constant_bool(pred):
    """`pred` as a Python bool when known while building the graph, else None."""
    if isinstance(pred, bool):
        return pred
    if _graph.is_tensor_like(pred):
        known = constant_value(_graph.convert_to_tensor(pred))
        return None if known is None else bool(known)
    return bool(pred)


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """(x - mean) * scale / sqrt(variance + epsilon) + offset (tf.nn.batch_normalization).

    Computed as TF does: inv = rsqrt(variance + epsilon) * scale; x * inv + (offset - mean * inv).

    Args:
      x: the input tensor.
      mean, variance: tensors broadcastable against x.
      offset: the beta tensor, or None.
      scale: the gamma tensor, or None.
      variance_epsilon: a small float added to the variance.
      name: the name scope (default "batchnorm").
    """
    with _graph.name_scope(name, "batchnorm", [x, mean, variance, scale, offset]):
        x = _graph.convert_to_tensor(x)
        mean = _graph.convert_to_tensor(mean)
        inv = math_ops.rsqrt(_graph.convert_to_tensor(variance) + variance_epsilon)
        if scale is not None:
            inv = inv * scale
        shift = offset - mean * inv if offset is not None else -mean * inv
        return x * math_ops.cast(inv, x.dtype) + math_ops.cast(shift, x.dtype)


def fused_batch_norm(x, scale, offset, mean=None, variance=None, epsilon=0.001,
                     data_format="NHWC", is_training=True, name=None):
    """Batch normalization of a 4-D tensor (tf.nn.fused_batch_norm).

    Args:
      x: a 4-D float tensor.
      scale, offset: 1-D tensors [channels] (gamma, beta).
      mean, variance: with is_training=False, the statistics to normalize with.
      epsilon: added to the variance; at least 1.001e-5, as TF enforces.
      data_format: "NHWC" or "NCHW".
      is_training: normalize with the batch statistics (True) or with mean/variance.
      name: the name scope (default "FusedBatchNorm").

    Returns:
      (y, batch_mean, batch_variance): in training, the batch mean and the Bessel-corrected
      batch variance (for the moving averages); otherwise `mean` and `variance`.

    Raises:
      ValueError: x is not 4-D, a bad data_format, or missing mean/variance in inference.
    """
    with _graph.name_scope(name, "FusedBatchNorm", [x, scale, offset]):
        x = _graph.convert_to_tensor(x, name="x")
        if x.shape.ndims is not None and x.shape.ndims != 4:
            raise ValueError("Shape must be rank 4 but is rank %d for 'FusedBatchNorm' (input "
                             "shape %s)" % (x.shape.ndims, x.shape))
        if data_format not in ("NHWC", "NCHW"):
            raise ValueError("data_format must be NHWC or NCHW, got %r" % (data_format,))
        epsilon = max(float(epsilon), 1.001e-5)
        axes = [0, 1, 2] if data_format == "NHWC" else [0, 2, 3]
        xf = math_ops.cast(x, dtypes.float32) if x.dtype == dtypes.float16 else x

        def bcast(v):
            v = _graph.convert_to_tensor(v)
            return v if data_format == "NHWC" else array_ops.reshape(v, [1, -1, 1, 1])
        if is_training:
            batch_mean = math_ops.reduce_mean(xf, axes, name="mean")
            # no stop_gradient (unlike tf.nn.moments): second derivatives stay exact, as
            # TF's FusedBatchNormGradGrad
            centered = xf - bcast(batch_mean)
            batch_var = math_ops.reduce_mean(math_ops.square(centered), axes, name="variance")
            n = math_ops.cast(math_ops.reduce_prod(array_ops.gather(array_ops.shape(xf), axes)),
                              xf.dtype)
            # FusedBatchNorm's Bessel correction, n / max(n - 1, 1)
            corrected = batch_var * (n / math_ops.maximum(n - 1.0, 1.0))
            use_mean, use_var = batch_mean, batch_var
        else:
            if mean is None or variance is None:
                raise ValueError("fused_batch_norm needs mean and variance when not training")
            use_mean = batch_mean = _graph.convert_to_tensor(mean)
            use_var = corrected = _graph.convert_to_tensor(variance)
        y = batch_normalization(xf, bcast(use_mean), bcast(use_var), bcast(offset), bcast(scale),
                                epsilon)
        if x.dtype == dtypes.float16:
            y = math_ops.cast(y, dtypes.float16)
        y.set_shape(x.shape)
        return y, batch_mean, corrected


def assign_moving_average(variable, value, decay, zero_debias=False, name=None):
    """variable -= (variable - value) * (1 - decay), as one AssignSub named "AssignMovingAvg".

    Args:
      variable: the Variable holding the average.
      value: the new observation (a tensor of the variable's shape).
      decay: a float or scalar tensor.
      zero_debias: must be False (zero-debiased averages are not supported).
      name: the name scope (default "AssignMovingAvg").

    Raises:
      NotImplementedError: zero_debias=True.
    """
    if zero_debias:
        raise NotImplementedError("assign_moving_average(zero_debias=True) is not supported")
    with _graph.name_scope(name, "AssignMovingAvg", [variable, value, decay]) as scope:
        base = variable.dtype.base_dtype
        decay = _graph.convert_to_tensor(1.0 - decay if not _graph.is_tensor_like(decay)
                                         else 1.0 - _graph.convert_to_tensor(decay), name="decay")
        if decay.dtype != base:
            decay = math_ops.cast(decay, base)
        update_delta = (variable - math_ops.cast(value, base)) * decay
        return assign_sub(variable, update_delta, name=scope)
