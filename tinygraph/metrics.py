"""`tf.metrics`: streaming metrics, each a (value, update_op) pair over local variables.

As in TF 1.x (metrics_impl.py), every metric keeps its running state in variables of
the LOCAL_VARIABLES and METRIC_VARIABLES collections, created under a variable scope
named after the metric (`accuracy/total`, `accuracy/count`, ...). `update_op` adds one
batch to the state and returns the updated value; `value` reads the state. Initialise
(or reset) the state with `tf.local_variables_initializer()`.
"""
from .framework import dtypes
from .framework import graph as _graph
from .framework.graph import GraphKeys
from .ops import array_ops, math_ops
from .ops import variables as _variables
from .ops.control_flow_ops import group
from .ops.variable_scope import variable_scope

__all__ = ["accuracy", "mean", "precision", "recall", "auc", "mean_squared_error",
           "root_mean_squared_error", "mean_absolute_error", "true_positives",
           "false_positives", "false_negatives", "true_negatives", "METRIC_VARIABLES"]

METRIC_VARIABLES = GraphKeys.METRIC_VARIABLES


def metric_variable(shape, dtype, validate_shape=True, name=None):
    """A zero-initialised, non-trainable variable in LOCAL_VARIABLES and METRIC_VARIABLES."""
    return _variables.Variable(array_ops.zeros(shape, dtype), trainable=False,
                               collections=[GraphKeys.LOCAL_VARIABLES, METRIC_VARIABLES],
                               validate_shape=validate_shape, name=name)


def _add_to(collections, value):
    if collections:
        _graph.add_to_collections(collections, value)


def _div_no_nan(x, y, name=None):
    """x / y, or 0 where y == 0 (tf.math.div_no_nan)."""
    nonzero = math_ops.greater(y, 0.0)
    safe = array_ops.where(nonzero, y, array_ops.ones_like(y))
    return array_ops.where(nonzero, math_ops.truediv(x, safe), array_ops.zeros_like(x), name=name)


def _remove_squeezable_dimensions(labels, predictions):
    """Squeezes a trailing 1 from whichever of labels/predictions has one rank more."""
    lr, pr = labels.shape.ndims, predictions.shape.ndims
    if lr is not None and pr is not None:
        if pr - lr == 1 and predictions.shape[-1].value == 1:
            predictions = array_ops.squeeze(predictions, [-1])
        elif lr - pr == 1 and labels.shape[-1].value == 1:
            labels = array_ops.squeeze(labels, [-1])
    return labels, predictions


def _check_shapes(labels, predictions):
    if not labels.shape.is_compatible_with(predictions.shape):
        raise ValueError("Shapes %s and %s are incompatible" % (labels.shape, predictions.shape))


def _weighted(values, weights):
    """values * weights (weights broadcast to values' shape) and the sum of the weights."""
    values = math_ops.cast(values, dtypes.float32)
    if weights is None:
        return values, math_ops.cast(array_ops.size(values), dtypes.float32)
    weights = math_ops.cast(weights, dtypes.float32)
    weights = math_ops.add(weights, array_ops.zeros_like(values))  # broadcast
    return math_ops.multiply(values, weights), math_ops.reduce_sum(weights)


def mean(values, weights=None, metrics_collections=None, updates_collections=None, name=None):
    """Computes the (weighted) mean of `values` over all batches seen (tf.metrics.mean).

    Args:
      values: a Tensor of any shape.
      weights: None, or a Tensor broadcastable to `values`.
      metrics_collections, updates_collections: collections for `mean` / `update_op`.
      name: the variable scope (default "mean").

    Returns:
      (mean, update_op): `total / count` (0 before any data), and the op that adds a
      batch and returns the new mean.
    """
    with variable_scope(name, "mean", (values, weights)):
        values = _graph.convert_to_tensor(values)
        total = metric_variable([], dtypes.float32, name="total")
        count = metric_variable([], dtypes.float32, name="count")
        values, num_values = _weighted(values, weights)
        update_total = _variables.assign_add(total, math_ops.reduce_sum(values))
        with _graph.control_dependencies([values]):
            update_count = _variables.assign_add(count, num_values)
        mean_t = _div_no_nan(total.value(), count.value(), name="value")
        update_op = _div_no_nan(update_total, math_ops.maximum(update_count, 0.0), name="update_op")
        _add_to(metrics_collections, mean_t)
        _add_to(updates_collections, update_op)
        return mean_t, update_op


