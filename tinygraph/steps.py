"""The step: one bound kernel of a Plan, over numbered slots.

A Plan is a list of Steps; running it is a loop that calls each step's kernel on the
values in its input slots and stores the results in its output slots. Optimisation
passes (tinygraph/passes/) rewrite the list: they replace a step's kernel (a folded
value, an in-place form) or merge steps, and say so through the kernel they put in.
"""
from typing import Any, NamedTuple


class Step(NamedTuple):
    """One step of a plan.

    Attributes:
      fn: the bound kernel, fn(*input values) -> the output value (a one-output op) or
        a sequence with one value per output.
      ins: the input slots, in the op's input order.
      outs: one slot per output of the op; None where the output is fed (not stored).
      frees: the slots cleared after this step (their last reader has run).
      op: the Operation (or a pass's merged op) the step computes.
    """
    fn: Any
    ins: tuple
    outs: tuple
    frees: tuple
    op: Any


class Folded:
    """The kernel of a step whose value was computed when the plan was compiled."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __call__(self, *args):
        return self.value

    def __repr__(self):
        return "<Folded %s>" % (getattr(self.value, "shape", None),)


def in_place_position(fn):
    """The input position a kernel writes its result into (see fuse_elementwise), or None."""
    return getattr(fn, "in_place_of", None)
