"""clip_by_norm, clip_by_global_norm, global_norm, clip_by_average_norm against numpy."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygraph as tf
from tinygraph.testing import check_gradients
from tinygraph.testing import strategies as tgst


def _run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


def _np_clip_by_norm(t, c, axes=None):
    norm = np.sqrt(np.sum(t * t, axis=axes, keepdims=True))
    return t * c / np.maximum(norm, c)


def test_clip_by_global_norm_example():
    a = tf.constant([3.0, 4.0])
    b = tf.constant([12.0])
    (ca, none, cb), norm = tf.clip_by_global_norm([a, None, b], 6.5)
    assert none is None
    got_a, got_b, got_norm = _run([ca, cb, norm])
    np.testing.assert_allclose(got_a, [1.5, 2.0], rtol=1e-6)
    np.testing.assert_allclose(got_b, [6.0], rtol=1e-6)
    np.testing.assert_allclose(got_norm, 13.0, rtol=1e-6)


def test_clip_by_global_norm_leaves_small_tensors_and_uses_given_norm():
    a = tf.constant([0.3, 0.4])
    (ca,), norm = tf.clip_by_global_norm([a], 1.0)
    np.testing.assert_allclose(_run(ca), [0.3, 0.4], rtol=1e-6)
    (cu,), used = tf.clip_by_global_norm([a], 1.0, use_norm=tf.constant(2.0))
    np.testing.assert_allclose(_run([cu, used])[0], [0.15, 0.2], rtol=1e-6)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_clip_by_global_norm_inf_norm_gives_nan():
    (c,), _ = tf.clip_by_global_norm([tf.constant([np.inf, 1.0])], 1.0)
    assert np.isnan(_run(c)).all()


def test_global_norm_and_type_errors():
    ts = [tf.constant(np.ones((2, 3))), None, tf.constant(np.full(4, 2.0))]
    np.testing.assert_allclose(_run(tf.global_norm(ts)), np.sqrt(6 + 16))
    with pytest.raises(TypeError, match="t_list should be a sequence"):
        tf.global_norm(tf.constant([1.0]))
    with pytest.raises(TypeError, match="t_list should be a sequence"):
        tf.clip_by_global_norm("abc", 1.0)


@given(shape=tgst.shapes(1, 3, 1, 4), clip=st.floats(0.1, 5.0), data=st.data())
def test_clip_by_norm_matches_numpy(shape, clip, data):
    tf.reset_default_graph()
    t0 = data.draw(tgst.arrays("float64", shape))
    t = tf.placeholder(tf.float64, shape)
    out = tf.clip_by_norm(t, clip)
    np.testing.assert_allclose(_run(out, {t: t0}), _np_clip_by_norm(t0, clip), rtol=1e-10, atol=1e-12)


def test_clip_by_norm_axes_and_name():
    t0 = np.array([[3.0, 4.0], [0.3, 0.4]])
    out = tf.clip_by_norm(tf.constant(t0), 1.0, axes=[1])
    assert out.op.name == "clip_by_norm"
    np.testing.assert_allclose(_run(out), [[0.6, 0.8], [0.3, 0.4]])
    assert out.shape.as_list() == [2, 2]


def test_clip_by_norm_of_zero_has_finite_gradient():
    t = tf.constant(np.zeros(3))
    out = tf.clip_by_norm(t, 1.0)
    g, = tf.gradients(tf.reduce_sum(out), t)
    got, grad = _run([out, g])
    np.testing.assert_array_equal(got, np.zeros(3))
    assert np.isfinite(grad).all()


def test_clip_by_norm_gradient():
    rng = np.random.RandomState(0)
    assert check_gradients(lambda t: tf.clip_by_norm(t, 0.5), [rng.randn(2, 3)], order=2).status == "ok"
    r = check_gradients(lambda a, b: tf.clip_by_global_norm([a, b], 0.5)[0][0], [rng.randn(3), rng.randn(2)])
    assert r.status == "ok", r.summary()


def test_clip_by_norm_rejects_broadcasting_clip_norm():
    with pytest.raises(ValueError):
        tf.clip_by_norm(tf.constant([1.0, 2.0]), tf.constant([[1.0], [2.0]]))


def test_indexed_slices_inputs():
    values = tf.constant([[3.0, 4.0], [6.0, 8.0]])
    slices = tf.IndexedSlices(values, tf.constant([0, 2]), tf.constant([4, 2]))
    clipped = tf.clip_by_norm(slices, 5.0)
    assert isinstance(clipped, tf.IndexedSlices)
    assert clipped.indices is slices.indices
    np.testing.assert_allclose(_run(clipped.values), np.array([[3.0, 4.0], [6.0, 8.0]]) * 5 / np.sqrt(125),
                               rtol=1e-6)
    (c, d), norm = tf.clip_by_global_norm([slices, tf.constant([0.0, 0.0])], 5.0)
    assert isinstance(c, tf.IndexedSlices)
    got_c, got_norm = _run([c.values, norm])
    np.testing.assert_allclose(got_norm, np.sqrt(125), rtol=1e-6)
    np.testing.assert_allclose(got_c, [[3.0 * 5 / np.sqrt(125), 4.0 * 5 / np.sqrt(125)],
                                       [6.0 * 5 / np.sqrt(125), 8.0 * 5 / np.sqrt(125)]], rtol=1e-6)
    np.testing.assert_allclose(_run(tf.global_norm([slices])), np.sqrt(125), rtol=1e-6)


def test_clip_gathered_gradient_and_apply():
    emb = tf.Variable(np.ones((4, 2)))
    loss = tf.reduce_sum(tf.gather(emb, [1, 1, 3]) * 10.0)
    grads_and_vars = tf.train.GradientDescentOptimizer(1.0).compute_gradients(loss)
    (g,), norm = tf.clip_by_global_norm([grads_and_vars[0][0]], 1.0)
    train = tf.train.GradientDescentOptimizer(1.0).apply_gradients([(g, emb)])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        got = sess.run(emb)
    step = 10.0 / np.sqrt(600)  # 6 gradient entries of 10 each
    np.testing.assert_allclose(got, [[1, 1], [1 - 2 * step] * 2, [1, 1], [1 - step] * 2])


def test_clip_by_average_norm():
    t0 = np.array([[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]])
    l2 = np.sqrt(np.sum(t0 * t0))  # average norm 1.59
    out = tf.clip_by_average_norm(tf.constant(t0), 2.0)
    np.testing.assert_allclose(_run(out), t0)
    small = tf.clip_by_average_norm(tf.constant(t0), 0.5)
    np.testing.assert_allclose(_run(small), t0 * 0.5 / (l2 / t0.size))
