"""Runs tests/golden/misuse/misuse_cases.py with real TensorFlow and writes misuse.json.

    /work/tf-venv/bin/python tests/golden/misuse/make_misuse.py

Each entry: {"error": class name, "message": text} or {"value": nested lists,
"dtype": ..., "shape": ...} (lists of fetches become lists of such entries).
TF 2.x returns 0-d arrays where TF 1.x returned numpy scalars; both are stored as
shape [] values.
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tensorflow.compat.v1 as tf  # noqa: E402

tf.disable_eager_execution()
tf.logging.set_verbosity(tf.logging.ERROR)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import misuse_cases  # noqa: E402


def encode(v):
    if isinstance(v, (list, tuple)):
        return {"list": [encode(x) for x in v]}
    if v is None:
        return {"none": True}
    a = np.asarray(v)
    if a.dtype.kind in "OSU":
        vals = [x.decode() if isinstance(x, bytes) else str(x) for x in a.ravel().tolist()]
        return {"value": vals, "dtype": "string", "shape": list(a.shape)}
    return {"value": a.ravel().tolist(), "dtype": a.dtype.name, "shape": list(a.shape)}


def main():
    out = {}
    for name, fn in misuse_cases.CASES.items():
        tf.reset_default_graph()
        try:
            out[name] = encode(fn(tf, np))
        except Exception as e:  # noqa: BLE001 - what TF raised is the data
            out[name] = {"error": type(e).__name__, "message": str(e).split("\n")[0][:400]}
        print(name, out[name].get("error", "ok"))
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "misuse.json")
    with open(path, "w") as f:
        json.dump({"tensorflow": tf.__version__ if hasattr(tf, "__version__") else "?",
                   "numpy": np.__version__, "cases": out}, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
