"""Conv/pool/linalg ops: finite-difference gradients (first and second order), static
shapes, and the errors TF raises for bad input (graph-building ValueError/TypeError,
run-time InvalidArgumentError). Values against real TF are in test_conv_golden.py."""
import numpy as np
import pytest

import tinygraph as tf
from tinygraph.testing import check_gradients

RNG = np.random.RandomState(7)


def _distinct(*shape):
    """Values at least 0.02 apart (no ties: max pooling has kinks at ties)."""
    n = int(np.prod(shape))
    return (RNG.permutation(n) / n * 2 - 1).reshape(shape)


# -- finite differences ---------------------------------------------------------------------
@pytest.mark.parametrize("strides,padding,dilations,fmt", [
    ([1, 2, 2, 1], "SAME", [1, 1, 1, 1], "NHWC"),
    ([1, 1, 1, 1], "VALID", [1, 2, 1, 1], "NHWC"),
    ([1, 1, 2, 1], "SAME", [1, 1, 1, 1], "NCHW"),
])
def test_conv2d_gradients_second_order(strides, padding, dilations, fmt):
    x = RNG.randn(2, 5, 4, 2) if fmt == "NHWC" else RNG.randn(2, 2, 5, 4)
    w = RNG.randn(3, 2, 2, 3)
    # a square keeps the second derivative of the bilinear op from vanishing
    check_gradients(lambda a, b: tf.square(tf.nn.conv2d(a, b, strides, padding, data_format=fmt,
                                                        dilations=dilations)), [x, w], order=2)


def test_conv2d_backprop_ops_gradients():
    x, w, dy = RNG.randn(1, 5, 5, 2), RNG.randn(3, 3, 2, 2), RNG.randn(1, 3, 3, 2)
    check_gradients(lambda f, d: tf.square(tf.nn.conv2d_backprop_input(
        [1, 5, 5, 2], f, d, [1, 2, 2, 1], "SAME")), [w, dy], order=2)
    check_gradients(lambda a, d: tf.square(tf.nn.conv2d_backprop_filter(
        a, [3, 3, 2, 2], d, [1, 2, 2, 1], "SAME")), [x, dy], order=2)


def test_conv2d_transpose_gradients():
    v, w = RNG.randn(2, 3, 3, 2), RNG.randn(3, 3, 1, 2)
    check_gradients(lambda a, b: tf.square(tf.nn.conv2d_transpose(a, b, [2, 6, 6, 1], [1, 2, 2, 1])),
                    [v, w], order=2)


def test_depthwise_gradients():
    x, w = RNG.randn(1, 5, 5, 2), RNG.randn(3, 3, 2, 2)
    check_gradients(lambda a, b: tf.square(tf.nn.depthwise_conv2d(a, b, [1, 2, 2, 1], "SAME")),
                    [x, w], order=2)
    check_gradients(lambda a, b: tf.nn.depthwise_conv2d(a, b, [1, 1, 1, 1], "VALID", rate=[2, 2]),
                    [x, w], order=1)


@pytest.mark.parametrize("pool", [tf.nn.max_pool, tf.nn.avg_pool])
@pytest.mark.parametrize("ksize,strides,padding", [(2, 2, "VALID"), (3, 2, "SAME"), (3, 1, "SAME")])
def test_pool_gradients_second_order(pool, ksize, strides, padding):
    x = _distinct(2, 5, 5, 2)
    check_gradients(lambda a: tf.square(pool(a, ksize, strides, padding)), [x], order=2)


def test_max_pool_grad_grad_gradients():
    # MaxPoolGrad and MaxPoolGradGrad are linear in their gradient input: check through it
    x = _distinct(1, 4, 4, 2)
    with tf.Graph().as_default():
        a = tf.constant(x)
        y = tf.nn.max_pool(a, 2, 2, "VALID")
        dy = tf.placeholder(tf.float64, [1, 2, 2, 2])
        dx = tf.gradients(y, a, grad_ys=dy)[0]
        assert dx.op.type == "MaxPoolGrad"
        dd = tf.placeholder(tf.float64, [1, 4, 4, 2])
        ddy = tf.gradients(dx, dy, grad_ys=dd)[0]
        assert ddy.op.type == "MaxPoolGradGrad"
        with tf.Session():
            check_gradients(tf.square(dx), dy, {dy: RNG.randn(1, 2, 2, 2)})
            check_gradients(tf.square(ddy), dd, {dd: RNG.randn(1, 4, 4, 2)})


