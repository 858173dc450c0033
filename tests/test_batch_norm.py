"""tf.layers.batch_normalization, tf.contrib.layers.batch_norm, tf.nn.batch_normalization /
fused_batch_norm: values, moving statistics over training steps, gradients, names and
collections, against TF 2.15's tf.compat.v1 (tests/golden/make_train_golden.py)."""
import os

import numpy as np
import pytest

import tinygraph as tf
from tinygraph.testing import check_gradients

G = np.load(os.path.join(os.path.dirname(__file__), "golden", "train_reference.npz"))
X2, X4, W, Y = G["x2"], G["x4"], G["w"], G["y"]


def _close(a, b, tol=2e-6):
    np.testing.assert_allclose(a, b, rtol=tol, atol=tol)


def _train_like_golden(prefix, build, feed_training):
    """dense -> batch norm -> MSE; three GD steps with the UPDATE_OPS dependency, as the
    reference script does; every variable compared after every step."""
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    training = tf.placeholder_with_default(False, shape=(), name="training")
    h = tf.layers.dense(x, 3, kernel_initializer=tf.constant_initializer(W), name="hidden")
    out = build(h, training)
    loss = tf.reduce_mean(tf.square(out - Y))
    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    assert len(update_ops) == 2
    with tf.control_dependencies(update_ops):
        train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    grad_x = tf.gradients(loss, x)[0]
    variables = {v.name.split(":")[0].replace("/", "_"): v for v in tf.global_variables()}
    feed = {training: True} if feed_training else {}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _close(sess.run(out, {x: X2, **feed}), G[prefix + "_train_out0"])
        if prefix + "_infer_out0" in G:
            _close(sess.run(out, {x: X2}), G[prefix + "_infer_out0"])
        _close(sess.run(grad_x, {x: X2, **feed}), G[prefix + "_grad_x"])
        for i in range(3):
            sess.run(train, {x: X2 + i, **feed})
            for k, v in variables.items():
                _close(sess.run(v), G["%s_step%d_%s" % (prefix, i, k)], 3e-6)
    return variables


def test_layers_batch_normalization_trains_as_tf_with_a_training_placeholder():
    variables = _train_like_golden(
        "layers2d", lambda h, t: tf.layers.batch_normalization(h, training=t, momentum=0.9), True)
    assert sorted(variables) == sorted(k for k in ("batch_normalization_beta", "batch_normalization_gamma",
                                                    "batch_normalization_moving_mean",
                                                    "batch_normalization_moving_variance",
                                                    "hidden_bias", "hidden_kernel"))


def test_layers_batch_normalization_without_scale_and_other_epsilon():
    _train_like_golden("layers2d_noscale", lambda h, t: tf.layers.batch_normalization(
        h, training=t, momentum=0.99, center=True, scale=False, epsilon=0.01), True)
    assert not any("gamma" in v.name for v in tf.global_variables())


def test_layers_batch_normalization_inference_uses_the_moving_statistics():
    x = tf.placeholder(tf.float32, [None, 4])
    training = tf.placeholder_with_default(False, shape=())
    out = tf.layers.batch_normalization(x, training=training, momentum=0.5)
    mm, mv = [v for v in tf.global_variables() if "moving" in v.name]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(tf.get_collection(tf.GraphKeys.UPDATE_OPS), {x: X2})  # training False: no change
        np.testing.assert_array_equal(sess.run(mm), np.zeros(4, np.float32))
        np.testing.assert_array_equal(sess.run(mv), np.ones(4, np.float32))
        sess.run(tf.get_collection(tf.GraphKeys.UPDATE_OPS), {x: X2, training: True})
        m, v = sess.run([mm, mv])
        _close(m, 0.5 * X2.mean(0))
        _close(v, 0.5 + 0.5 * X2.var(0))  # biased variance for 2-D inputs, as TF
        _close(sess.run(out, {x: X2}), (X2 - m) / np.sqrt(v + 1e-3), 1e-5)


