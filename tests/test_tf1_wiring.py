"""Variables, regularizers, constraints and sessions wired as TF 1.x wires them
(values and names checked against TF 2.15's tf.compat.v1)."""
import numpy as np
import pytest

import tinygraph as tf


def test_initializer_is_an_assign_of_ref_and_initial_value():
    v = tf.Variable(tf.zeros([2, 3]), name="w")
    init = v.initializer
    assert init.type == "Assign" and init.name == "w/Assign"
    assert init.inputs[0] is v.op.outputs[0] and init.inputs[1] is v.initial_value
    assert init.inputs[0].dtype == tf.float32_ref and init.inputs[1].dtype == tf.float32
    with tf.Session() as sess:
        sess.run(init, feed_dict={init.inputs[1]: np.full((2, 3), 7.0)})
        np.testing.assert_array_equal(sess.run(v), np.full((2, 3), 7.0, np.float32))


def test_feeding_the_initial_values_of_a_rebuilt_graph_restores_weights():
    # The book's "reusing a TensorFlow model" pattern: feed <var>/Assign's inputs[1].
    x = tf.placeholder(tf.float32, [None, 3], name="X")
    tf.layers.dense(x, 2, name="hidden1")
    init = tf.global_variables_initializer()
    graph = tf.get_default_graph()
    init_kernel = graph.get_operation_by_name("hidden1/kernel/Assign").inputs[1]
    init_bias = graph.get_operation_by_name("hidden1/bias/Assign").inputs[1]
    w = np.arange(6, dtype=np.float32).reshape(3, 2)
    b = np.array([1.0, -1.0], np.float32)
    with tf.Session() as sess:
        sess.run(init, feed_dict={init_kernel: w, init_bias: b})
        out = sess.run("hidden1/BiasAdd:0", {x: np.ones((1, 3))})
    np.testing.assert_allclose(out, np.ones((1, 3)) @ w + b)


def test_ref_dtypes_as_tf_prints_them():
    v = tf.Variable(1.0)
    assert v.dtype == tf.float32_ref and v.dtype != tf.float32
    assert repr(v.dtype) == "tf.float32_ref" and v.dtype.name == "float32_ref"
    assert v.dtype.base_dtype is tf.float32 and v.dtype.is_floating and v.dtype.is_ref_dtype
    assert "dtype=float32_ref" in repr(v)
    # reads and ops on the variable have the plain type
    assert v.value().dtype is tf.float32 and (v + 1).dtype is tf.float32
    assert tf.identity(v.op.outputs[0]).dtype is tf.float32
    assert tf.assign(v, 2.0).dtype is tf.float32
    assert tf.as_dtype("float32_ref") is tf.float32_ref
    i = tf.Variable(3)
    assert i.dtype == tf.int32_ref and i.dtype.base_dtype == tf.int32
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(v + 1) == 2.0 and sess.run(i * 2) == 6


def test_library_code_accepts_ref_dtypes():
    v = tf.get_variable("v", [2], dtype=tf.float64)
    with tf.variable_scope("", reuse=True):
        assert tf.get_variable("v", [2], dtype=tf.float64) is v
    with pytest.raises(ValueError, match="specified dtype float32 and found dtype float64_ref"):
        with tf.variable_scope("", reuse=True):
            tf.get_variable("v", [2], dtype=tf.float32)
    loss = tf.reduce_sum(tf.square(v - tf.constant([1.0, 2.0], tf.float64)))
    train = tf.train.AdamOptimizer(0.1).minimize(loss)
    saver = tf.train.Saver()
    assert saver is not None
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        before = sess.run(loss)
        for _ in range(5):
            sess.run(train)
        assert sess.run(loss) < before


def test_regularizers_receive_the_variable_and_fill_the_collection():
    seen = []

    def reg(w):
        seen.append(w)
        return tf.reduce_sum(tf.square(w)) * 0.5
    x = tf.placeholder(tf.float32, [None, 3])
    tf.layers.dense(x, 2, kernel_regularizer=reg, name="d")
    v = tf.get_variable("gv", [2], regularizer=reg)
    kernel = [t for t in tf.global_variables() if t.name == "d/kernel:0"][0]
    assert seen == [kernel, v] and all(isinstance(s, tf.Variable) for s in seen)
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    # TF 2.15 compat.v1 names: d/kernel/Regularizer/mul:0, gv/Regularizer/mul:0
    assert [t.name for t in losses] == ["d/kernel/Regularizer/mul:0", "gv/Regularizer/mul:0"]
    assert [t.name for t in tf.losses.get_regularization_losses()] == [t.name for t in losses]
    total = tf.losses.get_regularization_loss()
    assert total.name == "total_regularization_loss:0"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        k, vv, t = sess.run([kernel, v, total])
    np.testing.assert_allclose(t, 0.5 * (np.sum(k ** 2) + np.sum(vv ** 2)), rtol=1e-6)