def test_linalg_gradients_second_order():
    a = RNG.uniform(-1, 1, (2, 3, 3)) + 2 * np.eye(3)
    check_gradients(lambda t: tf.matrix_inverse(t), [a], order=2)
    check_gradients(lambda t: tf.matrix_inverse(t, adjoint=True), [a], order=2)
    check_gradients(lambda t: tf.matrix_determinant(t), [a], order=2)
    check_gradients(lambda t: tf.linalg.det(t[0]), [a], order=2)


# -- values ------------------------------------------------------------------------------------------
def _naive_conv(x, w, s, d, pads):
    """A direct loop convolution (NHWC, explicit padding) to test the im2col kernel."""
    x = np.pad(x, ((0, 0), pads[0], pads[1], (0, 0)))
    kh, kw, _, oc = w.shape
    oh = (x.shape[1] - (kh - 1) * d - 1) // s + 1
    ow = (x.shape[2] - (kw - 1) * d - 1) // s + 1
    out = np.zeros((x.shape[0], oh, ow, oc))
    for i in range(oh):
        for j in range(ow):
            for a in range(kh):
                for b in range(kw):
                    out[:, i, j] += x[:, i * s + a * d, j * s + b * d] @ w[a, b]
    return out


def test_conv2d_matches_direct_loop_dilated_and_strided():
    x, w = RNG.randn(2, 9, 8, 3), RNG.randn(3, 3, 3, 2)
    with tf.Session() as sess:
        same = sess.run(tf.nn.conv2d(x, w, 2, "SAME", dilations=2))
        valid = sess.run(tf.nn.conv2d(x, w, 2, "VALID", dilations=2))
    # SAME, stride 2, effective kernel 5: out 5x4, pads (2, 2) rows and (1, 2) cols
    np.testing.assert_allclose(same, _naive_conv(x, w, 2, 2, [(2, 2), (1, 2)]), rtol=1e-12)
    np.testing.assert_allclose(valid, _naive_conv(x, w, 2, 2, [(0, 0), (0, 0)]), rtol=1e-12)


def test_atrous_conv2d_is_the_dilated_convolution():
    x, w = RNG.randn(1, 9, 8, 2), RNG.randn(3, 3, 2, 2)
    with tf.Session() as sess:
        got = sess.run(tf.nn.atrous_conv2d(x, w, 2, "SAME"))
    np.testing.assert_allclose(got, _naive_conv(x, w, 1, 2, [(2, 2), (2, 2)]), rtol=1e-12)
    with pytest.raises(ValueError, match="rate 0 cannot be less than one"):
        tf.nn.atrous_conv2d(x, w, 0, "SAME")


@pytest.mark.parametrize("stride", [1, 2])  # 2: the windows tile the input (a path of its own)
def test_max_pool_gradient_goes_to_first_maximum_at_ties(stride):
    x = np.ones((1, 2, 2, 1), np.float32)
    with tf.Session() as sess:
        a = tf.constant(x)
        dx = tf.gradients(tf.nn.max_pool(a, 2, stride, "VALID"), a)[0]
        g, gg = sess.run([dx, tf.gradients(dx * tf.constant([[[[1.], [2.]], [[3.], [4.]]]]), a)[0]])
    np.testing.assert_array_equal(g[0, :, :, 0], [[1, 0], [0, 0]])  # as TF's CPU kernel
    np.testing.assert_array_equal(gg, 0)


