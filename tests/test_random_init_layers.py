"""Random ops and seeds, initializers, and tf.layers (dense, dropout)."""
import numpy as np
import pytest

import tinygraph as tf
from tinygraph.ops import init_ops, random_ops


def run(fetches, feed_dict=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed_dict=feed_dict)


# -- seeds -------------------------------------------------------------------------------------------
def _build_and_draw(graph_seed=None, op_seed=None, runs=2):
    tf.reset_default_graph()
    if graph_seed is not None:
        tf.set_random_seed(graph_seed)
    tf.constant(1.0)  # some other op first: the derived op seed depends on the op count
    x = tf.random_normal([5], seed=op_seed)
    y = tf.random_uniform([5], seed=op_seed)
    with tf.Session() as sess:
        return [sess.run([x, y]) for _ in range(runs)]


def test_graph_seed_reproduces_across_sessions_and_rebuilds():
    a, b = _build_and_draw(graph_seed=42), _build_and_draw(graph_seed=42)
    np.testing.assert_array_equal(np.concatenate(sum(a, [])), np.concatenate(sum(b, [])))
    assert not np.array_equal(a[0][0], a[1][0])  # successive runs draw new values
    assert not np.array_equal(a[0][0][:5], a[0][1][:5])  # two ops, two streams
    c = _build_and_draw(graph_seed=43)
    assert not np.array_equal(a[0][0], c[0][0])


def test_op_seed_alone_reproduces():
    a, b = _build_and_draw(op_seed=7), _build_and_draw(op_seed=7)
    np.testing.assert_array_equal(a[0][0], b[0][0])
    np.testing.assert_array_equal(a[1][1], b[1][1])


def test_no_seed_differs_between_sessions():
    x = tf.random_normal([10])
    with tf.Session() as s1, tf.Session() as s2:
        assert not np.array_equal(s1.run(x), s2.run(x))


def test_same_seeds_same_values_in_one_graph():
    tf.set_random_seed(1)
    a, b = tf.random_normal([4], seed=3), tf.random_normal([4], seed=3)
    va, vb = run([a, b])
    np.testing.assert_array_equal(va, vb)


def test_get_seed_rules():
    assert random_ops.get_seed(None) == (None, None)
    assert random_ops.get_seed(5) == (87654321, 5)
    tf.set_random_seed(10)
    assert tf.get_default_graph().seed == 10
    tf.constant(0)
    tf.constant(1)
    graph_seed, op_seed = random_ops.get_seed(None)
    assert graph_seed == 10 and op_seed == tf.get_default_graph()._id_counter
    assert random_ops.get_seed(3) == (10, 3)
    tf.set_random_seed(0)
    assert random_ops.get_seed(0) == (0, 2 ** 31 - 1)  # (0, 0) would mean "nondeterministic"


# -- distributions -------------------------------------------------------------------------------------
def test_random_normal_distribution_and_names():
    x = tf.random_normal([200, 100], mean=3.0, stddev=2.0, seed=1)
    assert x.name == "random_normal:0" and x.shape.as_list() == [200, 100] and x.dtype == tf.float32
    v = run(x)
    assert abs(v.mean() - 3.0) < 0.06 and abs(v.std() - 2.0) < 0.06


def test_random_normal_with_tensor_shape_and_float64():
    n = tf.placeholder(tf.int32, [])
    x = tf.random_normal(tf.stack([n, 3]), dtype=tf.float64)
    assert x.shape.as_list() == [None, 3]
    v = run(x, {n: 4})
    assert v.shape == (4, 3) and v.dtype == np.float64


def test_random_uniform_floats_and_ints():
    f = tf.random_uniform([10000], minval=-2.0, maxval=3.0, seed=2)
    i = tf.random_uniform([10000], minval=-3, maxval=4, dtype=tf.int32, seed=2)
    i64 = tf.random_uniform([10], maxval=2 ** 40, dtype=tf.int64)
    fv, iv, i64v = run([f, i, i64])
    assert fv.min() >= -2.0 and fv.max() < 3.0 and abs(fv.mean() - 0.5) < 0.05
    assert iv.dtype == np.int32 and set(np.unique(iv)) == set(range(-3, 4))
    assert i64v.dtype == np.int64 and i64v.min() >= 0 and i64v.max() < 2 ** 40
    u = run(tf.random_uniform([1000]))
    assert u.min() >= 0.0 and u.max() < 1.0


def test_random_uniform_errors():
    with pytest.raises(ValueError, match="maxval"):
        tf.random_uniform([2], dtype=tf.int32)
    with pytest.raises(ValueError, match="minval < maxval"):
        tf.random_uniform([2], minval=5, maxval=5, dtype=tf.int32)
    with pytest.raises(ValueError):
        tf.random_normal([2], dtype=tf.int32)


