"""The canned estimators' heads (TF 1.x canned/head.py): loss, predictions, metrics.

Heads turn logits into an EstimatorSpec. As TF 1.x's v1 canned estimators (whose
`loss_reduction` default is "weighted_sum"), the training loss is the weighted SUM of
the per-example losses over the batch; `average_loss` (a metric) is their weighted mean.
"""
from ...framework import dtypes
from ...framework import graph as _graph
from ...ops import array_ops, math_ops, nn_ops
from ... import metrics as metrics_lib
from ...summary import summary_ops
from ..model_fn import AVERAGE_LOSS_METRIC_KEY, EstimatorSpec, ModeKeys

__all__ = ["binary_classification_head", "multi_class_head", "regression_head"]

SUM = "weighted_sum"
SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"


def _weights(features, weight_column):
    if weight_column is None:
        return None
    key = weight_column if isinstance(weight_column, str) else weight_column.key
    if key not in features:
        raise ValueError("Feature {} is not in features dictionary.".format(key))
    w = math_ops.cast(_graph.convert_to_tensor(features[key]), dtypes.float32)
    return array_ops.reshape(w, [-1, 1])


def _labels_2d(labels, logits, expected_dim):
    """Labels as [batch, expected_dim]; a rank-1 tensor gets a trailing 1 (TF's rules)."""
    if labels is None:
        raise ValueError("You must provide a labels Tensor. Given: None. Suggested "
                         "troubleshooting steps: Check that your data contain your label feature. "
                         "Check that your input_fn properly parses and returns labels.")
    if isinstance(labels, dict):
        raise ValueError("labels must be a Tensor for a canned estimator's head, not a dict: {}"
                         .format(labels))
    labels = _graph.convert_to_tensor(labels)
    if labels.shape.ndims == 1:
        labels = array_ops.expand_dims(labels, -1)
    if labels.shape.ndims is not None and labels.shape.ndims != 2:
        raise ValueError("labels shape must be [D0, D1, ... DN, {}]. Given: {}".format(expected_dim, labels.shape))
    dim = labels.shape[-1].value if labels.shape.ndims else None
    if dim is not None and dim != expected_dim:
        raise ValueError("Mismatched label shape. Expected labels dimension={}.  Received {}. "
                         "Suggested Fix: If your classifier expects one-hot encoding label, check "
                         "your n_classes argument to the estimator and/or the shape of your label. "
                         "Otherwise, check the shape of your label.".format(expected_dim, dim))
    batch_l, batch_p = labels.shape[0].value, logits.shape[0].value
    if batch_l is not None and batch_p is not None and batch_l != batch_p:
        raise ValueError("Shapes of labels and logits do not match: labels {} logits {}"
                         .format(labels.shape, logits.shape))
    return labels


def _class_ids_from_labels(labels, n_classes, label_vocabulary):
    if label_vocabulary is None:
        if labels.dtype == dtypes.string:
            raise ValueError("Labels dtype should be integer. Instead got string. Set "
                             "label_vocabulary to use string labels.")
        return math_ops.cast(labels, dtypes.int64)
    if labels.dtype != dtypes.string:
        raise ValueError("Labels dtype should be string if there is a vocabulary. Got {}".format(labels.dtype))
    vocab = _graph.convert_to_tensor(list(label_vocabulary), dtype=dtypes.string)
    match = math_ops.equal(array_ops.expand_dims(labels, -1), vocab)
    return math_ops.argmax(math_ops.cast(match, dtypes.int32), -1, output_type=dtypes.int64)


def _class_strings(n_classes, label_vocabulary):
    return _graph.convert_to_tensor(list(label_vocabulary) if label_vocabulary
                                    else [str(i) for i in range(n_classes)], dtype=dtypes.string)


def _reduce(unweighted, weights, reduction):
    weighted = unweighted if weights is None else math_ops.multiply(unweighted, weights)
    total = math_ops.reduce_sum(weighted)
    if reduction == SUM:
        return total
    return math_ops.truediv(total, math_ops.cast(array_ops.size(unweighted), dtypes.float32))


