"""Reference data for tests/test_canned.py from real TF 1.x canned estimators.

    /work/tf-venv/bin/python tests/golden/estimator/make_canned.py

Linear models start from zeros and FTRL is deterministic, so with unshuffled input the
trained weights, the evaluation metrics and the predictions are compared exactly. For
DNNs (random initial weights) the variable names and shapes and the metric and
prediction keys are recorded.
"""
import json
import os
import tempfile

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()
tf.logging.set_verbosity(tf.logging.ERROR)
HERE = os.path.dirname(os.path.abspath(__file__))

rng = np.random.RandomState(0)
N = 120
x = rng.randn(N, 2).astype(np.float32)
cat = rng.randint(0, 4, size=N).astype(np.int64)
y_bin = ((x[:, 0] - x[:, 1] + 0.5 * (cat == 2)) > 0).astype(np.int64)
y_multi = (np.argmax(np.stack([x[:, 0], x[:, 1], 0.3 + 0 * x[:, 0]], 1), 1)).astype(np.int64)
y_reg = (2.0 * x[:, 0] - x[:, 1] + 0.5 * cat).astype(np.float32)
features = {"x": x, "cat": cat}


def columns():
    return [tf.feature_column.numeric_column("x", shape=(2,)),
            tf.feature_column.categorical_column_with_identity("cat", 4)]


def dnn_columns():
    c = tf.feature_column.categorical_column_with_identity("cat", 4)
    return [tf.feature_column.numeric_column("x", shape=(2,)), tf.feature_column.indicator_column(c),
            tf.feature_column.embedding_column(c, 3)]


def fn(y, epochs=1, batch=30):
    return tf.estimator.inputs.numpy_input_fn(features, y, batch_size=batch, num_epochs=epochs,
                                              shuffle=False)


out, meta = {"x": x, "cat": cat, "y_bin": y_bin, "y_multi": y_multi, "y_reg": y_reg}, {}
cases = {
    "linear_bin": (lambda d: tf.estimator.LinearClassifier(columns(), model_dir=d), y_bin),
    "linear_multi": (lambda d: tf.estimator.LinearClassifier(columns(), model_dir=d, n_classes=3), y_multi),
    "linear_reg": (lambda d: tf.estimator.LinearRegressor(columns(), model_dir=d), y_reg),
    "dnn_bin": (lambda d: tf.estimator.DNNClassifier([5, 4], dnn_columns(), model_dir=d), y_bin),
    "dnn_multi": (lambda d: tf.estimator.DNNClassifier([5], dnn_columns(), model_dir=d, n_classes=3), y_multi),
    "dnn_reg": (lambda d: tf.estimator.DNNRegressor([5], dnn_columns(), model_dir=d), y_reg),
}
for key, (make, y) in cases.items():
    est = make(tempfile.mkdtemp())
    est.train(fn(y, epochs=3))
    names = est.get_variable_names()
    meta[key] = {"variables": {n: list(est.get_variable_value(n).shape) for n in names}}
    ev = est.evaluate(fn(y))
    meta[key]["metrics"] = sorted(ev)
    preds = list(est.predict(tf.estimator.inputs.numpy_input_fn(
        {"x": x[:5], "cat": cat[:5]}, batch_size=5, shuffle=False)))
    meta[key]["predictions"] = {k: [str(v.dtype), list(v.shape)] for k, v in preds[0].items()}
    if key.startswith("linear"):
        for n in names:
            out["%s/%s" % (key, n)] = est.get_variable_value(n)
        for k, v in ev.items():
            out["%s/metric/%s" % (key, k)] = np.asarray(v)
        for k in preds[0]:
            value = np.stack([p[k] for p in preds])
            out["%s/pred/%s" % (key, k)] = value.astype("S") if value.dtype == object else value
np.savez(os.path.join(HERE, "canned.npz"), **out)
with open(os.path.join(HERE, "canned.json"), "w") as f:
    json.dump(meta, f, indent=1, sort_keys=True)