def accuracy(labels, predictions, weights=None, metrics_collections=None,
             updates_collections=None, name=None):
    """How often `predictions` equals `labels` (tf.metrics.accuracy).

    Args:
      labels: the ground-truth Tensor; predictions: a Tensor of the same shape (a
        trailing dimension of 1 on either is squeezed); weights: None or broadcastable.
      name: the variable scope (default "accuracy"): variables accuracy/total and
        accuracy/count.

    Returns:
      (accuracy, update_op).

    Raises:
      ValueError: the shapes of labels and predictions do not match.
    """
    labels = _graph.convert_to_tensor(labels)
    predictions = _graph.convert_to_tensor(predictions)
    labels, predictions = _remove_squeezable_dimensions(labels, predictions)
    _check_shapes(labels, predictions)
    if labels.dtype != predictions.dtype:
        predictions = math_ops.cast(predictions, labels.dtype)
    is_correct = math_ops.cast(math_ops.equal(predictions, labels), dtypes.float32)
    return mean(is_correct, weights, metrics_collections, updates_collections, name or "accuracy")


def _regression_inputs(labels, predictions):
    labels = math_ops.cast(_graph.convert_to_tensor(labels), dtypes.float32)
    predictions = math_ops.cast(_graph.convert_to_tensor(predictions), dtypes.float32)
    labels, predictions = _remove_squeezable_dimensions(labels, predictions)
    _check_shapes(labels, predictions)
    return labels, predictions


def mean_squared_error(labels, predictions, weights=None, metrics_collections=None,
                       updates_collections=None, name=None):
    """The mean of (labels - predictions)^2 (tf.metrics.mean_squared_error).

    Returns:
      (mean_squared_error, update_op); variables mean_squared_error/total and /count.
    """
    labels, predictions = _regression_inputs(labels, predictions)
    squared = math_ops.square(math_ops.subtract(labels, predictions))
    return mean(squared, weights, metrics_collections, updates_collections,
                name or "mean_squared_error")


def mean_absolute_error(labels, predictions, weights=None, metrics_collections=None,
                        updates_collections=None, name=None):
    """The mean of |labels - predictions| (tf.metrics.mean_absolute_error)."""
    labels, predictions = _regression_inputs(labels, predictions)
    absolute = math_ops.abs(math_ops.subtract(labels, predictions))
    return mean(absolute, weights, metrics_collections, updates_collections,
                name or "mean_absolute_error")


def root_mean_squared_error(labels, predictions, weights=None, metrics_collections=None,
                            updates_collections=None, name=None):
    """sqrt of the mean squared error (tf.metrics.root_mean_squared_error).

    Returns:
      (rmse, update_op); variables root_mean_squared_error/total and /count.
    """
    mse, update_mse = mean_squared_error(labels, predictions, weights, None, None,
                                         name or "root_mean_squared_error")
    rmse, update_op = math_ops.sqrt(mse), math_ops.sqrt(update_mse)
    _add_to(metrics_collections, rmse)
    _add_to(updates_collections, update_op)
    return rmse, update_op


def _count_condition(condition, weights, metrics_collections, updates_collections):
    count = metric_variable([], dtypes.float32, name="count")
    values, _ = _weighted(condition, weights)
    update_op = _variables.assign_add(count, math_ops.reduce_sum(values))
    value = array_ops.identity(count.value())
    _add_to(metrics_collections, value)
    _add_to(updates_collections, update_op)
    return value, update_op


