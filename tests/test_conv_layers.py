"""tf.layers conv2d / conv2d_transpose / max_pooling2d / average_pooling2d / flatten:
TF 1.x's variable names, op names, shapes, initializers, reuse and error messages."""
import numpy as np
import pytest

import tinygraph as tf


def test_lenet_names_and_shapes_as_tf():
    x = tf.placeholder(tf.float32, [None, 28, 28, 1], name="X")
    c1 = tf.layers.conv2d(x, 6, 5, activation=tf.nn.relu)
    p1 = tf.layers.max_pooling2d(c1, 2, 2)
    c2 = tf.layers.conv2d(p1, 16, (5, 5), padding="same", strides=2, name="c2")
    a = tf.layers.average_pooling2d(c2, 2, 2, padding="same")
    p2 = tf.layers.max_pooling2d(a, 1, 1)
    f = tf.layers.flatten(a)
    f2 = tf.layers.flatten(a)
    t = tf.layers.conv2d_transpose(c2, 3, 3, strides=2, padding="same")
    t2 = tf.layers.conv2d_transpose(c2, 3, 3, strides=2, padding="valid")
    # what TF 1.x prints for the same program
    assert (c1.op.name, c1.shape.as_list()) == ("conv2d/Relu", [None, 24, 24, 6])
    assert c1.op.inputs[0].op.name == "conv2d/BiasAdd"
    assert (p1.op.name, p1.shape.as_list()) == ("max_pooling2d/MaxPool", [None, 12, 12, 6])
    assert (c2.op.name, c2.shape.as_list()) == ("c2/BiasAdd", [None, 6, 6, 16])
    assert (a.op.name, a.shape.as_list()) == ("average_pooling2d/AvgPool", [None, 3, 3, 16])
    assert p2.op.name == "max_pooling2d_1/MaxPool"
    assert (f.op.name, f.shape.as_list()) == ("flatten/Reshape", [None, 144])
    assert f2.op.name == "flatten_1/Reshape"
    assert (t.op.name, t.shape.as_list()) == ("conv2d_transpose/BiasAdd", [None, 12, 12, 3])
    assert t.op.inputs[0].op.name == "conv2d_transpose/conv2d_transpose"
    assert t2.shape.as_list() == [None, 13, 13, 3]
    assert [(v.name, v.shape.as_list()) for v in tf.global_variables()] == [
        ("conv2d/kernel:0", [5, 5, 1, 6]), ("conv2d/bias:0", [6]),
        ("c2/kernel:0", [5, 5, 6, 16]), ("c2/bias:0", [16]),
        ("conv2d_transpose/kernel:0", [3, 3, 3, 16]), ("conv2d_transpose/bias:0", [3]),
        ("conv2d_transpose_1/kernel:0", [3, 3, 3, 16]), ("conv2d_transpose_1/bias:0", [3])]
    assert tf.trainable_variables() == tf.global_variables()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        outs = sess.run([c1, p1, c2, a, f, t, t2], {x: np.random.rand(3, 28, 28, 1)})
        kernel, bias = sess.run(["conv2d/kernel:0", "conv2d/bias:0"])
    assert [o.shape for o in outs] == [(3, 24, 24, 6), (3, 12, 12, 6), (3, 6, 6, 16), (3, 3, 3, 16),
                                       (3, 144), (3, 12, 12, 3), (3, 13, 13, 3)]
    # glorot uniform over fan_in = 5*5*1, fan_out = 5*5*6; zero bias
    limit = np.sqrt(6 / (25 + 150))
    assert np.abs(kernel).max() <= limit and np.abs(kernel).max() > 0.8 * limit
    np.testing.assert_array_equal(bias, 0)


def test_layer_values_match_nn_ops():
    x = np.random.RandomState(0).randn(2, 6, 6, 3).astype(np.float32)
    init = np.random.RandomState(1).randn(3, 3, 3, 4).astype(np.float32)
    y = tf.layers.conv2d(x, 4, 3, padding="same", kernel_initializer=tf.constant_initializer(init),
                         bias_initializer=tf.constant_initializer(0.5), activation=tf.nn.relu)
    ref = tf.nn.relu(tf.nn.conv2d(x, init, 1, "SAME") + 0.5)
    pooled = tf.layers.average_pooling2d(y, 3, 2, padding="same")
    ref_pooled = tf.nn.avg_pool(ref, 3, 2, "SAME")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        a, b, c, d = sess.run([y, ref, pooled, ref_pooled])
    np.testing.assert_allclose(a, b, rtol=1e-6)
    np.testing.assert_allclose(c, d, rtol=1e-6)


