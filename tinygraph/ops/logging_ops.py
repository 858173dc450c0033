"""tf.Print: an identity that prints tensors when it runs (the TF 1.x debugging op)."""
import sys

from ..backend import to_host_small
from ..framework import graph as _graph
from ..framework.registry import register_gradient, register_op

__all__ = ["Print"]


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
