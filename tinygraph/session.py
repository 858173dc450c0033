"""Session and InteractiveSession: run parts of a graph, holding variable values.

`Session.run` flattens the fetches (any nesting of lists, tuples, namedtuples and
dicts), checks and converts the feeds, finds or compiles the Plan for this
signature, runs it and rebuilds the fetch structure with numpy values.
"""
import collections

from . import backend as _backend
from . import feeds
from . import session_config
from .backend import hostnp as np
from .executor import Plan
from .run_context import Run, RunContext, deadline_of
from .tracing import Tracer
from .framework.graph import Operation, Tensor, get_default_graph

# The default-session stack lives in the framework (Tensor.eval and Operation.run use it).
from .framework.graph import _default_session_stack, _session_for_eval, get_default_session  # noqa: F401,E402


class _Fetches:
    """Flattens a nested fetch structure and rebuilds it from the fetched values."""

    def __init__(self, graph, fetches):
        self.graph = graph
        self.elements = []  # Tensors and Operations, possibly repeated
        self._build = self._flatten(fetches)

    def _flatten(self, f):
        if f is None:
            raise TypeError("Fetch argument None has invalid type %s" % type(None))
        if hasattr(f, "_fetch_components"):  # IndexedSlices and the like
            parts = [self._flatten(c) for c in f._fetch_components()]
            rebuild = f._fetch_rebuild
            return lambda vals: rebuild([p(vals) for p in parts])
        if isinstance(f, (list, tuple)) and not isinstance(f, str):
            parts = [self._flatten(x) for x in f]
            if isinstance(f, tuple) and hasattr(f, "_fields"):  # namedtuple
                cls = type(f)
                return lambda vals: cls(*[p(vals) for p in parts])
            cls = type(f) if isinstance(f, tuple) else list
            return lambda vals: cls([p(vals) for p in parts])
        if isinstance(f, collections.abc.Mapping):
            keys = list(f.keys())
            parts = [self._flatten(f[k]) for k in keys]
            cls = type(f)

            def rebuild(vals):
                d = cls() if cls is not dict else {}
                for k, p in zip(keys, parts):
                    d[k] = p(vals)
                return d
            return rebuild
        try:
            el = self.graph.as_graph_element(f, allow_tensor=True, allow_operation=True)
        except TypeError as e:
            raise TypeError("Fetch argument %r has invalid type %r, must be a string or Tensor. (%s)"
                            % (f, type(f), e)) from None
        except ValueError as e:
            raise ValueError("Fetch argument %r cannot be interpreted as a Tensor. (%s)" % (f, e)) from None
        except KeyError as e:
            raise ValueError("Fetch argument %r cannot be interpreted as a Tensor. (%s)"
                             % (f, e.args[0] if e.args else e)) from None
        i = len(self.elements)
        self.elements.append(el)
        if isinstance(el, Operation):
            return lambda vals: None
        return lambda vals: vals[i]

    def rebuild(self, values):
        return self._build(values)


