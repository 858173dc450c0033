"""The CSV file of csv_dataset.py read by estimator input functions, training the same model.

    python examples/csv_estimator.py

1. A custom `model_fn` wraps csv_dataset's softmax regression in an EstimatorSpec
   (loss, SGD train_op, a `tf.metrics.accuracy` eval metric, class predictions). Its
   `input_fn` returns the tf.data pipeline of csv_dataset.py (the Estimator makes the
   iterator and runs its initializer); `train` runs until the 5 epochs are read
   (OutOfRangeError ends training), writing checkpoints and summaries to model_dir;
   `evaluate` restores the latest checkpoint and reads the file once.
2. A canned `tf.estimator.LinearClassifier` on three numeric feature columns, with an
   input_fn that parses the CSV into a dict of features.

Each Estimator call builds its own graph and session; nothing carries over but the
checkpoints in model_dir.
"""
import os
import tempfile

import tinygraph as tf
from csv_dataset import COLUMNS, csv_dataset, model, write_csv


def model_fn(features, labels, mode, params):
    """csv_dataset's model as an Estimator model_fn."""
    if mode == tf.estimator.ModeKeys.PREDICT:
        # model() also builds the loss, which needs labels: zeros of the batch's size
        _, _, logits = model(features, tf.zeros_like(features[:, 0], dtype=tf.int32))
        return tf.estimator.EstimatorSpec(mode, predictions={
            "class_ids": tf.argmax(logits, axis=1, output_type=tf.int32),
            "probabilities": tf.nn.softmax(logits)})
    loss, _, logits = model(features, labels)
    classes = tf.argmax(logits, axis=1, output_type=tf.int32)
    metrics = {"accuracy": tf.metrics.accuracy(labels, classes)}
    train_op = tf.train.GradientDescentOptimizer(params["learning_rate"]).minimize(
        loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op, eval_metric_ops=metrics)


def dict_dataset(path, batch_size, shuffle):
    """The same file as a dataset of ({"x1": ..., "x2": ..., "x3": ...}, label)."""
    def parse(line):
        values = tf.decode_csv(line, record_defaults=[[0.0], [0.0], [0.0], [0]])
        return dict(zip(COLUMNS[:3], values[:3])), values[3]
    ds = tf.data.TextLineDataset(path).skip(1).map(parse)
    if shuffle:
        ds = ds.shuffle(buffer_size=1000, seed=1)
    return ds.batch(batch_size)


def main(n_epochs=5, batch_size=32, learning_rate=0.2):
    """Returns {"before": ..., "custom": ..., "linear": ...} evaluation dicts."""
    tf.reset_default_graph()
    work = tempfile.mkdtemp()
    path = os.path.join(work, "train.csv")
    write_csv(path)
    config = tf.estimator.RunConfig(tf_random_seed=42, save_checkpoints_steps=50)
    est = tf.estimator.Estimator(model_fn, model_dir=os.path.join(work, "custom"), config=config,
                                 params={"learning_rate": learning_rate})
    eval_input = lambda: csv_dataset(path, 10000, shuffle=False)  # noqa: E731
    results = {"before": est.evaluate(eval_input)}
    print("before training: accuracy %.3f" % results["before"]["accuracy"])
    est.train(lambda: csv_dataset(path, batch_size, shuffle=True).repeat(n_epochs))
    results["custom"] = est.evaluate(eval_input)
    print("custom model_fn: accuracy %.3f after %d steps"
          % (results["custom"]["accuracy"], results["custom"]["global_step"]))
    predictions = list(est.predict(lambda: csv_dataset(path, 100, shuffle=False).take(1)))
    results["n_predictions"] = len(predictions)

    linear = tf.estimator.LinearClassifier(
        [tf.feature_column.numeric_column(k) for k in COLUMNS[:3]], n_classes=3,
        model_dir=os.path.join(work, "linear"), config=config)
    linear.train(lambda: dict_dataset(path, batch_size, shuffle=True).repeat(n_epochs))
    results["linear"] = linear.evaluate(lambda: dict_dataset(path, 10000, shuffle=False))
    print("LinearClassifier: accuracy %.3f after %d steps"
          % (results["linear"]["accuracy"], results["linear"]["global_step"]))
    return results


if __name__ == "__main__":
    results = main()
