"""Property tests: every registered differentiable op against finite differences.

For each OpCase of tests/op_cases/ (one module per op family), the case's graph and
its gradient graphs are built once in float64; hypothesis then draws input values in
the case's domain and tinygraph.testing.GradientChecker compares the symbolic
gradients (and, for order-2 cases, the gradients of the gradients) with central
differences. Values are drawn away from the case's kinks (`away_from`, `unique`,
and `assume` on its `kink` predicate), so every check must come out "ok"; each case
also checks fixed examples, and fails if it checked fewer than MIN_DRAWN_POINTS drawn
points.

The coverage test fails while a registered op has a gradient but no OpCase, or has
neither a gradient nor a NotDifferentiable entry.
"""
import importlib
import pkgutil
import zlib

import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

import tinygraph as tf
from op_cases import all_cases
from tinygraph.framework import registry
from tinygraph.testing import GradientChecker, check_gradients
from tinygraph.testing import strategies as tgst

# Op types of test-only ops (registered by tests, e.g. with wrong gradients) start with this.
TEST_ONLY_PREFIX = "TestOnly"


def _import_every_module():
    """Imports every tinygraph module, so that every op family is registered."""
    for info in pkgutil.walk_packages(tf.__path__, "tinygraph."):
        try:
            importlib.import_module(info.name)
        except ImportError:  # an optional extra (e.g. a cupy backend) that cannot load here
            pass


_import_every_module()
CASES = all_cases()
_IDS = []
for _c in CASES:
    _n = sum(1 for i in _IDS if i == _c.name or i.startswith(_c.name + "#"))
    _IDS.append(_c.name if _n == 0 else "%s#%d" % (_c.name, _n))


def _op_types(graph):
    """Types of the ops of `graph` and of the sub-graphs (loop/cond bodies) its ops hold."""
    types, stack, seen = set(), [graph], set()
    while stack:
        g = stack.pop()
        if id(g) in seen:
            continue
        seen.add(id(g))
        for op in g.get_operations():
            types.add(op.type)
            for value in op.attrs.values():
                for v in (value if isinstance(value, (list, tuple)) else [value]):
                    if isinstance(v, tf.Graph):
                        stack.append(v)
                    elif hasattr(v, "graph") and isinstance(getattr(v, "graph"), tf.Graph) \
                            and getattr(v, "graph") is not g:
                        stack.append(v.graph)
    return types


_CHECKERS = {}


def _checker_for(case):
    """(checker, placeholders, op types) for `case`, built once in a graph of its own."""
    key = id(case)
    if key not in _CHECKERS:
        graph = tf.Graph()
        with graph.as_default():
            xs = [tf.placeholder(tf.float64, list(s), name="x%d" % i) for i, s in enumerate(case.shapes)]
            y = case.build(*xs)
            types = _op_types(graph)
            checker = GradientChecker(y, xs, order=case.order)
        _CHECKERS[key] = (checker, xs, types)
    return _CHECKERS[key]


