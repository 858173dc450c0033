"""tf.train.FtrlOptimizer against real TF 1.x (tests/golden/estimator/make_ftrl.py)."""
import os

import numpy as np
import pytest

import tinygraph as tf

GOLDEN = np.load(os.path.join(os.path.dirname(__file__), "golden", "estimator", "ftrl.npz"))
CONFIGS = {"default": {}, "l1l2": dict(l1_regularization_strength=0.05, l2_regularization_strength=0.1),
           "power": dict(learning_rate_power=-0.3, l2_shrinkage_regularization_strength=0.01)}


@pytest.mark.parametrize("key", sorted(CONFIGS))
def test_ftrl_matches_tf(key):
    tf.reset_default_graph()
    v = tf.Variable(GOLDEN["x0"], name="v")
    weights = tf.constant(np.arange(12, dtype=np.float32).reshape(4, 3))
    loss = tf.reduce_sum(tf.square(v - 1.0) * weights)
    opt = tf.train.FtrlOptimizer(0.3, **CONFIGS[key])
    train = opt.minimize(loss)
    assert sorted(x.op.name for x in tf.global_variables()) == list(GOLDEN["slot_names"])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(5):
            sess.run(train)
        np.testing.assert_allclose(sess.run(v), GOLDEN[key], rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(sess.run(opt.get_slot(v, "accum")), GOLDEN[key + "_accum"], rtol=1e-5)
        np.testing.assert_allclose(sess.run(opt.get_slot(v, "linear")), GOLDEN[key + "_linear"],
                                   rtol=1e-5, atol=1e-5)


def test_ftrl_sparse_updates_touched_rows_like_dense():
    tf.reset_default_graph()
    emb = tf.Variable(GOLDEN["x0"], name="emb")
    rows = tf.nn.embedding_lookup(emb, [1, 3, 1])
    loss = tf.reduce_sum(tf.square(rows - 2.0))
    train = tf.train.FtrlOptimizer(0.5).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        got = sess.run(emb)
    x = GOLDEN["x0"].astype(np.float64)
    grad = np.zeros_like(x)
    grad[1] = 2 * 2 * (x[1] - 2.0)
    grad[3] = 2 * (x[3] - 2.0)
    accum = 0.1 + grad ** 2
    linear = grad - (np.sqrt(accum) - np.sqrt(0.1)) / 0.5 * x
    expect = np.where(np.abs(linear) > 0, -linear / (np.sqrt(accum) / 0.5), 0.0)
    np.testing.assert_allclose(got[[1, 3]], expect[[1, 3]], rtol=1e-5)
    np.testing.assert_array_equal(got[[0, 2]], GOLDEN["x0"][[0, 2]])


def test_ftrl_rejects_bad_hyperparameters():
    with pytest.raises(ValueError, match="learning_rate_power"):
        tf.train.FtrlOptimizer(0.1, learning_rate_power=0.5)
    with pytest.raises(ValueError, match="l1_regularization_strength"):
        tf.train.FtrlOptimizer(0.1, l1_regularization_strength=-1.0)
