"""RNN cells and wrappers: variable names and shapes as TF 1.x, one step against numpy."""
import numpy as np
import pytest

import tinygraph as tf

rnn_cell = tf.nn.rnn_cell
B, N_IN = 3, 4
RNG = np.random.RandomState(42)
X = RNG.randn(B, N_IN).astype(np.float32)


def sig(x):
    return 1.0 / (1.0 + np.exp(-x))


def run_step(cell, state_val, x_val=X, scope="rnn", extra=None):
    """Calls `cell` once in variable scope `scope` on fed inputs and state.

    Variables get random values; returns (output, state, {var name: value}, fetched extra).
    """
    x = tf.placeholder(tf.float32, [None, x_val.shape[1]])
    flat_vals = _flatten(state_val)
    phs = [tf.placeholder(tf.float32, [None, v.shape[1]]) for v in flat_vals]
    state = _pack(state_val, phs)
    with tf.variable_scope(scope):
        out, new_state = cell(x, state)
    rng = np.random.RandomState(7)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = {}
        for v in tf.trainable_variables():
            values[v.name] = rng.uniform(-0.6, 0.6, v.shape.as_list()).astype(np.float32)
            v.load(values[v.name], sess)
        feed = {x: x_val}
        feed.update(zip(phs, flat_vals))
        got_out, got_state, got_extra = sess.run([out, new_state, extra or []], feed)
    return got_out, got_state, values, got_extra


def _flatten(s):
    return [s] if isinstance(s, np.ndarray) else [a for sub in s for a in _flatten(sub)]


def _pack(template, flat):
    it = iter(flat)

    def build(s):
        if isinstance(s, np.ndarray):
            return next(it)
        items = [build(c) for c in s]
        return type(s)(*items) if hasattr(s, "_fields") else tuple(items)
    return build(template)


def names_shapes():
    return [(v.name, v.shape.as_list()) for v in tf.trainable_variables()]


def close(a, b):
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)


def np_basic_lstm(x, c, h, k, b, forget_bias=1.0):
    i, j, f, o = np.split(np.concatenate([x, h], 1) @ k + b, 4, axis=1)
    c = c * sig(f + forget_bias) + sig(i) * np.tanh(j)
    return c, np.tanh(c) * sig(o)


# -- BasicRNNCell ---------------------------------------------------------------------------------
def test_basic_rnn_cell():
    h = RNG.randn(B, 5).astype(np.float32)
    cell = rnn_cell.BasicRNNCell(5)
    assert cell.state_size == 5 and cell.output_size == 5
    out, state, w, _ = run_step(cell, h)
    assert names_shapes() == [("rnn/basic_rnn_cell/kernel:0", [N_IN + 5, 5]),
                              ("rnn/basic_rnn_cell/bias:0", [5])]
    want = np.tanh(np.concatenate([X, h], 1) @ w["rnn/basic_rnn_cell/kernel:0"]
                   + w["rnn/basic_rnn_cell/bias:0"])
    close(out, want)
    close(state, want)


def test_basic_rnn_cell_relu_and_zero_bias_initializer():
    cell = rnn_cell.BasicRNNCell(3, activation=tf.nn.relu)
    x = tf.placeholder(tf.float32, [2, 2])
    out, _ = cell(x, cell.zero_state(2, tf.float32))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        bias = sess.run(tf.trainable_variables()[1])
        got = sess.run(out, {x: np.array([[1, -1], [-2, 3]], np.float32)})
    assert np.all(bias == 0) and np.all(got >= 0)
    assert tf.trainable_variables()[0].name == "basic_rnn_cell/kernel:0"


def test_cell_scope_is_fixed_at_first_call_and_reused():
    cell = rnn_cell.BasicRNNCell(2)
    x = tf.placeholder(tf.float32, [None, 3])
    with tf.variable_scope("first"):
        cell(x, cell.zero_state(1, tf.float32))
    with tf.variable_scope("second"):
        cell(x, cell.zero_state(1, tf.float32))
    assert [v.name for v in tf.trainable_variables()] == ["first/basic_rnn_cell/kernel:0",
                                                          "first/basic_rnn_cell/bias:0"]
    assert cell.trainable_variables == tf.trainable_variables()
    assert cell.scope_name == "first/basic_rnn_cell"


