"""Slicing: tf.slice, strided_slice and `Tensor.__getitem__`, and tf.pad (the gradient of
slice, and whose gradient is a slice).
"""
import functools

from ..backend import hostnp as np
from ..framework import dtypes, graph as _graph
from ..framework.graph import Tensor, op_output
from ..framework.registry import register_gradient, register_op
from ..framework.tensor_shape import Dimension, TensorShape
from .array_creation_ops import ones_like
from .array_helpers import (_MASKS, _bracket, _host_args, _int_vector, _ints, _partial_shape,
                            _partial_value, _pyrange, _pyslice, _shape_error, _strided_index)
from .cast_ops import cast
from .constant_op import constant
from .indexing_ops import boolean_mask
from .join_split_ops import stack
from .shape_ops import reshape, shape
from .shape_utils import constant_value

__all__ = ["pad", "slice", "strided_slice"]


# -- top -----------------------------------------------------------------------------------------
_SLICE_TYPE_ERROR = ("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and "
                     "scalar tf.int32/tf.int64 tensors are valid indices")


# -- pad -----------------------------------------------------------------------------------------
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
    return [op_output("MirrorPadGrad", [grad, op.inputs[1]], {"mode": op.attrs["mode"]}), None]


@register_gradient("MirrorPadGrad")
def _mirror_pad_grad_grad(op, grad):
    return [op_output("MirrorPad", [grad, op.inputs[1]], {"mode": op.attrs["mode"]}), None]


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
            return op_output("Pad", [x, p], name=name)
        c = _graph.convert_to_tensor(constant_values, dtype=x.dtype)
        return op_output("PadV2", [x, p, c], name=name)
    if mode in ("REFLECT", "SYMMETRIC"):
        return op_output("MirrorPad", [x, p], {"mode": mode}, name=name)
    raise ValueError("Unknown padding mode: %s" % mode)


# -- slice ---------------------------------------------------------------------------------------
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
    return op_output("Slice", [x, _int_vector(begin), _int_vector(size)], name=name)


# -- strided slice and Tensor.__getitem__ --------------------------------------------------------
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
    dx = op_output("StridedSliceGrad", [shape(x, out_type=b.dtype), b, e, s, grad], dict(op.attrs))
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
    return op_output("StridedSlice", [x, b, e, s], attrs, name=name)


def _check_index(idx):
    if isinstance(idx, (int, np.integer, Dimension)):
        return
    if isinstance(idx, Tensor) and idx.dtype in (dtypes.int32, dtypes.int64) and idx.shape.ndims in (None, 0):
        return
    raise TypeError(_SLICE_TYPE_ERROR + ", got %r" % (idx,))


def _pack_indices(values, dtype):
    if not any(isinstance(v, Tensor) for v in values):
        return constant([int(v) for v in values], dtype=dtype, name="stack")
    return stack([cast(v, dtype) if isinstance(v, Tensor) else
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
        return op_output("StridedSlice", [x, b, e, st], masks, name=scope)


Tensor.__getitem__ = _slice_helper
