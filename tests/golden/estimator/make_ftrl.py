"""Reference values for FtrlOptimizer from real TF 1.x (tf.compat.v1 graph mode).

    /work/tf-venv/bin/python tests/golden/estimator/make_ftrl.py
"""
import os

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()
rng = np.random.RandomState(0)
x0 = rng.randn(4, 3).astype(np.float32)
out = {"x0": x0}
configs = {"default": {}, "l1l2": dict(l1_regularization_strength=0.05, l2_regularization_strength=0.1),
           "power": dict(learning_rate_power=-0.3, l2_shrinkage_regularization_strength=0.01)}
for key, kw in configs.items():
    with tf.Graph().as_default():
        v = tf.Variable(x0, name="v")
        loss = tf.reduce_sum(tf.square(v - 1.0) * tf.constant(np.arange(12, dtype=np.float32).reshape(4, 3)))
        opt = tf.train.FtrlOptimizer(0.3, **kw)
        train = opt.minimize(loss)
        out["slot_names"] = np.array(sorted(x.op.name for x in tf.global_variables()))
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            for i in range(5):
                s.run(train)
            out[key] = s.run(v)
            out[key + "_accum"] = s.run(opt.get_slot(v, "accum"))
            out[key + "_linear"] = s.run(opt.get_slot(v, "linear"))
np.savez(os.path.join(os.path.dirname(os.path.abspath(__file__)), "ftrl.npz"), **out)
print(out["slot_names"])
