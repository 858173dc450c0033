"""Traced sub-graphs: the bodies of While and If ops, and their gradients.

A SubGraph is a Graph whose values come in through placeholders: the explicit
inputs (loop variables) and the captures (outer tensors the body uses, see
Graph.capture). It is compiled into a Plan by the same executor as the outer graph
and run once per loop iteration.

Its gradient is built *inside the same sub-graph*: `tf.gradients` of the body's
outputs with respect to its input and capture placeholders, seeded by new
placeholders for the output gradients. The backward plan then feeds, per iteration,
the output gradients, the captured outer values, and the forward values the
gradient ops consume. Of those forward values, only the *varying* ones (that depend
on a loop variable or on a stateful op such as a random draw) must be saved by the
forward loop; the rest depend on captures alone (weights and the like) and are
recomputed from them.
"""
from ..framework import dtypes
from ..framework.graph import Graph, convert_to_tensor
from ..framework.indexed_slices import IndexedSlices
from ..gradients import gradients
from ..ops.constant_op import placeholder


class BodyGraph(Graph):
    """The graph of a loop or cond body.

    `gradient_override_map` reaches into bodies as in TF 1.x (where bodies live in the
    outer graph): an op created here without an override of its own takes the one the
    enclosing graphs have active at that moment.
    """

    def create_op(self, *args, **kwargs):
        op = super().create_op(*args, **kwargs)
        if op._gradient_override is None:
            g = self.outer_graph
            while g is not None and op._gradient_override is None:
                op._gradient_override = g._gradient_override_map.get(op.type)
                g = g.outer_graph
        return op


class SubGraph:
    """A function body as a graph.

    Attributes:
      graph: the sub-graph (its `outer_graph` is where the loop/cond op lives).
      inputs: placeholders for the explicit inputs, in order.
      outputs: the flat output tensors.
    """

    def __init__(self, outer_graph, name_prefix):
        self.graph = BodyGraph(outer_graph=outer_graph, name_prefix=name_prefix)
        self.inputs = []
        self.outputs = []

    @property
    def captures(self):
        """(outer tensor, inner placeholder) pairs, in capture order."""
        return self.graph.captures

    def add_input(self, dtype, shape, name):
        op = self.graph.create_op("Placeholder", [], {"dtype": dtype, "shape": shape}, name=name)
        self.inputs.append(op.outputs[0])
        return op.outputs[0]

    # -- rewrites (see loop_passes.py) ----------------------------------------------------
    def replace_uses(self, old, new):
        """Makes every op of the body that reads tensor `old`, and the outputs, use `new`."""
        for consumer in list(old._consumers):
            consumer.inputs = [new if t is old else t for t in consumer.inputs]
            new._consumers.append(consumer)
        old._consumers.clear()
        self.outputs = [new if t is old else t for t in self.outputs]

    def move_after(self, ops, anchor):
        """Moves `ops` to run right after op `anchor`, in their order.

        Creation order is execution order (plans sort ops by id), so every op gets a new
        id in the new order (from the graph's counter: ids stay unique and increasing).
        """
        graph, moving = self.graph, set(ops)
        rest = [op for op in graph._ops if op not in moving]
        at = rest.index(anchor) + 1
        graph._ops[:] = rest[:at] + list(ops) + rest[at:]
        for op in graph._ops:
            op._id = graph._next_id()

    def rename(self, op, name):
        """Gives `op` the name `name`, unless another op has it."""
        if name in self.graph._ops_by_name:
            return
        del self.graph._ops_by_name[op.name]
        op.name = name
        self.graph._ops_by_name[name] = op

    def remove_unused_ops(self):
        """Drops the ops nothing reads (no consumers, not an input or output, no state, no
        control edges), then the captures nothing reads any more (so the loop op does not
        take them as inputs)."""
        graph = self.graph
        keep = set(self.outputs) | set(self.inputs)
        for op in reversed(list(graph._ops)):
            if op.op_def.stateful or any(t._consumers or t in keep for t in op.outputs) or op.control_inputs:
                continue
            if any(op in other.control_inputs for other in graph._ops):
                continue
            graph._ops.remove(op)
            del graph._ops_by_name[op.name]
            for t in op.inputs:
                t._consumers.remove(op)
        alive = set(graph._ops)
        graph.captures = [(outer, inner) for outer, inner in graph.captures if inner.op in alive]
        graph._capture_map = {k: inner for k, inner in graph._capture_map.items() if inner.op in alive}

    def varying(self):
        """Tensors whose value may differ between executions with equal captures."""
        vary = set(self.inputs)
        for op in self.graph._ops:
            if op.op_def.stateful or any(t in vary for t in op.inputs):
                vary.update(op.outputs)
        return vary

    def __repr__(self):
        return "<SubGraph %d ops, %d inputs, %d captures, %d outputs>" % (
            len(self.graph._ops), len(self.inputs), len(self.captures), len(self.outputs))


