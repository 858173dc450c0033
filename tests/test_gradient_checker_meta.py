"""Meta-tests of tinygraph.testing's checker: it must not be fooled.

A wrong gradient is planted with `gradient_override_map` (Tanh's sign flipped, or
Sigmoid's scaled) around graphs of every control-flow form: plain ops, while_loop,
scan, map_fn, foldl, cond, dynamic_rnn with every cell type and wrapper, and every
TensorArray operation. The checker must fail each planted graph, pass the same graph
with the right gradient (status "ok", nothing forgiven), and report real kinks (relu
at 0, abs at 0, ties of max) as "kink", forgiving only the directions that cross them.
"""
import numpy as np
import pytest

import tinygraph as tf
from tinygraph.testing import GradientChecker, check_gradients

rnn = tf.nn.rnn_cell


@tf.RegisterGradient("TestOnlyFlippedTanh")
def _flipped_tanh(op, grad):
    return [-grad * (1.0 - op.outputs[0] * op.outputs[0])]


@tf.RegisterGradient("TestOnlyScaledSigmoid")
def _scaled_sigmoid(op, grad):
    y = op.outputs[0]
    return [1.5 * grad * y * (1.0 - y)]


PLANTS = {"Tanh": "TestOnlyFlippedTanh", "Sigmoid": "TestOnlyScaledSigmoid"}


def _check(build, shape, planted, seed=0, **options):
    """Builds `build(x)` (with PLANTS active when `planted`) and checks it for x and the variables."""
    g = tf.Graph()
    rng = np.random.RandomState(seed)
    with g.as_default():
        tf.set_random_seed(1)
        x = tf.placeholder(tf.float64, shape, name="x")
        if planted:
            with g.gradient_override_map(PLANTS):
                y = build(x)
        else:
            y = build(x)
        xs = [x] + tf.trainable_variables()
        checker = GradientChecker(y, xs, **options)
        return checker.check({x: rng.uniform(-0.9, 0.9, size=shape)}, raise_on_failure=False)


# -- graphs in which a planted Tanh/Sigmoid gradient must show -----------------------------------
def _while(x):
    _, h = tf.while_loop(lambda i, h: i < 3, lambda i, h: (i + 1, tf.tanh(h) * 0.9 + 0.1 * x),
                         [tf.constant(0), x])
    return h


def _nested_while(x):
    def outer(i, h):
        _, h = tf.while_loop(lambda j, h: j < 2, lambda j, h: (j + 1, tf.tanh(h) + 0.5 * h),
                             [tf.constant(0), h])
        return i + 1, h * x
    return tf.while_loop(lambda i, h: i < 2, outer, [tf.constant(0), x])[1]


def _scan(x):
    return tf.scan(lambda a, e: tf.tanh(a + e), x, initializer=tf.zeros([2], tf.float64))


def _scan_no_init(x):
    return tf.scan(lambda a, e: tf.sigmoid(a) * e, x, reverse=True)


def _map_fn(x):
    return tf.map_fn(lambda row: tf.tanh(row) * row, x)


def _foldl(x):
    return tf.foldl(lambda a, e: tf.tanh(a * e), x, initializer=tf.ones([2], tf.float64))


def _cond_true(x):
    return tf.cond(tf.reduce_sum(x) < 100.0, lambda: tf.tanh(x) * x, lambda: x)


def _cond_false(x):
    return tf.cond(tf.reduce_sum(x) > 100.0, lambda: x, lambda: tf.sigmoid(x) * x)


def _cond_in_while(x):
    def body(i, h):
        return i + 1, tf.cond(i < 1, lambda: tf.tanh(h), lambda: h * 0.5)
    return tf.while_loop(lambda i, h: i < 2, body, [tf.constant(0), x])[1]


def _ta_unstack_read(x):
    ta = tf.TensorArray(tf.float64, size=3).unstack(tf.tanh(x))
    return ta.read(0) * ta.read(2)


def _ta_write_stack(x):
    return tf.TensorArray(tf.float64, size=2).write(0, tf.tanh(x[0])).write(1, x[1]).stack()


def _ta_scatter_gather(x):
    ta = tf.TensorArray(tf.float64, size=3).scatter([2, 0, 1], tf.tanh(x))
    return ta.gather([1, 2])


def _ta_split_concat(x):
    return tf.TensorArray(tf.float64, size=2).split(tf.reshape(tf.tanh(x), [-1]), [2, 4]).concat()


def _ta_in_loop(x):
    inputs = tf.TensorArray(tf.float64, size=3).unstack(x)

    def body(t, h, out):
        h = tf.tanh(h + inputs.read(t))
        return t + 1, h, out.write(t, h * h)
    _, _, out = tf.while_loop(lambda t, h, out: t < 3, body,
                              [tf.constant(0), tf.zeros([2], tf.float64), tf.TensorArray(tf.float64, size=3)])
    return out.stack()


