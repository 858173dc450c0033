"""ModeKeys and EstimatorSpec (tf.estimator), validated as TF 1.x validates them."""
import collections

from ..framework.graph import Operation, Tensor
from ..ops.variables import Variable
from ..train.monitored_session import Scaffold
from ..train.session_run_hook import SessionRunHook

__all__ = ["ModeKeys", "EstimatorSpec", "LOSS_METRIC_KEY", "AVERAGE_LOSS_METRIC_KEY"]

LOSS_METRIC_KEY = "loss"
AVERAGE_LOSS_METRIC_KEY = "average_loss"


class ModeKeys:
    """The three modes a model_fn is called in (tf.estimator.ModeKeys)."""
    TRAIN = "train"
    EVAL = "eval"
    PREDICT = "infer"


def _check_tensor(x, what):
    if isinstance(x, Variable):
        return x.value()
    if not isinstance(x, (Tensor, Operation)):
        raise TypeError("{} must be Tensor, given: {}".format(what, x))
    return x


def _check_hooks(hooks, what):
    hooks = tuple(hooks or ())
    for h in hooks:
        if not isinstance(h, SessionRunHook):
            raise TypeError("All hooks must be SessionRunHook instances, given: {}".format(h))
    return hooks


_SpecBase = collections.namedtuple("EstimatorSpec", [
    "mode", "predictions", "loss", "train_op", "eval_metric_ops", "export_outputs",
    "training_chief_hooks", "training_hooks", "scaffold", "evaluation_hooks", "prediction_hooks"])


class EstimatorSpec(_SpecBase):
    """What a model_fn returns (tf.estimator.EstimatorSpec).

    Args:
      mode: a ModeKeys value.
      predictions: a Tensor or dict of Tensors (required in PREDICT).
      loss: a scalar Tensor (required in TRAIN and EVAL).
      train_op: the training op (required in TRAIN).
      eval_metric_ops: {name: (value, update_op)}, e.g. from tf.metrics.
      export_outputs: accepted (no SavedModel export in tinygraph).
      training_chief_hooks, training_hooks, evaluation_hooks, prediction_hooks:
        SessionRunHooks for the respective modes.
      scaffold: a tf.train.Scaffold.

    Raises:
      ValueError: a required field is missing, or the loss is not a scalar.
      TypeError: a field has the wrong type.
    """

    def __new__(cls, mode, predictions=None, loss=None, train_op=None, eval_metric_ops=None,
                export_outputs=None, training_chief_hooks=None, training_hooks=None,
                scaffold=None, evaluation_hooks=None, prediction_hooks=None):
        if mode not in (ModeKeys.TRAIN, ModeKeys.EVAL, ModeKeys.PREDICT):
            raise ValueError("mode={} unrecognized.".format(mode))
        if train_op is None and mode == ModeKeys.TRAIN:
            raise ValueError("Missing train_op.")
        if train_op is not None:
            train_op = _check_tensor(train_op, "train_op")
        if loss is None:
            if mode in (ModeKeys.TRAIN, ModeKeys.EVAL):
                raise ValueError("Missing loss.")
        else:
            loss = _check_tensor(loss, "loss")
            if loss.shape.ndims not in (None, 0) and loss.shape.num_elements() != 1:
                raise ValueError("Loss must be scalar, given: {}".format(loss))
        if predictions is None:
            if mode == ModeKeys.PREDICT:
                raise ValueError("Missing predictions.")
            predictions = {}
        elif isinstance(predictions, dict):
            predictions = {k: _check_tensor(v, "predictions[{}]".format(k)) for k, v in predictions.items()}
        else:
            predictions = _check_tensor(predictions, "predictions")
        if eval_metric_ops is None:
            eval_metric_ops = {}
        else:
            if not isinstance(eval_metric_ops, dict):
                raise TypeError("eval_metric_ops must be a dict, given: {}".format(eval_metric_ops))
            for key, pair in eval_metric_ops.items():
                if not isinstance(pair, tuple) or len(pair) != 2:
                    raise TypeError("Values of eval_metric_ops must be (metric_value, update_op) "
                                    "tuples, given: {} for key: {}".format(pair, key))
        if scaffold is None:
            scaffold = Scaffold()
        return super().__new__(
            cls, mode=mode, predictions=predictions, loss=loss, train_op=train_op,
            eval_metric_ops=eval_metric_ops, export_outputs=export_outputs,
            training_chief_hooks=_check_hooks(training_chief_hooks, "training_chief_hooks"),
            training_hooks=_check_hooks(training_hooks, "training_hooks"), scaffold=scaffold,
            evaluation_hooks=_check_hooks(evaluation_hooks, "evaluation_hooks"),
            prediction_hooks=_check_hooks(prediction_hooks, "prediction_hooks"))

    def _replace(self, **kwds):
        if "mode" in kwds and self.mode != kwds["mode"]:
            raise ValueError("mode of EstimatorSpec cannot be changed.")
        return EstimatorSpec(**dict(self._asdict(), **kwds))
