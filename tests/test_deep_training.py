"""Training-deep-nets pieces: activations against TF values, tf.layers.dropout, gradient
clipping with compute/apply_gradients, and the RNN-chapter gaps (lists of tensors packed
as TF's convert_to_tensor does; dropout keeping static shapes)."""
import inspect
import os

import numpy as np
import pytest

import tinygraph as tf
from tinygraph.testing import check_gradients

G = np.load(os.path.join(os.path.dirname(__file__), "golden", "train_reference.npz"))


@pytest.mark.parametrize("name, fn", [("elu", tf.nn.elu), ("selu", tf.nn.selu),
                                      ("leaky", tf.nn.leaky_relu),
                                      ("leaky01", lambda t: tf.nn.leaky_relu(t, alpha=0.01))])
def test_activations_match_tensorflow(name, fn):
    with tf.Session() as sess:
        got = sess.run(fn(tf.constant(G["act_x"])))
    np.testing.assert_allclose(got, G["act_" + name], rtol=1e-6, atol=1e-7)


def test_leaky_relu_default_alpha_is_tfs():
    assert inspect.signature(tf.nn.leaky_relu).parameters["alpha"].default == 0.2


def test_layers_dropout_signature_scaling_and_training_switch():
    params = inspect.signature(tf.layers.dropout).parameters
    assert [(k, p.default) for k, p in params.items()][1:5] == [
        ("rate", 0.5), ("noise_shape", None), ("seed", None), ("training", False)]
    x = tf.ones([200, 50])
    training = tf.placeholder_with_default(False, shape=())
    y = tf.layers.dropout(x, rate=0.3, training=training)
    assert y.shape.as_list() == [200, 50]
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(y), np.ones((200, 50), np.float32))
        d = sess.run(y, {training: True})
    kept = d[d != 0]
    np.testing.assert_allclose(kept, 1 / 0.7, rtol=1e-6)  # kept units scaled by 1 / (1 - rate)
    assert abs((d == 0).mean() - 0.3) < 0.03
    assert tf.layers.dropout(x, 0.5).op.type == "Identity"  # training=False by default


def test_book_gradient_clipping_runs_and_clips():
    x = tf.constant([[10.0, -20.0]])
    w = tf.Variable([[1.0], [1.0]])
    loss = tf.reduce_sum(tf.square(tf.matmul(x, w) - 100.0))
    threshold = 1.0
    optimizer = tf.train.GradientDescentOptimizer(0.1)
    grads_and_vars = optimizer.compute_gradients(loss)
    capped_gvs = [(tf.clip_by_value(grad, -threshold, threshold), var) for grad, var in grads_and_vars]
    training_op = optimizer.apply_gradients(capped_gvs)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        raw = sess.run(grads_and_vars[0][0])
        sess.run(training_op)
        new_w = sess.run(w)
    np.testing.assert_allclose(raw, [[-2200.0], [4400.0]])
    np.testing.assert_allclose(new_w, [[1.1], [0.9]], rtol=1e-6)


def test_max_norm_with_clip_by_norm_axes():
    w = tf.Variable([[3.0, 4.0], [0.3, 0.4]])
    clip = tf.assign(w, tf.clip_by_norm(w, clip_norm=1.0, axes=1))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(clip)
        np.testing.assert_allclose(sess.run(w), [[0.6, 0.8], [0.3, 0.4]], rtol=1e-6)


def test_list_of_step_outputs_is_packed_like_tf():
    a = tf.placeholder(tf.float32, [None, 3])
    b = tf.placeholder(tf.float32, [None, 3])
    t = tf.transpose([a, b], perm=[1, 0, 2])
    packed = t.op.inputs[0]
    assert packed.op.type == "Pack" and packed.shape.as_list() == [2, None, 3]
    assert t.shape.as_list() == [None, 2, 3]
    parts = tf.unstack([a, b])
    assert len(parts) == 2 and parts[0].shape.as_list() == [None, 3]
    total = tf.reduce_sum([a, b], axis=0)
    mixed = tf.convert_to_tensor([[a[0, 0], 1.0], [2, 3]])
    assert mixed.op.type == "Pack" and mixed.op.name.startswith("packed")
    av, bv = np.arange(6.0).reshape(2, 3), -np.ones((2, 3))
    with tf.Session() as sess:
        tv, sv, mv = sess.run([t, total, mixed], {a: av, b: bv})
    np.testing.assert_array_equal(tv, np.stack([av, bv]).transpose(1, 0, 2))
    np.testing.assert_array_equal(sv, av + bv)
    np.testing.assert_array_equal(mv, [[0.0, 1.0], [2.0, 3.0]])
    # lists without tensors stay constants
    assert tf.convert_to_tensor([1, 2]).op.type == "Const"
    # the packed list is differentiable like any tensor
    assert check_gradients(lambda p, q: tf.transpose([p, q * 2.0], perm=[1, 0]) ** 2,
                           [np.array([1.0, 2.0]), np.array([3.0, -1.0])]).status == "ok"


def test_packing_refuses_a_mismatched_dtype():
    a = tf.placeholder(tf.float32, [2])
    with pytest.raises(TypeError, match="Cannot convert a list containing a tensor of dtype float32 "
                                        "to int32"):
        tf.convert_to_tensor([a, a], dtype=tf.int32)


def test_dropout_with_a_tensor_keep_prob_keeps_the_static_shape():
    x = tf.placeholder(tf.float32, [None, 5])
    keep_prob = tf.placeholder_with_default(1.0, shape=())
    assert tf.nn.dropout(x, keep_prob).shape.as_list() == [None, 5]
    assert tf.nn.dropout(x, keep_prob, noise_shape=tf.constant([1, 5])).shape.as_list() == [None, 5]


def test_book_multi_layer_dropout_wrapper_over_dynamic_rnn():
    n_steps, n_inputs, n_neurons = 5, 2, 4
    X = tf.placeholder(tf.float32, [None, n_steps, n_inputs])
    keep_prob = tf.placeholder_with_default(1.0, shape=())
    cells = [tf.contrib.rnn.BasicRNNCell(num_units=n_neurons) for _ in range(3)]
    cells_drop = [tf.contrib.rnn.DropoutWrapper(cell, input_keep_prob=keep_prob) for cell in cells]
    multi_layer_cell = tf.contrib.rnn.MultiRNNCell(cells_drop)
    outputs, states = tf.nn.dynamic_rnn(multi_layer_cell, X, dtype=tf.float32)
    assert outputs.shape.as_list() == [None, n_steps, n_neurons]
    xv = np.random.RandomState(0).randn(3, n_steps, n_inputs)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        full = sess.run(outputs, {X: xv})
        dropped = sess.run(outputs, {X: xv, keep_prob: 0.5})
    assert full.shape == (3, n_steps, n_neurons) and not np.allclose(full, dropped)


def test_contrib_dropout_keep_prob_and_is_training():
    from tinygraph.contrib.layers import dropout
    x = tf.ones([100, 40])
    is_training = tf.placeholder(tf.bool, shape=())
    y = dropout(x, keep_prob=0.8, is_training=is_training)
    assert y.shape.as_list() == [100, 40] and y.op.name.startswith("Dropout/")
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(y, {is_training: False}), np.ones((100, 40)))
        d = sess.run(y, {is_training: True})
    np.testing.assert_allclose(d[d != 0], 1 / 0.8, rtol=1e-6)
    assert abs((d == 0).mean() - 0.2) < 0.04
