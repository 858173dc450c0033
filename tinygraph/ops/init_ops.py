"""Initializers: objects that build the initial value of a variable of a given shape.

    init = tf.glorot_uniform_initializer(seed=1)
    w = tf.get_variable("w", [784, 100], initializer=init)   # calls init([784, 100], dtype=...)

As in TF 1.x, `tf.zeros_initializer` & co. are classes (`tf.zeros_initializer()` is
an instance), and calling an instance returns a Tensor: the variable's initial value.
"""
import math

from ..backend import hostnp as np
from ..framework import dtypes
from ..framework import graph as _graph
from ..framework.registry import NotDifferentiable, register_op
from ..framework.tensor_shape import TensorShape
from . import random_ops
from .array_ops import ones, reshape, zeros
from .binary_ops import multiply
from .constant_op import constant

__all__ = ["zeros_initializer", "ones_initializer", "constant_initializer",
           "random_normal_initializer", "random_uniform_initializer",
           "truncated_normal_initializer", "uniform_unit_scaling_initializer",
           "variance_scaling_initializer", "glorot_uniform_initializer",
           "glorot_normal_initializer", "orthogonal_initializer"]


def _as_list(shape):
    if isinstance(shape, TensorShape):
        return shape.as_list()
    return [int(d) for d in shape]


def _assert_float_dtype(dtype):
    dtype = dtypes.as_dtype(dtype)
    if not dtype.is_floating:
        raise ValueError("Expected floating point type, got %s." % dtype)
    return dtype


class Initializer:
    """Base class of initializers: `init(shape, dtype=None, partition_info=None)` -> Tensor."""

    def __call__(self, shape, dtype=None, partition_info=None):
        """Returns a Tensor of `shape` holding the initial value.

        Args:
          shape: a list/tuple of ints or a fully defined TensorShape.
          dtype: the element type (default: the initializer's own dtype).
          partition_info: unused (kept for TF's signature).
        """
        raise NotImplementedError

    def get_config(self):
        """The constructor arguments, as a dict."""
        return {}

    @classmethod
    def from_config(cls, config):
        """Builds an initializer from `get_config()`'s dict."""
        return cls(**config)


class Zeros(Initializer):
    """Initializer that generates tensors of zeros (tf.zeros_initializer)."""

    def __init__(self, dtype=dtypes.float32):
        self.dtype = dtypes.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        return zeros(_as_list(shape), dtype or self.dtype)

    def get_config(self):
        return {"dtype": self.dtype.name}


class Ones(Initializer):
    """Initializer that generates tensors of ones (tf.ones_initializer)."""

    def __init__(self, dtype=dtypes.float32):
        self.dtype = dtypes.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        return ones(_as_list(shape), dtype or self.dtype)

    def get_config(self):
        return {"dtype": self.dtype.name}


class Constant(Initializer):
    """Initializer that generates a constant (tf.constant_initializer).

    Args:
      value: a Python scalar, a list/tuple or a numpy array. A scalar fills the
        tensor; a list with fewer elements than the shape is padded with its last
        element (TF 1.x), unless `verify_shape` asks for an exact shape.
      dtype: the default element type.
      verify_shape: if True, `value` must have exactly the requested shape.

    Raises:
      TypeError: `value` has an invalid type; or (when called) its shape differs while
        verify_shape is True.
      ValueError: (when called) `value` has more elements than the shape.
    """

    def __init__(self, value=0, dtype=dtypes.float32, verify_shape=False):
        if not (np.isscalar(value) or isinstance(value, (list, tuple, np.ndarray))):
            raise TypeError("Invalid type for initial value: %s (expected Python scalar, list or "
                            "tuple of values, or numpy.ndarray)." % type(value))
        self.value = value
        self.dtype = dtypes.as_dtype(dtype)
        self._verify_shape = verify_shape

    def __call__(self, shape, dtype=None, partition_info=None, verify_shape=None):
        dtype = dtypes.as_dtype(dtype or self.dtype)
        verify = self._verify_shape if verify_shape is None else verify_shape
        shape = _as_list(shape)
        value = np.asarray(self.value)
        size = int(np.prod(shape))
        if not verify and 1 < value.size < size:
            flat = value.reshape(-1)  # TF 1.x pads with the last element
            value = np.concatenate([flat, np.repeat(flat[-1:], size - flat.size)])
        return constant(value, dtype=dtype, shape=shape, verify_shape=verify)

    def get_config(self):
        return {"value": self.value, "dtype": self.dtype.name, "verify_shape": self._verify_shape}


