"""Where run-time state lives: the session's (RunContext) and one run's (Run).

A RunContext belongs to a Session and is shared by every plan and every thread that
runs it: variable values, uploaded constants, random streams. It holds nothing about a
particular compile or run, so one session may be driven from many threads.

A Run belongs to one `Session.run` call: its loop counters (RunStats) and, for a
traced run, its Tracer. Kernels that need it (While, for its counters and to trace
its body) read `current_run()`, which each thread sees separately.
"""
import contextvars
import threading
import time

from .resources import ResourceMgr


class RunContext:
    """What kernels bound to a session may use: backend, variable values, random streams.

    Attributes:
      backend: the array backend; `xp` is its array module.
      variables: dict from a variable's op to its current array.
      resources: the session's resources (iterators, queues, readers) by key.
      constants: dict from a Const op to its backend array (shared by all plans).
      variables_version: bumped by every in-place variable update (MatMul's cached
        transposed weights compare it).
      update_lock: held by every optimizer update while it reads and writes its variable
        and slots, so that updates racing from two threads never mix their halves.
    """

    def __init__(self, backend):
        self.backend = backend
        self.xp = backend.xp
        self.variables = {}
        self.resources = ResourceMgr()  # iterators, queues, readers: by resource key
        self.constants = {}  # Const op -> its value on the backend, uploaded once per session
        self._rngs = {}
        self.variables_version = 0
        self.update_lock = threading.Lock()

    def rng(self, op, seed):
        """The random stream of `op` in this session: one per op, kept across runs."""
        r = self._rngs.get(op)
        if r is None:  # two threads may race here: one stream wins, for both
            r = self._rngs.setdefault(op, self.backend.random_state(seed))
        return r


class RunStats:
    """Counters of one run: what While ops saved for backprop and what they swapped."""

    def __init__(self):
        self.saved_values = 0
        self.saved_bytes = 0
        self.swapped_values = 0
        self.swapped_bytes = 0
        self.loop_iterations = 0
        self.peak_saved_bytes = 0
        self._live_saved_bytes = 0
        self.peak_live_bytes = 0  # measured only by traced runs (see tracing.LiveBytes)

    def as_dict(self):
        return dict(saved_values=self.saved_values, saved_bytes=self.saved_bytes,
                    swapped_values=self.swapped_values, swapped_bytes=self.swapped_bytes,
                    loop_iterations=self.loop_iterations, peak_saved_bytes=self.peak_saved_bytes)


class Run:
    """The state of one run: its counters, its tracer (None: not traced) and its
    deadline (a `time.monotonic()` value, or None), which blocking ops honour."""

    __slots__ = ("stats", "tracer", "deadline")

    def __init__(self, tracer=None, deadline=None):
        self.stats = RunStats()
        self.tracer = tracer
        self.deadline = deadline


def deadline_of(options):
    """The deadline that RunOptions(timeout_in_ms=...) sets for a run starting now."""
    timeout_ms = getattr(options, "timeout_in_ms", 0) if options is not None else 0
    return time.monotonic() + timeout_ms / 1000.0 if timeout_ms and timeout_ms > 0 else None


_current = contextvars.ContextVar("tinygraph_run", default=None)


def current_run():
    """The Run under way in this thread (a throwaway one outside `Session.run`)."""
    run = _current.get()
    return run if run is not None else Run()


def running(run):
    """Makes `run` the current one; returns the token for `finish`."""
    return _current.set(run)


def finish(token):
    _current.reset(token)
