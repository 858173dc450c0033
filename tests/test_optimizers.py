"""tf.train optimizers: update formulas against numpy, slots, sparse updates, global step."""
import numpy as np
import pytest

import tinygraph as tf

C = np.array([[1.0, -2.0, 0.5], [3.0, 0.25, -1.0]])
W0 = np.array([[0.5, -1.0, 2.0], [1.5, 0.3, -0.7]])


def _quadratic(dtype=tf.float64):
    """W and loss = sum(C * W * W): its gradient, 2 C W, changes every step."""
    w = tf.Variable(W0.astype(dtype.as_numpy_dtype), name="W")
    loss = tf.reduce_sum(tf.constant(C.astype(dtype.as_numpy_dtype)) * w * w)
    return w, loss


def _run_steps(train_op, fetch, steps, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(steps):
            sess.run(train_op, feed)
        return sess.run(fetch)


def _grad(w):
    return 2 * C * w


def f32(h):
    """A Python-float hyperparameter as the optimizer sees it: a float32 tensor."""
    return float(np.float32(h))


# -- Adam --------------------------------------------------------------------------------------
def _numpy_adam(w, steps, lr=0.1, b1=0.9, b2=0.999, eps=1e-8):
    # As in TF, Python-float hyperparameters and the beta powers are float32 tensors.
    lr, b1, b2, eps = (f32(h) for h in (lr, b1, b2, eps))
    b1p, b2p = np.float32(b1), np.float32(b2)
    m, v = np.zeros_like(w), np.zeros_like(w)
    for _ in range(steps):
        g = _grad(w)
        lr_t = lr * np.sqrt(1 - float(b2p)) / (1 - float(b1p))
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        w = w - lr_t * m / (np.sqrt(v) + eps)
        b1p, b2p = b1p * np.float32(b1), b2p * np.float32(b2)
    return w, m, v


def test_adam_three_steps_match_tf1_formula():
    w, loss = _quadratic()
    opt = tf.train.AdamOptimizer(0.1)
    train = opt.minimize(loss)
    b1p, b2p = opt._get_beta_accumulators()
    got = _run_steps(train, [w, opt.get_slot(w, "m"), opt.get_slot(w, "v"), b1p, b2p], 3)
    want = _numpy_adam(W0, 3)
    for g, e in zip(got[:3], want):
        np.testing.assert_allclose(g, e, rtol=1e-12, atol=1e-14)
    assert got[3].dtype == np.float32
    np.testing.assert_allclose(got[3], 0.9 ** 4, rtol=1e-6)
    np.testing.assert_allclose(got[4], 0.999 ** 4, rtol=1e-6)


def test_adam_float32_close_to_formula():
    w, loss = _quadratic(tf.float32)
    train = tf.train.AdamOptimizer(0.05, beta1=0.8, beta2=0.99, epsilon=1e-6).minimize(loss)
    got = _run_steps(train, w, 3)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, _numpy_adam(W0, 3, 0.05, 0.8, 0.99, 1e-6)[0], rtol=1e-5, atol=1e-6)


def test_adam_variable_and_slot_names():
    w, loss = _quadratic()
    b = tf.Variable(np.zeros(3), name="b")
    loss = loss + tf.reduce_sum(b * b)
    opt = tf.train.AdamOptimizer()
    train = opt.minimize(loss)
    names = [v.name for v in tf.global_variables()]
    assert names == ["W:0", "b:0", "beta1_power:0", "beta2_power:0", "W/Adam:0", "W/Adam_1:0",
                     "b/Adam:0", "b/Adam_1:0"]
    assert [v.name for v in tf.trainable_variables()] == ["W:0", "b:0"]
    assert opt.get_slot_names() == ["m", "v"]
    assert opt.get_slot(w, "m").name == "W/Adam:0"
    assert opt.get_slot(w, "v").name == "W/Adam_1:0"
    assert opt.get_slot(w, "nope") is None
    assert [v.name for v in opt.variables()] == ["W/Adam:0", "W/Adam_1:0", "b/Adam:0", "b/Adam_1:0",
                                                 "beta1_power:0", "beta2_power:0"]
    assert train.name == "Adam" and train.type == "NoOp"
    assert train in tf.get_collection(tf.GraphKeys.TRAIN_OP)
    types = {op.type for op in tf.get_default_graph().get_operations()}
    assert "ApplyAdam" in types
    assert tf.get_default_graph().get_operation_by_name("Adam/update_W/ApplyAdam").type == "ApplyAdam"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(opt.get_slot(w, "m")).shape == (2, 3)
        assert not sess.run(opt.get_slot(w, "m")).any()
        np.testing.assert_allclose(sess.run(opt._get_beta_accumulators()[0]), 0.9)


