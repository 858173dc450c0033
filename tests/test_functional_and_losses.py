"""tf.scan / tf.map_fn / tf.foldl (one while_loop each), tf.losses, tf.norm, tf.Print."""
import numpy as np
import pytest

import tinygraph as tf
from tinygraph.testing import check_gradients


def run(fetches, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed)


def test_scan_map_fn_and_foldl_values():
    xv = np.arange(8.0).reshape(4, 2) + 1
    x = tf.constant(xv)
    got = run([tf.scan(lambda a, e: a + e, x),
               tf.scan(lambda a, e: a * e, x, initializer=tf.ones([2], tf.float64), reverse=True),
               tf.map_fn(lambda e: e * e, x),
               tf.foldl(lambda a, e: a + e, x, initializer=tf.zeros([2], tf.float64))])
    np.testing.assert_array_equal(got[0], np.cumsum(xv, 0))
    np.testing.assert_array_equal(got[1], np.cumprod(xv[::-1], 0)[::-1])
    np.testing.assert_array_equal(got[2], xv * xv)
    np.testing.assert_array_equal(got[3], xv.sum(0))
    ops = [op.type for op in tf.get_default_graph().get_operations()]
    assert ops.count("While") == 4


def test_scan_and_map_fn_gradients_match_finite_differences():
    rng = np.random.RandomState(0)
    xv, wv = rng.randn(5, 3) * 0.5, rng.randn(3) * 0.5
    assert check_gradients(lambda x, w: tf.scan(lambda a, e: tf.tanh(a * w + e), x), [xv, wv]).status == "ok"
    assert check_gradients(lambda x: tf.map_fn(lambda e: tf.sin(e) * e, x), [xv]).status == "ok"


def test_losses_reduce_and_collect():
    labels = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    preds = tf.constant([[1.5, 2.0], [2.0, 6.0]])
    mse = tf.losses.mean_squared_error(labels, preds)
    mae = tf.losses.absolute_difference(labels, preds, weights=[[1.0, 0.0], [1.0, 1.0]])
    huber = tf.losses.huber_loss(labels, preds)
    sparse = tf.losses.sparse_softmax_cross_entropy([0, 1], tf.constant([[2.0, 0.0], [0.0, 1.0]]))
    assert len(tf.get_collection(tf.GraphKeys.LOSSES)) == 4
    total = tf.losses.get_total_loss()
    v = run([mse, mae, huber, sparse, total])
    assert v[0] == pytest.approx((0.25 + 0 + 1 + 4) / 4)
    assert v[1] == pytest.approx((0.5 + 1 + 2) / 3)  # mean over the nonzero weights
    assert v[2] == pytest.approx((0.125 + 0 + 0.5 + 1.5) / 4)
    want = np.mean([np.log(1 + np.exp(-2.0)), np.log(1 + np.exp(-1.0))])
    assert v[3] == pytest.approx(want, rel=1e-5)
    assert v[4] == pytest.approx(sum(v[:4]), rel=1e-6)
    tf.reset_default_graph()
    with pytest.raises(ValueError, match="No losses"):
        tf.losses.get_total_loss()


def test_norm():
    x = tf.constant([[3.0, -4.0], [0.0, 0.0]])
    v = run([tf.norm(x), tf.norm(x, ord=1, axis=1), tf.norm(x, ord=np.inf), tf.norm(x, axis=1, keepdims=True)])
    assert v[0] == pytest.approx(5.0)
    np.testing.assert_array_equal(v[1], [7.0, 0.0])
    assert v[2] == 4.0
    assert v[3].shape == (2, 1)
    with pytest.raises(ValueError, match="ord"):
        tf.norm(x, ord=3)


def test_print_passes_its_input_through_and_prints(capsys):
    x = tf.placeholder(tf.float32, [3])
    y = tf.Print(x * 2.0, [x, tf.reduce_sum(x)], message="values: ", first_n=1, summarize=2)
    g = tf.gradients(tf.reduce_sum(y), x)[0]
    with tf.Session() as sess:
        out, grad = sess.run([y, g], {x: [1.0, 2.0, 3.0]})
        sess.run(y, {x: [1.0, 2.0, 3.0]})  # first_n=1: printed once
    np.testing.assert_array_equal(out, [2.0, 4.0, 6.0])
    np.testing.assert_array_equal(grad, [2.0, 2.0, 2.0])
    err = capsys.readouterr().err
    assert err.count("values: ") == 1 and "[1.0 2.0...][6.0]" in err
    assert tf.is_tensor(x) and not tf.is_tensor(np.ones(2))