def test_layers_batch_normalization_4d_takes_the_fused_path():
    x = tf.placeholder(tf.float32, [None, 2, 2, 5])
    out = tf.layers.batch_normalization(x, training=True, momentum=0.8)
    gx = tf.gradients(tf.reduce_sum(tf.sin(out)), x)[0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        o, g = sess.run([out, gx], {x: X4})
        sess.run(tf.get_collection(tf.GraphKeys.UPDATE_OPS), {x: X4})
        mm, mv = sess.run([v for v in tf.global_variables() if "moving" in v.name])
    _close(o, G["layers4d_out"])
    _close(g, G["layers4d_grad"])
    _close(mm, G["layers4d_moving_mean"])
    _close(mv, G["layers4d_moving_variance"])  # Bessel-corrected, as FusedBatchNorm


def test_layers_batch_normalization_on_axis_1_of_a_rank_3_input():
    out = tf.layers.batch_normalization(tf.constant(G["axis1_x"]), axis=1, training=True,
                                        momentum=0.5)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _close(sess.run(out), G["axis1_out"])
        sess.run(tf.get_collection(tf.GraphKeys.UPDATE_OPS))
        mm, mv = sess.run([v for v in tf.global_variables() if "moving" in v.name])
    _close(mm, G["axis1_moving_mean"])
    _close(mv, G["axis1_moving_variance"])


def test_layers_batch_normalization_names_collections_and_reuse():
    x = tf.placeholder(tf.float32, [None, 3])
    a = tf.layers.batch_normalization(x, training=True)
    b = tf.layers.batch_normalization(x, training=False, trainable=False)
    # as TF 2.15 compat.v1: gamma before beta, "_1" for the second layer
    assert [v.name for v in tf.global_variables()] == [
        "batch_normalization/gamma:0", "batch_normalization/beta:0",
        "batch_normalization/moving_mean:0", "batch_normalization/moving_variance:0",
        "batch_normalization_1/gamma:0", "batch_normalization_1/beta:0",
        "batch_normalization_1/moving_mean:0", "batch_normalization_1/moving_variance:0"]
    assert [v.name for v in tf.trainable_variables()] == ["batch_normalization/gamma:0",
                                                          "batch_normalization/beta:0"]
    assert tf.model_variables() == [] and len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)) == 2
    assert [u.op.type for u in tf.get_collection(tf.GraphKeys.UPDATE_OPS)] == ["AssignSub"] * 2
    assert [u.name for u in tf.get_collection(tf.GraphKeys.UPDATE_OPS)] == [
        "batch_normalization/AssignMovingAvg:0", "batch_normalization/AssignMovingAvg_1:0"]
    assert a.shape.as_list() == [None, 3] and b.shape.as_list() == [None, 3]
    assert a.name.startswith("batch_normalization/batchnorm/")
    c = tf.layers.batch_normalization(x, name="bn", training=True)
    d = tf.layers.batch_normalization(x, name="bn", reuse=True, training=True)
    assert len([v for v in tf.global_variables() if v.name.startswith("bn/")]) == 4
    assert c.shape == d.shape
    with pytest.raises(ValueError, match="already exists"):
        tf.layers.batch_normalization(x, name="bn")