def test_second_minimize_reuses_beta_powers_and_makes_new_slots_per_var():
    w, loss = _quadratic()
    opt = tf.train.AdamOptimizer()
    opt.minimize(loss)
    opt.minimize(loss, name="again")
    names = [v.name for v in tf.global_variables()]
    assert names.count("beta1_power:0") == 1 and "beta1_power_1:0" not in names
    assert names.count("W/Adam:0") == 1


# -- other optimizers against numpy ------------------------------------------------------------
def test_gradient_descent_with_placeholder_learning_rate():
    w, loss = _quadratic()
    lr = tf.placeholder(tf.float32, [])
    train = tf.train.GradientDescentOptimizer(lr).minimize(loss)
    assert train.name == "GradientDescent"
    got = _run_steps(train, w, 2, {lr: 0.1})
    want = W0.copy()
    for _ in range(2):
        want = want - np.float32(0.1) * _grad(want)
    np.testing.assert_allclose(got, want, rtol=1e-12)


@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum_two_steps(nesterov):
    w, loss = _quadratic()
    opt = tf.train.MomentumOptimizer(0.05, 0.9, use_nesterov=nesterov)
    train = opt.minimize(loss)
    assert opt.get_slot(w, "momentum").name == "W/Momentum:0"
    got = _run_steps(train, w, 2)
    want, accum = W0.copy(), np.zeros_like(W0)
    lr, mom = f32(0.05), f32(0.9)
    for _ in range(2):
        g = _grad(want)
        accum = mom * accum + g
        want = want - (lr * g + lr * mom * accum if nesterov else lr * accum)
    np.testing.assert_allclose(got, want, rtol=1e-12)


@pytest.mark.parametrize("centered", [False, True])
def test_rmsprop_two_steps(centered):
    w, loss = _quadratic()
    opt = tf.train.RMSPropOptimizer(0.01, decay=0.8, momentum=0.5, epsilon=1e-6, centered=centered)
    train = opt.minimize(loss)
    slot_names = ["W/RMSProp:0", "W/RMSProp_1:0"] + (["W/RMSProp_2:0"] if centered else [])
    assert [v.name for v in tf.global_variables()][1:] == slot_names
    assert opt.get_slot(w, "momentum").name == slot_names[-1]
    got, ms_got = _run_steps(train, [w, opt.get_slot(w, "rms")], 2)
    want, ms, mg, mom = W0.copy(), np.ones_like(W0), np.zeros_like(W0), np.zeros_like(W0)
    lr, decay, eps = f32(0.01), f32(0.8), f32(1e-6)
    for _ in range(2):
        g = _grad(want)
        ms = decay * ms + (1 - decay) * g * g
        mg = decay * mg + (1 - decay) * g
        denom = ms - mg * mg + eps if centered else ms + eps
        mom = 0.5 * mom + lr * g / np.sqrt(denom)
        want = want - mom
    np.testing.assert_allclose(got, want, rtol=1e-12)
    np.testing.assert_allclose(ms_got, ms, rtol=1e-12)


def test_rmsprop_ms_slot_starts_at_one():
    w, loss = _quadratic()
    opt = tf.train.RMSPropOptimizer(0.01)
    opt.minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(opt.get_slot(w, "rms")), np.ones((2, 3)))