class _Head:
    """What the canned model functions share: build the spec for a mode."""

    def __init__(self, weight_column, loss_reduction, name=None):
        if loss_reduction not in (SUM, SUM_OVER_BATCH_SIZE):
            raise ValueError("Invalid loss_reduction: {}".format(loss_reduction))
        self._weight_column, self._loss_reduction = weight_column, loss_reduction

    def create_estimator_spec(self, features, mode, logits, labels=None, train_op_fn=None):
        """The EstimatorSpec for `mode`; train_op_fn(loss) makes the train op."""
        with _graph.name_scope("head"):
            predictions = self._predictions(logits)
            if mode == ModeKeys.PREDICT:
                return EstimatorSpec(mode, predictions=predictions)
            weights = _weights(features, self._weight_column)
            unweighted, processed = self._unweighted_loss(labels, logits)
            training_loss = _reduce(unweighted, weights, self._loss_reduction)
            if mode == ModeKeys.EVAL:
                return EstimatorSpec(mode, predictions=predictions, loss=training_loss,
                                     eval_metric_ops=self._metrics(processed, predictions,
                                                                   unweighted, weights))
            if train_op_fn is None:
                raise ValueError("train_op_fn cannot be None.")
            with _graph.name_scope(""):
                summary_ops.scalar("loss", training_loss)
                summary_ops.scalar("average_loss", metrics_average(unweighted, weights))
            return EstimatorSpec(mode, predictions=predictions, loss=training_loss,
                                 train_op=train_op_fn(training_loss))


def metrics_average(unweighted, weights):
    """The weighted mean of the per-example losses of one batch."""
    if weights is None:
        return math_ops.reduce_mean(unweighted)
    w = math_ops.add(weights, array_ops.zeros_like(unweighted))
    return math_ops.reduce_sum(unweighted * w) / math_ops.reduce_sum(w)


def _all_class_ids(logits, n_classes):
    batch = array_ops.shape(logits)[0:1]
    ids = array_ops.expand_dims(array_ops.range(n_classes), 0)
    return array_ops.tile(ids, array_ops.concat([batch, [1]], 0))


class _BinaryLogisticHead(_Head):
    logits_dimension = 1

    def __init__(self, weight_column=None, label_vocabulary=None, loss_reduction=SUM):
        super().__init__(weight_column, loss_reduction)
        self._label_vocabulary = label_vocabulary

    def _predictions(self, logits):
        logistic = math_ops.sigmoid(logits, name="logistic")
        two_class_logits = array_ops.concat([array_ops.zeros_like(logits), logits], 1,
                                            name="two_class_logits")
        probabilities = nn_ops.softmax(two_class_logits, name="probabilities")
        class_ids = array_ops.expand_dims(math_ops.argmax(two_class_logits, 1, output_type=dtypes.int64),
                                          -1, name="class_ids")
        strings = _class_strings(2, self._label_vocabulary)
        all_ids = _all_class_ids(logits, 2)
        return {"logits": logits, "logistic": logistic, "probabilities": probabilities,
                "class_ids": class_ids, "classes": array_ops.gather(strings, class_ids),
                "all_class_ids": all_ids, "all_classes": array_ops.gather(strings, all_ids)}

    def _unweighted_loss(self, labels, logits):
        labels = _class_ids_from_labels(_labels_2d(labels, logits, 1), 2, self._label_vocabulary)
        float_labels = math_ops.cast(labels, dtypes.float32)
        return nn_ops.sigmoid_cross_entropy_with_logits(labels=float_labels, logits=logits), labels

    def _metrics(self, labels, predictions, unweighted, weights):
        m = metrics_lib
        label_mean = m.mean(labels, weights, name="label/mean")
        return {
            "accuracy": m.accuracy(labels, predictions["class_ids"], weights, name="accuracy"),
            "precision": m.precision(labels, predictions["class_ids"], weights, name="precision"),
            "recall": m.recall(labels, predictions["class_ids"], weights, name="recall"),
            "prediction/mean": m.mean(predictions["logistic"], weights, name="prediction/mean"),
            "label/mean": label_mean,
            "accuracy_baseline": (math_ops.maximum(label_mean[0], 1.0 - label_mean[0]),
                                  math_ops.maximum(label_mean[1], 1.0 - label_mean[1])),
            "auc": m.auc(labels, predictions["logistic"], weights, curve="ROC", name="auc"),
            "auc_precision_recall": m.auc(labels, predictions["logistic"], weights, curve="PR",
                                          name="auc_precision_recall"),
            AVERAGE_LOSS_METRIC_KEY: m.mean(unweighted, weights, name=AVERAGE_LOSS_METRIC_KEY),
        }


