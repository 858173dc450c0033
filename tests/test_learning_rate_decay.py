"""tf.train learning-rate schedules against TF 2.15's tf.compat.v1 values
(tests/golden/make_train_golden.py)."""
import os

import numpy as np
import pytest

import tinygraph as tf

G = np.load(os.path.join(os.path.dirname(__file__), "golden", "train_reference.npz"))


def _schedules(step):
    return {
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


@pytest.mark.parametrize("key", sorted(k[3:] for k in G.files if k.startswith("lr_") and
                                       not k.startswith(("lr_name", "lr_dtype", "lr_steps"))))
def test_schedule_values_match_tensorflow(key):
    step = tf.placeholder(tf.int64, [], name="step")
    rate = _schedules(step)[key]
    assert rate.dtype.name == str(G["lr_dtype_" + key]) and rate.shape.as_list() == []
    with tf.Session() as sess:
        got = np.array([sess.run(rate, {step: s}) for s in G["lr_steps"]])
    np.testing.assert_allclose(got, G["lr_" + key], rtol=2e-6, atol=1e-8)


def test_schedule_names_as_tf():
    step = tf.placeholder(tf.int64, [], name="step")
    rates = _schedules(step)
    for key in ("exp", "exp_stair", "inv", "inv_stair", "poly", "poly_lin", "poly_cycle"):
        assert rates[key].name == str(G["lr_name_" + key])
    assert rates["nat"].name == "NaturalExpDecay:0"  # TF 1.x's name scope
    assert rates["piece"].name.startswith("PiecewiseConstant")


def test_schedule_drives_an_optimizer_with_the_global_step():
    global_step = tf.Variable(0, trainable=False, name="global_step")
    lr = tf.train.exponential_decay(0.1, global_step, 2, 0.1, staircase=True)
    w = tf.Variable(0.0)
    train = tf.train.GradientDescentOptimizer(lr).minimize(-w, global_step=global_step)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(4):
            sess.run(train)
        # steps 0, 1 at 0.1; steps 2, 3 at 0.01
        np.testing.assert_allclose(sess.run(w), 0.22, rtol=1e-6)
        assert sess.run(global_step) == 4


def test_schedule_errors():
    with pytest.raises(ValueError, match="global_step is required"):
        tf.train.exponential_decay(0.1, None, 10, 0.5)
    with pytest.raises(ValueError, match="global_step is required"):
        tf.train.polynomial_decay(0.1, None, 10)
    with pytest.raises(ValueError, match="1 less than the length of values"):
        tf.train.piecewise_constant(tf.constant(1), [1, 2], [0.1, 0.2])
    with pytest.raises(ValueError, match="same dtype"):
        tf.train.piecewise_constant(tf.constant(1), [1], [0.1, 2])
