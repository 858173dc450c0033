"""Compiles (fetches, feeds, targets) into a Plan, a flat list of steps, and runs it.

A Plan is made once per signature and cached by the session. Compiling is a pipeline:

1. prune: walk back from the fetches and targets over inputs and control inputs; a
   fed tensor cuts the walk (its producer need not run);
2. schedule: creation order is a topological order, so the kept ops are sorted by id;
   each variable read moves to right before each op reading it;
3. lay out and bind: every tensor gets a slot number and every op a Step (its bound
   kernel, input slots, output slots), so running does no name look-ups, no dict
   churn and no shape inference;
4. passes: the optimisation passes that are on rewrite the steps (tinygraph/passes/);
5. free lists: a slot is cleared right after its last reader ran;
6. generate: the steps become the source of one Python function, with a local
   variable per slot (`Plan.source`).

`Plan.run_interpreted` is the reference: a plain loop over the steps that the
generated code must agree with; traced runs use it. Sub-graphs (loop and cond
bodies) are compiled by the same code.
"""
import functools

from .framework import errors
from .passes import run_passes
from .run_context import current_run, finish, running
from .steps import Folded, Step, in_place_position


def bind_op(op, ctx, used_outputs):
    """The callable that computes `op` in `ctx`: fn(*input arrays) -> output(s).

    Args:
      op: the Operation.
      ctx: the session's RunContext.
      used_outputs: the positions of the op's outputs that this plan reads; a bind hook
        that asks for them (`binds_with_used_outputs`) gets them, so that a loop saves
        values for its gradient only where the gradient runs.
    """
    bind = op.op_def.bind
    if bind is None:
        return functools.partial(op.op_def.kernel, ctx.xp, op.attrs)
    if getattr(bind, "wants_used_outputs", False):
        return bind(op, ctx, used_outputs)
    return bind(op, ctx)


def binds_with_used_outputs(bind):
    """Decorator for a bind hook bind(op, ctx, used_outputs) (see `bind_op`)."""
    bind.wants_used_outputs = True
    return bind


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


