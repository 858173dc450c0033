"""Reference data for tests/test_batch_norm.py, tests/test_learning_rate_decay.py and
tests/test_activations_tf.py, computed by real TensorFlow (2.15, tf.compat.v1 graph mode).

Run with a TensorFlow virtualenv (the tests never need TensorFlow):
    /work/tf-venv/bin/python tests/golden/make_train_golden.py
Writes tests/golden/train_reference.npz (plain arrays, no pickle).
"""
import os

import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.python.training import moving_averages

tf.disable_v2_behavior()
OUT = {}


def inputs():
    rng = np.random.RandomState(42)
    x2 = (rng.randn(6, 4) * 2 + 1).astype(np.float32)
    x4 = (rng.randn(3, 2, 2, 5) * 1.5 - 0.5).astype(np.float32)
    w = (rng.randn(4, 3) * 0.5).astype(np.float32)
    y = rng.randn(6, 3).astype(np.float32)
    return x2, x4, w, y


X2, X4, W, Y = inputs()
OUT["x2"], OUT["x4"], OUT["w"], OUT["y"] = X2, X4, W, Y


def layers_bn_training(prefix, momentum, steps=3, **bn_kwargs):
    """dense -> tf.layers.batch_normalization -> loss; GD steps with the UPDATE_OPS dependency."""
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    training = tf.placeholder_with_default(False, shape=(), name="training")
    h = tf.layers.dense(x, 3, kernel_initializer=tf.constant_initializer(W), name="hidden")
    bn = tf.layers.batch_normalization(h, training=training, momentum=momentum, **bn_kwargs)
    loss = tf.reduce_mean(tf.square(bn - Y))
    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.control_dependencies(update_ops):
        train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    grad_x = tf.gradients(loss, x)[0]
    variables = {v.name.split(":")[0].replace("/", "_"): v for v in tf.global_variables()}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        OUT[prefix + "_train_out0"] = sess.run(bn, {x: X2, training: True})
        OUT[prefix + "_infer_out0"] = sess.run(bn, {x: X2})
        OUT[prefix + "_grad_x"] = sess.run(grad_x, {x: X2, training: True})
        for i in range(steps):
            sess.run(train, {x: X2 + i, training: True})
            for k, v in variables.items():
                OUT["%s_step%d_%s" % (prefix, i, k)] = sess.run(v)
        OUT[prefix + "_infer_out_end"] = sess.run(bn, {x: X2})
    print(prefix, sorted(variables))


layers_bn_training("layers2d", momentum=0.9)
layers_bn_training("layers2d_noscale", momentum=0.99, center=True, scale=False, epsilon=0.01)


