"""Queues: tf.FIFOQueue, tf.RandomShuffleQueue, tf.PaddingFIFOQueue.

A queue op (`FIFOQueueV2`, ...) outputs a resource handle: the queue itself lives in
the session that runs it (framework/resources.py), so two sessions on one graph hold
separate queues, and queue ops with one `shared_name` share one. Enqueue, dequeue,
close and size are ordinary ops taking the handle; they run in `sess.run` like any
other op. A dequeue on an empty queue blocks until another thread enqueues, the queue
closes (OutOfRangeError), the run's deadline passes (DeadlineExceededError) or the
session closes (CancelledError); an enqueue on a full queue blocks likewise.

An element is a tuple of component arrays. `enqueue_many` splits its components along
the first dimension; `dequeue_many(n)` stacks n elements (PaddingFIFOQueue pads them to
the largest shape first).
"""
import collections
import random
import threading

from ..backend import host_scalar
from ..framework import dtypes, errors
from ..framework import graph as _graph
from ..framework.registry import NotDifferentiable, register_op
from ..framework.tensor_shape import TensorShape, as_shape, unknown_shape
from ..resources import wait_until
from ..run_context import current_run
from .random_ops import get_seed

__all__ = ["QueueBase", "FIFOQueue", "RandomShuffleQueue", "PaddingFIFOQueue"]

_HANDLE = (dtypes.resource, TensorShape([]))


# -- the run-time queue ---------------------------------------------------------------
class _Queue:
    """A queue held by a session: a condition variable guarding a list of elements."""

    def __init__(self, kind, name, attrs, mgr):
        self.kind = kind
        self.name = name
        self.capacity = attrs["capacity"]
        self.shapes = attrs["shapes"]  # list of TensorShape, or None
        self.dtypes = attrs["component_types"]
        self.min_after_dequeue = attrs.get("min_after_dequeue", 0)
        seed, seed2 = attrs.get("seed", 0), attrs.get("seed2", 0)
        # (0, 0) means "no seed", as in TF's kernels: a different order every session
        self.rng = random.Random(seed * 2**32 + seed2 if (seed or seed2) else None)
        self.mgr = mgr
        self.cond = threading.Condition()
        self.items = collections.deque()
        self.closed = False
        self.enqueues_cancelled = False

    # each method is called with self.cond held
    def _room(self):
        return self.capacity < 0 or len(self.items) < self.capacity

    def check_open(self, op):
        if self.closed:
            raise errors.CancelledError(None, op, "%s '%s' is closed." % (self.kind, self.name))

    def put(self, element, op):
        def ready():
            return self._room() or self.enqueues_cancelled
        wait_until(self.cond, ready, op, self.mgr, current_run().deadline)
        if self.enqueues_cancelled:
            raise errors.CancelledError(None, op, "Enqueue operation was cancelled")
        self.items.append(element)
        self.cond.notify_all()

    def take(self, n, op, up_to=False):
        """Removes `n` elements (fewer, at least one, if `up_to` and the queue is closed)."""
        keep = self.min_after_dequeue

        def ready():
            if self.closed:
                return True
            return len(self.items) >= n + keep
        wait_until(self.cond, ready, op, self.mgr, current_run().deadline)
        size = len(self.items)
        if size < n and (not up_to or size == 0):
            raise errors.OutOfRangeError(
                None, op, "%s '%s' is closed and has insufficient elements (requested %d, "
                "current size %d)" % (self.kind, self.name, n, size))
        count = min(n, size)
        if self.kind == "RandomShuffleQueue":
            out = []
            for _ in range(count):
                i = self.rng.randrange(len(self.items))
                self.items[i], self.items[-1] = self.items[-1], self.items[i]
                out.append(self.items.pop())
        else:
            out = [self.items.popleft() for _ in range(count)]
        self.cond.notify_all()
        return out


def _queue_bind(kind):
    def bind(op, ctx):
        mgr = ctx.resources
        shared = op.attrs.get("shared_name") or ""
        key = ("queue", shared) if shared else op

        def make(prefix):
            return _Queue(kind, shared or prefix + op.name, op.attrs, mgr)
        return lambda: mgr.lookup_or_create(key, make)
    return bind


