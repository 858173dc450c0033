"""static_rnn and static_bidirectional_rnn: values against numpy, masking, scoping, errors."""

import numpy as np
import pytest

import tinygraph as tf

# The TF golden cases of static_rnn are checked with all the others in test_golden.py.


# -- numpy reference -----------------------------------------------------------------------------
def _np_rnn(xs, k, b, h0, lengths=None):
    """BasicRNNCell unrolled in numpy with static_rnn's masking."""
    h, outs = h0, []
    for t, x in enumerate(xs):
        new = np.tanh(np.concatenate([x, h], 1) @ k + b)
        if lengths is not None:
            done = (t >= lengths)[:, None]
            outs.append(np.where(done, 0.0, new))
            h = np.where(done, h, new)
        else:
            outs.append(new)
            h = new
    return outs, h


def _build(n_steps=4, n_in=3, units=5, batch=4, **kwargs):
    xs = [tf.placeholder(tf.float32, [None, n_in], name="x%d" % t) for t in range(n_steps)]
    cell = tf.nn.rnn_cell.BasicRNNCell(units)
    outs, state = tf.nn.static_rnn(cell, xs, dtype=tf.float32, **kwargs)
    rng = np.random.RandomState(0)
    vals = [rng.randn(batch, n_in).astype(np.float32) for _ in range(n_steps)]
    return xs, outs, state, vals


def _weights(sess):
    k, b = tf.trainable_variables()
    rng = np.random.RandomState(1)
    kv = rng.uniform(-0.5, 0.5, k.shape.as_list()).astype(np.float32)
    bv = rng.uniform(-0.5, 0.5, b.shape.as_list()).astype(np.float32)
    k.load(kv, sess)
    b.load(bv, sess)
    return kv, bv


def test_variables_created_once_and_reused_each_step():
    xs, outs, state, vals = _build()
    assert [v.name for v in tf.global_variables()] == ["rnn/basic_rnn_cell/kernel:0",
                                                       "rnn/basic_rnn_cell/bias:0"]
    assert len(outs) == 4 and outs[0].shape.as_list() == [None, 5]
    assert state.shape.as_list() == [None, 5]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        k, b = _weights(sess)
        got, got_state = sess.run([outs, state], dict(zip(xs, vals)))
    want, want_state = _np_rnn(vals, k, b, np.zeros((4, 5)))
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got_state, want_state, rtol=1e-5, atol=1e-6)


def test_nn_and_contrib_share_the_function():
    assert tf.nn.static_rnn is tf.contrib.rnn.static_rnn
    assert tf.nn.static_bidirectional_rnn is tf.contrib.rnn.static_bidirectional_rnn


def test_sequence_length_zero_outputs_and_copied_state():
    lengths = np.array([4, 2, 0, 3], np.int32)
    seq = tf.placeholder(tf.int32, [None])
    xs, outs, state, vals = _build(sequence_length=seq)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        k, b = _weights(sess)
        got, got_state = sess.run([outs, state], {**dict(zip(xs, vals)), seq: lengths})
    want, want_state = _np_rnn(vals, k, b, np.zeros((4, 5)), lengths)
    for t, (g, w) in enumerate(zip(got, want)):
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6)
        assert np.all(g[t >= lengths] == 0.0)
    np.testing.assert_allclose(got_state, want_state, rtol=1e-5, atol=1e-6)
    # the final state of each row is its output at its last valid step
    np.testing.assert_allclose(got_state[1], got[1][1], rtol=1e-6)
    assert np.all(got_state[2] == 0.0)  # length 0: the initial state


def test_sequence_length_gradients_ignore_padded_steps():
    lengths = np.array([1, 3], np.int32)
    xs, outs, state, vals = _build(n_steps=3, batch=2, sequence_length=lengths)
    loss = tf.add_n([tf.reduce_sum(o) for o in outs]) + tf.reduce_sum(state)
    grads = tf.gradients(loss, xs)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        g = sess.run(grads, dict(zip(xs, vals)))
    assert np.all(g[1][0] == 0) and np.all(g[2][0] == 0)  # row 0 stops after step 0
    assert np.any(g[0][0] != 0) and np.any(g[2][1] != 0)


def test_initial_state_is_used_and_receives_gradients():
    x = tf.placeholder(tf.float32, [2, 3])
    h0 = tf.placeholder(tf.float32, [2, 4])
    cell = tf.contrib.rnn.GRUCell(4)
    outs, state = tf.contrib.rnn.static_rnn(cell, [x, x], initial_state=h0)
    g = tf.gradients(tf.reduce_sum(state), h0)[0]
    assert g is not None
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        a = sess.run(state, {x: np.ones((2, 3)), h0: np.zeros((2, 4))})
        b = sess.run(state, {x: np.ones((2, 3)), h0: np.ones((2, 4))})
    assert not np.allclose(a, b)


def test_custom_scope_and_lstm_tuple_state():
    x = tf.placeholder(tf.float32, [None, 3])
    cell = tf.nn.rnn_cell.BasicLSTMCell(4)
    with tf.variable_scope("enc"):
        outs, state = tf.nn.static_rnn(cell, [x, x, x], dtype=tf.float32, scope="lstm")
    assert [v.name for v in tf.trainable_variables()] == ["enc/lstm/basic_lstm_cell/kernel:0",
                                                          "enc/lstm/basic_lstm_cell/bias:0"]
    assert isinstance(state, tf.nn.rnn_cell.LSTMStateTuple)
    assert state.h is outs[-1]