def differentiable(t):
    return t.dtype.is_floating or t.dtype is dtypes.variant


class Backward:
    """The gradient of a SubGraph, built inside it.

    Attributes:
      grad_ys: one placeholder per output (None for outputs that get no gradient).
      wrt: the placeholders differentiated against (inputs, then capture placeholders).
      grads: the gradient tensor for each of `wrt` (None where unconnected).
      saved: the forward tensors the gradient ops consume that must be saved per run.
    """

    def __init__(self, sub, output_mask):
        g = sub.graph
        first_grad_id = g._id_counter
        vary = sub.varying()
        with g.as_default():
            self.grad_ys = [placeholder(t.dtype, t.shape, name="grad_y") if (m and differentiable(t)) else None
                            for t, m in zip(sub.outputs, output_mask)]
            ys = [t for t, p in zip(sub.outputs, self.grad_ys) if p is not None]
            gys = [p for p in self.grad_ys if p is not None]
            self.wrt = list(sub.inputs) + [inner for _, inner in sub.captures]
            grads = gradients(ys, self.wrt, grad_ys=gys) if ys else [None] * len(self.wrt)
            self.grads = [_dense(gr) for gr in grads]
        saved, seen = [], set()
        for op in g._ops:
            if op._id <= first_grad_id:
                continue
            for t in op.inputs:
                if t.op._id <= first_grad_id and t in vary and t not in seen:
                    seen.add(t)
                    saved.append(t)
        for gr in self.grads:  # a gradient that *is* a forward value (identity paths)
            if gr is not None and gr.op._id <= first_grad_id and gr in vary and gr not in seen:
                seen.add(gr)
                saved.append(gr)
        self.saved = saved


def _dense(g):
    if isinstance(g, IndexedSlices):
        return convert_to_tensor(g)
    return g


class SavedValues:
    """What a forward loop saves per iteration for its gradients: the contract between a
    While op and the WhileGrad ops built from it.

    A gradient asks for the forward tensors its backward body reads (`request`) and gets
    their positions on the tape; the forward loop saves `tensors()`, every tensor asked
    for so far, in the order first asked. Positions never change, so a plan bound before a
    later gradient asked for more keeps reading the right values.
    """

    def __init__(self):
        self._tensors = []
        self._position = {}

    def request(self, tensors):
        """The tape positions of `tensors` (body tensors), which the loop will save."""
        for t in tensors:
            if t not in self._position:
                self._position[t] = len(self._tensors)
                self._tensors.append(t)
        return [self._position[t] for t in tensors]

    def tensors(self):
        """The tensors to save, as a tuple (what a plan binds the loop with)."""
        return tuple(self._tensors)

    def __len__(self):
        return len(self._tensors)

    def __repr__(self):
        return "<SavedValues %d tensors>" % len(self._tensors)