def test_tiled_max_pool_gradients():
    x = _distinct(2, 4, 6, 2)
    check_gradients(lambda a: tf.square(tf.nn.max_pool(a, 2, 2, "VALID")), [x], order=2)
    check_gradients(lambda a: tf.square(tf.nn.max_pool(a, [1, 2, 3, 1], [1, 2, 3, 1], "SAME")), [x], order=2)


def test_same_padding_never_wins_max_and_is_not_counted_in_avg():
    x = -np.arange(1, 10, dtype=np.float32).reshape(1, 3, 3, 1)
    with tf.Session() as sess:
        mx, av = sess.run([tf.nn.max_pool(x, 2, 2, "SAME"), tf.nn.avg_pool(x, 2, 2, "SAME")])
    np.testing.assert_array_equal(mx[0, :, :, 0], [[-1, -3], [-7, -9]])
    np.testing.assert_allclose(av[0, :, :, 0], [[-3, -4.5], [-7.5, -9]])


def test_float32_and_int_strides_forms():
    x = RNG.randn(1, 6, 6, 2).astype(np.float32)
    w = RNG.randn(3, 3, 2, 2).astype(np.float32)
    with tf.Session() as sess:
        a, b, c = sess.run([tf.nn.conv2d(x, w, 2, "SAME"), tf.nn.conv2d(x, w, [2, 2], "SAME"),
                            tf.nn.conv2d(x, w, [1, 2, 2, 1], "SAME", filters=None)])
    assert a.dtype == np.float32
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, c)


def test_matrix_values_and_arg_max():
    a = RNG.uniform(-1, 1, (2, 3, 3)) + 2 * np.eye(3)
    with tf.Session() as sess:
        inv, det, am, an = sess.run([tf.linalg.inv(a), tf.matrix_determinant(a),
                                     tf.arg_max(a, 1), tf.arg_min(a, dimension=2)])
    np.testing.assert_allclose(inv @ a, np.broadcast_to(np.eye(3), (2, 3, 3)), atol=1e-12)
    np.testing.assert_allclose(det, np.linalg.det(a), rtol=1e-12)
    np.testing.assert_array_equal(am, a.argmax(1))
    np.testing.assert_array_equal(an, a.argmin(2))
    assert tf.arg_max(a, 1).dtype == tf.int64
    assert tf.arg_max(a, 1, output_type=tf.int32).dtype == tf.int32


# -- static shapes -------------------------------------------------------------------------------
def test_static_shapes():
    x = tf.placeholder(tf.float32, [None, 28, 28, 3])
    w = tf.placeholder(tf.float32, [5, 5, 3, 8])
    assert tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME").shape.as_list() == [None, 28, 28, 8]
    assert tf.nn.conv2d(x, w, [1, 1, 1, 1], "VALID").shape.as_list() == [None, 24, 24, 8]
    assert tf.nn.conv2d(x, w, [1, 3, 3, 1], "SAME").shape.as_list() == [None, 10, 10, 8]
    assert tf.nn.conv2d(x, w, 1, "VALID", dilations=2).shape.as_list() == [None, 20, 20, 8]
    assert tf.nn.max_pool(x, 3, 2, "VALID").shape.as_list() == [None, 13, 13, 3]
    assert tf.nn.avg_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME").shape.as_list() == [None, 14, 14, 3]
    assert tf.nn.depthwise_conv2d(x, tf.zeros([3, 3, 3, 2]), [1, 1, 1, 1], "SAME").shape.as_list() \
        == [None, 28, 28, 6]
    xq = tf.placeholder(tf.float32, [4, None, 7, 3])
    assert tf.nn.conv2d(xq, w, [1, 1, 1, 1], "VALID").shape.as_list() == [4, None, 3, 8]
    assert tf.nn.conv2d(tf.placeholder(tf.float32), w, 1, "SAME").shape.as_list() == [None] * 3 + [8]
    assert tf.nn.conv2d(x, tf.placeholder(tf.float32), 1, "SAME").shape.as_list() == [None, 28, 28, None]
    nchw = tf.placeholder(tf.float32, [2, 3, 9, 9])
    assert tf.nn.conv2d(nchw, w, [1, 1, 2, 2], "SAME", data_format="NCHW").shape.as_list() == [2, 8, 5, 5]
    assert tf.nn.max_pool(nchw, [1, 1, 3, 3], [1, 1, 2, 2], "VALID", data_format="NCHW").shape.as_list() \
        == [2, 3, 4, 4]
    v = tf.placeholder(tf.float32, [None, 4, 4, 8])
    assert tf.nn.conv2d_transpose(v, w, [2, 8, 8, 3], [1, 2, 2, 1]).shape.as_list() == [2, 8, 8, 3]
    dyn = tf.nn.conv2d_transpose(v, w, tf.placeholder(tf.int32, [4]), [1, 2, 2, 1])
    assert dyn.shape.as_list() == [None, None, None, None]
    assert tf.matrix_inverse(tf.placeholder(tf.float32, [None, 3, 3])).shape.as_list() == [None, 3, 3]
    assert tf.matrix_determinant(tf.placeholder(tf.float32, [5, 2, 2])).shape.as_list() == [5]
    assert tf.matrix_determinant(tf.zeros([2, 2])).shape.as_list() == []