def _bool_inputs(labels, predictions):
    labels = math_ops.cast(_graph.convert_to_tensor(labels), dtypes.bool_)
    predictions = math_ops.cast(_graph.convert_to_tensor(predictions), dtypes.bool_)
    labels, predictions = _remove_squeezable_dimensions(labels, predictions)
    _check_shapes(labels, predictions)
    return labels, predictions


def _make_counter(default_name, label_value, prediction_value, doc):
    def counter(labels, predictions, weights=None, metrics_collections=None,
                updates_collections=None, name=None):
        with variable_scope(name, default_name, (predictions, labels, weights)):
            labels, predictions = _bool_inputs(labels, predictions)
            cond = math_ops.logical_and(math_ops.equal(labels, label_value),
                                        math_ops.equal(predictions, prediction_value))
            return _count_condition(cond, weights, metrics_collections, updates_collections)
    counter.__name__ = default_name
    counter.__doc__ = doc + """

    Args:
      labels, predictions: Tensors of one shape, cast to bool.
      weights: None or a Tensor broadcastable to them.
      name: the variable scope (default "%s"); the variable is "%s/count".

    Returns:
      (value, update_op).
    """ % (default_name, default_name)
    return counter


true_positives = _make_counter("true_positives", True, True, "Sums the (weighted) true positives.")
false_positives = _make_counter("false_positives", False, True, "Sums the (weighted) false positives.")
false_negatives = _make_counter("false_negatives", True, False, "Sums the (weighted) false negatives.")
true_negatives = _make_counter("true_negatives", False, False, "Sums the (weighted) true negatives.")


def _ratio(a, b, name):
    """a / (a + b), or 0 where a + b == 0 (how TF computes precision and recall)."""
    denom = math_ops.add(a, b)
    return _div_no_nan(a, denom, name=name)


def precision(labels, predictions, weights=None, metrics_collections=None,
              updates_collections=None, name=None):
    """tp / (tp + fp) over all batches seen (tf.metrics.precision).

    Variables: precision/true_positives/count and precision/false_positives/count.

    Returns:
      (precision, update_op); 0 while tp + fp is 0.
    """
    with variable_scope(name, "precision", (predictions, labels, weights)):
        tp, tp_up = true_positives(labels, predictions, weights)
        fp, fp_up = false_positives(labels, predictions, weights)
        value = _ratio(tp, fp, "value")
        update_op = _ratio(tp_up, fp_up, "update_op")
        _add_to(metrics_collections, value)
        _add_to(updates_collections, update_op)
        return value, update_op


def recall(labels, predictions, weights=None, metrics_collections=None,
           updates_collections=None, name=None):
    """tp / (tp + fn) over all batches seen (tf.metrics.recall).

    Variables: recall/true_positives/count and recall/false_negatives/count.

    Returns:
      (recall, update_op); 0 while tp + fn is 0.
    """
    with variable_scope(name, "recall", (predictions, labels, weights)):
        tp, tp_up = true_positives(labels, predictions, weights)
        fn, fn_up = false_negatives(labels, predictions, weights)
        value = _ratio(tp, fn, "value")
        update_op = _ratio(tp_up, fn_up, "update_op")
        _add_to(metrics_collections, value)
        _add_to(updates_collections, update_op)
        return value, update_op


