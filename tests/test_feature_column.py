"""tf.feature_column: dense outputs of input_layer and linear_model against numpy."""
import numpy as np
import pytest

import tinygraph as tf


def _features():
    return {"x": tf.constant([[1., 2.], [3., 4.], [5., 6.]]), "cat": tf.constant([0, 3, 9]),
            "s": tf.constant(["a", "b", "z"]), "v": tf.constant([-1., 0.5, 3.]),
            "multi": tf.constant([[0, 1], [2, -1], [-1, -1]])}


def test_input_layer_columns_sorted_by_name_with_tf_variable_names():
    tf.reset_default_graph()
    cat = tf.feature_column.categorical_column_with_identity("cat", 4)
    multi = tf.feature_column.categorical_column_with_identity("multi", 3)
    cols = [tf.feature_column.numeric_column("x", shape=(2,)),
            tf.feature_column.indicator_column(cat),
            tf.feature_column.embedding_column(cat, 3),
            tf.feature_column.embedding_column(multi, 2, combiner="sum"),
            tf.feature_column.indicator_column(
                tf.feature_column.categorical_column_with_vocabulary_list("s", ["a", "b"])),
            tf.feature_column.bucketized_column(tf.feature_column.numeric_column("v"), [0., 1.])]
    out = tf.feature_column.input_layer(_features(), cols)
    names = [v.op.name for v in tf.global_variables()]
    assert names == ["input_layer/cat_embedding/embedding_weights",
                     "input_layer/multi_embedding/embedding_weights"]
    assert out.shape.as_list() == [3, 3 + 4 + 2 + 2 + 3 + 2]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got, emb, memb = sess.run([out] + tf.global_variables())
    cat_ids = np.array([0, 3, -1])  # 9 is out of range: no id
    exp_emb = np.stack([emb[i] if i >= 0 else np.zeros(3) for i in cat_ids])
    exp_ind = np.stack([np.eye(4)[i] if i >= 0 else np.zeros(4) for i in cat_ids])
    exp_multi = np.stack([memb[0] + memb[1], memb[2], np.zeros(2)])
    exp_s = np.array([[1, 0], [0, 1], [0, 0]])
    exp_v = np.eye(3)[[0, 1, 2]]  # -1 < 0, 0 <= 0.5 < 1, 3 >= 1
    exp_x = np.array([[1., 2.], [3., 4.], [5., 6.]])
    expect = np.concatenate([exp_emb, exp_ind, exp_multi, exp_s, exp_v, exp_x], 1)
    np.testing.assert_allclose(got, expect, rtol=1e-6)
    assert np.all(np.abs(emb) <= 2 / np.sqrt(3) + 1e-6)  # truncated normal, stddev 1/sqrt(3)


def test_linear_model_weights_and_value():
    tf.reset_default_graph()
    cat = tf.feature_column.categorical_column_with_identity("cat", 4)
    out = tf.feature_column.linear_model(_features(), [tf.feature_column.numeric_column("x", shape=(2,)), cat],
                                         units=2)
    names = [v.op.name for v in tf.global_variables()]
    assert names == ["linear_model/cat/weights", "linear_model/x/weights", "linear_model/bias_weights"]
    wc, wx, b = tf.global_variables()
    rng = np.random.RandomState(0)
    vals = [rng.randn(4, 2), rng.randn(2, 2), rng.randn(2)]
    with tf.Session() as sess:
        for var, val in zip((wc, wx, b), vals):
            sess.run(var.assign(val.astype(np.float32)))
        got = sess.run(out)
    x = np.array([[1., 2.], [3., 4.], [5., 6.]])
    cat_rows = np.stack([vals[0][0], vals[0][3], np.zeros(2)])
    np.testing.assert_allclose(got, x @ vals[1] + cat_rows + vals[2], rtol=1e-5)


def test_numeric_column_shape_normalizer_and_errors():
    tf.reset_default_graph()
    col = tf.feature_column.numeric_column("v", normalizer_fn=lambda t: t * 2.0)
    out = tf.feature_column.input_layer({"v": tf.constant([1, 2, 3])}, [col])
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(out), [[2.], [4.], [6.]])
    with pytest.raises(ValueError, match="key must be a string"):
        tf.feature_column.numeric_column(3)
    with pytest.raises(ValueError, match="dtype must be convertible to float"):
        tf.feature_column.numeric_column("a", dtype=tf.string)
    with pytest.raises(ValueError, match="Feature x is not in features dictionary"):
        tf.feature_column.input_layer({"v": tf.constant([1.0])}, [tf.feature_column.numeric_column("x")])
    with pytest.raises(ValueError, match="has shape"):
        tf.feature_column.input_layer({"x": tf.zeros([4, 3])}, [tf.feature_column.numeric_column("x", shape=(2,))])
    with pytest.raises(ValueError, match="must be a _DenseColumn"):
        tf.feature_column.input_layer({"c": tf.constant([1])},
                                      [tf.feature_column.categorical_column_with_identity("c", 3)])
    with pytest.raises(ValueError, match="boundaries must be a sorted list"):
        tf.feature_column.bucketized_column(tf.feature_column.numeric_column("v"), [1., 0.])
    with pytest.raises(ValueError, match="combiner must be one of"):
        tf.feature_column.embedding_column(tf.feature_column.categorical_column_with_identity("c", 3), 2,
                                           combiner="max")
