"""The lecture's programs (copied unchanged into examples/lecture/) run and show what
the lecture says they show (the same checks as ../shared/lecture/check.py)."""
import contextlib
import io
import os
import runpy

import numpy as np
import pytest

LECTURE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples", "lecture")


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


@pytest.mark.parametrize("name", ["03_static_rnn_unstack.py", "04_dynamic_rnn.py"])
def test_sequence_programs(name):
    env, _ = run_program(name)
    assert_tanh_layer(env["outputs_val"], (4, 2, 5))


def test_variable_length_program():
    env, _ = run_program("05_variable_length.py")
    outputs, states = np.asarray(env["outputs_val"]), np.asarray(env["states_val"])
    assert outputs.shape == (4, 2, 5) and states.shape == (4, 5)
    assert np.all(outputs[1, 1] == 0)  # past the length: a zero vector
    np.testing.assert_allclose(states[1], outputs[1, 0])  # the state at the last valid step
    for i in (0, 2, 3):
        np.testing.assert_allclose(states[i], outputs[i, 1])


def test_time_series_program_trains():
    np.random.seed(0)
    env, printed = run_program("06_time_series.py")
    mses = [float(line.split()[-1]) for line in printed.splitlines() if "MSE:" in line]
    assert len(mses) == 15
    assert mses[-1] < 0.1 and mses[0] > 5 * mses[-1]
    assert np.asarray(env["y_pred"]).shape == (1, 20, 1)


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
