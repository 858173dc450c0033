"""examples/csv_queue.py and examples/csv_estimator.py run and train (accuracy rises from chance)."""
import contextlib
import io
import os
import runpy

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")


def _run(name, monkeypatch):
    monkeypatch.syspath_prepend(EXAMPLES)  # the examples share csv_dataset's model
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        env = runpy.run_path(os.path.join(EXAMPLES, name), run_name="__main__")
    return env, out.getvalue()


def test_csv_queue_example_trains(monkeypatch):
    env, out = _run("csv_queue.py", monkeypatch)
    history, steps = env["history"], env["steps"]
    assert steps == 94  # 5 x 600 records in batches of 32, the last one of 24
    assert history[0] < 0.5 < 0.95 < history[-1]
    assert "done: 5 epochs read in 94 steps" in out


def test_csv_estimator_example_trains(monkeypatch):
    env, out = _run("csv_estimator.py", monkeypatch)
    r = env["results"]
    assert r["before"]["global_step"] == 0 and r["before"]["accuracy"] < 0.5
    assert r["custom"]["global_step"] == 95  # 5 epochs of 19 batches
    assert r["custom"]["accuracy"] > 0.95 and r["linear"]["accuracy"] > 0.9
    assert r["n_predictions"] == 100
    assert "custom model_fn: accuracy" in out
