"""MonitoredSession, MonitoredTrainingSession, Scaffold (TF 1.x monitored_session.py).

A MonitoredSession wraps a tf.Session: on creation it finalizes the graph (through a
Scaffold), initialises variables or restores them from the latest checkpoint, runs the
local init op, starts the graph's queue runners under a Coordinator and tells the hooks;
each `run` goes through the hooks (see session_run_hook.py); `close` (or leaving the
`with` block) ends the hooks, stops the Coordinator, joins the queue threads and closes
the session. An OutOfRangeError (the end of the input) raised by `run` reaches the
caller as in TF, makes `should_stop()` True, and leaving a `with` block swallows it.
"""

from ..framework import errors
from ..framework import graph as _graph
from ..framework.graph import GraphKeys
from ..ops import variables as _variables
from ..ops.control_flow_ops import group
from ..session import Session
from ..summary import summary_ops
from . import basic_session_run_hooks as _hooks
from . import saver as _saver
from .coordinator import Coordinator
from .queue_runner import start_queue_runners
from .session_run_hook import SessionRunArgs, SessionRunContext, SessionRunValues

__all__ = ["Scaffold", "SessionCreator", "ChiefSessionCreator", "MonitoredSession",
           "SingularMonitoredSession", "MonitoredTrainingSession"]

USE_DEFAULT = object()


def _get_from_collection(key, default_fn):
    """The single op in collection `key`, else default_fn() (then stored there)."""
    found = _graph.get_collection(key)
    if len(found) > 1:
        raise RuntimeError("More than one item in the collection \"%s\". Please indicate which "
                           "one to use by passing it to the tf.Scaffold constructor." % key)
    if found:
        return found[0]
    op = default_fn()
    if op is not None:
        _graph.add_to_collection(key, op)
    return op


class Scaffold:
    """The ops that create and initialise a session for a MonitoredSession (tf.train.Scaffold).

    Args:
      init_op: initialises the variables when no checkpoint is restored (default
        tf.global_variables_initializer()).
      init_feed_dict: feeds for init_op.
      init_fn: called as init_fn(scaffold, session) after init_op.
      ready_op: reports uninitialised variables (default report_uninitialized_variables()).
      ready_for_local_init_op: accepted (default: the global variables' report).
      local_init_op: run after init or restore (default tf.local_variables_initializer()).
      summary_op: default tf.summary.merge_all() (None if there are no summaries).
      saver: default the graph's single SAVERS entry, else Saver(allow_empty=True).
      copy_from_scaffold: a Scaffold whose fields fill those not given.
    """

    def __init__(self, init_op=None, init_feed_dict=None, init_fn=None, ready_op=None,
                 ready_for_local_init_op=None, local_init_op=None, summary_op=None, saver=None,
                 copy_from_scaffold=None):
        if copy_from_scaffold is not None:
            if not isinstance(copy_from_scaffold, Scaffold):
                raise TypeError("copy_from_scaffold is not a Scaffold instance.")
            c = copy_from_scaffold
            init_op = init_op or c.init_op
            init_feed_dict = init_feed_dict or c.init_feed_dict
            init_fn = init_fn or c._init_fn
            ready_op = ready_op or c.ready_op
            ready_for_local_init_op = ready_for_local_init_op or c.ready_for_local_init_op
            local_init_op = local_init_op or c.local_init_op
            summary_op = summary_op or c.summary_op
            saver = saver or c.saver
        self._init_op, self._init_feed_dict, self._init_fn = init_op, init_feed_dict, init_fn
        self._ready_op, self._ready_for_local_init_op = ready_op, ready_for_local_init_op
        self._local_init_op, self._summary_op, self._saver = local_init_op, summary_op, saver

    def finalize(self):
        """Creates the missing ops and finalizes the default graph; returns self."""
        if self._init_op is None:
            self._init_op = _get_from_collection(
                GraphKeys.INIT_OP, lambda: _variables.global_variables_initializer())
        if self._ready_op is None:
            self._ready_op = _get_from_collection(
                GraphKeys.READY_OP, lambda: _variables.report_uninitialized_variables())
        if self._ready_for_local_init_op is None:
            self._ready_for_local_init_op = _get_from_collection(
                GraphKeys.READY_FOR_LOCAL_INIT_OP,
                lambda: _variables.report_uninitialized_variables(
                    _variables.global_variables(), name="report_uninitialized_variables_1"))
        if self._local_init_op is None:
            self._local_init_op = _get_from_collection(GraphKeys.LOCAL_INIT_OP, Scaffold.default_local_init_op)
        if self._summary_op is None:
            self._summary_op = _get_from_collection(GraphKeys.SUMMARY_OP, summary_ops.merge_all)
        if self._saver is None:
            savers = _graph.get_collection(GraphKeys.SAVERS)
            if len(savers) > 1:
                raise RuntimeError("More than one item in collection %s. Please indicate which "
                                   "one to use by passing it to the tf.Scaffold constructor."
                                   % GraphKeys.SAVERS)
            self._saver = savers[0] if savers else _saver.Saver(allow_empty=True)
        _graph.get_default_graph().finalize()
        return self

    @staticmethod
    def default_local_init_op():
        """tf.local_variables_initializer() as one op."""
        return group(_variables.local_variables_initializer(), name="group_deps")

    @property
    def init_fn(self):
        return self._init_fn

    @property
    def init_op(self):
        return self._init_op

    @property
    def ready_op(self):
        return self._ready_op

    @property
    def ready_for_local_init_op(self):
        return self._ready_for_local_init_op

    @property
    def local_init_op(self):
        return self._local_init_op

    @property
    def summary_op(self):
        return self._summary_op

    @property
    def saver(self):
        return self._saver

    @property
    def init_feed_dict(self):
        return self._init_feed_dict


