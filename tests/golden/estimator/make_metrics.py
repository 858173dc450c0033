"""Reference values for tests/test_metrics.py from real TF 1.x (tf.compat.v1 graph mode).

    /work/tf-venv/bin/python tests/golden/estimator/make_metrics.py
"""
import os

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()
rng = np.random.RandomState(0)
labels = rng.randint(0, 2, size=(2, 50)).astype(np.int64)
scores = np.clip(labels * 0.3 + rng.rand(2, 50) * 0.7, 0, 1).astype(np.float32)
weights = rng.rand(2, 50).astype(np.float32)
out = {"labels": labels, "scores": scores, "weights": weights}
with tf.Graph().as_default():
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
    names = [v.op.name for v in tf.local_variables()]
    with tf.Session() as s:
        s.run(tf.local_variables_initializer())
        for b in range(2):
            ups = s.run({k: m[1] for k, m in metrics.items()},
                        {lab: labels[b], sc: scores[b], w: weights[b]})
            for k, v in ups.items():
                out["%s_update%d" % (k, b)] = np.float32(v)
        for k, v in s.run({k: m[0] for k, m in metrics.items()}).items():
            out[k + "_value"] = np.float32(v)
out["local_variable_names"] = np.array(names)
np.savez(os.path.join(os.path.dirname(os.path.abspath(__file__)), "metrics.npz"), **out)
print(names)