def layers_bn_4d():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 2, 2, 5])
    out = tf.layers.batch_normalization(x, training=True, momentum=0.8)
    loss = tf.reduce_sum(tf.sin(out))
    gx = tf.gradients(loss, x)[0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        o, g = sess.run([out, gx], {x: X4})
        sess.run(tf.get_collection(tf.GraphKeys.UPDATE_OPS), {x: X4})
        mm, mv = sess.run([v for v in tf.global_variables() if "moving" in v.name])
    OUT["layers4d_out"], OUT["layers4d_grad"] = o, g
    OUT["layers4d_moving_mean"], OUT["layers4d_moving_variance"] = mm, mv


layers_bn_4d()


def layers_bn_axis1():
    tf.reset_default_graph()
    x = tf.constant(X4.transpose(0, 3, 1, 2).reshape(3, 5, 4)[:, :, :3])  # rank 3, axis=1
    out = tf.layers.batch_normalization(x, axis=1, training=True, momentum=0.5)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        OUT["axis1_x"] = sess.run(x)
        OUT["axis1_out"] = sess.run(out)
        sess.run(tf.get_collection(tf.GraphKeys.UPDATE_OPS))
        OUT["axis1_moving_mean"], OUT["axis1_moving_variance"] = sess.run(
            [v for v in tf.global_variables() if "moving" in v.name])


layers_bn_axis1()


def contrib_bn_2d(prefix, decay, scale, steps=3):
    """tf.contrib.layers.batch_norm on a rank-2 input, as TF 1.15's contrib runs it:
    `_fused_batch_norm` (fused=None means True): reshape to [-1, 1, 1, C], FusedBatchNorm
    (whose batch variance is Bessel-corrected), assign_moving_average(decay, zero_debias=False)
    of moving_mean / moving_variance put in UPDATE_OPS. TF 2.15 has no contrib, so this
    rebuilds that function from the same TF ops."""
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    h = tf.layers.dense(x, 3, kernel_initializer=tf.constant_initializer(W), name="hidden")
    with tf.variable_scope("BatchNorm"):
        beta = tf.get_variable("beta", [3], initializer=tf.zeros_initializer())
        gamma = (tf.get_variable("gamma", [3], initializer=tf.ones_initializer())
                 if scale else tf.constant(1.0, shape=[3]))
        mm = tf.get_variable("moving_mean", [3], initializer=tf.zeros_initializer(), trainable=False)
        mv = tf.get_variable("moving_variance", [3], initializer=tf.ones_initializer(), trainable=False)
        h4 = tf.reshape(h, [-1, 1, 1, 3])
        out4, mean, var = tf.nn.fused_batch_norm(h4, gamma, beta, epsilon=0.001)
        um = moving_averages.assign_moving_average(mm, mean, decay, zero_debias=False)
        uv = moving_averages.assign_moving_average(mv, var, decay, zero_debias=False)
        out = tf.reshape(out4, tf.shape(h))
        infer4, _, _ = tf.nn.fused_batch_norm(h4, gamma, beta, mean=mm, variance=mv, epsilon=0.001,
                                              is_training=False)
        infer = tf.reshape(infer4, tf.shape(h))
    loss = tf.reduce_mean(tf.square(out - Y))
    with tf.control_dependencies([um, uv]):
        train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    grad_x = tf.gradients(loss, x)[0]
    variables = {v.name.split(":")[0].replace("/", "_"): v for v in tf.global_variables()}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        OUT[prefix + "_train_out0"] = sess.run(out, {x: X2})
        OUT[prefix + "_grad_x"] = sess.run(grad_x, {x: X2})
        for i in range(steps):
            sess.run(train, {x: X2 + i})
            for k, v in variables.items():
                OUT["%s_step%d_%s" % (prefix, i, k)] = sess.run(v)
        OUT[prefix + "_infer_out_end"] = sess.run(infer, {x: X2})
    print(prefix, sorted(variables))


contrib_bn_2d("contrib2d", decay=0.999, scale=False)
contrib_bn_2d("contrib2d_scale", decay=0.9, scale=True)


def schedules():
    tf.reset_default_graph()
    step = tf.placeholder(tf.int64, [], name="step")
    rates = {
        "exp": tf.train.exponential_decay(0.1, step, 10, 0.5),
        "exp_stair": tf.train.exponential_decay(0.1, step, 10, 0.5, staircase=True),
        "inv": tf.train.inverse_time_decay(0.1, step, 10, 0.5),
        "inv_stair": tf.train.inverse_time_decay(0.1, step, 10, 0.5, staircase=True),
        "nat": tf.train.natural_exp_decay(0.1, step, 10, 0.5),
        "nat_stair": tf.train.natural_exp_decay(0.1, step, 10, 0.5, staircase=True),
        "poly": tf.train.polynomial_decay(0.1, step, 30, 0.001, power=2.0),
        "poly_lin": tf.train.polynomial_decay(0.1, step, 30),
        "poly_cycle": tf.train.polynomial_decay(0.1, step, 15, 0.01, power=0.5, cycle=True),
        "piece": tf.train.piecewise_constant(step, [tf.constant(5, tf.int64), tf.constant(20, tf.int64)],
                                             [1.0, 0.5, 0.1]),
        "cos": tf.train.cosine_decay(0.1, step, 30),
        "cos_alpha": tf.train.cosine_decay(0.1, step, 30, alpha=0.2),
    }
    steps = np.array([0, 1, 4, 5, 6, 9, 10, 11, 15, 16, 19, 20, 21, 29, 30, 31, 45, 100])
    OUT["lr_steps"] = steps
    with tf.Session() as sess:
        for k, r in rates.items():
            OUT["lr_" + k] = np.array([sess.run(r, {step: s}) for s in steps])
            OUT["lr_dtype_" + k] = np.array(r.dtype.name)
            OUT["lr_name_" + k] = np.array(r.name)


schedules()


def activations():
    tf.reset_default_graph()
    x = np.linspace(-3, 3, 13).astype(np.float32)
    t = tf.constant(x)
    with tf.Session() as sess:
        OUT["act_x"] = x
        OUT["act_elu"] = sess.run(tf.nn.elu(t))
        OUT["act_selu"] = sess.run(tf.nn.selu(t))
        OUT["act_leaky"] = sess.run(tf.nn.leaky_relu(t))
        OUT["act_leaky01"] = sess.run(tf.nn.leaky_relu(t, alpha=0.01))


activations()

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "train_reference.npz")
np.savez(path, **OUT)
print("wrote", path, len(OUT), "arrays")