def test_batch_normalization_layer_object_and_initializers():
    layer = tf.layers.BatchNormalization(momentum=0.5, gamma_initializer=tf.constant_initializer(2.0),
                                         beta_initializer=tf.constant_initializer(-1.0),
                                         moving_variance_initializer=tf.constant_initializer(4.0))
    x = tf.constant(X2)
    out = layer(x, training=False)
    assert layer.name == "batch_normalization" and len(layer.variables) == 4
    assert [v.name for v in layer.trainable_variables] == ["batch_normalization/gamma:0",
                                                           "batch_normalization/beta:0"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _close(sess.run(out), 2.0 * X2 / np.sqrt(4.0 + 1e-3) - 1.0, 1e-5)
    assert layer.updates == []  # training False: no updates


def test_batch_norm_errors_as_tf():
    with pytest.raises(ValueError, match="Input has undefined `axis` dimension"):
        tf.layers.batch_normalization(tf.placeholder(tf.float32, [None, None]))
    with pytest.raises(ValueError, match="Input has undefined rank"):
        tf.layers.batch_normalization(tf.placeholder(tf.float32))
    with pytest.raises(ValueError, match="Invalid axis"):
        tf.layers.batch_normalization(tf.placeholder(tf.float32, [None, 3]), axis=2)
    with pytest.raises(ValueError, match="undefined channels dimension"):
        tf.contrib.layers.batch_norm(tf.placeholder(tf.float32, [None, 2, None]))
    with pytest.raises(ValueError, match="`C` dimension must be known"):
        tf.contrib.layers.batch_norm(tf.placeholder(tf.float32, [None, None]))
    with pytest.raises(ValueError, match="undefined rank"):
        tf.contrib.layers.batch_norm(tf.placeholder(tf.float32))
    # nothing half-built was left behind
    assert tf.global_variables() == [] and tf.get_collection(tf.GraphKeys.UPDATE_OPS) == []


def test_batch_normalization_gradients_match_finite_differences():
    rng = np.random.RandomState(1)
    x0 = rng.randn(5, 3) * 2 + 1
    offset0, scale0 = rng.randn(3), rng.rand(3) + 0.5

    def bn(x, offset, scale):
        mean, variance = tf.nn.moments(x, [0])
        return tf.nn.batch_normalization(x, mean, variance, offset, scale, 1e-3)
    # first order only: tf.nn.moments stops the gradient through the mean in the variance,
    # as TF does (exact to first order, not to second)
    assert check_gradients(bn, [x0, offset0, scale0]).status == "ok"

    def fused(x, offset, scale):
        return tf.nn.fused_batch_norm(tf.reshape(x, [-1, 1, 1, 3]), scale, offset)[0]
    assert check_gradients(fused, [x0, offset0, scale0], order=2).status == "ok"


def test_layer_gradient_through_training_mode_matches_finite_differences():
    x = tf.placeholder(tf.float64, [4, 3])
    y = tf.layers.batch_normalization(x, training=True, gamma_initializer=tf.constant_initializer(1.5))
    loss = tf.reduce_sum(tf.sin(y) * tf.constant(np.arange(12.0).reshape(4, 3)))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        gamma, beta = tf.trainable_variables()
        result = check_gradients(loss, [x, gamma, beta], feed_dict={x: np.random.RandomState(3).randn(4, 3)},
                                 session=sess)
    assert result.status == "ok"


def test_contrib_batch_norm_trains_as_tf_rank2_fused_path():
    variables = _train_like_golden(
        "contrib2d", lambda h, t: tf.contrib.layers.batch_norm(h, is_training=True), False)
    assert sorted(variables) == ["BatchNorm_beta", "BatchNorm_moving_mean",
                                 "BatchNorm_moving_variance", "hidden_bias", "hidden_kernel"]
    assert [v.name for v in tf.model_variables()] == ["BatchNorm/beta:0", "BatchNorm/moving_mean:0",
                                                      "BatchNorm/moving_variance:0"]


def test_contrib_batch_norm_with_scale_and_a_training_tensor():
    _train_like_golden("contrib2d_scale", lambda h, t: tf.contrib.layers.batch_norm(
        h, decay=0.9, scale=True, is_training=tf.logical_not(tf.logical_not(t))), True)
    assert [v.name for v in tf.trainable_variables()][-2:] == ["BatchNorm/beta:0", "BatchNorm/gamma:0"]


def test_contrib_batch_norm_defaults_and_in_place_updates():
    import inspect
    sig = inspect.signature(tf.contrib.layers.batch_norm)
    assert (sig.parameters["decay"].default, sig.parameters["center"].default,
            sig.parameters["scale"].default, sig.parameters["epsilon"].default) == (0.999, True, False, 0.001)
    assert sig.parameters["updates_collections"].default == tf.GraphKeys.UPDATE_OPS
    x = tf.constant(X2)
    is_training = tf.placeholder_with_default(True, [])
    out = tf.contrib.layers.batch_norm(x, decay=0.5, updates_collections=None, is_training=is_training)
    out2 = tf.contrib.layers.batch_norm(x, scope="other")
    assert tf.get_collection(tf.GraphKeys.UPDATE_OPS) != []  # only from "other"
    assert all(u.name.startswith("other/") for u in tf.get_collection(tf.GraphKeys.UPDATE_OPS))
    mm = [v for v in tf.global_variables() if v.name == "BatchNorm/moving_mean:0"][0]
    mv = [v for v in tf.global_variables() if v.name == "BatchNorm/moving_variance:0"][0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(out)  # updates run before the output, no UPDATE_OPS needed
        _close(sess.run(mm), 0.5 * X2.mean(0))
        _close(sess.run(mv), 0.5 + 0.5 * X2.var(0, ddof=1))  # fused: Bessel-corrected
        before = sess.run([mm, mv])
        sess.run(out, {is_training: False})
        after = sess.run([mm, mv])
        np.testing.assert_array_equal(before[0], after[0])
        assert sess.run(out2).shape == X2.shape


def test_book_arg_scope_with_fully_connected_and_batch_norm():
    from tinygraph.contrib.framework import arg_scope
    from tinygraph.contrib.layers import batch_norm, fully_connected
    X = tf.placeholder(tf.float32, shape=(None, 4), name="X")
    is_training = tf.placeholder(tf.bool, shape=(), name="is_training")
    bn_params = {"is_training": is_training, "decay": 0.99, "updates_collections": None}
    with arg_scope([fully_connected], normalizer_fn=batch_norm, normalizer_params=bn_params,
                   activation_fn=tf.nn.elu):
        hidden1 = fully_connected(X, 5, scope="hidden1")
        logits = fully_connected(hidden1, 3, activation_fn=None, scope="outputs")
    names = [v.name for v in tf.global_variables()]
    assert names == ["hidden1/weights:0", "hidden1/BatchNorm/beta:0", "hidden1/BatchNorm/moving_mean:0",
                     "hidden1/BatchNorm/moving_variance:0", "outputs/weights:0", "outputs/BatchNorm/beta:0",
                     "outputs/BatchNorm/moving_mean:0", "outputs/BatchNorm/moving_variance:0"]
    assert hidden1.op.type == "Elu" and logits.op.type != "Elu"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = sess.run(logits, {X: X2, is_training: True})
        assert out.shape == (6, 3)
        # batch-normalized logits of a training batch: zero mean per unit
        np.testing.assert_allclose(out.mean(0), np.zeros(3), atol=1e-5)


def test_arg_scope_rules():
    from tinygraph.contrib.framework import add_arg_scope, arg_scope, arg_scoped_arguments, has_arg_scope

    @add_arg_scope
    def f(a, b=1, c=2):
        return a, b, c

    def plain(a):
        return a
    with arg_scope([f], b=10) as sc:
        assert f(0) == (0, 10, 2) and f(0, b=5) == (0, 5, 2)
        with arg_scope([f], c=20):
            assert f(0) == (0, 10, 20)
        assert f(0) == (0, 10, 2)
    assert f(0) == (0, 1, 2)
    with arg_scope(sc):
        assert f(0) == (0, 10, 2)
    assert has_arg_scope(f) and not has_arg_scope(plain)
    assert arg_scoped_arguments(f) == ["a", "b", "c"]
    with pytest.raises(ValueError, match="not decorated with @add_arg_scope"):
        with arg_scope([plain], a=1):
            pass
    with pytest.raises(TypeError, match="list_ops_or_scope must either be a list/tuple"):
        with arg_scope(f, b=1):
            pass
    assert tf.contrib.layers.arg_scope is tf.contrib.framework.arg_scope


def test_fused_path_with_a_training_tensor():
    x = tf.placeholder(tf.float32, [None, 2, 2, 5])
    training = tf.placeholder_with_default(False, shape=())
    out = tf.layers.batch_normalization(x, training=training, momentum=0.8)
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    mm, mv = [v for v in tf.global_variables() if "moving" in v.name]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(updates, {x: X4})  # not training: momentum 1, nothing moves
        np.testing.assert_array_equal(sess.run(mm), np.zeros(5, np.float32))
        np.testing.assert_array_equal(sess.run(mv), np.ones(5, np.float32))
        _close(sess.run(out, {x: X4}), X4 / np.sqrt(1.0 + 1e-3), 1e-5)
        _close(sess.run(out, {x: X4, training: True}), G["layers4d_out"])
        sess.run(updates, {x: X4, training: True})
        _close(sess.run(mm), G["layers4d_moving_mean"])
        _close(sess.run(mv), G["layers4d_moving_variance"])


def test_batch_norm_model_saves_and_restores_through_a_meta_graph(tmp_path):
    x = tf.placeholder(tf.float32, [None, 4], name="X")
    training = tf.placeholder_with_default(False, shape=(), name="training")
    h = tf.layers.dense(x, 3, kernel_initializer=tf.constant_initializer(W), name="hidden")
    out = tf.identity(tf.layers.batch_normalization(h, training=training, momentum=0.9), name="out")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(tf.get_collection(tf.GraphKeys.UPDATE_OPS), {x: X2, training: True})
        expected = sess.run(out, {x: X2})
        saver.save(sess, str(tmp_path / "bn"))
    tf.reset_default_graph()
    saver = tf.train.import_meta_graph(str(tmp_path / "bn.meta"))
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    assert len(updates) == 2
    with tf.Session() as sess:
        saver.restore(sess, str(tmp_path / "bn"))
        _close(sess.run("out:0", {"X:0": X2}), expected)
        sess.run(updates, {"X:0": X2 + 1, "training:0": True})  # training goes on
        mm = sess.run("batch_normalization/moving_mean:0")
    h0 = X2 @ W
    _close(mm, 0.9 * (0.9 * 0 + 0.1 * h0.mean(0)) + 0.1 * (X2 + 1).dot(W).mean(0), 1e-5)
