"""tf.estimator.Estimator with a custom model_fn; numpy_input_fn; RunConfig; EstimatorSpec."""
import os

import numpy as np
import pytest

import tinygraph as tf

RNG = np.random.RandomState(0)
X = RNG.randn(200, 2).astype(np.float32)
Y = (X[:, 0] + X[:, 1] > 0).astype(np.int32)


def model_fn(features, labels, mode, params):
    logits = tf.layers.dense(features["x"], 2)
    preds = tf.argmax(logits, 1, output_type=tf.int32)
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions={"class": preds, "logits": logits})
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    train_op = tf.train.GradientDescentOptimizer(params["lr"]).minimize(
        loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op,
                                      eval_metric_ops={"accuracy": tf.metrics.accuracy(labels, preds)})


def train_fn(batch_size=32):
    return tf.estimator.inputs.numpy_input_fn({"x": X}, Y, batch_size=batch_size, num_epochs=None,
                                              shuffle=True)


def eval_fn():
    return tf.estimator.inputs.numpy_input_fn({"x": X}, Y, batch_size=64, shuffle=False)


def test_train_evaluate_resume_predict(tmp_path):
    model_dir = str(tmp_path)
    est = tf.estimator.Estimator(model_fn, model_dir=model_dir, params={"lr": 0.5},
                                 config=tf.estimator.RunConfig(tf_random_seed=1))
    assert est.latest_checkpoint() is None
    before = est.evaluate(eval_fn())  # no checkpoint: the initialised model, as TF 1.x
    assert before["global_step"] == 0
    est.train(train_fn(), steps=30)
    assert est.latest_checkpoint().endswith("model.ckpt-30")
    result = est.evaluate(eval_fn())
    assert set(result) == {"accuracy", "loss", "global_step"}
    assert result["global_step"] == 30
    assert result["accuracy"] > 0.9
    # loss is the mean over batches of the batch losses: check against the checkpoint's weights
    w, b = est.get_variable_value("dense/kernel"), est.get_variable_value("dense/bias")
    logits = X @ w + b
    ce = np.log(np.exp(logits).sum(1)) - logits[np.arange(len(Y)), Y]
    batch_means = [ce[i:i + 64].mean() for i in range(0, 200, 64)]
    np.testing.assert_allclose(result["loss"], np.mean(batch_means), rtol=1e-4)
    np.testing.assert_allclose(result["accuracy"], np.mean(logits.argmax(1) == Y), rtol=1e-6)
    # a later train resumes: the global step continues
    est.train(train_fn(), steps=10)
    assert est.latest_checkpoint().endswith("model.ckpt-40")
    assert est.get_variable_value("global_step") == 40
    assert est.get_variable_names() == ["dense/bias", "dense/kernel", "global_step"]
    est.train(train_fn(), max_steps=40)  # already there: no-op
    assert est.get_variable_value("global_step") == 40
    est.train(train_fn(), max_steps=45)
    assert est.get_variable_value("global_step") == 45
    preds = list(est.predict(tf.estimator.inputs.numpy_input_fn({"x": X[:70]}, shuffle=False)))
    assert len(preds) == 70 and set(preds[0]) == {"class", "logits"}
    logits = X[:70] @ est.get_variable_value("dense/kernel") + est.get_variable_value("dense/bias")
    np.testing.assert_allclose(np.stack([p["logits"] for p in preds]), logits, rtol=1e-5, atol=1e-6)
    only = next(est.predict(tf.estimator.inputs.numpy_input_fn({"x": X[:3]}, shuffle=False),
                            predict_keys=["class"]))
    assert set(only) == {"class"}
    batches = list(est.predict(tf.estimator.inputs.numpy_input_fn({"x": X[:70]}, batch_size=32,
                                                                  shuffle=False),
                               yield_single_examples=False))
    assert [len(b["class"]) for b in batches] == [32, 32, 6]
    # checkpoints and summaries in model_dir, eval summaries in model_dir/eval
    files = os.listdir(model_dir)
    assert "checkpoint" in files and any(f.startswith("events.out") for f in files)
    assert any(f.startswith("events.out") for f in os.listdir(os.path.join(model_dir, "eval")))