def test_two_new_cells_in_one_scope_get_unique_scopes():
    x = tf.placeholder(tf.float32, [None, 3])
    a, b = rnn_cell.BasicRNNCell(2), rnn_cell.BasicRNNCell(2)
    with tf.variable_scope("rnn"):
        a(x, a.zero_state(1, tf.float32))
        b(x, b.zero_state(1, tf.float32))
    assert [v.name for v in tf.trainable_variables()][2:] == ["rnn/basic_rnn_cell_1/kernel:0",
                                                              "rnn/basic_rnn_cell_1/bias:0"]


def test_name_and_scope_arguments():
    x = tf.placeholder(tf.float32, [None, 3])
    a = rnn_cell.GRUCell(2, name="enc")
    a(x, a.zero_state(1, tf.float32))
    b = rnn_cell.BasicRNNCell(2)
    b(x, b.zero_state(1, tf.float32), scope="explicit")
    names = [v.name for v in tf.trainable_variables()]
    assert names[0] == "enc/gates/kernel:0" and names[-1] == "explicit/bias:0"


def test_reuse_argument_shares_existing_variables():
    x = tf.placeholder(tf.float32, [None, 3])
    a = rnn_cell.BasicRNNCell(2)
    a(x, a.zero_state(1, tf.float32))
    b = rnn_cell.BasicRNNCell(2, reuse=True)
    b(x, b.zero_state(1, tf.float32))
    assert len(tf.trainable_variables()) == 2


def test_unknown_input_depth_raises():
    cell = rnn_cell.BasicRNNCell(2)
    with pytest.raises(ValueError, match="inputs.shape\\[-1\\] to be known"):
        cell(tf.placeholder(tf.float32, [None, None]), cell.zero_state(1, tf.float32))


def test_float64_inputs_make_float64_variables():
    cell = rnn_cell.BasicLSTMCell(2)
    x = tf.placeholder(tf.float64, [None, 3])
    out, _ = cell(x, cell.zero_state(4, tf.float64))
    assert out.dtype == tf.float64
    assert all(v.dtype.base_dtype == tf.float64 for v in tf.trainable_variables())


# -- zero_state -------------------------------------------------------------------------------------
def test_zero_state_structures():
    cell = rnn_cell.MultiRNNCell([rnn_cell.BasicLSTMCell(2), rnn_cell.GRUCell(3)])
    batch = tf.placeholder(tf.int32, [])
    z = cell.zero_state(batch, tf.float32)
    assert isinstance(z, tuple) and isinstance(z[0], rnn_cell.LSTMStateTuple)
    assert z[0].c.shape.as_list() == [None, 2] and z[1].shape.as_list() == [None, 3]
    z4 = cell.zero_state(4, tf.float64)
    assert z4[0].h.shape.as_list() == [4, 2] and z4[1].dtype == tf.float64
    with tf.Session() as sess:
        got = sess.run(z, {batch: 5})
    assert got[0].c.shape == (5, 2) and np.all(got[1] == 0)


# -- LSTM -----------------------------------------------------------------------------------------
def test_lstm_state_tuple():
    s = rnn_cell.LSTMStateTuple(c=1, h=2)
    c, h = s
    assert (c, h) == (1, 2) and s.c == 1 and s.h == 2 and s._fields == ("c", "h")


