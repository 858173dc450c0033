"""tf.contrib.layers: fully_connected, the He/Xavier initializers, regularizers, flatten."""
import numpy as np
import pytest

import tinygraph as tf

layers = tf.contrib.layers


def test_fully_connected_names_shapes_and_relu_default():
    x = tf.placeholder(tf.float32, [None, 3])
    h = layers.fully_connected(x, 4)
    y = layers.fully_connected(h, 2, activation_fn=None)
    assert [v.name for v in tf.trainable_variables()] == [
        "fully_connected/weights:0", "fully_connected/biases:0",
        "fully_connected_1/weights:0", "fully_connected_1/biases:0"]
    assert y.shape.as_list() == [None, 2]
    xv = np.random.RandomState(0).randn(5, 3).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        w0, b0, w1, b1 = sess.run(tf.trainable_variables())
        got_h, got_y = sess.run([h, y], {x: xv})
    np.testing.assert_allclose(got_h, np.maximum(xv @ w0 + b0, 0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got_y, got_h @ w1 + b1, rtol=1e-5, atol=1e-6)


def test_fully_connected_scope_reuse_and_3d_inputs():
    x = tf.placeholder(tf.float32, [2, 5, 3])
    a = layers.fully_connected(x, 4, scope="hidden")
    b = layers.fully_connected(x, 4, scope="hidden", reuse=True)
    assert a.shape.as_list() == [2, 5, 4]
    assert len(tf.trainable_variables()) == 2
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        va, vb = sess.run([a, b], {x: np.ones((2, 5, 3))})
    np.testing.assert_array_equal(va, vb)
    with pytest.raises(ValueError, match="last dimension"):
        layers.fully_connected(tf.placeholder(tf.float32, [2, None]), 3)


def test_variance_scaling_and_xavier_statistics():
    he = layers.variance_scaling_initializer()([400, 300])
    xavier = layers.xavier_initializer()([400, 300])
    with tf.Session() as sess:
        h, x = sess.run([he, xavier])
    # truncated normal with stddev sqrt(1.3 * 2 / 400): the truncation brings it back to ~sqrt(2/400)
    assert np.std(h) == pytest.approx(np.sqrt(2.0 / 400), rel=0.05)
    assert np.abs(h).max() <= 2 * np.sqrt(1.3 * 2.0 / 400) + 1e-6
    limit = np.sqrt(6.0 / 700)
    assert np.abs(x).max() <= limit and np.abs(x).max() > 0.95 * limit
    with pytest.raises(TypeError, match="Unknown mode"):
        layers.variance_scaling_initializer(mode="FAN_X")
    with pytest.raises(ValueError, match="non-floating"):
        layers.variance_scaling_initializer(dtype=tf.int32)


def test_regularizers_collect_losses():
    x = tf.placeholder(tf.float32, [None, 2])
    layers.fully_connected(x, 3, weights_regularizer=layers.l2_regularizer(0.1),
                           weights_initializer=tf.constant_initializer(2.0))
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert len(losses) == 1
    l1 = layers.l1_regularizer(0.5)(tf.constant([1.0, -3.0]))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(losses[0]) == pytest.approx(0.1 * 6 * 4.0 / 2)
        assert sess.run(l1) == pytest.approx(2.0)
    with pytest.raises(ValueError, match="integer"):
        layers.l2_regularizer(1)
    with pytest.raises(ValueError, match="less than 0"):
        layers.l2_regularizer(-0.5)
    assert layers.l2_regularizer(0.0)(tf.constant([1.0])) is None


def test_flatten():
    x = tf.placeholder(tf.float32, [None, 2, 3])
    f = layers.flatten(x)
    assert f.shape.as_list() == [None, 6]
    with tf.Session() as sess:
        assert sess.run(f, {x: np.zeros((4, 2, 3))}).shape == (4, 6)
