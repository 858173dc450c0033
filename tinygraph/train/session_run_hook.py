"""SessionRunHook and the values it exchanges with MonitoredSession.run (TF 1.x names).

A hook sees every `run` of a MonitoredSession: `before_run` may add fetches, feeds and
options to the call (a `SessionRunArgs`), `after_run` receives their results (a
`SessionRunValues`) and may ask the session to stop through the `SessionRunContext`.
"""
import collections

__all__ = ["SessionRunHook", "SessionRunArgs", "SessionRunContext", "SessionRunValues"]


class SessionRunHook:
    """Hook to extend calls to MonitoredSession.run() (tf.train.SessionRunHook)."""

    def begin(self):
        """Called once before the session is created; the graph can still be changed."""

    def after_create_session(self, session, coord):
        """Called once the session is created and initialised (graph finalized)."""

    def before_run(self, run_context):
        """Called before each run; returns None or a SessionRunArgs to add to the call."""
        return None

    def after_run(self, run_context, run_values):
        """Called after each run with the results of what before_run asked for."""

    def end(self, session):
        """Called when the session is closed without an error (end of input counts as none)."""


class SessionRunArgs(collections.namedtuple("SessionRunArgs", ["fetches", "feed_dict", "options"])):
    """What a hook adds to a run call: fetches, feed_dict, options (RunOptions)."""

    def __new__(cls, fetches, feed_dict=None, options=None):
        return super().__new__(cls, fetches, feed_dict, options)


class SessionRunContext:
    """The run call seen by hooks: its original arguments, the session, a stop request.

    Args:
      original_args: the SessionRunArgs the caller passed to run().
      session: the raw tf.Session.
    """

    def __init__(self, original_args, session):
        self._original_args = original_args
        self._session = session
        self._stop_requested = False

    @property
    def original_args(self):
        return self._original_args

    @property
    def session(self):
        return self._session

    @property
    def stop_requested(self):
        return self._stop_requested

    def request_stop(self):
        """Asks the MonitoredSession to stop: its should_stop() becomes True after this run."""
        self._stop_requested = True


SessionRunValues = collections.namedtuple("SessionRunValues", ["results", "options", "run_metadata"])
SessionRunValues.__doc__ = "The results of a hook's SessionRunArgs, after the run."
