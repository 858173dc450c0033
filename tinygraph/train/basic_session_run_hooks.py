"""The standard SessionRunHooks of tf.train (TF 1.x basic_session_run_hooks.py).

StopAtStepHook, CheckpointSaverHook (+ CheckpointSaverListener), LoggingTensorHook,
StepCounterHook, SummarySaverHook, NanTensorHook, FeedFnHook, FinalOpsHook, and the
SecondOrStepTimer they trigger by. Summary writers are shared per directory through
SummaryWriterCache, as in TF.
"""
import math
import os
import threading
import time

from .. import tf_logging as _log
from ..framework import graph as _graph
from ..framework.graph import GraphKeys
from ..summary import summary_ops
from ..summary.writer import FileWriter
from . import training_util
from .session_run_hook import SessionRunArgs, SessionRunHook

__all__ = ["SecondOrStepTimer", "StopAtStepHook", "CheckpointSaverListener",
           "CheckpointSaverHook", "LoggingTensorHook", "StepCounterHook", "SummarySaverHook",
           "NanTensorHook", "NanLossDuringTrainingError", "FeedFnHook", "FinalOpsHook",
           "SummaryWriterCache"]



class SummaryWriterCache:
    """One FileWriter per directory, shared by hooks (tf.summary.FileWriterCache)."""
    _cache = {}
    _lock = threading.Lock()

    @staticmethod
    def get(logdir):
        """The FileWriter for `logdir`, created on first use."""
        with SummaryWriterCache._lock:
            if logdir not in SummaryWriterCache._cache:
                SummaryWriterCache._cache[logdir] = FileWriter(logdir, graph=_graph.get_default_graph())
            return SummaryWriterCache._cache[logdir]

    @staticmethod
    def clear():
        """Closes and forgets all cached writers."""
        with SummaryWriterCache._lock:
            for w in SummaryWriterCache._cache.values():
                w.close()
            SummaryWriterCache._cache = {}


class SecondOrStepTimer:
    """Triggers at most every `every_secs` seconds or every `every_steps` steps.

    Raises:
      ValueError: both or neither of every_secs and every_steps are given.
    """

    def __init__(self, every_secs=None, every_steps=None):
        if (every_secs is None) == (every_steps is None):
            raise ValueError("Either every_secs or every_steps should be provided.")
        self._every_secs, self._every_steps = every_secs, every_steps
        self.reset()

    def reset(self):
        self._last_triggered_step = None
        self._last_triggered_time = None

    def should_trigger_for_step(self, step):
        """Whether the timer fires at global step `step` (always on the first call)."""
        if self._last_triggered_step is None:
            return True
        if self._last_triggered_step == step:
            return False
        if self._every_secs is not None and time.time() >= self._last_triggered_time + self._every_secs:
            return True
        if self._every_steps is not None and step >= self._last_triggered_step + self._every_steps:
            return True
        return False

    def update_last_triggered_step(self, step):
        """Records a trigger at `step`; returns (elapsed seconds, elapsed steps) or (None, None)."""
        now = time.time()
        if self._last_triggered_time is None:
            elapsed = (None, None)
        else:
            elapsed = (now - self._last_triggered_time, step - self._last_triggered_step)
        self._last_triggered_time, self._last_triggered_step = now, step
        return elapsed

    def last_triggered_step(self):
        return self._last_triggered_step


def _global_step_or_raise(hook_name):
    step = training_util.get_global_step()
    if step is None:
        raise RuntimeError("Global step should be created to use %s." % hook_name)
    return step


class StopAtStepHook(SessionRunHook):
    """Requests stop at a global step (tf.train.StopAtStepHook).

    Args:
      num_steps: steps to run from the global step the session starts at.
      last_step: the global step after which to stop.

    Raises:
      ValueError: neither or both of num_steps and last_step, or num_steps < 0.
    """

    def __init__(self, num_steps=None, last_step=None):
        if num_steps is None and last_step is None:
            raise ValueError("One of num_steps or last_step must be specified.")
        if num_steps is not None and last_step is not None:
            raise ValueError("Only one of num_steps or last_step can be specified.")
        if num_steps is not None and num_steps < 0:
            raise ValueError("Undefined behavior for num_steps < 0")
        self._num_steps, self._last_step = num_steps, last_step

    def begin(self):
        self._global_step_tensor = _global_step_or_raise("StopAtStepHook")

    def after_create_session(self, session, coord):
        if self._last_step is None:
            self._last_step = int(session.run(self._global_step_tensor)) + self._num_steps

    def before_run(self, run_context):
        return SessionRunArgs(self._global_step_tensor)

    def after_run(self, run_context, run_values):
        # The fetched value may be from before or after this run's increment: re-read.
        if int(run_values.results) + 1 >= self._last_step:
            if int(run_context.session.run(self._global_step_tensor)) >= self._last_step:
                run_context.request_stop()


