"""tf.while_loop, tf.cond and tf.TensorArray: one op each, values and gradients.

Gradients are checked against central finite differences of numpy re-implementations
in float64.
"""
import numpy as np
import pytest

import tinygraph as tf
from tinygraph.framework import errors


def numeric_grad(f, x, eps=1e-6):
    x = np.array(x, dtype=np.float64)
    g = np.zeros_like(x)
    for idx in np.ndindex(*x.shape):
        d = np.zeros_like(x)
        d[idx] = eps
        g[idx] = (f(x + d) - f(x - d)) / (2 * eps)
    return g


def ops_of_type(op_type, graph=None):
    graph = graph or tf.get_default_graph()
    return [op for op in graph.get_operations() if op.type == op_type]


# -- while_loop -------------------------------------------------------------------------------
def test_while_loop_counts_and_returns_final_vars():
    i, s = tf.while_loop(lambda i, s: i < 5, lambda i, s: (i + 1, s + tf.cast(i, tf.float32)),
                         [tf.constant(0), tf.constant(0.0)])
    with tf.Session() as sess:
        assert sess.run([i, s]) == [5, 10.0]


def test_while_loop_is_one_op_whatever_the_trip_count():
    n = tf.placeholder(tf.int32, [])
    out = tf.while_loop(lambda i: i < n, lambda i: i + 1, [tf.constant(0)])
    assert len(ops_of_type("While")) == 1
    with tf.Session() as sess:
        assert sess.run(out, {n: 3}) == 3
        assert sess.run(out, {n: 1000}) == 1000


def test_single_loop_var_comes_back_unwrapped_and_nested_structures_work():
    x = tf.while_loop(lambda x: x < 10, lambda x: x * 2, [tf.constant(1)])
    assert isinstance(x, tf.Tensor)
    pair = tf.while_loop(lambda p: p[0] < 3, lambda p: [(p[0] + 1, {"a": p[1]["a"] * 2.0})],
                         [(tf.constant(0), {"a": tf.constant(1.0)})])
    with tf.Session() as sess:
        assert sess.run(x) == 16
        got = sess.run(pair)
        assert got[0] == 3 and got[1]["a"] == 8.0


def test_maximum_iterations_bounds_the_loop():
    out = tf.while_loop(lambda i: i < 100, lambda i: i + 1, [tf.constant(0)], maximum_iterations=7)
    with tf.Session() as sess:
        assert sess.run(out) == 7


def test_shape_invariants_allow_growing_shapes():
    def body(i, x):
        return i + 1, tf.concat([x, x], 0)
    _, x = tf.while_loop(lambda i, x: i < 3, body, [tf.constant(0), tf.ones([1])],
                         shape_invariants=[tf.TensorShape([]), tf.TensorShape([None])])
    assert x.shape.as_list() == [None]
    with tf.Session() as sess:
        assert sess.run(x).shape == (8,)


def test_shape_change_without_invariant_is_a_value_error():
    with pytest.raises(ValueError, match="enters the loop with shape"):
        tf.while_loop(lambda i, x: i < 3, lambda i, x: (i + 1, tf.concat([x, x], 0)),
                      [tf.constant(0), tf.ones([1])])


def test_bad_arguments():
    with pytest.raises(TypeError, match="cond must be callable"):
        tf.while_loop(1, lambda i: i, [tf.constant(0)])
    with pytest.raises(TypeError, match="body must be callable"):
        tf.while_loop(lambda i: i < 1, 1, [tf.constant(0)])
    with pytest.raises(TypeError, match="type"):
        tf.while_loop(lambda i: i < 1, lambda i: tf.cast(i, tf.float32), [tf.constant(0)])


def test_run_time_error_inside_the_body_names_the_op_and_leaves_session_usable():
    x = tf.placeholder(tf.float32, [None, None])
    w = tf.placeholder(tf.float32, [None, None])
    _, y = tf.while_loop(lambda i, y: i < 2, lambda i, y: (i + 1, tf.matmul(y, w)), [tf.constant(0), x],
                         shape_invariants=[tf.TensorShape([]), tf.TensorShape([None, None])])
    with tf.Session() as sess:
        with pytest.raises(errors.InvalidArgumentError, match="MatMul"):
            sess.run(y, {x: np.ones((2, 3)), w: np.ones((2, 2))})
        np.testing.assert_allclose(sess.run(y, {x: np.ones((2, 2)), w: np.eye(2)}), np.ones((2, 2)))


def _rnn_numpy(W, x, steps):
    h = x
    for _ in range(steps):
        h = np.tanh(h @ W + x)
    return np.sum(h * h)