for _type, _kind in (("FIFOQueueV2", "FIFOQueue"), ("RandomShuffleQueueV2", "RandomShuffleQueue"),
                     ("PaddingFIFOQueueV2", "PaddingFIFOQueue")):
    register_op(_type, infer=lambda attrs: [_HANDLE], bind=_queue_bind(_kind), stateful=True)(None)
    NotDifferentiable(_type)


# -- element checks, at run time ------------------------------------------------------
def _check_component(queue, op, i, value, many):
    want = queue.shapes[i] if queue.shapes else None
    shape = tuple(value.shape[1:] if many else value.shape)
    if want is not None and not want.is_compatible_with(shape):
        raise errors.InvalidArgumentError(
            None, op, "Shape mismatch in tuple component %d. Expected %s, got %s"
            % (i, want.as_bracket_str(), TensorShape(list(shape)).as_bracket_str()))


def _copy(value):
    # the queue must not see later in-place updates of the buffer (a variable's, say)
    return value.copy() if hasattr(value, "copy") else value


def _enqueue_bind(op, ctx):
    def enqueue(queue, *components):
        for i, c in enumerate(components):
            _check_component(queue, op, i, c, False)
        element = tuple(_copy(c) for c in components)
        with queue.cond:
            queue.check_open(op)
            queue.put(element, op)
        return ()
    return enqueue


def _enqueue_many_bind(op, ctx):
    def enqueue_many(queue, *components):
        n = components[0].shape[0] if components and components[0].ndim else None
        for i, c in enumerate(components):
            if c.ndim == 0 or c.shape[0] != n:
                raise errors.InvalidArgumentError(
                    None, op, "Shape mismatch in tuple component %d. Expected [%s,...], got %s"
                    % (i, n, TensorShape(list(c.shape)).as_bracket_str()))
            _check_component(queue, op, i, c, True)
        with queue.cond:
            queue.check_open(op)
            for j in range(n):
                queue.put(tuple(_copy(c[j, ...]) for c in components), op)
        return ()
    return enqueue_many


register_op("QueueEnqueueV2", infer=lambda attrs, h, *cs: [], bind=_enqueue_bind, stateful=True)(None)
register_op("QueueEnqueueManyV2", infer=lambda attrs, h, *cs: [], bind=_enqueue_many_bind,
            stateful=True)(None)


def _stack(xp, queue, op, elements, pad):
    out = []
    for i, dtype in enumerate(queue.dtypes):
        parts = [e[i] for e in elements]
        if pad:
            rank = parts[0].ndim
            top = [max(p.shape[d] for p in parts) for d in range(rank)]
            fill = b"" if dtype == dtypes.string else 0
            padded = []
            for p in parts:
                if list(p.shape) != top:
                    q = xp.full(top, fill, dtype=p.dtype)
                    q[tuple(slice(0, s) for s in p.shape)] = p
                    p = q
                padded.append(p)
            parts = padded
        if parts:
            out.append(xp.stack(parts))
        else:
            shape = queue.shapes[i].as_list() if queue.shapes else []
            out.append(xp.zeros([0] + [d or 0 for d in shape], dtype=dtype.as_numpy_dtype))
    return out


def _dequeue_many_bind(up_to):
    def bind(op, ctx):
        xp, pad = ctx.xp, op.attrs["padded"]

        def dequeue_many(queue, n):
            n = host_scalar(n)
            if queue.shapes is None or not all(s.is_fully_defined() or pad for s in queue.shapes):
                raise errors.InvalidArgumentError(
                    None, op, "%s's DequeueMany and DequeueUpTo require the components to have "
                    "specified shapes." % queue.kind)
            with queue.cond:
                elements = queue.take(n, op, up_to=up_to)
            out = _stack(xp, queue, op, elements, pad)
            return out[0] if len(out) == 1 else out
        return dequeue_many
    return bind


def _dequeue_bind(op, ctx):
    def dequeue(queue):
        with queue.cond:
            (element,) = queue.take(1, op)
        return element[0] if len(element) == 1 else element
    return dequeue


def _dequeue_infer(attrs, handle):
    return list(zip(attrs["component_types"], attrs["out_shapes"]))


register_op("QueueDequeueV2", infer=_dequeue_infer, bind=_dequeue_bind, stateful=True)(None)
register_op("QueueDequeueManyV2", infer=lambda attrs, h, n: _dequeue_infer(attrs, h),
            bind=_dequeue_many_bind(False), stateful=True)(None)