def _ta_read_twice_in_loop(x):
    ta = tf.TensorArray(tf.float64, size=3).unstack(x)

    def body(t, acc):
        return t + 1, acc + tf.tanh(ta.read(1)) * ta.read(t)
    return tf.while_loop(lambda t, acc: t < 3, body, [tf.constant(0), tf.zeros([2], tf.float64)])[1]


GRAPHS = {
    "plain": (lambda x: tf.tanh(x) * tf.sigmoid(x), (2, 3)),
    "while_loop": (_while, (3,)),
    "nested_while_loop": (_nested_while, (2,)),
    "scan": (_scan, (3, 2)),
    "scan_reverse_no_initializer": (_scan_no_init, (3, 2)),
    "map_fn": (_map_fn, (3, 2)),
    "foldl": (_foldl, (3, 2)),
    "cond_true_branch": (_cond_true, (2, 2)),
    "cond_false_branch": (_cond_false, (2, 2)),
    "cond_in_while_loop": (_cond_in_while, (3,)),
    "TensorArray_unstack_read": (_ta_unstack_read, (3, 2)),
    "TensorArray_write_stack": (_ta_write_stack, (2, 2)),
    "TensorArray_scatter_gather": (_ta_scatter_gather, (3, 2)),
    "TensorArray_split_concat": (_ta_split_concat, (2, 3)),
    "TensorArray_in_while_loop": (_ta_in_loop, (3, 2)),
    "TensorArray_read_twice_in_loop": (_ta_read_twice_in_loop, (3, 2)),
}


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_planted_wrong_gradient_fails_and_right_one_passes(name):
    build, shape = GRAPHS[name]
    right = _check(build, shape, planted=False)
    assert right.status == "ok" and not right.forgiven, right.summary()
    wrong = _check(build, shape, planted=True)
    assert wrong.status == "fail" and wrong.failures, wrong.summary()
    assert not wrong.forgiven, wrong.summary()


# -- recurrent networks: every cell type and wrapper, through dynamic_rnn -----------------------
B, T, N_IN, UNITS = 2, 3, 2, 2

CELLS = {
    "BasicRNNCell": lambda: rnn.BasicRNNCell(UNITS),
    "BasicLSTMCell": lambda: rnn.BasicLSTMCell(UNITS),
    "LSTMCell_peepholes_projection": lambda: rnn.LSTMCell(UNITS, use_peepholes=True, num_proj=2),
    "LSTMCell_peepholes_clip": lambda: rnn.LSTMCell(UNITS, use_peepholes=True, cell_clip=5.0),
    "GRUCell": lambda: rnn.GRUCell(UNITS),
    "MultiRNNCell": lambda: rnn.MultiRNNCell([rnn.BasicLSTMCell(UNITS), rnn.GRUCell(UNITS)]),
    "DropoutWrapper": lambda: rnn.DropoutWrapper(rnn.GRUCell(UNITS), input_keep_prob=1.0,
                                                 output_keep_prob=1.0),
    "ResidualWrapper": lambda: rnn.ResidualWrapper(rnn.BasicRNNCell(N_IN)),
    "OutputProjectionWrapper": lambda: tf.contrib.rnn.OutputProjectionWrapper(rnn.BasicLSTMCell(UNITS), 3),
}


def _weighted(tensors):
    rng = np.random.RandomState(5)
    terms = []
    for t in tensors:
        shape = t.shape.as_list()
        terms.append(tf.reduce_sum(t * tf.constant(rng.randn(*shape), tf.float64)))
    return tf.add_n(terms)


def _rnn_loss(make_cell, lengths=None):
    from tinygraph.framework import nest

    def build(x):
        outputs, state = tf.nn.dynamic_rnn(make_cell(), x, sequence_length=lengths, dtype=tf.float64)
        return _weighted([outputs] + nest.flatten(state))
    return build


@pytest.mark.parametrize("cell", sorted(CELLS))
def test_planted_wrong_gradient_fails_in_dynamic_rnn(cell):
    build = _rnn_loss(CELLS[cell], lengths=[T, 2])
    options = dict(max_full_size=6, num_directions=3)
    right = _check(build, (B, T, N_IN), planted=False, **options)
    assert right.status == "ok" and not right.forgiven, right.summary()
    wrong = _check(build, (B, T, N_IN), planted=True, **options)
    assert wrong.status == "fail" and not wrong.forgiven, wrong.summary()


def test_planted_wrong_gradient_fails_in_bidirectional_dynamic_rnn():
    def build(x):
        (fw, bw), _ = tf.nn.bidirectional_dynamic_rnn(rnn.GRUCell(UNITS), rnn.BasicLSTMCell(UNITS), x,
                                                      sequence_length=[T, 1], dtype=tf.float64)
        return _weighted([fw, bw])
    options = dict(max_full_size=6, num_directions=3)
    assert _check(build, (B, T, N_IN), planted=False, **options).status == "ok"
    assert _check(build, (B, T, N_IN), planted=True, **options).status == "fail"


