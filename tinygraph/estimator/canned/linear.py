"""LinearClassifier and LinearRegressor (TF 1.x canned/linear.py).

Variables, as TF names them: linear/linear_model/<column>/weights,
linear/linear_model/bias_weights, global_step. The default optimizer is FTRL with
learning rate min(0.2, 1/sqrt(number of feature columns)), as in TF.
"""
import math

from ...feature_column.feature_column import linear_model
from ...ops.variable_scope import variable_scope
from ...train import training_util
from ..estimator import Estimator
from . import head as head_lib
from .optimizers import get_optimizer_instance

__all__ = ["LinearClassifier", "LinearRegressor"]

_LEARNING_RATE = 0.2


def _linear_learning_rate(num_linear_feature_columns):
    return min(_LEARNING_RATE, 1.0 / math.sqrt(num_linear_feature_columns))


def _linear_model_fn(features, labels, mode, head, feature_columns, optimizer, sparse_combiner):
    if not isinstance(features, dict):
        raise ValueError("features should be a dictionary of `Tensor`s. Given type: {}"
                         .format(type(features)))
    optimizer = get_optimizer_instance(optimizer, learning_rate=_linear_learning_rate(len(feature_columns)))
    with variable_scope("linear", values=tuple(features.values())):
        logits = linear_model(features, feature_columns, units=head.logits_dimension,
                              sparse_combiner=sparse_combiner)

    def train_op_fn(loss):
        return optimizer.minimize(loss, global_step=training_util.get_global_step())
    return head.create_estimator_spec(features, mode, logits, labels, train_op_fn)


class _LinearBase(Estimator):
    def __init__(self, head, feature_columns, model_dir, optimizer, config, warm_start_from,
                 sparse_combiner):
        feature_columns = tuple(feature_columns or [])
        if not feature_columns:
            raise ValueError("feature_columns must not be empty.")
        if sparse_combiner not in ("mean", "sqrtn", "sum"):
            raise ValueError("sparse_combiner must be one of 'mean', 'sqrtn' or 'sum'. Given: {}"
                             .format(sparse_combiner))

        def model_fn(features, labels, mode, config):
            return _linear_model_fn(features, labels, mode, head, feature_columns, optimizer,
                                    sparse_combiner)
        super().__init__(model_fn, model_dir=model_dir, config=config, warm_start_from=warm_start_from)


class LinearClassifier(_LinearBase):
    """A linear classifier (tf.estimator.LinearClassifier).

    Args:
      feature_columns: numeric, bucketized, categorical, indicator or embedding columns.
      model_dir, config, warm_start_from: as Estimator.
      n_classes: >= 2 (2: a logistic head).
      weight_column, label_vocabulary, loss_reduction: as DNNClassifier.
      optimizer: a name, an Optimizer or a callable (default 'Ftrl').
      partitioner: accepted (no partitioning).
      sparse_combiner: how a categorical column's ids combine: "sum", "mean", "sqrtn".
    """

    def __init__(self, feature_columns, model_dir=None, n_classes=2, weight_column=None,
                 label_vocabulary=None, optimizer="Ftrl", config=None, partitioner=None,
                 warm_start_from=None, loss_reduction=head_lib.SUM, sparse_combiner="sum"):
        if n_classes < 2:
            raise ValueError("n_classes must be >= 2: {}.".format(n_classes))
        head = head_lib.classification_head(n_classes, weight_column, label_vocabulary, loss_reduction)
        super().__init__(head, feature_columns, model_dir, optimizer, config, warm_start_from,
                         sparse_combiner)


class LinearRegressor(_LinearBase):
    """A linear regressor with a mean-squared-error head (tf.estimator.LinearRegressor)."""

    def __init__(self, feature_columns, model_dir=None, label_dimension=1, weight_column=None,
                 optimizer="Ftrl", config=None, partitioner=None, warm_start_from=None,
                 loss_reduction=head_lib.SUM, sparse_combiner="sum"):
        head = head_lib.regression_head(label_dimension, weight_column, loss_reduction)
        super().__init__(head, feature_columns, model_dir, optimizer, config, warm_start_from,
                         sparse_combiner)
