"""Each graph-level optimisation (tinygraph.config) leaves results unchanged.

Every test computes the same graph with the optimisation off and on, compares
forward values and gradients, and checks that the optimisation really took effect.
"""
import os

import numpy as np
import pytest

import tinygraph as tf
from tinygraph import config
from tinygraph.framework import nest

rnn = tf.nn.rnn_cell


def lecture_model(sequence_length=False, activation=None, seed=0):
    """The lecture's time-series model (projection wrapper) in float64, with its grads."""
    tf.reset_default_graph()
    X = tf.placeholder(tf.float64, [None, 6, 2], name="X")
    y = tf.placeholder(tf.float64, [None, 6, 1], name="y")
    lengths = tf.placeholder(tf.int32, [None]) if sequence_length else None
    cell = rnn.OutputProjectionWrapper(rnn.BasicRNNCell(5, activation=tf.nn.relu), 1, activation=activation)
    outputs, state = tf.nn.dynamic_rnn(cell, X, sequence_length=lengths, dtype=tf.float64)
    loss = tf.reduce_mean(tf.square(outputs - y)) + tf.reduce_sum(state * 0.1)
    variables = tf.trainable_variables()
    grads = tf.gradients(loss, variables + [X])
    rng = np.random.RandomState(seed)
    feed = {X: rng.randn(4, 6, 2), y: rng.randn(4, 6, 1)}
    if sequence_length:
        feed[lengths] = [6, 2, 0, 4]
    values = {v.name: rng.uniform(-0.5, 0.5, v.shape.as_list()) for v in variables}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for v in variables:
            v.load(values[v.name], sess)
        result = sess.run([outputs, state, loss] + grads, feed)
    return result, [v.name for v in variables], tf.get_default_graph()


def body_op_types(graph):
    loop = [op for op in graph.get_operations() if op.type == "While"][0]
    return [op.type for op in loop.attrs["body"].graph.get_operations() if "gradients" not in op.name]


@pytest.mark.parametrize("sequence_length", [False, True])
@pytest.mark.parametrize("activation", [None, tf.tanh])
def test_merged_output_projection_gives_the_same_results(sequence_length, activation):
    with config.optimizations(merge_output_projection=False):
        want, names_off, g_off = lecture_model(sequence_length, activation)
    with config.optimizations(merge_output_projection=True):
        got, names_on, g_on = lecture_model(sequence_length, activation)
    assert names_on == names_off  # same variables, same creation order
    assert body_op_types(g_off).count("MatMul") == 2
    assert body_op_types(g_on).count("MatMul") == 1  # the projection left the loop
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
    if sequence_length:
        assert np.all(got[0][2] == 0) and np.all(got[0][1, 2:] == 0)


def test_batched_loop_weight_gradients_give_the_same_results():
    with config.optimizations(batch_loop_weight_gradients=False):
        want, _, _ = lecture_model(True)
    with config.optimizations(batch_loop_weight_gradients=True):
        got, _, _ = lecture_model(True)
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def long_tanh_rnn(steps=400):
    tf.reset_default_graph()
    X = tf.placeholder(tf.float32, [8, steps, 3])
    _, state = tf.nn.dynamic_rnn(rnn.BasicRNNCell(6), X, dtype=tf.float32)
    loss = tf.reduce_mean(tf.square(tf.layers.dense(state, 1)))
    variables = tf.trainable_variables()
    grads = tf.gradients(loss, variables)
    rng = np.random.RandomState(4)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for v in variables:
            v.load(rng.uniform(-0.6, 0.6, v.shape.as_list()), sess)
        return sess.run(grads, {X: rng.randn(8, steps, 3)})


def test_stopping_at_vanished_gradients_changes_nothing_beyond_float32_rounding():
    with config.optimizations(stop_vanished_gradients=False):
        want = long_tanh_rnn()
    with config.optimizations(stop_vanished_gradients=True):
        got = long_tanh_rnn()
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-30)


def test_optimization_switches():
    assert set(config.get_optimizations()) >= {"merge_output_projection", "batch_loop_weight_gradients",
                                               "stop_vanished_gradients"}
    with pytest.raises(KeyError, match="Unknown optimisation"):
        config.set_optimizations(no_such_pass=True)
    with config.optimizations(merge_output_projection=True):  # on, whatever TINYGRAPH_PASSES says
        with config.optimizations(merge_output_projection=False):
            assert not config.enabled("merge_output_projection")
        assert config.enabled("merge_output_projection")


