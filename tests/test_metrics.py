"""tf.metrics: (value, update_op) pairs over local variables, against numpy and TF."""
import os

import numpy as np
import pytest

import tinygraph as tf

GOLDEN = np.load(os.path.join(os.path.dirname(__file__), "golden", "estimator", "metrics.npz"))


def _run_batches(metric_fn, batches, feeds):
    value, update = metric_fn(*feeds)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        ups = [sess.run(update, dict(zip(feeds, b))) for b in batches]
        return ups, sess.run(value)


def test_accuracy_variables_and_values():
    tf.reset_default_graph()
    labels = tf.placeholder(tf.int64, [None])
    preds = tf.placeholder(tf.int64, [None])
    acc, update = tf.metrics.accuracy(labels, preds)
    assert [v.op.name for v in tf.local_variables()] == ["accuracy/total", "accuracy/count"]
    assert tf.get_collection("metric_variables") == tf.local_variables()
    assert tf.global_variables() == []
    b1 = (np.array([0, 1, 1, 0]), np.array([0, 1, 0, 0]))
    b2 = (np.array([1, 1]), np.array([0, 1]))
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert sess.run(acc) == 0.0  # no data yet: 0, not nan
        assert sess.run(update, {labels: b1[0], preds: b1[1]}) == pytest.approx(0.75)
        assert sess.run(update, {labels: b2[0], preds: b2[1]}) == pytest.approx(4 / 6)
        assert sess.run(acc) == pytest.approx(4 / 6)
        sess.run(tf.local_variables_initializer())  # resets the state
        assert sess.run(acc) == 0.0


def test_mean_weighted_and_mse_against_numpy():
    tf.reset_default_graph()
    rng = np.random.RandomState(1)
    x = tf.placeholder(tf.float32, [None, 3])
    w = tf.placeholder(tf.float32, [None, 1])
    y = tf.placeholder(tf.float32, [None, 3])
    m, m_up = tf.metrics.mean(x, weights=w)
    mse, mse_up = tf.metrics.mean_squared_error(y, x)
    rmse, rmse_up = tf.metrics.root_mean_squared_error(y, x)
    mae, mae_up = tf.metrics.mean_absolute_error(y, x)
    assert "mean/total" in [v.op.name for v in tf.local_variables()]
    xs, ws, ys = rng.randn(2, 4, 3), rng.rand(2, 4, 1), rng.randn(2, 4, 3)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        for b in range(2):
            sess.run([m_up, mse_up, rmse_up, mae_up], {x: xs[b], w: ws[b], y: ys[b]})
        got = sess.run([m, mse, rmse, mae])
    wb = np.broadcast_to(ws, xs.shape)
    np.testing.assert_allclose(got[0], (xs * wb).sum() / wb.sum(), rtol=1e-5)
    np.testing.assert_allclose(got[1], ((ys - xs) ** 2).mean(), rtol=1e-5)
    np.testing.assert_allclose(got[2], np.sqrt(((ys - xs) ** 2).mean()), rtol=1e-5)
    np.testing.assert_allclose(got[3], np.abs(ys - xs).mean(), rtol=1e-5)


def test_precision_recall_against_numpy():
    tf.reset_default_graph()
    lab = tf.placeholder(tf.int64, [None])
    pred = tf.placeholder(tf.bool, [None])
    p, p_up = tf.metrics.precision(lab, pred)
    r, r_up = tf.metrics.recall(lab, pred)
    names = [v.op.name for v in tf.local_variables()]
    assert names == ["precision/true_positives/count", "precision/false_positives/count",
                     "recall/true_positives/count", "recall/false_negatives/count"]
    labels = np.array([1, 0, 1, 1, 0, 0, 1])
    preds = np.array([1, 1, 0, 1, 0, 1, 1], bool)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert sess.run(p) == 0.0
        sess.run([p_up, r_up], {lab: labels, pred: preds})
        tp = np.sum(labels.astype(bool) & preds)
        assert sess.run(p) == pytest.approx(tp / preds.sum())
        assert sess.run(r) == pytest.approx(tp / labels.sum())


def test_against_tf_golden():
    tf.reset_default_graph()
    lab = tf.placeholder(tf.int64, [None])
    sc = tf.placeholder(tf.float32, [None])
    w = tf.placeholder(tf.float32, [None])
    metrics = {
        "auc": tf.metrics.auc(lab, sc),
        "auc_pr": tf.metrics.auc(lab, sc, curve="PR", num_thresholds=50),
        "auc_w": tf.metrics.auc(lab, sc, weights=w),
        "precision": tf.metrics.precision(lab, sc > 0.5),
        "recall_w": tf.metrics.recall(lab, sc > 0.5, weights=w),
        "accuracy_w": tf.metrics.accuracy(lab, tf.cast(sc > 0.5, tf.int64), weights=w),
        "rmse": tf.metrics.root_mean_squared_error(tf.cast(lab, tf.float32), sc),
    }
    assert [v.op.name for v in tf.local_variables()] == list(GOLDEN["local_variable_names"])
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        for b in range(2):
            ups = sess.run({k: m[1] for k, m in metrics.items()},
                           {lab: GOLDEN["labels"][b], sc: GOLDEN["scores"][b], w: GOLDEN["weights"][b]})
            for k, v in ups.items():
                np.testing.assert_allclose(v, GOLDEN["%s_update%d" % (k, b)], rtol=1e-5, err_msg=k)
        for k, v in sess.run({k: m[0] for k, m in metrics.items()}).items():
            np.testing.assert_allclose(v, GOLDEN[k + "_value"], rtol=1e-5, err_msg=k)


def test_mismatched_shapes_raise_value_error():
    tf.reset_default_graph()
    with pytest.raises(ValueError, match="incompatible"):
        tf.metrics.accuracy(tf.zeros([4], tf.int64), tf.zeros([5], tf.int64))


def test_uninitialized_metric_raises():
    tf.reset_default_graph()
    acc, update = tf.metrics.accuracy(tf.constant([1, 0]), tf.constant([1, 1]))
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError):
            sess.run(update)