def test_gradient_flows_to_captured_variable_and_initial_value():
    rng = np.random.RandomState(0)
    W0 = rng.randn(3, 3) * 0.5
    x0 = rng.randn(2, 3)
    x = tf.placeholder(tf.float64, [2, 3])
    W = tf.Variable(W0, name="W")
    _, h = tf.while_loop(lambda i, h: i < 4, lambda i, h: (i + 1, tf.tanh(tf.matmul(h, W) + x)),
                         [tf.constant(0), x])
    loss = tf.reduce_sum(h * h)
    gW, gx = tf.gradients(loss, [W, x])
    assert gW.op.type == "WhileGrad"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got_w, got_x = sess.run([gW, gx], {x: x0})
    np.testing.assert_allclose(got_w, numeric_grad(lambda w: _rnn_numpy(w, x0, 4), W0), atol=1e-7)
    np.testing.assert_allclose(got_x, numeric_grad(lambda v: _rnn_numpy(W0, v, 4), x0), atol=1e-7)


def test_saved_value_counters_match_what_the_backward_needs():
    x = tf.placeholder(tf.float64, [2, 3])
    W = tf.Variable(np.eye(3) * 0.5)
    _, h = tf.while_loop(lambda i, h: i < 5, lambda i, h: (i + 1, tf.tanh(tf.matmul(h, W))),
                         [tf.constant(0), x])
    loss = tf.reduce_sum(h)
    grad = tf.gradients(loss, W)[0]
    loop = ops_of_type("While")[0]
    saved = loop.attrs["saves"].tensors()
    # tanh' needs the tanh output; matmul' needs the incoming state. W is captured: never saved.
    assert sorted(t.op.type for t in saved) == ["Placeholder", "Tanh"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        md = tf.RunMetadata()
        sess.run(grad, {x: np.ones((2, 3))}, run_metadata=md)
        assert md.loop_stats["loop_iterations"] == 5
        assert md.loop_stats["saved_values"] == 5 * len(saved)
        assert md.loop_stats["saved_bytes"] == 5 * len(saved) * 2 * 3 * 8
        assert md.loop_stats["swapped_values"] == 0  # NumPy backend: nothing to swap
        md2 = tf.RunMetadata()
        sess.run(h, {x: np.ones((2, 3))}, run_metadata=md2)  # forward only: nothing saved
        assert md2.loop_stats["saved_values"] == 0


def test_back_prop_false_stops_the_gradient():
    x = tf.placeholder(tf.float32, [])
    _, y = tf.while_loop(lambda i, y: i < 2, lambda i, y: (i + 1, y * x), [tf.constant(0), x],
                         back_prop=False)
    assert tf.gradients(y, x) == [None]


def test_gradient_through_a_nested_loop():
    x = tf.placeholder(tf.float64, [])

    def outer_body(i, y):
        inner = tf.while_loop(lambda j, z: j < 2, lambda j, z: (j + 1, tf.sin(z) * x), [tf.constant(0), y])
        return i + 1, inner[1]
    _, y = tf.while_loop(lambda i, y: i < 3, outer_body, [tf.constant(0), x])
    g = tf.gradients(y, x)[0]

    def f(v):
        y = v
        for _ in range(3):
            for _ in range(2):
                y = np.sin(y) * v
        return y
    with tf.Session() as sess:
        got_y, got_g = sess.run([y, g], {x: 0.7})
    np.testing.assert_allclose(got_y, f(0.7))
    np.testing.assert_allclose(got_g, numeric_grad(lambda v: f(float(v)), 0.7), rtol=1e-6)


def test_two_gradient_requests_on_one_loop_share_the_tape():
    x = tf.placeholder(tf.float64, [])
    _, y = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * y), [tf.constant(0), x])
    g1 = tf.gradients(y, x)[0]
    g2 = tf.gradients(2.0 * y, x)[0]
    with tf.Session() as sess:
        a, b = sess.run([g1, g2], {x: 1.1})
    np.testing.assert_allclose(a, 8 * 1.1 ** 7)
    np.testing.assert_allclose(b, 16 * 1.1 ** 7)


# -- TensorArray ---------------------------------------------------------------------------------
def test_tensor_array_write_read_stack_outside_loops():
    ta = tf.TensorArray(tf.float32, size=3)
    ta = ta.write(0, [1.0, 2.0]).write(2, [5.0, 6.0])
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(ta.stack()), [[1, 2], [0, 0], [5, 6]])
        np.testing.assert_array_equal(sess.run(ta.read(2)), [5, 6])
        assert sess.run(ta.size()) == 3
        with pytest.raises(errors.InvalidArgumentError, match="not yet been written"):
            sess.run(ta.read(1))


def test_tensor_array_unstack_gather_scatter_concat_and_dynamic_size():
    x = tf.constant(np.arange(6.0).reshape(3, 2))
    ta = tf.TensorArray(tf.float64, size=3).unstack(x)
    grown = tf.TensorArray(tf.float64, size=0, dynamic_size=True).scatter([4, 1], tf.constant([[1.0], [2.0]], tf.float64))
    split = tf.TensorArray(tf.float64, size=2).split(tf.constant([1.0, 2.0, 3.0], tf.float64), [1, 2])
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(ta.gather([2, 0])), [[4, 5], [0, 1]])
        np.testing.assert_array_equal(sess.run(ta.concat()), np.arange(6.0))
        assert sess.run(grown.size()) == 5
        np.testing.assert_array_equal(sess.run(grown.stack())[:, 0], [0, 2, 0, 0, 1])
        np.testing.assert_array_equal(sess.run(split.read(1)), [2.0, 3.0])
    with tf.Session() as sess:
        with pytest.raises(errors.InvalidArgumentError, match="not resizeable"):
            sess.run(tf.TensorArray(tf.float32, size=1).write(3, 1.0).stack())