def test_adagrad_two_steps():
    w, loss = _quadratic()
    opt = tf.train.AdagradOptimizer(0.1, initial_accumulator_value=0.5)
    train = opt.minimize(loss)
    assert opt.get_slot(w, "accumulator").name == "W/Adagrad:0"
    got = _run_steps(train, w, 2)
    want, acc = W0.copy(), np.full_like(W0, 0.5)
    for _ in range(2):
        g = _grad(want)
        acc = acc + g * g
        want = want - f32(0.1) * g / np.sqrt(acc)
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_adagrad_rejects_non_positive_accumulator():
    with pytest.raises(ValueError, match="initial_accumulator_value must be positive"):
        tf.train.AdagradOptimizer(0.1, initial_accumulator_value=0.0)


def test_callable_learning_rate_and_float32_rate_on_float64_variable():
    w, loss = _quadratic()
    train = tf.train.GradientDescentOptimizer(lambda: 0.25).minimize(loss)
    got = _run_steps(train, w, 1)
    np.testing.assert_allclose(got, W0 - 0.25 * _grad(W0))
    assert got.dtype == np.float64


# -- sparse (IndexedSlices) updates ----------------------------------------------------------------
E0 = np.arange(10, dtype=np.float64).reshape(5, 2) / 10.0
IDS = np.array([0, 3, 0, 1])
CS = np.array([[1.0, 2.0], [-1.0, 0.5], [0.5, 0.5], [2.0, -3.0]])


def _sparse_problem():
    emb = tf.Variable(E0, name="emb")
    rows = tf.gather(emb, tf.constant(IDS))
    loss = tf.reduce_sum(rows * tf.constant(CS))
    return emb, loss


def _dense_grad():
    g = np.zeros_like(E0)
    np.add.at(g, IDS, CS)  # repeated id 0 accumulates
    return g


def test_gather_gradient_is_indexed_slices():
    emb, loss = _sparse_problem()
    (g, v), = tf.train.GradientDescentOptimizer(0.1).compute_gradients(loss)
    assert isinstance(g, tf.IndexedSlices) and v is emb


def test_sgd_sparse_update_accumulates_repeated_ids():
    emb, loss = _sparse_problem()
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    assert any(op.type == "SparseApplyGradientDescent" for op in tf.get_default_graph().get_operations())
    got = _run_steps(train, emb, 2)
    np.testing.assert_allclose(got, E0 - 2 * 0.1 * _dense_grad())


def test_momentum_sparse_updates_only_touched_rows():
    emb, loss = _sparse_problem()
    train = tf.train.MomentumOptimizer(0.1, 0.9).minimize(loss)
    got = _run_steps(train, emb, 2)
    g = _dense_grad()
    want = E0 - 0.1 * g - 0.1 * (0.9 * g + g)
    np.testing.assert_allclose(got, want)
    np.testing.assert_array_equal(got[[2, 4]], E0[[2, 4]])


def test_adam_sparse_follows_tf1_apply_sparse():
    emb, loss = _sparse_problem()
    train = tf.train.AdamOptimizer(0.1).minimize(loss)
    got = _run_steps(train, emb, 2)
    g = _dense_grad()
    w, m, v = E0.copy(), np.zeros_like(E0), np.zeros_like(E0)
    b1, b2 = f32(0.9), f32(0.999)
    b1p, b2p = np.float32(0.9), np.float32(0.999)
    for _ in (1, 2):
        lr_t = f32(0.1) * np.sqrt(1 - float(b2p)) / (1 - float(b1p))
        m = b1 * m + (1 - b1) * g  # decays everywhere, the gradient only adds at its rows
        v = b2 * v + (1 - b2) * g * g
        w = w - lr_t * m / (np.sqrt(v) + f32(1e-8))
        b1p, b2p = b1p * np.float32(0.9), b2p * np.float32(0.999)
    np.testing.assert_allclose(got, w, rtol=1e-9)