def test_truncated_normal_within_two_stddev():
    v = run(tf.truncated_normal([100000], mean=1.0, stddev=0.5, seed=4))
    assert v.min() >= 0.0 and v.max() <= 2.0
    assert abs(v.mean() - 1.0) < 0.01
    assert abs(v.std() - 0.5 * 0.8796) < 0.01  # the std of a unit normal truncated at 2


def test_random_shuffle_permutes_rows():
    x = np.arange(20).reshape(10, 2)
    s = tf.random_shuffle(x, seed=1)
    with tf.Session() as sess:
        a, b = sess.run(s), sess.run(s)
    assert sorted(map(tuple, a)) == sorted(map(tuple, x))
    assert np.all(a[:, 1] == a[:, 0] + 1)  # rows move whole
    assert not (np.array_equal(a, x) and np.array_equal(b, x))


def test_multinomial():
    logits = np.log(np.array([[0.2, 0.8, 0.0], [0.5, 0.25, 0.25]], np.float32) + 1e-30)
    s = tf.multinomial(logits, 4000, seed=1)
    assert s.dtype == tf.int64 and s.shape.as_list() == [2, 4000]
    v = run(s)
    assert set(np.unique(v[0])) == {0, 1}
    assert abs((v[0] == 1).mean() - 0.8) < 0.03
    assert abs((v[1] == 0).mean() - 0.5) < 0.03 and abs((v[1] == 2).mean() - 0.25) < 0.03
    assert run(tf.multinomial([[0.0, -np.inf]], 5, output_dtype=tf.int32)).tolist() == [[0] * 5]


def test_random_gamma_shape_and_mean():
    g = tf.random_gamma([5000], alpha=[1.0, 4.0], beta=2.0, seed=1)
    assert g.shape.as_list() == [5000, 2]
    v = run(g)
    np.testing.assert_allclose(v.mean(axis=0), [0.5, 2.0], rtol=0.06)


def test_random_ops_are_not_differentiable_but_their_parameters_are():
    mean = tf.constant(1.0)
    x = tf.random_normal([3], mean=mean)
    assert run(tf.gradients(tf.reduce_sum(x), mean)[0]) == pytest.approx(3.0)


# -- initializers ----------------------------------------------------------------------------------------
def test_initializer_classes_and_instances():
    assert isinstance(tf.zeros_initializer, type) and isinstance(tf.zeros_initializer(), init_ops.Initializer)
    z = tf.zeros_initializer()([2, 3])
    o = tf.ones_initializer(dtype=tf.int32)([2])
    assert z.shape.as_list() == [2, 3] and o.dtype == tf.int32
    zv, ov = run([z, o])
    assert (zv == 0).all() and ov.tolist() == [1, 1]
    assert tf.initializers.zeros is tf.zeros_initializer
    assert tf.initializers.glorot_uniform is tf.glorot_uniform_initializer
    assert tf.initializers.global_variables is tf.global_variables_initializer
    assert tf.initializers.Initializer is init_ops.Initializer


def test_constant_initializer():
    vals = run([tf.constant_initializer(3.5)([2, 2]),
                tf.constant_initializer([1, 2])([2, 3]),
                tf.constant_initializer(np.arange(6))([2, 3], dtype=tf.float64)])
    np.testing.assert_array_equal(vals[0], np.full((2, 2), 3.5))
    np.testing.assert_array_equal(vals[1], [[1, 2, 2], [2, 2, 2]])  # padded with the last value
    np.testing.assert_array_equal(vals[2], np.arange(6).reshape(2, 3))
    assert vals[2].dtype == np.float64
    with pytest.raises(TypeError):
        tf.constant_initializer([1, 2], verify_shape=True)([2, 3])
    with pytest.raises(ValueError):
        tf.constant_initializer([1, 2, 3])([2])
    with pytest.raises(TypeError):
        tf.constant_initializer({"a": 1})


def test_random_initializers_statistics():
    rn = tf.random_normal_initializer(mean=1.0, stddev=0.5, seed=1)([300, 100])
    ru = tf.random_uniform_initializer(-0.3, 0.3, seed=1)([300, 100])
    tn = tf.truncated_normal_initializer(stddev=0.1, seed=1)([300, 100])
    a, b, c = run([rn, ru, tn])
    assert abs(a.mean() - 1.0) < 0.02 and abs(a.std() - 0.5) < 0.02
    assert b.min() >= -0.3 and b.max() < 0.3 and abs(b.std() - 0.6 / np.sqrt(12)) < 0.01
    assert np.abs(c).max() <= 0.2
    with pytest.raises(ValueError, match="floating point"):
        tf.random_normal_initializer(dtype=tf.int32)