def test_override_set_inside_a_body_applies_there_only():
    def body(i, h):
        with tf.get_default_graph().gradient_override_map({"Tanh": "TestOnlyFlippedTanh"}):
            h = tf.tanh(h)
        return i + 1, tf.tanh(h)  # created after the context: the right gradient
    x = tf.placeholder(tf.float64, [2])
    y = tf.while_loop(lambda i, h: i < 1, body, [tf.constant(0), x])[1]
    g = tf.gradients(tf.reduce_sum(y), x)[0]
    v = np.array([0.3, -0.6])
    with tf.Session() as sess:
        got = sess.run(g, {x: v})
    t1 = np.tanh(v)
    np.testing.assert_allclose(got, -(1 - t1 ** 2) * (1 - np.tanh(t1) ** 2), rtol=1e-12)


def test_gradient_ops_built_outside_the_context_are_not_overridden():
    x = tf.placeholder(tf.float64, [2])
    with tf.get_default_graph().gradient_override_map({"TanhGrad": "TestOnlyFlippedTanh"}):
        y = tf.while_loop(lambda i, h: i < 1, lambda i, h: (i + 1, tf.tanh(h)), [tf.constant(0), x])[1]
    # the loop body's TanhGrad is made by tf.gradients, after the context: no override
    r = check_gradients(tf.reduce_sum(y), x, feed_dict={x: np.array([0.2, -0.4])})
    assert r.status == "ok"


# -- real kinks: reported, and only the directions across them forgiven ----------------------------
def _reasons(result):
    return " ".join(r for f in result.forgiven for r in f["reasons"])


def test_relu_at_zero_is_a_kink_forgiven_along_that_element_only():
    r = check_gradients(lambda x: tf.nn.relu(x) * tf.tanh(x + 1.0), [np.array([0.0, 0.5, -0.7])])
    assert r.status == "kink", r.summary()
    assert [f["direction"] for f in r.forgiven] == ["element (0,)"]
    assert "Relu" in _reasons(r) and "forgiven" in r.summary()


def test_abs_near_zero_and_max_near_ties_are_kinks():
    # (exactly at 0 or at a tie the central difference is symmetric and agrees; within
    # delta of it, it does not)
    r = check_gradients(lambda x: tf.abs(x), [np.array([3e-6, 1.0])])
    assert r.status == "kink" and "Abs" in _reasons(r), r.summary()
    r = check_gradients(lambda x: tf.reduce_max(x, axis=1),
                        [np.array([[1.0, 1.0 + 3e-6, 0.5], [0.1, 0.2, 0.3]])])
    assert r.status == "kink" and "Max" in _reasons(r), r.summary()
    assert {f["direction"] for f in r.forgiven} <= {"element (0, 0)", "element (0, 1)"}
    r = check_gradients(lambda a, b: tf.maximum(a, b), [np.array([0.5, 0.2]), np.array([0.5 + 3e-6, 0.1])])
    assert r.status == "kink" and "Maximum" in _reasons(r), r.summary()


def test_a_direction_that_crosses_no_kink_is_judged_strictly():
    # relu sits at its kink for x[0], but the planted Tanh gradient along y crosses none
    def build(x, y):
        with tf.get_default_graph().gradient_override_map(PLANTS):
            return tf.nn.relu(x) + tf.tanh(y)
    r = check_gradients(build, [np.array([0.0, 1.0]), np.array([0.3, -0.2])], raise_on_failure=False)
    assert r.status == "fail"
    assert [f["direction"] for f in r.forgiven] == ["element (0,)"]
    assert len(r.failures) == 2 and all("d/dx1" in f for f in r.failures)


def test_kink_before_a_tensor_array_is_reported_with_its_op():
    def build(x):
        return tf.TensorArray(tf.float64, size=2).unstack(tf.nn.relu(x)).stack() * x
    r = check_gradients(build, [np.array([[0.0, 1.0], [0.5, -0.5]])])
    assert r.status == "kink" and "Relu" in _reasons(r)
    assert "TensorArray" not in _reasons(r)


def test_loop_trip_count_change_is_a_kink():
    # at x = 0.25 the loop doubles twice; just below it, three times: the counter changes
    def build(x):
        return tf.while_loop(lambda i, h: tf.reduce_sum(h) < 1.0, lambda i, h: (i + 1, h * 2.0),
                             [tf.constant(0), x])[1]
    r = check_gradients(build, [np.array(0.25)])
    assert r.status == "kink" and "While" in _reasons(r), r.summary()
    assert check_gradients(build, [np.array(0.3)]).status == "ok"


def test_kinks_inside_loop_bodies_are_named_and_judged_strictly():
    def build(x):
        return tf.while_loop(lambda i, h: i < 1, lambda i, h: (i + 1, tf.nn.relu(h)), [tf.constant(0), x])[1]
    r = check_gradients(build, [np.array([0.0, 1.0])], raise_on_failure=False)
    assert any("Relu" in u for u in r.unprobed)
    assert "not probed" in r.summary()
    assert r.status == "fail"  # the checker cannot see the relu per iteration: no forgiveness
    assert check_gradients(build, [np.array([0.5, 1.0])]).status == "ok"
