"""dynamic_rnn and bidirectional_dynamic_rnn: structure, semantics, and BPTT.

Backpropagation through time is checked against central finite differences with
tinygraph.testing for every cell type, through both dynamic_rnn (one While op) and
static_rnn (one cell per step), with and without sequence_length, time-major, and
through a fed initial state.
"""
import numpy as np
import pytest

import tinygraph as tf
from tinygraph.framework import nest
from tinygraph.testing import check_gradients

rnn = tf.nn.rnn_cell
B, T, N_IN = 3, 4, 2


def make_cell(kind, units=3):
    if kind == "basic_rnn":
        return rnn.BasicRNNCell(units)
    if kind == "basic_lstm":
        return rnn.BasicLSTMCell(units)
    if kind == "lstm_peephole_clip_proj":
        return rnn.LSTMCell(units, use_peepholes=True, cell_clip=0.8, num_proj=2)
    if kind == "gru":
        return rnn.GRUCell(units)
    if kind == "multi":
        return rnn.MultiRNNCell([rnn.BasicLSTMCell(units), rnn.GRUCell(2)])
    raise ValueError(kind)


CELLS = ["basic_rnn", "basic_lstm", "lstm_peephole_clip_proj", "gru", "multi"]


def ops_count(graph):
    """Ops of the graph plus the ops of every loop/cond body it holds."""
    total = 0
    for op in graph.get_operations():
        total += 1
        for v in op.attrs.values():
            if hasattr(v, "graph") and isinstance(v.graph, tf.Graph) and v.graph is not graph:
                total += ops_count(v.graph)
    return total


def weighted_loss(outputs, state, seed=0):
    rng = np.random.RandomState(seed)
    terms = []
    for t in nest.flatten(outputs) + nest.flatten(state):
        shape = [d if d is not None else B for d in t.shape.as_list()]
        terms.append(tf.reduce_sum(t * tf.constant(rng.randn(*shape), dtype=t.dtype)))
    return tf.add_n(terms)


def test_dynamic_rnn_adds_a_fixed_number_of_ops_while_static_rnn_grows():
    counts = {}
    for steps in (2, 20):
        for kind in ("dynamic", "static"):
            g = tf.Graph()
            with g.as_default():
                X = tf.placeholder(tf.float32, [None, steps, N_IN])
                cell = rnn.BasicRNNCell(4)
                if kind == "dynamic":
                    tf.nn.dynamic_rnn(cell, X, dtype=tf.float32)
                else:
                    tf.nn.static_rnn(cell, tf.unstack(X, axis=1), dtype=tf.float32)
                counts[kind, steps] = ops_count(g)
                if kind == "dynamic":
                    assert [op.type for op in g.get_operations()].count("While") == 1
    assert counts["dynamic", 2] == counts["dynamic", 20]
    assert counts["static", 20] > counts["static", 2] + 18 * 3


def test_number_of_steps_may_be_unknown_when_building():
    X = tf.placeholder(tf.float32, [None, None, N_IN])
    outputs, state = tf.nn.dynamic_rnn(rnn.BasicRNNCell(4), X, dtype=tf.float32)
    assert outputs.shape.as_list() == [None, None, 4]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for steps in (1, 3, 7):
            out, st = sess.run([outputs, state], {X: np.ones((2, steps, N_IN))})
            assert out.shape == (2, steps, 4)
            np.testing.assert_allclose(st, out[:, -1])


def test_errors_and_variable_names():
    X = tf.placeholder(tf.float32, [None, T, N_IN])
    with pytest.raises(ValueError, match="must give a dtype"):
        tf.nn.dynamic_rnn(rnn.BasicRNNCell(4), X)
    with pytest.raises(TypeError, match="not an RNNCell"):
        tf.nn.dynamic_rnn(object(), X, dtype=tf.float32)
    tf.reset_default_graph()
    X = tf.placeholder(tf.float32, [None, T, N_IN])
    with tf.variable_scope("model"):
        tf.nn.dynamic_rnn(rnn.GRUCell(4), X, dtype=tf.float32)
    assert [v.name for v in tf.trainable_variables()] == [
        "model/rnn/gru_cell/gates/kernel:0", "model/rnn/gru_cell/gates/bias:0",
        "model/rnn/gru_cell/candidate/kernel:0", "model/rnn/gru_cell/candidate/bias:0"]
    with tf.variable_scope("model"):
        with pytest.raises(ValueError, match="already exists"):
            tf.nn.dynamic_rnn(rnn.GRUCell(4), X, dtype=tf.float32)


@pytest.mark.parametrize("kind", CELLS)
def test_dynamic_and_static_rnn_agree_with_sequence_length(kind):
    X = tf.placeholder(tf.float64, [B, T, N_IN])
    lengths = tf.placeholder(tf.int32, [B])
    cell = make_cell(kind)
    dyn_out, dyn_state = tf.nn.dynamic_rnn(cell, X, sequence_length=lengths, dtype=tf.float64)
    with tf.variable_scope(tf.get_variable_scope(), reuse=True):
        st_outs, st_state = tf.nn.static_rnn(cell, tf.unstack(X, axis=1), sequence_length=lengths,
                                             dtype=tf.float64)
    feed = {X: np.random.RandomState(3).randn(B, T, N_IN), lengths: [4, 0, 2]}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        d_out, d_state, s_outs, s_state = sess.run([dyn_out, dyn_state, st_outs, st_state], feed)
    np.testing.assert_allclose(d_out, np.stack(s_outs, axis=1), atol=1e-12)
    for a, b in zip(nest.flatten(d_state), nest.flatten(s_state)):
        np.testing.assert_allclose(a, b, atol=1e-12)
    assert np.all(d_out[1] == 0) and np.all(d_out[2, 2:] == 0)  # zeros past each length
    zero = [np.zeros_like(a) for a in nest.flatten(d_state)]
    for z, a in zip(zero, nest.flatten(d_state)):
        np.testing.assert_array_equal(a[1], z[1])  # length 0: the (zero) initial state