class CheckpointSaverListener:
    """Called around the saves of a CheckpointSaverHook (tf.train.CheckpointSaverListener)."""

    def begin(self):
        pass

    def before_save(self, session, global_step_value):
        pass

    def after_save(self, session, global_step_value):
        """May return True to request the training to stop."""

    def end(self, session, global_step_value):
        pass


class CheckpointSaverHook(SessionRunHook):
    """Saves checkpoints every N steps or seconds (tf.train.CheckpointSaverHook).

    Saves once after the session is created, on each trigger, and at the end.

    Args:
      checkpoint_dir: the directory; files are `<dir>/<checkpoint_basename>-<step>`.
      save_secs, save_steps: exactly one of them.
      saver: a Saver; default the scaffold's, else the graph's SAVERS collection.
      checkpoint_basename: default "model.ckpt".
      scaffold: a Scaffold whose saver to use.
      listeners: CheckpointSaverListeners.

    Raises:
      ValueError: both saver and scaffold, or not exactly one of save_secs/save_steps.
    """

    def __init__(self, checkpoint_dir, save_secs=None, save_steps=None, saver=None,
                 checkpoint_basename="model.ckpt", scaffold=None, listeners=None,
                 save_graph_def=True):
        if saver is not None and scaffold is not None:
            raise ValueError("You cannot provide both saver and scaffold.")
        self._saver, self._scaffold = saver, scaffold
        self._checkpoint_dir = checkpoint_dir
        self._save_path = os.path.join(checkpoint_dir, checkpoint_basename)
        self._timer = SecondOrStepTimer(every_secs=save_secs, every_steps=save_steps)
        self._listeners = listeners or []
        self._save_graph_def = save_graph_def

    def begin(self):
        self._summary_writer = SummaryWriterCache.get(self._checkpoint_dir) if self._save_graph_def else None
        self._global_step_tensor = _global_step_or_raise("CheckpointSaverHook")
        for listener in self._listeners:
            listener.begin()

    def after_create_session(self, session, coord):
        global_step = int(session.run(self._global_step_tensor))
        self._save(session, global_step)
        self._timer.update_last_triggered_step(global_step)

    def before_run(self, run_context):
        return SessionRunArgs(self._global_step_tensor)

    def after_run(self, run_context, run_values):
        if self._timer.should_trigger_for_step(int(run_values.results) + 1):
            global_step = int(run_context.session.run(self._global_step_tensor))
            if self._timer.should_trigger_for_step(global_step):
                self._timer.update_last_triggered_step(global_step)
                if self._save(run_context.session, global_step):
                    run_context.request_stop()

    def end(self, session):
        last_step = int(session.run(self._global_step_tensor))
        if last_step != self._timer.last_triggered_step():
            self._save(session, last_step)
        for listener in self._listeners:
            listener.end(session, last_step)

    def _get_saver(self):
        if self._saver is not None:
            return self._saver
        if self._scaffold is not None:
            return self._scaffold.saver
        savers = _graph.get_collection(GraphKeys.SAVERS)
        if not savers:
            raise RuntimeError("No items in collection %s. Please add a saver to the collection "
                               "or provide a saver or scaffold." % GraphKeys.SAVERS)
        if len(savers) > 1:
            raise RuntimeError("More than one item in collection %s. Please indicate which one "
                               "to use by passing it to the constructor." % GraphKeys.SAVERS)
        return savers[0]

    def _save(self, session, step):
        """Saves; returns True if a listener asks to stop."""
        _log.info("Saving checkpoints for %d into %s.", step, self._save_path)
        for listener in self._listeners:
            listener.before_save(session, step)
        self._get_saver().save(session, self._save_path, global_step=step)
        should_stop = False
        for listener in self._listeners:
            if listener.after_save(session, step):
                should_stop = True
        return should_stop


