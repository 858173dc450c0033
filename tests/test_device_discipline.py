"""The device-like backend behaves like CuPy at the host/device line, and a training
step moves only the feeds in and the fetches out."""
import numpy as np
import pytest

import tinygraph as tf
from tinygraph import backend as B
from tinygraph.backend.fake_device import DeviceArray, xp
from tinygraph.framework import errors
from tinygraph.framework.registry import NotDifferentiable, register_op

IMPLICIT = "Implicit conversion to a NumPy array is not allowed"


@pytest.fixture
def dev(device_backend):
    return device_backend


def _d(a):
    return xp.asarray(np.asarray(a))


# -- arrays refuse implicit conversion, like cupy.ndarray ----------------------------------
@pytest.mark.parametrize("convert", [
    np.asarray, np.array, lambda a: a.__array__(), lambda a: a.tolist(),
    lambda a: np.float64(1.0) * np.ones(3) + np.asarray(a)])
def test_implicit_conversion_to_numpy_is_refused(dev, convert):
    a = _d([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match=IMPLICIT):
        convert(a)


def test_mixing_host_and_device_arrays_is_refused(dev):
    a = _d([1.0, 2.0])
    host = np.array([1.0, 2.0])
    for f in (lambda: a + host, lambda: host + a, lambda: xp.add(a, host),
              lambda: xp.concatenate([a, host]), lambda: xp.maximum([1.0, 2.0], a)):
        with pytest.raises(TypeError):
            f()


def test_scalar_reads_need_one_element_and_are_counted(dev):
    a = _d([1.5, 2.5])
    with pytest.raises(TypeError, match="size-1"):
        float(a)
    with pytest.raises(ValueError, match="ambiguous"):
        bool(a > 0)
    dev.transfers.reset()
    assert float(a[0]) == 1.5 and int(_d(7)) == 7 and bool(_d([True]))
    assert [2, 3, 4][_d(np.int32(1))] == 3  # __index__ on a 0-d int array
    assert dev.transfers.small_reads_count == 4
    assert dev.transfers.to_host_count == 0


def test_iteration_gives_device_rows_and_0d_cannot_iterate(dev):
    rows = list(_d([[1, 2], [3, 4]]))
    assert all(type(r) is DeviceArray for r in rows)
    with pytest.raises(TypeError, match="0-d"):
        iter(_d(3.0))


def test_numpy_functions_on_device_arrays_stay_on_the_device(dev):
    a = _d([[1.0, -2.0], [3.0, 4.0]])
    for r in (np.exp(a), np.sum(a, axis=0), np.concatenate([a, a]), a @ a, -a, a.T, a.sum(),
              xp.linalg.qr(a)[0], xp.where(a > 0, a, 0.0), a[0], a.reshape(4)):
        assert type(r) is DeviceArray
    assert xp.sum(a).shape == ()  # reductions give 0-d device arrays, as in CuPy
    b = xp.zeros((2, 2))
    b += a
    xp.add.at(b, _d(np.array([0, 0])), 1.0)
    np.testing.assert_array_equal(b.get(), [[3.0, 0.0], [3.0, 4.0]])


def test_copies_are_counted_with_their_bytes(dev):
    dev.transfers.reset()
    a = dev.to_device(np.ones((4, 5), np.float32))
    h = dev.to_host(a * 2)
    assert type(h) is np.ndarray and h.sum() == 40
    xp.asarray(np.arange(3.0))  # a kernel uploading host data
    xp.asarray((2, 3))  # a shape vector built from Python ints
    t = dev.transfers
    assert (t.to_device_count, t.to_device_bytes) == (2, 80 + 24)
    assert (t.to_host_count, t.to_host_bytes) == (1, 80)
    assert t.small_writes_count == 1


def test_host_helpers_count_one_small_read(dev):
    dev.transfers.reset()
    assert B.host_ints(_d(np.array([2, 3, 4], np.int32))) == (2, 3, 4)
    assert B.host_scalar(_d(np.array(False))) is False
    assert dev.transfers.small_reads_count == 2 and dev.transfers.small_reads_bytes == 12 + 1


def test_to_host_refuses_a_leaked_host_array(dev):
    with pytest.raises(TypeError, match="host numpy array"):
        dev.to_host(np.zeros(3))


# -- sessions on the device backend ---------------------------------------------------------
def test_session_returns_numpy_and_keeps_variables_on_the_device(dev):
    x = tf.placeholder(tf.float32, [None, 2])
    v = tf.Variable([[1.0], [2.0]])
    y = tf.matmul(x, v)
    s = tf.reduce_sum(y)
    with tf.Session() as sess:
        sess.run(v.initializer)
        out_y, out_s = sess.run([y, s], {x: [[1.0, 1.0]]})
        assert type(out_y) is np.ndarray and out_y.tolist() == [[3.0]]
        assert isinstance(out_s, np.float32)  # 0-d fetches come back as numpy scalars
        assert all(type(val) is DeviceArray for val in sess._ctx.variables.values())


def _time_series_model(n_steps=20, n_neurons=100):
    X = tf.placeholder(tf.float32, [None, n_steps, 1])
    y = tf.placeholder(tf.float32, [None, n_steps, 1])
    cell = tf.contrib.rnn.OutputProjectionWrapper(
        tf.contrib.rnn.BasicRNNCell(num_units=n_neurons, activation=tf.nn.relu), output_size=1)
    outputs, _ = tf.nn.dynamic_rnn(cell, X, dtype=tf.float32)
    loss = tf.reduce_mean(tf.square(outputs - y))
    train = tf.train.AdamOptimizer(learning_rate=0.001).minimize(loss)
    return X, y, loss, train


def test_a_training_step_moves_only_feeds_in_and_fetches_out(dev):
    """The lecture's time-series model with Adam: one steady-state step."""
    n_steps, batch = 20, 50
    X, y, loss, train = _time_series_model(n_steps)
    rng = np.random.RandomState(0)
    feed = {X: rng.randn(batch, n_steps, 1), y: rng.randn(batch, n_steps, 1)}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run([train, loss], feed)[1]  # compiles the plan, uploads the constants
        dev.transfers.reset()
        md = tf.RunMetadata()
        second = sess.run([train, loss], feed, run_metadata=md)[1]
        t = dev.transfers
        feed_bytes = 2 * batch * n_steps * 4  # two float32 feeds
        assert (t.to_device_count, t.to_device_bytes) == (2, feed_bytes)
        assert (t.to_host_count, t.to_host_bytes) == (1, 4)  # the float32 loss
        assert t.swap_out_count == t.swap_in_count == 0
        # what else crosses is small: loop predicates, TensorArray indices, shape vectors
        assert t.small_reads_bytes <= 8 * t.small_reads_count
        assert t.small_reads_count <= 8 * md.loop_stats["loop_iterations"] + 20
        assert t.small_writes_bytes <= 32 * t.small_writes_count
        assert t.small_writes_count <= 16  # a few shape vectors per run, none per iteration
        # and a plain evaluation afterwards: same feeds in, the fetch out
        dev.transfers.reset()
        sess.run(loss, feed)
        sess.run(loss, feed)
        assert dev.transfers.to_device_count == 2 * 2 and dev.transfers.to_host_count == 2
    assert np.isfinite(first) and second < first


def test_the_training_step_matches_the_numpy_backend(dev):
    results = {}
    for name in ("numpy", "fakedevice"):
        tf.reset_default_graph()
        tf.set_random_seed(7)
        tf.set_backend(name)
        X, y, loss, train = _time_series_model(n_steps=5, n_neurons=8)
        rng = np.random.RandomState(1)
        feed = {X: rng.randn(4, 5, 1), y: rng.randn(4, 5, 1)}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            results[name] = [sess.run([train, loss], feed)[1] for _ in range(3)]
    np.testing.assert_array_equal(results["numpy"], results["fakedevice"])


@register_op("TestHostLeak", infer=lambda attrs, x: [(x.dtype, x.shape)])
def _host_leak_kernel(xp_, attrs, x):
    return xp_.asarray(np.asarray(x) + 1)  # forbidden: np.asarray on a run-time array


NotDifferentiable("TestHostLeak")


def test_a_kernel_that_converts_to_host_fails_loudly_on_the_device_backend(dev):
    x = tf.placeholder(tf.float32, [2])
    out = tf.get_default_graph().create_op("TestHostLeak", [x], {}, name="leak").outputs[0]
    with tf.Session() as sess:
        with pytest.raises(errors.InvalidArgumentError, match=IMPLICIT):
            sess.run(out, {x: [1.0, 2.0]})
    tf.set_backend("numpy")
    with tf.Session() as sess:  # the same kernel is silently fine on NumPy
        np.testing.assert_array_equal(sess.run(out, {x: [1.0, 2.0]}), [2.0, 3.0])