class SessionCreator:
    """Creates a tf.Session for a MonitoredSession."""

    def create_session(self):
        raise NotImplementedError("create_session is not implemented for %s." % self)


class ChiefSessionCreator(SessionCreator):
    """Creates a session that initialises or restores the variables (tf.train.ChiefSessionCreator).

    Args:
      scaffold: a Scaffold (default Scaffold()).
      master: the session target ('' : in-process).
      config: a ConfigProto for the session.
      checkpoint_dir: restore its latest checkpoint, if there is one.
      checkpoint_filename_with_path: restore this checkpoint instead.
    """

    def __init__(self, scaffold=None, master="", config=None, checkpoint_dir=None,
                 checkpoint_filename_with_path=None):
        self._scaffold = scaffold or Scaffold()
        self._master, self._config = master, config
        self._checkpoint_dir = checkpoint_dir
        self._checkpoint_filename_with_path = checkpoint_filename_with_path

    def create_session(self):
        self._scaffold.finalize()
        sess = Session(self._master, graph=_graph.get_default_graph(), config=self._config)
        ckpt = self._checkpoint_filename_with_path
        if ckpt is None and self._checkpoint_dir:
            ckpt = _saver.latest_checkpoint(self._checkpoint_dir)
        try:
            if ckpt:
                self._scaffold.saver.restore(sess, ckpt)
            else:
                if self._scaffold.init_op is not None:
                    sess.run(self._scaffold.init_op, feed_dict=self._scaffold.init_feed_dict)
                if self._scaffold.init_fn is not None:
                    self._scaffold.init_fn(self._scaffold, sess)
            if self._scaffold.local_init_op is not None:
                sess.run(self._scaffold.local_init_op)
            not_ready = sess.run(self._scaffold.ready_op) if self._scaffold.ready_op is not None else ()
        except BaseException:
            sess.close()
            raise
        if len(not_ready):
            sess.close()
            raise RuntimeError("Init operations did not make model ready.  Init op: %s, init fn: "
                               "%s, error: Variables not initialized: %s"
                               % (self._scaffold.init_op.name, self._scaffold.init_fn,
                                  ", ".join(str(n) for n in not_ready)))
        return sess


