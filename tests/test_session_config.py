"""tf.ConfigProto and friends accepted by Session (intra_op_parallelism_threads drives the
BLAS pool), log_device_placement, and tf.device with a device function."""
import subprocess
import sys

import numpy as np
import pytest

import tinygraph as tf
from tinygraph import session_config
from tinygraph.framework.registry import NotDifferentiable, register_op


def _blas_threads():
    """The thread count of the BLAS libraries the sessions manage (those loaded when the
    first session ran: numpy's; scipy's, loaded later by other tests, are not used)."""
    controller = session_config.blas_controller()
    return max(p["num_threads"] for p in controller.info() if p["user_api"] == "blas")


def test_config_protos_are_tfs_messages():
    config = tf.ConfigProto(log_device_placement=False, allow_soft_placement=True,
                            intra_op_parallelism_threads=2, inter_op_parallelism_threads=3,
                            device_count={"GPU": 0})
    config.gpu_options.allow_growth = True
    assert type(config).__name__ == "ConfigProto" and config.device_count["GPU"] == 0
    gpu = tf.GPUOptions(per_process_gpu_memory_fraction=0.5)
    assert tf.ConfigProto(gpu_options=gpu).gpu_options.per_process_gpu_memory_fraction == 0.5
    assert tf.compat.v1.ConfigProto is tf.ConfigProto
    with pytest.raises(AttributeError):
        tf.NoSuchThing  # noqa: B018


def test_session_accepts_a_config_and_refuses_other_objects():
    config = tf.ConfigProto(allow_soft_placement=True)
    config.gpu_options.allow_growth = True
    with tf.Session(config=config) as sess:
        assert sess.run(tf.constant(2.0) * 3.0) == 6.0
    with pytest.raises(TypeError, match="config must be a tf.ConfigProto, but got <class 'dict'>"):
        tf.Session(config={"allow_soft_placement": True})


_SEEN = []


def _probe_kernel(xp, attrs, x):
    _SEEN.append(_blas_threads())  # the BLAS pool while the op runs
    return x


register_op("BlasThreadsProbe", infer=lambda attrs, x: [(x.dtype, x.shape)],
            stateful=True)(_probe_kernel)
NotDifferentiable("BlasThreadsProbe")


def test_intra_op_threads_limit_the_blas_pool_while_running():
    outside = _blas_threads()
    x = tf.placeholder(tf.float32, [2, 2])
    y = tf.get_default_graph().create_op("BlasThreadsProbe", [x]).outputs[0]
    del _SEEN[:]
    with tf.Session(config=tf.ConfigProto(intra_op_parallelism_threads=2)) as sess:
        sess.run(y, {x: np.eye(2)})
    with tf.Session() as sess:  # no config: the measured default
        sess.run(y, {x: np.eye(2)})
    with tf.Session(config=tf.ConfigProto(intra_op_parallelism_threads=1)) as sess:
        sess.run(y, {x: np.eye(2)})
    system_pick = session_config.DEFAULT_BLAS_THREADS if session_config.machine_busy() else outside
    assert _SEEN == [2, system_pick, 1]
    assert _blas_threads() == outside  # restored after each run


def test_blas_thread_counts_from_the_config(monkeypatch):
    monkeypatch.setattr(session_config.os, "getloadavg", lambda: (9.0, 9.0, 9.0))  # busy
    assert session_config.blas_threads(None) == session_config.DEFAULT_BLAS_THREADS == 1
    assert session_config.blas_threads(tf.ConfigProto()) == session_config.DEFAULT_BLAS_THREADS
    monkeypatch.setattr(session_config.os, "getloadavg", lambda: (0.1, 0.1, 0.1))  # quiet
    assert session_config.blas_threads(None) is None  # the library's own pool, untouched
    assert session_config.blas_threads(tf.ConfigProto(intra_op_parallelism_threads=1)) == 1
    assert session_config.blas_threads(tf.ConfigProto(intra_op_parallelism_threads=2)) == 2
    with session_config.BlasThreads(1):
        assert _blas_threads() == 1


def test_log_device_placement_prints_each_op_once_per_plan():
    code = ("import tinygraph as tf\n"
            "c = tf.constant(1.0, name='c')\n"
            "d = tf.add(c, c, name='d')\n"
            "s = tf.Session(config=tf.ConfigProto(log_device_placement=True))\n"
            "s.run(d); s.run(d)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    lines = out.stderr.strip().splitlines()
    with tf.Session() as sess:  # CPU:0 on numpy, GPU:0 on a device backend
        device = sess._device_name()
    assert device.startswith("/job:localhost/replica:0/task:0/device:")
    assert lines == ["c: (Const): " + device, "d: (%s): %s" % (tf.add(1.0, 2.0).op.type, device)]


def test_device_function_places_each_op():
    def assign_to_ps(op):
        return "/job:ps/task:0" if op.type == "VariableV2" else "/job:worker/task:0"
    with tf.device(assign_to_ps):
        v = tf.Variable(1.0, name="v")
        y = tf.multiply(v, 2.0, name="y")
    assert v.op.device == "/job:ps/task:0" and y.op.device == "/job:worker/task:0"
    assert tf.constant(0.0).op.device == ""
    seen = []

    def inner(op):
        seen.append(op.device)  # the device set so far (by the enclosing string)
        return op.device + "/device:CPU:0"
    with tf.device("/job:worker"):
        with tf.device(inner):
            z = tf.constant(1.0, name="z")
        w = tf.constant(2.0)
    assert seen == ["/job:worker"] and z.op.device == "/job:worker/device:CPU:0"
    assert w.op.device == "/job:worker"
    with tf.device(lambda op: None):
        assert tf.constant(3.0).op.device == ""
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(y) == 2.0
