"""tf.count_up_to: a variable counter that raises OutOfRangeError at its limit.

`tf.train.limit_epochs` counts epochs with it, so input producers stop after
`num_epochs` passes.
"""
import threading

from ..backend import host_scalar
from ..framework import dtypes, errors
from ..framework import graph as _graph
from ..framework.registry import NotDifferentiable, register_op

__all__ = ["count_up_to"]


# Threads running input pipelines count together: no two may see one count.
_LOCK = threading.Lock()


def _count_up_to_bind(op, ctx):
    store, var_op, limit, xp = ctx.variables, op.attrs["var"], op.attrs["limit"], ctx.xp

    def count_up_to():
        with _LOCK:
            try:
                old = store[var_op]
            except KeyError:
                raise errors.FailedPreconditionError(
                    None, op, "Attempting to use uninitialized value %s" % var_op.name) from None
            if host_scalar(old) >= limit:
                raise errors.OutOfRangeError(None, op, "Reached limit of %d" % limit)
            store[var_op] = xp.asarray(old + 1, dtype=old.dtype)
            return old
    return count_up_to


register_op("CountUpTo", infer=lambda attrs: [(attrs["var"].outputs[0].dtype, attrs["var"].outputs[0].shape)],
            bind=_count_up_to_bind, stateful=True)(None)  # bound: see bind
NotDifferentiable("CountUpTo")


def count_up_to(ref, limit, name=None):
    """Increments the integer variable `ref` until it reaches `limit` (tf.count_up_to).

    Args:
      ref: a scalar int32 or int64 Variable.
      limit: the value at which counting stops.
      name: the op name.

    Returns:
      A tensor holding the value of `ref` before the increment.

    Raises:
      TypeError: `ref` is not an integer variable.
      OutOfRangeError (at run time): `ref` has reached `limit`.
    """
    var_op = ref.op
    if var_op.type != "VariableV2":
        raise TypeError("count_up_to requires a Variable, got %r" % (ref,))
    if ref.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError("Value passed to parameter 'ref' has DataType %s not in list of allowed "
                        "values: int32, int64" % ref.dtype.base_dtype.name)
    graph = _graph.get_default_graph()
    return graph.create_op("CountUpTo", [], {"var": var_op, "limit": int(limit)},
                           name or "CountUpTo").outputs[0]
