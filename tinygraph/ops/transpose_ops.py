"""Reordering: tf.transpose, invert_permutation, reverse, reverse_sequence."""
from ..backend import hostnp as np
from ..framework import graph as _graph
from ..framework.graph import op_output
from ..framework.registry import NotDifferentiable, register_gradient, register_op
from ..framework.tensor_shape import TensorShape
from .array_creation_ops import range
from .array_helpers import _host_args, _int_vector, _ints, _partial_value, _pyrange, _shape_error
from .binary_ops import subtract
from .constant_op import constant
from .shape_ops import rank
from .shape_utils import constant_value

__all__ = ["transpose", "invert_permutation", "reverse", "reverse_v2", "reverse_sequence"]


# -- transpose -----------------------------------------------------------------------------------
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
    return op_output("InvertPermutation", [_graph.convert_to_tensor(x)], name=name)


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
                perm = subtract(r - 1, range(0, r, 1))
            else:
                perm = constant(np.arange(nd)[::-1].astype(np.int32), name="perm")
        else:
            perm = _int_vector(perm)
        return op_output("Transpose", [x, perm], name=scope)


# -- reverse -------------------------------------------------------------------------------------
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
    return op_output("ReverseV2", [x], {"axis": axes}, name=name)


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
    return op_output("ReverseSequence", [x, lengths], {"seq_dim": sd, "batch_dim": bd}, name=name)
