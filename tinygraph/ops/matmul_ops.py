"""Products: tf.matmul and tf.tensordot."""
from ..backend import hostnp as np
from ..framework import dtypes
from ..framework.graph import op_output
from ..framework.registry import register_gradient, register_op
from ..framework.tensor_shape import TensorShape
from ..passes.aliasing import mark_fresh_output
from .indexing_ops import gather
from .join_split_ops import concat, stack
from .math_helpers import _FLOATS, _broadcast_shape, _check_dtype, _scope, binary_inputs
from .reduction_ops import reduce_prod
from .shape_ops import reshape, shape, unbroadcast
from .transpose_ops import transpose

__all__ = ["matmul", "tensordot"]


# -- matmul and tensordot ------------------------------------------------------------------------
def _matmul_infer(attrs, a, b):
    _check_dtype("MatMul", a, _FLOATS + (dtypes.int32, dtypes.int64), "a")
    if a.dtype != b.dtype:
        raise TypeError("Input 'b' of 'MatMul' Op has type %s that does not match type %s of "
                        "argument 'a'." % (b.dtype.name, a.dtype.name))
    ta, tb = attrs["transpose_a"], attrs["transpose_b"]
    sa, sb = a.shape.dims, b.shape.dims
    for s in (sa, sb):
        if s is not None and len(s) < 2:
            raise ValueError("Shape must be at least rank 2 but is rank %d for 'MatMul' (op: "
                             "'MatMul') with input shapes: %s, %s."
                             % (len(s), a.shape.as_bracket_str(), b.shape.as_bracket_str()))
    if sa is None or sb is None:
        return [(a.dtype, TensorShape(None))]
    m, ka = (sa[-1], sa[-2]) if ta else (sa[-2], sa[-1])
    kb, n = (sb[-1], sb[-2]) if tb else (sb[-2], sb[-1])
    if ka is not None and kb is not None and ka != kb:
        raise ValueError("Dimensions must be equal, but are %d and %d for 'MatMul' (op: 'MatMul') "
                         "with input shapes: %s, %s." % (ka, kb, a.shape.as_bracket_str(),
                                                          b.shape.as_bracket_str()))
    batch = _broadcast_shape("MatMul", TensorShape(sa[:-2]), TensorShape(sb[:-2]))
    return [(a.dtype, batch.concatenate([m, n]))]


def _matmul_bind(op, ctx):
    matmul_ = ctx.xp.matmul
    ta, tb = op.attrs["transpose_a"], op.attrs["transpose_b"]
    if not ta and not tb:
        return matmul_
    xp = ctx.xp
    # A transposed operand that is the same array as last call (a weight inside a loop)
    # is kept as a contiguous copy: BLAS is markedly faster on it. Only variables are
    # changed in place (by optimizer updates, which bump ctx.variables_version), so the
    # same object at the same version means the same values.
    # Per operand one entry (array, variables_version, its contiguous transpose or None),
    # read and replaced whole: threads running this plan at once never mix two entries.
    cache = [None, None]

    def transposed(x, k):
        if x.ndim != 2 or x.size < 1024:
            return x.swapaxes(-1, -2)
        entry, version = cache[k], ctx.variables_version
        if entry is None or entry[0] is not x or entry[1] != version:  # first sight
            cache[k] = (x, version, None)
            return x.T
        if entry[2] is None:  # seen twice in a row: worth a contiguous copy
            entry = cache[k] = (x, version, xp.ascontiguousarray(x.T))
        return entry[2]

    if ta and tb:
        return lambda a, b: matmul_(transposed(a, 0), transposed(b, 1))
    if ta:
        return lambda a, b: matmul_(transposed(a, 0), b)
    return lambda a, b: matmul_(a, transposed(b, 1))


@register_op("MatMul", infer=_matmul_infer, bind=_matmul_bind)
def _matmul_kernel(xp, attrs, a, b):
    if attrs["transpose_a"]:
        a = xp.swapaxes(a, -1, -2)
    if attrs["transpose_b"]:
        b = xp.swapaxes(b, -1, -2)
    return xp.matmul(a, b)


mark_fresh_output("MatMul")  # its kernel always returns a new array (see binary_ops.py)


