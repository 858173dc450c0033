"""Canned estimators against real TF 1.x (tests/golden/estimator/make_canned.py).

Linear models start from zeros and FTRL is deterministic: trained weights, metrics and
predictions must match TF's. DNNs: TF's variable names and shapes, metric and
prediction keys, and they learn.
"""
import json
import os

import numpy as np
import pytest

import tinygraph as tf

HERE = os.path.join(os.path.dirname(__file__), "golden", "estimator")
G = np.load(os.path.join(HERE, "canned.npz"))
META = json.load(open(os.path.join(HERE, "canned.json")))
FEATURES = {"x": G["x"], "cat": G["cat"]}


def columns():
    return [tf.feature_column.numeric_column("x", shape=(2,)),
            tf.feature_column.categorical_column_with_identity("cat", 4)]


def dnn_columns():
    c = tf.feature_column.categorical_column_with_identity("cat", 4)
    return [tf.feature_column.numeric_column("x", shape=(2,)), tf.feature_column.indicator_column(c),
            tf.feature_column.embedding_column(c, 3)]


def fn(y, epochs=1, batch=30):
    return tf.estimator.inputs.numpy_input_fn(FEATURES, y, batch_size=batch, num_epochs=epochs,
                                              shuffle=False)


CASES = {
    "linear_bin": (lambda d: tf.estimator.LinearClassifier(columns(), model_dir=d), "y_bin"),
    "linear_multi": (lambda d: tf.estimator.LinearClassifier(columns(), model_dir=d, n_classes=3), "y_multi"),
    "linear_reg": (lambda d: tf.estimator.LinearRegressor(columns(), model_dir=d), "y_reg"),
    "dnn_bin": (lambda d: tf.estimator.DNNClassifier([5, 4], dnn_columns(), model_dir=d), "y_bin"),
    "dnn_multi": (lambda d: tf.estimator.DNNClassifier([5], dnn_columns(), model_dir=d, n_classes=3), "y_multi"),
    "dnn_reg": (lambda d: tf.estimator.DNNRegressor([5], dnn_columns(), model_dir=d), "y_reg"),
}


def _model_variables(variables):
    # TF's optimizer slots of partitioned variables read ".../part_0/Ftrl", ".../t_0/Adagrad";
    # tinygraph's slots are "<var>/Ftrl", "<var>/Adagrad": compare the model's own variables.
    return {n: s for n, s in variables.items() if not n.endswith(("Ftrl", "Ftrl_1", "Adagrad"))}


@pytest.mark.parametrize("key", sorted(CASES))
def test_canned_estimator_matches_tf(key, tmp_path):
    make, ykey = CASES[key]
    y = G[ykey]
    est = make(str(tmp_path))
    est.train(fn(y, epochs=3))
    names = est.get_variable_names()
    got = {n: list(est.get_variable_value(n).shape) for n in names}
    assert _model_variables(got) == _model_variables(META[key]["variables"])
    ev = est.evaluate(fn(y))
    assert sorted(ev) == META[key]["metrics"]
    preds = list(est.predict(tf.estimator.inputs.numpy_input_fn(
        {"x": G["x"][:5], "cat": G["cat"][:5]}, batch_size=5, shuffle=False)))
    assert len(preds) == 5
    shapes = {k: list(np.shape(v)) for k, v in preds[0].items()}
    assert shapes == {k: v[1] for k, v in META[key]["predictions"].items()}
    if key.startswith("linear"):
        for n in names:
            if n in _model_variables(got):
                np.testing.assert_allclose(est.get_variable_value(n), G["%s/%s" % (key, n)],
                                           rtol=2e-4, atol=1e-5, err_msg=n)
        for k, v in ev.items():
            np.testing.assert_allclose(v, G["%s/metric/%s" % (key, k)], rtol=2e-4, atol=1e-5, err_msg=k)
        for k in preds[0]:
            ref = G["%s/pred/%s" % (key, k)]
            mine = np.stack([p[k] for p in preds])
            if ref.dtype.kind == "S":
                assert mine.astype("S").tolist() == ref.tolist(), k
            else:
                np.testing.assert_allclose(mine, ref, rtol=2e-4, atol=1e-5, err_msg=k)


def _separable(n=400, seed=0):
    rng = np.random.RandomState(seed)
    x = rng.randn(n, 2).astype(np.float32)
    return x, (x[:, 0] + 2 * x[:, 1] > 0).astype(np.int64)


@pytest.mark.parametrize("make", [
    lambda d: tf.estimator.DNNClassifier([8], [tf.feature_column.numeric_column("x", shape=(2,))],
                                         model_dir=d, optimizer="Adam",
                                         config=tf.estimator.RunConfig(tf_random_seed=3)),
    lambda d: tf.estimator.LinearClassifier([tf.feature_column.numeric_column("x", shape=(2,))],
                                            model_dir=d),
], ids=["dnn", "linear"])
def test_canned_classifiers_learn(make, tmp_path):
    x, y = _separable()
    est = make(str(tmp_path))
    est.train(tf.estimator.inputs.numpy_input_fn({"x": x}, y, batch_size=32, num_epochs=None,
                                                 shuffle=True), steps=150)
    ev = est.evaluate(tf.estimator.inputs.numpy_input_fn({"x": x}, y, batch_size=100, shuffle=False))
    assert ev["accuracy"] > 0.9 and ev["global_step"] == 150
    preds = list(est.predict(tf.estimator.inputs.numpy_input_fn({"x": x[:50]}, shuffle=False)))
    acc = np.mean([p["class_ids"][0] for p in preds] == y[:50])
    assert acc > 0.85


def test_dnn_regressor_learns(tmp_path):
    rng = np.random.RandomState(1)
    x = rng.randn(300, 2).astype(np.float32)
    y = (x[:, 0] - 0.5 * x[:, 1]).astype(np.float32)
    est = tf.estimator.DNNRegressor([10], [tf.feature_column.numeric_column("x", shape=(2,))],
                                    model_dir=str(tmp_path), optimizer="Adam",
                                    config=tf.estimator.RunConfig(tf_random_seed=0))
    base = est.evaluate(tf.estimator.inputs.numpy_input_fn({"x": x}, y, batch_size=100, shuffle=False))
    est.train(tf.estimator.inputs.numpy_input_fn({"x": x}, y, batch_size=32, num_epochs=None,
                                                 shuffle=True), steps=200)
    ev = est.evaluate(tf.estimator.inputs.numpy_input_fn({"x": x}, y, batch_size=100, shuffle=False))
    assert ev["average_loss"] < 0.1 < base["average_loss"]


def test_canned_bad_input(tmp_path):
    with pytest.raises(ValueError, match="n_classes must be >= 2"):
        tf.estimator.DNNClassifier([4], [tf.feature_column.numeric_column("x")], n_classes=1)
    est = tf.estimator.LinearClassifier([tf.feature_column.numeric_column("x")], model_dir=str(tmp_path))
    with pytest.raises(ValueError, match="Feature x is not in features dictionary"):
        est.train(tf.estimator.inputs.numpy_input_fn({"z": np.zeros(4, np.float32)}, np.zeros(4, np.int64),
                                                     shuffle=False), steps=1)
    with pytest.raises(ValueError, match="Mismatched label shape"):
        est.train(tf.estimator.inputs.numpy_input_fn({"x": np.zeros(4, np.float32)},
                                                     np.zeros((4, 2), np.int64), shuffle=False), steps=1)