register_op("QueueDequeueUpToV2", infer=lambda attrs, h, n: _dequeue_infer(attrs, h),
            bind=_dequeue_many_bind(True), stateful=True)(None)


def _close_bind(op, ctx):
    cancel = op.attrs["cancel_pending_enqueues"]

    def close(queue):
        with queue.cond:
            queue.closed = True
            if cancel:
                queue.enqueues_cancelled = True
            queue.cond.notify_all()
        return ()
    return close


def _size_bind(op, ctx):
    xp = ctx.xp

    def size(queue):
        with queue.cond:
            return xp.asarray(len(queue.items), dtype=xp.int32)
    return size


def _is_closed_bind(op, ctx):
    xp = ctx.xp

    def is_closed(queue):
        with queue.cond:
            return xp.asarray(queue.closed)
    return is_closed


register_op("QueueCloseV2", infer=lambda attrs, h: [], bind=_close_bind, stateful=True)(None)
register_op("QueueSizeV2", infer=lambda attrs, h: [(dtypes.int32, TensorShape([]))],
            bind=_size_bind, stateful=True)(None)
register_op("QueueIsClosedV2", infer=lambda attrs, h: [(dtypes.bool_, TensorShape([]))],
            bind=_is_closed_bind, stateful=True)(None)
for _type in ("QueueEnqueueV2", "QueueEnqueueManyV2", "QueueDequeueV2", "QueueDequeueManyV2",
              "QueueDequeueUpToV2", "QueueCloseV2", "QueueSizeV2", "QueueIsClosedV2"):
    NotDifferentiable(_type)


# -- the Python classes -------------------------------------------------------------
def _as_dtype_list(dtypes_):
    if isinstance(dtypes_, (list, tuple)):
        return [dtypes.as_dtype(d) for d in dtypes_]
    return [dtypes.as_dtype(dtypes_)]


def _as_shape_list(shapes, n, unknown_rank_allowed=True):
    if shapes is None:
        return None
    if isinstance(shapes, (list, tuple)) and (len(shapes) == 0 or isinstance(shapes[0], (list, tuple, TensorShape))
                                              or shapes[0] is None):
        shapes = [as_shape(s) for s in shapes]
    else:
        shapes = [as_shape(shapes)]
    if len(shapes) != n:
        raise ValueError("Queue shapes must have the same length as dtypes")
    if not unknown_rank_allowed and any(s.dims is None for s in shapes):
        raise ValueError("All shapes must have a defined rank: %s" % shapes)
    return shapes