@register_gradient("MatMul")
def _matmul_grad(op, grad):
    a, b = op.inputs
    ta, tb = op.attrs["transpose_a"], op.attrs["transpose_b"]
    if not ta and not tb:
        ga, gb = matmul(grad, b, transpose_b=True), matmul(a, grad, transpose_a=True)
    elif not ta and tb:
        ga, gb = matmul(grad, b), matmul(grad, a, transpose_a=True)
    elif ta and not tb:
        ga, gb = matmul(b, grad, transpose_b=True), matmul(a, grad)
    else:
        ga, gb = matmul(b, grad, transpose_a=True, transpose_b=True), \
            matmul(grad, a, transpose_a=True, transpose_b=True)
    if any(t.shape.ndims is None or t.shape.ndims > 2 for t in (a, b)):  # batch dims may broadcast
        ga, gb = unbroadcast(ga, a), unbroadcast(gb, b)
    return [ga, gb]


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, name=None):
    """Matrix product a @ b over the last two axes, with batch dims broadcast (tf.matmul).

    Args:
      a, b: Tensors of rank >= 2 and the same dtype (float, int32 or int64).
      transpose_a, transpose_b: transpose the last two axes first.
      adjoint_a, adjoint_b: the same as transpose for real types.
      a_is_sparse, b_is_sparse: hints; ignored.
      name: a name for the op (default "MatMul").

    Raises:
      ValueError: the inner dimensions differ, a rank is below 2, or both transpose_x
        and adjoint_x are set.
      TypeError: the dtypes differ.
    """
    if transpose_a and adjoint_a:
        raise ValueError("Only one of transpose_a and adjoint_a can be True.")
    if transpose_b and adjoint_b:
        raise ValueError("Only one of transpose_b and adjoint_b can be True.")
    with _scope(name, "MatMul") as scope:
        a, b = binary_inputs(a, b, "MatMul")
        attrs = {"transpose_a": bool(transpose_a or adjoint_a),
                 "transpose_b": bool(transpose_b or adjoint_b)}
        return op_output("MatMul", [a, b], attrs, name=scope)


def _tensordot_axes(axes, rank_a, rank_b):
    """(a_axes, b_axes) as lists of non-negative ints from TF's `axes` forms."""
    if isinstance(axes, (int, np.integer)):
        if axes < 0:
            raise ValueError("'axes' must be at least 0.")
        if axes > rank_a or axes > rank_b:
            raise ValueError("'axes' must not be larger than the number of dimensions of tensor")
        return list(range(rank_a - axes, rank_a)), list(range(axes))
    if not isinstance(axes, (list, tuple)) or len(axes) != 2:
        raise ValueError("'axes' must be an integer or have length 2.")
    a_axes, b_axes = ([int(v)] if isinstance(v, (int, np.integer)) else [int(i) for i in v]
                      for v in axes)
    if len(a_axes) != len(b_axes):
        raise ValueError("Different number of contraction axes 'a' and 'b', %d != %d."
                         % (len(a_axes), len(b_axes)))
    for ax, rank in ((a_axes, rank_a), (b_axes, rank_b)):
        for i in ax:
            if not -rank <= i < rank:
                raise ValueError("axis %d is out of range for a tensor of rank %d" % (i, rank))
    return [i % rank_a for i in a_axes], [i % rank_b for i in b_axes]


def _as_matrix(t, row_axes, col_axes):
    """Transposes `t` to row_axes + col_axes and flattens each group into one axis."""
    perm = row_axes + col_axes
    if perm != list(range(len(perm))):
        t2 = transpose(t, perm)
    else:
        t2 = t
    dims = t.shape.dims

    def size(axes):
        known = [dims[i] for i in axes]
        return None if None in known else int(np.prod(known, dtype=np.int64))
    rows, cols = size(row_axes), size(col_axes)
    if rows is not None or cols is not None:
        return reshape(t2, [-1 if rows is None else rows, -1 if cols is None else cols])
    s = shape(t)
    rows = reduce_prod(gather(s, np.asarray(row_axes, np.int32)))
    cols = reduce_prod(gather(s, np.asarray(col_axes, np.int32)))
    return reshape(t2, stack([rows, cols]))


def tensordot(a, b, axes, name=None):
    """Sums the products of a and b over the given axes (tf.tensordot).

    Args:
      a, b: Tensors of the same dtype, with known rank.
      axes: an int N (the last N axes of a with the first N of b), or a pair
        [a_axes, b_axes] of ints or equal-length lists of ints.
      name: a name for the op (default "Tensordot").

    Returns:
      A Tensor of shape a's free dims + b's free dims (free: not contracted).

    Raises:
      ValueError: bad `axes`, an unknown rank, or contracted dims that differ.
      TypeError: the dtypes differ.
    """
    with _scope(name, "Tensordot") as scope:
        a, b = binary_inputs(a, b, "Tensordot")
        if a.shape.ndims is None or b.shape.ndims is None:
            raise ValueError("tensordot needs inputs of known rank, got %s and %s" % (a.shape, b.shape))
        a_axes, b_axes = _tensordot_axes(axes, a.shape.ndims, b.shape.ndims)
        da, db = a.shape.dims, b.shape.dims
        for i, j in zip(a_axes, b_axes):
            if da[i] is not None and db[j] is not None and da[i] != db[j]:
                raise ValueError("Dimensions must be equal, but are %d and %d for contracted axes "
                                 "%d of a %s and %d of b %s" % (da[i], db[j], i, a.shape, j, b.shape))
        free_a = [i for i in range(len(da)) if i not in a_axes]
        free_b = [i for i in range(len(db)) if i not in b_axes]
        product = matmul(_as_matrix(a, free_a, a_axes), _as_matrix(b, b_axes, free_b))
        out_dims = [da[i] for i in free_a] + [db[i] for i in free_b]
        if None not in out_dims:
            return reshape(product, out_dims, name=scope)
        out_shape = concat([gather(shape(a), np.asarray(free_a, np.int32)),
                                      gather(shape(b), np.asarray(free_b, np.int32))], 0)
        out = reshape(product, out_shape, name=scope)
        out.set_shape(out_dims)
        return out
