"""Joining and splitting: tf.concat, stack, unstack, split, tile."""
import itertools

from ..backend import hostnp as np
from ..framework import errors, graph as _graph
from ..framework.graph import op_output
from ..framework.registry import register_gradient, register_op
from ..framework.tensor_shape import Dimension, TensorShape
from .array_creation_ops import zeros_like
from .array_helpers import (_bracket, _host_args, _int_vector, _ints, _merge, _norm_axis, _outputs,
                            _partial_value, _pyrange, _pyslice, _shape_error, _static_axis)
from .control_flow_ops import identity
from .reduction_ops import reduce_sum
from .shape_ops import reshape, shape
from .shape_utils import constant_value
from .transpose_ops import transpose

__all__ = ["concat", "stack", "unstack", "split", "tile"]


# -- concat --------------------------------------------------------------------------------------
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
    lead = (_pyslice(None),) * axis
    parts, start = [], 0
    for n in sizes:
        parts.append(grad[lead + (_pyslice(start, start + n),)])
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
      ValueError: `values` is empty, ranks or the other dims differ, or `axis` is out of
        range.
      TypeError: the dtypes differ.
    """
    if not isinstance(values, (list, tuple)):
        values = [values]
    xs = [_graph.convert_to_tensor(v) for v in values]
    if not xs:
        raise ValueError("List argument 'values' to 'ConcatV2' Op with length 0 shorter than "
                         "minimum length 2.")
    axis = _static_axis(axis)
    if len(xs) == 1:
        return identity(xs[0], name=name)
    for x in xs[1:]:
        if x.dtype != xs[0].dtype:
            raise TypeError("Tensors in list passed to 'values' of 'ConcatV2' Op have types [%s] "
                            "that don't all match." % ", ".join(t.dtype.name for t in xs))
    return op_output("ConcatV2", xs, {"axis": axis}, name=name)


# -- stack / unstack -----------------------------------------------------------------------------
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
    return op_output("Pack", xs, {"axis": axis}, name=name)


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


# -- split ---------------------------------------------------------------------------------------
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


# -- tile ----------------------------------------------------------------------------------------
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
    # a negative multiple: unknown here, refused when the op runs (as TF)
    out = [None if k is None or k < 0 else (0 if k == 0 else (None if d is None else d * k))
           for d, k in zip(dims, m)]
    return [(x.dtype, TensorShape(out))]


@register_op("Tile", infer=_tile_infer, bind=_host_args(1))
def _tile_kernel(xp, attrs, x, multiples):
    reps = tuple(_ints(multiples))
    for i, k in enumerate(reps):
        if k < 0:
            raise errors.InvalidArgumentError(None, None, "Expected multiples[%d] >= 0, but got %d"
                                              % (i, k))
    return xp.tile(x, reps)


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
    summed = reduce_sum(reshape(grad, split_shape), axis=list(_pyrange(0, 2 * n, 2)))
    summed.set_shape(x.shape)
    return [summed, None]


def tile(input, multiples, name=None):  # noqa: A002
    """Repeats `input` multiples[i] times along each dimension i (tf.tile).

    Raises:
      ValueError: len(multiples) differs from the rank of `input`.
    """
    x = _graph.convert_to_tensor(input)
    return op_output("Tile", [x, _int_vector(multiples)], name=name)
