"""The lecture's programs (copied unchanged into examples/lecture/) run and show what
the lecture says they show (the same checks as ../shared/lecture/check.py), and the
graphs they build compute TF 1.x's numbers: after each program, its variables are set
to the values of the matching golden case (tests/golden/lecture_*.npz, made by real
TensorFlow) and its own tensors are fetched at the golden feeds."""
import contextlib
import io
import json
import os
import runpy

import numpy as np
import pytest

import tinygraph as tf

TESTS = os.path.dirname(os.path.abspath(__file__))
LECTURE = os.path.join(os.path.dirname(TESTS), "examples", "lecture")
GOLDEN = os.path.join(TESTS, "golden")

# program -> (golden case, {golden feed: program placeholder}, {golden fetch: program tensor})
GOLDEN_OF = {
    "01_basic_rnn_manual.py": ("lecture_manual_2step", {"X0": "X0", "X1": "X1"}, {"Y0": "Y0", "Y1": "Y1"}),
    "02_static_rnn.py": ("lecture_static_rnn_list", {"X0": "X0", "X1": "X1"}, {"Y0": "Y0", "Y1": "Y1"}),
    "03_static_rnn_unstack.py": ("lecture_static_rnn_unstack", {"X": "X"}, {"outputs": "outputs"}),
    "04_dynamic_rnn.py": ("lecture_dynamic_rnn", {"X": "X"}, {"outputs": "outputs", "states": "states"}),
    "05_variable_length.py": ("lecture_dynamic_rnn_seqlen", {"X": "X", "seq_length": "seq_length"},
                              {"outputs": "outputs", "states": "states"}),
    "06_time_series.py": ("lecture_timeseries_projection", {"X": "X", "y": "y"},
                          {"outputs": "outputs", "states": "states"}),
}


def _close(got, want, tol, label):
    got, want = np.asarray(got, np.float64), np.asarray(want, np.float64)
    assert got.shape == want.shape, "%s: shape %s != golden %s" % (label, got.shape, want.shape)
    err = np.abs(got - want)
    assert np.all(err <= tol["atol"] + tol["rtol"] * np.abs(want)), "%s: max error %.3g" % (label, err.max())


def assert_matches_golden(name, env):
    """The program's graph, at the golden case's variables and feeds, gives TF's numbers."""
    case, feeds, fetches = GOLDEN_OF[name]
    gold = np.load(os.path.join(GOLDEN, case + ".npz"))
    with open(os.path.join(GOLDEN, case + ".json")) as f:
        meta = json.load(f)
    tol = meta["tolerances"]
    variables = tf.trainable_variables()
    assert [tuple(v.shape.as_list()) for v in variables] == [tuple(v["shape"]) for v in meta["variables"]]
    feed = {env[p]: gold["feed/" + g] for g, p in feeds.items()}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for v, spec in zip(variables, meta["variables"]):
            v.load(gold["var/" + spec["name"]], sess)
        got = sess.run([env[t] for t in fetches.values()], feed)
        for g, value in zip(fetches, got):
            _close(value, gold["fetch/" + g], tol["forward"], "%s: %s" % (name, g))
        if meta.get("train_steps"):  # the program's own training op, from the golden start
            losses = [sess.run([env["loss"], env["training_op"]], feed)[0] for _ in range(meta["train_steps"])]
            _close(losses, gold["train_loss"], tol["train_loss"], name + ": train_loss")
            for v, spec, value in zip(variables, meta["variables"], sess.run(variables)):
                _close(value, gold["after/" + spec["name"]], tol["after"], "%s: after %s" % (name, spec["name"]))


def run_program(name):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        env = runpy.run_path(os.path.join(LECTURE, name), run_name="__main__")
    return env, out.getvalue()


def assert_tanh_layer(a, shape):
    a = np.asarray(a)
    assert a.shape == shape
    assert np.all(np.abs(a) <= 1.0) and not np.allclose(a, 0)


@pytest.mark.parametrize("name", ["01_basic_rnn_manual.py", "02_static_rnn.py"])
def test_two_step_programs(name):
    env, _ = run_program(name)
    assert_tanh_layer(env["Y0_val"], (4, 5))
    assert_tanh_layer(env["Y1_val"], (4, 5))
    assert_matches_golden(name, env)


@pytest.mark.parametrize("name", ["03_static_rnn_unstack.py", "04_dynamic_rnn.py"])
def test_sequence_programs(name):
    env, _ = run_program(name)
    assert_tanh_layer(env["outputs_val"], (4, 2, 5))
    assert_matches_golden(name, env)


def test_variable_length_program():
    env, _ = run_program("05_variable_length.py")
    outputs, states = np.asarray(env["outputs_val"]), np.asarray(env["states_val"])
    assert outputs.shape == (4, 2, 5) and states.shape == (4, 5)
    assert np.all(outputs[1, 1] == 0)  # past the length: a zero vector
    np.testing.assert_allclose(states[1], outputs[1, 0])  # the state at the last valid step
    for i in (0, 2, 3):
        np.testing.assert_allclose(states[i], outputs[i, 1])
    assert_matches_golden("05_variable_length.py", env)


def test_time_series_program_trains():
    np.random.seed(0)
    env, printed = run_program("06_time_series.py")
    mses = [float(line.split()[-1]) for line in printed.splitlines() if "MSE:" in line]
    assert len(mses) == 15
    assert mses[-1] < 0.1 and mses[0] > 5 * mses[-1]
    assert np.asarray(env["y_pred"]).shape == (1, 20, 1)
    assert_matches_golden("06_time_series.py", env)


def test_every_program_with_every_optimisation_switched_on():
    import tinygraph as tf
    from tinygraph import config
    checks = [lambda: test_two_step_programs("01_basic_rnn_manual.py"),
              lambda: test_two_step_programs("02_static_rnn.py"),
              lambda: test_sequence_programs("03_static_rnn_unstack.py"),
              lambda: test_sequence_programs("04_dynamic_rnn.py"),
              test_variable_length_program, test_time_series_program_trains]
    with config.optimizations(**{name: True for name in config.DEFAULTS}):
        for check in checks:
            tf.reset_default_graph()  # each program builds into a fresh default graph
            check()