def test_adagrad_and_rmsprop_sparse_match_dense_on_touched_rows():
    emb, loss = _sparse_problem()
    ada = tf.train.AdagradOptimizer(0.1).minimize(loss)
    got = _run_steps(ada, emb, 1)
    g = _dense_grad()
    touched = np.unique(IDS)
    want = E0.copy()
    want[touched] -= f32(0.1) * g[touched] / np.sqrt(0.1 + g[touched] ** 2)
    np.testing.assert_allclose(got, want, rtol=1e-12)

    tf.reset_default_graph()
    emb, loss = _sparse_problem()
    rms = tf.train.RMSPropOptimizer(0.01, centered=True).minimize(loss)
    got = _run_steps(rms, emb, 1)
    decay = f32(0.9)
    ms = decay + (1 - decay) * g * g
    mg = (1 - decay) * g
    want = E0.copy()
    want[touched] -= (f32(0.01) * g / np.sqrt(ms - mg * mg + f32(1e-10)))[touched]
    np.testing.assert_allclose(got, want, rtol=1e-12)


# -- global step and the API's errors ------------------------------------------------------------
def test_global_step_creation_and_increment():
    assert tf.train.get_global_step() is None
    gs = tf.train.get_or_create_global_step()
    assert gs.name == "global_step:0" and gs.dtype == tf.int64_ref and gs.shape.as_list() == []
    assert not gs.trainable
    assert tf.get_collection(tf.GraphKeys.GLOBAL_STEP) == [gs]
    assert tf.train.get_or_create_global_step() is gs
    assert tf.train.get_global_step() is gs
    with pytest.raises(ValueError, match='"global_step" already exists'):
        tf.train.create_global_step()
    w, loss = _quadratic()
    train = tf.train.GradientDescentOptimizer(0.01).minimize(loss, global_step=gs)
    assert train.name == "GradientDescent" and train.type == "AssignAdd"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert tf.train.global_step(sess, gs) == 0
        for _ in range(3):
            sess.run(train)
        assert tf.train.global_step(sess, gs) == 3
        assert isinstance(tf.train.global_step(sess, gs), int)


def test_global_step_runs_after_the_updates():
    gs = tf.train.create_global_step()
    w, loss = _quadratic()
    train = tf.train.AdamOptimizer(0.1).minimize(loss, global_step=gs)
    got, step = _run_steps(train, [w, gs], 2)
    np.testing.assert_allclose(got, _numpy_adam(W0, 2)[0], rtol=1e-12)
    assert step == 2


def test_minimize_without_any_gradient_raises():
    tf.Variable(np.ones(2), name="v")
    x = tf.placeholder(tf.float64, [2])
    with pytest.raises(ValueError, match="No gradients provided for any variable"):
        tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_sum(x * x))


def test_compute_gradients_gives_none_for_unconnected_variables():
    w, loss = _quadratic()
    other = tf.Variable(np.ones(2), name="other")
    gv = tf.train.AdamOptimizer().compute_gradients(loss)
    assert [v for _, v in gv] == [w, other]
    assert gv[0][0] is not None and gv[1][0] is None
    train = tf.train.AdamOptimizer().apply_gradients(gv)
    assert tf.train.AdamOptimizer().get_slot(other, "m") is None
    assert train.type == "NoOp"


def test_api_errors():
    w, loss = _quadratic()
    opt = tf.train.GradientDescentOptimizer(0.1)
    with pytest.raises(ValueError, match="No variables provided"):
        opt.apply_gradients([])
    with pytest.raises(ValueError, match="No gradients provided for any variable"):
        opt.apply_gradients([(None, w)])
    with pytest.raises(ValueError, match="gate_gradients must be one of"):
        opt.compute_gradients(loss, gate_gradients=7)
    with pytest.raises(ValueError, match="Invalid type"):
        opt.compute_gradients(tf.constant(1, tf.int32))
    with pytest.raises(ValueError, match="Must specify the optimizer name"):
        tf.train.GradientDescentOptimizer(0.1, name="")
    with pytest.raises(TypeError):
        opt.compute_gradients(loss, var_list=[tf.constant(1.0)])


