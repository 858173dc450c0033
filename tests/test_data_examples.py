"""examples/csv_dataset.py runs and trains (its accuracy rises from chance)."""
import contextlib
import io
import os
import runpy

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")


def test_csv_dataset_example_trains():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        env = runpy.run_path(os.path.join(EXAMPLES, "csv_dataset.py"), run_name="__main__")
    history, steps = env["history"], env["steps_per_epoch"]
    assert steps == [19] * 5  # 600 records in batches of 32: each epoch ends with a batch of 24
    assert history[0] < 0.5 < 0.95 < history[-1]
    assert "epoch 4: 19 steps" in out.getvalue()
