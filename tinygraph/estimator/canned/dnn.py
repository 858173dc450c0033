"""DNNClassifier and DNNRegressor (TF 1.x canned/dnn.py): feed-forward nets on feature columns.

Variables, as TF names them: dnn/input_from_feature_columns/input_layer/... (embeddings),
dnn/hiddenlayer_<i>/kernel and /bias, dnn/logits/kernel and /bias, global_step.
"""
from ... import layers as core_layers
from ...feature_column.feature_column import input_layer
from ...ops import init_ops, nn_ops
from ...ops.variable_scope import variable_scope
from ...summary import summary_ops
from ...train import training_util
from ..estimator import Estimator
from ..model_fn import ModeKeys
from . import head as head_lib
from .optimizers import get_optimizer_instance

__all__ = ["DNNClassifier", "DNNRegressor"]

_LEARNING_RATE = 0.05  # TF's default for the DNN optimizers given by name


def _add_hidden_layer_summary(value, tag):
    summary_ops.scalar("%s/fraction_of_zero_values" % tag, nn_ops.zero_fraction(value))
    summary_ops.histogram("%s/activation" % tag, value)


def _dnn_logits(features, mode, hidden_units, feature_columns, units, activation_fn, dropout):
    with variable_scope("input_from_feature_columns", values=list(features.values())):
        net = input_layer(features, feature_columns)
    for layer_id, num_units in enumerate(hidden_units):
        net = core_layers.dense(net, units=num_units, activation=activation_fn,
                                kernel_initializer=init_ops.glorot_uniform_initializer(),
                                name="hiddenlayer_%d" % layer_id)
        if dropout is not None and mode == ModeKeys.TRAIN:
            net = core_layers.dropout(net, rate=dropout, training=True)
        _add_hidden_layer_summary(net, "hiddenlayer_%d" % layer_id)
    logits = core_layers.dense(net, units=units, activation=None,
                               kernel_initializer=init_ops.glorot_uniform_initializer(), name="logits")
    _add_hidden_layer_summary(logits, "logits")
    return logits


def _dnn_model_fn(features, labels, mode, head, hidden_units, feature_columns, optimizer,
                  activation_fn, dropout):
    if not isinstance(features, dict):
        raise ValueError("features should be a dictionary of `Tensor`s. Given type: {}"
                         .format(type(features)))
    optimizer = get_optimizer_instance(optimizer, learning_rate=_LEARNING_RATE)
    with variable_scope("dnn", values=tuple(features.values())):
        logits = _dnn_logits(features, mode, hidden_units, feature_columns,
                             head.logits_dimension, activation_fn, dropout)

    def train_op_fn(loss):
        return optimizer.minimize(loss, global_step=training_util.get_global_step())
    return head.create_estimator_spec(features, mode, logits, labels, train_op_fn)


class _DNNBase(Estimator):
    def __init__(self, head, hidden_units, feature_columns, model_dir, optimizer, activation_fn,
                 dropout, config, warm_start_from, batch_norm):
        if batch_norm:
            raise ValueError("batch_norm=True is not supported by tinygraph's DNN estimators.")
        if not hidden_units:
            raise ValueError("hidden_units must be a non-empty list of layer sizes.")
        feature_columns = tuple(feature_columns or [])
        if not feature_columns:
            raise ValueError("feature_columns must not be empty.")
        hidden_units = list(hidden_units)

        def model_fn(features, labels, mode, config):
            return _dnn_model_fn(features, labels, mode, head, hidden_units, feature_columns,
                                 optimizer, activation_fn, dropout)
        super().__init__(model_fn, model_dir=model_dir, config=config, warm_start_from=warm_start_from)


class DNNClassifier(_DNNBase):
    """A feed-forward classifier (tf.estimator.DNNClassifier).

    Args:
      hidden_units: sizes of the hidden layers, e.g. [64, 32].
      feature_columns: dense feature columns (numeric, indicator, embedding, bucketized).
      model_dir, config, warm_start_from: as Estimator.
      n_classes: >= 2; 2 uses a sigmoid (logistic) head, more a softmax head.
      weight_column: a feature key (or numeric_column) of per-example weights.
      label_vocabulary: strings naming the classes, if labels are strings.
      optimizer: a name ('Adagrad', 'Adam', 'Ftrl', 'RMSProp', 'SGD': learning rate 0.05),
        an Optimizer or a callable returning one (default 'Adagrad').
      activation_fn: of the hidden layers (default tf.nn.relu).
      dropout: the drop probability of hidden units in training, or None.
      loss_reduction: "weighted_sum" (TF 1.x's default) or "weighted_sum_over_batch_size".
      input_layer_partitioner: accepted (no partitioning). batch_norm: must be False.

    Raises:
      ValueError: n_classes < 2, empty hidden_units or feature_columns.
    """

    def __init__(self, hidden_units, feature_columns, model_dir=None, n_classes=2,
                 weight_column=None, label_vocabulary=None, optimizer="Adagrad",
                 activation_fn=nn_ops.relu, dropout=None, input_layer_partitioner=None,
                 config=None, warm_start_from=None, loss_reduction=head_lib.SUM, batch_norm=False):
        if n_classes < 2:
            raise ValueError("n_classes must be >= 2: {}.".format(n_classes))
        head = head_lib.classification_head(n_classes, weight_column, label_vocabulary, loss_reduction)
        super().__init__(head, hidden_units, feature_columns, model_dir, optimizer, activation_fn,
                         dropout, config, warm_start_from, batch_norm)


class DNNRegressor(_DNNBase):
    """A feed-forward regressor with a mean-squared-error head (tf.estimator.DNNRegressor).

    Args as DNNClassifier, with label_dimension (default 1) instead of n_classes and
    label_vocabulary.
    """

    def __init__(self, hidden_units, feature_columns, model_dir=None, label_dimension=1,
                 weight_column=None, optimizer="Adagrad", activation_fn=nn_ops.relu, dropout=None,
                 input_layer_partitioner=None, config=None, warm_start_from=None,
                 loss_reduction=head_lib.SUM, batch_norm=False):
        head = head_lib.regression_head(label_dimension, weight_column, loss_reduction)
        super().__init__(head, hidden_units, feature_columns, model_dir, optimizer, activation_fn,
                         dropout, config, warm_start_from, batch_norm)