@pytest.mark.parametrize("forget_bias", [1.0, 0.25])
def test_basic_lstm_cell(forget_bias):
    c = RNG.randn(B, 6).astype(np.float32)
    h = RNG.randn(B, 6).astype(np.float32)
    cell = rnn_cell.BasicLSTMCell(6, forget_bias=forget_bias)
    assert cell.state_size == (6, 6) and cell.output_size == 6
    out, state, w, _ = run_step(cell, rnn_cell.LSTMStateTuple(c, h))
    assert names_shapes() == [("rnn/basic_lstm_cell/kernel:0", [N_IN + 6, 24]),
                              ("rnn/basic_lstm_cell/bias:0", [24])]
    want_c, want_h = np_basic_lstm(X, c, h, w["rnn/basic_lstm_cell/kernel:0"],
                                   w["rnn/basic_lstm_cell/bias:0"], forget_bias)
    assert isinstance(state, rnn_cell.LSTMStateTuple)
    close(state.c, want_c)
    close(state.h, want_h)
    close(out, want_h)


def test_basic_lstm_cell_concatenated_state():
    c = RNG.randn(B, 3).astype(np.float32)
    h = RNG.randn(B, 3).astype(np.float32)
    cell = rnn_cell.BasicLSTMCell(3, state_is_tuple=False)
    assert cell.state_size == 6
    out, state, w, _ = run_step(cell, np.concatenate([c, h], 1))
    want_c, want_h = np_basic_lstm(X, c, h, *w.values())
    close(state, np.concatenate([want_c, want_h], 1))
    close(out, want_h)


def test_lstm_cell_peepholes_clip_projection():
    n, p = 5, 3
    c = 2.0 * RNG.randn(B, n).astype(np.float32)
    m = RNG.randn(B, p).astype(np.float32)
    cell = rnn_cell.LSTMCell(n, use_peepholes=True, cell_clip=0.5, num_proj=p, proj_clip=0.3)
    assert cell.state_size == (n, p) and cell.output_size == p
    out, state, w, _ = run_step(cell, rnn_cell.LSTMStateTuple(c, m))
    assert names_shapes() == [("rnn/lstm_cell/kernel:0", [N_IN + p, 4 * n]),
                              ("rnn/lstm_cell/bias:0", [4 * n]),
                              ("rnn/lstm_cell/w_f_diag:0", [n]),
                              ("rnn/lstm_cell/w_i_diag:0", [n]),
                              ("rnn/lstm_cell/w_o_diag:0", [n]),
                              ("rnn/lstm_cell/projection/kernel:0", [n, p])]
    k, b, wf, wi, wo, proj = w.values()
    i, j, f, o = np.split(np.concatenate([X, m], 1) @ k + b, 4, axis=1)
    new_c = sig(f + 1.0 + wf * c) * c + sig(i + wi * c) * np.tanh(j)
    new_c = np.clip(new_c, -0.5, 0.5)
    new_m = np.clip((sig(o + wo * new_c) * np.tanh(new_c)) @ proj, -0.3, 0.3)
    close(state.c, new_c)
    close(state.h, new_m)
    close(out, new_m)
    assert np.abs(state.c).max() <= 0.5 + 1e-7


def test_lstm_cell_plain_equals_basic_lstm():
    c = RNG.randn(B, 4).astype(np.float32)
    h = RNG.randn(B, 4).astype(np.float32)
    out, state, w, _ = run_step(rnn_cell.LSTMCell(4), rnn_cell.LSTMStateTuple(c, h))
    assert [n for n, _ in names_shapes()] == ["rnn/lstm_cell/kernel:0", "rnn/lstm_cell/bias:0"]
    want_c, want_h = np_basic_lstm(X, c, h, *w.values())
    close(state.c, want_c)
    close(out, want_h)


# -- GRU ------------------------------------------------------------------------------------------
def test_gru_cell():
    h = RNG.randn(B, 4).astype(np.float32)
    out, state, w, _ = run_step(rnn_cell.GRUCell(4), h)
    assert names_shapes() == [("rnn/gru_cell/gates/kernel:0", [N_IN + 4, 8]),
                              ("rnn/gru_cell/gates/bias:0", [8]),
                              ("rnn/gru_cell/candidate/kernel:0", [N_IN + 4, 4]),
                              ("rnn/gru_cell/candidate/bias:0", [4])]
    kg, bg, kc, bc = w.values()
    r, u = np.split(sig(np.concatenate([X, h], 1) @ kg + bg), 2, axis=1)
    cand = np.tanh(np.concatenate([X, r * h], 1) @ kc + bc)
    close(out, u * h + (1 - u) * cand)
    close(state, out)