def test_gradient_shapes_and_op_types():
    x = tf.placeholder(tf.float32, [2, 7, 7, 3])
    w = tf.Variable(tf.zeros([3, 3, 3, 4]))
    dx, dw = tf.gradients(tf.nn.conv2d(x, w, 2, "SAME"), [x, w])
    assert (dx.op.type, dw.op.type) == ("Conv2DBackpropInput", "Conv2DBackpropFilter")
    assert dx.shape.as_list() == [2, 7, 7, 3] and dw.shape.as_list() == [3, 3, 3, 4]
    (da,) = tf.gradients(tf.nn.avg_pool(x, 2, 2, "SAME"), [x])
    assert da.op.type == "AvgPoolGrad" and da.shape.as_list() == [2, 7, 7, 3]


# -- graph-building errors ------------------------------------------------------------------------
def _raises(exc, fragment, fn):
    with pytest.raises(exc) as info:
        fn()
    assert fragment in str(info.value), str(info.value)


def test_conv2d_graph_errors():
    x = tf.placeholder(tf.float32, [2, 7, 7, 3])
    w = tf.placeholder(tf.float32, [3, 3, 3, 4])
    _raises(ValueError, "Depth of input (3) is not a multiple of input depth of filter (2) for "
            "'Conv2D' (op: 'Conv2D') with input shapes: [2,7,7,3], [3,3,2,4].",
            lambda: tf.nn.conv2d(x, tf.zeros([3, 3, 2, 4]), [1, 1, 1, 1], "SAME"))
    _raises(ValueError, "Shape must be rank 4 but is rank 3 for 'Conv2D' (op: 'Conv2D') with "
            "input shapes: [7,7,3], [3,3,3,4].",
            lambda: tf.nn.conv2d(tf.zeros([7, 7, 3]), w, [1, 1, 1, 1], "SAME"))
    _raises(ValueError, "strides should be of length 1, 2 or 4. Received: strides=[1, 1, 1] of length 3",
            lambda: tf.nn.conv2d(x, w, [1, 1, 1], "SAME"))
    _raises(ValueError, "Attr 'padding' of 'Conv2D' Op passed string 'FOO'",
            lambda: tf.nn.conv2d(x, w, [1, 1, 1, 1], "FOO"))
    _raises(ValueError, "Negative dimension size caused by subtracting 9 from 7",
            lambda: tf.nn.conv2d(x, w, [1, 1, 1, 1], "VALID", dilations=[1, 4, 4, 1]))
    _raises(ValueError, "Attr 'data_format' of 'Conv2D' Op passed string 'NCWH' not in: \"NHWC\", \"NCHW\".",
            lambda: tf.nn.conv2d(x, w, 1, "SAME", data_format="NCWH"))
    _raises(ValueError, "Attr 'padding' of 'Conv2D' Op passed string 'same' not in: \"SAME\", \"VALID\", "
            "\"EXPLICIT\".", lambda: tf.nn.conv2d(x, w, 1, "same"))
    _raises(ValueError, "Stride must be > 0, but got 0", lambda: tf.nn.conv2d(x, w, 0, "SAME"))
    _raises(ValueError, "Attr 'padding' of 'MaxPool' Op passed string 'same'",
            lambda: tf.nn.max_pool(x, 2, 2, "same"))
    _raises(ValueError, "padding must be either VALID or SAME: same",
            lambda: tf.nn.conv2d_transpose(tf.zeros([2, 4, 4, 4]), w, [2, 8, 8, 3], 2, padding="same"))
    _raises(TypeError, "Input 'filter' of 'Conv2D' Op has type float64 that does not match type "
            "float32 of argument 'input'.",
            lambda: tf.nn.conv2d(x, tf.zeros([3, 3, 3, 4], tf.float64), 1, "SAME"))
    _raises(TypeError, "DataType int32 not in list of allowed values",
            lambda: tf.nn.conv2d(tf.zeros([1, 3, 3, 1], tf.int32), tf.zeros([1, 1, 1, 1], tf.int32),
                                 1, "SAME"))
    # the graph still builds after the errors
    assert tf.nn.conv2d(x, w, 1, "SAME").shape.as_list() == [2, 7, 7, 4]