def auc(labels, predictions, weights=None, num_thresholds=200, metrics_collections=None,
        updates_collections=None, curve="ROC", name=None, summation_method="trapezoidal",
        thresholds=None):
    """Area under the ROC or PR curve by a Riemann sum over thresholds (tf.metrics.auc).

    Args:
      labels: bool-castable ground truth; predictions: floats in [0, 1].
      num_thresholds: how many thresholds (TF's: -eps, i/(n-1) for i in 1..n-2, 1+eps).
      curve: "ROC" or "PR"; summation_method: "trapezoidal" (the only one here).
      name: the variable scope (default "auc"): variables auc/true_positives,
        auc/false_negatives, auc/true_negatives, auc/false_positives, each [num_thresholds].

    Returns:
      (auc, update_op).

    Raises:
      ValueError: an unknown curve or summation_method, or num_thresholds < 2.
    """
    if curve not in ("ROC", "PR"):
        raise ValueError("curve must be either ROC or PR, %s unknown" % curve)
    if summation_method != "trapezoidal":
        raise ValueError("summation_method %r is not supported (only 'trapezoidal')"
                         % summation_method)
    with variable_scope(name, "auc", (labels, predictions, weights)):
        if thresholds is None:
            if num_thresholds < 2:
                raise ValueError("num_thresholds must be > 1.")
            eps = 1e-7
            thresholds = ([0.0 - eps] + [(i + 1) * 1.0 / (num_thresholds - 1)
                                         for i in range(num_thresholds - 2)] + [1.0 + eps])
        else:
            thresholds = [0.0 - 1e-7] + list(thresholds) + [1.0 + 1e-7]
        n_t = len(thresholds)
        labels = math_ops.cast(_graph.convert_to_tensor(labels), dtypes.bool_)
        predictions = math_ops.cast(_graph.convert_to_tensor(predictions), dtypes.float32)
        labels, predictions = _remove_squeezable_dimensions(labels, predictions)
        _check_shapes(labels, predictions)
        preds = array_ops.reshape(predictions, [1, -1])
        labs = array_ops.reshape(labels, [1, -1])
        thresh = array_ops.reshape(_graph.convert_to_tensor(thresholds, dtype=dtypes.float32),
                                   [n_t, 1])
        pred_pos = math_ops.greater(preds, thresh)  # [n_t, N] by broadcasting
        pred_neg = math_ops.logical_not(pred_pos)
        lab_pos = math_ops.logical_and(labs, array_ops.ones_like(pred_pos))
        lab_neg = math_ops.logical_not(lab_pos)
        if weights is None:
            w = array_ops.ones_like(math_ops.cast(pred_pos, dtypes.float32))
        else:
            w = math_ops.add(array_ops.reshape(math_ops.cast(weights, dtypes.float32), [1, -1]),
                             array_ops.zeros([n_t, 1], dtypes.float32))
        state, updates = {}, {}
        for key, (lab, pred) in (("tp", (lab_pos, pred_pos)), ("fn", (lab_pos, pred_neg)),
                                 ("tn", (lab_neg, pred_neg)), ("fp", (lab_neg, pred_pos))):
            var = metric_variable([n_t], dtypes.float32, name={
                "tp": "true_positives", "fn": "false_negatives",
                "tn": "true_negatives", "fp": "false_positives"}[key])
            hit = math_ops.multiply(math_ops.cast(math_ops.logical_and(lab, pred), dtypes.float32), w)
            updates[key] = _variables.assign_add(var, math_ops.reduce_sum(hit, 1))
            state[key] = var.value()

        def compute(v, name):
            eps = 1e-7
            rec = math_ops.truediv(v["tp"] + eps, v["tp"] + v["fn"] + eps)
            if curve == "ROC":
                x = math_ops.truediv(v["fp"], v["fp"] + v["tn"] + eps)
                y = rec
            else:
                x = rec
                y = math_ops.truediv(v["tp"] + eps, v["tp"] + v["fp"] + eps)
            return math_ops.reduce_sum(math_ops.multiply(x[:n_t - 1] - x[1:],
                                                         (y[:n_t - 1] + y[1:]) / 2.0), name=name)

        value = compute(state, "value")
        with _graph.control_dependencies([group(*updates.values())]):
            update_op = compute(updates, "update_op")
        _add_to(metrics_collections, value)
        _add_to(updates_collections, update_op)
        return value, update_op
