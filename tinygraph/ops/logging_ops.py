"""tf.Print and tf.Assert: the TF 1.x debugging ops (print tensors, check a condition)."""
import sys

from ..backend import to_host_small
from ..framework import dtypes, errors
from ..framework import graph as _graph
from ..framework.registry import NotDifferentiable, register_gradient, register_op

__all__ = ["Print", "Assert"]


def _print_bind(op, ctx):
    message, first_n, summarize = op.attrs["message"], op.attrs["first_n"], op.attrs["summarize"]
    to_host = to_host_small  # an explicit, counted copy: printing is a host affair
    counts = ctx.__dict__.setdefault("print_counts", {})  # per session and op, as TF's kernel

    def show(value, *data):
        counts[op] = counts.get(op, 0) + 1
        if first_n is None or first_n < 0 or counts[op] <= first_n:
            parts = []
            for d in data:
                flat = to_host(d).reshape(-1)
                text = " ".join(str(v) for v in flat[:summarize])
                parts.append("[" + text + ("..." if flat.size > summarize else "") + "]")
            print(message + "".join(parts), file=sys.stderr)
        return value
    return show


# Stateful: it has an effect (printing), so it is never folded or recomputed.
register_op("Print", infer=lambda attrs, x, *data: [(x.dtype, x.shape)], bind=_print_bind,
            stateful=True)(None)  # bound: see bind


@register_gradient("Print")
def _print_grad(op, grad):
    return [grad] + [None] * (len(op.inputs) - 1)


def Print(input_, data, message=None, first_n=None, summarize=None, name=None):  # noqa: N802 - TF's name
    """Returns `input_`, printing `data` (a list of tensors) to stderr when it runs (tf.Print).

    Args:
      input_: the tensor passed through.
      data: tensors whose values are printed.
      message: a prefix for the printed line.
      first_n: print only the first n runs (None or negative: always).
      summarize: how many entries of each tensor to print (default 3).
      name: the op name.
    """
    x = _graph.convert_to_tensor(input_)
    tensors = [_graph.convert_to_tensor(d) for d in data]
    attrs = {"message": message or "", "first_n": first_n, "summarize": 3 if summarize is None else summarize}
    return _graph.get_default_graph().create_op("Print", [x] + tensors, attrs, name or "Print").outputs[0]


def _assert_bind(op, ctx):
    summarize = op.attrs["summarize"]

    def check(condition, *data):
        if bool(to_host_small(condition)):
            return ()
        parts = []
        for d in data:
            flat = to_host_small(d).reshape(-1)
            text = " ".join(v.decode() if isinstance(v, bytes) else str(v) for v in flat[:summarize])
            parts.append("[" + text + ("..." if flat.size > summarize else "") + "]")
        raise errors.InvalidArgumentError(None, op, "assertion failed: " + " ".join(parts))
    return check


# Stateful: a check must run when asked, never be folded away.
register_op("Assert", infer=lambda attrs, cond, *data: [], bind=_assert_bind, stateful=True)(None)
NotDifferentiable("Assert")


def Assert(condition, data, summarize=None, name=None):  # noqa: N802 - TF's name
    """An op that raises InvalidArgumentError when `condition` is false (tf.Assert).

    Args:
      condition: a scalar bool tensor.
      data: tensors (or strings) printed in the error message.
      summarize: how many entries of each tensor to print (default 3).
      name: a name for the scope (the op is `<name>/Assert`).

    Returns:
      The Assert Operation (use it as a control dependency).

    Raises:
      InvalidArgumentError (at run time): `condition` is false.
    """
    graph = _graph.get_default_graph()
    with graph.name_scope(name or "Assert"):
        cond = _graph.convert_to_tensor(condition, dtype=dtypes.bool_, name="condition")
        tensors = [_graph.convert_to_tensor(d, name="data_%d" % i) for i, d in enumerate(data)]
        attrs = {"summarize": 3 if summarize is None else summarize}
        return graph.create_op("Assert", [cond] + tensors, attrs, "Assert")