def test_gru_bias_initial_values():
    cell = rnn_cell.GRUCell(3)
    cell(tf.placeholder(tf.float32, [None, 2]), cell.zero_state(1, tf.float32))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        vals = sess.run(tf.trainable_variables())
    assert np.all(vals[1] == 1.0) and np.all(vals[3] == 0.0)


# -- MultiRNNCell ---------------------------------------------------------------------------------
def test_multi_rnn_cell():
    h0 = RNG.randn(B, 4).astype(np.float32)
    c1 = RNG.randn(B, 2).astype(np.float32)
    h1 = RNG.randn(B, 2).astype(np.float32)
    cell = rnn_cell.MultiRNNCell([rnn_cell.BasicRNNCell(4), rnn_cell.BasicLSTMCell(2)])
    assert cell.state_size == (4, (2, 2)) and cell.output_size == 2
    out, state, w, _ = run_step(cell, (h0, rnn_cell.LSTMStateTuple(c1, h1)))
    assert [n for n, _ in names_shapes()] == [
        "rnn/multi_rnn_cell/cell_0/basic_rnn_cell/kernel:0",
        "rnn/multi_rnn_cell/cell_0/basic_rnn_cell/bias:0",
        "rnn/multi_rnn_cell/cell_1/basic_lstm_cell/kernel:0",
        "rnn/multi_rnn_cell/cell_1/basic_lstm_cell/bias:0"]
    k0, b0, k1, b1 = w.values()
    new_h0 = np.tanh(np.concatenate([X, h0], 1) @ k0 + b0)
    new_c1, new_h1 = np_basic_lstm(new_h0, c1, h1, k1, b1)
    close(state[0], new_h0)
    close(state[1].c, new_c1)
    close(out, new_h1)


def test_multi_rnn_cell_concatenated_state():
    h = RNG.randn(B, 5).astype(np.float32)
    cell = rnn_cell.MultiRNNCell([rnn_cell.BasicRNNCell(2), rnn_cell.BasicRNNCell(3)],
                                 state_is_tuple=False)
    assert cell.state_size == 5
    out, state, w, _ = run_step(cell, h)
    k0, b0, k1, b1 = w.values()
    a = np.tanh(np.concatenate([X, h[:, :2]], 1) @ k0 + b0)
    b = np.tanh(np.concatenate([a, h[:, 2:]], 1) @ k1 + b1)
    close(state, np.concatenate([a, b], 1))
    close(out, b)


def test_multi_rnn_cell_errors():
    with pytest.raises(ValueError, match="at least one cell"):
        rnn_cell.MultiRNNCell([])
    with pytest.raises(ValueError, match="state_is_tuple is not"):
        rnn_cell.MultiRNNCell([rnn_cell.BasicLSTMCell(2)], state_is_tuple=False)


# -- user cells -------------------------------------------------------------------------------------
class DeviceCellWrapper(rnn_cell.RNNCell):
    """The book's wrapper: no super().__init__, only the three members."""

    def __init__(self, device, cell):
        self._cell = cell
        self._device = device

    @property
    def state_size(self):
        return self._cell.state_size

    @property
    def output_size(self):
        return self._cell.output_size

    def __call__(self, inputs, state, scope=None):
        with tf.device(self._device):
            return self._cell(inputs, state, scope)


class ScaledCell(rnn_cell.RNNCell):
    """A cell that implements `call` and creates its variable with get_variable."""

    def __init__(self, n):
        self._n = n

    state_size = property(lambda self: self._n)
    output_size = property(lambda self: self._n)

    def call(self, inputs, state):
        w = tf.get_variable("w", [inputs.shape[1].value, self._n])
        out = tf.tanh(tf.matmul(inputs, w) + state)
        return out, out


