"""Array ops: constants and fills, shapes, reshaping, joining and splitting, padding,
indexing and slicing (`Tensor.__getitem__`), masks; with gradients.

Shape-like arguments (shapes, perms, paddings, begin/size) are small int tensors that
kernels read with int(); axes are static attributes. Each op's static shape inference
folds whatever it can know at build time, including partly known shape vectors such
as `[tf.shape(x)[0], -1]`.
"""
import builtins
import functools
import itertools

from ..backend import host_ints, hostnp as np
from ..framework import dtypes
from ..framework import graph as _graph
from ..framework.graph import Tensor
from ..framework.indexed_slices import IndexedSlices
from ..framework.registry import NotDifferentiable, register_gradient, register_op
from ..framework.tensor_shape import Dimension, TensorShape, as_shape
from . import math_ops
from .constant_op import constant
from .control_flow_ops import identity, stop_gradient  # noqa: F401 (Variable.read_value uses them from here)
from .shape_utils import constant_value

__all__ = ["fill", "zeros", "ones", "zeros_like", "ones_like", "range", "linspace", "lin_space",
           "shape", "shape_n", "size", "rank", "reshape", "transpose", "invert_permutation",
           "broadcast_to", "concat", "stack", "unstack", "split", "squeeze", "expand_dims", "tile",
           "pad", "gather", "gather_nd", "scatter_nd", "slice", "strided_slice", "reverse",
           "reverse_v2", "reverse_sequence", "one_hot", "where", "sequence_mask", "boolean_mask"]

# This module defines tf.range and tf.slice; keep the builtins at hand.
_pyrange = builtins.range
_pyslice = builtins.slice

_SLICE_TYPE_ERROR = ("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and "
                     "scalar tf.int32/tf.int64 tensors are valid indices")


# -- helpers --------------------------------------------------------------------------------
def _op(op_type, inputs, attrs=None, name=None):
    return _graph.get_default_graph().create_op(op_type, inputs, attrs or {}, name or op_type).outputs[0]


def _shape_error(msg, op_type, *inputs):
    """A ValueError worded like TF's shape-inference errors."""
    return ValueError("%s for '%s' (op: '%s') with input shapes: %s."
                      % (msg, op_type, op_type, ", ".join(_bracket(t.shape) for t in inputs)))


def _bracket(s):
    return "?" if s.dims is None else s.as_bracket_str()


_py_slice = slice  # this module defines tf.slice


def _outputs(arrays):
    """A multi-output kernel's result: a list, or the array itself when there is one output."""
    arrays = list(arrays)
    return arrays[0] if len(arrays) == 1 else arrays


def _ints(a):
    """The entries of a small host/device int array as Python ints (shape arguments only)."""
    return list(host_ints(a))  # one small copy, not one per entry


def _host_args(*positions):
    """A bind reading the shape-like inputs at `positions` once, on the host, when they are
    constants: the hot loop then skips the device-to-host copy of those small vectors."""
    def bind(op, ctx):
        kernel = functools.partial(op.op_def.kernel, ctx.xp, op.attrs)
        fixed = [(i, constant_value(op.inputs[i])) for i in positions]
        fixed = [(i, np.asarray(v)) for i, v in fixed if v is not None]
        if not fixed:
            return kernel

        def run(*arrays):
            arrays = list(arrays)
            for i, v in fixed:
                arrays[i] = v
            return kernel(*arrays)
        return run
    return bind


def _partial_value(t):
    """What is known of a scalar or vector int tensor at build time.

    Returns an int or None (scalars) or a list of ints and Nones (vectors), or None
    when nothing is known. Folds constants, shapes (also partly known ones), packs,
    concats and strided slices of those, so `tf.shape(x)[1]` is known when x's dim 1 is.
    """
    v = constant_value(t)
    if v is not None:
        v = np.asarray(v)
        return int(v) if v.ndim == 0 else [int(d) for d in v.reshape(-1)]
    op, nd = t.op, t.shape.ndims
    if op.type == "Shape" and op.inputs[0].shape.dims is not None:
        return list(op.inputs[0].shape.dims)
    if op.type == "Pack" and nd == 1:
        vals = [_partial_value(x) for x in op.inputs]
        return [v if isinstance(v, int) else None for v in vals]
    if op.type == "ConcatV2" and nd == 1:
        parts = [_partial_value(x) for x in op.inputs]
        if all(isinstance(p, list) for p in parts):
            return list(itertools.chain.from_iterable(parts))
    if op.type in ("Identity", "StopGradient", "Cast"):
        return _partial_value(op.inputs[0])
    if op.type == "StridedSlice" and op.inputs[0].shape.ndims == 1:
        src = _partial_value(op.inputs[0])
        spec = [constant_value(x) for x in op.inputs[1:]]
        if isinstance(src, list) and all(s is not None for s in spec):
            idx = _strided_index(*[[int(d) for d in np.asarray(s).reshape(-1)] for s in spec], op.attrs)
            if len(idx) == 1 and idx[0] is not None:
                try:
                    return src[idx[0]]
                except (IndexError, ValueError):
                    pass
    if nd == 1 and t.shape.dims[0] is not None:
        return [None] * t.shape.dims[0]
    return None


def _partial_shape(t):
    """A TensorShape from a 1-D shape tensor: unknown entries (and -1) become None."""
    v = _partial_value(t)
    if not isinstance(v, list):
        return TensorShape(None)
    return TensorShape([None if d is None or d < 0 else d for d in v])


def _static_axis(axis, arg_name="axis"):
    """`axis` (an int or a constant scalar tensor) as a Python int.

    Raises:
      TypeError: `axis` is a tensor whose value is not known at build time.
    """
    if _graph.is_tensor_like(axis):
        v = constant_value(_graph.convert_to_tensor(axis))
        if v is None:
            raise TypeError("%s must be a constant, got %s" % (arg_name, axis))
        return int(v)
    return int(axis)


def _norm_axis(axis, ndims, op_type, *inputs):
    """`axis` in [0, ndims) when ndims is known.

    Raises:
      ValueError: the axis is out of range.
    """
    if ndims is None:
        return axis
    if not -ndims <= axis < ndims:
        raise _shape_error("axis %d is out of range [%d, %d)" % (axis, -ndims, ndims), op_type, *inputs)
    return axis % ndims


def _merge(a, b, op_type, *inputs):
    """Merges two static shapes, raising TF's wording when they clash."""
    if a.dims is not None and b.dims is not None:
        if len(a.dims) != len(b.dims):
            raise _shape_error("Shapes must be equal rank, but are %d and %d" % (len(a.dims), len(b.dims)),
                               op_type, *inputs)
        for i, (x, y) in enumerate(zip(a.dims, b.dims)):
            if x is not None and y is not None and x != y:
                raise _shape_error("Dimension %d in both shapes must be equal, but are %d and %d. "
                                   "Shapes are %s and %s." % (i, x, y, _bracket(a), _bracket(b)),
                                   op_type, *inputs)
    return a.merge_with(b)


def _shape_tensor(shape_like):
    """A 1-D int32 tensor from a list/tuple/TensorShape (entries may be scalar tensors)."""
    if isinstance(shape_like, TensorShape):
        shape_like = shape_like.as_list()
    if _graph.is_tensor_like(shape_like):
        return _graph.convert_to_tensor(shape_like)
    if isinstance(shape_like, (list, tuple)) and any(_graph.is_tensor_like(d) for d in shape_like):
        return stack([_graph.convert_to_tensor(d, dtype=dtypes.int32) for d in shape_like])
    if isinstance(shape_like, (list, tuple)):
        shape_like = [int(d) for d in shape_like]  # Dimensions, numpy ints
    return constant(np.asarray(shape_like, dtype=np.int32).reshape(-1), dtype=dtypes.int32)


def _int_vector(value, dtype=dtypes.int32):
    """A list of ints or a tensor as an int tensor (for perms, begins, sizes...)."""
    if _graph.is_tensor_like(value):
        return _graph.convert_to_tensor(value)
    return _shape_tensor(value) if dtype == dtypes.int32 else constant(value, dtype=dtype)


# -- constants and fills ------------------------------------------------------------------------
def _fill_infer(attrs, dims, value):
    if dims.shape.ndims not in (None, 1):
        raise _shape_error("Shape must be rank 1 but is rank %d" % dims.shape.ndims, "Fill", dims, value)
    if value.shape.ndims not in (None, 0):
        raise _shape_error("Shape must be rank 0 but is rank %d" % value.shape.ndims, "Fill", dims, value)
    return [(value.dtype, _partial_shape(dims))]


@register_op("Fill", infer=_fill_infer, bind=_host_args(0))
def _fill_kernel(xp, attrs, dims, value):
    return xp.full(tuple(_ints(dims)), value, dtype=value.dtype)


@register_gradient("Fill")
def _fill_grad(op, grad):
    return [None, math_ops.reduce_sum(grad)]


def fill(dims, value, name=None):
    """Creates a tensor of shape `dims` filled with the scalar `value` (tf.fill).

    Args:
      dims: a 1-D int tensor or list: the output shape.
      value: a scalar: the fill value (its dtype is the output's).
      name: the op name (default "Fill").

    Returns:
      A Tensor of the dtype of `value`.

    Raises:
      ValueError: `dims` is not a vector or `value` not a scalar.
    """
    v = _graph.convert_to_tensor(value)
    return _op("Fill", [_shape_tensor(dims), v], name=name)


def _filled(shape_like, dtype, one, name, default_name):
    """zeros/ones: a Const when the shape is static and small (as TF does), else a Fill."""
    dtype = dtypes.as_dtype(dtype)
    if dtype == dtypes.string:
        value = np.array("" if not one else "1", dtype=object)
    else:
        value = np.array(one, dtype=dtype.as_numpy_dtype)
    with _graph.name_scope(name, default_name) as scope:
        static = not _graph.is_tensor_like(shape_like) and not (
            isinstance(shape_like, (list, tuple)) and any(_graph.is_tensor_like(d) for d in shape_like))
        if static:
            dims = as_shape(shape_like).as_list()
            if None in dims:
                raise ValueError("Cannot convert a partially known TensorShape %s to a Tensor."
                                 % as_shape(shape_like))
            if int(np.prod(dims)) < 1000:
                return constant(value, dtype=dtype, shape=dims, name=scope)
        return fill(shape_like, constant(value, dtype=dtype), name=scope)