def build_bptt(kind, driver, with_lengths, time_major, fed_state):
    """Builds a float64 RNN graph; returns (loss, xs to check, feed_dict)."""
    rng = np.random.RandomState(7)
    shape = [T, B, N_IN] if time_major else [B, T, N_IN]
    X = tf.placeholder(tf.float64, shape, name="X")
    lengths = tf.placeholder(tf.int32, [B], name="lengths") if with_lengths else None
    cell = make_cell(kind)
    feed = {X: rng.randn(*shape) * 0.8}
    init, state_phs = None, []
    if fed_state:
        sizes = nest.flatten(cell.state_size)
        state_phs = [tf.placeholder(tf.float64, [B, s], name="s%d" % i) for i, s in enumerate(sizes)]
        init = nest.pack_sequence_as(cell.state_size, state_phs)
        for p, s in zip(state_phs, sizes):
            feed[p] = rng.randn(B, s) * 0.5
    if with_lengths:
        feed[lengths] = [T, 1, 3]
    if driver == "dynamic":
        outputs, state = tf.nn.dynamic_rnn(cell, X, sequence_length=lengths, initial_state=init,
                                           dtype=tf.float64, time_major=time_major)
    else:
        steps = tf.unstack(X, axis=0 if time_major else 1)
        outs, state = tf.nn.static_rnn(cell, steps, initial_state=init, sequence_length=lengths,
                                       dtype=tf.float64)
        outputs = tf.stack(outs, axis=0 if time_major else 1)
    loss = weighted_loss(outputs, state)
    return loss, tf.trainable_variables() + [X] + state_phs, feed


CONFIGS = [
    # (driver, sequence_length, time_major, fed initial state)
    ("dynamic", False, False, False),
    ("dynamic", True, False, True),
    ("dynamic", True, True, False),
    ("static", False, False, True),
    ("static", True, False, False),
]


@pytest.mark.parametrize("kind", CELLS)
@pytest.mark.parametrize("driver,with_lengths,time_major,fed_state", CONFIGS)
def test_bptt_matches_finite_differences(kind, driver, with_lengths, time_major, fed_state):
    loss, xs, feed = build_bptt(kind, driver, with_lengths, time_major, fed_state)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        result = check_gradients(loss, xs, feed_dict=feed, session=sess)
    assert result.status == "ok", result.summary()


def test_gradients_into_padded_steps_are_zero():
    X = tf.placeholder(tf.float64, [B, T, N_IN])
    out, state = tf.nn.dynamic_rnn(rnn.BasicRNNCell(3), X, sequence_length=[2, 4, 1], dtype=tf.float64)
    g = tf.gradients(tf.reduce_sum(out) + tf.reduce_sum(state), X)[0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        gv = sess.run(g, {X: np.ones((B, T, N_IN))})
    assert np.all(gv[0, 2:] == 0) and np.all(gv[2, 1:] == 0)
    assert np.all(gv[1] != 0)


def test_loop_saves_what_the_backward_needs_and_nothing_for_inference():
    X = tf.placeholder(tf.float32, [None, T, N_IN])
    out, _ = tf.nn.dynamic_rnn(rnn.BasicRNNCell(5), X, dtype=tf.float32, swap_memory=True)
    grads = tf.gradients(tf.reduce_sum(out), tf.trainable_variables())
    loop = [op for op in tf.get_default_graph().get_operations() if op.type == "While"][0]
    n_saved = len(loop.attrs["saves"])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        md = tf.RunMetadata()
        sess.run(grads, {X: np.ones((6, T, N_IN))}, run_metadata=md)
        assert md.loop_stats["loop_iterations"] == T
        assert md.loop_stats["saved_values"] == T * n_saved
        md = tf.RunMetadata()
        sess.run(out, {X: np.ones((6, T, N_IN))}, run_metadata=md)
        assert md.loop_stats["saved_values"] == 0


def test_bidirectional_dynamic_rnn_matches_a_manual_reversal():
    X = tf.placeholder(tf.float64, [B, T, N_IN])
    lengths = tf.placeholder(tf.int32, [B])
    (out_fw, out_bw), (st_fw, st_bw) = tf.nn.bidirectional_dynamic_rnn(
        rnn.GRUCell(3), rnn.GRUCell(3), X, sequence_length=lengths, dtype=tf.float64)
    names = [v.name for v in tf.trainable_variables()]
    assert names[0] == "bidirectional_rnn/fw/gru_cell/gates/kernel:0"
    assert names[4] == "bidirectional_rnn/bw/gru_cell/gates/kernel:0"
    # the backward direction, by hand: reverse the valid part, run, reverse back
    with tf.variable_scope("bidirectional_rnn/bw", reuse=True) as bw_scope:
        rev = tf.reverse_sequence(X, lengths, seq_axis=1, batch_axis=0)
        manual, manual_state = tf.nn.dynamic_rnn(rnn.GRUCell(3), rev, sequence_length=lengths,
                                                 dtype=tf.float64, scope=bw_scope)
        manual = tf.reverse_sequence(manual, lengths, seq_axis=1, batch_axis=0)
    feed = {X: np.random.RandomState(1).randn(B, T, N_IN), lengths: [4, 2, 1]}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        a, b, c, d = sess.run([out_bw, manual, st_bw, manual_state], feed)
    np.testing.assert_allclose(a, b, atol=1e-12)
    np.testing.assert_allclose(c, d, atol=1e-12)
    assert np.all(a[1, 2:] == 0)