def test_explicit_var_list_and_grad_loss():
    w, loss = _quadratic()
    b = tf.Variable(np.ones(3), name="b")
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss + tf.reduce_sum(b), var_list=[w],
                                                            grad_loss=tf.constant(2.0, tf.float64))
    got_w, got_b = _run_steps(train, [w, b], 1)
    np.testing.assert_allclose(got_w, W0 - 0.1 * 2 * _grad(W0))
    np.testing.assert_array_equal(got_b, np.ones(3))


def test_uninitialized_slot_raises_failed_precondition():
    w, loss = _quadratic()
    opt = tf.train.AdamOptimizer()
    train = opt.minimize(loss)
    m = opt.get_slot(w, "m")
    with tf.Session() as sess:
        sess.run([v.initializer for v in tf.global_variables() if v is not m])
        with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value W/Adam"):
            sess.run(train)


def test_exponential_decay():
    gs = tf.train.create_global_step()
    lr = tf.train.exponential_decay(0.1, gs, 10, 0.5)
    lr_stair = tf.train.exponential_decay(0.1, gs, 10, 0.5, staircase=True)
    assert lr.op.name == "ExponentialDecay"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(gs.assign(15))
        np.testing.assert_allclose(sess.run([lr, lr_stair]), [0.1 * 0.5 ** 1.5, 0.05], rtol=1e-6)
    with pytest.raises(ValueError, match="global_step is required"):
        tf.train.exponential_decay(0.1, None, 10, 0.5)


# -- convergence ---------------------------------------------------------------------------------------
OPTIMIZERS = {
    "sgd": lambda: tf.train.GradientDescentOptimizer(0.1),
    "momentum": lambda: tf.train.MomentumOptimizer(0.05, 0.9),
    "nesterov": lambda: tf.train.MomentumOptimizer(0.05, 0.9, use_nesterov=True),
    "adam": lambda: tf.train.AdamOptimizer(0.1),
    "rmsprop": lambda: tf.train.RMSPropOptimizer(0.02),
    "adagrad": lambda: tf.train.AdagradOptimizer(0.5),
}


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_linear_regression_converges(name):
    rng = np.random.RandomState(0)
    xs = rng.randn(32, 3).astype(np.float32)
    ys = xs @ np.array([[1.0], [-2.0], [0.5]], np.float32) + 0.3
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.placeholder(tf.float32, [None, 1])
    w = tf.Variable(np.zeros((3, 1), np.float32))
    b = tf.Variable(np.zeros((1,), np.float32))
    err = tf.matmul(x, w) + b - y
    loss = tf.reduce_sum(err * err) / 32.0
    train = OPTIMIZERS[name]().minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss, {x: xs, y: ys})
        for _ in range(300):
            sess.run(train, {x: xs, y: ys})
        last = sess.run(loss, {x: xs, y: ys})
    assert last < 1e-2 * first


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam", "rmsprop", "adagrad"])
def test_xor_network_converges(name):
    xs = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], np.float32)
    ys = np.array([[0], [1], [1], [0]], np.float32)
    rng = np.random.RandomState(1)
    x = tf.placeholder(tf.float32, [None, 2])
    y = tf.placeholder(tf.float32, [None, 1])
    w1 = tf.Variable(rng.randn(2, 8).astype(np.float32))
    b1 = tf.Variable(np.zeros(8, np.float32))
    w2 = tf.Variable(rng.randn(8, 1).astype(np.float32))
    b2 = tf.Variable(np.zeros(1, np.float32))
    hidden = tf.tanh(tf.matmul(x, w1) + b1)
    out = tf.sigmoid(tf.matmul(hidden, w2) + b2)
    err = out - y
    loss = tf.reduce_sum(err * err)
    opt = {"sgd": tf.train.GradientDescentOptimizer(0.5),
           "momentum": tf.train.MomentumOptimizer(0.2, 0.9),
           "adam": tf.train.AdamOptimizer(0.05),
           "rmsprop": tf.train.RMSPropOptimizer(0.02),
           "adagrad": tf.train.AdagradOptimizer(0.5)}[name]
    train = opt.minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(500):
            sess.run(train, {x: xs, y: ys})
        pred = sess.run(out, {x: xs})
    np.testing.assert_array_equal(pred > 0.5, ys > 0.5)