class _MonitoredSession:
    """The shared body of MonitoredSession and SingularMonitoredSession."""

    def __init__(self, session_creator, hooks, stop_grace_period_secs):
        self._hooks = list(hooks or [])
        self._stop_grace_period_secs = stop_grace_period_secs
        for h in self._hooks:
            h.begin()
        self._sess = session_creator.create_session()
        self._coord = Coordinator(clean_stop_exception_types=[errors.OutOfRangeError])
        self._closed = False
        self._should_stop = False
        try:
            self._threads = start_queue_runners(self._sess, coord=self._coord, daemon=True, start=True)
            for h in self._hooks:
                h.after_create_session(self._sess, self._coord)
        except BaseException:
            self._close_internal(error=True)
            raise

    @property
    def graph(self):
        return self._sess.graph

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type in (errors.OutOfRangeError, StopIteration):
            exc_type = None
        self._close_internal(error=exc_type is not None)
        return exc_type is None  # swallows the end of input, as TF

    def should_stop(self):
        """True once a hook requested stop, the Coordinator stopped, input ended, or closed."""
        return self._closed or self._should_stop or self._coord.should_stop()

    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Runs `fetches` like Session.run, with the hooks' fetches, feeds and options added.

        Raises:
          RuntimeError: the session is closed, or a tensor is fed twice (by two hooks, or
            by a hook and the caller).
          Whatever Session.run raises (OutOfRangeError at the end of the input).
        """
        if self._closed:
            raise RuntimeError("Run called even after should_stop requested.")
        context = SessionRunContext(SessionRunArgs(fetches, feed_dict), self._sess)
        actual_fetches = {"caller": fetches}
        feeds = dict(feed_dict or {})
        hook_feeds = {}
        hook_keys = []
        for i, h in enumerate(self._hooks):
            request = h.before_run(context)
            hook_keys.append(None)
            if request is None:
                continue
            if request.fetches is not None:
                hook_keys[i] = "hook_%d" % i
                actual_fetches[hook_keys[i]] = request.fetches
            for k, v in (request.feed_dict or {}).items():
                if k in hook_feeds:
                    raise RuntimeError("Same tensor is fed by two hooks.")
                if k in feeds:
                    raise RuntimeError("Same tensor is fed by a SessionRunHook and user.")
                hook_feeds[k] = v
            if request.options is not None:
                options = _merge_options(options, request.options)
        feeds.update(hook_feeds)
        try:
            outputs = self._sess.run(actual_fetches, feed_dict=feeds or None, options=options,
                                     run_metadata=run_metadata)
        except errors.OutOfRangeError:
            self._should_stop = True
            raise
        except Exception:
            self._coord.raise_requested_exception()  # a queue thread's error, if one caused this
            raise
        for i, h in enumerate(self._hooks):
            h.after_run(context, SessionRunValues(outputs.get(hook_keys[i]) if hook_keys[i] else None,
                                                  options, run_metadata))
        self._should_stop = self._should_stop or context.stop_requested
        return outputs["caller"]

    def close(self):
        """Ends the hooks, stops and joins the queue threads, closes the session."""
        self._close_internal(error=False)

    def _close_internal(self, error):
        if self._closed:
            return
        try:
            if not error:
                for h in self._hooks:
                    h.end(self._sess)
        finally:
            self._closed = True
            try:
                self._coord.request_stop()
                self._coord.join(getattr(self, "_threads", None),
                                 stop_grace_period_secs=self._stop_grace_period_secs,
                                 ignore_live_threads=True)
            finally:
                self._sess.close()


def _merge_options(a, b):
    if a is None:
        return b
    timeouts = [t for t in (getattr(a, "timeout_in_ms", 0), getattr(b, "timeout_in_ms", 0)) if t]
    if timeouts:
        a.timeout_in_ms = min(timeouts)
    return a


class MonitoredSession(_MonitoredSession):
    """A session that initialises/restores, runs queue threads and hooks (tf.train.MonitoredSession).

    Args:
      session_creator: a SessionCreator (default ChiefSessionCreator()).
      hooks: SessionRunHooks.
      stop_grace_period_secs: how long close() waits for the queue threads.
    """

    def __init__(self, session_creator=None, hooks=None, stop_grace_period_secs=120):
        super().__init__(session_creator or ChiefSessionCreator(), hooks, stop_grace_period_secs)


class SingularMonitoredSession(_MonitoredSession):
    """A MonitoredSession that gives access to the raw session (tf.train.SingularMonitoredSession)."""

    def __init__(self, hooks=None, scaffold=None, master="", config=None, checkpoint_dir=None,
                 stop_grace_period_secs=120, checkpoint_filename_with_path=None):
        creator = ChiefSessionCreator(scaffold=scaffold, master=master, config=config,
                                      checkpoint_dir=checkpoint_dir,
                                      checkpoint_filename_with_path=checkpoint_filename_with_path)
        super().__init__(creator, hooks, stop_grace_period_secs)

    def raw_session(self):
        """The underlying tf.Session."""
        return self._sess


def MonitoredTrainingSession(master="", is_chief=True, checkpoint_dir=None, scaffold=None,  # noqa: N802
                             hooks=None, chief_only_hooks=None, save_checkpoint_secs=USE_DEFAULT,
                             save_summaries_steps=USE_DEFAULT, save_summaries_secs=USE_DEFAULT,
                             config=None, stop_grace_period_secs=120, log_step_count_steps=100,
                             max_wait_secs=7200, save_checkpoint_steps=USE_DEFAULT,
                             summary_dir=None):
    """A MonitoredSession set up for training (tf.train.MonitoredTrainingSession).

    With a checkpoint_dir, the chief restores its latest checkpoint and adds a
    StepCounterHook (every log_step_count_steps), a SummarySaverHook (every
    save_summaries_steps steps, default 100, or save_summaries_secs) and a
    CheckpointSaverHook (every save_checkpoint_secs, default 600, or
    save_checkpoint_steps), as TF does; a value of None or 0 turns a hook off.

    Args:
      master: the session target; is_chief: whether to add the chief-only hooks (a
        non-chief session is created the same way here: there is no shared master).
      checkpoint_dir, scaffold, hooks, chief_only_hooks, config, stop_grace_period_secs,
      summary_dir (default checkpoint_dir): as above. max_wait_secs: accepted.

    Returns:
      A MonitoredSession.
    """
    if save_summaries_steps is USE_DEFAULT and save_summaries_secs is USE_DEFAULT:
        save_summaries_steps, save_summaries_secs = 100, None
    elif save_summaries_secs is USE_DEFAULT:
        save_summaries_secs = None
    elif save_summaries_steps is USE_DEFAULT:
        save_summaries_steps = None
    if save_checkpoint_steps is USE_DEFAULT and save_checkpoint_secs is USE_DEFAULT:
        save_checkpoint_steps, save_checkpoint_secs = None, 600
    elif save_checkpoint_secs is USE_DEFAULT:
        save_checkpoint_secs = None
    elif save_checkpoint_steps is USE_DEFAULT:
        save_checkpoint_steps = None
    scaffold = scaffold or Scaffold()
    all_hooks = list(hooks or [])
    if is_chief:
        all_hooks.extend(chief_only_hooks or [])
        summary_dir = summary_dir or checkpoint_dir
        if summary_dir:
            if log_step_count_steps and log_step_count_steps > 0:
                all_hooks.append(_hooks.StepCounterHook(output_dir=summary_dir,
                                                        every_n_steps=log_step_count_steps))
            if (save_summaries_steps and save_summaries_steps > 0) or (
                    save_summaries_secs and save_summaries_secs > 0):
                all_hooks.append(_hooks.SummarySaverHook(
                    scaffold=scaffold, save_steps=save_summaries_steps or None,
                    save_secs=save_summaries_secs or None, output_dir=summary_dir))
        if checkpoint_dir and ((save_checkpoint_secs and save_checkpoint_secs > 0) or (
                save_checkpoint_steps and save_checkpoint_steps > 0)):
            all_hooks.append(_hooks.CheckpointSaverHook(
                checkpoint_dir, save_steps=save_checkpoint_steps or None,
                save_secs=save_checkpoint_secs or None, scaffold=scaffold))
    creator = ChiefSessionCreator(scaffold=scaffold, checkpoint_dir=checkpoint_dir,
                                  master=master, config=config)
    return MonitoredSession(session_creator=creator, hooks=all_hooks,
                            stop_grace_period_secs=stop_grace_period_secs)

