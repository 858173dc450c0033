"""tf.estimator.Estimator: train / evaluate / predict a model_fn on input_fn data.

Each call builds a fresh Graph: the global step, the input_fn's features and labels,
then the model_fn's EstimatorSpec; it runs it in a MonitoredSession whose checkpoints
and summaries live in `model_dir`. `train` restores the latest checkpoint (so the
global step continues), `evaluate` and `predict` restore it (or initialise, if there is
none) and run until the input ends (OutOfRangeError) or `steps` are done.
"""
import inspect
import os
import tempfile

from .. import tf_logging as _log
from ..framework import graph as _graph
from ..framework.graph import GraphKeys
from ..data.dataset_ops import Dataset
from ..metrics import mean as _metric_mean
from ..ops import variables as _variables
from ..ops.control_flow_ops import group
from ..ops.random_ops import set_random_seed
from ..summary import summary_ops
from ..summary.writer import FileWriter
from ..train import basic_session_run_hooks as _hooks
from ..train import checkpoint_utils
from ..train import monitored_session as _ms
from ..train import saver as _saver
from ..train import training_util
from ..train.session_run_hook import SessionRunHook
from .model_fn import LOSS_METRIC_KEY, EstimatorSpec, ModeKeys
from .run_config import RunConfig

__all__ = ["Estimator"]

_ALLOWED_MODEL_FN_ARGS = {"features", "labels", "mode", "params", "self", "config"}
EVAL_STEP = "eval_step"  # tf.GraphKeys.EVAL_STEP


def _fn_args(fn):
    return tuple(inspect.signature(fn).parameters)


def _verify_model_fn_args(model_fn, params):
    args = set(_fn_args(model_fn))
    if "features" not in args:
        raise ValueError("model_fn (%s) must include features argument." % model_fn)
    if params is not None and "params" not in args:
        raise ValueError("model_fn (%s) does not include params argument, but params (%s) is "
                         "passed to Estimator." % (model_fn, params))
    extra = sorted(args - _ALLOWED_MODEL_FN_ARGS)
    if extra:
        raise ValueError("model_fn (%s) has following not expected args: %s" % (model_fn, extra))


def _check_hooks_type(hooks):
    hooks = list(hooks or [])
    for h in hooks:
        if not isinstance(h, SessionRunHook):
            raise TypeError("Hooks must be a SessionRunHook, given: {}".format(h))
    return hooks


class _DatasetInitializerHook(SessionRunHook):
    """Runs the initializer of the iterator made from an input_fn's Dataset."""

    def __init__(self, iterator):
        self._initializer = iterator.initializer

    def after_create_session(self, session, coord):
        session.run(self._initializer)


class _StopAfterNEvalsHook(SessionRunHook):
    """Requests stop after `num_evals` runs of the evaluation ops."""

    def __init__(self, num_evals):
        self._num_evals, self._evals = num_evals, 0

    def after_run(self, run_context, run_values):
        self._evals += 1
        if self._evals >= self._num_evals:
            run_context.request_stop()


def _parse_input_fn_result(result):
    """(features, labels, hooks) from what an input_fn returned (TF's rules)."""
    hooks = []
    if isinstance(result, Dataset):
        iterator = result.make_initializable_iterator()
        hooks.append(_DatasetInitializerHook(iterator))
        result = iterator.get_next()
    if isinstance(result, (list, tuple)):
        if len(result) != 2:
            raise ValueError("input_fn should return (features, labels) as a len 2 tuple.")
        return result[0], result[1], hooks
    return result, None, hooks


def _load_global_step_from_checkpoint_dir(checkpoint_dir):
    try:
        return int(checkpoint_utils.load_variable(checkpoint_dir, GraphKeys.GLOBAL_STEP))
    except Exception:  # no checkpoint yet, or one without a global step
        return 0