def schedule(ops, fetches, fed):
    """The order to run: `ops`, with each variable read right before each op reading it.

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


def free_lists(steps, keep):
    """`steps` with their frees: each slot not in `keep` is cleared after its last
    reader, and an output nobody reads (an Assign run for its effect) at once."""
    last_use = {}
    for i, step in enumerate(steps):
        for s in step.ins:
            last_use[s] = i
    frees = [[s for s in step.outs if s is not None and s not in keep and s not in last_use]
             for step in steps]
    for s, i in last_use.items():
        if s not in keep:
            frees[i].append(s)
    return [step._replace(frees=tuple(f)) for step, f in zip(steps, frees)]


class Plan:
    """A compiled, reusable schedule for one (fetches, feeds, targets) signature.

    Attributes:
      ops: the Operations that run, in creation order.
      fetches, feeds, targets: the signature.
      steps: the Steps, in the order they run.
      slot_of: {tensor: its slot}; feed_slots and fetch_slots in signature order.
      source: the generated Python function (see `_generate`).
    """

    def __init__(self, fetches, feeds, targets, ctx):
        self.fetches, self.feeds, self.targets = list(fetches), list(feeds), list(targets)
        self.ctx = ctx
        fed = set(self.feeds)
        self.ops = prune(self.fetches, self.targets, fed)
        order = schedule(self.ops, self.fetches, fed)
        self.slot_of = {}
        self.feed_slots = [self._slot(t) for t in self.feeds]
        laid_out = [(op, tuple(self._slot(t) for k, t in enumerate(op.inputs)
                              if k not in op.op_def.ref_inputs),  # refs: not passed
                     tuple(self._slot(t) if t not in fed else None for t in op.outputs)) for op in order]
        self.fetch_slots = [self._slot(t) for t in self.fetches]
        self.num_slots = len(self.slot_of)
        read = {s for _, ins, _ in laid_out for s in ins} | set(self.fetch_slots)
        steps = [Step(bind_op(op, ctx, frozenset(j for j, s in enumerate(outs) if s in read)),
                      ins, outs, (), op) for op, ins, outs in laid_out]
        steps = run_passes(steps, self)
        self.steps = free_lists(steps, set(self.fetch_slots) | set(self.feed_slots))
        self._fast_run = self._generate()

    def _slot(self, t):
        s = self.slot_of.get(t)
        if s is None:
            s = self.slot_of[t] = len(self.slot_of)
        return s

    @property
    def constants(self):
        """{step index: value} of the steps constant folding computed at compile time."""
        return {i: s.fn.value for i, s in enumerate(self.steps) if s.fn.__class__ is Folded}

    @property
    def in_place(self):
        """{step index: input position} of the steps that compute into an input's buffer."""
        found = ((i, in_place_position(s.fn)) for i, s in enumerate(self.steps))
        return {i: pos for i, pos in found if pos is not None}

    def run(self, feed_values, run=None):
        """Runs the plan on `feed_values` (backend arrays, in `feeds` order).

        Args:
          feed_values: the fed arrays.
          run: the Run this belongs to (run_context.Run); None for a sub-plan run by a
            kernel inside the current one.

        Returns:
          The fetched arrays, in `fetches` order.

        Raises:
          OpError: a kernel failed (kernel errors become InvalidArgumentError naming the op).
        """
        token = running(run) if run is not None else None
        try:
            run = run or current_run()
            if run.tracer is not None:
                return self.run_interpreted(feed_values, run.tracer)
            where = [None]
            try:
                return self._fast_run(where, *feed_values)
            except Exception as e:  # a kernel failed: report it as TF does, naming the op
                if where[0] is None:
                    raise
                step = self.steps[where[0]]
                err = _op_error(step.op, _generated_inputs(step, e, "<plan>", "s"), e)
                if err is e:
                    raise
                raise err from e
        finally:
            if token is not None:
                finish(token)

    def run_interpreted(self, feed_values, tracer=None):
        """The reference: runs the steps one by one, the slots in a list.

        Args:
          feed_values: the fed arrays, in `feeds` order.
          tracer: a tracing.Tracer that times each step and counts its bytes, or None.

        Returns:
          The fetched arrays, in `fetches` order.
        """
        slots = [None] * self.num_slots
        for s, v in zip(self.feed_slots, feed_values):
            slots[s] = v
        began = tracer.begin_plan(self, feed_values) if tracer is not None else None
        step = None
        try:
            for step in self.steps:
                args = [slots[i] for i in step.ins]
                result = step.fn(*args) if tracer is None else tracer.call(step, args)
                for s, v in zip(step.outs, (result,) if len(step.outs) == 1 else result if step.outs else ()):
                    if s is not None:
                        slots[s] = v
                        if tracer is not None:
                            tracer.live.hold(v)
                for s in step.frees:
                    if tracer is not None:
                        tracer.live.release(slots[s])
                    slots[s] = None
        except Exception as e:  # a kernel failed: report it as TF does, naming the op
            err = _op_error(step.op, [slots[i] for i in step.ins], e) if step is not None else e
            if err is e:
                raise
            raise err from e
        finally:
            if tracer is not None:
                tracer.end_plan(self, slots, began)
        return [slots[i] for i in self.fetch_slots]

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
        for i, (fn, ins, outs, frees, op) in enumerate(self.steps):
            kernel = "%sk%d" % (prefix, i)
            ops.append((op, [var(s) for s in ins]))
            if fn.__class__ is Folded:  # the value itself, computed when the plan was made
                namespace[kernel], call = fn.value, kernel
                lines.append("# %s (%s): folded" % (op.name, op.type))
            else:
                namespace[kernel] = fn
                call = "%s(%s)" % (kernel, ", ".join(var(s) for s in ins))
                pos = in_place_position(fn)
                how = ", in place of %s" % var(ins[pos]) if pos is not None else ""
                lines.append("where[0] = %d  # %s (%s%s)" % (first_step + i, op.name, op.type, how))
            if all(o is None for o in outs):
                lines.append(call)
            else:
                targets = ", ".join(var(o) if o is not None else "_" for o in outs)
                lines.append("%s = %s" % (targets, call))
            dead = [var(f) for f in frees if f not in feed]
            if dead:
                lines.append("del %s" % ", ".join(dead))
        return lines, namespace, [var(s) for s in self.fetch_slots], ops

    def describe(self):
        """A readable listing of the plan: one line per step, with its slots."""
        lines = ["Plan: %d ops, %d slots; feeds %s; fetches %s" % (
            len(self.ops), self.num_slots, [t.name for t in self.feeds], [t.name for t in self.fetches])]
        for fn, ins, outs, frees, op in self.steps:
            pos = in_place_position(fn)
            how = " (in place of input %d)" % pos if pos is not None else ""
            lines.append("  %-40s %-14s in=%s out=%s free=%s%s" % (
                op.name, op.type, list(ins), list(outs), list(frees), how))
        return "\n".join(lines)

    def __repr__(self):
        return "<Plan %d ops>" % len(self.ops)


def generated_kernel_error(steps, where, exc):
    """The error to raise for an exception from generated code (see Plan.inline): an
    OpError naming the op of step `where[0]`, or `exc` itself when no step ran.

    Args:
      steps: [(op, input expressions)] indexed by the `where[0]` numbers of the code.
      where: the `where` list the code updated.
      exc: the exception.
    """
    if where[0] is None:
        return exc
    op, names = steps[where[0]]
    values = []
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.startswith("<"):
            local = tb.tb_frame.f_locals
            values = [local.get(n) for n in names]
        tb = tb.tb_next
    return _op_error(op, values, exc)


def _generated_inputs(step, exc, filename, prefix):
    """The input arrays of a failed step, read from the generated function's frame."""
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            local = tb.tb_frame.f_locals
            return [local.get("%s%d" % (prefix, i)) for i in step.ins]
        tb = tb.tb_next
    return []


def _op_error(op, inputs, exc):
    """`exc` as TF reports a failing kernel: an OpError naming `op` (the same OpError, with
    its op filled in, when the kernel raised one)."""
    if isinstance(exc, errors.OpError):
        if exc.op is None:
            exc.op = op
        return exc
    shapes = ", ".join(str(list(getattr(a, "shape", ()))) for a in inputs)
    if isinstance(exc, MemoryError):
        return errors.ResourceExhaustedError(None, op, "OOM when running %s: %s" % (op.name, exc))
    msg = "%s: %s (op '%s' of type %s, input shapes: [%s])\n\t [[node %s]]" % (
        type(exc).__name__, exc, op.name, op.type, shapes, op.name)
    return errors.InvalidArgumentError(None, op, msg)
