"""Clipping by norm: rescale tensors whose L2 norm exceeds a bound (tf.clip_by_norm, ...).

All are compositions of math ops, so their gradients come for free. IndexedSlices
inputs are clipped through their `values` (norms are taken over the values as
given, repeated indices counted separately, as in TF). `clip_by_value` lives in
math_ops.
"""
import collections.abc

from ..framework import graph as _graph
from ..framework.indexed_slices import IndexedSlices
from . import array_ops, control_flow_ops, math_ops

__all__ = ["clip_by_norm", "clip_by_global_norm", "global_norm", "clip_by_average_norm"]


def _values_of(t, name):
    if isinstance(t, IndexedSlices):
        return t.values
    return _graph.convert_to_tensor(t, name=name)


def _like(t, values):
    """`values` in the form of `t`: wrapped in an IndexedSlices if `t` was one."""
    if isinstance(t, IndexedSlices):
        return IndexedSlices(values, t.indices, t.dense_shape)
    return values


def clip_by_norm(t, clip_norm, axes=None, name=None):
    """Rescales `t` so that its L2 norm (over `axes`) is at most `clip_norm`.

    Computes t * clip_norm / max(l2norm(t), clip_norm): `t` itself when its norm is
    within the bound. A zero tensor stays zero, with finite gradients.

    Args:
      t: a Tensor or IndexedSlices.
      clip_norm: a positive scalar, the bound.
      axes: the axes of the norm (default: all); other axes are clipped separately.
      name: name of the result (default "clip_by_norm").

    Returns:
      A clipped Tensor (or IndexedSlices) of the shape of `t`.

    Raises:
      ValueError: `clip_norm` would broadcast `t` to another shape.
    """
    with _graph.name_scope(name, "clip_by_norm") as scope:
        values = _values_of(t, "t")
        l2sum = math_ops.reduce_sum(values * values, axes, keepdims=True)
        pred = math_ops.greater(l2sum, 0)
        # Two where ops so that the gradient at a zero norm is zero, not NaN.
        l2sum_safe = array_ops.where(pred, l2sum, array_ops.ones_like(l2sum))
        l2norm = array_ops.where(pred, math_ops.sqrt(l2sum_safe), l2sum)
        intermediate = values * clip_norm
        values.shape.merge_with(intermediate.shape)  # no silent broadcasting by clip_norm
        clipped = control_flow_ops.identity(intermediate / math_ops.maximum(l2norm, clip_norm), name=scope)
    return _like(t, clipped)


def _check_list(t_list):
    if not isinstance(t_list, collections.abc.Sequence) or isinstance(t_list, str):
        raise TypeError("t_list should be a sequence")
    return list(t_list)


def global_norm(t_list, name=None):
    """sqrt(sum of squares of every element of every tensor in `t_list`).

    Args:
      t_list: Tensors, IndexedSlices or None (ignored).
      name: name of the result (default "global_norm").

    Returns:
      A scalar Tensor.

    Raises:
      TypeError: `t_list` is not a sequence.
    """
    t_list = _check_list(t_list)
    with _graph.name_scope(name, "global_norm"):
        values = [_values_of(t, "t_%d" % i) for i, t in enumerate(t_list) if t is not None]
        sums = [math_ops.reduce_sum(v * v) for v in values]
        total = math_ops.reduce_sum(array_ops.stack(sums)) if sums else 0.0
        return math_ops.sqrt(_graph.convert_to_tensor(total), name="global_norm")


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """Rescales every tensor of `t_list` by clip_norm / max(global_norm, clip_norm).

    Example: [3, 4] and [12] (global norm 13) clipped at 6.5 give [1.5, 2] and [6].

    Args:
      t_list: Tensors, IndexedSlices or None (returned as None).
      clip_norm: a positive scalar, the bound.
      use_norm: the global norm to use, if already computed.
      name: name scope (default "clip_by_global_norm").

    Returns:
      (list_clipped, global_norm): the clipped tensors, and the global norm of the
      unclipped ones. If the norm is inf or NaN, every entry becomes NaN.

    Raises:
      TypeError: `t_list` is not a sequence.
    """
    t_list = _check_list(t_list)
    if use_norm is None:
        use_norm = global_norm(t_list, name)
    use_norm = _graph.convert_to_tensor(use_norm)
    with _graph.name_scope(name, "clip_by_global_norm") as scope:
        one = _graph.convert_to_tensor(1.0, dtype=use_norm.dtype)
        clip_norm = _graph.convert_to_tensor(clip_norm, dtype=use_norm.dtype)
        scale = clip_norm * math_ops.minimum(one / use_norm, one / clip_norm)
        scale = scale + (use_norm - use_norm)  # NaN when the norm is inf or NaN
        clipped = []
        for i, t in enumerate(t_list):
            if t is None:
                clipped.append(None)
                continue
            v = _values_of(t, "t_%d" % i)
            clipped.append(_like(t, control_flow_ops.identity(v * scale, name="%s_%d" % (scope, i))))
    return clipped, use_norm


def clip_by_average_norm(t, clip_norm, name=None):
    """Rescales `t` so that its L2 norm divided by its number of elements is at most `clip_norm`.

    Args:
      t: a Tensor.
      clip_norm: a positive scalar.
      name: name of the result (default "clip_by_average_norm").

    Returns:
      The clipped Tensor.
    """
    with _graph.name_scope(name, "clip_by_average_norm") as scope:
        t = _graph.convert_to_tensor(t, name="t")
        n_element = math_ops.cast(array_ops.size(t), t.dtype)
        l2norm_inv = 1.0 / math_ops.sqrt(math_ops.reduce_sum(t * t))
        return control_flow_ops.identity(
            t * clip_norm * math_ops.minimum(l2norm_inv * n_element, 1.0 / clip_norm), name=scope)
