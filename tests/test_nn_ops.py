"""tf.nn ops against numpy references: activations, softmax, cross-entropies, bias_add,
moments, dropout, in_top_k, embedding_lookup, l2_normalize."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygraph as tf


def run(fetches, feed_dict=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed_dict=feed_dict)


def np_softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def np_log_softmax(x, axis=-1):
    s = x - x.max(axis=axis, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=axis, keepdims=True))


SELU_ALPHA, SELU_SCALE = 1.6732632423543772, 1.0507009873554805

ACTIVATIONS = {
    "relu": (tf.nn.relu, lambda x: np.maximum(x, 0)),
    "relu6": (tf.nn.relu6, lambda x: np.clip(x, 0, 6)),
    "elu": (tf.nn.elu, lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0)))),
    "selu": (tf.nn.selu, lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(np.minimum(x, 0)))),
    "leaky_relu": (tf.nn.leaky_relu, lambda x: np.where(x > 0, x, 0.2 * x)),
    "softplus": (tf.nn.softplus, lambda x: np.logaddexp(0, x)),
    "softsign": (tf.nn.softsign, lambda x: x / (1 + np.abs(x))),
    "sigmoid": (tf.nn.sigmoid, lambda x: 1 / (1 + np.exp(-x))),
    "tanh": (tf.nn.tanh, np.tanh),
}

DERIVATIVES = {
    "relu": lambda x: (x > 0).astype(x.dtype),
    "relu6": lambda x: ((x > 0) & (x < 6)).astype(x.dtype),
    "elu": lambda x: np.where(x > 0, 1, np.exp(np.minimum(x, 0))),
    "selu": lambda x: SELU_SCALE * np.where(x > 0, 1, SELU_ALPHA * np.exp(np.minimum(x, 0))),
    "leaky_relu": lambda x: np.where(x > 0, 1, 0.2),
    "softplus": lambda x: 1 / (1 + np.exp(-x)),
    "softsign": lambda x: 1 / (1 + np.abs(x)) ** 2,
}

finite = st.floats(-8, 8, allow_nan=False, width=32)


# -- activations ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@given(x=hnp.arrays(np.float32, hnp.array_shapes(min_dims=0, max_dims=3, max_side=4), elements=finite))
def test_activation_values(name, x):
    fn, ref = ACTIVATIONS[name]
    tf.reset_default_graph()
    y = fn(tf.constant(x))
    assert y.shape.as_list() == list(x.shape) and y.dtype == tf.float32
    np.testing.assert_allclose(run(y), ref(x.astype(np.float64)), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", sorted(DERIVATIVES))
def test_activation_gradients(name):
    fn, _ = ACTIVATIONS[name]
    x = np.array([-3.0, -1.5, -0.2, 0.3, 2.0, 7.0], np.float64)
    xt = tf.constant(x)
    g = tf.gradients(tf.reduce_sum(fn(xt)), xt)[0]
    np.testing.assert_allclose(run(g), DERIVATIVES[name](x), rtol=1e-10)


def test_relu_gradient_is_zero_at_zero():
    x = tf.constant([-1.0, 0.0, 1.0])
    g = tf.gradients(tf.nn.relu(x), x)[0]
    np.testing.assert_array_equal(run(g), [0.0, 0.0, 1.0])
    assert g.op.type == "ReluGrad"


def test_relu_on_integers_and_op_types():
    assert run(tf.nn.relu(tf.constant([-2, 3]))).tolist() == [0, 3]
    x = tf.constant([1.0])
    assert [tf.nn.relu(x).op.type, tf.nn.softmax(x).op.type, tf.nn.l2_loss(x).op.type] == \
        ["Relu", "Softmax", "L2Loss"]
    assert tf.nn.relu(x, name="act").name == "act:0"
    assert tf.nn.leaky_relu(tf.constant([-2, 3])).dtype == tf.float32


def test_softplus_is_stable_for_large_inputs():
    y = run(tf.nn.softplus(tf.constant([-1000.0, 0.0, 1000.0])))
    np.testing.assert_allclose(y, [0.0, np.log(2.0), 1000.0], rtol=1e-6)


def test_leaky_relu_alpha():
    np.testing.assert_allclose(run(tf.nn.leaky_relu(tf.constant([-2.0, 4.0]), alpha=0.5)), [-1.0, 4.0])


# -- softmax ------------------------------------------------------------------------------------
@given(x=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=5), elements=finite),
       data=st.data())
def test_softmax_and_log_softmax(x, data):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    tf.reset_default_graph()
    t = tf.constant(x)
    sm, lsm = run([tf.nn.softmax(t, axis=axis), tf.nn.log_softmax(t, axis=axis)])
    np.testing.assert_allclose(sm, np_softmax(x, axis), rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(lsm, np_log_softmax(x, axis), rtol=1e-10, atol=1e-12)


def test_softmax_dim_alias_and_stability():
    x = np.array([[1000.0, 1000.0, -1000.0], [0.0, 1.0, 2.0]], np.float32)
    np.testing.assert_allclose(run(tf.nn.softmax(tf.constant(x), dim=0)), np_softmax(x, 0), atol=1e-7)
    out = run(tf.nn.log_softmax(tf.constant(x)))
    assert np.all(np.isfinite(out))
    np.testing.assert_allclose(out[0], [-np.log(2), -np.log(2), -2000 - np.log(2)], rtol=1e-6)


def test_softmax_gradient():
    x = np.random.RandomState(0).randn(2, 4)
    w = np.random.RandomState(1).randn(2, 4)
    xt = tf.constant(x)
    g = run(tf.gradients(tf.reduce_sum(tf.nn.softmax(xt) * w), xt)[0])
    s = np_softmax(x)
    np.testing.assert_allclose(g, s * (w - (w * s).sum(-1, keepdims=True)), rtol=1e-10)


def test_softmax_bad_axis():
    with pytest.raises(ValueError):
        tf.nn.softmax(tf.constant([[1.0, 2.0]]), axis=2)


# -- bias_add, xw_plus_b, l2_loss ----------------------------------------------------------------------
def test_bias_add_values_and_gradient():
    v = np.arange(24, dtype=np.float64).reshape(2, 3, 4)
    b = np.array([1.0, -1.0, 2.0, 0.5])
    vt, bt = tf.constant(v), tf.constant(b)
    y = tf.nn.bias_add(vt, bt)
    assert y.op.type == "BiasAdd" and y.name == "BiasAdd:0" and y.shape.as_list() == [2, 3, 4]
    w = np.random.RandomState(0).randn(2, 3, 4)
    gv, gb = tf.gradients(tf.reduce_sum(y * w), [vt, bt])
    out, gv, gb = run([y, gv, gb])
    np.testing.assert_allclose(out, v + b)
    np.testing.assert_allclose(gv, w)
    np.testing.assert_allclose(gb, w.sum(axis=(0, 1)))


def test_bias_add_nchw():
    v = np.arange(12, dtype=np.float32).reshape(2, 3, 2)
    b = np.array([1.0, 2.0, 3.0], np.float32)
    np.testing.assert_allclose(run(tf.nn.bias_add(v, b, data_format="NCHW")), v + b[:, None])


def test_bias_add_errors():
    with pytest.raises(ValueError, match="at least rank 2"):
        tf.nn.bias_add(tf.constant([1.0, 2.0]), tf.constant([1.0, 2.0]))
    with pytest.raises(ValueError, match="Dimensions must be equal"):
        tf.nn.bias_add(tf.zeros([2, 3]), tf.zeros([4]))
    with pytest.raises(ValueError, match="must be rank 1"):
        tf.nn.bias_add(tf.zeros([2, 3]), tf.zeros([1, 3]))
    with pytest.raises(TypeError):
        tf.nn.bias_add(tf.zeros([2, 3]), tf.zeros([3], tf.float64))


def test_xw_plus_b():
    rng = np.random.RandomState(0)
    x, w, b = rng.randn(2, 3), rng.randn(3, 4), rng.randn(4)
    y = tf.nn.xw_plus_b(tf.constant(x), tf.constant(w), tf.constant(b))
    assert y.name == "xw_plus_b:0"
    np.testing.assert_allclose(run(y), x @ w + b)


@given(x=hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, max_side=4), elements=finite))
def test_l2_loss(x):
    tf.reset_default_graph()
    xt = tf.constant(x)
    loss = tf.nn.l2_loss(xt)
    assert loss.shape.as_list() == []
    val, g = run([loss, tf.gradients(loss, xt)[0]])
    np.testing.assert_allclose(val, (x ** 2).sum() / 2, rtol=1e-10)
    np.testing.assert_allclose(g, x)


# -- moments -----------------------------------------------------------------------------------------
@given(x=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=4), elements=finite),
       keep=st.booleans(), data=st.data())
def test_moments(x, keep, data):
    axes = sorted(data.draw(st.sets(st.integers(0, x.ndim - 1), min_size=1)))
    tf.reset_default_graph()
    mean, var = tf.nn.moments(tf.constant(x), axes, keep_dims=keep)
    want_shape = list(np.mean(x, axis=tuple(axes), keepdims=keep).shape)
    assert mean.shape.as_list() == want_shape and var.shape.as_list() == want_shape
    m, v = run([mean, var])
    np.testing.assert_allclose(m, x.mean(axis=tuple(axes), keepdims=keep), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(v, x.var(axis=tuple(axes), keepdims=keep), rtol=1e-8, atol=1e-10)


def test_moments_gradient_of_variance():
    x = np.array([[1.0, 2.0], [3.0, 7.0], [2.0, 0.0]])
    xt = tf.constant(x)
    _, var = tf.nn.moments(xt, [0])
    g = run(tf.gradients(tf.reduce_sum(var), xt)[0])
    np.testing.assert_allclose(g, 2 * (x - x.mean(0)) / 3, rtol=1e-10)


# -- dropout ------------------------------------------------------------------------------------------
def test_dropout_keep_prob_one_is_identity():
    x = np.random.RandomState(0).randn(50, 40).astype(np.float32)
    keep = tf.placeholder(tf.float32, [])
    xt = tf.constant(x)
    assert tf.nn.dropout(xt, keep_prob=1.0) is xt
    assert tf.nn.dropout(xt, rate=0.0) is xt
    y = tf.nn.dropout(xt, keep_prob=keep)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(y, {keep: 1.0}), x)
        np.testing.assert_array_equal(sess.run(y, {keep: 1.0}), x)


@pytest.mark.parametrize("keep_prob", [0.3, 0.5, 0.8])
def test_dropout_scaling_and_statistics(keep_prob):
    x = np.random.RandomState(0).uniform(1, 2, (200, 100)).astype(np.float32)
    y = run(tf.nn.dropout(tf.constant(x), keep_prob=keep_prob))
    kept = y != 0
    np.testing.assert_allclose(y[kept], x[kept] / keep_prob, rtol=1e-6)
    assert abs(kept.mean() - keep_prob) < 0.02  # 20000 draws: std ~0.0035
    assert abs(y.mean() - x.mean()) < 0.05


def test_dropout_tensor_keep_prob_and_rate():
    x = np.ones((100, 100), np.float32)
    keep = tf.placeholder(tf.float32, [])
    y = tf.nn.dropout(x, keep_prob=keep)
    z = tf.nn.dropout(x, rate=0.75)
    with tf.Session() as sess:
        half = sess.run(y, {keep: 0.5})
        assert set(np.unique(half)) == {0.0, 2.0}
        assert abs((half != 0).mean() - 0.5) < 0.03
        quarter = sess.run(z)
        assert set(np.unique(quarter)) == {0.0, 4.0}
        assert abs((quarter != 0).mean() - 0.25) < 0.03


def test_dropout_noise_shape_drops_whole_rows():
    y = run(tf.nn.dropout(tf.ones([50, 8]), keep_prob=0.5, noise_shape=[50, 1]))
    for row in y:
        assert len(set(row.tolist())) == 1
    assert 0 < (y[:, 0] != 0).sum() < 50


def test_dropout_gradient_uses_the_same_mask():
    x = tf.ones([30, 30])
    y = tf.nn.dropout(x, keep_prob=0.5, seed=3)
    out, g = run([y, tf.gradients(tf.reduce_sum(y), x)[0]])
    np.testing.assert_array_equal(out, g)


def test_dropout_seeds_and_fresh_masks():
    tf.set_random_seed(5)
    y = tf.nn.dropout(tf.ones([20, 20]), keep_prob=0.5, seed=1)
    with tf.Session() as sess:
        a, b = sess.run(y), sess.run(y)
    with tf.Session() as sess:
        c = sess.run(y)
    assert not np.array_equal(a, b)  # each run draws a new mask
    np.testing.assert_array_equal(a, c)  # the same seeds, the same sequence


def test_dropout_errors():
    x = tf.ones([2, 2])
    with pytest.raises(ValueError, match="both"):
        tf.nn.dropout(x, keep_prob=0.5, rate=0.5)
    with pytest.raises(ValueError, match="rate"):
        tf.nn.dropout(x)
    with pytest.raises(ValueError, match=r"range \[0, 1\)"):
        tf.nn.dropout(x, keep_prob=0.0)
    with pytest.raises(ValueError, match="floating point"):
        tf.nn.dropout(tf.constant([1, 2]), keep_prob=0.5)


# -- cross-entropies -------------------------------------------------------------------------------
def np_sparse_xent(logits, labels):
    lsm = np_log_softmax(logits)
    return -np.take_along_axis(lsm, labels[..., None], axis=-1)[..., 0]


def test_sparse_softmax_cross_entropy_2d():
    rng = np.random.RandomState(0)
    logits = rng.randn(5, 4)
    labels = np.array([0, 3, 1, 1, 2])
    lt = tf.constant(logits)
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=lt)
    assert loss.shape.as_list() == [5] and loss.dtype == tf.float64
    assert loss.name == "SparseSoftmaxCrossEntropyWithLogits/SparseSoftmaxCrossEntropyWithLogits:0"
    val, g = run([loss, tf.gradients(tf.reduce_sum(loss), lt)[0]])
    np.testing.assert_allclose(val, np_sparse_xent(logits, labels), rtol=1e-10)
    np.testing.assert_allclose(g, np_softmax(logits) - np.eye(4)[labels], rtol=1e-10, atol=1e-14)


def test_sparse_softmax_cross_entropy_3d_and_placeholders():
    rng = np.random.RandomState(1)
    logits = rng.randn(2, 3, 5).astype(np.float32)
    labels = rng.randint(0, 5, (2, 3)).astype(np.int64)
    lp = tf.placeholder(tf.float32, [None, None, 5])
    yp = tf.placeholder(tf.int64, [None, None])
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=yp, logits=lp)
    assert loss.shape.as_list() == [None, None]
    val = run(loss, {lp: logits, yp: labels})
    assert val.shape == (2, 3)
    np.testing.assert_allclose(val, np_sparse_xent(logits.astype(np.float64), labels), rtol=1e-5)


def test_sparse_softmax_cross_entropy_is_stable_and_flags_bad_labels():
    logits = np.array([[1000.0, 0.0], [0.0, -1000.0]], np.float32)
    val = run(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[1, 0], logits=logits))
    np.testing.assert_allclose(val, [1000.0, 0.0], atol=1e-3)
    labels = tf.placeholder(tf.int32, [2])
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"label value of 5 which is outside the valid range of \[0, 2\)"):
            sess.run(loss, {labels: [0, 5]})
        np.testing.assert_allclose(sess.run(loss, {labels: [1, 0]}), [1000.0, 0.0], atol=1e-3)


def test_sparse_softmax_cross_entropy_errors():
    logits = tf.zeros([4, 3])
    with pytest.raises(ValueError, match="named arguments"):
        tf.nn.sparse_softmax_cross_entropy_with_logits([0, 1, 2, 0], logits)
    with pytest.raises(ValueError, match="Rank mismatch"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[[0]], logits=logits)
    with pytest.raises(ValueError, match="Shape mismatch"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 1], logits=logits)
    with pytest.raises(TypeError):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0.0, 1.0, 1.0, 0.0], logits=logits)


def test_softmax_cross_entropy_v1_and_v2():
    rng = np.random.RandomState(2)
    logits = rng.randn(3, 4)
    labels = np_softmax(rng.randn(3, 4))
    lt, yt = tf.constant(logits), tf.constant(labels)
    v2 = tf.nn.softmax_cross_entropy_with_logits_v2(labels=yt, logits=lt)
    v1 = tf.nn.softmax_cross_entropy_with_logits(labels=yt, logits=lt)
    want = -(labels * np_log_softmax(logits)).sum(-1)
    g_logits, g_labels = tf.gradients(tf.reduce_sum(v2), [lt, yt])
    assert tf.gradients(tf.reduce_sum(v1), yt) == [None]  # v1 stops gradients to the labels
    a, b, gl, gy = run([v1, v2, g_logits, g_labels])
    np.testing.assert_allclose(a, want, rtol=1e-10)
    np.testing.assert_allclose(b, want, rtol=1e-10)
    np.testing.assert_allclose(gl, np_softmax(logits) - labels, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(gy, -np_log_softmax(logits), rtol=1e-10)


def test_softmax_cross_entropy_dim_and_shape_error():
    rng = np.random.RandomState(3)
    logits, labels = rng.randn(4, 3), np_softmax(rng.randn(4, 3), axis=0)
    loss = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits, dim=0)
    assert loss.shape.as_list() == [3]
    np.testing.assert_allclose(run(loss), -(labels * np_log_softmax(logits, 0)).sum(0), rtol=1e-10)
    with pytest.raises(ValueError):
        tf.nn.softmax_cross_entropy_with_logits_v2(labels=tf.zeros([2, 3]), logits=tf.zeros([2, 4]))
    with pytest.raises(ValueError, match="named arguments"):
        tf.nn.softmax_cross_entropy_with_logits_v2(tf.zeros([2, 3]), tf.zeros([2, 3]))


def test_softmax_cross_entropy_second_derivative():
    logits = tf.constant([[0.5, -1.0, 2.0]], tf.float64)
    labels = tf.constant([[0.2, 0.3, 0.5]], tf.float64)
    loss = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
    g = tf.gradients(loss, logits)[0]
    h = tf.hessians(loss, logits)[0]
    s = np_softmax(np.array([0.5, -1.0, 2.0]))
    np.testing.assert_allclose(run(h).reshape(3, 3), np.diag(s) - np.outer(s, s), rtol=1e-8)
    assert g.shape.as_list() == [1, 3]


@given(x=hnp.arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 4)),
                    elements=st.floats(-50, 50, allow_nan=False)), data=st.data())
def test_sigmoid_cross_entropy(x, data):
    z = data.draw(hnp.arrays(np.float64, x.shape, elements=st.floats(0, 1)))
    tf.reset_default_graph()
    xt = tf.constant(x)
    loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=xt)
    assert loss.name == "logistic_loss:0"
    val, g = run([loss, tf.gradients(tf.reduce_sum(loss), xt)[0]])
    want = np.maximum(x, 0) - x * z + np.log1p(np.exp(-np.abs(x)))
    np.testing.assert_allclose(val, want, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(g, 1 / (1 + np.exp(-x)) - z, rtol=1e-8, atol=1e-12)


def test_sigmoid_cross_entropy_extremes_and_errors():
    val = run(tf.nn.sigmoid_cross_entropy_with_logits(labels=[0.0, 1.0, 1.0],
                                                      logits=[1000.0, 1000.0, -1000.0]))
    np.testing.assert_allclose(val, [1000.0, 0.0, 1000.0])
    with pytest.raises(ValueError, match="same shape"):
        tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.zeros([2]), logits=tf.zeros([3]))


# -- in_top_k ----------------------------------------------------------------------------------------
def test_in_top_k_ties_count_as_in():
    out = run(tf.nn.in_top_k([[1.0, 1.0, 0.0], [0.0, 2.0, 2.0]], [1, 1], 1))
    assert out.dtype == np.bool_ and out.tolist() == [True, True]


def test_in_top_k_values():
    preds = np.array([[0.1, 0.5, 0.3, 0.2], [0.4, 0.1, 0.2, 0.3], [0.1, 0.2, 0.3, np.nan]], np.float32)
    targets = tf.placeholder(tf.int32, [3])
    k = tf.placeholder(tf.int32, [])
    res = tf.nn.in_top_k(preds, targets, k)
    assert res.shape.as_list() == [3]
    with tf.Session() as sess:
        assert sess.run(res, {targets: [1, 3, 2], k: 1}).tolist() == [True, False, False]
        assert sess.run(res, {targets: [2, 3, 2], k: 2}).tolist() == [True, True, False]
        assert sess.run(res, {targets: [7, -1, 3], k: 4}).tolist() == [False, False, False]


# -- embedding_lookup --------------------------------------------------------------------------------------
def test_embedding_lookup_values_and_sparse_gradient():
    table = np.arange(12, dtype=np.float32).reshape(4, 3)
    params = tf.Variable(table)
    ids = tf.constant([[0, 2], [2, 2]])
    emb = tf.nn.embedding_lookup(params, ids)
    assert emb.shape.as_list() == [2, 2, 3] and emb.name == "embedding_lookup:0"
    g = tf.gradients(tf.reduce_sum(emb), params)[0]
    assert isinstance(g, tf.IndexedSlices)
    dense = tf.convert_to_tensor(g)
    e, d = run([emb, dense])
    np.testing.assert_array_equal(e, table[[[0, 2], [2, 2]]])
    np.testing.assert_array_equal(d, np.array([[1] * 3, [0] * 3, [3] * 3, [0] * 3], np.float32))


def test_embedding_lookup_list_of_one_and_errors():
    table = np.eye(3, dtype=np.float32)
    np.testing.assert_array_equal(run(tf.nn.embedding_lookup([table], [2, 0])), table[[2, 0]])
    with pytest.raises(ValueError):
        tf.nn.embedding_lookup([], [0])


# -- l2_normalize, zero_fraction -------------------------------------------------------------------------
def test_l2_normalize():
    x = np.array([[3.0, 4.0], [0.0, 0.0]], np.float32)
    np.testing.assert_allclose(run(tf.nn.l2_normalize(x, axis=1)), [[0.6, 0.8], [0.0, 0.0]], rtol=1e-6)
    np.testing.assert_allclose(run(tf.nn.l2_normalize(x, dim=0)), [[1.0, 1.0], [0.0, 0.0]], rtol=1e-6)
    np.testing.assert_allclose(run(tf.nn.l2_normalize(x)), x / 5.0, rtol=1e-6)


def test_zero_fraction():
    assert run(tf.nn.zero_fraction(tf.constant([0.0, 1.0, 0.0, 2.0]))) == pytest.approx(0.5)