def zeros(shape, dtype=dtypes.float32, name=None):  # noqa: F811 - TF's argument name
    """A tensor of zeros (tf.zeros).

    Args:
      shape: a list of ints, a TensorShape or a 1-D int tensor.
      dtype: the element type (default float32).
      name: the op name (default "zeros").

    Returns:
      A Tensor.
    """
    return _filled(shape, dtype, 0, name, "zeros")


def ones(shape, dtype=dtypes.float32, name=None):  # noqa: F811
    """A tensor of ones (tf.ones); arguments as for `zeros`."""
    return _filled(shape, dtype, 1, name, "ones")


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
    return _op("ZerosLike", [x], {"dtype": dtypes.as_dtype(dtype) if dtype else None},
               name=name or "zeros_like")


def ones_like(tensor, dtype=None, name=None, optimize=True):
    """Ones with the shape (and, unless `dtype` is given, the dtype) of `tensor` (tf.ones_like)."""
    x = _graph.convert_to_tensor(tensor)
    return _op("OnesLike", [x], {"dtype": dtypes.as_dtype(dtype) if dtype else None},
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
                    t = math_ops.cast(t, dtype)
            else:
                t = _graph.convert_to_tensor(value, dtype=dtype, name=arg)
            args.append(t)
        if dtype is None:
            dtype = max((t.dtype for t in args), key=_RANGE_DTYPES.index)
            args = [math_ops.cast(t, dtype) for t in args]
        return _op("Range", args, {"Tidx": dtype}, name=scope)


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
    s, e = math_ops.binary_inputs(start, stop, "LinSpace")
    if not s.dtype.is_floating:
        raise TypeError("Value passed to parameter 'start' has DataType %s not in list of allowed "
                        "values: float32, float64" % s.dtype.name)
    n = _graph.convert_to_tensor(num)
    return _op("LinSpace", [s, e, n], name=name)


linspace = lin_space


# -- shape, size, rank ------------------------------------------------------------------------
@register_op("Shape", infer=lambda attrs, x: [(attrs["out_type"], TensorShape([x.shape.ndims]))])
def _shape_kernel(xp, attrs, x):
    return xp.asarray(x.shape, dtype=attrs["out_type"].as_numpy_dtype)


@register_op("ShapeN", infer=lambda attrs, *xs: [(attrs["out_type"], TensorShape([x.shape.ndims]))
                                                 for x in xs])
def _shape_n_kernel(xp, attrs, *xs):
    return _outputs(xp.asarray(x.shape, dtype=attrs["out_type"].as_numpy_dtype) for x in xs)


@register_op("Size", infer=lambda attrs, x: [(attrs["out_type"], TensorShape([]))])
def _size_kernel(xp, attrs, x):
    return xp.asarray(x.size, dtype=attrs["out_type"].as_numpy_dtype)


@register_op("Rank", infer=lambda attrs, x: [(dtypes.int32, TensorShape([]))])
def _rank_kernel(xp, attrs, x):
    return xp.asarray(x.ndim, dtype=np.int32)


for _t in ("Shape", "ShapeN", "Size", "Rank"):
    NotDifferentiable(_t)


def shape(input, name=None, out_type=dtypes.int32):  # noqa: A002 - TF's argument name
    """The shape of `input` as a 1-D int tensor (tf.shape).

    A fully defined static shape gives a constant (as TF does), so static shape
    inference downstream can see it.

    Args:
      input: a Tensor or value.
      name: the op name (default "Shape").
      out_type: int32 (default) or int64.

    Returns:
      A 1-D Tensor of `out_type`.
    """
    out_type = dtypes.as_dtype(out_type)
    with _graph.name_scope(name, "Shape") as scope:
        x = _graph.convert_to_tensor(input)
        if x.shape.is_fully_defined():
            return constant(x.shape.as_list(), dtype=out_type, name=scope)
        return _op("Shape", [x], {"out_type": out_type}, name=scope)


def shape_n(input, out_type=dtypes.int32, name=None):  # noqa: A002
    """The shapes of a list of tensors (tf.shape_n).

    Returns:
      A list of 1-D Tensors of `out_type`, one per input.
    """
    xs = [_graph.convert_to_tensor(x) for x in input]
    return _graph.get_default_graph().create_op(
        "ShapeN", xs, {"out_type": dtypes.as_dtype(out_type)}, name or "ShapeN").outputs


def size(input, name=None, out_type=dtypes.int32):  # noqa: A002
    """The number of elements of `input` as a scalar (tf.size); a constant when static."""
    out_type = dtypes.as_dtype(out_type)
    with _graph.name_scope(name, "Size") as scope:
        x = _graph.convert_to_tensor(input)
        n = x.shape.num_elements()
        if n is None and x.shape.dims is not None and 0 in x.shape.dims:
            n = 0
        if n is not None:
            return constant(n, dtype=out_type, name=scope)
        return _op("Size", [x], {"out_type": out_type}, name=scope)


def rank(input, name=None):  # noqa: A002
    """The number of dimensions of `input` as an int32 scalar (tf.rank); a constant when static."""
    with _graph.name_scope(name, "Rank") as scope:
        x = _graph.convert_to_tensor(input)
        if x.shape.ndims is not None:
            return constant(x.shape.ndims, dtype=dtypes.int32, name=scope)
        return _op("Rank", [x], name=scope)


# -- reshape ----------------------------------------------------------------------------------
def _reshape_infer(attrs, x, s):
    if s.shape.ndims not in (None, 1):
        raise _shape_error("Shape must be rank 1 but is rank %d" % s.shape.ndims, "Reshape", x, s)
    target = _partial_value(s)
    if target is None:
        return [(x.dtype, TensorShape(None))]
    dims = [None if d is None or d < 0 else d for d in target]
    n = x.shape.num_elements()
    unknown = [i for i, d in enumerate(dims) if d is None]  # -1 or not known at build time
    known = int(np.prod([d for d in dims if d is not None]))
    if n is not None and not unknown and n != known:
        raise _shape_error("Cannot reshape a tensor with %d elements to shape %s (%d elements)"
                           % (n, TensorShape(target).as_bracket_str(), known), "Reshape", x, s)
    if n is not None and len(unknown) == 1 and known > 0:
        if n % known:
            raise _shape_error("Dimension size must be evenly divisible by %d but is %d" % (known, n),
                               "Reshape", x, s)
        dims[unknown[0]] = n // known
    return [(x.dtype, TensorShape(dims))]


@register_op("Reshape", infer=_reshape_infer, bind=_host_args(1))
def _reshape_kernel(xp, attrs, x, s):
    return xp.reshape(x, tuple(_ints(s)))


@register_gradient("Reshape")
def _reshape_grad(op, grad):
    return [reshape(grad, shape(op.inputs[0])), None]


def reshape(tensor, shape, name=None):  # noqa: F811 - TF's argument name
    """Reshapes `tensor` to `shape`; one entry may be -1 and is then inferred (tf.reshape).

    Args:
      tensor: a Tensor.
      shape: a list of ints (or scalar tensors), a TensorShape or a 1-D int tensor.
      name: the op name (default "Reshape").

    Returns:
      A Tensor with the values of `tensor`.

    Raises:
      ValueError: the element counts differ (when known statically).
    """
    x = _graph.convert_to_tensor(tensor)
    return _op("Reshape", [x, _shape_tensor(shape)], name=name)


# -- transpose --------------------------------------------------------------------------------
def _transpose_infer(attrs, x, perm):
    if perm.shape.ndims not in (None, 1):
        raise _shape_error("Shape must be rank 1 but is rank %d" % perm.shape.ndims, "Transpose", x, perm)
    p = _partial_value(perm)
    nd = x.shape.ndims
    if p is None:
        return [(x.dtype, TensorShape(None if nd is None else [None] * nd))]
    if nd is not None and len(p) != nd:
        raise _shape_error("Dimension must be %d but is %d" % (nd, len(p)), "Transpose", x, perm)
    n = len(p)
    for d in p:
        if d is not None and not 0 <= d < n:
            raise _shape_error("perm dim %d is out of range of input rank %d" % (d, n), "Transpose", x, perm)
    if None not in p and sorted(p) != list(_pyrange(n)):
        raise _shape_error("perm %s is not a permutation of [0, %d)" % (p, n), "Transpose", x, perm)
    in_dims = x.shape.dims or [None] * n
    return [(x.dtype, TensorShape([None if d is None else in_dims[d] for d in p]))]


@register_op("Transpose", infer=_transpose_infer, bind=_host_args(1))
def _transpose_kernel(xp, attrs, x, perm):
    return xp.transpose(x, _ints(perm))


@register_gradient("Transpose")
def _transpose_grad(op, grad):
    p = op.inputs[1]
    v = constant_value(p)
    inverse = np.argsort(np.asarray(v)).astype(np.int32) if v is not None else invert_permutation(p)
    return [transpose(grad, inverse), None]


@register_op("InvertPermutation", infer=lambda attrs, x: [(x.dtype, x.shape)])
def _invert_permutation_kernel(xp, attrs, x):
    out = xp.empty_like(x)
    out[x] = xp.arange(x.shape[0], dtype=x.dtype)
    return out


NotDifferentiable("InvertPermutation")


def invert_permutation(x, name=None):
    """The inverse permutation of the int vector `x`: y[x[i]] = i (tf.invert_permutation)."""
    return _op("InvertPermutation", [_graph.convert_to_tensor(x)], name=name)


def transpose(a, perm=None, name="transpose", conjugate=False):
    """Permutes the dimensions of `a`: output dim i is input dim perm[i] (tf.transpose).

    Args:
      a: a Tensor.
      perm: a permutation of [0, rank); the default reverses the dimensions.
      name: the op name (default "transpose").
      conjugate: ignored (real dtypes only).

    Returns:
      The transposed Tensor.

    Raises:
      ValueError: `perm` does not match the rank of `a` or is not a permutation.
    """
    with _graph.name_scope(name, "transpose") as scope:
        x = _graph.convert_to_tensor(a)
        if perm is None:
            nd = x.shape.ndims
            if nd is None:  # reverse at run time: (rank - 1) - range(rank)
                r = rank(x)
                perm = math_ops.subtract(r - 1, range(0, r, 1))
            else:
                perm = constant(np.arange(nd)[::-1].astype(np.int32), name="perm")
        else:
            perm = _int_vector(perm)
        return _op("Transpose", [x, perm], name=scope)


# -- broadcast_to -----------------------------------------------------------------------------
def _broadcast_to_infer(attrs, x, s):
    target = _partial_shape(s)
    xs = x.shape
    if target.dims is None or xs.dims is None:
        return [(x.dtype, target)]
    if len(xs.dims) > len(target.dims):
        raise _shape_error("Rank of input (%d) must be no greater than rank of output shape (%d)"
                           % (len(xs.dims), len(target.dims)), "BroadcastTo", x, s)
    lead = len(target.dims) - len(xs.dims)
    out = list(target.dims)
    for i, d in enumerate(xs.dims):
        t = target.dims[lead + i]
        if d is not None and d != 1 and t is not None and d != t:
            raise _shape_error("Incompatible shapes: %s vs. %s" % (_bracket(xs), _bracket(target)),
                               "BroadcastTo", x, s)
        if t is None and d is not None and d != 1:
            out[lead + i] = d
    return [(x.dtype, TensorShape(out))]


@register_op("BroadcastTo", infer=_broadcast_to_infer, bind=_host_args(1))
def _broadcast_to_kernel(xp, attrs, x, s):
    return xp.broadcast_to(x, tuple(_ints(s)))


@register_gradient("BroadcastTo")
def _broadcast_to_grad(op, grad):
    return [math_ops.unbroadcast(grad, op.inputs[0]), None]


def broadcast_to(input, shape, name=None):  # noqa: A002,F811
    """Broadcasts `input` to `shape` with numpy's rules (tf.broadcast_to).

    Raises:
      ValueError: the shapes are statically incompatible.
    """
    x = _graph.convert_to_tensor(input)
    return _op("BroadcastTo", [x, _shape_tensor(shape)], name=name)


# -- concat -----------------------------------------------------------------------------------
def _concat_infer(attrs, *xs):
    ranks = [x.shape.ndims for x in xs if x.shape.ndims is not None]
    if not ranks:
        return [(xs[0].dtype, TensorShape(None))]
    nd = ranks[0]
    for r in ranks:
        if r != nd:
            raise _shape_error("Shape must be rank %d but is rank %d" % (nd, r), "ConcatV2", *xs)
    if nd == 0:
        raise _shape_error("Can't concatenate scalars (use tf.stack instead)", "ConcatV2", *xs)
    ax = _norm_axis(attrs["axis"], nd, "ConcatV2", *xs)
    out = [None] * nd
    total = 0
    for x in xs:
        if x.shape.dims is None:
            total = None
            continue
        for i, d in enumerate(x.shape.dims):
            if i == ax:
                total = None if total is None or d is None else total + d
            elif out[i] is None:
                out[i] = d
            elif d is not None and d != out[i]:
                raise _shape_error("Dimension %d in both shapes must be equal, but are %d and %d. "
                                   "Shapes are %s and %s." % (i, out[i], d, _bracket(xs[0].shape),
                                                              _bracket(x.shape)), "ConcatV2", *xs)
    out[ax] = total
    return [(xs[0].dtype, TensorShape(out))]


@register_op("ConcatV2", infer=_concat_infer)
def _concat_kernel(xp, attrs, *xs):
    return xp.concatenate(xs, axis=attrs["axis"])


# The gradient of concat: split the incoming gradient at the inputs' sizes along axis.
# When those sizes are known statically they are an attr and the inputs are not read,
# so a loop's gradient need not save them (see control_flow/subgraph.py).
def _concat_split_infer(attrs, g, *xs):
    if attrs.get("sizes") is not None:
        dims = g.shape.dims
        if dims is None:
            return [(g.dtype, TensorShape(None))] * len(attrs["sizes"])
        ax = attrs["axis"] % len(dims)
        return [(g.dtype, TensorShape(dims[:ax] + (n,) + dims[ax + 1:])) for n in attrs["sizes"]]
    return [(g.dtype, x.shape) for x in xs]


@register_op("ConcatOffsetSplit", infer=_concat_split_infer)
def _concat_split_kernel(xp, attrs, grad, *xs):
    axis = attrs["axis"] % grad.ndim
    sizes = attrs.get("sizes") or [x.shape[axis] for x in xs]
    lead = (_py_slice(None),) * axis
    parts, start = [], 0
    for n in sizes:
        parts.append(grad[lead + (_py_slice(start, start + n),)])
        start += n
    return _outputs(parts)


@register_gradient("ConcatV2")
def _concat_grad(op, grad):
    g = _graph.get_default_graph()
    axis = op.attrs["axis"]
    sizes = []
    for x in op.inputs:
        dims = x.shape.dims
        sizes.append(None if dims is None else dims[axis % len(dims)])
    if all(n is not None for n in sizes):
        parts = g.create_op("ConcatOffsetSplit", [grad], {"axis": axis, "sizes": tuple(sizes)},
                            name="split").outputs
    else:
        parts = g.create_op("ConcatOffsetSplit", [grad] + list(op.inputs), {"axis": axis, "sizes": None},
                            name="split").outputs
    return list(parts)


@register_gradient("ConcatOffsetSplit")
def _concat_split_grad(op, *grads):
    grads = [zeros_like(x) if gr is None else gr for gr, x in zip(grads, op.outputs)]
    return [concat(grads, op.attrs["axis"])] + [None] * (len(op.inputs) - 1)


def concat(values, axis, name="concat"):
    """Joins a list of tensors along `axis` (tf.concat).

    Args:
      values: a list of Tensors of one rank and dtype.
      axis: the dimension to join along (negative counts from the end).
      name: the op name (default "concat").

    Returns:
      A Tensor.

    Raises:
      ValueError: ranks or the other dims differ, or `axis` is out of range.
      TypeError: the dtypes differ.
    """
    xs = [_graph.convert_to_tensor(v) for v in values]
    axis = _static_axis(axis)
    if len(xs) == 1:
        return identity(xs[0], name=name)
    for x in xs[1:]:
        if x.dtype != xs[0].dtype:
            raise TypeError("Tensors in list passed to 'values' of 'ConcatV2' Op have types [%s] "
                            "that don't all match." % ", ".join(t.dtype.name for t in xs))
    return _op("ConcatV2", xs, {"axis": axis}, name=name)


# -- stack / unstack --------------------------------------------------------------------------
def _pack_infer(attrs, *xs):
    if any(x.dtype != xs[0].dtype for x in xs):
        raise TypeError("Tensors in list passed to 'values' of 'Pack' Op have types [%s] that don't all "
                        "match." % ", ".join(x.dtype.name for x in xs))
    s = xs[0].shape
    for x in xs[1:]:
        s = _merge(s, x.shape, "Pack", *xs)
    if s.dims is None:
        return [(xs[0].dtype, TensorShape(None))]
    dims = list(s.dims)
    axis = attrs["axis"]
    if not -len(dims) - 1 <= axis <= len(dims):
        raise ValueError("axis = %d not in [%d, %d)" % (axis, -len(dims) - 1, len(dims) + 1))
    dims.insert(axis % (len(dims) + 1), len(xs))
    return [(xs[0].dtype, TensorShape(dims))]


@register_op("Pack", infer=_pack_infer)
def _pack_kernel(xp, attrs, *xs):
    return xp.stack(xs, axis=attrs["axis"])


def _unpack_infer(attrs, x):
    dims, num = x.shape.dims, attrs["num"]
    if dims is None:
        return [(x.dtype, TensorShape(None))] * num
    ax = _norm_axis(attrs["axis"], len(dims), "Unpack", x)
    if dims[ax] is not None and dims[ax] != num:
        raise _shape_error("Dimension must be %d but is %d" % (num, dims[ax]), "Unpack", x)
    return [(x.dtype, TensorShape(dims[:ax] + dims[ax + 1:]))] * num


@register_op("Unpack", infer=_unpack_infer)
def _unpack_kernel(xp, attrs, x):
    axis = attrs["axis"]
    return _outputs(xp.take(x, i, axis=axis) for i in _pyrange(x.shape[axis]))


@register_gradient("Pack")
def _pack_grad(op, grad):
    return list(unstack(grad, num=len(op.inputs), axis=op.attrs["axis"]))


@register_gradient("Unpack")
def _unpack_grad(op, *grads):
    grads = [zeros_like(t) if gr is None else gr for gr, t in zip(grads, op.outputs)]
    return [stack(grads, axis=op.attrs["axis"])]


def _has_tensor(value):
    if _graph.is_tensor_like(value):
        return True
    if isinstance(value, (list, tuple)):
        return any(_has_tensor(v) for v in value)
    return False


def stack(values, axis=0, name="stack"):
    """Stacks a list of rank-R tensors into one rank-(R+1) tensor along `axis` (tf.stack).

    A list of plain Python/numpy values with axis 0 becomes one constant, as in TF.

    Args:
      values: a list of Tensors (or values) of one shape and dtype.
      axis: where the new dimension goes, in [-(R+1), R+1).
      name: the op name (default "stack").

    Returns:
      A Tensor.

    Raises:
      ValueError: the shapes differ or `axis` is out of range.
    """
    axis = int(axis)
    if axis == 0 and not _has_tensor(values):
        try:
            return _graph.convert_to_tensor(values, name=name)
        except (TypeError, ValueError):
            pass
    xs = [_graph.convert_to_tensor(v) for v in values]
    tensor_dtypes = [x.dtype for x, v in zip(xs, values) if _graph.is_tensor_like(v)]
    if tensor_dtypes:  # Python values take the tensors' dtype
        xs = [x if _graph.is_tensor_like(v) else _graph.convert_to_tensor(v, dtype=tensor_dtypes[0])
              for x, v in zip(xs, values)]
    nd = xs[0].shape.ndims
    if nd is not None and not -nd - 1 <= axis < nd + 1:
        raise ValueError("axis = %d not in [%d, %d)" % (axis, -nd - 1, nd + 1))
    return _op("Pack", xs, {"axis": axis}, name=name)


def unstack(value, num=None, axis=0, name="unstack"):
    """Splits `value` along `axis` into a list of rank-(R-1) tensors (tf.unstack).

    Args:
      value: a Tensor of rank R > 0.
      num: the length of dimension `axis` (inferred from the static shape if None).
      axis: the dimension to unstack along.
      name: the op name (default "unstack").

    Returns:
      A list of `num` Tensors.

    Raises:
      ValueError: `num` is None and the dimension is unknown, or `axis` is out of range.
    """
    x = _graph.convert_to_tensor(value)
    axis = int(axis)
    dims = x.shape.dims
    if dims is not None and not -len(dims) <= axis < len(dims):
        raise ValueError("axis = %d not in [%d, %d)" % (axis, -len(dims), len(dims)))
    if num is None:
        if dims is None or dims[axis] is None:
            raise ValueError("Cannot infer num from shape %s" % x.shape)
        num = dims[axis]
    g = _graph.get_default_graph()
    return g.create_op("Unpack", [x], {"axis": axis, "num": int(num)}, name=name).outputs


# -- split ------------------------------------------------------------------------------------
def _split_infer(attrs, x):
    num = attrs["num_split"]
    nd = x.shape.ndims
    if nd is None:
        return [(x.dtype, TensorShape(None))] * num
    ax = _norm_axis(attrs["axis"], nd, "Split", x)
    dims = list(x.shape.dims)
    d = dims[ax]
    if d is not None and d % num:
        raise _shape_error("Dimension size must be evenly divisible by %d but is %d" % (num, d), "Split", x)
    dims[ax] = None if d is None else d // num
    return [(x.dtype, TensorShape(dims))] * num


@register_op("Split", infer=_split_infer)
def _split_kernel(xp, attrs, x):
    return _outputs(xp.split(x, attrs["num_split"], axis=attrs["axis"]))


def _split_v_infer(attrs, x, size_splits):
    num = attrs["num_split"]
    nd = x.shape.ndims
    sizes = _partial_value(size_splits)
    if not isinstance(sizes, list):
        sizes = [None] * num
    if len(sizes) != num:
        raise _shape_error("Dimension must be %d but is %d" % (num, len(sizes)), "SplitV", x, size_splits)
    if nd is None:
        return [(x.dtype, TensorShape(None))] * num
    ax = _norm_axis(attrs["axis"], nd, "SplitV", x, size_splits)
    d = x.shape.dims[ax]
    negs = [i for i, s in enumerate(sizes) if s == -1]
    if len(negs) > 1:
        raise _shape_error("Only one dimensions can have a value of -1 in the second input. Got %d and %d"
                           % tuple(negs[:2]), "SplitV", x, size_splits)
    sizes = [None if s == -1 else s for s in sizes]
    if d is not None and None not in [s for i, s in enumerate(sizes) if i not in negs]:
        total = sum(s for s in sizes if s is not None)
        if (negs and total > d) or (not negs and total != d):
            raise _shape_error("Determined shape must either match input shape along split_dim exactly "
                               "if fully specified, or be less than the size of the input along split_dim "
                               "if not fully specified.  Got: %d" % total, "SplitV", x, size_splits)
        if negs:
            sizes[negs[0]] = d - total
    out = []
    for s in sizes:
        dims = list(x.shape.dims)
        dims[ax] = s
        out.append((x.dtype, TensorShape(dims)))
    return out


@register_op("SplitV", infer=_split_v_infer, bind=_host_args(1))
def _split_v_kernel(xp, attrs, x, size_splits):
    axis = attrs["axis"]
    sizes = _ints(size_splits)
    if -1 in sizes:
        sizes[sizes.index(-1)] = x.shape[axis] - (sum(sizes) + 1)
    if sum(sizes) != x.shape[axis] or min(sizes) < 0:
        raise ValueError("Determined shape must either match input shape along split_dim exactly if "
                         "fully specified, or be less than the size of the input along split_dim if not "
                         "fully specified.  Got: %d" % sum(sizes))
    return _outputs(xp.split(x, list(itertools.accumulate(sizes))[:-1], axis=axis))


@register_gradient("Split")
def _split_grad(op, *grads):
    return [concat(list(grads), op.attrs["axis"])]


@register_gradient("SplitV")
def _split_v_grad(op, *grads):
    return [concat(list(grads), op.attrs["axis"]), None]


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """Splits `value` along `axis` into pieces (tf.split).

    Args:
      value: the Tensor to split.
      num_or_size_splits: an int (that many equal pieces) or a list/1-D tensor of
        piece sizes, one of which may be -1 (the rest).
      axis: the dimension to split along.
      num: the number of pieces when it cannot be read off `num_or_size_splits`.
      name: the op name (default "split").

    Returns:
      A list of Tensors.

    Raises:
      ValueError: the sizes do not fit the dimension (when known), or the number of
        pieces cannot be inferred.
    """
    x = _graph.convert_to_tensor(value)
    axis = _static_axis(axis)
    g = _graph.get_default_graph()
    if isinstance(num_or_size_splits, (int, np.integer, Dimension)) and \
            not isinstance(num_or_size_splits, bool):
        n = int(num_or_size_splits)
        if n < 1:
            raise ValueError("num_split must be at least 1, got %d" % n)
        return g.create_op("Split", [x], {"axis": axis, "num_split": n}, name=name).outputs
    sizes = _int_vector(num_or_size_splits)
    if sizes.shape.ndims == 0:
        v = constant_value(sizes)
        if v is None:
            raise ValueError("The number of splits must be known when it is a tensor")
        return split(x, int(v), axis, name=name)
    if num is None:
        num = sizes.shape.dims[0] if sizes.shape.dims is not None else None
        if num is None:
            raise ValueError("Cannot infer num from shape %s" % (num_or_size_splits,))
    return g.create_op("SplitV", [x, sizes], {"axis": axis, "num_split": int(num)}, name=name).outputs


# -- squeeze / expand_dims ----------------------------------------------------------------------
def _squeeze_infer(attrs, x):
    dims = x.shape.dims
    axes = attrs["squeeze_dims"]
    if dims is None:
        return [(x.dtype, TensorShape(None))]
    nd = len(dims)
    if axes:
        keep = set()
        for a in axes:
            if not -nd <= a < nd:
                raise _shape_error("Tried to squeeze dim index %d for tensor with %d dimensions" % (a, nd),
                                   "Squeeze", x)
            a %= nd
            if dims[a] is not None and dims[a] != 1:
                raise _shape_error("Can not squeeze dim[%d], expected a dimension of 1, got %d"
                                   % (a, dims[a]), "Squeeze", x)
            keep.add(a)
        return [(x.dtype, TensorShape([d for i, d in enumerate(dims) if i not in keep]))]
    if None in dims:  # which dims are 1 is only known at run time
        return [(x.dtype, TensorShape(None))]
    return [(x.dtype, TensorShape([d for d in dims if d != 1]))]


@register_op("Squeeze", infer=_squeeze_infer)
def _squeeze_kernel(xp, attrs, x):
    axes = attrs["squeeze_dims"]
    return xp.squeeze(x, axis=tuple(axes) if axes else None)


@register_gradient("Squeeze")
def _squeeze_grad(op, grad):
    return [reshape(grad, shape(op.inputs[0]))]


def squeeze(input, axis=None, name=None, squeeze_dims=None):  # noqa: A002
    """Removes dimensions of size 1 (tf.squeeze).

    Args:
      input: a Tensor.
      axis: an int or list of ints: the dims to remove (default: every size-1 dim).
      name: the op name (default "Squeeze").
      squeeze_dims: the deprecated name of `axis`.

    Returns:
      A Tensor.

    Raises:
      ValueError: a listed dim is not 1 (when known) or is out of range.
    """
    if squeeze_dims is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'squeeze_dims' and 'axis'")
        axis = squeeze_dims
    if axis is None:
        axes = []
    elif isinstance(axis, (list, tuple)):
        axes = [int(a) for a in axis]
    else:
        axes = [_static_axis(axis)]
    x = _graph.convert_to_tensor(input)
    return _op("Squeeze", [x], {"squeeze_dims": axes}, name=name)


def _expand_dims_infer(attrs, x):
    dims = x.shape.dims
    if dims is None:
        return [(x.dtype, TensorShape(None))]
    nd, axis = len(dims), attrs["axis"]
    if not -nd - 1 <= axis <= nd:
        raise _shape_error("Tried to expand dim index %d for tensor with %d dimensions" % (axis, nd),
                           "ExpandDims", x)
    dims = list(dims)
    dims.insert(axis % (nd + 1), 1)
    return [(x.dtype, TensorShape(dims))]


@register_op("ExpandDims", infer=_expand_dims_infer)
def _expand_dims_kernel(xp, attrs, x):
    return xp.expand_dims(x, attrs["axis"])


@register_gradient("ExpandDims")
def _expand_dims_grad(op, grad):
    return [reshape(grad, shape(op.inputs[0]))]


def expand_dims(input, axis=None, name=None, dim=None):  # noqa: A002
    """Inserts a dimension of size 1 at `axis` (tf.expand_dims).

    Args:
      input: a Tensor of rank R.
      axis: where the new dim goes, in [-(R+1), R].
      name: the op name (default "ExpandDims").
      dim: the deprecated name of `axis`.

    Returns:
      A Tensor of rank R+1.

    Raises:
      ValueError: no axis is given, both are, or it is out of range.
    """
    if dim is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'dim'")
        axis = dim
    if axis is None:
        raise ValueError("Must specify an axis argument to tf.expand_dims()")
    x = _graph.convert_to_tensor(input)
    return _op("ExpandDims", [x], {"axis": _static_axis(axis)}, name=name)


# -- tile -------------------------------------------------------------------------------------
def _tile_infer(attrs, x, multiples):
    if multiples.shape.ndims not in (None, 1):
        raise _shape_error("Shape must be rank 1 but is rank %d" % multiples.shape.ndims, "Tile",
                           x, multiples)
    m = _partial_value(multiples)
    nd = x.shape.ndims
    if not isinstance(m, list):
        return [(x.dtype, TensorShape(None if nd is None else [None] * nd))]
    if nd is not None and nd != len(m):
        raise _shape_error("Shape must be rank %d but is rank %d" % (len(m), nd), "Tile", x, multiples)
    dims = x.shape.dims or [None] * len(m)
    out = [0 if k == 0 else (None if d is None or k is None else d * k) for d, k in zip(dims, m)]
    return [(x.dtype, TensorShape(out))]


@register_op("Tile", infer=_tile_infer, bind=_host_args(1))
def _tile_kernel(xp, attrs, x, multiples):
    return xp.tile(x, tuple(_ints(multiples)))


@register_gradient("Tile")
def _tile_grad(op, grad):
    # View grad as [m0, d0, m1, d1, ...] and sum over the copies (the m axes).
    x, multiples = op.inputs
    n = multiples.shape.dims[0] if multiples.shape.dims else x.shape.ndims
    if n is None:
        raise NotImplementedError("the gradient of tile needs the rank of its input")
    m = constant_value(multiples)
    if m is not None and x.shape.is_fully_defined():
        split_shape = [int(v) for pair in zip(np.asarray(m).reshape(-1), x.shape.dims) for v in pair]
    else:
        both = stack([multiples, shape(x, out_type=multiples.dtype)])
        split_shape = reshape(transpose(both), [-1])
    summed = math_ops.reduce_sum(reshape(grad, split_shape), axis=list(_pyrange(0, 2 * n, 2)))
    summed.set_shape(x.shape)
    return [summed, None]


def tile(input, multiples, name=None):  # noqa: A002
    """Repeats `input` multiples[i] times along each dimension i (tf.tile).

    Raises:
      ValueError: len(multiples) differs from the rank of `input`.
    """
    x = _graph.convert_to_tensor(input)
    return _op("Tile", [x, _int_vector(multiples)], name=name)


# -- pad --------------------------------------------------------------------------------------
def _pad_infer(attrs, x, paddings, *constant_values):
    op_type = attrs.get("_type", "Pad")
    ps = paddings.shape
    if ps.dims is not None:
        if len(ps.dims) != 2 or (ps.dims[1] is not None and ps.dims[1] != 2):
            raise _shape_error("paddings must be a matrix with 2 columns, got %s" % _bracket(ps),
                               op_type, x, paddings)
        if x.shape.ndims is not None and ps.dims[0] is not None and ps.dims[0] != x.shape.ndims:
            raise _shape_error("The first dimension of paddings must be the rank of inputs: %d vs %d"
                               % (ps.dims[0], x.shape.ndims), op_type, x, paddings)
    nd = x.shape.ndims if x.shape.ndims is not None else (ps.dims[0] if ps.dims else None)
    p = constant_value(paddings)
    if p is None:
        return [(x.dtype, TensorShape(None if nd is None else [None] * nd))]
    p = np.asarray(p).reshape(-1, 2)
    dims = x.shape.dims or [None] * len(p)
    mode = attrs.get("mode")
    out = []
    for d, (a, b) in zip(dims, p):
        a, b = int(a), int(b)
        if a < 0 or b < 0:
            raise _shape_error("Paddings must be non-negative: %d %d" % (a, b), op_type, x, paddings)
        if d is not None and mode == "REFLECT" and max(a, b) >= d:
            raise _shape_error("paddings must be less than the dimension size: %d, %d not less than %d"
                               % (a, b, d), op_type, x, paddings)
        if d is not None and mode == "SYMMETRIC" and max(a, b) > d:
            raise _shape_error("paddings must be no greater than the dimension size: %d, %d greater "
                               "than %d" % (a, b, d), op_type, x, paddings)
        out.append(None if d is None else d + a + b)
    return [(x.dtype, TensorShape(out))]


def _pairs(paddings):
    v = _ints(paddings)
    return [(v[2 * i], v[2 * i + 1]) for i in _pyrange(len(v) // 2)]


def _constant_pad(xp, x, paddings, value):
    pairs = _pairs(paddings)
    out = xp.full(tuple(d + a + b for d, (a, b) in zip(x.shape, pairs)), value, dtype=x.dtype)
    out[tuple(_pyslice(a, a + d) for d, (a, _) in zip(x.shape, pairs))] = x
    return out


register_op("Pad", infer=_pad_infer, bind=_host_args(1))(lambda xp, attrs, x, p: _constant_pad(xp, x, p, 0))
register_op("PadV2", infer=lambda attrs, *ins: _pad_infer(dict(attrs, _type="PadV2"), *ins),
            bind=_host_args(1))(
    lambda xp, attrs, x, p, c: _constant_pad(xp, x, p, c))


@register_op("MirrorPad", infer=lambda attrs, *ins: _pad_infer(dict(attrs, _type="MirrorPad"), *ins),
             bind=_host_args(1))
def _mirror_pad_kernel(xp, attrs, x, paddings):
    return xp.pad(x, _pairs(paddings), mode=attrs["mode"].lower())


def _along(axis, ndim, sl):
    """An index selecting `sl` on `axis` and everything elsewhere."""
    return (_pyslice(None),) * axis + (sl,) + (_pyslice(None),) * (ndim - axis - 1)


def _mirror_pad_grad_infer(attrs, grad, paddings):
    p = constant_value(paddings)
    nd = grad.shape.ndims
    if p is None or grad.shape.dims is None:
        return [(grad.dtype, TensorShape(None if nd is None else [None] * nd))]
    p = np.asarray(p).reshape(-1, 2)
    return [(grad.dtype, TensorShape([None if d is None else d - int(a) - int(b)
                                      for d, (a, b) in zip(grad.shape.dims, p)]))]


@register_op("MirrorPadGrad", infer=_mirror_pad_grad_infer, bind=_host_args(1))
def _mirror_pad_grad_kernel(xp, attrs, grad, paddings):
    # Fold each padded border back onto the entries it was copied from, axis by axis.
    shift = 1 if attrs["mode"] == "REFLECT" else 0
    for axis, (a, b) in enumerate(_pairs(paddings)):
        nd, n = grad.ndim, grad.shape[axis] - a - b
        out = xp.array(grad[_along(axis, nd, _pyslice(a, a + n))], copy=True)
        if a:
            out[_along(axis, nd, _pyslice(shift, shift + a))] += xp.flip(
                grad[_along(axis, nd, _pyslice(0, a))], axis)
        if b:
            out[_along(axis, nd, _pyslice(n - b - shift, n - shift))] += xp.flip(
                grad[_along(axis, nd, _pyslice(a + n, a + n + b))], axis)
        grad = out
    return grad


def _pad_begin(paddings):
    """The first column of `paddings`: where the unpadded input starts."""
    p = constant_value(paddings)
    if p is not None:
        return [int(v) for v in np.asarray(p).reshape(-1, 2)[:, 0]]
    return reshape(slice(paddings, [0, 0], [-1, 1]), [-1])


@register_gradient("Pad")
def _pad_grad(op, grad):
    x, paddings = op.inputs[:2]
    x_grad = slice(grad, _pad_begin(paddings), shape(x, out_type=paddings.dtype))
    return [x_grad] + [None] * (len(op.inputs) - 1)


register_gradient("PadV2")(_pad_grad)


@register_gradient("MirrorPad")
def _mirror_pad_grad(op, grad):
    return [_op("MirrorPadGrad", [grad, op.inputs[1]], {"mode": op.attrs["mode"]}), None]


@register_gradient("MirrorPadGrad")
def _mirror_pad_grad_grad(op, grad):
    return [_op("MirrorPad", [grad, op.inputs[1]], {"mode": op.attrs["mode"]}), None]


def pad(tensor, paddings, mode="CONSTANT", name=None, constant_values=0):  # noqa: F811
    """Pads `tensor` (tf.pad).

    Args:
      tensor: a Tensor of rank R.
      paddings: an int [R, 2] list or tensor: how many values to add before and after
        each dimension.
      mode: "CONSTANT" (fill with `constant_values`), "REFLECT" (mirror without the
        edge; paddings < dim) or "SYMMETRIC" (mirror with the edge; paddings <= dim).
        Case-insensitive.
      name: the op name.
      constant_values: the fill value in CONSTANT mode.

    Returns:
      A Tensor.

    Raises:
      ValueError: unknown mode, or paddings that do not fit (when known).
    """
    x = _graph.convert_to_tensor(tensor)
    p = _graph.convert_to_tensor(paddings) if _graph.is_tensor_like(paddings) else \
        constant(np.asarray(paddings, dtype=np.int32).reshape(-1, 2), dtype=dtypes.int32)
    mode = mode.upper()
    if mode == "CONSTANT":
        if not _graph.is_tensor_like(constant_values) and np.all(np.asarray(constant_values) == 0):
            return _op("Pad", [x, p], name=name)
        c = _graph.convert_to_tensor(constant_values, dtype=x.dtype)
        return _op("PadV2", [x, p, c], name=name)
    if mode in ("REFLECT", "SYMMETRIC"):
        return _op("MirrorPad", [x, p], {"mode": mode}, name=name)
    raise ValueError("Unknown padding mode: %s" % mode)


# -- slice ------------------------------------------------------------------------------------
def _slice_infer(attrs, x, begin, size_t):
    b, s = _partial_value(begin), _partial_value(size_t)
    nd = x.shape.ndims
    n = len(b) if isinstance(b, list) else (len(s) if isinstance(s, list) else nd)
    if nd is not None and n is not None and n != nd:
        raise _shape_error("Shape must be rank %d but is rank %d" % (n, nd), "Slice", x, begin, size_t)
    if n is None:
        return [(x.dtype, TensorShape(None))]
    b = b if isinstance(b, list) else [None] * n
    s = s if isinstance(s, list) else [None] * n
    dims = x.shape.dims or [None] * n
    out = []
    for i, (d, bi, si) in enumerate(zip(dims, b, s)):
        if bi is not None and d is not None and not 0 <= bi <= d:
            raise _shape_error("Expected begin[%d] in [0, %d], but got %d" % (i, d, bi), "Slice",
                               x, begin, size_t)
        if si is not None and si != -1:
            if d is not None and bi is not None and bi + si > d:
                raise _shape_error("Expected size[%d] in [0, %d], but got %d" % (i, d - bi, si),
                                   "Slice", x, begin, size_t)
            out.append(si)
        elif si == -1 and d is not None and bi is not None:
            out.append(d - bi)
        else:
            out.append(None)
    return [(x.dtype, TensorShape(out))]


@register_op("Slice", infer=_slice_infer, bind=_host_args(1, 2))
def _slice_kernel(xp, attrs, x, begin, size_t):
    idx = tuple(_pyslice(b, None if s == -1 else b + s) for b, s in zip(_ints(begin), _ints(size_t)))
    return x[idx]


@register_gradient("Slice")
def _slice_grad(op, grad):
    # Pad the gradient back to the input's shape: begin before, the rest after.
    x, begin = op.inputs[:2]
    b = constant_value(begin)
    y = op.outputs[0]
    if b is not None and x.shape.is_fully_defined() and y.shape.is_fully_defined():
        b = [int(v) for v in np.asarray(b).reshape(-1)]
        paddings = [[bi, d - bi - s] for bi, d, s in zip(b, x.shape.dims, y.shape.dims)]
    else:
        after = shape(x, out_type=begin.dtype) - shape(y, out_type=begin.dtype) - begin
        paddings = stack([begin, after], axis=1)
    return [pad(grad, paddings), None, None]


def slice(input_, begin, size, name=None):  # noqa: A001,F811 - TF's names
    """Extracts the block input_[begin[i] : begin[i] + size[i]] (tf.slice).

    Args:
      input_: a Tensor of rank R.
      begin: R ints: where the block starts.
      size: R ints: its extent; -1 takes the rest of the dimension.
      name: the op name (default "Slice").

    Returns:
      A Tensor.

    Raises:
      ValueError: begin/size do not match the rank or exceed the dims (when known).
    """
    x = _graph.convert_to_tensor(input_)
    return _op("Slice", [x, _int_vector(begin), _int_vector(size)], name=name)


# -- strided slice and Tensor.__getitem__ -----------------------------------------------------------
_MASKS = ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")


def _strided_index(begin, end, strides, attrs):
    """The numpy index tuple that a strided-slice spec stands for (numpy clamps as TF does)."""
    idx = []
    for i, (b, e, s) in enumerate(zip(begin, end, strides)):
        bit = 1 << i
        if attrs["ellipsis_mask"] & bit:
            idx.append(Ellipsis)
        elif attrs["new_axis_mask"] & bit:
            idx.append(None)
        elif attrs["shrink_axis_mask"] & bit:
            idx.append(b)
        else:
            idx.append(_pyslice(None if attrs["begin_mask"] & bit else b,
                                None if attrs["end_mask"] & bit else e, s))
    return tuple(idx)


def _strided_slice_shape(x_shape, begin, end, strides, attrs, op_type, *inputs):
    """The static output shape of a strided slice (begin/end/strides: partial int lists)."""
    if not all(isinstance(v, list) for v in (begin, end, strides)):
        return TensorShape(None)
    entries = []
    for i, (b, e, s) in enumerate(zip(begin, end, strides)):
        bit = 1 << i
        if attrs["ellipsis_mask"] & bit:
            entries.append(("...",))
        elif attrs["new_axis_mask"] & bit:
            entries.append(("new",))
        elif attrs["shrink_axis_mask"] & bit:
            entries.append(("shrink", b))
        else:
            if s == 0:
                raise _shape_error("strides[%d] must be non-zero" % i, op_type, *inputs)
            entries.append(("slice", None if attrs["begin_mask"] & bit else b,
                            None if attrs["end_mask"] & bit else e, s,
                            not attrs["begin_mask"] & bit, not attrs["end_mask"] & bit))
    nd = x_shape.ndims
    if nd is None:
        return TensorShape(None)
    used = sum(1 for e in entries if e[0] in ("shrink", "slice"))
    if used > nd:
        raise _shape_error("Index out of range using input dim %d; input has only %d dims" % (used - 1, nd),
                           op_type, *inputs)
    full = ("slice", None, None, 1, False, False)
    if any(e[0] == "..." for e in entries):
        at = [e[0] for e in entries].index("...")
        entries = entries[:at] + [full] * (nd - used) + [e for e in entries[at + 1:] if e[0] != "..."]
    else:
        entries = entries + [full] * (nd - used)
    out, k = [], 0
    for e in entries:
        if e[0] == "new":
            out.append(1)
            continue
        d = x_shape.dims[k]
        if e[0] == "shrink":
            if d is not None and e[1] is not None and not -d <= e[1] < d:
                raise _shape_error("slice index %d of dimension %d out of bounds" % (e[1], k),
                                   op_type, *inputs)
        else:
            _, b, en, s, need_b, need_e = e
            if d is None or s is None or (need_b and b is None) or (need_e and en is None):
                out.append(None)
            else:
                out.append(len(_pyrange(*_pyslice(b, en, s).indices(d))))
        k += 1
    return TensorShape(out)


def _strided_slice_infer(attrs, x, begin, end, strides):
    for t in (begin, end, strides):
        if t.shape.ndims not in (None, 1):
            raise _shape_error("Shape must be rank 1 but is rank %d" % t.shape.ndims, "StridedSlice",
                               x, begin, end, strides)
    vals = [_partial_value(t) for t in (begin, end, strides)]
    return [(x.dtype, _strided_slice_shape(x.shape, *vals, attrs, "StridedSlice", x, begin, end, strides))]


def _strided_slice_bind(op, ctx):
    # A constant spec (the usual case, e.g. x[:, -1]) becomes one index tuple at plan time.
    spec = [constant_value(t) for t in op.inputs[1:]]
    if any(v is None for v in spec):
        return functools.partial(_strided_slice_kernel, ctx.xp, op.attrs)
    idx = _strided_index(*[[int(d) for d in np.asarray(v).reshape(-1)] for v in spec], op.attrs)
    xp = ctx.xp
    return lambda x, *_: xp.asarray(x[idx])


@register_op("StridedSlice", infer=_strided_slice_infer, bind=_strided_slice_bind)
def _strided_slice_kernel(xp, attrs, x, begin, end, strides):
    return xp.asarray(x[_strided_index(_ints(begin), _ints(end), _ints(strides), attrs)])


@register_op("StridedSliceGrad", infer=lambda attrs, s, b, e, st, dy: [(dy.dtype, _partial_shape(s))],
             bind=_host_args(0, 1, 2, 3))
def _strided_slice_grad_kernel(xp, attrs, shape_, begin, end, strides, dy):
    out = xp.zeros(tuple(_ints(shape_)), dtype=dy.dtype)
    out[_strided_index(_ints(begin), _ints(end), _ints(strides), attrs)] = dy
    return out


@register_gradient("StridedSlice")
def _strided_slice_grad(op, grad):
    x, b, e, s = op.inputs
    dx = _op("StridedSliceGrad", [shape(x, out_type=b.dtype), b, e, s, grad], dict(op.attrs))
    return [dx, None, None, None]


@register_gradient("StridedSliceGrad")
def _strided_slice_grad_grad(op, grad):
    _, b, e, s, _ = op.inputs
    masks = {k: op.attrs[k] for k in _MASKS}
    return [None, None, None, None, strided_slice(grad, b, e, s, **masks)]


def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0, ellipsis_mask=0,
                  new_axis_mask=0, shrink_axis_mask=0, var=None, name=None):
    """The strided slice input_[begin:end:strides] with TF's bit masks (tf.strided_slice).

    Bit i of `begin_mask`/`end_mask` ignores begin[i]/end[i] (the widest range);
    of `ellipsis_mask` makes entry i an ellipsis; of `new_axis_mask` inserts a size-1
    dim; of `shrink_axis_mask` takes the single index begin[i] and drops the dim.
    `Tensor.__getitem__` builds these from Python indexing.

    Args:
      input_: a Tensor.
      begin, end, strides: int vectors of one length (strides default to 1).
      name: the op name (default "StridedSlice").

    Returns:
      A Tensor.

    Raises:
      ValueError: a stride is 0 or an index is out of bounds (when known).
    """
    x = _graph.convert_to_tensor(input_)
    b, e = _int_vector(begin), _int_vector(end)
    if strides is None:
        n = b.shape.dims[0] if b.shape.dims else None
        strides = [1] * n if n is not None else ones_like(b)
    s = _int_vector(strides)
    attrs = dict(zip(_MASKS, (int(begin_mask), int(end_mask), int(ellipsis_mask), int(new_axis_mask),
                              int(shrink_axis_mask))))
    return _op("StridedSlice", [x, b, e, s], attrs, name=name)


def _check_index(idx):
    if isinstance(idx, (int, np.integer, Dimension)):
        return
    if isinstance(idx, Tensor) and idx.dtype in (dtypes.int32, dtypes.int64) and idx.shape.ndims in (None, 0):
        return
    raise TypeError(_SLICE_TYPE_ERROR + ", got %r" % (idx,))


def _pack_indices(values, dtype):
    if not any(isinstance(v, Tensor) for v in values):
        return constant([int(v) for v in values], dtype=dtype, name="stack")
    return stack([math_ops.cast(v, dtype) if isinstance(v, Tensor) else
                  constant(int(v), dtype=dtype) for v in values])


def _slice_helper(tensor, slice_spec):
    """Tensor.__getitem__: numpy-style basic indexing as one StridedSlice op.

    Ints (negative count from the end) and scalar int tensors drop their dim; slices
    may have steps (also negative); None (tf.newaxis) adds a dim; Ellipsis stands for
    the remaining dims. A bool tensor or array index means `tf.boolean_mask`.

    Raises:
      TypeError: an index of another kind (e.g. a list or a vector tensor inside a tuple).
      ValueError: more than one ellipsis; a stride of 0 or an index out of range (when known).
    """
    if isinstance(slice_spec, bool) or \
            (isinstance(slice_spec, Tensor) and slice_spec.dtype == dtypes.bool_) or \
            (isinstance(slice_spec, np.ndarray) and slice_spec.dtype == np.bool_):
        return boolean_mask(tensor, slice_spec)
    if not isinstance(slice_spec, (list, tuple)):
        slice_spec = [slice_spec]
    if sum(1 for s in slice_spec if s is Ellipsis) > 1:
        raise ValueError("Multiple ellipses in slice spec not allowed")
    begin, end, strides = [], [], []
    masks = dict.fromkeys(_MASKS, 0)
    for i, s in enumerate(slice_spec):
        bit = 1 << i
        if isinstance(s, _pyslice):
            for value in (s.start, s.stop, s.step):
                if value is not None:
                    _check_index(value)
            b, e, st = s.start, s.stop, 1 if s.step is None else s.step
            if b is None:
                b, masks["begin_mask"] = 0, masks["begin_mask"] | bit
            if e is None:
                e, masks["end_mask"] = 0, masks["end_mask"] | bit
        elif s is Ellipsis:
            b, e, st = 0, 0, 1
            masks["ellipsis_mask"] |= bit
        elif s is None:
            b, e, st = 0, 0, 1
            masks["new_axis_mask"] |= bit
        else:
            _check_index(s)
            b, e, st = s, s + 1, 1
            masks["shrink_axis_mask"] |= bit
        begin.append(b)
        end.append(e)
        strides.append(st)
    x = _graph.convert_to_tensor(tensor)
    with _graph.name_scope(None, "strided_slice") as scope:
        pieces = begin + end + strides
        dtype = dtypes.int64 if any(isinstance(v, Tensor) and v.dtype == dtypes.int64 for v in pieces) \
            else dtypes.int32
        if begin:
            b, e, st = (_pack_indices(v, dtype) for v in (begin, end, strides))
        else:
            b = e = st = constant(np.zeros([0], np.int32), dtype=dtypes.int32)
        return _op("StridedSlice", [x, b, e, st], masks, name=scope)


Tensor.__getitem__ = _slice_helper


# -- gather -----------------------------------------------------------------------------------
def _gather_infer(attrs, params, indices):
    if params.shape.dims is None or indices.shape.dims is None:
        return [(params.dtype, TensorShape(None))]
    if not indices.dtype.is_integer:
        raise TypeError("Value passed to parameter 'indices' has DataType %s not in list of allowed "
                        "values: int32, int64" % indices.dtype.name)
    p = list(params.shape.dims)
    axis = _norm_axis(attrs["axis"], len(p), "GatherV2", params, indices)
    return [(params.dtype, TensorShape(p[:axis] + list(indices.shape.dims) + p[axis + 1:]))]


@register_op("GatherV2", infer=_gather_infer)
def _gather_kernel(xp, attrs, params, indices):
    return xp.take(params, indices, axis=attrs["axis"])


@register_gradient("GatherV2")
def _gather_grad(op, grad):
    params, indices = op.inputs
    axis = op.attrs["axis"]
    nd = params.shape.ndims
    if axis == 0 or (nd is not None and axis % nd == 0):
        # Sparse: the rows indices[i] receive grad[i]; repeated rows add up when densified.
        params_shape = shape(params)
        rest = params.shape.dims[1:] if params.shape.dims is not None else None
        if rest is not None and None not in rest:
            values_shape = [size(indices)] + list(rest)
        else:
            values_shape = concat([expand_dims(size(indices), 0), params_shape[1:]], 0)
        values = grad if indices.shape.ndims == 1 else reshape(grad, values_shape)
        return [IndexedSlices(values, reshape(indices, [-1]), params_shape), None]
    # Dense for other axes: move the gathered dims first, segment-sum, move the axis back.
    q = indices.shape.ndims
    if nd is None or q is None:
        raise NotImplementedError("the gradient of gather along axis %d needs static ranks" % axis)
    axis %= nd
    perm = list(_pyrange(axis, axis + q)) + list(_pyrange(axis)) + list(_pyrange(axis + q, nd + q - 1))
    n = params.shape.dims[axis] if params.shape.dims[axis] is not None else shape(params)[axis]
    rows = math_ops.unsorted_segment_sum(transpose(grad, perm), indices, n)
    back = list(_pyrange(1, axis + 1)) + [0] + list(_pyrange(axis + 1, nd))
    return [transpose(rows, back), None]


def gather(params, indices, validate_indices=None, name=None, axis=0, batch_dims=0):
    """Gathers slices of `params` along `axis` at `indices` (tf.gather).

    The output shape is params.shape[:axis] + indices.shape + params.shape[axis+1:].
    The gradient with respect to `params` is an IndexedSlices for axis 0 (repeated
    indices accumulate) and a dense tensor for other axes.

    Args:
      params: the Tensor to gather from.
      indices: an int32/int64 Tensor of indices into dimension `axis`.
      validate_indices: ignored, as in TF.
      name: the op name (default "GatherV2").
      axis: the dimension of `params` to gather along.
      batch_dims: must be 0.

    Returns:
      A Tensor.

    Raises:
      ValueError: `axis` is out of range.
      TypeError: `indices` is not an integer tensor.
    """
    if batch_dims != 0:
        raise NotImplementedError("gather with batch_dims != 0")
    p = _graph.convert_to_tensor(params)
    i = _graph.convert_to_tensor(indices)
    return _op("GatherV2", [p, i], {"axis": _static_axis(axis)}, name=name)


def _gather_nd_infer(attrs, params, indices):
    pd, idx = params.shape.dims, indices.shape.dims
    if pd is None or idx is None or not idx or idx[-1] is None:
        return [(params.dtype, TensorShape(None))]
    k = idx[-1]
    if k > len(pd):
        raise _shape_error("indices.shape[-1] must be <= params.rank, but saw indices shape: %s "
                           "and params shape: %s" % (_bracket(indices.shape), _bracket(params.shape)),
                           "GatherNd", params, indices)
    return [(params.dtype, TensorShape(list(idx[:-1]) + list(pd[k:])))]


def _nd_index(indices):
    return tuple(indices[..., j] for j in _pyrange(indices.shape[-1]))


@register_op("GatherNd", infer=_gather_nd_infer)
def _gather_nd_kernel(xp, attrs, params, indices):
    if indices.shape[-1] == 0:
        return xp.broadcast_to(params, indices.shape[:-1] + params.shape)
    return params[_nd_index(indices)]


@register_gradient("GatherNd")
def _gather_nd_grad(op, grad):
    params, indices = op.inputs
    return [scatter_nd(indices, grad, shape(params, out_type=indices.dtype)), None]


def gather_nd(params, indices, name=None):
    """Gathers slices of `params` at the index tuples in the last dim of `indices` (tf.gather_nd).

    With indices of shape [..., k], the output has shape
    indices.shape[:-1] + params.shape[k:].

    Raises:
      ValueError: k exceeds the rank of `params` (when known).
    """
    p = _graph.convert_to_tensor(params)
    i = _graph.convert_to_tensor(indices)
    return _op("GatherNd", [p, i], name=name)


def _scatter_nd_infer(attrs, indices, updates, shape_):
    return [(updates.dtype, _partial_shape(shape_))]


@register_op("ScatterNd", infer=_scatter_nd_infer, bind=_host_args(2))
def _scatter_nd_kernel(xp, attrs, indices, updates, shape_):
    out = xp.zeros(tuple(_ints(shape_)), dtype=updates.dtype)
    xp.add.at(out, _nd_index(indices), updates)
    return out


@register_gradient("ScatterNd")
def _scatter_nd_grad(op, grad):
    return [None, gather_nd(grad, op.inputs[0]), None]


def scatter_nd(indices, updates, shape, name=None):  # noqa: F811
    """Zeros of `shape` with `updates` added at `indices`; duplicates add up (tf.scatter_nd)."""
    i = _graph.convert_to_tensor(indices)
    u = _graph.convert_to_tensor(updates)
    s = _graph.convert_to_tensor(shape, dtype=i.dtype) if _graph.is_tensor_like(shape) else \
        constant([int(d) for d in shape], dtype=i.dtype)
    return _op("ScatterNd", [i, u, s], name=name)


# -- reverse ----------------------------------------------------------------------------------
def _reverse_infer(attrs, x):
    nd = x.shape.ndims
    seen = set()
    for a in attrs["axis"]:
        if nd is not None:
            if not -nd <= a < nd:
                raise _shape_error("'axis'[%d] = %d is out of valid range [%d, %d)"
                                   % (len(seen), a, -nd, nd), "ReverseV2", x)
            a %= nd
            if a in seen:
                raise _shape_error("axis %d specified more than once" % a, "ReverseV2", x)
        seen.add(a)
    return [(x.dtype, x.shape)]


@register_op("ReverseV2", infer=_reverse_infer)
def _reverse_kernel(xp, attrs, x):
    axes = tuple(attrs["axis"])
    return xp.flip(x, axis=axes) if axes else x


@register_gradient("ReverseV2")
def _reverse_grad(op, grad):
    return [reverse(grad, op.attrs["axis"])]


def reverse(tensor, axis, name=None):
    """Reverses `tensor` along each dimension in `axis` (tf.reverse, tf.reverse_v2).

    Raises:
      ValueError: an axis is out of range or repeated.
    """
    x = _graph.convert_to_tensor(tensor)
    if _graph.is_tensor_like(axis):
        v = constant_value(_graph.convert_to_tensor(axis))
        if v is None:
            raise TypeError("axis must be a constant, got %s" % axis)
        axis = np.asarray(v).reshape(-1).tolist()
    axes = [int(a) for a in (axis if isinstance(axis, (list, tuple)) else [axis])]
    return _op("ReverseV2", [x], {"axis": axes}, name=name)


reverse_v2 = reverse


def _reverse_sequence_infer(attrs, x, lengths):
    nd = x.shape.ndims
    sd, bd = attrs["seq_dim"], attrs["batch_dim"]
    if lengths.shape.ndims not in (None, 1):
        raise _shape_error("Shape must be rank 1 but is rank %d" % lengths.shape.ndims, "ReverseSequence",
                           x, lengths)
    if nd is not None:
        for what, d in (("seq_dim", sd), ("batch_dim", bd)):
            if not 0 <= d < nd:
                raise _shape_error("%s must be < input rank (%d vs %d)" % (what, d, nd), "ReverseSequence",
                                   x, lengths)
        if sd == bd:
            raise _shape_error("seq_dim and batch_dim must not be equal (%d)" % sd, "ReverseSequence",
                               x, lengths)
        b = x.shape.dims[bd]
        n = lengths.shape.dims[0] if lengths.shape.dims else None
        if b is not None and n is not None and b != n:
            raise _shape_error("Dimensions must be equal, but are %d and %d" % (b, n), "ReverseSequence",
                               x, lengths)
    return [(x.dtype, x.shape)]


@register_op("ReverseSequence", infer=_reverse_sequence_infer)
def _reverse_sequence_kernel(xp, attrs, x, lengths):
    sd, bd = attrs["seq_dim"], attrs["batch_dim"]
    moved = xp.moveaxis(x, (bd, sd), (0, 1))
    b, t = moved.shape[:2]
    steps = xp.arange(t)
    lens = lengths.astype(steps.dtype)[:, None]
    # Row i reads position lens[i]-1-j for j < lens[i] and stays put beyond.
    src = xp.where(steps < lens, lens - 1 - steps, steps)
    src = src.reshape((b, t) + (1,) * (moved.ndim - 2))
    out = xp.take_along_axis(moved, src, axis=1)
    return xp.moveaxis(out, (0, 1), (bd, sd))


@register_gradient("ReverseSequence")
def _reverse_sequence_grad(op, grad):
    return [reverse_sequence(grad, op.inputs[1], seq_axis=op.attrs["seq_dim"],
                             batch_axis=op.attrs["batch_dim"]), None]


def reverse_sequence(input, seq_lengths, seq_axis=None, batch_axis=None, name=None,  # noqa: A002
                     seq_dim=None, batch_dim=None):
    """Reverses the first seq_lengths[b] entries along `seq_axis` of each batch row b
    (tf.reverse_sequence); the entries past the length stay in place.

    Args:
      input: a Tensor.
      seq_lengths: an int vector with one length per batch row.
      seq_axis: the time dimension (`seq_dim` is its deprecated name).
      batch_axis: the batch dimension (default 0; `batch_dim` is its deprecated name).
      name: the op name (default "ReverseSequence").

    Returns:
      A Tensor of the shape of `input`.

    Raises:
      ValueError: the axes are missing, equal, out of range, or the batch size differs
        from len(seq_lengths) (when known).
    """
    for new, old, label in ((seq_axis, seq_dim, "seq"), (batch_axis, batch_dim, "batch")):
        if new is not None and old is not None:
            raise ValueError("Cannot specify both '%s_axis' and '%s_dim'" % (label, label))
    seq_axis = seq_axis if seq_axis is not None else seq_dim
    batch_axis = batch_axis if batch_axis is not None else (batch_dim if batch_dim is not None else 0)
    if seq_axis is None:
        raise ValueError("reverse_sequence requires seq_axis")
    x = _graph.convert_to_tensor(input)
    lengths = _graph.convert_to_tensor(seq_lengths)
    nd = x.shape.ndims
    sd, bd = int(seq_axis), int(batch_axis)
    if nd is not None:
        sd, bd = (sd % nd if sd < 0 else sd), (bd % nd if bd < 0 else bd)
    return _op("ReverseSequence", [x, lengths], {"seq_dim": sd, "batch_dim": bd}, name=name)


# -- one_hot ----------------------------------------------------------------------------------
def _one_hot_infer(attrs, indices, depth, on_value, off_value):
    axis = attrs["axis"]
    d = constant_value(depth)
    dims = indices.shape.dims
    if dims is None:
        return [(on_value.dtype, TensorShape(None))]
    if not -1 <= axis <= len(dims):
        raise _shape_error("Expected axis to be -1 or between [0, %d).  But received: %d"
                           % (len(dims) + 1, axis), "OneHot", indices, depth, on_value, off_value)
    if d is not None and int(d) < 0:
        raise _shape_error("depth must be non-negative, got: %d" % int(d), "OneHot",
                           indices, depth, on_value, off_value)
    out = list(dims)
    out.insert(len(dims) if axis == -1 else axis, None if d is None else int(d))
    return [(on_value.dtype, TensorShape(out))]


@register_op("OneHot", infer=_one_hot_infer)
def _one_hot_kernel(xp, attrs, indices, depth, on_value, off_value):
    hot = indices[..., None] == xp.arange(int(depth), dtype=indices.dtype)
    if attrs["axis"] != -1:
        hot = xp.moveaxis(hot, -1, attrs["axis"])
    return xp.where(hot, on_value, off_value).astype(on_value.dtype)


NotDifferentiable("OneHot")


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """One-hot vectors: `on_value` where the position equals the index, else `off_value` (tf.one_hot).

    Indices outside [0, depth) give all `off_value`.

    Args:
      indices: an int Tensor of any shape.
      depth: the length of the one-hot dimension.
      on_value, off_value: scalars (default 1 and 0).
      axis: where the new dimension goes (default -1, the end).
      dtype: the output dtype (default: that of on/off_value, else float32).
      name: the op name (default "one_hot").

    Returns:
      A Tensor of rank rank(indices)+1.

    Raises:
      TypeError: on_value, off_value and dtype disagree.
    """
    with _graph.name_scope(name, "one_hot") as scope:
        dtype = None if dtype is None else dtypes.as_dtype(dtype)
        given = [(v, n) for v, n in ((on_value, "on_value"), (off_value, "off_value")) if v is not None]
        tensors = {}
        for v, n in given:
            t = _graph.convert_to_tensor(v, dtype=dtype, name=n) if not _graph.is_tensor_like(v) and dtype \
                else _graph.convert_to_tensor(v, name=n)
            if dtype is not None and t.dtype != dtype:
                raise TypeError("dtype %s of %s does not match dtype parameter %s"
                                % (t.dtype.name, n, dtype.name))
            tensors[n] = t
        if dtype is None:
            dtype = tensors[given[0][1]].dtype if given else dtypes.float32
        on = tensors.get("on_value")
        off = tensors.get("off_value")
        if on is None:
            on = constant(1, dtype=dtype, name="on_value")
        if off is None:
            off = constant(0, dtype=dtype, name="off_value")
        if on.dtype != off.dtype:
            raise TypeError("dtype %s of on_value does not match dtype %s of off_value"
                            % (on.dtype.name, off.dtype.name))
        idx = _graph.convert_to_tensor(indices)
        d = _graph.convert_to_tensor(depth, dtype=dtypes.int32) if not _graph.is_tensor_like(depth) else \
            _graph.convert_to_tensor(depth)
        return _op("OneHot", [idx, d, on, off], {"axis": -1 if axis is None else int(axis)}, name=scope)


# -- where ------------------------------------------------------------------------------------
@register_op("Where", infer=lambda attrs, c: [(dtypes.int64, TensorShape([None, c.shape.ndims]))])
def _where_kernel(xp, attrs, cond):
    return xp.argwhere(cond).astype(xp.int64)


NotDifferentiable("Where")


def _select_infer(attrs, cond, x, y):
    data = _merge(x.shape, y.shape, "Select", cond, x, y)
    c = cond.shape
    if c.dims is None or data.dims is None or len(c.dims) == 0:
        return [(x.dtype, data)]
    if len(c.dims) == 1 and len(data.dims) > 1:
        _merge(c, TensorShape([data.dims[0]]), "Select", cond, x, y)
        return [(x.dtype, data)]
    return [(x.dtype, _merge(data, c, "Select", cond, x, y))]


@register_op("Select", infer=_select_infer)
def _select_kernel(xp, attrs, cond, x, y):
    if cond.ndim == 1 and x.ndim > 1:  # a vector picks whole rows
        cond = cond.reshape(cond.shape + (1,) * (x.ndim - 1))
    return xp.where(cond, x, y)


@register_gradient("Select")
def _select_grad(op, grad):
    c, x = op.inputs[:2]
    z = zeros_like(x)
    return [None, where(c, grad, z), where(c, z, grad)]


def where(condition, x=None, y=None, name=None):
    """tf.where: the coordinates of true entries, or an elementwise select.

    With only `condition`: an int64 [num_true, rank] tensor of the coordinates of its
    true (nonzero) entries, in row-major order. With `x` and `y`: x where `condition`
    is true, else y. `condition` must have the shape of x and y, be a scalar, or be a
    vector of x's first dimension (then it picks whole rows).

    Args:
      condition: a bool Tensor.
      x, y: Tensors of one shape and dtype (or both None).
      name: the op name ("Where" / "Select").

    Returns:
      A Tensor.

    Raises:
      ValueError: only one of x and y is given, or the shapes clash.
      TypeError: x and y have different dtypes.
    """
    c = _graph.convert_to_tensor(condition)
    if x is None and y is None:
        return _op("Where", [c], name=name)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    x, y = math_ops.binary_inputs(x, y, "Select")
    return _op("Select", [c, x, y], name=name)


# -- masks ------------------------------------------------------------------------------------
def sequence_mask(lengths, maxlen=None, dtype=dtypes.bool_, name=None):
    """mask[..., j] = j < lengths[...] (tf.sequence_mask).

    Args:
      lengths: an int Tensor of any shape.
      maxlen: the length of the last dim (default: max(lengths)).
      dtype: the output dtype (default bool).
      name: the name scope (default "SequenceMask").

    Returns:
      A Tensor of shape lengths.shape + [maxlen].

    Raises:
      ValueError: `maxlen` is not a scalar.
    """
    with _graph.name_scope(name, "SequenceMask"):
        lengths = _graph.convert_to_tensor(lengths)
        if maxlen is None:
            maxlen = math_ops.reduce_max(lengths)
            maxlen = math_ops.maximum(constant(0, dtype=maxlen.dtype), maxlen)
        else:
            maxlen = _graph.convert_to_tensor(maxlen)
        if maxlen.shape.ndims not in (None, 0):
            raise ValueError("maxlen must be scalar for sequence_mask")
        row = range(constant(0, dtype=maxlen.dtype), maxlen, constant(1, dtype=maxlen.dtype))
        col = math_ops.cast(expand_dims(lengths, -1), maxlen.dtype)
        result = math_ops.less(row, col)
        dtype = dtypes.as_dtype(dtype)
        return result if dtype == dtypes.bool_ else math_ops.cast(result, dtype)


def boolean_mask(tensor, mask, name="boolean_mask", axis=None):
    """The entries of `tensor` where `mask` is true (tf.boolean_mask).

    `mask` (rank k) covers dims axis..axis+k-1 of `tensor`; those dims become one
    dim of length count(mask), in row-major order.

    Args:
      tensor: a Tensor.
      mask: a bool Tensor of static rank k >= 1.
      name: the name scope (default "boolean_mask").
      axis: the first masked dim (default 0).

    Returns:
      A Tensor.

    Raises:
      ValueError: the mask is a scalar, has unknown rank, or does not match the dims.
    """
    with _graph.name_scope(name, "boolean_mask"):
        t = _graph.convert_to_tensor(tensor)
        m = _graph.convert_to_tensor(mask)
        k = m.shape.ndims
        if k == 0:
            raise ValueError("mask cannot be scalar.")
        if k is None:
            raise ValueError("Number of mask dimensions must be specified, even if some dimensions "
                             "are None.  E.g. shape=[None] is ok, but shape=None is not.")
        axis = 0 if axis is None else int(axis)
        ts = t.shape
        ts[axis:axis + k].assert_is_compatible_with(m.shape)
        # Flatten the masked dims into one (its size is the mask's size), then gather.
        if ts.dims is not None and None not in ts.dims[:axis] + ts.dims[axis + k:]:
            new_shape = list(ts.dims[:axis]) + [size(m)] + list(ts.dims[axis + k:])
        else:
            s = shape(t)
            new_shape = concat([s[:axis], expand_dims(size(m), 0), s[axis + k:]], 0)
        flat = reshape(t, new_shape)
        first = ts[axis:axis + k].num_elements()
        if ts.dims is not None:
            flat.set_shape(list(ts.dims[:axis]) + [first] + list(ts.dims[axis + k:]))
        indices = squeeze(where(reshape(m, [-1])), axis=[1])
        return gather(flat, indices, axis=axis)
