"""tf.map_fn, tf.scan and tf.foldl: functions applied along the first axis, built on
one while_loop with TensorArrays (so their gradients are the loop's gradient)."""
from ..framework import nest
from ..framework import graph as _graph
from ..ops import array_ops
from ..ops.constant_op import constant
from .tensor_array import TensorArray
from .while_loop import while_loop

__all__ = ["map_fn", "scan", "foldl"]


def _unstacked(elems):
    flat = [_graph.convert_to_tensor(e) for e in nest.flatten(elems)]
    n = array_ops.shape(flat[0])[0]
    tas = [TensorArray(e.dtype, size=n, element_shape=e.shape[1:]).unstack(e) for e in flat]
    return flat, n, tas


def scan(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False,
         infer_shape=True, reverse=False, name=None):
    """Cumulative application: a_t = fn(a_{t-1}, x_t), stacking every a_t (tf.scan).

    Args:
      fn: fn(accumulator, element) -> new accumulator (same structure as `initializer`).
      elems: a tensor (or structure of tensors) scanned along axis 0.
      initializer: the first accumulator; default: elems[0] (then the scan starts at 1).
      reverse: scan from the last element to the first.

    Returns:
      The stacked accumulators, structured like `initializer` (or `elems`).
    """
    with _graph.name_scope(name, "scan"):
        flat, n, tas = _unstacked(elems)

        def read(i):
            return nest.pack_sequence_as(elems, [ta.read(i) for ta in tas])
        step = -1 if reverse else 1
        if initializer is None:  # the first element is the first accumulator
            first = n - 1 if reverse else constant(0)
            structure, acc, start = elems, read(first), first + step
        else:
            structure, acc, start = initializer, initializer, (n - 1 if reverse else constant(0))
        acc_flat = [_graph.convert_to_tensor(a) for a in nest.flatten(acc)]
        outs = [TensorArray(a.dtype, size=n, element_shape=a.shape if infer_shape else None)
                for a in acc_flat]
        if initializer is None:
            outs = [ta.write(first, a) for ta, a in zip(outs, acc_flat)]

        def body(i, acc_flat, outs):
            new = fn(nest.pack_sequence_as(structure, acc_flat), read(i))
            new_flat = [_graph.convert_to_tensor(v) for v in nest.flatten(new)]
            return i + step, new_flat, [ta.write(i, v) for ta, v in zip(outs, new_flat)]
        _, _, outs = while_loop(lambda i, acc, outs: i >= 0 if reverse else i < n, body,
                                [start, acc_flat, outs], parallel_iterations=parallel_iterations,
                                back_prop=back_prop, swap_memory=swap_memory)
        return nest.pack_sequence_as(structure, [ta.stack() for ta in outs])


def map_fn(fn, elems, dtype=None, parallel_iterations=10, back_prop=True, swap_memory=False,
           infer_shape=True, name=None):
    """fn applied to each element along axis 0, results stacked (tf.map_fn).

    Args:
      fn: fn(element) -> tensor (or structure).
      elems: a tensor (or structure of tensors) unstacked along axis 0.
      dtype: the output dtype (structure) when it differs from elems'.
    """
    with _graph.name_scope(name, "map"):
        flat, n, tas = _unstacked(elems)
        first = fn(nest.pack_sequence_as(elems, [ta.read(0) for ta in tas]))
        template = [_graph.convert_to_tensor(v) for v in nest.flatten(first)]
        out_tas = [TensorArray(t.dtype, size=n, element_shape=t.shape if infer_shape else None)
                   for t in template]

        def body(i, outs):
            value = fn(nest.pack_sequence_as(elems, [ta.read(i) for ta in tas]))
            return i + 1, [ta.write(i, _graph.convert_to_tensor(v)) for ta, v in zip(outs, nest.flatten(value))]
        _, outs = while_loop(lambda i, outs: i < n, body, [constant(0), out_tas],
                             parallel_iterations=parallel_iterations, back_prop=back_prop,
                             swap_memory=swap_memory)
        return nest.pack_sequence_as(first, [ta.stack() for ta in outs])


def foldl(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False,
          name=None):
    """fn folded over elems from the left: the last accumulator of scan (tf.foldl)."""
    with _graph.name_scope(name, "foldl"):
        stacked = scan(fn, elems, initializer, parallel_iterations, back_prop, swap_memory)
        return nest.map_structure(lambda s: s[-1], stacked)