@pytest.mark.skipif(os.environ.get("TINYGRAPH_BACKEND", "numpy") != "numpy", reason="float64 numpy only")
def test_lecture_golden_case_with_every_optimisation_off_and_on():
    import importlib.util
    import json
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden")
    spec = importlib.util.spec_from_file_location("g", os.path.join(here, "cases",
                                                                    "lecture_timeseries_projection.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    gold = np.load(os.path.join(here, "lecture_timeseries_projection.npz"))
    with open(os.path.join(here, "lecture_timeseries_projection.json")) as f:
        tol = json.load(f)["tolerances"]
    for flags in ({k: False for k in config.DEFAULTS}, {k: True for k in config.DEFAULTS}):
        with config.optimizations(**flags):
            tf.reset_default_graph()
            case = mod.build(tf)
            variables = tf.trainable_variables()
            grads = tf.gradients(case["loss"], variables)
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                for v in variables:
                    v.load(gold["var/" + v.name], sess)
                out, loss, g = sess.run([case["fetches"]["outputs"], case["loss"], grads], case["feeds"])
        np.testing.assert_allclose(out, gold["fetch/outputs"], rtol=tol["forward"]["rtol"],
                                   atol=tol["forward"]["atol"])
        np.testing.assert_allclose(loss, gold["loss"], rtol=tol["loss"]["rtol"], atol=tol["loss"]["atol"])
        for v, gv in zip(variables, g):
            np.testing.assert_allclose(gv, gold["grad/" + v.name], rtol=tol["grad"]["rtol"],
                                       atol=tol["grad"]["atol"])


def lstm_gradients(steps, recompute, dropout=False):
    with config.optimizations(recompute_loop_activations=recompute, stop_vanished_gradients=False):
        tf.reset_default_graph()
        X = tf.placeholder(tf.float64, [4, steps, 3])
        cell = rnn.BasicLSTMCell(5)
        if dropout:
            cell = rnn.DropoutWrapper(cell, output_keep_prob=0.5, seed=1)
        _, state = tf.nn.dynamic_rnn(cell, X, dtype=tf.float64)
        loss = tf.reduce_sum(state.h * state.h)
        grads = tf.gradients(loss, tf.trainable_variables() + [X])
        rng = np.random.RandomState(0)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for v in tf.trainable_variables():
                v.load(rng.uniform(-0.3, 0.3, v.shape.as_list()), sess)
            md = tf.RunMetadata()
            values = sess.run(grads, {X: rng.randn(4, steps, 3)}, run_metadata=md)
        return values, md.loop_stats, tf.get_default_graph()


def test_recomputed_loop_activations_give_identical_gradients_in_sqrt_memory():
    peaks = {}
    for steps in (25, 100, 400):
        want, stats_off, _ = lstm_gradients(steps, recompute=False)
        got, stats_on, _ = lstm_gradients(steps, recompute=True)
        for a, b in zip(got, want):
            np.testing.assert_array_equal(a, b)  # the same arithmetic, replayed
        peaks[steps] = (stats_off["peak_saved_bytes"], stats_on["peak_saved_bytes"])
    # saving everything grows 4x per 4x steps; checkpoints every sqrt(T) steps about 2x
    assert peaks[400][0] / peaks[100][0] == pytest.approx(4, rel=0.05)
    assert 1.6 < peaks[400][1] / peaks[100][1] < 2.6
    assert peaks[400][1] < peaks[400][0] / 8


def test_recompute_is_not_used_when_the_body_draws_random_numbers():
    _, stats, graph = lstm_gradients(30, recompute=True, dropout=True)
    loop = [op for op in graph.get_operations() if op.type == "While"][0]
    # a random draw cannot be replayed: every iteration's values are saved as usual
    assert stats["saved_values"] == 30 * len(loop.attrs["saves"])


def test_folded_constants_give_the_same_results_and_skip_the_kernels():
    def build():
        tf.reset_default_graph()
        x = tf.placeholder(tf.float32, [None, 3])
        scale = tf.reduce_sum(tf.constant([1.0, 2.0, 3.0]) * 2.0)  # constant: foldable
        noise = tf.random_normal([3], seed=1)                      # stateful: never folded
        return x, x * scale + noise
    results = {}
    for flag in (False, True):
        with config.optimizations(fold_constants=flag):
            x, y = build()
            with tf.Session() as sess:
                results[flag] = sess.run(y, {x: np.ones((2, 3))})
                source = sess.plan_for(y, {x: np.ones((2, 3))}).source
        assert ("folded" in source) == flag
        assert "RandomStandardNormal" in source or "random_normal" in source
    np.testing.assert_array_equal(results[False], results[True])


@pytest.mark.parametrize("kind", ["basic_rnn", "lstm", "gru", "multi"])
def test_hoisted_input_projections_give_the_same_results(kind):
    def build():
        tf.reset_default_graph()
        X = tf.placeholder(tf.float64, [3, 5, 4])
        lengths = tf.placeholder(tf.int32, [3])
        cell = {"basic_rnn": lambda: rnn.BasicRNNCell(6), "lstm": lambda: rnn.BasicLSTMCell(6),
                "gru": lambda: rnn.GRUCell(6),
                "multi": lambda: rnn.MultiRNNCell([rnn.GRUCell(6), rnn.BasicRNNCell(3)])}[kind]()
        out, state = tf.nn.dynamic_rnn(cell, X, sequence_length=lengths, dtype=tf.float64)
        loss = tf.reduce_sum(out * out) + tf.add_n([tf.reduce_sum(s) for s in nest.flatten(state)])
        variables = tf.trainable_variables()
        grads = tf.gradients(loss, variables + [X])
        rng = np.random.RandomState(2)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for v in variables:
                v.load(rng.uniform(-0.5, 0.5, v.shape.as_list()), sess)
            values = sess.run([out, loss] + grads, {X: rng.randn(3, 5, 4), lengths: [5, 2, 0]})
        loop = [op for op in tf.get_default_graph().get_operations() if op.type == "While"][0]
        body_types = [op.type for op in loop.attrs["body"].graph.get_operations()]
        return values, body_types
    with config.optimizations(hoist_input_projections=False):
        want, types_off = build()
    with config.optimizations(hoist_input_projections=True):
        got, types_on = build()
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
    hoisted = {"basic_rnn": 1, "lstm": 1, "gru": 2, "multi": 2}[kind]  # multi: layer 0 only
    assert types_off.count("ConcatV2") - types_on.count("ConcatV2") == hoisted


# -- fuse_elementwise: chains of elementwise ops in one buffer ------------------------------
def lstm_training_values(fuse):
    """Loss, outputs and gradients of a float32 LSTM + dense head, fused or not."""
    with config.optimizations(fuse_elementwise=fuse):
        tf.reset_default_graph()
        X = tf.placeholder(tf.float32, [3, 7, 4])
        outputs, state = tf.nn.dynamic_rnn(rnn.BasicLSTMCell(6), X, dtype=tf.float32)
        logits = tf.layers.dense(tf.nn.relu(state.h), 2)
        loss = tf.reduce_mean(tf.square(tf.sigmoid(logits) - 0.5)) + tf.reduce_sum(tf.abs(outputs)) * 1e-3
        grads = tf.gradients(loss, tf.trainable_variables() + [X])
        rng = np.random.RandomState(3)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for v in tf.trainable_variables():
                v.load(rng.uniform(-0.5, 0.5, v.shape.as_list()).astype(np.float32), sess)
            feed = {X: rng.randn(3, 7, 4).astype(np.float32)}
            values = sess.run([loss, outputs] + grads, feed)
            plan = sess.plan_for([loss, outputs] + grads, feed)
        return values, plan


def test_fused_elementwise_chains_give_bitwise_identical_results():
    want, plain = lstm_training_values(fuse=False)
    got, fused = lstm_training_values(fuse=True)
    for a, b in zip(got, want):
        np.testing.assert_array_equal(a, b)
    assert not plain.in_place
    assert fused.in_place  # the dense head's BiasAdd -> Sigmoid -> Sub -> Square chain at least
    assert "in place of" in fused.describe() and "in place of" in fused.source


def elementwise_chain(fuse):
    with config.optimizations(fuse_elementwise=fuse):
        tf.reset_default_graph()
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        a = x * 2.0
        b = tf.nn.relu(a + 1.0)
        c = tf.tanh(b) - 0.5
        return x, a, b, c


@config.optimizations(fuse_elementwise=True)  # plans compile with it on, whatever TINYGRAPH_PASSES says
def test_fusion_never_overwrites_fetched_fed_or_shared_values():
    x, a, b, c = elementwise_chain(True)
    xv = np.array([[-1.0, 0.5, 2.0]], np.float32)
    with tf.Session() as sess:
        # fetched in the middle of the chain: a and b keep their own values
        av, bv, cv = sess.run([a, b, c], {x: xv})
        np.testing.assert_array_equal(av, xv * 2)
        np.testing.assert_array_equal(bv, np.maximum(xv * 2 + 1, 0))
        np.testing.assert_array_equal(cv, np.tanh(bv) - 0.5)
        # a fed value (the user's array) is read, never written
        fed = np.array([[-3.0, 1.0, 4.0]], np.float32)
        kept = fed.copy()
        np.testing.assert_array_equal(sess.run(c, {a: fed}), np.tanh(np.maximum(kept + 1, 0)) - 0.5)
        np.testing.assert_array_equal(fed, kept)
        plan = sess.plan_for(c, {x: xv})
        assert sorted(plan.in_place) and all(plan.steps[i][4].type in ("Add", "Relu", "Tanh", "Sub")
                                             for i in plan.in_place)
    # a variable's value and a folded constant are shared across runs: never overwritten
    tf.reset_default_graph()
    v = tf.Variable(np.ones((2, 2), np.float32))
    k = tf.exp(tf.constant(np.zeros((2, 2), np.float32)))  # folded when the plan is made
    y = tf.nn.relu(v * 1.0 + k) + tf.nn.relu(tf.identity(v) - 3.0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            np.testing.assert_array_equal(sess.run(y), np.full((2, 2), 2.0, np.float32))
        np.testing.assert_array_equal(sess.run(v), np.ones((2, 2), np.float32))


def test_fusion_falls_back_where_the_value_does_not_fit_the_buffer():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.placeholder(tf.float32, [None, 3])
    wide = (x * 2.0) + y                   # [1, 3] + [4, 3]: broadcasting makes it larger
    square = (x * 1.0) * (x * 1.0)         # read twice: neither operand may be overwritten
    ints = tf.placeholder(tf.int32, [3])
    int_chain = (ints * 2) + 1             # in place only for floats: ints use the kernel
    with tf.Session() as sess:
        xv = np.array([[1.0, 2.0, 3.0]], np.float32)
        yv = np.arange(12, dtype=np.float32).reshape(4, 3)
        np.testing.assert_array_equal(sess.run(wide, {x: xv, y: yv}), xv * 2 + yv)
        np.testing.assert_array_equal(sess.run(square, {x: xv}), xv * xv)
        assert sess.run(int_chain, {ints: [1, 2, 3]}).tolist() == [3, 5, 7]
        # a shape clash inside a chain still names its op
        with pytest.raises(tf.errors.InvalidArgumentError, match="add"):
            sess.run(wide, {x: np.ones((2, 3), np.float32), y: yv})
        np.testing.assert_array_equal(sess.run(wide, {x: xv, y: yv}), xv * 2 + yv)  # still works


# -- inplace_optimizer_updates and group_optimizer_updates ---------------------------------
OPTIMIZERS = {
    "adam": lambda: tf.train.AdamOptimizer(0.01),
    "sgd": lambda: tf.train.GradientDescentOptimizer(0.1),
    "momentum": lambda: tf.train.MomentumOptimizer(0.05, 0.9),
    "nesterov": lambda: tf.train.MomentumOptimizer(0.05, 0.9, use_nesterov=True),
    "adagrad": lambda: tf.train.AdagradOptimizer(0.1),
    "rmsprop": lambda: tf.train.RMSPropOptimizer(0.01, momentum=0.5),
}


def rnn_training(optimizer, passes, steps=4, assign_at=None):
    """Losses and final variables of a few steps of an RNN (kernel of 41 x 40: big enough
    for MatMul's cached transposed copies) trained with `optimizer`."""
    flags = dict(inplace_optimizer_updates=passes, group_optimizer_updates=passes)
    with config.optimizations(**flags):
        tf.reset_default_graph()
        X = tf.placeholder(tf.float32, [5, 6, 1])
        y = tf.placeholder(tf.float32, [5, 1])
        _, state = tf.nn.dynamic_rnn(rnn.BasicRNNCell(40), X, dtype=tf.float32)
        loss = tf.reduce_mean(tf.square(tf.layers.dense(state, 1) - y))
        train = OPTIMIZERS[optimizer]().minimize(loss)
        variables = tf.trainable_variables()
        rng = np.random.RandomState(7)
        feed = {X: rng.randn(5, 6, 1).astype(np.float32), y: rng.randn(5, 1).astype(np.float32)}
        losses = []
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for v in variables:
                v.load(rng.uniform(-0.3, 0.3, v.shape.as_list()).astype(np.float32), sess)
            for step in range(steps):
                if step == assign_at:  # replaces a buffer: grouped updates must pack again
                    variables[0].load(np.full(variables[0].shape.as_list(), 0.01, np.float32), sess)
                losses.append(sess.run([loss, train], feed)[0])
            plan = sess.plan_for([loss, train], feed)
            return losses, sess.run(tf.global_variables()), plan


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_in_place_and_grouped_updates_give_bitwise_identical_training(optimizer):
    want_losses, want_vars, plain = rnn_training(optimizer, passes=False, assign_at=2)
    got_losses, got_vars, grouped = rnn_training(optimizer, passes=True, assign_at=2)
    np.testing.assert_array_equal(got_losses, want_losses)
    for a, b in zip(got_vars, want_vars):
        np.testing.assert_array_equal(a, b)
    assert "Grouped" not in plain.describe()
    assert "Grouped" in grouped.describe()  # the four variables' updates are one step


def test_in_place_updates_never_change_a_value_read_earlier_in_the_run():
    with config.optimizations(inplace_optimizer_updates=True, group_optimizer_updates=True):
        tf.reset_default_graph()
        w = tf.Variable(np.ones((3, 2), np.float32), name="w")
        b = tf.Variable(np.zeros(2, np.float32), name="b")
        x = tf.placeholder(tf.float32, [None, 3])
        loss = tf.reduce_sum(tf.square(tf.matmul(x, w) + b))
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        view = tf.reshape(w, [6])
        feed = {x: np.ones((1, 3), np.float32)}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            before = sess.run(w)
            w_seen, view_seen, _ = sess.run([w, view, train], feed)
            # read before the update in this run: the old value, not the updated buffer
            np.testing.assert_array_equal(w_seen, before)
            np.testing.assert_array_equal(view_seen, before.reshape(6))
            after = sess.run(w)
            assert not np.array_equal(after, before)
            # fetched arrays are the caller's: later updates do not change them
            kept = after.copy()
            sess.run(train, feed)
            np.testing.assert_array_equal(after, kept)
            plan = sess.plan_for([w, view, train], feed)
            assert "Grouped" not in plan.describe()  # w's update may not run in place there
            assert "Grouped" in sess.plan_for(train, feed).describe()


def test_grouped_updates_survive_a_saver_round_trip(tmp_path):
    losses = {}
    for passes in (False, True):
        with config.optimizations(inplace_optimizer_updates=passes, group_optimizer_updates=passes):
            tf.reset_default_graph()
            x = tf.constant(np.linspace(-1, 1, 12, dtype=np.float32).reshape(4, 3))
            w = tf.Variable(np.full((3, 2), 0.5, np.float32))
            b = tf.Variable(np.zeros(2, np.float32))
            loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - 1.0))
            train = tf.train.AdamOptimizer(0.1).minimize(loss)
            saver = tf.train.Saver()
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                sess.run(train)
                path = saver.save(sess, str(tmp_path / ("model%d" % passes)))
                sess.run(train)
                saver.restore(sess, path)  # every buffer replaced
                losses[passes] = [sess.run([loss, train])[0] for _ in range(3)]
    np.testing.assert_array_equal(losses[True], losses[False])


def test_in_place_forms_on_zero_dimensional_values():
    # found by hypothesis: a multi-step in-place form must not write before it can fail
    x = tf.placeholder(tf.float64, [])
    y = tf.sigmoid(tf.sigmoid(x)) * tf.tanh(x * 2.0)
    with tf.Session() as sess:
        for value in (0.0, -3.0, 2.5):
            s = 1 / (1 + np.exp(-value))
            assert sess.run(y, {x: value}) == pytest.approx(1 / (1 + np.exp(-s)) * np.tanh(2 * value), rel=1e-15)


@pytest.mark.parametrize("optimizer", ["adam", "momentum", "adagrad", "sgd"])
def test_in_place_updates_of_a_scalar_variable(optimizer):
    results = {}
    for passes in (False, True):
        with config.optimizations(inplace_optimizer_updates=passes, group_optimizer_updates=passes):
            tf.reset_default_graph()
            w = tf.Variable(2.0)
            loss = tf.square(w - 0.5)
            train = OPTIMIZERS[optimizer]().minimize(loss)
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                results[passes] = [sess.run([loss, train])[0] for _ in range(3)] + [sess.run(w)]
    np.testing.assert_array_equal(results[True], results[False])
