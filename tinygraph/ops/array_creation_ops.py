"""Array creation: tf.zeros_like, tf.ones_like, tf.range, tf.lin_space.

tf.fill, tf.zeros and tf.ones are in fill_ops.py (Fill's gradient needs reduce_sum, which
itself builds on these ops).
"""
from ..backend import hostnp as np
from ..framework import dtypes, graph as _graph
from ..framework.graph import op_output
from ..framework.registry import NotDifferentiable, register_op
from ..framework.tensor_shape import TensorShape
from .array_helpers import _shape_error
from .cast_ops import cast
from .math_helpers import binary_inputs
from .shape_utils import constant_value

__all__ = ["zeros_like", "ones_like", "range", "linspace", "lin_space"]


# -- constants and fills -------------------------------------------------------------------------
def _like_infer(attrs, x):
    return [(attrs.get("dtype") or x.dtype, x.shape)]


@register_op("ZerosLike", infer=_like_infer)
def _zeros_like_kernel(xp, attrs, x):
    dt = attrs.get("dtype")
    return xp.zeros(x.shape, dtype=dt.as_numpy_dtype if dt else x.dtype)


@register_op("OnesLike", infer=_like_infer)
def _ones_like_kernel(xp, attrs, x):
    dt = attrs.get("dtype")
    return xp.ones(x.shape, dtype=dt.as_numpy_dtype if dt else x.dtype)


NotDifferentiable("ZerosLike")
NotDifferentiable("OnesLike")


def zeros_like(tensor, dtype=None, name=None, optimize=True):
    """Zeros with the shape (and, unless `dtype` is given, the dtype) of `tensor` (tf.zeros_like).

    Args:
      tensor: a Tensor or value.
      dtype: the output dtype (default: that of `tensor`).
      name: the op name (default "zeros_like").
      optimize: unused; kept for TF's signature.

    Returns:
      A Tensor.
    """
    x = _graph.convert_to_tensor(tensor)
    return op_output("ZerosLike", [x], {"dtype": dtypes.as_dtype(dtype) if dtype else None},
                     name=name or "zeros_like")


def ones_like(tensor, dtype=None, name=None, optimize=True):
    """Ones with the shape (and, unless `dtype` is given, the dtype) of `tensor` (tf.ones_like)."""
    x = _graph.convert_to_tensor(tensor)
    return op_output("OnesLike", [x], {"dtype": dtypes.as_dtype(dtype) if dtype else None},
                     name=name or "ones_like")


def _range_size(start, limit, delta, integral):
    """The number of elements of range(start, limit, delta), with TF's checks.

    Raises:
      ValueError: delta is 0, or delta points away from limit.
    """
    if delta == 0:
        raise ValueError("Requires delta != 0: %s" % delta)
    if delta > 0 and start > limit:
        raise ValueError("Requires start <= limit when delta > 0: %s/%s" % (start, limit))
    if delta < 0 and start < limit:
        raise ValueError("Requires start >= limit when delta < 0: %s/%s" % (start, limit))
    if integral:
        return (abs(limit - start) + abs(delta) - 1) // abs(delta)
    return int(np.ceil(abs((limit - start) / delta)))


def _range_infer(attrs, start, limit, delta):
    for t in (start, limit, delta):
        if t.shape.ndims not in (None, 0):
            raise _shape_error("Shape must be rank 0 but is rank %d" % t.shape.ndims, "Range",
                               start, limit, delta)
    vals = [constant_value(t) for t in (start, limit, delta)]
    n = None
    if all(v is not None for v in vals):
        try:
            n = _range_size(*[np.asarray(v).item() for v in vals], integral=attrs["Tidx"].is_integer)
        except ValueError as e:
            raise _shape_error(str(e), "Range", start, limit, delta) from None
    return [(attrs["Tidx"], TensorShape([n]))]


@register_op("Range", infer=_range_infer)
def _range_kernel(xp, attrs, start, limit, delta):
    dt = attrs["Tidx"]
    # The bounds decide the output size, so they are read on the host like a shape.
    conv = int if dt.is_integer else float
    s, l, d = conv(start), conv(limit), conv(delta)
    n = _range_size(s, l, d, dt.is_integer)
    return (s + xp.arange(n, dtype=dt.as_numpy_dtype) * d).astype(dt.as_numpy_dtype)


NotDifferentiable("Range")

_RANGE_DTYPES = [dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64]


def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001 - TF's name
    """A 1-D tensor [start, start+delta, ...] up to but excluding `limit` (tf.range).

    `tf.range(n)` counts from 0 to n-1.

    Args:
      start: first value (or the limit when `limit` is None).
      limit: the exclusive upper (lower, for negative delta) bound.
      delta: the step (default 1).
      dtype: the output dtype; by default the widest of the arguments' dtypes
        (int32 < int64 < float32 < float64).
      name: the op name (default "range").

    Returns:
      A 1-D Tensor.

    Raises:
      ValueError: delta is 0 or points away from limit (when known at build time).
    """
    if limit is None:
        start, limit = 0, start
    dtype = None if dtype is None else dtypes.as_dtype(dtype)
    with _graph.name_scope(name, "Range") as scope:
        args = []
        for value, arg in ((start, "start"), (limit, "limit"), (delta, "delta")):
            if _graph.is_tensor_like(value):
                t = _graph.convert_to_tensor(value)
                if dtype is not None and t.dtype != dtype:
                    t = cast(t, dtype)
            else:
                t = _graph.convert_to_tensor(value, dtype=dtype, name=arg)
            args.append(t)
        if dtype is None:
            dtype = max((t.dtype for t in args), key=_RANGE_DTYPES.index)
            args = [cast(t, dtype) for t in args]
        return op_output("Range", args, {"Tidx": dtype}, name=scope)


def _linspace_infer(attrs, start, stop, num):
    n = constant_value(num)
    if n is not None and int(n) <= 0:
        raise _shape_error("Requires num > 0: %d" % int(n), "LinSpace", start, stop, num)
    return [(start.dtype, TensorShape([None if n is None else int(n)]))]


@register_op("LinSpace", infer=_linspace_infer)
def _linspace_kernel(xp, attrs, start, stop, num):
    n = int(num)
    if n <= 0:
        raise ValueError("Requires num > 0: %d" % n)
    if n == 1:
        return xp.reshape(start, (1,))
    step = (stop - start) / (n - 1)  # TF's formula: the last value is start + (n-1)*step
    return (start + xp.arange(n, dtype=start.dtype) * step).astype(start.dtype)


NotDifferentiable("LinSpace")


def lin_space(start, stop, num, name=None):
    """`num` evenly spaced values from `start` to `stop` inclusive (tf.lin_space, tf.linspace).

    Args:
      start: a float scalar: the first value.
      stop: a scalar of the same dtype: the last value.
      num: an int scalar > 0: the number of values.
      name: the op name (default "LinSpace").

    Returns:
      A 1-D Tensor of the dtype of `start`.

    Raises:
      ValueError: `num` is known and not positive.
      TypeError: `start` and `stop` have different dtypes.
    """
    s, e = binary_inputs(start, stop, "LinSpace")
    if not s.dtype.is_floating:
        raise TypeError("Value passed to parameter 'start' has DataType %s not in list of allowed "
                        "values: float32, float64" % s.dtype.name)
    n = _graph.convert_to_tensor(num)
    return op_output("LinSpace", [s, e, n], name=name)


linspace = lin_space
