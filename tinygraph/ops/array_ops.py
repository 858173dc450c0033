"""Array ops: shapes, reshaping, joining and splitting, indexing; with gradients."""
from ..backend import hostnp as np
from ..framework import dtypes
from ..framework import graph as _graph
from ..framework.graph import Tensor
from ..framework.registry import NotDifferentiable, register_gradient, register_op
from ..framework.tensor_shape import TensorShape, as_shape
from .shape_utils import constant_value, partial_shape_from_tensor

__all__ = ["shape", "reshape", "broadcast_to", "ones_like", "zeros_like", "concat", "stack",
           "gather", "fill", "zeros", "ones"]


def _op(op_type, inputs, attrs=None, name=None):
    return _graph.get_default_graph().create_op(op_type, inputs, attrs or {}, name or op_type).outputs[0]


# -- shape --------------------------------------------------------------------------------
@register_op("Shape", infer=lambda attrs, x: [(attrs["out_type"], TensorShape([x.shape.ndims]))])
def _shape_kernel(xp, attrs, x):
    return xp.asarray(x.shape, dtype=attrs["out_type"].as_numpy_dtype)


def shape(input, name=None, out_type=dtypes.int32):  # noqa: A002
    """The shape of `input` as a 1-D int tensor (tf.shape)."""
    x = _graph.convert_to_tensor(input)
    return _op("Shape", [x], {"out_type": dtypes.as_dtype(out_type)}, name=name)