def test_book_max_norm_regularizer_assigns_through_the_variable():
    def max_norm_regularizer(threshold, axes=1, name="max_norm", collection="max_norm"):
        def max_norm(weights):
            clipped = tf.clip_by_norm(weights, clip_norm=threshold, axes=axes)
            clip_weights = tf.assign(weights, clipped, name=name)
            tf.add_to_collection(collection, clip_weights)
            return None  # no regularization loss term
        return max_norm
    x = tf.placeholder(tf.float32, [None, 4])
    tf.layers.dense(x, 3, kernel_regularizer=max_norm_regularizer(1.0), name="h",
                    kernel_initializer=tf.constant_initializer(2.0))
    clip_all = tf.get_collection("max_norm")
    assert len(clip_all) == 1 and clip_all[0].op.type == "Assign"
    assert clip_all[0].op.name == "h/kernel/Regularizer/max_norm"
    assert tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES) == []
    kernel = tf.trainable_variables()[0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(clip_all)
        k = sess.run(kernel)
    np.testing.assert_allclose(np.sqrt(np.sum(k ** 2, axis=1)), np.ones(4), rtol=1e-6)


def test_kernel_constraint_is_applied_after_each_update():
    x = tf.placeholder(tf.float32, [None, 2])
    out = tf.layers.dense(x, 1, kernel_constraint=lambda w: tf.clip_by_value(w, -0.1, 0.1),
                          kernel_initializer=tf.zeros_initializer())
    loss = tf.reduce_mean(tf.square(out - 5.0))
    train = tf.train.GradientDescentOptimizer(1.0).minimize(loss)
    kernel = tf.trainable_variables()[0]
    assert kernel.constraint is not None
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train, {x: np.ones((4, 2))})
        np.testing.assert_allclose(sess.run(kernel), np.full((2, 1), 0.1, np.float32))


def test_session_with_graph_makes_it_the_default_graph_inside():
    outer = tf.get_default_graph()
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(3.0)
    with tf.Session(graph=g) as sess:
        assert tf.get_default_graph() is g
        d = c * 2.0  # built in g without naming it
        assert d.graph is g and sess.run(d) == 6.0
    assert tf.get_default_graph() is outer
    # an exception inside the block restores the default graph too
    with pytest.raises(ZeroDivisionError):
        with tf.Session(graph=g):
            1 / 0
    assert tf.get_default_graph() is outer


def test_interactive_session_graph_is_default_until_closed():
    outer = tf.get_default_graph()
    g = tf.Graph()
    sess = tf.InteractiveSession(graph=g)
    try:
        assert tf.get_default_graph() is g
        assert tf.constant(2.0).eval() == 2.0
    finally:
        sess.close()
    assert tf.get_default_graph() is outer


def test_string_constants_evaluate_to_utf8_bytes():
    with tf.Session() as sess:
        s = sess.run(tf.constant("café"))
        arr = sess.run(tf.constant([["a", "é"], ["bc", ""]]))
        raw = sess.run(tf.constant([b"\xff", b"x"]))
    # TF 2.15 compat.v1: b'caf\xc3\xa9' and object arrays of bytes
    assert s == b"caf\xc3\xa9" and isinstance(s, bytes)
    assert arr.dtype == object and arr.shape == (2, 2)
    assert arr.tolist() == [[b"a", b"\xc3\xa9"], [b"bc", b""]]
    assert raw.tolist() == [b"\xff", b"x"]
    assert tf.constant("x").dtype is tf.string


def test_total_loss_adds_the_regularization_losses():
    w = tf.get_variable("w", initializer=tf.constant([3.0, 4.0]),
                        regularizer=lambda v: 0.1 * tf.reduce_sum(tf.square(v)))
    tf.losses.add_loss(tf.reduce_sum(w))
    total = tf.losses.get_total_loss()
    only = tf.losses.get_total_loss(add_regularization_losses=False)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run([total, only]), [7.0 + 2.5, 7.0], rtol=1e-6)


def test_meta_graph_round_trip_keeps_ref_types_and_assign_inputs(tmp_path):
    x = tf.placeholder(tf.float32, [None, 3], name="X")
    tf.layers.dense(x, 2, name="hidden1")
    tf.train.export_meta_graph(str(tmp_path / "m.meta"))
    tf.reset_default_graph()
    tf.train.import_meta_graph(str(tmp_path / "m.meta"))
    g = tf.get_default_graph()
    assign = g.get_operation_by_name("hidden1/kernel/Assign")
    assert assign.inputs[0] is g.get_tensor_by_name("hidden1/kernel:0")
    assert assign.inputs[0].dtype == tf.float32_ref and assign.inputs[1].dtype == tf.float32
    w = np.arange(6, dtype=np.float32).reshape(3, 2)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer(), {assign.inputs[1]: w})
        np.testing.assert_array_equal(sess.run("hidden1/kernel:0"), w)