class QueueBase:
    """Base class for queues (tf.QueueBase): the ops that enqueue and dequeue elements.

    Args:
      dtypes: the component dtypes of an element.
      shapes: their static shapes, or None (then dequeue_many needs a PaddingFIFOQueue
        or fully known shapes).
      names: optional component names; elements are then dicts.
      queue_ref: the queue op's resource handle.
    """

    def __init__(self, dtypes, shapes, names, queue_ref):
        self._dtypes = dtypes
        self._shapes = shapes if shapes is not None else [unknown_shape() for _ in dtypes]
        self._has_shapes = shapes is not None
        self._names = names
        self._queue_ref = queue_ref
        self._name = queue_ref.op.name.split("/")[-1]

    @property
    def queue_ref(self):
        return self._queue_ref

    @property
    def name(self):
        return self._queue_ref.op.name

    @property
    def dtypes(self):
        return self._dtypes

    @property
    def shapes(self):
        return self._shapes

    @property
    def names(self):
        return self._names

    # -- building the ops -------------------------------------------------------------
    def _components(self, vals, many):
        if self._names is not None:
            if not isinstance(vals, dict):
                raise ValueError("You must enqueue a dictionary in a Queue with names")
            if sorted(vals.keys()) != sorted(self._names):
                raise ValueError("Keys in dictionary to enqueue do not match names of Queue.  "
                                 "Dictionary: (%s), Queue: (%s)" % (sorted(vals.keys()), sorted(self._names)))
            vals = [vals[k] for k in self._names]
        elif isinstance(vals, dict):
            raise ValueError("You must enqueue a list or tuple in a Queue without names")
        elif not isinstance(vals, (list, tuple)):
            vals = [vals]
        if len(vals) != len(self._dtypes):
            raise ValueError("Expected %d tensors to enqueue, got %d" % (len(self._dtypes), len(vals)))
        tensors = []
        for i, (v, dt) in enumerate(zip(vals, self._dtypes)):
            t = _graph.convert_to_tensor(v, dtype=dt, name="component_%d" % i)
            want = self._shapes[i]
            have = t.shape[1:] if many else t.shape
            if many and t.shape.dims is not None and t.shape.ndims == 0:
                raise ValueError("Shapes must be at least rank 1 for enqueue_many: %s" % t)
            if not want.is_compatible_with(have):
                raise ValueError("Shapes %s and %s are incompatible" % (have, want))
            tensors.append(t)
        if many:
            first = None
            for t in tensors:
                d = t.shape.dims[0] if t.shape.dims else None
                if d is not None and first is not None and d != first:
                    raise ValueError("Dimensions %d and %d are not compatible" % (first, d))
                first = d if d is not None else first
        return tensors

    def enqueue(self, vals, name=None):
        """Adds one element to the queue (blocking while it is full).

        Args:
          vals: a tensor, a tuple/list of tensors, or a dict (queues with names).
          name: a name for the op.

        Returns:
          The enqueue Operation.

        Raises:
          ValueError: `vals` does not fit the queue's components.
        """
        return self._enqueue("QueueEnqueueV2", vals, name, "enqueue", False)

    def enqueue_many(self, vals, name=None):
        """Adds the slices of `vals` along their first dimension as elements."""
        return self._enqueue("QueueEnqueueManyV2", vals, name, "EnqueueMany", True)

    def _enqueue(self, op_type, vals, name, default, many):
        g = _graph.get_default_graph()
        with g.name_scope(name or "%s_%s" % (self._name, default)) as scope:
            comps = self._components(vals, many)
            return g.create_op(op_type, [self._queue_ref] + comps, {"timeout_ms": -1}, scope)

    def _dequeue_attrs(self, lead):
        shapes = [TensorShape(lead + s.as_list()) if s.dims is not None else unknown_shape()
                  for s in self._shapes]
        return {"component_types": list(self._dtypes), "out_shapes": shapes, "timeout_ms": -1,
                "padded": isinstance(self, PaddingFIFOQueue)}

    def _unpack(self, op):
        outs = list(op.outputs)
        if self._names is not None:
            return dict(zip(self._names, outs))
        return outs[0] if len(outs) == 1 else outs

    def dequeue(self, name=None):
        """Removes one element; blocks while the queue is empty.

        Returns:
          The element: a tensor (one component), a list of tensors, or a dict (names).
        """
        g = _graph.get_default_graph()
        with g.name_scope(name or "%s_Dequeue" % self._name) as scope:
            op = g.create_op("QueueDequeueV2", [self._queue_ref], self._dequeue_attrs([]), scope)
        return self._unpack(op)

    def _dequeue_n(self, op_type, n, name, default, lead_known):
        g = _graph.get_default_graph()
        with g.name_scope(name or "%s_%s" % (self._name, default)) as scope:
            n_t = _graph.convert_to_tensor(n, dtype=dtypes.int32, name="n")
            from_const = n_t.op.type == "Const" and lead_known
            lead = [int(n_t.op.attrs["value"])] if from_const else [None]
            op = g.create_op(op_type, [self._queue_ref, n_t], self._dequeue_attrs(lead), scope)
        return self._unpack(op)

    def dequeue_many(self, n, name=None):
        """Removes `n` elements and stacks them (blocks until `n` are there).

        Raises (at run time):
          OutOfRangeError: the queue is closed with fewer than `n` elements.
        """
        return self._dequeue_n("QueueDequeueManyV2", n, name, "DequeueMany", True)

    def dequeue_up_to(self, n, name=None):
        """As dequeue_many, but a closed queue yields its last (fewer than `n`) elements."""
        return self._dequeue_n("QueueDequeueUpToV2", n, name, "DequeueUpTo", False)

    def close(self, cancel_pending_enqueues=False, name=None):
        """Closes the queue: later enqueues fail; dequeues drain what is left, then fail."""
        g = _graph.get_default_graph()
        with g.name_scope(name or "%s_Close" % self._name) as scope:
            return g.create_op("QueueCloseV2", [self._queue_ref],
                               {"cancel_pending_enqueues": bool(cancel_pending_enqueues)}, scope)

    def size(self, name=None):
        """The number of elements in the queue (an int32 scalar tensor)."""
        g = _graph.get_default_graph()
        with g.name_scope(name or "%s_Size" % self._name) as scope:
            return g.create_op("QueueSizeV2", [self._queue_ref], {}, scope).outputs[0]

    def is_closed(self, name=None):
        """Whether the queue is closed (a bool scalar tensor)."""
        g = _graph.get_default_graph()
        with g.name_scope(name or "%s_Is_Closed" % self._name) as scope:
            return g.create_op("QueueIsClosedV2", [self._queue_ref], {}, scope).outputs[0]


