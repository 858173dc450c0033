"""Hypothesis strategies for testing tinygraph code (requires the `hypothesis` package).

    from hypothesis import given
    from tinygraph.testing import strategies as tgst

    @given(tgst.arrays("float64", (2, 3), domain="positive"))
    def test_log_gradient(x): ...

* `shapes`: array shapes; `broadcastable_shapes`: pairs that broadcast (TF = numpy rules).
* `arrays`: float arrays drawn in a domain ("real", "positive", "unit", "nonzero"),
  optionally kept away from kink points (e.g. 0 for relu), with distinct elements,
  or with elements a minimum gap apart (no near-ties).
* `expressions`: small random composite expressions of differentiable building blocks;
  each draw is a callable building the expression from input tensors.
"""
import dataclasses
from typing import Callable

from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..backend import hostnp as np
from ..ops import math_ops, nn_ops

__all__ = ["DOMAINS", "domain_floats", "shapes", "broadcastable_shapes", "arrays", "Block",
           "Expression", "expressions", "default_unary", "default_binary"]

# name -> (low, high); "nonzero" draws |x| in [low, high] with either sign.
DOMAINS = {
    "real": (-2.0, 2.0),
    "positive": (0.2, 2.0),
    "unit": (-0.9, 0.9),
    "nonzero": (0.2, 2.0),  # |x| in [0.2, 2], either sign
}


def domain_floats(domain="real", width=64):
    """Floats of one of the DOMAINS: "real" [-2, 2], "positive" [0.2, 2],
    "unit" [-0.9, 0.9], "nonzero" |x| in [0.2, 2].

    Raises:
      ValueError: unknown domain.
    """
    if domain not in DOMAINS:
        raise ValueError("Unknown domain %r; expected one of %s" % (domain, sorted(DOMAINS)))
    lo, hi = DOMAINS[domain]
    base = st.floats(lo, hi, allow_nan=False, allow_infinity=False, allow_subnormal=False,
                     width=width)
    if domain == "nonzero":
        return st.tuples(base, st.booleans()).map(lambda p: -p[0] if p[1] else p[0])
    return base


def shapes(min_rank=0, max_rank=3, min_side=1, max_side=4):
    """Array shapes (tuples) of rank in [min_rank, max_rank] and sides in [min_side, max_side]."""
    return st.lists(st.integers(min_side, max_side), min_size=min_rank,
                    max_size=max_rank).map(tuple)


@st.composite
def broadcastable_shapes(draw, min_rank=0, max_rank=3, min_side=1, max_side=4):
    """Pairs of shapes (a, b) that broadcast together under TF's (= numpy's) rules.

    Drawn from a result shape: each operand keeps a suffix of it, with some sides
    replaced by 1.
    """
    result = draw(shapes(min_rank, max_rank, min_side, max_side))
    pair = []
    for _ in range(2):
        rank = draw(st.integers(0, len(result)))
        kept = result[len(result) - rank:]
        ones = draw(st.lists(st.booleans(), min_size=rank, max_size=rank))
        pair.append(tuple(1 if one else d for d, one in zip(kept, ones)))
    return tuple(pair)


def _push_away(value, points, margin):
    for p in points:
        if abs(value - p) < margin:
            return p + margin if value >= p else p - margin
    return value


def _spread(shape, lo, hi, min_gap, np_dtype):
    """Arrays whose elements are pairwise at least `min_gap` apart, in [lo, hi).

    The span is cut into one slot per element; a drawn permutation assigns the slots
    and a drawn offset places each element in its slot, `min_gap` short of the next.
    """
    n = int(np.prod(shape, dtype=np.int64)) if len(shape) else 1
    spacing = (hi - lo) / n
    if spacing <= min_gap:
        raise ValueError("min_gap=%g leaves no room for %d elements in [%g, %g]" % (min_gap, n, lo, hi))
    offsets = st.lists(st.floats(0.0, spacing - min_gap, allow_nan=False, allow_infinity=False),
                       min_size=n, max_size=n)

    def build(pair):
        slots, offs = pair
        return (lo + np.asarray(slots, np.float64) * spacing + np.asarray(offs)).astype(np_dtype).reshape(shape)
    return st.tuples(st.permutations(list(range(n))), offsets).map(build)