def test_input_fn_may_return_a_dataset_and_model_fn_signature_is_inspected(tmp_path):
    seen = {}

    def my_model(features, labels, config):  # no mode, no params
        seen["config"] = config
        w = tf.get_variable("w", [2, 1], initializer=tf.zeros_initializer())
        pred = tf.squeeze(tf.matmul(features, w), 1)
        loss = tf.reduce_mean(tf.square(pred - labels))
        train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss, tf.train.get_global_step())
        return tf.estimator.EstimatorSpec(tf.estimator.ModeKeys.TRAIN, loss=loss, train_op=train_op)

    def input_fn(mode, params, config):  # input_fn's arguments are inspected too
        seen["input_fn"] = (mode, params, config.model_dir)
        target = X @ np.array([1.0, -2.0], np.float32)
        return tf.data.Dataset.from_tensor_slices((X, target)).batch(50)

    est = tf.estimator.Estimator(my_model, model_dir=str(tmp_path))
    est.train(input_fn)  # until the dataset ends: 4 batches
    assert est.get_variable_value("global_step") == 4
    assert seen["config"].model_dir == str(tmp_path)
    assert seen["input_fn"] == ("train", {}, str(tmp_path))
    est.train(input_fn, steps=2)
    assert est.get_variable_value("global_step") == 6


def test_model_fn_argument_errors():
    def no_features(x, labels):
        pass

    with pytest.raises(ValueError, match="must include features argument"):
        tf.estimator.Estimator(no_features)

    def no_params(features, labels, mode):
        pass

    with pytest.raises(ValueError, match="does not include params argument"):
        tf.estimator.Estimator(no_params, params={"a": 1})

    def odd(features, labels, mode, foo):
        pass

    with pytest.raises(ValueError, match="not expected args"):
        tf.estimator.Estimator(odd)


def test_bad_input_structure(tmp_path):
    est = tf.estimator.Estimator(model_fn, model_dir=str(tmp_path), params={"lr": 0.1})
    with pytest.raises(ValueError, match="len 2 tuple"):
        est.train(lambda: ({"x": tf.constant(X)}, tf.constant(Y), tf.constant(Y)), steps=1)
    # labels of a batch size that does not match the features'
    with pytest.raises(ValueError):
        est.train(lambda: ({"x": tf.constant(X)}, tf.constant(Y[:10])), steps=1)
    with pytest.raises(ValueError, match="Length of tensors in x and y is mismatched"):
        est.train(tf.estimator.inputs.numpy_input_fn({"x": X}, Y[:10], shuffle=False), steps=1)

    def no_labels_model(features, mode):
        pass

    with pytest.raises(ValueError, match="model_fn does not take labels"):
        tf.estimator.Estimator(no_labels_model, model_dir=str(tmp_path)).train(eval_fn(), steps=1)
    with pytest.raises(ValueError, match="Can not provide both steps and max_steps"):
        est.train(train_fn(), steps=1, max_steps=2)
    with pytest.raises(ValueError, match="Must specify steps > 0"):
        est.train(train_fn(), steps=0)
    assert est.latest_checkpoint() is None  # nothing was trained


def test_estimator_spec_validation():
    with tf.Graph().as_default():
        loss = tf.constant(1.0)
        with pytest.raises(ValueError, match="Missing train_op"):
            tf.estimator.EstimatorSpec(tf.estimator.ModeKeys.TRAIN, loss=loss)
        with pytest.raises(ValueError, match="Missing loss"):
            tf.estimator.EstimatorSpec(tf.estimator.ModeKeys.EVAL)
        with pytest.raises(ValueError, match="Missing predictions"):
            tf.estimator.EstimatorSpec(tf.estimator.ModeKeys.PREDICT)
        with pytest.raises(ValueError, match="Loss must be scalar"):
            tf.estimator.EstimatorSpec(tf.estimator.ModeKeys.EVAL, loss=tf.constant([1.0, 2.0]))
        with pytest.raises(TypeError, match="eval_metric_ops"):
            tf.estimator.EstimatorSpec(tf.estimator.ModeKeys.EVAL, loss=loss,
                                       eval_metric_ops={"m": loss})
        spec = tf.estimator.EstimatorSpec("eval", loss=loss, export_outputs={"a": None})
        assert spec.predictions == {} and spec.eval_metric_ops == {}
    assert (tf.estimator.ModeKeys.TRAIN, tf.estimator.ModeKeys.EVAL,
            tf.estimator.ModeKeys.PREDICT) == ("train", "eval", "infer")


