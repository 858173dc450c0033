"""tinygraph.testing: compute_gradient, check_gradients and the hypothesis strategies."""
import numpy as np
import pytest
from hypothesis import given

import tinygraph as tf
from tinygraph.framework import registry
from tinygraph.testing import (TOLERANCES, GradientChecker, check_gradients, compute_gradient,
                               compute_gradient_error)
from tinygraph.testing import strategies as tgst


# -- test-only ops (types start with "TestOnly": the coverage test ignores them) -----------------
def _register_test_ops():
    if "TestOnlyBadSquare" in registry.registered_ops():
        return
    same = lambda attrs, *xs: [(xs[0].dtype, xs[0].shape)]  # noqa: E731

    # x^2 with a wrong gradient (x instead of 2x).
    registry.register_op("TestOnlyBadSquare", infer=same)(lambda xp, attrs, x: x * x)
    registry.register_gradient("TestOnlyBadSquare")(lambda op, grad: [grad * op.inputs[0]])

    # A relu of our own, to test kink reports without depending on tf.nn.
    registry.register_op("TestOnlyRelu", infer=same)(lambda xp, attrs, x: xp.maximum(x, 0))
    registry.register_op("TestOnlyStep", infer=same)(lambda xp, attrs, x: (x > 0).astype(x.dtype))
    registry.NotDifferentiable("TestOnlyStep")
    registry.register_gradient("TestOnlyRelu")(
        lambda op, grad: [grad * _op("TestOnlyStep", op.inputs[0])])

    # x^3 with a right first derivative whose own gradient is wrong (second order fails).
    registry.register_op("TestOnlyCube", infer=same)(lambda xp, attrs, x: x * x * x)
    registry.register_op("TestOnlyCubeGrad", infer=same)(lambda xp, attrs, x, dy: 3 * x * x * dy)
    registry.register_gradient("TestOnlyCube")(
        lambda op, grad: [_op("TestOnlyCubeGrad", op.inputs[0], grad)])
    registry.register_gradient("TestOnlyCubeGrad")(
        lambda op, grad: [3 * op.inputs[0] * op.inputs[1] * grad,  # should be 6 x dy
                          3 * op.inputs[0] * op.inputs[0] * grad])


def _op(op_type, *inputs):
    return tf.get_default_graph().create_op(op_type, list(inputs), {}, name=op_type[8:]).outputs[0]


_register_test_ops()


# -- compute_gradient (TF 1.x API) ----------------------------------------------------------------
def test_compute_gradient_of_matmul_matches_analytic_jacobian():
    rng = np.random.RandomState(0)
    w0 = rng.randn(3, 4)
    x = tf.placeholder(tf.float64, [2, 3])
    y = tf.matmul(x, tf.constant(w0))
    with tf.Session():
        jt, jn = compute_gradient(x, [2, 3], y, [2, 4], x_init_value=rng.randn(2, 3))
    want = np.kron(np.eye(2), w0)  # d y[a, b] / d x[a, c] = W[c, b]
    assert jt.shape == jn.shape == (6, 8)
    np.testing.assert_allclose(jt, want, rtol=1e-12)
    np.testing.assert_allclose(jn, want, rtol=1e-8)


def test_compute_gradient_list_and_error():
    a = tf.placeholder(tf.float64, [3])
    b = tf.placeholder(tf.float64, [3])
    y = a * b
    a0, b0 = np.array([1.0, 2.0, 3.0]), np.array([-1.0, 0.5, 2.0])
    with tf.Session():
        (ja, na), (jb, nb) = compute_gradient([a, b], [[3], [3]], y, [3], x_init_value=[a0, b0])
        np.testing.assert_allclose(ja, np.diag(b0))
        np.testing.assert_allclose(jb, np.diag(a0))
        err = compute_gradient_error(a, [3], y, [3], x_init_value=a0, extra_feed_dict={b: b0})
    assert err < 1e-8


def test_compute_gradient_needs_session_and_matching_shape():
    x = tf.placeholder(tf.float64, [2])
    y = x * x
    with pytest.raises(ValueError, match="default session"):
        compute_gradient(x, [2], y, [2])
    with tf.Session():
        with pytest.raises(ValueError, match="x_shape"):
            compute_gradient(x, [2], y, [2], x_init_value=np.zeros(3))