def arrays(dtype="float64", shape=(), domain="real", away_from=(), margin=1e-2, unique=False,
           min_gap=None):
    """Float arrays with elements in `domain`.

    Args:
      dtype: a numpy dtype name or tinygraph DType.
      shape: a shape tuple, or a strategy of shapes.
      domain: "real", "positive", "unit" or "nonzero" (see DOMAINS).
      away_from: kink points (e.g. (0.0,) for relu); elements closer than `margin`
        are pushed out to the margin.
      margin: the distance kept from `away_from`.
      unique: all elements distinct (no ties for max/min).
      min_gap: elements pairwise at least this far apart (no near-ties either, for
        max/min reductions and max pooling); needs a shape tuple and the "real",
        "positive" or "unit" domain, and no `away_from`.

    Raises:
      ValueError: unknown domain, or a min_gap that cannot be kept.
    """
    dtype = getattr(dtype, "as_numpy_dtype", dtype)
    np_dtype = np.dtype(dtype)
    if min_gap:
        if domain not in DOMAINS or domain == "nonzero" or away_from or not isinstance(shape, tuple):
            raise ValueError("min_gap needs a shape tuple, the real/positive/unit domain and no away_from")
        lo, hi = DOMAINS[domain]
        return _spread(shape, lo, hi, float(min_gap), np_dtype)
    elements = domain_floats(domain, width=min(64, 8 * np_dtype.itemsize))
    if away_from:
        points = tuple(float(p) for p in away_from)
        elements = elements.map(lambda v: _push_away(v, points, margin))
    return hnp.arrays(np_dtype, shape, elements=elements, unique=unique)


@dataclasses.dataclass(frozen=True)
class Block:
    """A building block of random expressions: `fn` applied to 1 or 2 tensors.

    Attributes:
      name: shown in the expression's repr.
      fn: fn(*tensors) -> Tensor.
      arity: 1 or 2.
    """

    name: str
    fn: Callable
    arity: int = 1


class Expression:
    """A random composite expression over `num_inputs` inputs (a hypothesis draw).

    Call it with that many tensors to build the expression; `repr` shows its formula.
    """

    def __init__(self, tree, num_inputs):
        self.tree = tree
        self.num_inputs = num_inputs

    def __call__(self, *inputs):
        if len(inputs) != self.num_inputs:
            raise TypeError("expression takes %d inputs, got %d" % (self.num_inputs, len(inputs)))
        return self._build(self.tree, inputs)

    def _build(self, node, inputs):
        if isinstance(node, int):
            return inputs[node]
        block, args = node
        return block.fn(*[self._build(a, inputs) for a in args])

    def _show(self, node):
        if isinstance(node, int):
            return "x%d" % node
        block, args = node
        return "%s(%s)" % (block.name, ", ".join(self._show(a) for a in args))

    def __repr__(self):
        return self._show(self.tree)


def _available(specs):
    """Blocks whose tinygraph functions exist (op families may be installed separately)."""
    out = []
    for name, arity, make in specs:
        try:
            fn = make()
        except AttributeError:
            continue
        out.append(Block(name, fn, arity))
    return out


def _half_square(square):
    return lambda x: 0.5 * square(x)


def _div_safe(square):
    return lambda a, b: a / (1.0 + square(b))


# Smooth, bounded-growth blocks: compositions stay finite on the "real" domain.
_UNARY_SPECS = [
    ("tanh", 1, lambda: math_ops.tanh),
    ("sigmoid", 1, lambda: math_ops.sigmoid),
    ("sin", 1, lambda: math_ops.sin),
    ("cos", 1, lambda: math_ops.cos),
    ("neg", 1, lambda: math_ops.negative),
    ("half_square", 1, lambda: _half_square(math_ops.square)),
    ("softplus", 1, lambda: nn_ops.softplus),
]
_BINARY_SPECS = [
    ("add", 2, lambda: math_ops.add),
    ("sub", 2, lambda: math_ops.subtract),
    ("mul", 2, lambda: math_ops.multiply),
    ("div_safe", 2, lambda: _div_safe(math_ops.square)),
]


def default_unary():
    """The default unary blocks (tanh, sigmoid, sin, ...) that the installed ops support."""
    return _available(_UNARY_SPECS)


def default_binary():
    """The default binary blocks that the installed ops support."""
    return _available(_BINARY_SPECS)


@st.composite
def expressions(draw, num_inputs=2, max_depth=3, unary=None, binary=None):
    """Random expressions (Expression objects) built from unary and binary blocks.

    Args:
      num_inputs: how many input tensors the expression takes (each used at least
        once when the tree has room for it).
      max_depth: the deepest nesting of blocks.
      unary, binary: lists of Block (default default_unary(), default_binary()).
    """
    unary = list(default_unary() if unary is None else unary)
    binary = list(default_binary() if binary is None else binary)
    blocks = unary + binary
    if not blocks:
        raise ValueError("expressions needs at least one building block")

    def node(depth):
        if depth == 0 or draw(st.integers(0, 3)) == 0:
            return draw(st.integers(0, num_inputs - 1))
        block = draw(st.sampled_from(blocks))
        return (block, [node(depth - 1) for _ in range(block.arity)])

    tree = node(max_depth)
    if isinstance(tree, int) and binary:  # at least one block
        tree = (draw(st.sampled_from(binary)), [tree, draw(st.integers(0, num_inputs - 1))])
    elif isinstance(tree, int):
        tree = (draw(st.sampled_from(unary)), [tree])
    return Expression(tree, num_inputs)