class RandomNormal(Initializer):
    """Initializer drawing from a normal distribution (tf.random_normal_initializer)."""

    def __init__(self, mean=0.0, stddev=1.0, seed=None, dtype=dtypes.float32):
        self.mean, self.stddev, self.seed = mean, stddev, seed
        self.dtype = _assert_float_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        return random_ops.random_normal(_as_list(shape), self.mean, self.stddev,
                                        dtype or self.dtype, seed=self.seed)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed, "dtype": self.dtype.name}


class RandomUniform(Initializer):
    """Initializer drawing uniformly from [minval, maxval) (tf.random_uniform_initializer).

    `maxval` defaults to 1 for floats and is required for integer dtypes.
    """

    def __init__(self, minval=0, maxval=None, seed=None, dtype=dtypes.float32):
        self.minval, self.maxval, self.seed = minval, maxval, seed
        self.dtype = dtypes.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        return random_ops.random_uniform(_as_list(shape), self.minval, self.maxval,
                                         dtype or self.dtype, seed=self.seed)

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed,
                "dtype": self.dtype.name}


class TruncatedNormal(Initializer):
    """Normal values re-drawn beyond 2 stddev (tf.truncated_normal_initializer)."""

    def __init__(self, mean=0.0, stddev=1.0, seed=None, dtype=dtypes.float32):
        self.mean, self.stddev, self.seed = mean, stddev, seed
        self.dtype = _assert_float_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        return random_ops.truncated_normal(_as_list(shape), self.mean, self.stddev,
                                           dtype or self.dtype, seed=self.seed)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed, "dtype": self.dtype.name}


class UniformUnitScaling(Initializer):
    """Uniform in +-sqrt(3 / input_size) * factor (deprecated tf.uniform_unit_scaling_initializer)."""

    def __init__(self, factor=1.0, seed=None, dtype=dtypes.float32):
        self.factor, self.seed = factor, seed
        self.dtype = _assert_float_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        shape = _as_list(shape)
        input_size = max(float(np.prod(shape[:-1])), 1.0)
        limit = math.sqrt(3.0 / input_size) * self.factor
        return random_ops.random_uniform(shape, -limit, limit, dtype or self.dtype, seed=self.seed)

    def get_config(self):
        return {"factor": self.factor, "seed": self.seed, "dtype": self.dtype.name}


def _compute_fans(shape):
    """(fan_in, fan_out) of a weight shape; conv kernels multiply by the receptive field."""
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = int(np.prod(shape[:-2]))
    return shape[-2] * receptive, shape[-1] * receptive


# The std of a unit normal truncated to [-2, 2]: dividing by it keeps the variance at `scale`.
_TRUNCATED_STD = .87962566103423978


class VarianceScaling(Initializer):
    """Initializer whose variance adapts to the shape (tf.variance_scaling_initializer).

    With n = fan_in, fan_out or their mean (`mode`), values have variance scale / n:
    "truncated_normal" (alias "normal") draws a truncated normal with
    stddev = sqrt(scale / n) / 0.8796..., "untruncated_normal" a normal with
    stddev sqrt(scale / n), and "uniform" draws from +-sqrt(3 * scale / n).

    Raises:
      ValueError: scale <= 0, or an unknown mode or distribution.
    """

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None,
                 dtype=dtypes.float32):
        if scale <= 0.:
            raise ValueError("`scale` must be positive float.")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError("Invalid `mode` argument: %s" % (mode,))
        distribution = distribution.lower()
        if distribution not in ("normal", "uniform", "truncated_normal", "untruncated_normal"):
            raise ValueError("Invalid `distribution` argument: %s" % (distribution,))
        self.scale, self.mode, self.distribution, self.seed = scale, mode, distribution, seed
        self.dtype = _assert_float_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        shape = _as_list(shape)
        dtype = dtype or self.dtype
        fan_in, fan_out = _compute_fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.}[self.mode]
        scale = self.scale / max(1., n)
        if self.distribution in ("normal", "truncated_normal"):
            stddev = math.sqrt(scale) / _TRUNCATED_STD
            return random_ops.truncated_normal(shape, 0.0, stddev, dtype, seed=self.seed)
        if self.distribution == "untruncated_normal":
            return random_ops.random_normal(shape, 0.0, math.sqrt(scale), dtype, seed=self.seed)
        limit = math.sqrt(3.0 * scale)
        return random_ops.random_uniform(shape, -limit, limit, dtype, seed=self.seed)

    def get_config(self):
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                "seed": self.seed, "dtype": self.dtype.name}


