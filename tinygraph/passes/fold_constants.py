"""Constant folding: steps whose inputs are all constants are computed once, at compile.

The folded step keeps its place; its kernel becomes a `Folded` value, which the
generated code assigns instead of calling anything. Ops with state (variables, random
draws) and ops making TensorArrays (a fresh mutable value per run) are never folded; a
step that fails now is left to fail when the plan runs, with the usual error.
"""
from ..framework import dtypes
from ..steps import Folded


def fold_constants(steps, plan):
    """The steps, with those computable now replaced by their values.

    Args:
      steps: a list of Steps.
      plan: the Plan being compiled (unused: folding needs nothing else).

    Returns:
      A new list of Steps.
    """
    known, out = {}, []
    for step in steps:
        op = step.op
        if not step.outs or op.op_def.stateful \
                or not all(s in known for s in step.ins) \
                or any(t.dtype is dtypes.variant for t in op.outputs):
            out.append(step)
            continue
        try:
            result = step.fn(*[known[s] for s in step.ins])
        except Exception:  # noqa: BLE001 - reported when the plan runs, as usual
            out.append(step)
            continue
        for slot, value in zip(step.outs, (result,) if len(step.outs) == 1 else result):
            if slot is not None:
                known[slot] = value
        out.append(step._replace(fn=Folded(result)))
    return out