def test_evaluate_steps_and_loss_metric_conflict(tmp_path):
    est = tf.estimator.Estimator(model_fn, model_dir=str(tmp_path), params={"lr": 0.5})
    est.train(train_fn(), steps=5)
    r = est.evaluate(tf.estimator.inputs.numpy_input_fn({"x": X}, Y, batch_size=10, shuffle=False),
                     steps=3, name="three")
    assert r["global_step"] == 5
    assert os.path.isdir(os.path.join(str(tmp_path), "eval_three"))

    def loss_metric_model(features, labels, mode):
        loss = tf.reduce_mean(features["x"])
        return tf.estimator.EstimatorSpec(mode, loss=loss, eval_metric_ops={"loss": tf.metrics.mean(loss)})

    with pytest.raises(ValueError, match='Metric with name "loss" is not allowed'):
        tf.estimator.Estimator(loss_metric_model, model_dir=str(tmp_path)).evaluate(eval_fn())


def test_run_config():
    with pytest.raises(ValueError, match="Can not specify both"):
        tf.estimator.RunConfig(save_checkpoints_steps=1, save_checkpoints_secs=1)
    c = tf.estimator.RunConfig()
    assert (c.save_checkpoints_secs, c.save_checkpoints_steps, c.save_summary_steps,
            c.keep_checkpoint_max, c.log_step_count_steps) == (600, None, 100, 5, 100)
    c2 = c.replace(save_checkpoints_steps=10)
    assert (c2.save_checkpoints_secs, c2.save_checkpoints_steps) == (None, 10)
    with pytest.raises(ValueError, match="different values"):
        tf.estimator.Estimator(model_fn, model_dir="/tmp/a", config=tf.estimator.RunConfig(model_dir="/tmp/b"),
                               params={"lr": 1.0})


def test_save_checkpoints_steps_and_keep_max(tmp_path):
    est = tf.estimator.Estimator(model_fn, params={"lr": 0.1}, config=tf.estimator.RunConfig(
        model_dir=str(tmp_path), save_checkpoints_steps=3, keep_checkpoint_max=2))
    est.train(train_fn(), steps=10)
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert [os.path.basename(p) for p in state.all_model_checkpoint_paths] == ["model.ckpt-9",
                                                                             "model.ckpt-10"]


def test_numpy_input_fn_batches_epochs_and_errors():
    with pytest.raises(ValueError, match="shuffle must be provided explicitly"):
        tf.estimator.inputs.numpy_input_fn({"x": X}, Y)
    tf.reset_default_graph()
    features, labels = tf.estimator.inputs.numpy_input_fn(
        {"a": np.arange(10), "b": np.arange(10) * 2.0}, np.arange(10) * 3, batch_size=4,
        num_epochs=2, shuffle=False)()
    assert sorted(features) == ["a", "b"]
    got = []
    with tf.train.MonitoredSession() as sess:
        while not sess.should_stop():
            f, l = sess.run([features, labels], options=tf.RunOptions(timeout_in_ms=20000))
            np.testing.assert_array_equal(f["b"], f["a"] * 2.0)
            np.testing.assert_array_equal(l, f["a"] * 3)
            got.append(f["a"].tolist())
    assert got == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 0, 1], [2, 3, 4, 5], [6, 7, 8, 9]]
    tf.reset_default_graph()
    x = tf.estimator.inputs.numpy_input_fn(np.arange(50), batch_size=8, shuffle=True, num_epochs=1)()
    seen = []
    with tf.train.MonitoredSession() as sess:
        while not sess.should_stop():
            seen.extend(sess.run(x, options=tf.RunOptions(timeout_in_ms=20000)).tolist())
    assert sorted(seen) == list(range(50)) and seen != list(range(50))
    with pytest.raises(TypeError, match="x must be a dict or array"):
        tf.estimator.inputs.numpy_input_fn([1, 2], shuffle=False)()
    with pytest.raises(ValueError, match="duplicate keys"):
        tf.estimator.inputs.numpy_input_fn({"a": X}, {"a": Y}, shuffle=False)()
