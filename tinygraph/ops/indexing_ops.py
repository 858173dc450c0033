"""Indexing: tf.gather, gather_nd, scatter_nd, unsorted_segment_sum (the dense form of
gather's IndexedSlices gradient), one_hot, where, sequence_mask, boolean_mask.
"""
from ..framework import dtypes, graph as _graph
from ..framework.graph import op_output
from ..framework.indexed_slices import IndexedSlices
from ..framework.registry import NotDifferentiable, register_gradient, register_op
from ..framework.tensor_shape import TensorShape
from .array_creation_ops import range, zeros_like
from .array_helpers import (_bracket, _host_args, _ints, _merge, _norm_axis, _partial_shape,
                            _pyrange, _shape_error, _static_axis)
from .binary_ops import maximum
from .cast_ops import cast
from .comparison_ops import less
from .constant_op import constant
from .join_split_ops import concat
from .math_helpers import binary_inputs
from .reduction_ops import reduce_max
from .shape_ops import expand_dims, reshape, shape, size, squeeze
from .shape_utils import constant_value
from .transpose_ops import transpose

__all__ = ["gather", "gather_nd", "scatter_nd", "one_hot", "where", "sequence_mask",
           "boolean_mask", "unsorted_segment_sum"]


# -- gather --------------------------------------------------------------------------------------
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
    rows = unsorted_segment_sum(transpose(grad, perm), indices, n)
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
    return op_output("GatherV2", [p, i], {"axis": _static_axis(axis)}, name=name)


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
    return op_output("GatherNd", [p, i], name=name)


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
    return op_output("ScatterNd", [i, u, s], name=name)


# -- one_hot -------------------------------------------------------------------------------------
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
        return op_output("OneHot", [idx, d, on, off], {"axis": -1 if axis is None else int(axis)}, name=scope)


# -- where ---------------------------------------------------------------------------------------
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
        return op_output("Where", [c], name=name)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    x, y = binary_inputs(x, y, "Select")
    return op_output("Select", [c, x, y], name=name)


# -- masks ---------------------------------------------------------------------------------------
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
            maxlen = reduce_max(lengths)
            maxlen = maximum(constant(0, dtype=maxlen.dtype), maxlen)
        else:
            maxlen = _graph.convert_to_tensor(maxlen)
        if maxlen.shape.ndims not in (None, 0):
            raise ValueError("maxlen must be scalar for sequence_mask")
        row = range(constant(0, dtype=maxlen.dtype), maxlen, constant(1, dtype=maxlen.dtype))
        col = cast(expand_dims(lengths, -1), maxlen.dtype)
        result = less(row, col)
        dtype = dtypes.as_dtype(dtype)
        return result if dtype == dtypes.bool_ else cast(result, dtype)


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


# -- segment sums (dense form of IndexedSlices) --------------------------------------------------
def _segment_infer(attrs, data, ids, n):
    nv = constant_value(n)
    rest = data.shape.dims[ids.shape.ndims:] if data.shape.dims is not None and ids.shape.ndims is not None else None
    if rest is None:
        return [(data.dtype, TensorShape(None))]
    return [(data.dtype, TensorShape([None if nv is None else int(nv)] + list(rest)))]


@register_op("UnsortedSegmentSum", infer=_segment_infer)
def _segment_sum_kernel(xp, attrs, data, ids, n):
    out = xp.zeros((int(n),) + data.shape[ids.ndim:], dtype=data.dtype)
    xp.add.at(out, ids, data)
    return out


@register_gradient("UnsortedSegmentSum")
def _segment_sum_grad(op, grad):
    return [gather(grad, op.inputs[1]), None, None]


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    """out[i] = sum of data[j] over j with segment_ids[j] == i (tf.unsorted_segment_sum).

    Args:
      data: a numeric Tensor.
      segment_ids: an int Tensor whose shape is a prefix of data's shape.
      num_segments: the number of output rows.
      name: a name for the op.
    """
    data = _graph.convert_to_tensor(data)
    ids = _graph.convert_to_tensor(segment_ids)
    n = _graph.convert_to_tensor(num_segments)
    return op_output("UnsortedSegmentSum", [data, ids, n], name=name)


def _indexed_slices_to_dense(value, dtype=None, name=None):
    """tf.convert_to_tensor of an IndexedSlices: its rows scatter-added into a dense tensor.

    Raises:
      ValueError: the IndexedSlices has no dense_shape, or `dtype` is not its dtype.
    """
    if value.dense_shape is None:
        raise ValueError("Tensor conversion requested for IndexedSlices without dense_shape: %s" % value)
    if dtype is not None and dtype != value.dtype:
        raise ValueError("Tensor conversion requested dtype %s for IndexedSlices with dtype %s"
                         % (dtype.name, value.dtype.name))
    return unsorted_segment_sum(value.values, value.indices, value.dense_shape[0],
                                name=name or "IndexedSlicesToDense")


_graph.register_tensor_conversion_function(IndexedSlices, _indexed_slices_to_dense)