def test_tensor_array_gradients_inside_a_loop():
    X = tf.placeholder(tf.float64, [4, 2])
    inputs = tf.TensorArray(tf.float64, size=4).unstack(X)

    def body(t, h, out):
        h = tf.tanh(h + inputs.read(t))
        return t + 1, h, out.write(t, h)
    _, h, out = tf.while_loop(lambda t, h, out: t < 4, body,
                              [tf.constant(0), tf.zeros([2], tf.float64), tf.TensorArray(tf.float64, size=4)])
    stacked = out.stack()
    loss = tf.reduce_sum(stacked * stacked) + tf.reduce_sum(h)
    g = tf.gradients(loss, X)[0]

    def f(xv):
        h, s = np.zeros(2), 0.0
        for t in range(4):
            h = np.tanh(h + xv[t])
            s += np.sum(h * h)
        return s + h.sum()
    xv = np.arange(8.0).reshape(4, 2) / 10
    with tf.Session() as sess:
        got = sess.run(g, {X: xv})
    np.testing.assert_allclose(got, numeric_grad(f, xv), atol=1e-8)


def test_tensor_array_gather_and_concat_gradients():
    x = tf.placeholder(tf.float64, [3, 2])
    ta = tf.TensorArray(tf.float64, size=3).unstack(x)
    y = tf.reduce_sum(ta.gather([0, 2, 0]) * tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], tf.float64))
    z = tf.reduce_sum(ta.concat() * 2.0)
    gy, gz = tf.gradients([y], [x])[0], tf.gradients(z, x)[0]
    with tf.Session() as sess:
        a, b = sess.run([gy, gz], {x: np.zeros((3, 2))})
    np.testing.assert_array_equal(a, [[6, 8], [0, 0], [3, 4]])
    np.testing.assert_array_equal(b, np.full((3, 2), 2.0))


# -- cond ------------------------------------------------------------------------------------------
def test_cond_runs_only_the_selected_branch():
    p = tf.placeholder(tf.bool, [])
    x = tf.placeholder(tf.float32, [None])
    y = tf.cond(p, lambda: tf.sqrt(x), lambda: tf.zeros_like(x))
    assert len(ops_of_type("If")) == 1
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(y, {p: True, x: [4.0, 9.0]}), [2, 3])
        # the false branch never evaluates sqrt of negatives
        np.testing.assert_array_equal(sess.run(y, {p: False, x: [-4.0]}), [0.0])


def test_cond_structures_and_errors():
    p = tf.constant(True)
    a, b = tf.cond(p, lambda: (tf.constant(1), tf.constant(2.0)), lambda: (tf.constant(3), tf.constant(4.0)))
    with tf.Session() as sess:
        assert sess.run([a, b]) == [1, 2.0]
    with pytest.raises(TypeError, match="same type"):
        tf.cond(p, lambda: tf.constant(1), lambda: tf.constant(1.0))
    with pytest.raises(ValueError, match="same type of structure"):
        tf.cond(p, lambda: (tf.constant(1), tf.constant(1)), lambda: tf.constant(1))
    with pytest.raises(TypeError, match="callable"):
        tf.cond(p, 1, lambda: 1)


def test_cond_gradient_flows_through_the_taken_branch():
    p = tf.placeholder(tf.bool, [])
    x = tf.placeholder(tf.float64, [3])
    w = tf.Variable(np.array([1.0, 2.0, 3.0]))
    y = tf.cond(p, lambda: tf.tanh(x * w), lambda: x * x)
    gx, gw = tf.gradients(tf.reduce_sum(y), [x, w])
    xv = np.array([0.1, 0.2, 0.3])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        a, b = sess.run([gx, gw], {p: True, x: xv})
        np.testing.assert_allclose(a, [1, 2, 3] * (1 - np.tanh(xv * [1, 2, 3]) ** 2))
        np.testing.assert_allclose(b, xv * (1 - np.tanh(xv * [1, 2, 3]) ** 2))
        a, b = sess.run([gx, gw], {p: False, x: xv})
        np.testing.assert_allclose(a, 2 * xv)
        np.testing.assert_array_equal(b, [0, 0, 0])


def test_case_picks_the_first_true_predicate():
    x = tf.placeholder(tf.int32, [])
    y = tf.case([(x < 0, lambda: tf.constant(-1)), (x < 10, lambda: tf.constant(1))],
                default=lambda: tf.constant(100))
    with tf.Session() as sess:
        assert [sess.run(y, {x: v}) for v in (-5, 5, 50)] == [-1, 1, 100]
