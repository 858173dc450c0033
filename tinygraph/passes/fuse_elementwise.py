"""Elementwise fusion: a chain of elementwise ops runs in one buffer.

A chain such as AddN -> BiasAdd -> Relu allocates once: its first op makes a new
array, each following op writes its result over its input. A step may overwrite its
input `pos` when that value is a fresh array (see aliasing.py) made by an earlier step
of this plan (not a feed, a fetch, a variable or a folded constant) and read by this
step alone, once. Results are unchanged: each in-place form computes its kernel's
values in the same order, and the ordinary kernel runs where the value does not fit the
buffer (broadcasting, dtype).

On NumPy this is what fusion can buy without generating native code: fewer
allocations and less memory traffic, not fewer calls.
"""
from ..steps import Folded
from .aliasing import has_fresh_outputs, mark_fresh_output

_INPLACE = {}  # op type -> (inplace form, input positions it may write into)


def register_inplace(type_name, positions=(0,)):
    """Decorator: registers the in-place form of an elementwise op's kernel.

    `inplace(xp, attrs, pos, *arrays)` must return the op's value written into
    `arrays[pos]` and must raise ValueError or TypeError, before writing anything, when
    the value does not fit that buffer (broadcasting makes it larger, another dtype, a
    0-d scalar); the ordinary kernel then runs. Ops with an in-place form have fresh
    outputs.
    """
    def deco(inplace):
        _INPLACE[type_name] = (inplace, tuple(positions))
        mark_fresh_output(type_name)
        return inplace
    return deco


def fuse_elementwise(steps, plan):
    """The steps, with each step that may overwrite an input given its in-place kernel.

    Args:
      steps: a list of Steps.
      plan: the Plan being compiled (its feed and fetch slots, its RunContext).

    Returns:
      A new list of Steps; the in-place kernels carry `in_place_of` (the position).
    """
    producer, reads = {}, {}
    for step in steps:
        for s in step.ins:
            reads[s] = reads.get(s, 0) + 1
        if len(step.outs) == 1 and step.outs[0] is not None and step.fn.__class__ is not Folded:
            producer[step.outs[0]] = step.op
    private = set(plan.fetch_slots) | set(plan.feed_slots)
    out = []
    for step in steps:
        form = _INPLACE.get(step.op.type)
        if form is not None and step.op.op_def.bind is None and step.fn.__class__ is not Folded:
            for pos in form[1]:
                s = step.ins[pos] if pos < len(step.ins) else None
                maker = producer.get(s)
                if maker is not None and s not in private and reads[s] == 1 and has_fresh_outputs(maker):
                    step = step._replace(fn=_in_place_kernel(step.op, plan.ctx.xp, form[0], pos))
                    break
        out.append(step)
    return out


def _in_place_kernel(op, xp, inplace, pos):
    """`op`'s kernel computing into its input `pos`."""
    kernel, attrs = op.op_def.kernel, op.attrs

    def run(*args):
        try:
            return inplace(xp, attrs, pos, *args)
        except (ValueError, TypeError):  # the value does not fit that buffer
            return kernel(xp, attrs, *args)
    run.in_place_of = pos
    return run