class _MultiClassHead(_Head):
    def __init__(self, n_classes, weight_column=None, label_vocabulary=None, loss_reduction=SUM):
        if n_classes is None or n_classes <= 2:
            raise ValueError("n_classes must be > 2: {}.".format(n_classes))
        super().__init__(weight_column, loss_reduction)
        self._n_classes, self._label_vocabulary = n_classes, label_vocabulary
        self.logits_dimension = n_classes

    def _predictions(self, logits):
        probabilities = nn_ops.softmax(logits, name="probabilities")
        class_ids = array_ops.expand_dims(math_ops.argmax(logits, 1, output_type=dtypes.int64), -1,
                                          name="class_ids")
        strings = _class_strings(self._n_classes, self._label_vocabulary)
        all_ids = _all_class_ids(logits, self._n_classes)
        return {"logits": logits, "probabilities": probabilities, "class_ids": class_ids,
                "classes": array_ops.gather(strings, class_ids), "all_class_ids": all_ids,
                "all_classes": array_ops.gather(strings, all_ids)}

    def _unweighted_loss(self, labels, logits):
        labels = _class_ids_from_labels(_labels_2d(labels, logits, 1), self._n_classes,
                                        self._label_vocabulary)
        loss = nn_ops.sparse_softmax_cross_entropy_with_logits(
            labels=array_ops.squeeze(labels, [1]), logits=logits)
        return array_ops.expand_dims(loss, -1), labels

    def _metrics(self, labels, predictions, unweighted, weights):
        return {
            "accuracy": metrics_lib.accuracy(labels, predictions["class_ids"], weights, name="accuracy"),
            AVERAGE_LOSS_METRIC_KEY: metrics_lib.mean(unweighted, weights, name=AVERAGE_LOSS_METRIC_KEY),
        }


class _RegressionHead(_Head):
    def __init__(self, label_dimension=1, weight_column=None, loss_reduction=SUM):
        if label_dimension < 1:
            raise ValueError("Invalid label_dimension {}.".format(label_dimension))
        super().__init__(weight_column, loss_reduction)
        self.logits_dimension = label_dimension

    def _predictions(self, logits):
        return {"predictions": logits}

    def _unweighted_loss(self, labels, logits):
        labels = math_ops.cast(_labels_2d(labels, logits, self.logits_dimension), dtypes.float32)
        return math_ops.square(math_ops.subtract(labels, logits)), labels

    def _metrics(self, labels, predictions, unweighted, weights):
        return {
            AVERAGE_LOSS_METRIC_KEY: metrics_lib.mean(unweighted, weights, name=AVERAGE_LOSS_METRIC_KEY),
            "prediction/mean": metrics_lib.mean(predictions["predictions"], weights, name="prediction/mean"),
            "label/mean": metrics_lib.mean(labels, weights, name="label/mean"),
        }


def classification_head(n_classes, weight_column=None, label_vocabulary=None, loss_reduction=SUM):
    """The binary (n_classes == 2) or multi-class head."""
    if label_vocabulary is not None and len(label_vocabulary) != n_classes:
        raise ValueError("label_vocabulary must have n_classes ({}) entries, got {}"
                         .format(n_classes, len(label_vocabulary)))
    if n_classes == 2:
        return _BinaryLogisticHead(weight_column, label_vocabulary, loss_reduction)
    return _MultiClassHead(n_classes, weight_column, label_vocabulary, loss_reduction)


binary_classification_head = _BinaryLogisticHead
multi_class_head = _MultiClassHead
regression_head = _RegressionHead
