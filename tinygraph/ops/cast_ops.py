"""Casts: tf.cast, to_float, to_double, to_int32, to_int64."""
from ..framework import dtypes, graph as _graph
from ..framework.graph import Tensor, op_output
from ..framework.indexed_slices import IndexedSlices
from ..framework.registry import register_gradient, register_op
from .math_helpers import _scope

__all__ = ["cast", "to_float", "to_double", "to_int32", "to_int64"]


# -- casts ---------------------------------------------------------------------------------------
def _cast_infer(attrs, x):
    if dtypes.string in (x.dtype, attrs["DstT"]):
        raise TypeError("Cast %s to %s is not supported" % (x.dtype.name, attrs["DstT"].name))
    return [(attrs["DstT"], x.shape)]


@register_op("Cast", infer=_cast_infer)
def _cast_kernel(xp, attrs, x):
    return x.astype(attrs["DstT"].as_numpy_dtype)  # floats truncate toward zero, as C casts


@register_gradient("Cast")
def _cast_grad(op, grad):
    x = op.inputs[0]
    if x.dtype.is_floating and op.outputs[0].dtype.is_floating:
        return [cast(grad, x.dtype)]
    return [None]


def cast(x, dtype, name=None):
    """Casts `x` to `dtype` (tf.cast).

    Floats become integers by truncation toward zero; bools become 0/1; nonzero
    numbers become True. Returns `x` itself when it already has `dtype`.

    Args:
      x: a Tensor or IndexedSlices (or a value convertible to a Tensor).
      dtype: the destination DType.
      name: a name for the op (default "Cast").

    Raises:
      TypeError: a string cast was requested.
    """
    dtype = dtypes.as_dtype(dtype)
    if isinstance(x, Tensor) and x.dtype == dtype:
        return x
    if isinstance(x, IndexedSlices):
        return IndexedSlices(cast(x.values, dtype, name), x.indices, x.dense_shape)
    with _scope(name, "Cast") as scope:
        x = _graph.convert_to_tensor(x, name="x")
        if x.dtype == dtype:
            return x
        return op_output("Cast", [x], {"DstT": dtype}, name=scope)


def to_float(x, name="ToFloat"):
    """Casts to float32 (tf.to_float, deprecated in TF in favour of tf.cast)."""
    return cast(x, dtypes.float32, name=name)


def to_double(x, name="ToDouble"):
    """Casts to float64 (tf.to_double)."""
    return cast(x, dtypes.float64, name=name)


def to_int32(x, name="ToInt32"):
    """Casts to int32 (tf.to_int32); floats truncate toward zero."""
    return cast(x, dtypes.int32, name=name)


def to_int64(x, name="ToInt64"):
    """Casts to int64 (tf.to_int64); floats truncate toward zero."""
    return cast(x, dtypes.int64, name=name)