def test_compute_gradient_error_catches_wrong_gradient():
    x = tf.placeholder(tf.float64, [3])
    y = _op("TestOnlyBadSquare", x)
    with tf.Session():
        err = compute_gradient_error(x, [3], y, [3], x_init_value=np.array([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(err, 3.0, rtol=1e-5)  # |x - 2x| at x = 3


# -- check_gradients -----------------------------------------------------------------------------
def test_check_gradients_passes_on_correct_gradients_both_orders():
    rng = np.random.RandomState(1)
    r = check_gradients(lambda a, b: tf.tanh(tf.matmul(a, b)), [rng.randn(2, 3), rng.randn(3, 2)],
                        order=2)
    assert r.ok and r.status == "ok"
    assert r.max_error < 1e-7
    assert {(p["order"], p["x"]) for p in r.per_input} == {(1, "x0:0"), (1, "x1:0"), (2, "x0:0"), (2, "x1:0")}
    assert all(p["comparisons"] == 6 for p in r.per_input)


def test_check_gradients_catches_a_wrong_gradient():
    with pytest.raises(AssertionError, match=r"order 1, d/dx0:0 .*analytic"):
        check_gradients(lambda x: _op("TestOnlyBadSquare", x), [np.array([0.5, 1.5])])
    r = check_gradients(lambda x: _op("TestOnlyBadSquare", x), [np.array([0.5, 1.5])],
                        raise_on_failure=False)
    assert r.status == "fail" and not r.ok and len(r.failures) == 2
    assert r.max_error > 0.5
    assert "FAILED" in r.summary()


def test_check_gradients_catches_a_wrong_second_order_gradient():
    x0 = [np.array([0.7, -1.2])]
    assert check_gradients(lambda x: _op("TestOnlyCube", x), x0, order=1).status == "ok"
    with pytest.raises(AssertionError, match="order 2"):
        check_gradients(lambda x: _op("TestOnlyCube", x), x0, order=2)


def test_kink_of_own_relu_is_reported_not_failed():
    x0 = np.array([0.0, 1.0, -1.0])
    # A finite difference across 0 gives 0.5, the gradient says 0: a kink, not a failure.
    r = check_gradients(lambda x: _op("TestOnlyRelu", x), [x0],
                        kink_patterns={"TestOnlyRelu": lambda op, ins, outs: (np.sign(ins[0]), np.abs(ins[0]))})
    assert r.status == "kink" and r.ok
    assert any("Relu" in k for k in r.kinks)
    assert r.per_input[0]["kink_directions"] == 1
    # Without the pattern the checker knows no kink here (TestOnlyStep outputs floats): it fails.
    with pytest.raises(AssertionError):
        check_gradients(lambda x: _op("TestOnlyRelu", x), [x0])
    # Away from 0 all is well.
    assert check_gradients(lambda x: _op("TestOnlyRelu", x), [np.array([0.5, -0.5])]).status == "ok"


def test_relu_at_zero_is_a_kink():
    r = check_gradients(lambda x: tf.nn.relu(x) * x, [np.array([[0.0, 1.0], [-1.0, 2.0]])], order=2)
    assert r.status == "kink"
    assert any("Relu" in k for k in r.kinks)


def test_random_projections_for_large_inputs():
    rng = np.random.RandomState(2)
    r = check_gradients(lambda x: tf.tanh(x) * x, [rng.randn(10, 10)], max_full_size=16,
                        num_directions=4)
    assert r.per_input[0]["comparisons"] == 4 and r.status == "ok"
    with pytest.raises(AssertionError, match="random direction"):
        check_gradients(lambda x: _op("TestOnlyBadSquare", x), [rng.rand(10, 10) + 0.5],
                        max_full_size=16, num_directions=3)


def test_graph_form_with_variables_and_default_session():
    w = tf.Variable(np.array([[0.5, -0.3], [0.2, 0.8]]))
    x = tf.placeholder(tf.float64, [None, 2])
    y = tf.tanh(tf.matmul(x, w))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        r = check_gradients(y, [x, w], feed_dict={x: np.ones((3, 2))}, order=2)
    assert r.status == "ok" and len(r.per_input) == 4


def test_float32_graph_gets_float32_tolerances():
    x = tf.placeholder(tf.float32, [3])
    y = tf.tanh(x) * x
    r = check_gradients(y, x, feed_dict={x: np.array([0.1, -0.5, 1.0], np.float32)})
    assert r.tolerance == TOLERANCES["float32"] and r.status == "ok"
    r64 = check_gradients(lambda v: tf.tanh(v), [np.ones(2)])
    assert r64.tolerance == TOLERANCES["float64"]


def test_checker_is_reusable_across_points():
    x = tf.placeholder(tf.float64, [2])
    checker = GradientChecker(tf.tanh(x) * x, x, order=2)
    n_ops = len(tf.get_default_graph().get_operations())
    for v in ([0.1, 0.2], [-1.0, 1.5]):
        assert checker.check({x: np.array(v)}).status == "ok"
    assert len(tf.get_default_graph().get_operations()) == n_ops


def test_unconnected_input_has_zero_gradient():
    a = tf.placeholder(tf.float64, [2])
    b = tf.placeholder(tf.float64, [2])
    r = check_gradients(tf.tanh(a), [a, b], feed_dict={a: np.ones(2), b: np.ones(2)}, order=2)
    assert r.status == "ok"


def test_bad_arguments():
    with pytest.raises(ValueError, match="order"):
        GradientChecker(tf.constant(1.0), tf.constant(1.0), order=3)
    with pytest.raises(ValueError, match="dtype int32"):
        GradientChecker(tf.constant(1.0), tf.constant(1))


# -- strategies ------------------------------------------------------------------------------------
@given(tgst.shapes(1, 3, 2, 5))
def test_shapes_strategy(shape):
    assert 1 <= len(shape) <= 3 and all(2 <= d <= 5 for d in shape)


@given(tgst.broadcastable_shapes(0, 3, 1, 4))
def test_broadcastable_shapes_broadcast(pair):
    a, b = pair
    out = np.broadcast_shapes(a, b)
    x = tf.placeholder(tf.float64, a)
    y = tf.placeholder(tf.float64, b)
    assert tuple((x + y).shape.as_list()) == out


@given(tgst.arrays("float64", (3, 2), domain="nonzero"), tgst.arrays("float64", (4,), domain="positive"),
       tgst.arrays("float64", (5,), domain="unit"),
       tgst.arrays("float64", (6,), away_from=(0.0, 1.0), margin=0.1, unique=True))
def test_arrays_strategy_domains(nonzero, positive, unit, away):
    assert nonzero.shape == (3, 2) and np.all(np.abs(nonzero) >= 0.2) and np.all(np.abs(nonzero) <= 2)
    assert np.all((positive >= 0.2) & (positive <= 2))
    assert np.all(np.abs(unit) <= 0.9)
    assert np.all(np.abs(away) >= 0.1 - 1e-12) and np.all(np.abs(away - 1.0) >= 0.1 - 1e-12)
    assert len(set(away.tolist())) == 6


def test_unknown_domain():
    with pytest.raises(ValueError, match="Unknown domain"):
        tgst.domain_floats("complex")


@given(tgst.expressions(num_inputs=2, max_depth=3))
def test_expressions_build_tensors(expr):
    a = tf.placeholder(tf.float64, [2])
    b = tf.placeholder(tf.float64, [2])
    y = expr(a, b)
    assert isinstance(y, tf.Tensor) and y.dtype == tf.float64
    assert "(" in repr(expr)
    with pytest.raises(TypeError):
        expr(a)


def test_custom_blocks():
    blocks = [tgst.Block("double", lambda x: x * 2.0)]

    @given(tgst.expressions(num_inputs=1, max_depth=2, unary=blocks, binary=[]))
    def run(expr):
        assert repr(expr).startswith("double(")
        x = tf.constant(np.ones(2))
        with tf.Session() as sess:
            assert sess.run(expr(x))[0] in (2.0, 4.0)
    run()


@given(tgst.arrays("float64", (3, 4), domain="real", min_gap=0.05),
       tgst.arrays("float32", (5,), domain="positive", min_gap=0.1))
def test_arrays_strategy_min_gap(spread, positive):
    for a, gap, lo, hi in ((spread, 0.05, -2.0, 2.0), (positive, 0.1, 0.2, 2.0)):
        flat = np.sort(a.reshape(-1).astype(np.float64))
        assert np.all(np.diff(flat) >= gap * (1 - 1e-6)), flat
        assert np.all((flat >= lo) & (flat <= hi))
    assert spread.shape == (3, 4) and positive.dtype == np.float32


def test_arrays_strategy_min_gap_that_cannot_be_kept():
    with pytest.raises(ValueError, match="min_gap"):
        tgst.arrays("float64", (10,), domain="unit", min_gap=0.5)
    with pytest.raises(ValueError, match="min_gap"):
        tgst.arrays("float64", (3,), domain="nonzero", min_gap=0.1)
