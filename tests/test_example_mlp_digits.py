"""examples/mlp_digits.py (batch norm + dropout MLP on the scikit-learn digits) runs and learns."""
import contextlib
import io
import os
import runpy

import numpy as np

EXAMPLE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples",
                       "mlp_digits.py")


def test_mlp_digits_learns_well_above_chance():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        env = runpy.run_path(EXAMPLE, run_name="__main__")
    assert env["test_accuracy"] > 0.85  # ten classes: chance is 0.1
    assert "Test accuracy:" in out.getvalue()
    # the UPDATE_OPS ran: every batch norm layer moved its statistics off the zeros
    assert len(env["moving_mean_values"]) == 3
    assert all(np.abs(m).max() > 1e-3 for m in env["moving_mean_values"])
    # as TF: name_scope("dnn") does not prefix variables; the layers count up
    names = [v.name for v in env["tf"].global_variables()
             if "batch_normalization" in v.name and "Momentum" not in v.name]
    assert names[:4] == ["batch_normalization/gamma:0", "batch_normalization/beta:0",
                         "batch_normalization/moving_mean:0", "batch_normalization/moving_variance:0"]
    assert names[-1] == "batch_normalization_2/moving_variance:0" and len(names) == 12
