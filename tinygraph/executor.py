"""Compiles (fetches, feeds, targets) into a flat execution plan and runs it.

A Plan is made once per signature and cached by the session:

1. prune: walk back from the fetches and targets over inputs and control inputs;
   a fed tensor cuts the walk (its producer need not run);
2. order: creation order is a topological order, so the kept ops are sorted by id;
3. lay out: every tensor gets a slot number; each step is
   (bound kernel, input slots, output slot(s), slots to free afterwards),
   so the hot loop does no name look-ups, no dict churn and no shape inference;
4. free: an intermediate's slot is cleared right after its last consumer ran.

Sub-graphs (loop and cond bodies) are compiled by the same code.
"""
import functools
import time

from . import config
from .framework import dtypes, errors
from .framework.graph import Operation, Tensor


class RunContext:
    """What kernels bound to a session may use: backend, variable values, random streams.

    Attributes:
      session: the owning Session (None for standalone plans).
      backend: the array backend; `xp` is its array module.
      variables: dict from a variable's op to its current array.
      constants: dict from a Const op to its backend array (shared by all plans).
      stats: per-run counters (e.g. loop saved values), reset by each `Session.run`.
      trace: a list collecting per-op records when a traced run is under way, else None.
    """

    def __init__(self, backend, session=None):
        self.session = session
        self.backend = backend
        self.xp = backend.xp
        self.variables = {}
        self.constants = {}  # Const op -> its value on the backend, uploaded once per session
        self._rngs = {}
        self.stats = RunStats()
        self.trace = None
        self.trace_frames = []  # traced steps under way whose kernels run sub-plans (loops, conds)
        self.trace_live = None  # LiveBytes of the traced run under way
        self.used_outputs = frozenset()  # set by Plan while binding each op
        self.allow_in_place = False  # set by Plan while binding ops that update variables
        self.variables_version = 0  # bumped by every in-place variable update

    def rng(self, op, seed):
        """The random stream of `op` in this session: one per op, kept across runs."""
        r = self._rngs.get(op)
        if r is None:
            r = self._rngs[op] = self.backend.random_state(seed)
        return r


