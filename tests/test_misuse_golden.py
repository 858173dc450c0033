"""Misuse and edge cases against what real TensorFlow did (tests/golden/misuse/misuse.json,
made by tests/golden/misuse/make_misuse.py from misuse_cases.py there): the same
exception class, or the same value, dtype and shape."""
import importlib.util
import json
import os

import numpy as np
import pytest

import tinygraph as tf

_HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden", "misuse")
_spec = importlib.util.spec_from_file_location("misuse_cases", os.path.join(_HERE, "misuse_cases.py"))
misuse_cases = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(misuse_cases)
with open(os.path.join(_HERE, "misuse.json")) as _f:
    GOLDEN = json.load(_f)["cases"]


def _compare(got, want, where):
    if "list" in want:
        assert isinstance(got, (list, tuple)) and len(got) == len(want["list"]), where
        for i, (g, w) in enumerate(zip(got, want["list"])):
            _compare(g, w, "%s[%d]" % (where, i))
        return
    if "none" in want:
        assert got is None, where
        return
    a = np.asarray(got)
    assert list(a.shape) == want["shape"], where
    if want["dtype"] == "string":
        vals = [x.decode() if isinstance(x, bytes) else str(x) for x in a.ravel().tolist()]
        assert vals == want["value"], where
        return
    assert a.dtype.name == want["dtype"], where
    np.testing.assert_array_equal(a.ravel(), np.array(want["value"], dtype=a.dtype), err_msg=where)


def test_every_case_has_golden_data():
    assert sorted(misuse_cases.CASES) == sorted(GOLDEN)


@pytest.mark.parametrize("name", list(misuse_cases.CASES))
def test_like_tensorflow(name):
    want = GOLDEN[name]
    fn = misuse_cases.CASES[name]
    if "error" in want:
        with pytest.raises(Exception) as info:
            fn(tf, np)
        assert type(info.value).__name__ == want["error"], "%s: got %s: %s; TF: %s: %s" % (
            name, type(info.value).__name__, info.value, want["error"], want["message"])
    else:
        _compare(fn(tf, np), want, name)
