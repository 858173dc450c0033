"""Session-held resources (iterators, queues, readers) and the waits of ops that block.

A resource op (IteratorV2, FIFOQueueV2, TextLineReaderV2, ...) describes a resource;
the resource itself lives in the session that runs the op, as variable values do: two
sessions on one graph hold separate queues. Ops that share a `shared_name` share one.

Blocking ops (a dequeue on an empty queue) wait on the resource's condition variable.
A wait ends when the condition holds, when the run's deadline passes
(`RunOptions(timeout_in_ms=...)`: DeadlineExceededError), or when the session closes
(CancelledError), so no thread blocks forever on a session that is gone.
"""
import threading
import time

from .framework import errors

_POLL_S = 0.05  # how often a waiting op re-checks the session's closing


class ResourceMgr(dict):
    """The resources of one session, by key (a dict); closing it wakes every waiting op."""

    def __init__(self):
        super().__init__()
        self._lock = threading.Lock()
        self._counter = 0
        self.closed = False

    def lookup_or_create(self, key, make):
        """The resource under `key`, made by `make(unique_name_prefix)` on first use."""
        with self._lock:
            res = self.get(key)
            if res is None:
                prefix = "_%d_" % self._counter
                self._counter += 1
                res = self[key] = make(prefix)
            return res

    def close(self):
        """Marks the session closed and wakes every op blocked on one of its resources."""
        with self._lock:
            self.closed = True
            resources = list(self.values())
            self.clear()
        for res in resources:
            cond = getattr(res, "cond", None)
            if cond is not None:
                with cond:
                    cond.notify_all()


def wait_until(cond, ready, op, mgr, deadline):
    """Waits on `cond` (held by the caller) until `ready()` is true.

    Args:
      deadline: the run's deadline (`Run.deadline`: a time.monotonic() value), or None.

    Raises:
      DeadlineExceededError: the deadline passed first.
      CancelledError: the session was closed while waiting.
    """
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