class BaseSession:
    """Common code of Session and InteractiveSession."""

    def __init__(self, target="", graph=None, config=None):
        self.graph = graph if graph is not None else get_default_graph()
        if self.graph.outer_graph is not None:
            raise ValueError("A session runs an outermost graph, not a loop or cond body.")
        self.target = target
        self.config = session_config.check_config(config)
        n_blas = session_config.blas_threads(self.config)
        self._blas_threads = session_config.BlasThreads(n_blas) if n_blas else session_config.NO_LIMIT
        self._log_placement = bool(self.config is not None and self.config.log_device_placement)
        self._closed = False
        self._backend = _backend.get_backend()
        self._ctx = RunContext(self._backend)
        self._plans = {}

    @property
    def sess_str(self):
        return self.target

    @property
    def backend(self):
        """The array backend this session computes with."""
        return self._backend

    @property
    def graph_def(self):
        """`self.graph.as_graph_def()` (tf.train.write_graph(sess.graph_def, ...) takes it)."""
        return self.graph.as_graph_def()

    # -- running ------------------------------------------------------------------
    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Runs the ops and evaluates the tensors in `fetches`.

        Args:
          fetches: a Tensor, Operation, Variable, tensor or op name, or any nesting of
            lists, tuples, namedtuples and dicts of them.
          feed_dict: maps Tensors (or their names) to values (numpy arrays, Python
            scalars or nested lists) that replace those tensors in this run.
          options: a RunOptions (tracing), optional.
          run_metadata: a RunMetadata that receives step stats and loop counters, optional.

        Returns:
          The fetched values in the structure of `fetches`: numpy arrays (numpy scalars
          for 0-d tensors) for tensors, None for operations.

        Raises:
          RuntimeError: the session is closed.
          TypeError, ValueError, OverflowError: bad fetch or feed arguments, checked
            before anything runs (see tinygraph.feeds; the graph is untouched).
          InvalidArgumentError: a missing feed or a shape clash while running.
          FailedPreconditionError: an uninitialized variable was read.
        """
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        fetch_struct = _Fetches(self.graph, fetches)
        feed_tensors, feed_values = self._convert_feeds(feed_dict)
        tensors, targets = [], []
        for el in fetch_struct.elements:
            (targets if isinstance(el, Operation) else tensors).append(el)
        plan = self._plan(tensors, feed_tensors, targets)
        # What this call collects lives in its own Run: other threads' runs keep theirs.
        run = Run(deadline=deadline_of(options))
        if options is not None and getattr(options, "trace_level", 0) and run_metadata is not None:
            run.tracer = Tracer(self._ctx.variables, run.stats)
        to_device = self._backend.to_device
        saved_blas = self._blas_threads.limit()  # intra_op_parallelism_threads: the BLAS pool
        try:
            values = plan.run([to_device(v) for v in feed_values], run)
        finally:
            self._blas_threads.restore(saved_blas)
        if run_metadata is not None:
            run_metadata._record(run.stats, run.tracer.records if run.tracer else None, self._backend)
        to_host = self._backend.to_host
        out = []
        ti = 0
        for el in fetch_struct.elements:
            if isinstance(el, Operation):
                out.append(None)
                continue
            v = values[ti]
            ti += 1
            out.append(_to_numpy(to_host(v)))
        return fetch_struct.rebuild(out)

    def _plan(self, tensors, feed_tensors, targets):
        key = (tuple(tensors), tuple(feed_tensors), tuple(targets))
        plan = self._plans.get(key)
        if plan is None:
            # Compiled outside any lock (threads compiling other signatures go on); only a
            # plan that compiled is cached, and if two threads compiled one signature at
            # once, both use the first one stored.
            plan = self._plans.setdefault(key, Plan(tensors, feed_tensors, targets, self._ctx))
            if self._log_placement:
                session_config.log_placement(plan, self._device_name())
        return plan

    def plan_for(self, fetches, feed_dict=None):
        """The compiled Plan that `run(fetches, feed_dict)` would execute (to inspect it)."""
        fetch_struct = _Fetches(self.graph, fetches)
        feed_tensors, _ = self._convert_feeds(feed_dict)
        tensors = [e for e in fetch_struct.elements if isinstance(e, Tensor)]
        targets = [e for e in fetch_struct.elements if isinstance(e, Operation)]
        return self._plan(tensors, feed_tensors, targets)

    def make_callable(self, fetches, feed_list=None):
        """Returns fn(*feed_values) that runs `fetches` with the tensors of `feed_list` fed."""
        feed_list = list(feed_list or [])

        def call(*values):
            if len(values) != len(feed_list):
                raise TypeError("Expected %d feed values, got %d" % (len(feed_list), len(values)))
            return self.run(fetches, feed_dict=dict(zip(feed_list, values)))
        return call

    def _convert_feeds(self, feed_dict):
        return feeds.convert_feeds(self.graph, feed_dict)

    # -- lifetime -------------------------------------------------------------------
    def close(self):
        """Frees the variable values; later calls of `run` raise RuntimeError."""
        self._closed = True
        self._ctx.resources.close()  # wakes ops blocked on queues: they raise CancelledError
        self._ctx.variables.clear()
        self._ctx.constants.clear()
        self._plans.clear()

    def as_default(self):
        """Context manager making this the default session (for `eval()` and `run()`)."""
        return _DefaultSession(self)

    def __enter__(self):
        # As TF: inside `with Session(graph=g):` g is also the default graph.
        self._graph_context = self.graph.as_default()
        self._graph_context.__enter__()
        _default_session_stack.append(self)
        return self

    def __exit__(self, exc_type, exc, tb):
        if _default_session_stack and _default_session_stack[-1] is self:
            _default_session_stack.pop()
        context, self._graph_context = getattr(self, "_graph_context", None), None
        if context is not None:
            context.__exit__(exc_type, exc, tb)
        self.close()
        return False

    def __del__(self):
        try:
            self._ctx.variables.clear()
        except Exception:  # interpreter shutdown
            pass

    def list_devices(self):
        return [self._backend.name]

    def _device_name(self):
        kind = "CPU" if self._backend.name == "numpy" else "GPU"
        return "/job:localhost/replica:0/task:0/device:%s:0" % kind


class _DefaultSession:
    def __init__(self, session):
        self.session = session

    def __enter__(self):
        _default_session_stack.append(self.session)
        return self.session

    def __exit__(self, *exc):
        # Remove the innermost entry: the same session may be on the stack twice.
        stack = _default_session_stack
        for i in range(len(stack) - 1, -1, -1):
            if stack[i] is self.session:
                del stack[i]
                break
        return False


def _to_numpy(v):
    if isinstance(v, np.ndarray):
        if v.ndim == 0:
            return v[()]  # numpy scalar, as TF returns for 0-d tensors
        return v.copy()  # never hand out the session's own buffers
    return v


class Session(BaseSession):
    """A class for running TensorFlow operations (tf.Session).

    Args:
      target: ignored (kept for TF compatibility).
      graph: the Graph to run; the default graph if None.
      config: a tf.ConfigProto or None; see tinygraph/session_config.py for what it sets
        (intra_op_parallelism_threads: the BLAS threads while the session runs).

    Raises:
      TypeError: `config` is not a tf.ConfigProto.

    Use as a context manager to make it the default session and close it at the end.
    Two sessions on one graph hold separate variable values.
    """


class InteractiveSession(BaseSession):
    """A Session that installs itself as the default session on construction (for shells)."""

    def __init__(self, target="", graph=None, config=None):
        super().__init__(target, graph, config)
        self._graph_context = self.graph.as_default()  # as TF: its graph becomes the default
        self._graph_context.__enter__()
        _default_session_stack.append(self)

    def close(self):
        super().close()
        if self in _default_session_stack:
            _default_session_stack.remove(self)
        context, self._graph_context = getattr(self, "_graph_context", None), None
        if context is not None:
            context.__exit__(None, None, None)
