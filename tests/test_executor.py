"""The executor's layers: the interpreted reference against the generated code, and
each optimisation pass applied alone to a plan's steps."""
import numpy as np
import pytest

import tinygraph as tf
from tinygraph import config
from tinygraph.contrib import rnn
from tinygraph.passes import (fold_constants, fuse_elementwise, group_optimizer_updates,
                              inplace_optimizer_updates)
from tinygraph.passes.group_updates import GroupedOp
from tinygraph.steps import Folded, Step

ALL_OFF = {k: False for k in config.DEFAULTS}
ALL_ON = {k: True for k in config.DEFAULTS}


def _training_model():
    tf.set_random_seed(7)
    X = tf.placeholder(tf.float32, [None, 5, 3], name="X")
    y = tf.placeholder(tf.float32, [None, 2], name="y")
    outputs, state = tf.nn.dynamic_rnn(rnn.BasicLSTMCell(4), X, dtype=tf.float32)
    logits = tf.layers.dense(state.h, 2)
    scale = tf.reduce_sum(tf.constant([1.0, 2.0]) * 0.25)  # folded when passes are on
    loss = tf.reduce_mean(tf.square(tf.sigmoid(logits) - y)) * scale \
        + tf.cond(tf.reduce_sum(X) > 0, lambda: tf.reduce_mean(outputs), lambda: 0.0)
    noise = tf.random_normal([2], seed=3)
    train = tf.train.AdamOptimizer(0.05).minimize(loss)
    return X, y, loss + tf.reduce_sum(noise) * 0.0, train


def _device_feeds(sess, plan, feed):
    return [sess.backend.to_device(np.asarray(feed[t], t.dtype.as_numpy_dtype)) for t in plan.feeds]


@pytest.mark.parametrize("flags", [ALL_OFF, ALL_ON], ids=["passes_off", "passes_on"])
def test_run_interpreted_agrees_with_the_generated_code(flags):
    with config.optimizations(**flags):
        X, y, loss, train = _training_model()
        rng = np.random.RandomState(0)
        feeds = [{X: rng.randn(3, 5, 3), y: rng.rand(3, 2)} for _ in range(3)]
        generated, interpreted = tf.Session(), tf.Session()
        for sess in (generated, interpreted):
            sess.run(tf.global_variables_initializer())
        for feed in feeds:  # three training steps each way, from the same initial values
            want = generated.run([loss, train], feed)[0]
            plan = interpreted.plan_for([loss, train], feed)
            got = plan.run_interpreted(_device_feeds(interpreted, plan, feed))[0]
            np.testing.assert_array_equal(interpreted.backend.to_host(got), want)
        for a, b in zip(generated.run(tf.global_variables()), interpreted.run(tf.global_variables())):
            np.testing.assert_array_equal(a, b)
        generated.close()
        interpreted.close()


def test_steps_are_named_and_describe_matches_them():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    m = x * 2.0
    y = tf.tanh(m, name="y")
    with tf.Session() as sess:
        plan = sess.plan_for(y, {x: np.ones((1, 3))})
    assert all(isinstance(s, Step) for s in plan.steps)
    last = plan.steps[-1]
    assert last.op is y.op and last.ins == (plan.slot_of[m],) and last.outs == (plan.slot_of[y],)
    lines = plan.describe().splitlines()[1:]
    assert [line.split()[0] for line in lines] == [s.op.name for s in plan.steps]


def _plan_with_passes_off(fetches, feed=None, init=True):
    with config.optimizations(**ALL_OFF):
        sess = tf.Session()
        if init:
            sess.run(tf.global_variables_initializer())
        return sess, sess.plan_for(fetches, feed)


