"""Gradient-check cases for every registered differentiable op type.

Each op family has a module here (math_cases.py, array_cases.py, nn_cases.py, ...)
defining CASES, a list of OpCase. The property test (test_gradient_properties.py)
checks each case against central finite differences in float64, drawing input
values with hypothesis, and fails when a registered op has a gradient but no case,
or has neither a gradient nor a NotDifferentiable entry.
"""
import dataclasses
import importlib
import pkgutil
from typing import Callable, Optional, Sequence


@dataclasses.dataclass
class OpCase:
    """One way to exercise an op type's gradient.

    Attributes:
      op_type: the registered op type the case covers (it must appear in the built graph).
      build: build(*inputs) -> output Tensor, given float64 Tensors for `shapes`.
      shapes: the shapes of the differentiable inputs, e.g. [(2, 3), (3,)].
      domain: where input values are drawn: "real" [-2, 2], "positive" [0.2, 2],
        "unit" (-0.9, 0.9), "nonzero" |x| in [0.2, 2].
      order: highest derivative order checked (1, or 2 for smooth ops).
      kink: optional kink(*arrays) -> bool: True when the inputs sit at a point where
        the op is not differentiable (e.g. ties of max); such draws are rejected with
        hypothesis' `assume` (so hypothesis draws others in their place).
      away_from: kink points of the input values (e.g. (0.0,) for relu): values are
        drawn at least `margin` away from them (`tinygraph.testing.strategies.arrays`).
      margin: the distance kept from `away_from`.
      unique: draw inputs with distinct elements.
      min_gap: draw inputs whose elements are pairwise at least this far apart (no
        near-ties: max/min reductions, max pooling).
      examples: fixed points (tuples of arrays, one per input), checked on every run;
        default: one seeded point in the domain, away from the kinks.
      name: a label for test ids (defaults to op_type).
    """

    op_type: str
    build: Callable
    shapes: Sequence
    domain: str = "real"
    order: int = 2
    kink: Optional[Callable] = None
    name: str = ""
    away_from: Sequence = ()
    margin: float = 1e-2
    unique: bool = False
    min_gap: float = 0.0
    examples: Sequence = ()

    def __post_init__(self):
        if not self.name:
            self.name = self.op_type


def all_cases():
    """Every OpCase of every module in this package."""
    cases = []
    for info in pkgutil.iter_modules(__path__):
        mod = importlib.import_module(__name__ + "." + info.name)
        cases.extend(getattr(mod, "CASES", []))
    return cases