def test_glorot_uniform_limit_and_variance():
    v = run(tf.glorot_uniform_initializer(seed=1)([200, 300]))
    limit = np.sqrt(6.0 / (200 + 300))
    assert np.abs(v).max() <= limit and np.abs(v).max() > 0.98 * limit
    assert abs(v.var() - 2.0 / 500) < 0.05 * 2.0 / 500


def test_glorot_normal_and_variance_scaling():
    gn = tf.glorot_normal_initializer(seed=1)([200, 300])
    fan_in = tf.variance_scaling_initializer(2.0, "fan_in", "truncated_normal", seed=1)([400, 100])
    fan_out = tf.variance_scaling_initializer(1.0, "fan_out", "uniform", seed=1)([100, 400])
    untrunc = tf.variance_scaling_initializer(3.0, "fan_avg", "untruncated_normal", seed=1)([300, 300])
    conv = tf.variance_scaling_initializer(1.0, "fan_in", "normal", seed=1)([3, 3, 16, 32])
    a, b, c, d, e = run([gn, fan_in, fan_out, untrunc, conv])
    for value, want in ((a, 2.0 / 500), (b, 2.0 / 400), (c, 1.0 / 400), (d, 3.0 / 300), (e, 1.0 / 144)):
        assert abs(value.var() - want) < 0.06 * want
    assert np.abs(b).max() <= 2 * np.sqrt(2.0 / 400) / 0.8796 + 1e-6
    assert np.abs(c).max() <= np.sqrt(3.0 / 400)


def test_variance_scaling_errors():
    with pytest.raises(ValueError, match="positive"):
        tf.variance_scaling_initializer(scale=0.0)
    with pytest.raises(ValueError, match="mode"):
        tf.variance_scaling_initializer(mode="fan_sum")
    with pytest.raises(ValueError, match="distribution"):
        tf.variance_scaling_initializer(distribution="cauchy")


@pytest.mark.parametrize("shape", [[5, 5], [3, 7], [8, 3], [2, 3, 4]])
def test_orthogonal_initializer(shape):
    v = run(tf.orthogonal_initializer(gain=2.0, seed=1)(shape))
    assert list(v.shape) == shape
    m = v.reshape(-1, shape[-1])
    small = min(m.shape)
    gram = m.T @ m if m.shape[0] >= m.shape[1] else m @ m.T
    np.testing.assert_allclose(gram, 4.0 * np.eye(small), atol=1e-5)


def test_orthogonal_needs_two_dims():
    with pytest.raises(ValueError, match="two-dimensional"):
        tf.orthogonal_initializer()([3])


def test_get_variable_default_is_glorot_uniform():
    w = tf.get_variable("w", [100, 60])
    v = run(w)
    assert np.abs(v).max() <= np.sqrt(6.0 / 160) and v.std() > 0.5 * np.sqrt(2.0 / 160)


def test_initializer_class_and_seeded_reproducibility():
    v1 = tf.get_variable("a", [3, 4], initializer=tf.glorot_uniform_initializer(seed=5))
    first = run(v1)
    tf.reset_default_graph()
    v2 = tf.get_variable("a", [3, 4], initializer=tf.glorot_uniform_initializer(seed=5))
    np.testing.assert_array_equal(first, run(v2))
    tf.reset_default_graph()
    z = tf.get_variable("z", [2], initializer=tf.zeros_initializer)  # the class itself
    assert run(z).tolist() == [0.0, 0.0]


# -- tf.layers.dense ---------------------------------------------------------------------------------------
def test_dense_names_and_unique_scopes():
    x = tf.placeholder(tf.float32, [None, 5])
    h = tf.layers.dense(x, 4, activation=tf.nn.relu)
    y = tf.layers.dense(h, 2)
    named = tf.layers.dense(x, 3, name="out")
    names = [(v.name, v.shape.as_list()) for v in tf.trainable_variables()]
    assert names == [("dense/kernel:0", [5, 4]), ("dense/bias:0", [4]),
                     ("dense_1/kernel:0", [4, 2]), ("dense_1/bias:0", [2]),
                     ("out/kernel:0", [5, 3]), ("out/bias:0", [3])]
    assert h.name == "dense/Relu:0" and y.name == "dense_1/BiasAdd:0"
    assert y.shape.as_list() == [None, 2] and named.shape.as_list() == [None, 3]