def test_user_cell_without_super_init_in_static_and_dynamic_rnn():
    xs = [tf.placeholder(tf.float32, [None, 3]) for _ in range(3)]
    cells = [DeviceCellWrapper("/cpu:0", rnn_cell.BasicRNNCell(4)) for _ in range(2)]
    outs, state = tf.nn.static_rnn(cells[0], xs, dtype=tf.float32)
    X3 = tf.placeholder(tf.float32, [None, 3, 3])
    with tf.variable_scope("dyn"):
        d_outs, d_state = tf.nn.dynamic_rnn(cells[1], X3, dtype=tf.float32)
    assert [v.name for v in tf.trainable_variables()] == [
        "rnn/basic_rnn_cell/kernel:0", "rnn/basic_rnn_cell/bias:0",
        "dyn/rnn/basic_rnn_cell/kernel:0", "dyn/rnn/basic_rnn_cell/bias:0"]
    assert outs[0].op.device == "/cpu:0"
    vals = RNG.randn(2, 3, 3).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        k, b, dk, db = tf.trainable_variables()
        sess.run([dk.assign(k), db.assign(b)])
        feed = {x: vals[:, t] for t, x in enumerate(xs)}
        feed[X3] = vals
        s, ds = sess.run([state, d_state], feed)
    close(s, ds)


def test_user_cell_with_call_and_get_variable():
    xs = [tf.placeholder(tf.float32, [None, 2]) for _ in range(2)]
    outs, _ = tf.nn.static_rnn(ScaledCell(3), xs, dtype=tf.float32)
    assert [v.name for v in tf.trainable_variables()] == ["rnn/scaled_cell/w:0"]


# -- wrappers -------------------------------------------------------------------------------------
def test_output_projection_wrapper():
    h = RNG.randn(B, 5).astype(np.float32)
    cell = tf.contrib.rnn.OutputProjectionWrapper(rnn_cell.BasicRNNCell(5), output_size=2)
    assert cell.output_size == 2 and cell.state_size == 5
    out, state, w, _ = run_step(cell, h)
    assert names_shapes() == [
        ("rnn/output_projection_wrapper/basic_rnn_cell/kernel:0", [N_IN + 5, 5]),
        ("rnn/output_projection_wrapper/basic_rnn_cell/bias:0", [5]),
        ("rnn/output_projection_wrapper/kernel:0", [5, 2]),
        ("rnn/output_projection_wrapper/bias:0", [2])]
    k, b, pk, pb = w.values()
    new_h = np.tanh(np.concatenate([X, h], 1) @ k + b)
    close(state, new_h)
    close(out, new_h @ pk + pb)


def test_input_projection_wrapper():
    h = RNG.randn(B, 3).astype(np.float32)
    cell = tf.contrib.rnn.InputProjectionWrapper(rnn_cell.BasicRNNCell(3), num_proj=2,
                                                 activation=tf.nn.relu)
    out, state, w, _ = run_step(cell, h)
    assert names_shapes() == [
        ("rnn/input_projection_wrapper/kernel:0", [N_IN, 2]),
        ("rnn/input_projection_wrapper/bias:0", [2]),
        ("rnn/input_projection_wrapper/basic_rnn_cell/kernel:0", [2 + 3, 3]),
        ("rnn/input_projection_wrapper/basic_rnn_cell/bias:0", [3])]
    pk, pb, k, b = w.values()
    proj = np.maximum(X @ pk + pb, 0)
    close(out, np.tanh(np.concatenate([proj, h], 1) @ k + b))


def test_residual_wrapper_adds_inputs_and_no_scope():
    h = RNG.randn(B, N_IN).astype(np.float32)
    cell = rnn_cell.ResidualWrapper(rnn_cell.GRUCell(N_IN))
    out, state, w, _ = run_step(cell, h)
    assert names_shapes()[0][0] == "rnn/gru_cell/gates/kernel:0"
    close(out, X + state)