def _examples_per_case():
    # A share of the profile's budget: ~100 cases must stay fast in the "ci" profile.
    return max(3, settings().max_examples // 6)


# A case must check at least this many hypothesis-drawn points (besides its fixed
# examples): draws at kinks are rejected with `assume`, and hypothesis replaces them.
MIN_DRAWN_POINTS = 3
POINTS_CHECKED = {}  # case id -> (drawn, fixed), for reports


def _strategy(case):
    return st.tuples(*[tgst.arrays("float64", tuple(s), domain=case.domain, away_from=case.away_from,
                                   margin=case.margin, unique=case.unique, min_gap=case.min_gap)
                       for s in case.shapes])


def _at_kink(case, values):
    if any(np.any(np.abs(v - p) < case.margin * (1 - 1e-9)) for v in values for p in case.away_from):
        return True
    return case.kink is not None and bool(case.kink(*values))


def _fixed_examples(case):
    """The case's own examples, or one seeded point of its domain away from its kinks."""
    if case.examples:
        return [tuple(np.asarray(v, np.float64) for v in ex) for ex in case.examples]
    rng = np.random.RandomState(zlib.crc32(case.name.encode()))
    lo, hi = tgst.DOMAINS[case.domain]
    for _ in range(100):
        values = []
        for shape in case.shapes:
            v = rng.uniform(lo, hi, size=shape)
            if case.domain == "nonzero":
                v = v * rng.choice([-1.0, 1.0], size=shape)
            values.append(v)
        if not _at_kink(case, values):
            return [tuple(values)]
    raise AssertionError("no point away from the kinks of case %s" % case.name)


@pytest.mark.parametrize("case", CASES, ids=_IDS)
def test_op_gradient_matches_finite_differences(case):
    checker, xs, types = _checker_for(case)
    assert case.op_type in types, "case %s does not create a %s op (it made %s)" % (
        case.name, case.op_type, sorted(types))
    fixed = _fixed_examples(case)
    for values in fixed:
        assert not _at_kink(case, values), "fixed example of %s sits at a kink" % case.name
    checked = []

    @settings(max_examples=_examples_per_case(), deadline=None)
    @given(values=_strategy(case))
    def run(values):
        assume(not _at_kink(case, values))
        # raises AssertionError with a report on failure; away from kinks nothing is forgiven
        result = checker.check(dict(zip(xs, values)))
        assert result.status == "ok", result.summary()
        if case.order == 2:
            assert any(r["order"] == 2 and r["comparisons"] for r in result.per_input), result.summary()
        checked.append(values)

    for values in fixed:
        run = example(values=values)(run)
    run()
    drawn = len(checked) - len(fixed)
    POINTS_CHECKED[case.name] = (drawn, len(fixed))
    assert drawn >= min(MIN_DRAWN_POINTS, _examples_per_case()), (
        "case %s checked only %d drawn points (+%d fixed)" % (case.name, drawn, len(fixed)))


# Ops that only gradient builders create, so no forward OpCase can contain them: their
# first-order use is checked by the cases of the ops whose gradients they implement, and
# their own "gradient" raises LookupError (second order through loops and conds).
GRADIENT_GRAPH_ONLY = {
    "AddNVariant": "sums TensorArray gradients (covered by the TensorArray cases)",
    "WhileGrad": "the gradient of While; no second order through loops",
    "IfGrad": "the gradient of If; no second order through conds",
}


def test_second_order_through_loops_and_conds_raises_lookup_error():
    x = tf.placeholder(tf.float64, [])
    _, y = tf.while_loop(lambda i, y: i < 2, lambda i, y: (i + 1, y * y), [tf.constant(0), x])
    g = tf.gradients(y, x)[0]
    with pytest.raises(LookupError, match="WhileGrad"):
        tf.gradients(g, x)
    z = tf.cond(x > 0.0, lambda: x * x, lambda: x)
    gz = tf.gradients(z, x)[0]
    with pytest.raises(LookupError, match="IfGrad"):
        tf.gradients(gz, x)


def test_every_registered_op_is_covered():
    """Each op has (a gradient and an OpCase) or a NotDifferentiable entry."""
    ops = {t: d for t, d in registry.registered_ops().items() if not t.startswith(TEST_ONLY_PREFIX)}
    covered = {c.op_type for c in CASES}
    no_case = sorted(t for t in ops if callable(registry.gradient_of_type(t)) and t not in covered
                     and t not in GRADIENT_GRAPH_ONLY)
    neither = sorted(t for t in ops if registry.gradient_of_type(t) is None)
    unknown = sorted(covered - set(ops))
    problems = []
    if no_case:
        problems.append("ops with a gradient but no OpCase in tests/op_cases/: %s" % ", ".join(no_case))
    if neither:
        problems.append("ops with neither a gradient nor NotDifferentiable: %s" % ", ".join(neither))
    if unknown:
        problems.append("OpCases naming unregistered op types: %s" % ", ".join(unknown))
    for p in problems:
        print(p)
    assert not problems, "\n".join(problems)


# -- random composite graphs -------------------------------------------------------------------
@given(expr=tgst.expressions(num_inputs=2, max_depth=3),
       shapes=tgst.broadcastable_shapes(0, 2, 1, 3), data=st.data())
def test_random_expressions_first_and_second_order(expr, shapes, data):
    a = data.draw(tgst.arrays("float64", shapes[0]), label="a")
    b = data.draw(tgst.arrays("float64", shapes[1]), label="b")
    result = check_gradients(expr, [a, b], order=2)
    assert result.status == "ok", result.summary()


@given(expr=tgst.expressions(num_inputs=1, max_depth=4), data=st.data())
def test_random_expressions_with_matmul(expr, data):
    # "unit" values keep x @ w small: a deep composition of a large product oscillates so
    # fast that central differences themselves become inaccurate (not a gradient error)
    x0 = data.draw(tgst.arrays("float64", (2, 3), domain="unit"), label="x")
    w0 = data.draw(tgst.arrays("float64", (3, 2), domain="unit"), label="w")
    check_gradients(lambda x, w: tf.reduce_sum(expr(tf.matmul(x, w))), [x0, w0], order=2)