def _as_tensor_dict(tensors):
    if isinstance(tensors, dict):
        items = list(tensors.items())
    else:
        items = [(t if isinstance(t, str) else t.name, t) for t in tensors]
    graph = _graph.get_default_graph()
    return [(tag, graph.as_graph_element(t) if isinstance(t, str) else t) for tag, t in items]


class LoggingTensorHook(SessionRunHook):
    """Logs the values of tensors every N local steps, every N seconds, or at the end.

    Lines go to the "tensorflow" logger at INFO, as "tag = value, tag = value (x sec)".

    Args:
      tensors: a dict {tag: tensor or name}, or a list of tensors / names.
      every_n_iter, every_n_secs: exactly one, unless at_end is True.
      at_end: also log at the end.
      formatter: a function of the {tag: value} dict returning the line.

    Raises:
      ValueError: `every_n_iter` is not positive, or the trigger arguments do not fit.
    """

    def __init__(self, tensors, every_n_iter=None, every_n_secs=None, at_end=False, formatter=None):
        only_log_at_end = at_end and every_n_iter is None and every_n_secs is None
        if not only_log_at_end and (every_n_iter is None) == (every_n_secs is None):
            raise ValueError("either at_end and/or exactly one of every_n_iter and every_n_secs "
                             "must be provided.")
        if every_n_iter is not None and every_n_iter <= 0:
            raise ValueError("invalid every_n_iter=%s." % every_n_iter)
        self._tensors = tensors
        self._timer = (None if only_log_at_end
                       else SecondOrStepTimer(every_secs=every_n_secs, every_steps=every_n_iter))
        self._log_at_end = at_end
        self._formatter = formatter

    def begin(self):
        self._iter_count = 0
        self._current = _as_tensor_dict(self._tensors)
        if self._timer is not None:
            self._timer.reset()

    def before_run(self, run_context):
        self._should_trigger = (self._timer is not None
                                and self._timer.should_trigger_for_step(self._iter_count))
        if self._should_trigger:
            return SessionRunArgs({tag: t for tag, t in self._current})
        return None

    def _log_tensors(self, values):
        if self._formatter is not None:
            _log.info(self._formatter(values))
            return
        line = ", ".join("%s = %s" % (tag, values[tag]) for tag, _ in self._current)
        if self._timer is not None:
            elapsed, _ = self._timer.update_last_triggered_step(self._iter_count)
            if elapsed is not None:
                line += " (%.3f sec)" % elapsed
        _log.info(line)

    def after_run(self, run_context, run_values):
        if self._should_trigger:
            self._log_tensors(run_values.results)
        self._iter_count += 1

    def end(self, session):
        if self._log_at_end:
            self._log_tensors(session.run({tag: t for tag, t in self._current}))


def _scalar_summary(tag, value):
    pb = summary_ops.summary_pb2()
    return pb.Summary(value=[pb.Summary.Value(tag=tag, simple_value=float(value))])


class StepCounterHook(SessionRunHook):
    """Logs and writes "global_step/sec" every N steps or seconds (tf.train.StepCounterHook).

    Raises:
      ValueError: both or neither of every_n_steps and every_n_secs.
    """

    def __init__(self, every_n_steps=100, every_n_secs=None, output_dir=None, summary_writer=None):
        if (every_n_steps is None) == (every_n_secs is None):
            raise ValueError("exactly one of every_n_steps and every_n_secs should be provided.")
        self._timer = SecondOrStepTimer(every_steps=every_n_steps, every_secs=every_n_secs)
        self._summary_writer, self._output_dir = summary_writer, output_dir
        self._summary_tag = "global_step/sec"

    def begin(self):
        if self._summary_writer is None and self._output_dir:
            self._summary_writer = SummaryWriterCache.get(self._output_dir)
        self._global_step_tensor = _global_step_or_raise("StepCounter")

    def before_run(self, run_context):
        return SessionRunArgs(self._global_step_tensor)

    def after_run(self, run_context, run_values):
        step = int(run_values.results)
        if self._timer.should_trigger_for_step(step):
            elapsed_time, elapsed_steps = self._timer.update_last_triggered_step(step)
            if elapsed_time is not None and elapsed_time > 0:
                rate = elapsed_steps / elapsed_time
                if self._summary_writer is not None:
                    self._summary_writer.add_summary(_scalar_summary(self._summary_tag, rate), step)
                _log.info("%s: %g", self._summary_tag, rate)