class Estimator:
    """Trains, evaluates and predicts with a model_fn (tf.estimator.Estimator).

    Args:
      model_fn: model_fn(features, labels, mode, params, config) -> EstimatorSpec; only
        `features` is required, the others are passed if the function names them.
      model_dir: where checkpoints and summaries go (default: config.model_dir, else a
        new temporary directory).
      config: a RunConfig.
      params: a dict passed to model_fn as `params`.
      warm_start_from: not supported (must be None).

    Raises:
      ValueError: model_fn's arguments do not fit, or model_dir and config.model_dir differ.
    """

    def __init__(self, model_fn, model_dir=None, config=None, params=None, warm_start_from=None):
        if warm_start_from is not None:
            raise ValueError("warm_start_from is not supported by tinygraph's Estimator.")
        config = config if config is not None else RunConfig()
        if not isinstance(config, RunConfig):
            raise ValueError("config must be an instance of `RunConfig`, but provided %s." % config)
        if model_dir is not None and config.model_dir is not None and \
                os.path.abspath(model_dir) != os.path.abspath(config.model_dir):
            raise ValueError("`model_dir` are set both in constructor and `RunConfig`, but with "
                             "different values. In constructor: '{}', in `RunConfig`: '{}' "
                             .format(model_dir, config.model_dir))
        model_dir = model_dir or config.model_dir
        if model_dir is None:
            model_dir = tempfile.mkdtemp()
            _log.warning("Using temporary folder as model directory: %s", model_dir)
        self._config = config.replace(model_dir=model_dir)
        self._model_dir = model_dir
        if model_fn is None:
            raise ValueError("model_fn must be provided to Estimator.")
        _verify_model_fn_args(model_fn, params)
        self._model_fn = model_fn
        self._params = dict(params or {})

    @property
    def model_dir(self):
        return self._model_dir

    @property
    def config(self):
        return self._config

    @property
    def params(self):
        return dict(self._params)

    @property
    def model_fn(self):
        """The model_fn, as a function of (features, labels, mode, config)."""
        def public_model_fn(features, labels, mode, config):
            return self._call_model_fn(features, labels, mode, config)
        return public_model_fn

    # -- checkpoints ------------------------------------------------------------------
    def latest_checkpoint(self):
        """The path of the latest checkpoint in model_dir, or None."""
        return _saver.latest_checkpoint(self._model_dir)

    def get_variable_names(self):
        """The names of the variables in the latest checkpoint.

        Raises:
          ValueError: the Estimator has not produced a checkpoint yet.
        """
        self._check_checkpoint_available()
        return [name for name, _ in checkpoint_utils.list_variables(self._model_dir)]

    def get_variable_value(self, name):
        """The value (numpy array) of variable `name` in the latest checkpoint."""
        self._check_checkpoint_available()
        return checkpoint_utils.load_variable(self._model_dir, name)

    def _check_checkpoint_available(self):
        if not self.latest_checkpoint():
            raise ValueError("Could not find trained model in model_dir: {}.".format(self._model_dir))

    # -- building -----------------------------------------------------------------
    def _call_input_fn(self, input_fn, mode):
        args = _fn_args(input_fn)
        kwargs = {}
        if "mode" in args:
            kwargs["mode"] = mode
        if "params" in args:
            kwargs["params"] = self.params
        if "config" in args:
            kwargs["config"] = self._config
        return input_fn(**kwargs)

    def _call_model_fn(self, features, labels, mode, config):
        args = _fn_args(self._model_fn)
        kwargs = {}
        if "labels" in args:
            kwargs["labels"] = labels
        elif labels is not None:
            raise ValueError("model_fn does not take labels, but input_fn returns labels.")
        if "mode" in args:
            kwargs["mode"] = mode
        if "params" in args:
            kwargs["params"] = self.params
        if "config" in args:
            kwargs["config"] = config
        spec = self._model_fn(features=features, **kwargs)
        if not isinstance(spec, EstimatorSpec):
            raise ValueError("model_fn should return an EstimatorSpec.")
        return spec

    def _build(self, input_fn, mode):
        """In the default graph: the global step, features/labels, the spec, input hooks."""
        if self._config.tf_random_seed is not None:
            set_random_seed(self._config.tf_random_seed)
        training_util.create_global_step()
        features, labels, input_hooks = _parse_input_fn_result(self._call_input_fn(input_fn, mode))
        if mode == ModeKeys.PREDICT:
            labels = None
        spec = self._call_model_fn(features, labels, mode, self._config)
        return spec, input_hooks

    # -- train ------------------------------------------------------------------------
    def train(self, input_fn, hooks=None, steps=None, max_steps=None, saving_listeners=None):
        """Trains the model on input_fn's data (tf.estimator.Estimator.train).

        Args:
          input_fn: returns (features, labels), or a Dataset of such pairs.
          hooks: SessionRunHooks for the training session.
          steps: train this many more steps (or until the input ends).
          max_steps: train until the global step reaches this (a no-op if it has).
          saving_listeners: CheckpointSaverListeners of the checkpoint hook.

        Returns:
          self.

        Raises:
          ValueError: both steps and max_steps, or a non-positive one.
        """
        if steps is not None and max_steps is not None:
            raise ValueError("Can not provide both steps and max_steps.")
        if steps is not None and steps <= 0:
            raise ValueError("Must specify steps > 0, given: {}".format(steps))
        if max_steps is not None and max_steps <= 0:
            raise ValueError("Must specify max_steps > 0, given: {}".format(max_steps))
        if max_steps is not None:
            start_step = _load_global_step_from_checkpoint_dir(self._model_dir)
            if max_steps <= start_step:
                _log.info("Skipping training since max_steps has already saved.")
                return self
        hooks = _check_hooks_type(hooks)
        if steps is not None or max_steps is not None:
            hooks.append(_hooks.StopAtStepHook(steps, max_steps))
        loss = self._train_model(input_fn, hooks, list(saving_listeners or []))
        _log.info("Loss for final step: %s.", loss)
        return self

    def _train_model(self, input_fn, hooks, saving_listeners):
        with _graph.Graph().as_default():
            spec, input_hooks = self._build(input_fn, ModeKeys.TRAIN)
            global_step = training_util.get_global_step()
            if not _graph.get_collection(GraphKeys.SUMMARIES, "loss"):
                summary_ops.scalar("loss", spec.loss)
            worker_hooks = list(hooks) + input_hooks + [
                _hooks.NanTensorHook(spec.loss),
                _hooks.LoggingTensorHook({"loss": spec.loss, "step": global_step},
                                         every_n_iter=self._config.log_step_count_steps),
            ] + list(spec.training_hooks)
            scaffold = spec.scaffold
            if scaffold.saver is None and not _graph.get_collection(GraphKeys.SAVERS):
                _saver.Saver(sharded=True, max_to_keep=self._config.keep_checkpoint_max,
                             keep_checkpoint_every_n_hours=self._config.keep_checkpoint_every_n_hours,
                             defer_build=True, save_relative_paths=True)  # joins SAVERS
            chief_hooks = []
            saver_hooks = [h for h in worker_hooks if isinstance(h, _hooks.CheckpointSaverHook)]
            if self._config.save_checkpoints_secs or self._config.save_checkpoints_steps:
                if saver_hooks:
                    saver_hooks[0]._listeners.extend(saving_listeners)
                else:
                    chief_hooks.append(_hooks.CheckpointSaverHook(
                        self._model_dir, save_secs=self._config.save_checkpoints_secs,
                        save_steps=self._config.save_checkpoints_steps, scaffold=scaffold,
                        listeners=saving_listeners))
            loss, any_step_done = None, False
            with _ms.MonitoredTrainingSession(
                    checkpoint_dir=self._model_dir, scaffold=scaffold, hooks=worker_hooks,
                    chief_only_hooks=chief_hooks + list(spec.training_chief_hooks),
                    save_checkpoint_secs=0, save_summaries_steps=self._config.save_summary_steps,
                    config=self._config.session_config,
                    log_step_count_steps=self._config.log_step_count_steps) as sess:
                while not sess.should_stop():
                    _, loss = sess.run([spec.train_op, spec.loss])
                    any_step_done = True
            if not any_step_done:
                _log.warning("Training with estimator made no steps. Perhaps input is empty or "
                             "misspecified.")
            return loss

    # -- evaluate -----------------------------------------------------------------------
    def evaluate(self, input_fn, steps=None, hooks=None, checkpoint_path=None, name=None):
        """Evaluates the model on input_fn's data (tf.estimator.Estimator.evaluate).

        Runs the eval_metric_ops' update ops (and the mean of the loss) over the input
        until it ends or `steps` batches, then reads the metrics.

        Args:
          input_fn: returns (features, labels), or a Dataset of such pairs.
          steps: evaluate at most this many batches (default: until the input ends).
          hooks: SessionRunHooks for the evaluation session.
          checkpoint_path: the checkpoint to evaluate (default the latest; if there is
            none, the freshly initialised model is evaluated, as TF 1.x does).
          name: evaluations with different names write to model_dir/eval_<name>.

        Returns:
          A dict of the metric values, with "loss" (the mean loss) and "global_step".

        Raises:
          ValueError: steps <= 0, or model_fn defines a metric named "loss".
        """
        if steps is not None and steps <= 0:
            raise ValueError("Must specify steps > 0, given: {}".format(steps))
        hooks = _check_hooks_type(hooks)
        checkpoint_path = checkpoint_path or self.latest_checkpoint()
        if not checkpoint_path:
            _log.info("Could not find trained model in model_dir: %s, running initialization to "
                      "evaluate.", self._model_dir)
        with _graph.Graph().as_default():
            spec, input_hooks = self._build(input_fn, ModeKeys.EVAL)
            if LOSS_METRIC_KEY in spec.eval_metric_ops:
                raise ValueError("Metric with name \"%s\" is not allowed, because Estimator "
                                 "already defines a default metric with the same name." % LOSS_METRIC_KEY)
            metrics = dict(spec.eval_metric_ops)
            metrics[LOSS_METRIC_KEY] = _metric_mean(spec.loss)
            update_ops = [pair[1] for pair in metrics.values()]
            values = {k: pair[0] for k, pair in metrics.items()}
            values[GraphKeys.GLOBAL_STEP] = training_util.get_global_step()
            eval_step = _variables.Variable(0, dtype="int64", trainable=False, name=EVAL_STEP,
                                            collections=[GraphKeys.LOCAL_VARIABLES, EVAL_STEP])
            with _graph.control_dependencies([group(*update_ops)]):
                eval_op = _variables.assign_add(eval_step, 1)
            final_hook = _hooks.FinalOpsHook(values)
            all_hooks = input_hooks + hooks + list(spec.evaluation_hooks) + [final_hook]
            if steps is not None:
                all_hooks.insert(0, _StopAfterNEvalsHook(steps))
            creator = _ms.ChiefSessionCreator(scaffold=spec.scaffold,
                                              checkpoint_filename_with_path=checkpoint_path,
                                              config=self._config.session_config)
            with _ms.MonitoredSession(session_creator=creator, hooks=all_hooks) as sess:
                while not sess.should_stop():
                    sess.run(eval_op)
            results = final_hook.final_ops_values
        self._write_eval_summary(results, name)
        return results

    def _write_eval_summary(self, results, name):
        pb = summary_ops.summary_pb2()
        summary = pb.Summary()
        for key, value in sorted(results.items()):
            if key == GraphKeys.GLOBAL_STEP:
                continue
            try:
                summary.value.add(tag=key, simple_value=float(value))
            except (TypeError, ValueError):
                continue  # a non-scalar metric: not written, as TF
        eval_dir = os.path.join(self._model_dir, "eval" if not name else "eval_" + name)
        with FileWriter(eval_dir) as writer:
            writer.add_summary(summary, int(results[GraphKeys.GLOBAL_STEP]))

    # -- predict ------------------------------------------------------------------------
    def predict(self, input_fn, predict_keys=None, hooks=None, checkpoint_path=None,
                yield_single_examples=True):
        """Yields predictions for input_fn's features (tf.estimator.Estimator.predict).

        Args:
          input_fn: returns features (or (features, labels): labels are ignored), or a
            Dataset of them.
          predict_keys: the keys of a predictions dict to yield (default all).
          hooks: SessionRunHooks for the prediction session.
          checkpoint_path: the checkpoint (default the latest; if there is none, the
            freshly initialised model predicts, as TF 1.x does).
          yield_single_examples: yield one example at a time (else whole batches).

        Yields:
          Predictions: dicts of numpy values (or arrays, if predictions is a Tensor).

        Raises:
          ValueError: predict_keys name no prediction, or the batch sizes differ.
        """
        hooks = _check_hooks_type(hooks)
        checkpoint_path = checkpoint_path or self.latest_checkpoint()
        if not checkpoint_path:
            _log.info("Could not find trained model in model_dir: %s, running initialization to "
                      "predict.", self._model_dir)
        with _graph.Graph().as_default():
            spec, input_hooks = self._build(input_fn, ModeKeys.PREDICT)
            predictions = self._extract_keys(spec.predictions, predict_keys)
            creator = _ms.ChiefSessionCreator(scaffold=spec.scaffold,
                                              checkpoint_filename_with_path=checkpoint_path,
                                              config=self._config.session_config)
            all_hooks = input_hooks + hooks + list(spec.prediction_hooks)
            with _ms.MonitoredSession(session_creator=creator, hooks=all_hooks) as sess:
                while not sess.should_stop():
                    evaluated = sess.run(predictions)
                    if not yield_single_examples:
                        yield evaluated
                    elif not isinstance(evaluated, dict):
                        for pred in evaluated:
                            yield pred
                    else:
                        for i in range(self._extract_batch_length(evaluated)):
                            yield {key: value[i] for key, value in evaluated.items()}

    @staticmethod
    def _extract_keys(predictions, predict_keys):
        if not predict_keys:
            return predictions
        if not isinstance(predictions, dict):
            raise ValueError("predict_keys argument is not valid in case of non-dict predictions.")
        existing = predictions
        predictions = {k: v for k, v in predictions.items() if k in predict_keys}
        if not predictions:
            raise ValueError("Expected to run at least one output from {}, provided {}."
                             .format(list(existing), predict_keys))
        return predictions

    @staticmethod
    def _extract_batch_length(evaluated):
        batch_length = None
        for key, value in evaluated.items():
            n = value.shape[0] if getattr(value, "ndim", 0) else None
            if n is None:
                raise ValueError("Prediction %s has no batch dimension (shape %s)."
                                 % (key, getattr(value, "shape", ())))
            batch_length = n if batch_length is None else batch_length
            if n != batch_length:
                raise ValueError("Batch length of predictions should be same. %s has different "
                                 "batch length than others." % key)
        return batch_length or 0