def test_fold_constants_alone_replaces_constant_steps_with_their_values():
    x = tf.placeholder(tf.float32, [2], name="x")
    k = tf.exp(tf.constant([0.0, 1.0]), name="k")
    r = tf.random_uniform([2], seed=1, name="r")
    y = x * k + r
    sess, plan = _plan_with_passes_off(y, {x: np.ones(2)}, init=False)
    steps = fold_constants(plan.steps, plan)
    folded = {s.op.name: s.fn.value for s in steps if isinstance(s.fn, Folded)}
    kinds = {s.op.type for s in steps if isinstance(s.fn, Folded)}
    assert "k" in folded and "RandomUniform" not in kinds and "Placeholder" not in kinds
    assert any(s.op.type == "RandomUniform" for s in steps)
    np.testing.assert_allclose(sess.backend.to_host(folded["k"]), np.exp([0.0, 1.0]), rtol=1e-6)
    assert [s.op for s in steps] == [s.op for s in plan.steps]  # one step per step, in order
    sess.close()


def test_fuse_elementwise_alone_overwrites_only_private_fresh_values():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    a = tf.add(x, 1.0, name="a")       # reads the feed: allocates
    b = tf.nn.relu(a, name="b")        # may overwrite a
    c = tf.tanh(b, name="c")           # b is fetched: must allocate
    sess, plan = _plan_with_passes_off([b, c], {x: np.ones((1, 3))}, init=False)
    steps = fuse_elementwise(plan.steps, plan)
    in_place = {s.op.name: s.fn.in_place_of for s in steps if hasattr(s.fn, "in_place_of")}
    assert in_place == {"b": 0}
    sess.close()


def test_update_passes_alone_bind_in_place_and_group():
    w1 = tf.Variable(np.ones((2, 3), np.float32), name="w1")
    w2 = tf.Variable(np.ones(4, np.float32), name="w2")
    loss = tf.reduce_sum(w1 * w1) + tf.reduce_sum(w2)
    train = tf.train.MomentumOptimizer(0.1, 0.9).minimize(loss)
    sess, plan = _plan_with_passes_off(train)
    updates = [s for s in plan.steps if s.op.type == "ApplyMomentum"]
    in_place = inplace_optimizer_updates(plan.steps, plan)
    changed = [s for s, t in zip(plan.steps, in_place) if s.fn is not t.fn]
    assert sorted(s.op.name for s in changed) == sorted(s.op.name for s in updates)
    grouped = group_optimizer_updates(plan.steps, plan)
    groups = [s for s in grouped if isinstance(s.op, GroupedOp)]
    assert len(groups) == 1 and sorted(op.name for op in groups[0].op.ops) == sorted(s.op.name for s in updates)
    assert len(grouped) == len(plan.steps) - 1
    # reading a variable after its update in the same plan: its update must not write in place
    with tf.control_dependencies([train]):
        after = tf.identity(w1.read_value())
    sess2, plan2 = _plan_with_passes_off([after, w1.value()])
    safe = {s.op.name for s, t in zip(plan2.steps, inplace_optimizer_updates(plan2.steps, plan2))
            if s.fn is not t.fn}
    assert not any("w1" in name for name in safe)
    sess.close()
    sess2.close()


def test_passes_are_switched_by_config():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    y = tf.tanh(tf.nn.relu(x + tf.exp(tf.constant(1.0))))
    with config.optimizations(**ALL_OFF):
        with tf.Session() as sess:
            plain = sess.plan_for(y, {x: np.ones((1, 3))})
    with config.optimizations(**ALL_ON):
        with tf.Session() as sess:
            optimized = sess.plan_for(y, {x: np.ones((1, 3))})
    assert not plain.constants and not plain.in_place
    assert optimized.constants and optimized.in_place


def test_tinygraph_passes_environment_variable(monkeypatch):
    assert config._from_environment("none") == ALL_OFF
    assert config._from_environment(None) == config.DEFAULTS
    assert config._from_environment("default") == config.DEFAULTS
    only = config._from_environment("fold_constants, fuse_elementwise")
    assert {k for k, v in only.items() if v} == {"fold_constants", "fuse_elementwise"}
    with pytest.raises(ValueError, match="unknown optimisation fold"):
        config._from_environment("fold")