class SummarySaverHook(SessionRunHook):
    """Writes the summary op's result every N steps or seconds (tf.train.SummarySaverHook).

    Args:
      save_steps, save_secs: exactly one.
      output_dir or summary_writer: where to write.
      scaffold or summary_op: exactly one; the op is the scaffold's summary_op.

    Raises:
      ValueError: both or neither of scaffold and summary_op.
    """

    def __init__(self, save_steps=None, save_secs=None, output_dir=None, summary_writer=None,
                 scaffold=None, summary_op=None):
        if (scaffold is None) == (summary_op is None):
            raise ValueError("Exactly one of scaffold or summary_op must be provided.")
        self._summary_op, self._scaffold = summary_op, scaffold
        self._summary_writer, self._output_dir = summary_writer, output_dir
        self._timer = SecondOrStepTimer(every_secs=save_secs, every_steps=save_steps)

    def begin(self):
        if self._summary_writer is None and self._output_dir:
            self._summary_writer = SummaryWriterCache.get(self._output_dir)
        self._next_step = None
        self._global_step_tensor = _global_step_or_raise("SummarySaver")

    def _op(self):
        op = self._scaffold.summary_op if self._scaffold is not None else self._summary_op
        return op

    def before_run(self, run_context):
        self._request_summary = (self._next_step is None
                                 or self._timer.should_trigger_for_step(self._next_step))
        requests = {"global_step": self._global_step_tensor}
        if self._request_summary and self._op() is not None:
            requests["summary"] = self._op()
        return SessionRunArgs(requests)

    def after_run(self, run_context, run_values):
        if self._summary_writer is None:
            return
        stale_global_step = int(run_values.results["global_step"])
        global_step = stale_global_step + 1
        if self._next_step is None or self._request_summary:
            global_step = int(run_context.session.run(self._global_step_tensor))
        if self._request_summary:
            self._timer.update_last_triggered_step(global_step)
            if "summary" in run_values.results:
                self._summary_writer.add_summary(run_values.results["summary"], global_step)
        self._next_step = global_step + 1

    def end(self, session=None):
        if self._summary_writer is not None:
            self._summary_writer.flush()


class NanLossDuringTrainingError(RuntimeError):
    def __str__(self):
        return "NaN loss during training."


class NanTensorHook(SessionRunHook):
    """Stops (or raises NanLossDuringTrainingError) when the loss is NaN (tf.train.NanTensorHook)."""

    def __init__(self, loss_tensor, fail_on_nan_loss=True):
        self._loss_tensor, self._fail_on_nan_loss = loss_tensor, fail_on_nan_loss

    def before_run(self, run_context):
        return SessionRunArgs(self._loss_tensor)

    def after_run(self, run_context, run_values):
        if math.isnan(float(run_values.results)):
            if self._fail_on_nan_loss:
                _log.error("Model diverged with loss = NaN.")
                raise NanLossDuringTrainingError
            _log.warning("Model diverged with loss = NaN.")
            run_context.request_stop()


class FeedFnHook(SessionRunHook):
    """Feeds `feed_fn()` into every run (tf.train.FeedFnHook)."""

    def __init__(self, feed_fn):
        self.feed_fn = feed_fn

    def before_run(self, run_context):
        return SessionRunArgs(fetches=None, feed_dict=self.feed_fn())


class FinalOpsHook(SessionRunHook):
    """Runs `final_ops` when the session ends; their values are `final_ops_values`."""

    def __init__(self, final_ops, final_ops_feed_dict=None):
        self._final_ops, self._final_ops_feed_dict = final_ops, final_ops_feed_dict
        self._final_ops_values = None

    @property
    def final_ops_values(self):
        return self._final_ops_values

    def end(self, session):
        if self._final_ops is not None:
            self._final_ops_values = session.run(self._final_ops, feed_dict=self._final_ops_feed_dict)
