"""Session-held resources (queues, readers) and the waits of the ops that block on them.

A resource op (FIFOQueueV2, TextLineReaderV2, ...) describes a resource; the resource
itself lives in the session that runs the op, as variable values do: two sessions on
one graph hold separate queues. Ops that share a `shared_name` share one resource.

Blocking ops (a dequeue on an empty queue) wait on the resource's condition variable.
A wait ends when the condition holds, when the run's deadline passes
(`RunOptions(timeout_in_ms=...)`: DeadlineExceededError), or when the session closes
(CancelledError), so no thread blocks forever on a session that is gone.
"""
import contextlib
import threading
import time

from . import errors

_POLL_S = 0.05  # how often a waiting op re-checks the session's closing
_run = threading.local()  # the deadline of the run under way in this thread


@contextlib.contextmanager
def run_deadline(timeout_in_ms):
    """Within the block, blocking ops of this thread give up after `timeout_in_ms`.

    A timeout of 0 or less (TF's default) means no deadline. Nested runs restore the
    enclosing run's deadline on exit.
    """
    previous = getattr(_run, "deadline", None)
    _run.deadline = time.monotonic() + timeout_in_ms / 1000.0 if timeout_in_ms and timeout_in_ms > 0 else None
    try:
        yield
    finally:
        _run.deadline = previous


class ResourceMgr:
    """The resources of one session, by name; closing it wakes every waiting op."""

    def __init__(self):
        self._lock = threading.Lock()
        self._resources = {}
        self._counter = 0
        self.closed = False

    def lookup_or_create(self, key, make):
        """The resource under `key`, made by `make(unique_name_prefix)` on first use."""
        with self._lock:
            res = self._resources.get(key)
            if res is None:
                prefix = "_%d_" % self._counter
                self._counter += 1
                res = self._resources[key] = make(prefix)
            return res

    def close(self):
        """Marks the session closed and wakes every op blocked on one of its resources."""
        with self._lock:
            self.closed = True
            resources = list(self._resources.values())
            self._resources.clear()
        for res in resources:
            cond = getattr(res, "cond", None)
            if cond is not None:
                with cond:
                    cond.notify_all()


def wait_until(cond, ready, op, mgr):
    """Waits on `cond` (held by the caller) until `ready()` is true.

    Raises:
      DeadlineExceededError: the run's deadline passed first.
      CancelledError: the session was closed while waiting.
    """
    deadline = getattr(_run, "deadline", None)
    while not ready():
        if mgr.closed:
            raise errors.CancelledError(None, op, "Session has been closed.")
        if deadline is None:
            cond.wait(_POLL_S)
            continue
        left = deadline - time.monotonic()
        if left <= 0:
            raise errors.DeadlineExceededError(None, op, "Timed out waiting for notification")
        cond.wait(min(left, _POLL_S))