def test_pool_transpose_depthwise_linalg_graph_errors():
    x = tf.placeholder(tf.float32, [2, 7, 7, 3])
    _raises(ValueError, "ksize should be of length 1, 2 or 4", lambda: tf.nn.max_pool(x, [1, 2, 2], 1, "SAME"))
    _raises(ValueError, "Negative dimension size caused by subtracting 9 from 7 for 'MaxPool'",
            lambda: tf.nn.max_pool(x, [1, 9, 9, 1], [1, 1, 1, 1], "VALID"))
    _raises(ValueError, "Shape must be rank 4 but is rank 2 for 'AvgPool'",
            lambda: tf.nn.avg_pool(tf.zeros([3, 3]), 2, 2, "VALID"))
    v, w = tf.placeholder(tf.float32, [2, 4, 4, 4]), tf.placeholder(tf.float32, [3, 3, 3, 4])
    _raises(ValueError, "input channels does not match filter's input channels, 5 != 4",
            lambda: tf.nn.conv2d_transpose(tf.zeros([2, 4, 4, 5]), w, [2, 8, 8, 3], [1, 2, 2, 1]))
    _raises(ValueError, "output_shape does not match filter's output channels, 2 != 3",
            lambda: tf.nn.conv2d_transpose(v, w, [2, 8, 8, 2], [1, 2, 2, 1]))
    _raises(ValueError, "output_shape must have shape (4,), got (3,)",
            lambda: tf.nn.conv2d_transpose(v, w, [2, 8, 8], [1, 2, 2, 1]))
    _raises(ValueError, "Dimensions must be equal, but are 3 and 4 for 'DepthwiseConv2dNative'",
            lambda: tf.nn.depthwise_conv2d(x, tf.zeros([3, 3, 4, 2]), [1, 1, 1, 1], "SAME"))
    _raises(ValueError, "strides > 1 not supported in conjunction with dilation_rate > 1",
            lambda: tf.nn.depthwise_conv2d(x, tf.zeros([3, 3, 3, 2]), [1, 2, 2, 1], "SAME", rate=[2, 2]))
    _raises(ValueError, "Dimensions must be equal, but are 3 and 2 for 'MatrixInverse' (op: "
            "'MatrixInverse') with input shapes: [3,2].", lambda: tf.matrix_inverse(tf.zeros([3, 2])))
    _raises(ValueError, "Shape must be at least rank 2 but is rank 1 for 'MatrixInverse'",
            lambda: tf.matrix_inverse(tf.zeros([3])))
    _raises(ValueError, "Dimensions must be equal, but are 2 and 3 for 'MatrixDeterminant'",
            lambda: tf.matrix_determinant(tf.zeros([3, 2])))
    _raises(TypeError, "DataType int32 not in list of allowed values",
            lambda: tf.matrix_inverse(tf.zeros([3, 3], tf.int32)))