class RunStats:
    """Counters of one run: what While ops saved for backprop and what they swapped."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.saved_values = 0
        self.saved_bytes = 0
        self.swapped_values = 0
        self.swapped_bytes = 0
        self.loop_iterations = 0
        self.peak_saved_bytes = 0
        self._live_saved_bytes = 0
        self.peak_live_bytes = 0  # measured only by traced runs (see LiveBytes)

    def as_dict(self):
        return dict(saved_values=self.saved_values, saved_bytes=self.saved_bytes,
                    swapped_values=self.swapped_values, swapped_bytes=self.swapped_bytes,
                    loop_iterations=self.loop_iterations, peak_saved_bytes=self.peak_saved_bytes)


class LiveBytes:
    """Bytes of the tensors a traced run holds (each buffer counted once) and their peak.

    The peak adds what While ops hold on their tapes (RunStats._live_saved_bytes); a
    buffer that is both on a tape and a live tensor counts twice, so it is an upper
    estimate. Variable buffers belong to the session, not the run, and are not counted.
    """

    def __init__(self, ctx):
        self.ctx = ctx
        self.refs = {}  # id(array) -> [array, number of slots holding it]
        self.now = 0

    def hold(self, v):
        if not hasattr(v, "dtype") or not hasattr(v, "nbytes"):
            return  # a loop tape, TensorArray, None: not a plain array
        entry = self.refs.get(id(v))
        if entry is not None:
            entry[1] += 1
            return
        if any(v is a for a in self.ctx.variables.values()):
            return
        self.refs[id(v)] = [v, 1]
        self.now += int(v.nbytes)
        stats = self.ctx.stats
        stats.peak_live_bytes = max(stats.peak_live_bytes, self.now + stats._live_saved_bytes)

    def release(self, v):
        entry = self.refs.get(id(v))
        if entry is None:
            return
        entry[1] -= 1
        if entry[1] == 0:
            del self.refs[id(v)]
            self.now -= int(v.nbytes)


def _default_bind(op, ctx):
    return functools.partial(op.op_def.kernel, ctx.xp, op.attrs)


def bind_op(op, ctx):
    """Returns the callable that computes `op` in `ctx`: fn(*input_arrays) -> output(s)."""
    opdef = op.op_def
    if opdef.bind is not None:
        return opdef.bind(op, ctx)
    return _default_bind(op, ctx)


def prune(fetch_tensors, target_ops, fed):
    """The ops needed to compute the fetches and targets, in execution order.

    Args:
      fetch_tensors: Tensors whose values are wanted.
      target_ops: Operations that must run.
      fed: a set of Tensors whose values are given (their producers are not walked).
    """
    needed = set()
    stack = [t.op for t in fetch_tensors if t not in fed] + list(target_ops)
    while stack:
        op = stack.pop()
        if op in needed:
            continue
        needed.add(op)
        for t in op.inputs:
            if t not in fed and t.op not in needed:
                stack.append(t.op)
        stack.extend(c for c in op.control_inputs if c not in needed)
    return sorted(needed, key=lambda o: o._id)


def _schedule(ops, fetches, fed):
    """The steps to emit: `ops`, with each variable read right before each op reading it.

    A VariableV2 output stands for the variable's current value (a ref in TF), so an
    op that runs after an assign (say, under `control_dependencies`) must see the new
    value, not the one read when the variable's own position in the order came up.
    """
    fetched = set(fetches)
    order = []
    for op in ops:
        if op.type == "VariableV2":
            if op.outputs[0] in fetched:
                order.append(op)
            continue
        refs = getattr(op.op_def, "ref_inputs", ())  # taken by reference: not read
        for var in {t.op: None for k, t in enumerate(op.inputs)
                    if t.op.type == "VariableV2" and t not in fed and k not in refs}:
            order.append(var)
        order.append(op)
    return order


def _alias_map(ops, seeds):
    """{tensor: the seeds' sources whose buffers it may share}, following `ops` (in
    execution order) through every op whose output is not fresh.

    Args:
      seeds: {tensor: set of sources} to start from.
    """
    reach = dict(seeds)
    for op in ops:
        if op.op_def.fresh_output:
            continue
        through = op.op_def.aliased_inputs
        found = set()
        for k in (through(op) if through is not None else range(len(op.inputs))):
            found |= reach.get(op.inputs[k], set())
        if found:
            for t in op.outputs:
                reach[t] = found
    return reach


def aliased_sources(ops, sources, outputs):
    """Which of `sources` (tensors) may share a buffer with one of `outputs`."""
    reach = _alias_map(ops, {t: {t} for t in sources})
    hit = set()
    for t in outputs:
        hit |= reach.get(t, set())
    return hit


def _safe_in_place_updates(order, fetches):
    """The ops of `order` that may update their variables' buffers in place.

    Not those whose variable's buffer (or a view of it: a read, an Identity, a Reshape,
    any op without fresh outputs) is fetched, or was read before the update and is still
    read after it: that value must not change under its reader's feet.
    """
    # tensor -> the variable ops whose buffers it may share
    aliases = _alias_map(order, {op.outputs[0]: {op} for op in order if op.type == "VariableV2"})
    produced_at, last_read = {}, {}
    for i, op in enumerate(order):
        for t in op.inputs:
            last_read[t] = i
        for t in op.outputs:
            produced_at[t] = i
    fetched = set(fetches)
    safe = set()
    for i, op in enumerate(order):
        if op.op_def.overwrites is None:
            continue
        targets = set(op.op_def.overwrites(op))
        if not any((t in fetched or (produced_at.get(t, -1) < i < last_read.get(t, -1)))
                   and targets & aliases[t] for t in aliases):
            safe.add(op)
    return safe


class GroupedOp:
    """Update ops of one type that run as one plan step (`group_optimizer_updates`).

    Attributes:
      ops: the grouped Operations; the step runs where the last of them would.
      inputs: the inputs of every op, in `ops` order; the step has no outputs.
    """

    def __init__(self, ops):
        self.ops = list(ops)
        self.type = "Grouped" + ops[0].type
        self.name = "%s (and %d more)" % (ops[0].name, len(ops) - 1)
        self.inputs = [t for op in ops for t in op.inputs]
        self.outputs = []
        self.control_inputs = []
        self.attrs = {}
        self.op_def = _GroupedOpDef(ops[0].op_def)
        self._id = ops[-1]._id

    def __repr__(self):
        return "<GroupedOp %s x%d>" % (self.ops[0].type, len(self.ops))


class _GroupedOpDef:
    def __init__(self, member_def):
        self.type = "Grouped" + member_def.type
        self.member_def = member_def
        self.stateful = True
        self.fresh_output = False
        self.inplace = None
        self.overwrites = None

    def bind(self, op, ctx):
        return self.member_def.bind_group(op.ops, ctx)


def _group_updates(order, fetches, in_place_ok):
    """`order` with update ops that share their hyperparameters merged into GroupedOps.

    Only ops whose outputs nobody reads, that may update in place, and whose moving to
    the position of the group's last op skips no op depending on them.
    """
    read = set(fetches)
    for op in order:
        read.update(op.inputs)
    groups = {}
    for op in order:
        key_of = op.op_def.group_key
        if key_of is None or op not in in_place_ok or any(t in read for t in op.outputs):
            continue
        key = key_of(op)
        if key is not None:
            groups.setdefault(key[0], []).append((op, key[1]))
    position = {op: i for i, op in enumerate(order)}
    merged = {}
    for members in groups.values():
        ops = [op for op, _ in members]
        if len(ops) < 2 or len({v for _, v in members}) < len(ops):
            continue
        first, last = position[ops[0]], position[ops[-1]]
        members_set = set(ops)
        if any(c in members_set for op in order[first:last] if op not in members_set
               for c in op.control_inputs):
            continue
        group = GroupedOp(ops)
        for op in ops:
            merged[op] = group
    if not merged:
        return order
    return [merged.get(op, op) for op in order if op not in merged or merged[op].ops[-1] is op]


class Plan:
    """A compiled, reusable schedule for one (fetches, feeds, targets) signature.

    Attributes:
      ops: the Operations that run, in order.
      fetches, feeds, targets: the signature.
    """

    def __init__(self, fetches, feeds, targets, ctx):
        self.fetches = list(fetches)
        self.feeds = list(feeds)
        self.targets = list(targets)
        self.ctx = ctx
        fed = set(self.feeds)
        self.ops = prune(self.fetches, self.targets, fed)
        self._compile(fed)

    def _compile(self, fed):
        slot_of = {}

        def slot(t):
            s = slot_of.get(t)
            if s is None:
                s = slot_of[t] = len(slot_of)
            return s

        self.feed_slots = [slot(t) for t in self.feeds]
        order = _schedule(self.ops, self.fetches, fed)
        in_place_ok = _safe_in_place_updates(order, self.fetches)
        if config.enabled("group_optimizer_updates"):
            order = _group_updates(order, self.fetches, in_place_ok)
        last_use = {}
        raw = []
        for i, op in enumerate(order):
            refs = getattr(op.op_def, "ref_inputs", ())
            ins = tuple(slot(t) for k, t in enumerate(op.inputs) if k not in refs)
            for s in ins:
                last_use[s] = i
            outs = tuple(slot(t) for t in op.outputs if t not in fed)
            if len(outs) != len(op.outputs):  # some outputs fed: keep fed values
                outs = tuple(slot_of[t] if t not in fed else None for t in op.outputs)
            raw.append((op, ins, outs))
        self.fetch_slots = [slot(t) for t in self.fetches]
        keep = set(self.fetch_slots)
        frees = [[] for _ in raw]
        for i, (op, ins, outs) in enumerate(raw):
            for s in outs:
                if s is not None and s not in keep and s not in last_use:
                    frees[i].append(s)  # never read: drop at once
        for s, i in last_use.items():
            if s not in keep and s not in self.feed_slots:
                frees[i].append(s)
        self.num_slots = len(slot_of)
        self.slot_of = slot_of
        self.steps = []
        read = set(last_use) | keep
        for (op, ins, outs), fr in zip(raw, frees):
            # Ops such as While skip work for outputs nobody reads in this plan.
            self.ctx.used_outputs = frozenset(j for j, o in enumerate(outs) if o is not None and o in read)
            self.ctx.allow_in_place = op in in_place_ok
            fn = bind_op(op, self.ctx)
            if len(op.outputs) == 1 and outs[0] is None:  # runs only for its effects
                fn, outs = _as_tuple_fn(fn), (None,)
                out = outs
            else:
                out = outs[0] if len(op.outputs) == 1 else outs
            self.steps.append((fn, ins, out, tuple(fr), op))
        self.constants = self._fold_constants() if config.enabled("fold_constants") else {}
        self.in_place = self._fuse_elementwise() if config.enabled("fuse_elementwise") else {}
        self._fast_run = self._generate()

    def _fold_constants(self):
        """{step index: its result} for the steps whose value is known now: pure ops whose
        inputs are all constants. The generated code then assigns the value, no call.

        Ops with state (variables, random draws) and ops making TensorArrays (a fresh
        mutable value per run) are never folded; a step that fails now is left to fail
        when the plan runs, with the usual error.
        """
        known, folded = {}, {}
        for i, (fn, ins, out, frees, op) in enumerate(self.steps):
            if op.op_def.stateful or not op.outputs or not all(s in known for s in ins) \
                    or any(t.dtype is dtypes.variant for t in op.outputs):
                continue
            try:
                result = fn(*[known[s] for s in ins])
            except Exception:  # noqa: BLE001 - reported when the plan runs, as usual
                continue
            slots, values = ([out], [result]) if out.__class__ is int else (out, result)
            for slot, value in zip(slots, values):
                if slot is not None:
                    known[slot] = value
            folded[i] = result
        return folded

    def _fuse_elementwise(self):
        """{step index: input position} for the steps that compute into an input's buffer.

        A chain of elementwise ops (say AddN -> BiasAdd -> Relu) then runs in one buffer:
        its first op allocates, each following op writes its result over its input. An
        op may overwrite input `pos` when that value is a fresh array made by an earlier
        step of this plan (not a feed, fetch, variable or folded constant), read by this
        step alone, once. Results are unchanged: the in-place forms compute the same
        values (see `register_inplace`), and fall back to the kernel where the value does
        not fit the buffer (broadcasting, dtype).
        """
        producer, reads = {}, {}
        for i, (fn, ins, out, frees, op) in enumerate(self.steps):
            for s in ins:
                reads[s] = reads.get(s, 0) + 1
            if out.__class__ is int and i not in self.constants:
                producer[out] = op
        private = set(self.fetch_slots) | set(self.feed_slots)
        chosen = {}
        for i, (fn, ins, out, frees, op) in enumerate(self.steps):
            opdef = op.op_def
            if opdef.inplace is None or opdef.bind is not None or i in self.constants:
                continue
            for pos in opdef.inplace_positions:
                s = ins[pos] if pos < len(ins) else None
                maker = producer.get(s)
                if maker is None or s in private or reads[s] != 1 or not maker.op_def.fresh_output:
                    continue
                self.steps[i] = (_in_place_kernel(op, self.ctx, pos), ins, out, frees, op)
                chosen[i] = pos
                break
        return chosen

    def run(self, feed_values):
        """Runs the plan on `feed_values` (backend arrays, in `feeds` order).

        Returns:
          The fetched arrays, in `fetches` order.

        Raises:
          OpError: a kernel failed (kernel errors become InvalidArgumentError naming the op).
        """
        if self.ctx.trace is None:
            where = [None]
            try:
                return self._fast_run(where, *feed_values)
            except errors.OpError as e:
                if e.op is None and where[0] is not None:
                    e.op = self.steps[where[0]][4]
                raise
            except Exception as e:  # a kernel failed: report it as TF does, naming the op
                step = self.steps[where[0]] if where[0] is not None else None
                if step is None:
                    raise
                raise _kernel_error(step[4], _inputs_of(step, e), e) from e
        slots = [None] * self.num_slots
        for s, v in zip(self.feed_slots, feed_values):
            slots[s] = v
        trace = self.ctx.trace
        step = None
        try:
            if True:
                frame, outermost = self._trace_begin(slots)
                try:
                    for step in self.steps:
                        self._traced_step(step, slots, trace, frame)
                finally:
                    self._trace_end(slots, outermost)
        except errors.OpError as e:
            if e.op is None and step is not None:
                e.op = step[4]
            raise
        except Exception as e:  # a kernel failed: report it as TF does, naming the op
            op = step[4] if step is not None else None
            raise _kernel_error(op, [slots[i] for i in step[1]] if step else [], e) from e
        return [slots[i] for i in self.fetch_slots]

    # -- tracing (RunOptions.FULL_TRACE) ----------------------------------------------
    # A trace record is (op, start, end, outputs, frame): `frame` is () for the session's
    # own plan and ((loop op name, iteration), ...) for plans that a While or If kernel
    # runs; the n-th run of one sub-plan within one step of its parent is iteration n.

    def _trace_begin(self, slots):
        ctx = self.ctx
        if not ctx.trace_frames:  # the session's own plan
            ctx.trace_live = LiveBytes(ctx)
            for s in self.feed_slots:
                ctx.trace_live.hold(slots[s])
            return (), True
        parent_frame, parent_name, calls = ctx.trace_frames[-1]
        it = calls.get(self, 0)
        calls[self] = it + 1
        return parent_frame + ((parent_name, it),), False

    def _traced_step(self, step, slots, trace, frame):
        fn, ins, out, frees, op = step
        ctx = self.ctx
        live = ctx.trace_live
        ctx.trace_frames.append((frame, op.name, {}))
        start = time.perf_counter()
        try:
            result = fn(*[slots[i] for i in ins])
        finally:
            ctx.trace_frames.pop()
        end = time.perf_counter()
        outs = [result] if out.__class__ is int else list(result)
        trace.append((op, start, end, outs, frame))
        if out.__class__ is int:
            slots[out] = result
            live.hold(result)
        else:
            for o, v in zip(out, result):
                if o is not None:
                    slots[o] = v
                    live.hold(v)
        for f in frees:
            live.release(slots[f])
            slots[f] = None

    def _trace_end(self, slots, outermost):
        ctx = self.ctx
        if outermost:
            ctx.trace_live = None
            ctx.trace_frames.clear()
            return
        for s in self.fetch_slots:  # handed to the parent op, which holds them as outputs
            if s not in self.feed_slots:
                ctx.trace_live.release(slots[s])

    def _generate(self):
        """Compiles the steps into one Python function with a local variable per slot.

        The generated code (kept in `source`, and shown by `describe`) calls each bound
        kernel on its input variables directly: no slot list, no per-step unpacking.
        `where[0]` records the running step so that a failure can name its op.
        """
        params = ["s%d" % s for s in self.feed_slots]
        body, namespace, results, _ = self.inline("s", params, 0)
        lines = ["def run(%s):" % ", ".join(["where"] + params)]
        lines += ["    " + line for line in body]
        lines.append("    return [%s]" % ", ".join(results))
        self.source = "\n".join(lines)
        exec(compile(self.source, "<plan>", "exec"), namespace)
        return namespace["run"]

    def inline(self, prefix, feed_names, first_step):
        """The plan as lines of Python for a caller to embed (loops inline their bodies).

        Args:
          prefix: the prefix of the variables and kernel names of this plan.
          feed_names: the expressions holding the feeds, in `feeds` order.
          first_step: the number `where[0]` gets for the first step.

        Returns:
          (lines, namespace of kernels, fetch expressions, [(op, input expressions)] in
          step order).
        """
        feed = dict(zip(self.feed_slots, feed_names))

        def var(slot):
            return feed.get(slot) or "%s%d" % (prefix, slot)
        lines, namespace, ops = [], {}, []
        constants = getattr(self, "constants", {})
        in_place = getattr(self, "in_place", {})
        for i, (fn, ins, out, frees, op) in enumerate(self.steps):
            kernel = "%sk%d" % (prefix, i)
            ops.append((op, [var(s) for s in ins]))
            if i in constants:  # folded: the value itself, computed when the plan was made
                namespace[kernel] = constants[i]
                call = kernel
                lines.append("# %s (%s): folded" % (op.name, op.type))
            else:
                namespace[kernel] = fn
                call = "%s(%s)" % (kernel, ", ".join(var(s) for s in ins))
                how = ", in place of %s" % var(ins[in_place[i]]) if i in in_place else ""
                lines.append("where[0] = %d  # %s (%s%s)" % (first_step + i, op.name, op.type, how))
            if out.__class__ is int:
                lines.append("%s = %s" % (var(out), call))
            elif all(o is None for o in out):
                lines.append(call)
            else:
                targets = ", ".join(var(o) if o is not None else "_" for o in out)
                lines.append("%s%s = %s" % (targets, "," if len(out) == 1 else "", call))
            dead = [var(f) for f in frees if f not in feed]
            if dead:
                lines.append("del %s" % ", ".join(dead))
        return lines, namespace, [var(s) for s in self.fetch_slots], ops

    def describe(self):
        """A readable listing of the plan: one line per step, with its slots."""
        lines = ["Plan: %d ops, %d slots; feeds %s; fetches %s" % (
            len(self.ops), self.num_slots, [t.name for t in self.feeds], [t.name for t in self.fetches])]
        in_place = getattr(self, "in_place", {})
        for i, (fn, ins, out, frees, op) in enumerate(self.steps):
            outs = [out] if isinstance(out, int) else list(out)
            how = " (in place of input %d)" % in_place[i] if i in in_place else ""
            lines.append("  %-40s %-14s in=%s out=%s free=%s%s" % (op.name, op.type, list(ins), outs,
                                                                   list(frees), how))
        return "\n".join(lines)

    def __repr__(self):
        return "<Plan %d ops>" % len(self.ops)


def generated_kernel_error(steps, where, exc):
    """The OpError for an exception raised in generated code (see Plan.inline).

    Args:
      steps: [(op, input expressions)] indexed by the `where[0]` numbers of the code.
      where: the `where` list the code updated.
      exc: the exception.
    """
    if where[0] is None:
        return exc
    op, names = steps[where[0]]
    if isinstance(exc, errors.OpError):
        if exc.op is None:
            exc.op = op
        return exc
    values = []
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.startswith("<"):
            local = tb.tb_frame.f_locals
            values = [local.get(n) for n in names]
        tb = tb.tb_next
    return _kernel_error(op, values, exc)


def _inputs_of(step, exc):
    """The input arrays of a failed step, read from the generated function's frame."""
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<plan>":
            local = tb.tb_frame.f_locals
            return [local.get("s%d" % i) for i in step[1]]
        tb = tb.tb_next
    return []


def _in_place_kernel(op, ctx, pos):
    """`op`'s kernel computing into its input `pos` (see Plan._fuse_elementwise)."""
    inplace, kernel, xp, attrs = op.op_def.inplace, op.op_def.kernel, ctx.xp, op.attrs

    def run(*args):
        try:
            return inplace(xp, attrs, pos, *args)
        except (ValueError, TypeError):  # the value does not fit that buffer
            return kernel(xp, attrs, *args)
    return run


def _as_tuple_fn(fn):
    return lambda *args: (fn(*args),)


def _shape_of(a):
    return tuple(getattr(a, "shape", ()))


def _kernel_error(op, inputs, exc):
    shapes = ", ".join(str(list(_shape_of(a))) for a in inputs)
    name = op.name if op is not None else "?"
    typ = op.type if op is not None else "?"
    msg = "%s: %s (op '%s' of type %s, input shapes: [%s])\n\t [[node %s]]" % (
        type(exc).__name__, exc, name, typ, shapes, name)
    if isinstance(exc, MemoryError):
        return errors.ResourceExhaustedError(None, op, "OOM when running %s: %s" % (name, exc))
    return errors.InvalidArgumentError(None, op, msg)


def is_fetchable(x):
    return isinstance(x, (Tensor, Operation))