def test_channels_first_equals_channels_last():
    x = np.random.RandomState(2).randn(2, 7, 7, 3).astype(np.float32)
    kinit = tf.constant_initializer(np.random.RandomState(3).randn(3, 3, 3, 2))
    last = tf.layers.max_pooling2d(tf.layers.conv2d(x, 2, 3, strides=2, kernel_initializer=kinit,
                                                    bias_initializer=tf.constant_initializer(0.1)), 2, 1)
    xf = tf.transpose(x, [0, 3, 1, 2])
    conv_f = tf.layers.conv2d(xf, 2, 3, strides=2, kernel_initializer=kinit,
                              bias_initializer=tf.constant_initializer(0.1), data_format="channels_first")
    first = tf.layers.max_pooling2d(conv_f, 2, 1, data_format="channels_first")
    assert conv_f.shape.as_list() == [2, 2, 3, 3]
    flat_f = tf.layers.flatten(first, data_format="channels_first")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        a, b, c = sess.run([last, first, flat_f])
    np.testing.assert_allclose(a, b.transpose(0, 2, 3, 1), rtol=1e-5)
    np.testing.assert_allclose(a.reshape(2, -1), c, rtol=1e-5)  # flatten order as channels_last


def test_class_forms_reuse_their_variables():
    x = tf.placeholder(tf.float32, [None, 8, 8, 2])
    layer = tf.layers.Conv2D(3, 3, name="shared")
    y1, y2 = layer(x), layer.apply(x)
    assert layer.kernel.name == "shared/kernel:0" and len(tf.global_variables()) == 2
    assert (y1.op.name, y2.op.name) == ("shared/BiasAdd", "shared/BiasAdd_1")
    assert layer.trainable_weights == [layer.kernel, layer.bias]
    pool = tf.layers.MaxPooling2D(2, 2)
    assert pool(y1).shape.as_list() == [None, 3, 3, 3]
    assert tf.layers.Flatten()(y1).shape.as_list() == [None, 108]
    assert tf.layers.Conv2DTranspose(4, 2, strides=2)(y1).shape.as_list() == [None, 12, 12, 4]
    assert tf.layers.AveragePooling2D(2, 1).__class__.__name__ == "AveragePooling2D"
    # functional reuse through variable scopes
    z = tf.layers.conv2d(x, 3, 3, name="shared", reuse=True)
    assert z.shape.as_list() == [None, 6, 6, 3] and len(tf.global_variables()) == 4  # + transpose
    with pytest.raises(ValueError, match="Variable shared/kernel already exists"):
        tf.layers.conv2d(x, 3, 3, name="shared")


def test_regularizers_and_no_bias():
    x = tf.placeholder(tf.float32, [None, 5, 5, 1])
    tf.layers.conv2d(x, 2, 3, use_bias=False, kernel_regularizer=lambda w: tf.reduce_sum(tf.abs(w)),
                     activity_regularizer=lambda y: tf.reduce_sum(y))
    assert [v.name for v in tf.global_variables()] == ["conv2d/kernel:0"]
    assert len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)) == 2


def test_dynamic_shapes_run():
    x = tf.placeholder(tf.float32, [None, None, None, 2])
    y = tf.layers.conv2d_transpose(x, 3, 3, strides=2, padding="valid")
    f = tf.layers.flatten(tf.layers.conv2d(x, 1, 1))
    assert y.shape.as_list() == [None, None, None, 3]
    assert f.shape.as_list() == [None, None]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        a, b = sess.run([y, f], {x: np.ones((2, 4, 5, 2))})
    assert a.shape == (2, 9, 11, 3) and b.shape == (2, 20)


def test_layer_errors_as_tf():
    x = tf.placeholder(tf.float32, [None, 28, 28, 1])
    cases = [
        (lambda: tf.layers.conv2d(tf.placeholder(tf.float32, [None, 28, 28]), 3, 3),
         'Input 0 of layer "conv2d" is incompatible with the layer: expected min_ndim=4, found '
         'ndim=3. Full shape received: (None, 28, 28)'),
        (lambda: tf.layers.conv2d(tf.placeholder(tf.float32, [None, 28, 28, None]), 3, 3),
         "The channel dimension of the inputs should be defined. The input_shape received is "
         "(None, 28, 28, None), where axis -1 (0-based) is the channel dimension, which found to be `None`."),
        (lambda: tf.layers.conv2d(x, 3, 3, padding="foo"), "Received: foo"),
        (lambda: tf.layers.conv2d(x, 3, (3, 3, 3)),
         "The `kernel_size` argument must be a tuple of 2 integers. Received: (3, 3, 3)"),
        (lambda: tf.layers.conv2d(x, 3, 3, data_format="nchw"),
         'The `data_format` argument must be one of "channels_first", "channels_last". Received: nchw'),
        (lambda: tf.layers.max_pooling2d(tf.placeholder(tf.float32, [None, 28, 28]), 2, 2),
         "expected ndim=4, found ndim=3"),
        (lambda: tf.layers.conv2d(x, 3, 3, dilation_rate=2, strides=2),
         "`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: "
         "strides=(2, 2) and dilation_rate=(2, 2)"),
    ]
    for fn, msg in cases:
        with pytest.raises(ValueError) as info:
            fn()
        assert msg in str(info.value)
    # nothing half-built: the next layer still gets a fresh name and builds
    assert tf.layers.conv2d(x, 3, 3, dilation_rate=2).shape.as_list() == [None, 24, 24, 3]