# -- run-time errors ---------------------------------------------------------------------------------
def test_run_time_errors_are_invalid_argument():
    xq = tf.placeholder(tf.float32, [None, None, None, None])
    wq = tf.placeholder(tf.float32)
    small = tf.nn.conv2d(xq, wq, [1, 1, 1, 1], "VALID")
    v = tf.placeholder(tf.float32, [2, 4, 4, 4])
    w = tf.placeholder(tf.float32, [3, 3, 3, 4])
    bad_out = tf.nn.conv2d_transpose(v, w, [2, 9, 9, 3], [1, 2, 2, 1])
    good_out = tf.nn.conv2d_transpose(v, w, [2, 8, 8, 3], [1, 2, 2, 1])
    batch_pool = tf.nn.max_pool(xq, [2, 2, 2, 1], [1, 1, 1, 1], "VALID")
    singular = tf.matrix_inverse(tf.placeholder_with_default(np.zeros((3, 3), np.float32), [3, 3]))
    with tf.Session() as sess:
        _raises(tf.errors.InvalidArgumentError, "input depth must be evenly divisible by filter depth: 3 vs 2",
                lambda: sess.run(small, {xq: np.ones([1, 5, 5, 3]), wq: np.ones([3, 3, 2, 4])}))
        _raises(tf.errors.InvalidArgumentError, "Computed output size would be negative",
                lambda: sess.run(small, {xq: np.ones([1, 2, 2, 3]), wq: np.ones([3, 3, 3, 4])}))
        _raises(tf.errors.InvalidArgumentError, "Size of out_backprop doesn't match computed: actual = 4, "
                "computed = 5", lambda: sess.run(bad_out, {v: np.ones([2, 4, 4, 4]), w: np.ones([3, 3, 3, 4])}))
        _raises(tf.errors.InvalidArgumentError, "does not yet support pooling in the batch",
                lambda: sess.run(batch_pool, {xq: np.ones([2, 3, 3, 1])}))
        _raises(tf.errors.InvalidArgumentError, "Input is not invertible.", lambda: sess.run(singular))
        # the session still runs afterwards
        assert sess.run(good_out, {v: np.ones([2, 4, 4, 4]), w: np.ones([3, 3, 3, 4])}).shape == (2, 8, 8, 3)


def test_training_with_every_optimisation_switched_on_matches():
    from tinygraph import config

    def losses():
        tf.reset_default_graph()
        rng = np.random.RandomState(3)
        x = tf.constant(rng.rand(4, 8, 8, 1).astype(np.float32))
        labels = tf.constant(rng.randint(0, 3, 4).astype(np.int32))
        h = tf.layers.conv2d(x, 4, 3, padding="same", activation=tf.nn.relu,
                             kernel_initializer=tf.constant_initializer(rng.randn(3, 3, 1, 4) * 0.3))
        h = tf.layers.max_pooling2d(h, 2, 2)
        h = tf.layers.conv2d_transpose(h, 2, 2, strides=2, kernel_initializer=tf.constant_initializer(0.1))
        h = tf.nn.avg_pool(tf.nn.depthwise_conv2d(h, tf.ones([3, 3, 2, 1]) * 0.1, [1, 1, 1, 1], "SAME"),
                           2, 2, "VALID")
        logits = tf.layers.dense(tf.layers.flatten(h), 3, kernel_initializer=tf.constant_initializer(0.05))
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
        train = tf.train.MomentumOptimizer(0.5, 0.9).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            return [sess.run([train, loss])[1] for _ in range(4)]

    plain = losses()
    with config.optimizations(**{name: True for name in config.DEFAULTS}):
        optimised = losses()
    assert plain[-1] < plain[0]
    np.testing.assert_allclose(optimised, plain, rtol=1e-6)