def _make_queue(op_type, default_name, capacity, dtypes_, shapes, names, shared_name, name, extra=None):
    dts = _as_dtype_list(dtypes_)
    shape_list = _as_shape_list(shapes, len(dts))
    if names is not None:
        names = list(names) if isinstance(names, (list, tuple)) else [names]
        if len(names) != len(dts):
            raise ValueError("Queue names must have the same length as dtypes")
    attrs = {"component_types": dts, "shapes": shape_list, "capacity": int(capacity),
             "shared_name": shared_name or "", "container": ""}
    attrs.update(extra or {})
    g = _graph.get_default_graph()
    ref = g.create_op(op_type, [], attrs, name or default_name).outputs[0]
    return dts, shape_list, names, ref


class FIFOQueue(QueueBase):
    """A queue that dequeues elements in first-in first-out order (tf.FIFOQueue).

    Args:
      capacity: the most elements the queue holds; enqueues block beyond it.
      dtypes: the component dtypes.
      shapes: optional component shapes (needed by dequeue_many).
      names: optional component names (elements are then dicts).
      shared_name: queues with the same name in one session are one queue.
      name: the queue op's name (default "fifo_queue").
    """

    def __init__(self, capacity, dtypes, shapes=None, names=None, shared_name=None,
                 name="fifo_queue"):
        dts, shp, names, ref = _make_queue("FIFOQueueV2", "fifo_queue", capacity, dtypes, shapes,
                                           names, shared_name, name)
        super().__init__(dts, shp, names, ref)


class PaddingFIFOQueue(QueueBase):
    """A FIFOQueue whose dequeue_many pads elements to a common shape (tf.PaddingFIFOQueue).

    Shapes are required and may have unknown (None) dimensions; dequeue_many pads
    each component with zeros (empty strings) up to the largest element.

    Raises:
      ValueError: `shapes` is None or has components of unknown rank.
    """

    def __init__(self, capacity, dtypes, shapes, names=None, shared_name=None,
                 name="padding_fifo_queue"):
        if shapes is None:
            raise ValueError("Shapes must be provided.")
        dts = _as_dtype_list(dtypes)
        shp = _as_shape_list(shapes, len(dts), unknown_rank_allowed=False)
        dts, shp, names, ref = _make_queue("PaddingFIFOQueueV2", "padding_fifo_queue", capacity,
                                           dts, shp, names, shared_name, name)
        super().__init__(dts, shp, names, ref)


class RandomShuffleQueue(QueueBase):
    """A queue that dequeues elements in a random order (tf.RandomShuffleQueue).

    Args:
      capacity: the most elements the queue holds.
      min_after_dequeue: a dequeue waits until more than this many elements are left
        after it, unless the queue is closed (then it drains).
      dtypes, shapes, names, shared_name: as FIFOQueue.
      seed: an op seed; with `tf.set_random_seed` the order is reproducible.
      name: the queue op's name (default "random_shuffle_queue").
    """

    def __init__(self, capacity, min_after_dequeue, dtypes, shapes=None, names=None, seed=None,
                 shared_name=None, name="random_shuffle_queue"):
        seed1, seed2 = get_seed(seed)
        extra = {"min_after_dequeue": int(min_after_dequeue), "seed": seed1 or 0, "seed2": seed2 or 0}
        dts, shp, names, ref = _make_queue("RandomShuffleQueueV2", "random_shuffle_queue", capacity,
                                           dtypes, shapes, names, shared_name, name, extra)
        super().__init__(dts, shp, names, ref)
