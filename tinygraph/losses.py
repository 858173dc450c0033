"""tf.losses: loss functions that add themselves to the LOSSES collection (TF 1.x)."""
from .framework import graph as _graph
from .framework.graph import GraphKeys
from .ops import array_ops, math_ops, nn_ops

__all__ = ["Reduction", "add_loss", "get_losses", "get_regularization_losses",
           "get_regularization_loss", "get_total_loss", "compute_weighted_loss",
           "absolute_difference", "mean_squared_error", "huber_loss", "log_loss",
           "sigmoid_cross_entropy", "softmax_cross_entropy", "sparse_softmax_cross_entropy"]


class Reduction:
    """How a weighted loss is reduced (tf.losses.Reduction)."""
    NONE = "none"
    SUM = "weighted_sum"
    MEAN = "weighted_mean"
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"
    SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"


def add_loss(loss, loss_collection=GraphKeys.LOSSES):
    """Adds `loss` to `loss_collection` (nothing when the collection is None)."""
    if loss_collection:
        _graph.add_to_collection(loss_collection, loss)


def get_losses(scope=None, loss_collection=GraphKeys.LOSSES):
    return _graph.get_collection(loss_collection, scope)


def get_regularization_losses(scope=None):
    return _graph.get_collection(GraphKeys.REGULARIZATION_LOSSES, scope)


def get_regularization_loss(scope=None, name="total_regularization_loss"):
    """The sum of the regularization losses (0.0 when there are none)."""
    losses = get_regularization_losses(scope)
    if losses:
        return math_ops.add_n(losses, name=name)
    return _graph.convert_to_tensor(0.0, name=name)


def get_total_loss(add_regularization_losses=True, name="total_loss", scope=None):
    """The sum of the LOSSES collection, plus the regularization losses by default.

    Raises:
      ValueError: there are no losses.
    """
    losses = get_losses(scope)
    if add_regularization_losses:
        losses = losses + get_regularization_losses(scope)
    if not losses:
        raise ValueError("No losses to sum.")
    return math_ops.add_n(losses, name=name)


def compute_weighted_loss(losses, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Weights the per-element `losses`, reduces them, and adds the result to the collection."""
    with _graph.name_scope(scope, "weighted_loss"):
        losses = _graph.convert_to_tensor(losses)
        weights = math_ops.cast(_graph.convert_to_tensor(weights), losses.dtype)
        weighted = math_ops.multiply(losses, weights)
        if reduction == Reduction.NONE:
            loss = weighted
        else:
            total = math_ops.reduce_sum(weighted)
            ones = array_ops.ones_like(losses) * weights
            if reduction == Reduction.SUM:
                loss = total
            elif reduction == Reduction.MEAN:
                loss = total / math_ops.reduce_sum(ones)
            elif reduction == Reduction.SUM_OVER_BATCH_SIZE:
                loss = total / math_ops.cast(array_ops.size(losses), losses.dtype)
            else:  # SUM_BY_NONZERO_WEIGHTS
                nonzero = math_ops.reduce_sum(math_ops.cast(math_ops.not_equal(ones, 0.0), losses.dtype))
                loss = total / math_ops.maximum(nonzero, 1.0)
        add_loss(loss, loss_collection)
        return loss


def absolute_difference(labels, predictions, weights=1.0, scope=None,
                        loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Weighted |predictions - labels| (tf.losses.absolute_difference)."""
    with _graph.name_scope(scope, "absolute_difference"):
        p, y = _pair(predictions, labels)
        return compute_weighted_loss(math_ops.abs(p - y), weights, None, loss_collection, reduction)


def mean_squared_error(labels, predictions, weights=1.0, scope=None,
                       loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Weighted (predictions - labels)^2, by default their mean (tf.losses.mean_squared_error)."""
    with _graph.name_scope(scope, "mean_squared_error"):
        p, y = _pair(predictions, labels)
        return compute_weighted_loss(math_ops.squared_difference(p, y), weights, None, loss_collection,
                                     reduction)


def huber_loss(labels, predictions, weights=1.0, delta=1.0, scope=None,
               loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """0.5 e^2 for |e| <= delta, else delta (|e| - 0.5 delta) (tf.losses.huber_loss)."""
    with _graph.name_scope(scope, "huber_loss"):
        p, y = _pair(predictions, labels)
        error = math_ops.abs(p - y)
        quadratic = math_ops.minimum(error, delta)
        linear = error - quadratic
        losses = 0.5 * quadratic * quadratic + delta * linear
        return compute_weighted_loss(losses, weights, None, loss_collection, reduction)


def log_loss(labels, predictions, weights=1.0, epsilon=1e-7, scope=None,
             loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """-y log(p + eps) - (1 - y) log(1 - p + eps) (tf.losses.log_loss)."""
    with _graph.name_scope(scope, "log_loss"):
        p, y = _pair(predictions, labels)
        losses = -y * math_ops.log(p + epsilon) - (1.0 - y) * math_ops.log(1.0 - p + epsilon)
        return compute_weighted_loss(losses, weights, None, loss_collection, reduction)


def sigmoid_cross_entropy(multi_class_labels, logits, weights=1.0, label_smoothing=0, scope=None,
                          loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Weighted sigmoid cross-entropy (tf.losses.sigmoid_cross_entropy)."""
    with _graph.name_scope(scope, "sigmoid_cross_entropy_loss"):
        logits, labels = _pair(logits, multi_class_labels)
        if label_smoothing:
            labels = labels * (1 - label_smoothing) + 0.5 * label_smoothing
        losses = nn_ops.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
        return compute_weighted_loss(losses, weights, None, loss_collection, reduction)


def softmax_cross_entropy(onehot_labels, logits, weights=1.0, label_smoothing=0, scope=None,
                          loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Weighted softmax cross-entropy over the last axis (tf.losses.softmax_cross_entropy)."""
    with _graph.name_scope(scope, "softmax_cross_entropy_loss"):
        logits, labels = _pair(logits, onehot_labels)
        if label_smoothing:
            classes = math_ops.cast(array_ops.shape(labels)[-1], labels.dtype)
            labels = labels * (1 - label_smoothing) + label_smoothing / classes
        losses = nn_ops.softmax_cross_entropy_with_logits_v2(labels=array_ops.stop_gradient(labels),
                                                              logits=logits)
        return compute_weighted_loss(losses, weights, None, loss_collection, reduction)


def sparse_softmax_cross_entropy(labels, logits, weights=1.0, scope=None,
                                 loss_collection=GraphKeys.LOSSES,
                                 reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Weighted sparse softmax cross-entropy (tf.losses.sparse_softmax_cross_entropy)."""
    with _graph.name_scope(scope, "sparse_softmax_cross_entropy_loss"):
        losses = nn_ops.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
        return compute_weighted_loss(losses, weights, None, loss_collection, reduction)


def _pair(predictions, labels):
    p = _graph.convert_to_tensor(predictions)
    y = math_ops.cast(_graph.convert_to_tensor(labels), p.dtype)
    if not p.shape.is_compatible_with(y.shape):
        raise ValueError("Shapes %s and %s are incompatible" % (p.shape, y.shape))
    return p, y
