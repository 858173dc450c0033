"""examples/cnn_digits.py: the small CNN learns the scikit-learn digits."""
import os
import runpy

EXAMPLE = os.path.join(os.path.dirname(__file__), os.pardir, "examples", "cnn_digits.py")


def test_cnn_digits_learns(capsys):
    env = runpy.run_path(EXAMPLE, run_name="cnn_digits")
    history = env["main"](["--epochs", "2"])
    losses = [h[0] for h in history]
    test_acc = history[-1][2]
    assert len(history) == 2
    assert losses[-1] < 0.5 * losses[0]  # the loss falls
    assert test_acc > 0.85  # chance is 0.1
    assert "test accuracy" in capsys.readouterr().out