class GlorotUniform(VarianceScaling):
    """Uniform in +-sqrt(6 / (fan_in + fan_out)) (tf.glorot_uniform_initializer)."""

    def __init__(self, seed=None, dtype=dtypes.float32):
        super().__init__(1.0, "fan_avg", "uniform", seed, dtype)

    def get_config(self):
        return {"seed": self.seed, "dtype": self.dtype.name}


class GlorotNormal(VarianceScaling):
    """Truncated normal with stddev sqrt(2 / (fan_in + fan_out)) (tf.glorot_normal_initializer)."""

    def __init__(self, seed=None, dtype=dtypes.float32):
        super().__init__(1.0, "fan_avg", "truncated_normal", seed, dtype)

    def get_config(self):
        return {"seed": self.seed, "dtype": self.dtype.name}


# -- orthogonal ------------------------------------------------------------------------------
@register_op("OrthogonalQ", infer=lambda attrs, a: [(a.dtype, TensorShape(
    None if a.shape.dims is None else (a.shape.dims[::-1] if attrs["transpose"] else a.shape.dims)))])
def _orthogonal_q_kernel(xp, attrs, a):
    # Q of a = QR with R's diagonal made positive: an orthogonal matrix drawn uniformly.
    q, r = xp.linalg.qr(a)
    q = q * xp.sign(xp.diagonal(r))
    return q.T if attrs["transpose"] else q


NotDifferentiable("OrthogonalQ")


class Orthogonal(Initializer):
    """A (semi-)orthogonal matrix times `gain` (tf.orthogonal_initializer).

    Shapes of rank > 2 are flattened to [prod(shape[:-1]), shape[-1]] first.

    Raises:
      ValueError: (when called) the shape has rank < 2.
    """

    def __init__(self, gain=1.0, seed=None, dtype=dtypes.float32):
        self.gain, self.seed = gain, seed
        self.dtype = _assert_float_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        shape = _as_list(shape)
        dtype = dtype or self.dtype
        if len(shape) < 2:
            raise ValueError("The tensor to initialize must be at least two-dimensional")
        rows, cols = int(np.prod(shape[:-1])), int(shape[-1])
        flat = (max(rows, cols), min(rows, cols))
        a = random_ops.random_normal(flat, dtype=dtype, seed=self.seed)
        q = _graph.get_default_graph().create_op("OrthogonalQ", [a], {"transpose": rows < cols},
                                                 "OrthogonalQ").outputs[0]
        return multiply(reshape(q, shape), self.gain)

    def get_config(self):
        return {"gain": self.gain, "seed": self.seed, "dtype": self.dtype.name}


class Identity(Initializer):
    """The identity matrix times `gain`; 2-D shapes only (tf.initializers.identity)."""

    def __init__(self, gain=1.0, dtype=dtypes.float32):
        self.gain = gain
        self.dtype = _assert_float_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        shape = _as_list(shape)
        if len(shape) != 2:
            raise ValueError("Identity matrix initializer can only be used for 2D matrices.")
        return constant(np.eye(*shape) * self.gain, dtype=dtype or self.dtype)

    def get_config(self):
        return {"gain": self.gain, "dtype": self.dtype.name}


# TF 1.x names: these are the classes; `tf.zeros_initializer()` makes an instance.
zeros_initializer = Zeros
ones_initializer = Ones
constant_initializer = Constant
random_normal_initializer = RandomNormal
random_uniform_initializer = RandomUniform
truncated_normal_initializer = TruncatedNormal
uniform_unit_scaling_initializer = UniformUnitScaling
variance_scaling_initializer = VarianceScaling
glorot_uniform_initializer = GlorotUniform
glorot_normal_initializer = GlorotNormal
orthogonal_initializer = Orthogonal
identity_initializer = Identity


def he_normal(seed=None):
    """VarianceScaling(2.0, "fan_in", "truncated_normal")."""
    return VarianceScaling(2.0, "fan_in", "truncated_normal", seed)


def he_uniform(seed=None):
    """VarianceScaling(2.0, "fan_in", "uniform")."""
    return VarianceScaling(2.0, "fan_in", "uniform", seed)


def lecun_normal(seed=None):
    """VarianceScaling(1.0, "fan_in", "truncated_normal")."""
    return VarianceScaling(1.0, "fan_in", "truncated_normal", seed)


def lecun_uniform(seed=None):
    """VarianceScaling(1.0, "fan_in", "uniform")."""
    return VarianceScaling(1.0, "fan_in", "uniform", seed)