class LoopTape:
    """What a forward While saved for its gradient: one list of values per iteration.

    With swap_memory on a device backend, values above `threshold` bytes are moved to
    host memory when pushed and brought back when read by the backward loop.
    """

    __slots__ = ("iterations", "backend", "swap", "threshold", "stats", "nbytes", "checkpoints",
                 "every", "count", "_recomputed_bytes")

    def __init__(self, backend, swap, threshold, stats):
        self.iterations = []
        self.backend = backend
        self.swap = swap and backend.is_device
        self.threshold = threshold
        self.stats = stats
        self.nbytes = 0
        self.checkpoints = None  # recompute mode: {iteration: loop state}
        self.every = None
        self.count = 0
        self._recomputed_bytes = 0

    # -- recompute mode (tinygraph.config "recompute_loop_activations") ------------------
    def checkpoint(self, it, state):
        """Keeps the loop state at the start of iteration `it`."""
        n = sum(_plain_nbytes(v) for v in state)
        self.stats.saved_values += len(state)
        self.stats.saved_bytes += n
        self.nbytes += n
        self.checkpoints[it] = list(state)
        self._live(n)

    def restore(self, it, release=False):
        state = self.checkpoints[it]
        if release:
            del self.checkpoints[it]
            self._live(-sum(_plain_nbytes(v) for v in state))
        return list(state)

    def note_recomputed(self, segment):
        """Counts the values a segment's recomputation holds (None: the segment is done)."""
        if segment is None:
            self._live(-self._recomputed_bytes)
            self._recomputed_bytes = 0
            return
        n = sum(_plain_nbytes(v) for vals in segment for v in vals)
        self._recomputed_bytes += n
        self._live(n)

    def _live(self, delta):
        stats = self.stats
        stats._live_saved_bytes += delta
        if stats._live_saved_bytes > stats.peak_saved_bytes:
            stats.peak_saved_bytes = stats._live_saved_bytes

    def push(self, values):
        sizes = [int(getattr(v, "nbytes", 0)) for v in values]
        total = sum(sizes)
        stats = self.stats
        stats.saved_values += len(values)
        stats.saved_bytes += total
        self.nbytes += total
        if self.swap:
            values = list(values)
            for i, (v, n) in enumerate(zip(values, sizes)):
                if n >= self.threshold and not isinstance(v, LoopTape):
                    values[i] = _Swapped(self.backend.to_host_pinned(v))
                    stats.swapped_values += 1
                    stats.swapped_bytes += n
        self.iterations.append((values, total))
        stats._live_saved_bytes += total
        if stats._live_saved_bytes > stats.peak_saved_bytes:
            stats.peak_saved_bytes = stats._live_saved_bytes

    def values(self, it, release=False):
        vals, total = self.iterations[it]
        if release:
            self.iterations[it] = None
            self.stats._live_saved_bytes -= total
        if not self.swap:
            return vals
        out = [self.backend.from_host_pinned(v.host) if isinstance(v, _Swapped) else v for v in vals]
        if it > 0 and self.iterations[it - 1] is not None:
            for v in self.iterations[it - 1][0]:  # the backward loop reads these next: copy early
                if isinstance(v, _Swapped):
                    self.backend.prefetch_from_host(v.host)
        return out

    def __len__(self):
        return self.count if self.checkpoints is not None else len(self.iterations)

    def __repr__(self):
        return "<LoopTape %d iterations, %d bytes>" % (len(self.iterations), self.nbytes)


def _plain_nbytes(v):
    """Bytes of an array value; 0 for TensorArrays and tapes, which are shared, not copied."""
    return int(v.nbytes) if hasattr(v, "dtype") and hasattr(v, "nbytes") else 0


class _Swapped:
    __slots__ = ("host",)

    def __init__(self, host):
        self.host = host

    @property
    def nbytes(self):
        return int(getattr(self.host, "nbytes", 0))


def accumulate(acc, value):
    """acc + value for gradient sums over iterations; in place once `acc` is our own copy."""
    if value is None:
        return acc
    if acc is None:
        return value.copy()
    acc += value
    return acc