def test_static_batch_size_is_kept():
    xs = [tf.placeholder(tf.float32, [6, 2]) for _ in range(2)]
    outs, state = tf.nn.static_rnn(tf.nn.rnn_cell.BasicRNNCell(3), xs, dtype=tf.float32,
                                   sequence_length=[1, 2, 2, 1, 0, 2])
    assert outs[1].shape.as_list() == [6, 3] and state.shape.as_list() == [6, 3]


def test_errors():
    cell = tf.nn.rnn_cell.BasicRNNCell(3)
    x = tf.placeholder(tf.float32, [None, 2])
    with pytest.raises(TypeError, match="inputs must be a sequence"):
        tf.nn.static_rnn(cell, x, dtype=tf.float32)
    with pytest.raises(ValueError, match="inputs must not be empty"):
        tf.nn.static_rnn(cell, [], dtype=tf.float32)
    with pytest.raises(ValueError, match="dtype must be specified"):
        tf.nn.static_rnn(cell, [x])
    with pytest.raises(ValueError, match="must be accessible via shape inference"):
        tf.nn.static_rnn(cell, [tf.placeholder(tf.float32, [None, None])], dtype=tf.float32)
    with pytest.raises(TypeError, match="is not an RNNCell"):
        tf.nn.static_rnn(object(), [x], dtype=tf.float32)


def test_second_static_rnn_with_new_cell_in_same_scope_raises():
    x = tf.placeholder(tf.float32, [None, 2])
    tf.nn.static_rnn(tf.nn.rnn_cell.BasicRNNCell(3), [x], dtype=tf.float32)
    with pytest.raises(ValueError, match="rnn/basic_rnn_cell/kernel already exists"):
        tf.nn.static_rnn(tf.nn.rnn_cell.BasicRNNCell(3), [x], dtype=tf.float32)


def test_same_cell_twice_shares_its_variables():
    x = tf.placeholder(tf.float32, [None, 2])
    cell = tf.nn.rnn_cell.BasicRNNCell(3)
    tf.nn.static_rnn(cell, [x], dtype=tf.float32)
    tf.nn.static_rnn(cell, [x, x], dtype=tf.float32)
    assert len(tf.trainable_variables()) == 2


# -- bidirectional --------------------------------------------------------------------------------
def _np_reverse(xs, lengths):
    out = [x.copy() for x in xs]
    for b, n in enumerate(lengths):
        for t in range(n):
            out[t][b] = xs[n - 1 - t][b]
    return out


def test_static_bidirectional_rnn_matches_numpy():
    n_steps, batch = 4, 3
    lengths = np.array([4, 2, 3], np.int32)
    xs = [tf.placeholder(tf.float32, [batch, 2]) for _ in range(n_steps)]
    fw, bw = tf.nn.rnn_cell.BasicRNNCell(3), tf.nn.rnn_cell.BasicRNNCell(4)
    outs, s_fw, s_bw = tf.nn.static_bidirectional_rnn(fw, bw, xs, dtype=tf.float32,
                                                      sequence_length=lengths)
    names = [v.name for v in tf.trainable_variables()]
    assert names == ["bidirectional_rnn/fw/basic_rnn_cell/kernel:0",
                     "bidirectional_rnn/fw/basic_rnn_cell/bias:0",
                     "bidirectional_rnn/bw/basic_rnn_cell/kernel:0",
                     "bidirectional_rnn/bw/basic_rnn_cell/bias:0"]
    assert outs[0].shape.as_list() == [batch, 7]
    rng = np.random.RandomState(3)
    vals = [rng.randn(batch, 2).astype(np.float32) for _ in range(n_steps)]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        w = [rng.uniform(-0.5, 0.5, v.shape.as_list()).astype(np.float32)
             for v in tf.trainable_variables()]
        for v, val in zip(tf.trainable_variables(), w):
            v.load(val, sess)
        got, got_fw, got_bw = sess.run([outs, s_fw, s_bw], dict(zip(xs, vals)))
    want_fw, want_sfw = _np_rnn(vals, w[0], w[1], np.zeros((batch, 3)), lengths)
    tmp, want_sbw = _np_rnn(_np_reverse(vals, lengths), w[2], w[3], np.zeros((batch, 4)), lengths)
    want_bw = _np_reverse(tmp, lengths)
    for t in range(n_steps):
        np.testing.assert_allclose(got[t], np.concatenate([want_fw[t], want_bw[t]], 1),
                                   rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got_fw, want_sfw, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got_bw, want_sbw, rtol=1e-5, atol=1e-6)


def test_static_bidirectional_rnn_without_lengths_reverses_whole_list():
    xs = [tf.constant(np.full((1, 1), float(t), np.float32)) for t in range(3)]

    class Echo(tf.nn.rnn_cell.RNNCell):
        """Outputs its input; state = the input too."""
        state_size = 1
        output_size = 1

        def __call__(self, inputs, state, scope=None):
            return inputs, inputs

    outs, s_fw, s_bw = tf.contrib.rnn.static_bidirectional_rnn(Echo(), Echo(), xs, dtype=tf.float32)
    with tf.Session() as sess:
        got, fw, bw = sess.run([outs, s_fw, s_bw])
    assert [o.ravel().tolist() for o in got] == [[0, 0], [1, 1], [2, 2]]
    assert fw.item() == 2 and bw.item() == 0