def test_dense_values_match_numpy():
    rng = np.random.RandomState(0)
    xv = rng.randn(3, 5).astype(np.float32)
    x = tf.constant(xv)
    y = tf.layers.dense(x, 4, activation=tf.nn.relu, bias_initializer=tf.constant_initializer(0.5))
    k, b = tf.trainable_variables()
    yv, kv, bv = run([y, k, b])
    np.testing.assert_array_equal(bv, np.full(4, 0.5, np.float32))
    np.testing.assert_allclose(yv, np.maximum(xv @ kv + bv, 0), rtol=1e-5, atol=1e-6)


def test_dense_3d_input_applies_on_last_axis():
    rng = np.random.RandomState(1)
    xv = rng.randn(2, 3, 5).astype(np.float32)
    x = tf.placeholder(tf.float32, [None, 3, 5])
    y = tf.layers.dense(x, 4)
    assert y.shape.as_list() == [None, 3, 4]
    x_unknown = tf.placeholder(tf.float32, [None, None, 5])
    z = tf.layers.dense(x_unknown, 6, use_bias=False)
    assert z.shape.as_list() == [None, None, 6]
    assert [v.name for v in tf.trainable_variables()] == [
        "dense/kernel:0", "dense/bias:0", "dense_1/kernel:0"]
    k, b = tf.trainable_variables()[:2]
    yv, zv, kv, bv = run([y, z, k, b], {x: xv, x_unknown: xv})
    np.testing.assert_allclose(yv, xv @ kv + bv, rtol=1e-5, atol=1e-6)
    assert zv.shape == (2, 3, 6)


def test_dense_gradients_reach_kernel_and_bias():
    x = tf.constant(np.ones((2, 3), np.float32))
    y = tf.layers.dense(x, 2)
    k, b = tf.trainable_variables()
    gk, gb = run(tf.gradients(tf.reduce_sum(y), [k, b]))
    np.testing.assert_array_equal(gk, np.full((3, 2), 2.0))
    np.testing.assert_array_equal(gb, [2.0, 2.0])


def test_dense_reuse_and_variable_scopes():
    x = tf.placeholder(tf.float32, [None, 3])
    with tf.variable_scope("net"):
        tf.layers.dense(x, 2, name="fc")
    with tf.variable_scope("net", reuse=True):
        tf.layers.dense(x, 2, name="fc")
    tf.layers.dense(x, 2, name="fc2")
    tf.layers.dense(x, 2, name="fc2", reuse=True)
    assert [v.name for v in tf.trainable_variables()] == [
        "net/fc/kernel:0", "net/fc/bias:0", "fc2/kernel:0", "fc2/bias:0"]
    with pytest.raises(ValueError, match="already exists"):
        tf.layers.dense(x, 2, name="fc2")


def test_dense_regularizers_trainable_and_errors():
    x = tf.placeholder(tf.float32, [None, 3])
    tf.layers.dense(x, 2, kernel_regularizer=tf.nn.l2_loss, trainable=False)
    assert len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)) == 1
    assert tf.trainable_variables() == [] and len(tf.global_variables()) == 2
    with pytest.raises(ValueError, match="should be defined"):
        tf.layers.dense(tf.placeholder(tf.float32, [None, None]), 2)
    with pytest.raises(ValueError, match="min_ndim=2"):
        tf.layers.dense(tf.constant([1.0, 2.0]), 2)


def test_dense_class_reuses_its_variables():
    x = tf.placeholder(tf.float32, [None, 3])
    layer = tf.layers.Dense(4, activation=tf.nn.relu)
    a, b = layer(x), layer(x)
    assert [v.name for v in layer.variables] == ["dense/kernel:0", "dense/bias:0"]
    assert len(tf.trainable_variables()) == 2 and layer.kernel.shape.as_list() == [3, 4]
    xv = np.random.RandomState(0).randn(2, 3)
    av, bv = run([a, b], {x: xv})
    np.testing.assert_array_equal(av, bv)


# -- tf.layers.dropout -------------------------------------------------------------------------------------
def test_layers_dropout_training_flag():
    xv = np.random.RandomState(0).uniform(1, 2, (100, 50)).astype(np.float32)
    x = tf.constant(xv)
    off = tf.layers.dropout(x, rate=0.4)
    on = tf.layers.dropout(x, rate=0.4, training=True)
    training = tf.placeholder(tf.bool, [])
    switch = tf.layers.dropout(x, rate=0.4, training=training)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(off), xv)
        dropped = sess.run(on)
        np.testing.assert_array_equal(sess.run(switch, {training: False}), xv)
        switched = sess.run(switch, {training: True})
    for out in (dropped, switched):
        kept = out != 0
        assert abs(kept.mean() - 0.6) < 0.03
        np.testing.assert_allclose(out[kept], xv[kept] / 0.6, rtol=1e-6)
