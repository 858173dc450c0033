"""One Session driven by many threads: plans compiled at once, traced and plain runs
mixed, variables updated in place from two threads.

Thread switches are made frequent (sys.setswitchinterval tiny, random yields between
calls) and every result is compared with the same work done serially.
"""
import random
import sys
import threading
import time

import numpy as np
import pytest

import tinygraph as tf
from tinygraph import config
from tinygraph.contrib import rnn

FULL = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)


@pytest.fixture(autouse=True)
def frequent_switches():
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(old)


def _in_threads(jobs):
    """Runs each job in its own thread, all released at once; returns their results
    (re-raising the first failure)."""
    barrier = threading.Barrier(len(jobs))
    results, failures = [None] * len(jobs), []

    def worker(k):
        rng = random.Random(k)
        try:
            barrier.wait()
            time.sleep(rng.random() * 1e-4)
            results[k] = jobs[k](rng)
        except BaseException as e:  # noqa: BLE001 - re-raised in the main thread
            failures.append(e)
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise failures[0]
    return results


def _model():
    """A dynamic_rnn and 8 different fetches, six of them gradients through its While."""
    X = tf.placeholder(tf.float64, [None, 6, 3], name="X")
    outputs, state = tf.nn.dynamic_rnn(rnn.BasicLSTMCell(5), X, dtype=tf.float64)
    kernel, bias = tf.trainable_variables()
    losses = [tf.reduce_sum(outputs * outputs), tf.reduce_sum(tf.tanh(state.c))]
    grads = [tf.gradients(loss, wrt)[0] for loss in losses for wrt in (kernel, bias, X)]
    return X, [outputs, losses[0]] + grads


def _fresh_session(values):
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    for v, value in zip(tf.global_variables(), values):
        v.load(value, sess)
    return sess


def test_plans_compiled_by_eight_threads_at_once_match_serial_runs():
    X, fetches = _model()
    rng = np.random.RandomState(0)
    feed = {X: rng.randn(4, 6, 3)}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = sess.run(tf.global_variables())
        want = [sess.run(f, feed) for f in fetches]
    for _ in range(10):  # a fresh session each time: every plan is compiled concurrently
        sess = _fresh_session(values)
        n_plans = len(sess._plans)  # the initializer's and the loads'
        got = _in_threads([lambda r, f=f: sess.run(f, feed) for f in fetches])
        for a, b in zip(got, want):
            np.testing.assert_array_equal(a, b)
        # the cached plans (the gradient's While ops included) keep working
        for f, b in zip(fetches, want):
            np.testing.assert_array_equal(sess.run(f, feed), b)
        assert len(sess._plans) == n_plans + len(fetches)
        sess.close()


def test_traced_run_mixed_with_plain_runs_in_other_threads():
    X, fetches = _model()
    rng = np.random.RandomState(1)
    feeds = [{X: rng.randn(2 + k, 6, 3)} for k in range(6)]
    grad = fetches[2]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = sess.run(tf.global_variables())
        want = [sess.run(grad, f) for f in feeds]
        md = tf.RunMetadata()
        sess.run(grad, feeds[0], options=FULL, run_metadata=md)
        want_nodes = sorted((n.node_name, n.frame, n.output_shapes) for n in md.step_stats)
        want_stats = md.loop_stats
    sess = _fresh_session(values)

    def traced(r):
        out = []
        for _ in range(3):
            md = tf.RunMetadata()
            v = sess.run(grad, feeds[0], options=FULL, run_metadata=md)
            out.append((v, md))
            time.sleep(r.random() * 1e-4)
        return out

    def plain(k):
        def job(r):
            out = []
            for _ in range(4):
                out.append(sess.run(grad, feeds[k]))
                time.sleep(r.random() * 1e-4)
            return out
        return job
    results = _in_threads([traced] + [plain(k) for k in range(1, 6)])
    for v, md in results[0]:
        np.testing.assert_array_equal(v, want[0])
        # the trace holds this run's ops only, none of the other threads'
        assert sorted((n.node_name, n.frame, n.output_shapes) for n in md.step_stats) == want_nodes
        assert md.loop_stats == want_stats
    for k, runs in enumerate(results[1:], start=1):
        for v in runs:
            np.testing.assert_array_equal(v, want[k])
    sess.close()


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("passes", ["all", "none"])
def test_variable_updates_from_two_threads_are_never_torn(optimizer, passes):
    flags = {k: passes == "all" for k in config.DEFAULTS}
    n_steps, size = 40, 3000  # big enough for NumPy to drop the GIL inside the updates
    with config.optimizations(**flags):
        a = tf.Variable(np.zeros(size), name="a")
        b = tf.Variable(np.zeros((30, size // 30)), name="b")
        loss = tf.reduce_sum(a) + 2.0 * tf.reduce_sum(b)
        opt = {"sgd": lambda: tf.train.GradientDescentOptimizer(0.5),
               "momentum": lambda: tf.train.MomentumOptimizer(0.5, 0.9),
               "adam": lambda: tf.train.AdamOptimizer(0.5)}[optimizer]()
        train = opt.minimize(loss)
        # serially: the values after 2 * n_steps steps (the gradient is constant, so
        # the order of the steps cannot matter; Adam's beta powers are Assigns, which
        # may lose an update between racing threads, as TF's use_locking=False allows)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(2 * n_steps):
                sess.run(train)
            want = sess.run([a, b])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())

            def job(r):
                for _ in range(n_steps):
                    sess.run(train)
                    if r.random() < 0.3:
                        time.sleep(0)

            def reader(r):
                shapes = set()
                for _ in range(n_steps):
                    va, vb = sess.run([a, b])
                    shapes.add((va.shape, vb.shape))
                    time.sleep(0)
                return shapes
            results = _in_threads([job, job, reader])
            got = sess.run([a, b])
    assert results[2] == {((size,), (30, size // 30))}
    # every element gets the same update: a torn one (half of one step, half of another)
    # would leave two values in one variable
    for x in got:
        assert np.unique(x).size == 1
    if optimizer != "adam":  # each update read and wrote its variable and slots as one
        for x, y in zip(got, want):
            np.testing.assert_array_equal(x, y)