def test_residual_wrapper_shape_mismatch_raises():
    cell = rnn_cell.ResidualWrapper(rnn_cell.BasicRNNCell(3))
    with pytest.raises(ValueError):
        cell(tf.placeholder(tf.float32, [None, 2]), cell.zero_state(1, tf.float32))


def test_device_wrapper_records_device():
    cell = rnn_cell.DeviceWrapper(rnn_cell.BasicRNNCell(2), "/gpu:0")
    z = cell.zero_state(1, tf.float32)
    out, _ = cell(tf.placeholder(tf.float32, [None, 2]), z)
    assert cell.device == "/gpu:0" and out.op.device == "/gpu:0" and z.op.device == "/gpu:0"


def test_dropout_wrapper_keep_one_is_identity_and_adds_no_scope():
    h = RNG.randn(B, 4).astype(np.float32)
    plain_out, plain_state, _, _ = run_step(rnn_cell.BasicRNNCell(4), h)
    n_ops = len(tf.get_default_graph().get_operations())
    tf.reset_default_graph()
    cell = rnn_cell.DropoutWrapper(rnn_cell.BasicRNNCell(4))
    out, state, _, _ = run_step(cell, h)
    assert len(tf.get_default_graph().get_operations()) == n_ops  # not a single dropout op
    assert names_shapes()[0][0] == "rnn/basic_rnn_cell/kernel:0"
    assert np.array_equal(out, plain_out) and np.array_equal(state, plain_state)


def test_dropout_wrapper_tensor_keep_prob_fed_one_is_identity():
    keep = tf.placeholder_with_default(1.0, [])
    h = RNG.randn(B, 4).astype(np.float32)
    cell = rnn_cell.DropoutWrapper(rnn_cell.BasicRNNCell(4), input_keep_prob=keep,
                                   output_keep_prob=keep, state_keep_prob=keep)
    out, state, w, _ = run_step(cell, h)
    k, b = w.values()
    want = np.tanh(np.concatenate([X, h], 1) @ k + b)
    close(out, want)
    close(state, want)


def test_dropout_wrapper_statistics():
    keep = 0.7
    ones = tf.ones([400, 50])

    class Identity(rnn_cell.RNNCell):
        state_size = 50
        output_size = 50

        def __call__(self, inputs, state, scope=None):
            return inputs, state

    cell = rnn_cell.DropoutWrapper(Identity(), input_keep_prob=keep, state_keep_prob=keep, seed=3)
    out, state = cell(ones, ones)
    with tf.Session() as sess:
        o, s = sess.run([out, state])
    for v in (o, s):
        kept = v != 0
        assert abs(kept.mean() - keep) < 0.02
        np.testing.assert_allclose(v[kept], 1.0 / keep, rtol=1e-6)
    assert not np.array_equal(o != 0, s != 0)  # independent masks


def test_dropout_wrapper_never_drops_lstm_c():
    cell = rnn_cell.DropoutWrapper(rnn_cell.BasicLSTMCell(20), state_keep_prob=0.5,
                                   output_keep_prob=0.5)
    x = tf.ones([50, 3])
    state = rnn_cell.LSTMStateTuple(tf.ones([50, 20]), tf.ones([50, 20]))
    plain = rnn_cell.BasicLSTMCell(20, reuse=True)
    with tf.variable_scope("rnn"):
        out, new_state = cell(x, state)
    with tf.variable_scope("rnn"):
        _, plain_state = plain(x, state)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got, want = sess.run([new_state, plain_state])
        o = sess.run(out)
    np.testing.assert_array_equal(got.c, want.c)
    assert 0.3 < (got.h == 0).mean() < 0.7 and 0.3 < (o == 0).mean() < 0.7