# -- reshape ------------------------------------------------------------------------------
def _reshape_infer(attrs, x, s):
    target = partial_shape_from_tensor(s)
    if target.dims is None:
        return [(x.dtype, target)]
    dims = list(target.dims)
    raw = constant_value(s)
    if raw is not None:
        raw = [int(d) for d in np.asarray(raw).reshape(-1)]
        if raw.count(-1) > 1:
            raise ValueError("Cannot infer multiple unknown dimensions in shape %s" % raw)
        n = x.shape.num_elements()
        known = int(np.prod([d for d in raw if d != -1])) if raw else 1
        if -1 in raw:
            i = raw.index(-1)
            dims[i] = (n // known if known and n % known == 0 else None) if n is not None else None
            if n is not None and known and n % known:
                raise ValueError("Cannot reshape a tensor with %d elements to shape %s" % (n, raw))
        elif n is not None and n != known:
            raise ValueError("Cannot reshape a tensor with %d elements to shape %s (%d elements) "
                             "for 'Reshape' with input shapes: %s, [%d]." % (n, raw, known, x.shape, len(raw)))
    return [(x.dtype, TensorShape(dims))]


@register_op("Reshape", infer=_reshape_infer)
def _reshape_kernel(xp, attrs, x, s):
    return xp.reshape(x, tuple(int(d) for d in s))


@register_gradient("Reshape")
def _reshape_grad(op, grad):
    return [reshape(grad, shape(op.inputs[0])), None]


def reshape(tensor, shape, name=None):  # noqa: F811 - TF's argument name
    """Reshapes `tensor`; one entry of `shape` may be -1 (tf.reshape).

    Raises:
      ValueError: the element counts differ (when known statically).
    """
    x = _graph.convert_to_tensor(tensor)
    s = _shape_tensor(shape)
    return _op("Reshape", [x, s], name=name)


def _shape_tensor(shape_like):
    if isinstance(shape_like, TensorShape):
        shape_like = shape_like.as_list()
    if _graph.is_tensor_like(shape_like):
        return _graph.convert_to_tensor(shape_like)
    if isinstance(shape_like, (list, tuple)) and any(_graph.is_tensor_like(d) for d in shape_like):
        return stack([_graph.convert_to_tensor(d, dtype=dtypes.int32) for d in shape_like])
    return _graph.convert_to_tensor(np.asarray(shape_like, dtype=np.int32).reshape(-1)
                                    if np.asarray(shape_like).ndim == 1 or len(np.asarray(shape_like).shape) == 1
                                    else np.asarray(shape_like, dtype=np.int32), dtype=dtypes.int32)


# -- broadcast_to ---------------------------------------------------------------------------
def _broadcast_to_infer(attrs, x, s):
    return [(x.dtype, partial_shape_from_tensor(s))]


@register_op("BroadcastTo", infer=_broadcast_to_infer)
def _broadcast_to_kernel(xp, attrs, x, s):
    return xp.broadcast_to(x, tuple(int(d) for d in s))


@register_gradient("BroadcastTo")
def _broadcast_to_grad(op, grad):
    from .math_ops import unbroadcast
    return [unbroadcast(grad, op.inputs[0]), None]


def broadcast_to(input, shape, name=None):  # noqa: A002,F811
    """Broadcasts `input` to `shape` (tf.broadcast_to)."""
    x = _graph.convert_to_tensor(input)
    return _op("BroadcastTo", [x, _shape_tensor(shape)], name=name)


# -- fills ----------------------------------------------------------------------------------
def _fill_infer(attrs, dims, value):
    return [(value.dtype, partial_shape_from_tensor(dims))]


@register_op("Fill", infer=_fill_infer)
def _fill_kernel(xp, attrs, dims, value):
    return xp.full(tuple(int(d) for d in dims), value, dtype=value.dtype)


@register_gradient("Fill")
def _fill_grad(op, grad):
    from .math_ops import reduce_sum
    return [None, reduce_sum(grad)]


def fill(dims, value, name=None):
    """A tensor of shape `dims` filled with `value` (tf.fill)."""
    v = _graph.convert_to_tensor(value)
    return _op("Fill", [_shape_tensor(dims), v], name=name)


def zeros(shape, dtype=dtypes.float32, name=None):  # noqa: F811
    """A tensor of zeros (tf.zeros)."""
    dtype = dtypes.as_dtype(dtype)
    with _graph.name_scope(name, "zeros") as scope:
        return fill(shape, np.zeros((), dtype.as_numpy_dtype), name=scope[:-1] + "/")


def ones(shape, dtype=dtypes.float32, name=None):  # noqa: F811
    """A tensor of ones (tf.ones)."""
    dtype = dtypes.as_dtype(dtype)
    with _graph.name_scope(name, "ones") as scope:
        return fill(shape, np.ones((), dtype.as_numpy_dtype), name=scope[:-1] + "/")


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
    """Zeros with the shape (and dtype unless given) of `tensor` (tf.zeros_like)."""
    x = _graph.convert_to_tensor(tensor)
    return _op("ZerosLike", [x], {"dtype": dtypes.as_dtype(dtype) if dtype else None}, name=name)


def ones_like(tensor, dtype=None, name=None, optimize=True):
    """Ones with the shape (and dtype unless given) of `tensor` (tf.ones_like)."""
    x = _graph.convert_to_tensor(tensor)
    return _op("OnesLike", [x], {"dtype": dtypes.as_dtype(dtype) if dtype else None}, name=name)


# -- concat / stack -------------------------------------------------------------------------
def _concat_infer(attrs, *xs):
    axis = attrs["axis"]
    ranks = {x.shape.ndims for x in xs if x.shape.ndims is not None}
    if not ranks:
        return [(xs[0].dtype, TensorShape(None))]
    if len(ranks) > 1:
        raise ValueError("Shape must be rank %d but is rank %d for 'ConcatV2'" % tuple(sorted(ranks))[:2])
    nd = ranks.pop()
    ax = axis % nd
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
                raise ValueError("Dimension %d in both shapes must be equal, but are %d and %d. "
                                 "Shapes are %s and %s." % (i, out[i], d, xs[0].shape, x.shape))
    out[ax] = total
    return [(xs[0].dtype, TensorShape(out))]


@register_op("ConcatV2", infer=_concat_infer)
def _concat_kernel(xp, attrs, *xs):
    return xp.concatenate(xs, axis=attrs["axis"])


@register_op("ConcatOffsetSplit", infer=lambda attrs, g, *xs: [(g.dtype, x.shape) for x in xs])
def _concat_split_kernel(xp, attrs, grad, *xs):
    axis = attrs["axis"]
    sizes = np.cumsum([x.shape[axis] for x in xs])[:-1]
    return xp.split(grad, [int(s) for s in sizes], axis=axis)


@register_gradient("ConcatV2")
def _concat_grad(op, grad):
    g = _graph.get_default_graph()
    parts = g.create_op("ConcatOffsetSplit", [grad] + list(op.inputs), {"axis": op.attrs["axis"]},
                        name="split").outputs
    return list(parts)


@register_gradient("ConcatOffsetSplit")
def _concat_split_grad(op, *grads):
    grads = [zeros_like(x) if gr is None else gr for gr, x in zip(grads, op.outputs)]
    return [concat(grads, op.attrs["axis"])] + [None] * (len(op.inputs) - 1)


def concat(values, axis, name="concat"):
    """Joins tensors along `axis` (tf.concat).

    Raises:
      ValueError: ranks or the other dims differ.
    """
    xs = [_graph.convert_to_tensor(v) for v in values]
    if len(xs) == 1:
        from .control_flow_ops import identity
        return identity(xs[0], name=name)
    axis = int(constant_value(_graph.convert_to_tensor(axis))) if _graph.is_tensor_like(axis) else int(axis)
    return _op("ConcatV2", xs, {"axis": axis}, name=name)


def _pack_infer(attrs, *xs):
    shape = xs[0].shape
    for x in xs[1:]:
        if not shape.is_compatible_with(x.shape):
            raise ValueError("Shapes %s and %s are not compatible" % (shape, x.shape))
        shape = shape.merge_with(x.shape)
    if shape.dims is None:
        return [(xs[0].dtype, TensorShape(None))]
    dims = list(shape.dims)
    axis = attrs["axis"] % (len(dims) + 1)
    dims.insert(axis, len(xs))
    return [(xs[0].dtype, TensorShape(dims))]


@register_op("Pack", infer=_pack_infer)
def _pack_kernel(xp, attrs, *xs):
    return xp.stack(xs, axis=attrs["axis"])


@register_op("Unpack", infer=lambda attrs, x: [(x.dtype, TensorShape(
    None if x.shape.dims is None else [d for i, d in enumerate(x.shape.dims) if i != attrs["axis"] % len(x.shape.dims)]))] * attrs["num"])
def _unpack_kernel(xp, attrs, x):
    axis = attrs["axis"]
    return [xp.take(x, i, axis=axis) for i in range(x.shape[axis])]


@register_gradient("Pack")
def _pack_grad(op, grad):
    return list(unstack(grad, num=len(op.inputs), axis=op.attrs["axis"]))


@register_gradient("Unpack")
def _unpack_grad(op, *grads):
    grads = [zeros_like(t) if gr is None else gr for gr, t in zip(grads, op.outputs)]
    return [stack(grads, axis=op.attrs["axis"])]


def stack(values, axis=0, name="stack"):
    """Stacks rank-R tensors into one rank-(R+1) tensor along `axis` (tf.stack)."""
    xs = [_graph.convert_to_tensor(v) for v in values]
    return _op("Pack", xs, {"axis": int(axis)}, name=name)


def unstack(value, num=None, axis=0, name="unstack"):
    """Splits `value` along `axis` into a list of tensors (tf.unstack).

    Raises:
      ValueError: `num` is None and the dimension is unknown.
    """
    x = _graph.convert_to_tensor(value)
    if num is None:
        dims = x.shape.dims
        if dims is None or dims[axis] is None:
            raise ValueError("Cannot infer num from shape %s" % x.shape)
        num = dims[axis]
    g = _graph.get_default_graph()
    return g.create_op("Unpack", [x], {"axis": int(axis), "num": int(num)}, name=name).outputs


# -- gather ----------------------------------------------------------------------------------
def _gather_infer(attrs, params, indices):
    if params.shape.dims is None or indices.shape.dims is None:
        return [(params.dtype, TensorShape(None))]
    axis = attrs["axis"] % len(params.shape.dims)
    p = list(params.shape.dims)
    return [(params.dtype, TensorShape(p[:axis] + list(indices.shape.dims) + p[axis + 1:]))]


@register_op("GatherV2", infer=_gather_infer)
def _gather_kernel(xp, attrs, params, indices):
    return xp.take(params, indices, axis=attrs["axis"])


@register_gradient("GatherV2")
def _gather_grad(op, grad):
    from ..framework.indexed_slices import IndexedSlices
    params, indices = op.inputs
    if op.attrs["axis"] != 0:
        raise NotImplementedError("gather gradient for axis != 0")
    params_shape = shape(params)
    values = grad if indices.shape.ndims == 1 else reshape(grad, _rows_shape(params_shape))
    return [IndexedSlices(values, reshape(indices, [-1]), params_shape), None]


def _rows_shape(params_shape):
    return _op("RowsShape", [params_shape])


@register_op("RowsShape", infer=lambda attrs, s: [(s.dtype, TensorShape([None]))])
def _rows_shape_kernel(xp, attrs, s):
    return xp.concatenate([xp.asarray([-1], dtype=s.dtype), s[1:]])


NotDifferentiable("RowsShape")


def gather(params, indices, validate_indices=None, name=None, axis=0):
    """Gathers slices of `params` along `axis` at `indices` (tf.gather)."""
    p = _graph.convert_to_tensor(params)
    i = _graph.convert_to_tensor(indices)
    return _op("GatherV2", [p, i], {"axis": int(axis)}, name=name)