def test_dropout_wrapper_variational_uses_one_mask_for_all_steps():
    xs = [tf.ones([16, 64]) for _ in range(3)]

    class Identity(rnn_cell.RNNCell):
        state_size = 64
        output_size = 64

        def __call__(self, inputs, state, scope=None):
            return inputs, state + 1.0

    cell = rnn_cell.DropoutWrapper(Identity(), input_keep_prob=0.5, output_keep_prob=0.5,
                                   variational_recurrent=True, input_size=64, dtype=tf.float32,
                                   seed=5)
    outs, _ = tf.nn.static_rnn(cell, xs, dtype=tf.float32)
    with tf.Session() as sess:
        a = sess.run(outs)
        b = sess.run(outs)
    masks = [o != 0 for o in a]
    assert all(np.array_equal(masks[0], m) for m in masks[1:])  # same mask at every step
    assert np.all(masks[0] == masks[0][:1])  # ... and for every row of the batch
    assert not np.array_equal(masks[0], b[0] != 0)  # a new mask per run


def test_dropout_wrapper_argument_errors():
    with pytest.raises(ValueError, match="must be between 0 and 1"):
        rnn_cell.DropoutWrapper(rnn_cell.BasicRNNCell(2), output_keep_prob=1.5)
    with pytest.raises(ValueError, match="dtype must be provided"):
        rnn_cell.DropoutWrapper(rnn_cell.BasicRNNCell(2), variational_recurrent=True)
    with pytest.raises(ValueError, match="input_size must be provided"):
        rnn_cell.DropoutWrapper(rnn_cell.BasicRNNCell(2), input_keep_prob=0.5,
                                variational_recurrent=True, dtype=tf.float32)
    with pytest.raises(TypeError, match="is not an RNNCell"):
        rnn_cell.DropoutWrapper(object())


def test_embedding_wrapper():
    cell = tf.contrib.rnn.EmbeddingWrapper(rnn_cell.BasicRNNCell(3), embedding_classes=10,
                                           embedding_size=4)
    ids = tf.placeholder(tf.int32, [None])
    with tf.variable_scope("rnn"):
        out, _ = cell(ids, cell.zero_state(2, tf.float32))
    assert names_shapes() == [("rnn/embedding_wrapper/embedding:0", [10, 4]),
                              ("rnn/embedding_wrapper/basic_rnn_cell/kernel:0", [7, 3]),
                              ("rnn/embedding_wrapper/basic_rnn_cell/bias:0", [3])]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        emb, k, b = sess.run(tf.trainable_variables())
        got = sess.run(out, {ids: [3, 7]})
    assert np.abs(emb).max() <= np.sqrt(3)
    close(got, np.tanh(np.concatenate([emb[[3, 7]], np.zeros((2, 3))], 1) @ k + b))


def test_cell_gradients_match_finite_differences():
    cell = rnn_cell.LSTMCell(3, use_peepholes=True, num_proj=2)
    x = tf.placeholder(tf.float64, [2, 2])
    state = cell.zero_state(2, tf.float64)
    out, new_state = cell(x, state)
    loss = tf.reduce_sum(out * out) + tf.reduce_sum(new_state.c)
    xv = RNG.randn(2, 2)
    gx = tf.gradients(loss, x)[0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        g = sess.run(gx, {x: xv})
        eps, num = 1e-6, np.zeros_like(xv)
        for idx in np.ndindex(*xv.shape):
            d = np.zeros_like(xv)
            d[idx] = eps
            num[idx] = (sess.run(loss, {x: xv + d}) - sess.run(loss, {x: xv - d})) / (2 * eps)
    np.testing.assert_allclose(g, num, rtol=1e-5, atol=1e-7)


def test_dropout_wrapper_variational_in_dynamic_rnn_keeps_its_mask():
    class Identity(rnn_cell.RNNCell):
        state_size = 32
        output_size = 32

        def __call__(self, inputs, state, scope=None):
            return inputs, state

    cell = rnn_cell.DropoutWrapper(Identity(), output_keep_prob=0.5, variational_recurrent=True,
                                   dtype=tf.float32, seed=2)
    outs, _ = tf.nn.dynamic_rnn(cell, tf.ones([4, 5, 32]), dtype=tf.float32)
    with tf.Session() as sess:
        o = sess.run(outs)
    mask = o != 0
    assert np.all(mask == mask[:1, :1])  # one mask for every row and step
    assert 0 < mask.mean() < 1
