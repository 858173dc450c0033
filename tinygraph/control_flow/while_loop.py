"""tf.while_loop as ONE While op, and its gradient as one WhileGrad op.

    while_loop(cond, body, loop_vars)
      -> traces `cond` and `body` once into sub-graphs (see subgraph.py)
      -> adds a single op   While(loop_vars..., captured outer tensors...)
         whose outputs are the final loop variables plus a *tape*: the values the
         gradient will need, saved once per iteration (only when the tape is used).

The executor runs the body's own compiled plan once per iteration. The gradient,
WhileGrad(tape, output grads..., captured values...), runs the body's gradient plan
backward over the saved iterations: it carries the loop-variable gradients from
one iteration to the one before, and sums the gradients of captured tensors
(weights) over all iterations.
"""
import contextlib
import math
import threading

from .. import config
from ..executor import Plan, binds_with_used_outputs, generated_kernel_error
from ..framework import dtypes, errors, nest
from ..framework import graph as _graph
from ..framework.registry import NotDifferentiable, register_gradient, register_op
from ..framework.tensor_shape import TensorShape, as_shape
from ..passes.aliasing import aliased_sources, register_aliased_inputs
from ..run_context import current_run
from .loop_passes import hoist_input_projections
from .subgraph import Backward, LoopTape, SavedValues, SubGraph, accumulate, differentiable
from .tensor_array import TensorArray, TensorArrayValue

__all__ = ["while_loop"]

# Saved values at least this large are swapped to host memory when swap_memory=True
# on a device backend; smaller ones cost more in copy latency than they save.
SWAP_THRESHOLD_BYTES = 4096


def _flatten_vars(structure):
    leaves = nest.flatten(structure)
    return [leaf.handle if isinstance(leaf, TensorArray) else leaf for leaf in leaves], leaves


def _pack_vars(structure, template_leaves, values):
    vals = [TensorArray._like(tl, v) if isinstance(tl, TensorArray) else v
            for tl, v in zip(template_leaves, values)]
    return nest.pack_sequence_as(structure, vals)


def _call(fn, structure, template_leaves, placeholders):
    args = _pack_vars(structure, template_leaves, placeholders)
    return fn(*args) if isinstance(args, (list, tuple)) and not hasattr(args, "_fields") else fn(args)


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
               back_prop=True, swap_memory=False, name=None, maximum_iterations=None,
               return_same_structure=False):
    """Repeats `body` while `cond` is true, as one While op (tf.while_loop).

    Args:
      cond: callable(*loop_vars) -> scalar bool Tensor.
      body: callable(*loop_vars) -> new loop vars with the same structure.
      loop_vars: a (nested) tuple/list/namedtuple of Tensors, values or TensorArrays.
      shape_invariants: TensorShapes (same structure) allowing shapes to change.
      parallel_iterations: accepted for compatibility; iterations run one after another.
      back_prop: if False, no gradient flows through the loop.
      swap_memory: on a device backend, keep large saved values in host memory.
      name: the name scope (default "while").
      maximum_iterations: optional int bound on the number of iterations.
      return_same_structure: if False, a single loop var comes back unwrapped.

    Returns:
      The final loop variables, structured like `loop_vars`.

    Raises:
      TypeError: cond or body is not callable, or body changes a dtype.
      ValueError: body changes the structure, or a shape beyond its invariant.
    """
    if not callable(cond):
        raise TypeError("cond must be callable.")
    if not callable(body):
        raise TypeError("body must be callable.")
    if parallel_iterations < 1:
        raise TypeError("parallel_iterations must be a positive integer.")
    if not isinstance(loop_vars, (list, tuple)):
        raise TypeError("loop_vars must be a (nested) list or tuple of tensors, got %r" % (loop_vars,))
    outer = _graph.get_default_graph()
    with outer.name_scope(name or "while") as scope:
        flat, leaves = _flatten_vars(loop_vars)
        flat = [_graph.convert_to_tensor(v) for v in flat]
        if shape_invariants is None:
            invariants = [t.shape for t in flat]
        else:
            inv_leaves = nest.flatten(shape_invariants)
            if len(inv_leaves) != len(flat):
                raise ValueError("shape_invariants must have the same structure as loop_vars")
            invariants = []
            for t, s in zip(flat, inv_leaves):
                s = t.shape if isinstance(t, _graph.Tensor) and t.dtype is dtypes.variant else as_shape(s)
                if not s.is_compatible_with(t.shape) or (s.ndims is not None and t.shape.ndims is not None
                                                         and s.ndims != t.shape.ndims):
                    raise ValueError("The shape invariant specified for %s is not compatible with the "
                                     "initial shape of the loop variable. It enters the loop with shape "
                                     "%s, but the specified shape invariant is %s." % (t.name, t.shape, s))
                invariants.append(s)

        cond_sub = SubGraph(outer, scope + "cond/")
        cond_in = [cond_sub.add_input(t.dtype, s, "loop_var") for t, s in zip(flat, invariants)]
        with cond_sub.graph.as_default():
            pred = _graph.convert_to_tensor(_call(cond, loop_vars, leaves, cond_in))
            pred = cond_sub.graph._own(pred)
        if pred.dtype is not dtypes.bool_ or (pred.shape.ndims not in (None, 0)):
            raise ValueError("cond of a while_loop must return a scalar bool tensor, got %s" % pred)
        cond_sub.outputs = [pred]

        body_sub = SubGraph(outer, scope)
        body_in = [body_sub.add_input(t.dtype, s, "loop_var") for t, s in zip(flat, invariants)]
        with body_sub.graph.as_default():
            result = _call(body, loop_vars, leaves, body_in)
            if not nest.is_sequence(result) or isinstance(result, TensorArray):
                result = [result]
            try:
                nest.assert_same_structure(list(loop_vars), list(result))
            except ValueError as e:
                raise ValueError("body of a while_loop must return the same structure as loop_vars: %s" % e) from None
            out_flat, _ = _flatten_vars(result)
            outs = []
            for t, v, s in zip(flat, out_flat, invariants):
                v = body_sub.graph._own(_graph.convert_to_tensor(v, dtype=t.dtype if not _graph.is_tensor_like(v) else None))
                if v.dtype != t.dtype:
                    raise TypeError("Loop variable %s enters the loop with type %s, but has type %s after "
                                    "one iteration." % (t.name, t.dtype.name, v.dtype.name))
                if not s.is_compatible_with(v.shape) or (s.ndims is not None and v.shape.ndims is not None
                                                         and s.ndims != v.shape.ndims):
                    raise ValueError("Input tensor '%s' enters the loop with shape %s, but has shape %s after "
                                     "one iteration. To allow the shape to vary across iterations, use the "
                                     "`shape_invariants` argument of tf.while_loop to specify a less-specific "
                                     "shape." % (t.name, s, v.shape))
                outs.append(v)
        body_sub.outputs = outs
        if config.enabled("hoist_input_projections"):
            hoist_input_projections(body_sub, outer)

        captured, index = [], {}
        for outer_t, _ in cond_sub.captures + body_sub.captures:
            if outer_t not in index:
                index[outer_t] = len(flat) + len(captured)
                captured.append(outer_t)
        inputs = flat + captured
        if maximum_iterations is not None:
            inputs.append(_graph.convert_to_tensor(maximum_iterations, dtype=dtypes.int32))
        attrs = {"cond": cond_sub, "body": body_sub, "n_vars": len(flat),
                 "cond_captures": [index[o] for o, _ in cond_sub.captures],
                 "body_captures": [index[o] for o, _ in body_sub.captures],
                 "has_max": maximum_iterations is not None, "back_prop": bool(back_prop),
                 "swap_memory": bool(swap_memory), "parallel_iterations": parallel_iterations,
                 "saves": SavedValues()}
        specs = [(t.dtype, s) for t, s in zip(flat, invariants)] + [(dtypes.variant, TensorShape([]))]
        op = outer.create_op("While", inputs, attrs, name=scope, output_specs=specs)
    out = _pack_vars(loop_vars, leaves, op.outputs[:len(flat)])
    if not return_same_structure and len(loop_vars) == 1:
        return out[0]
    return out


def _while_infer(attrs, *inputs):
    raise AssertionError("While ops are created with explicit output specs")


@binds_with_used_outputs
def _while_bind(op, ctx, used_outputs):
    a = op.attrs
    cond_sub, body_sub, n = a["cond"], a["body"], a["n_vars"]
    cond_caps, body_caps = a["cond_captures"], a["body_captures"]
    need_tape = a["back_prop"] and (len(op.outputs) - 1) in used_outputs
    # Recompute mode keeps only the loop state every k iterations; the gradient re-runs the
    # body from those checkpoints. Not with random draws in the body: they would differ.
    recompute = need_tape and config.enabled("recompute_loop_activations") and \
        not any(o.op_def.stateful for o in body_sub.graph.get_operations())
    has_max = a["has_max"]
    # What the gradients built so far asked the loop to save (see SavedValues): later
    # requests only append, so this plan's WhileGrad ops read their positions from it.
    saved = list(a["saves"].tensors()) if need_tape and not recompute else []
    cache = {}  # plans and the generated loop, made on the first run (two racing threads
    # may both make them: each uses its own, equal ones)
    backend = ctx.backend

    def plans():
        if "body" not in cache:
            cache["cond"] = Plan(cond_sub.outputs, cond_sub.inputs + [i for _, i in cond_sub.captures], [], ctx)
            cache["body"] = Plan(body_sub.outputs + saved, body_sub.inputs + [i for _, i in body_sub.captures],
                                 [], ctx)
        return cache["cond"], cache["body"]

    def fast_loop():
        """The whole loop as one generated Python `while` with both plans inlined."""
        if "loop" not in cache:
            cond_plan, body_plan = plans()
            cache["loop"] = _generate_loop(cond_plan, body_plan, n, len(cond_caps), len(body_caps),
                                           "checkpoint" if recompute else ("push" if need_tape else None))
        return cache["loop"]

    def run(*inputs):
        this_run = current_run()
        stats = this_run.stats
        if this_run.tracer is None:
            loop, steps = fast_loop()
            limit = int(inputs[-1]) if has_max else None
            tape = LoopTape(backend, a["swap_memory"], SWAP_THRESHOLD_BYTES, stats) if need_tape else None
            if recompute:
                tape.every = config.loop_checkpoint_every or max(1, int(math.ceil(math.sqrt(limit or 64))))
                tape.checkpoints = {}
            where = [None]
            try:
                state, i = loop(where, limit, tape, *(list(inputs[:n]) + [inputs[k] for k in cond_caps]
                                                       + [inputs[k] for k in body_caps]))
            except Exception as e:
                err = generated_kernel_error(steps, where, e)
                if err is e:
                    raise
                raise err from e
            stats.loop_iterations += i
            if recompute:
                tape.count = i
            return state + [tape]
        if recompute:
            raise errors.UnimplementedError(None, op, "traced runs do not support "
                                            "recompute_loop_activations; turn it off to trace")
        cond_plan, body_plan = plans()
        state = list(inputs[:n])
        cvals = [inputs[i] for i in cond_caps]
        bvals = [inputs[i] for i in body_caps]
        limit = int(inputs[-1]) if has_max else None
        tape = LoopTape(backend, a["swap_memory"], SWAP_THRESHOLD_BYTES, stats) if need_tape else None
        i = 0
        while (limit is None or i < limit) and bool(cond_plan.run(state + cvals)[0]):
            res = body_plan.run(state + bvals)
            state = res[:n]
            if tape is not None:
                tape.push(res[n:])
            i += 1
        stats.loop_iterations += i
        return state + [tape]
    return run


def _generate_loop(cond_plan, body_plan, n, n_cond_caps, n_body_caps, tape_mode):
    """Python source for the loop: cond's and body's generated code inside one `while`.

    tape_mode: None (save nothing), "push" (save the body's extra fetches every
    iteration) or "checkpoint" (keep the loop state every `tape.every` iterations).

    Returns (loop function, [(op, input names)] for error messages).
    """
    state = ["v%d" % j for j in range(n)]
    cond_caps = ["cc%d" % j for j in range(n_cond_caps)]
    body_caps = ["bc%d" % j for j in range(n_body_caps)]
    c_lines, namespace, c_out, c_steps = cond_plan.inline("c", state + cond_caps, 0)
    b_lines, b_namespace, b_out, b_steps = body_plan.inline("b", state + body_caps, len(c_steps))
    namespace.update(b_namespace)
    src = ["def loop(where, limit, tape, %s):" % ", ".join(state + cond_caps + body_caps),
           "    i = 0",
           "    while limit is None or i < limit:"]
    src += ["        " + line for line in c_lines]
    src += ["        if not %s:" % c_out[0], "            break"]
    if tape_mode == "checkpoint":
        src += ["        if i % tape.every == 0:", "            tape.checkpoint(i, [%s])" % ", ".join(state)]
    src += ["        " + line for line in b_lines]
    if tape_mode == "push":
        src.append("        tape.push([%s])" % ", ".join(b_out[n:]))
    if n:
        src.append("        %s = %s" % (", ".join(state), ", ".join(b_out[:n])))
    src += ["        i += 1", "    return [%s], i" % ", ".join(state)]
    source = "\n".join(src)
    exec(compile(source, "<while loop>", "exec"), namespace)
    namespace["loop"].source = source
    return namespace["loop"], c_steps + b_steps


register_op("While", infer=_while_infer, bind=_while_bind)(None)


def _zeros_like_value(xp, v):
    if isinstance(v, TensorArrayValue):
        return TensorArrayValue(v.size, True, _runtime_element_shape(v))
    return xp.zeros_like(v)


def _runtime_element_shape(ta):
    for item in ta.items.values():
        return TensorShape(item.shape)
    return ta.element_shape


@register_op("ZerosLikeValue", infer=lambda attrs, x: [(x.dtype, x.shape)])
def _zeros_like_value_kernel(xp, attrs, x):
    return _zeros_like_value(xp, x)


NotDifferentiable("ZerosLikeValue")


def _zeros_like(t):
    g = _graph.get_default_graph()
    return g.create_op("ZerosLikeValue", [t], {}, "zeros_like").outputs[0]


@register_gradient("While")
def _while_grad(op, *grads):
    a = op.attrs
    n, body = a["n_vars"], a["body"]
    none = [None] * len(op.inputs)
    if not a["back_prop"] or all(g is None for g in grads[:n]):
        return none
    bw = Backward(body, [differentiable(t) for t in body.outputs])
    positions = a["saves"].request(bw.saved)  # where the forward loop's tape holds them
    carried = [j for j in range(n) if bw.grad_ys[j] is not None]
    seeds = [grads[j] if grads[j] is not None else _zeros_like(op.outputs[j]) for j in carried]
    # Building the gradient may have captured more outer tensors: feed them all.
    cap_values = [outer_t for outer_t, _ in body.captures]
    cap_phs = [inner for _, inner in body.captures]
    wrt_caps = [k for k in range(len(a["body_captures"])) if differentiable(cap_values[k])]
    attrs = {"forward": op, "backward": bw, "positions": positions, "carried": carried,
             "wrt_caps": wrt_caps, "capture_placeholders": cap_phs}
    specs = [(op.inputs[j].dtype, op.inputs[j].shape) for j in carried] + \
            [(cap_values[k].dtype, cap_values[k].shape) for k in wrt_caps]
    g = _graph.get_default_graph()
    grad_op = g.create_op("WhileGrad", [op.outputs[-1]] + seeds + cap_values, attrs, "WhileGrad",
                          output_specs=specs)
    result = list(none)
    for out, j in zip(grad_op.outputs[:len(carried)], carried):
        result[j] = out
    for out, k in zip(grad_op.outputs[len(carried):], wrt_caps):
        result[a["body_captures"][k]] = out
    return result


def _batched_form(grad):
    """How a captured tensor's per-iteration gradient can be summed over all iterations at
    once: ("matmul", a, g) for a^T @ g, ("sum", g) for a bias gradient, or None."""
    op = grad.op
    if op.type == "MatMul" and op.attrs["transpose_a"] and not op.attrs["transpose_b"] \
            and all(t.shape.ndims == 2 for t in op.inputs):
        return ("matmul", op.inputs[0], op.inputs[1])
    if op.type == "BiasAddGrad" and op.attrs.get("data_format", "NHWC") != "NCHW" \
            and op.inputs[0].shape.ndims == 2:
        return ("sum", op.inputs[0])
    return None


# Per-iteration gradient pieces up to this many elements are kept and multiplied once
# after the loop; larger ones are multiplied as they come (the matmul is then compute-
# bound anyway, and keeping every iteration's rows would cost their memory).
BATCH_PIECE_LIMIT = 32768


class _GradSum:
    """Sums a captured weight's gradient over iterations: sum_t a_t^T @ g_t ("matmul") or
    sum_t sum_rows(g_t) ("sum"), batched into one call after the loop for small pieces."""

    __slots__ = ("xp", "kind", "buffers", "key", "pieces", "total", "batch")

    def __init__(self, xp, kind, buffers, key):
        """buffers: a _Buffers shared by the runs of one bound op."""
        self.xp, self.kind, self.buffers, self.key = xp, kind, buffers, key
        self.pieces, self.total, self.batch = [], None, None

    def add(self, *values):
        if self.batch is None:
            self.batch = values[-1].size <= BATCH_PIECE_LIMIT
        if self.batch:
            self.pieces.append(values)
            return
        part = self.xp.matmul(values[0].T, values[1]) if self.kind == "matmul" else values[0].sum(axis=0)
        self.total = accumulate(self.total, part)

    def result(self):
        if not self.pieces:
            return self.total
        with self.buffers.lock:  # threads running one plan share its stacking buffers
            stacked = [_stack_rows(self.xp, self.buffers.arrays, (self.key, i), [p[i] for p in self.pieces])
                       for i in range(len(self.pieces[0]))]
            self.pieces = []
            if self.kind == "matmul":
                return self.xp.matmul(stacked[0].T, stacked[1])
            return stacked[0].sum(axis=0)


class _Buffers:
    """Row-stacking buffers kept from run to run, and the lock of their users."""

    def __init__(self):
        self.arrays = {}
        self.lock = threading.Lock()


def _stack_rows(xp, buffers, key, arrays):
    """Stacks 2-D arrays by rows into a buffer kept for the next run.

    Reusing the buffer matters: a fresh multi-megabyte array costs page faults on
    every run, more than the batched matmul saves."""
    rows = sum(x.shape[0] for x in arrays)
    shape, dtype = (rows, arrays[0].shape[1]), arrays[0].dtype
    buf = buffers.get(key)
    if buf is None or buf.shape != shape or buf.dtype != dtype:
        buf = buffers[key] = xp.empty(shape, dtype=dtype)
    start = 0
    for x in arrays:
        buf[start:start + x.shape[0]] = x
        start += x.shape[0]
    return buf


# The backward loop checks whether its carried gradients have vanished every this many
# iterations only: the check reads every carried gradient, which for a small RNN costs
# about what one backward iteration does; stopping up to 7 iterations late adds nothing.
VANISHED_CHECK_EVERY = 8


def _vanished(xp, threshold, it, values):
    """True when the backward loop may stop before iteration `it`: every carried
    gradient is below `threshold` (float) or empty below `it` (TensorArray), so the
    earlier iterations would add only amounts that underflow (stop_vanished_gradients)."""
    if it == 0 or it % VANISHED_CHECK_EVERY:
        return False
    for v in values:
        if isinstance(v, TensorArrayValue):
            if any(i < it for i in v.items):
                return False
        elif v.dtype.kind == "f" and bool(xp.any(xp.abs(v) > threshold)):
            return False
    return True


def _while_grad_bind(op, ctx):
    """WhileGrad's kernel: the backward driver, run with one of three strategies.

    - "generated": the whole backward loop as generated Python (the default);
    - "stepwise": one `Plan.run` per iteration, over the saved values (traced runs);
    - "recompute": the forward loop kept only checkpoints (recompute_loop_activations);
      each segment's values are recomputed from its checkpoint, then gone back over.
    """
    a = op.attrs
    bw, positions, carried, wrt_caps = a["backward"], a["positions"], a["carried"], a["wrt_caps"]
    body = a["forward"].attrs["body"]
    n_in = len(body.inputs)
    release = len(op.inputs[0]._consumers) == 1  # only we read the tape: free it as we go
    xp = ctx.xp
    nc = len(carried)
    grad_ys = [bw.grad_ys[j] for j in carried]
    carried_grads = [bw.grads[j] for j in carried]
    cap_grads = [bw.grads[n_in + k] for k in wrt_caps]
    # What the backward plan fetches per iteration: the carried gradients, then for each
    # captured tensor either its gradient (summed as we go) or the two factors of its
    # batched form (kept, and multiplied once after the loop).
    fetches, carried_at, cap_plan = [], [], []
    for gr in carried_grads:
        carried_at.append(len(fetches) if gr is not None else None)
        if gr is not None:
            fetches.append(gr)
    batch = config.enabled("batch_loop_weight_gradients")
    for gr in cap_grads:
        form = _batched_form(gr) if gr is not None and batch else None
        if gr is None:
            cap_plan.append(None)
        elif form is None:
            cap_plan.append(("add", len(fetches)))
            fetches.append(gr)
        else:
            cap_plan.append((form[0],) + tuple(range(len(fetches), len(fetches) + len(form) - 1)))
            fetches.extend(form[1:])
    threshold = config.vanished_gradient_threshold
    vanished = (lambda it, values: _vanished(xp, threshold, it, values)) \
        if config.enabled("stop_vanished_gradients") else None
    cap_phs = a["capture_placeholders"]
    saved = list(bw.saved)
    cache = {}  # plans and generated code, made on the first run (racing threads: both fine)
    buffers = _Buffers()  # reused row-stacking buffers of the batched gradients

    def plan():
        if "plan" not in cache:
            cache["plan"] = Plan(fetches, grad_ys + saved + cap_phs, [], ctx)
        return cache["plan"]

    def iterations(strategy, tape, caps):
        """(iteration, the saved values its backward step reads), last iteration first."""
        if strategy == "stepwise":
            for it in range(len(tape) - 1, -1, -1):
                vals = tape.values(it, release)
                yield it, [vals[p] for p in positions]
            return
        if "forward" not in cache:
            cache["forward"] = Plan(body.outputs + saved, body.inputs + cap_phs, [], ctx)
        forward, every = cache["forward"], tape.every
        for start in range(((len(tape) - 1) // every) * every, -1, -every):
            loop_state = tape.restore(start, release)
            segment = []
            for _ in range(start, min(start + every, len(tape))):
                res = forward.run(loop_state + caps)
                loop_state = res[:n_in]
                segment.append(res[n_in:])
            tape.note_recomputed(segment)
            try:
                for it in range(start + len(segment) - 1, start - 1, -1):
                    yield it, segment.pop()
            finally:
                tape.note_recomputed(None)

    def run(tape, *args):
        if tape is None:
            raise errors.InternalError(None, op, "the forward While op %s saved nothing for its "
                                       "gradient" % a["forward"].name)
        state, caps = list(args[:nc]), list(args[nc:])
        acc = [None] * len(wrt_caps)
        parts = [_GradSum(xp, how[0], buffers, k) if how is not None and how[0] != "add" else None
                 for k, how in enumerate(cap_plan)]
        zeros_like = lambda v: _zeros_like_value(xp, v)  # noqa: E731
        if tape.checkpoints is not None:
            strategy = "recompute"
        else:
            strategy = "stepwise" if current_run().tracer is not None else "generated"
        if strategy == "generated":
            if "back" not in cache:
                cache["back"] = _generate_backward_loop(plan(), len(carried), len(positions), len(caps),
                                                        positions, carried_at, cap_plan)
            back, steps = cache["back"]
            where = [None]
            try:
                state = back(where, tape, release, acc, parts, accumulate, zeros_like, vanished,
                             *(state + caps))
            except Exception as e:
                err = generated_kernel_error(steps, where, e)
                if err is e:
                    raise
                raise err from e
        else:
            p = plan()
            with contextlib.closing(iterations(strategy, tape, caps)) as backward_iterations:
                for it, saved_values in backward_iterations:
                    res = p.run(state + saved_values + caps)
                    state = [res[i] if i is not None else zeros_like(s) for i, s in zip(carried_at, state)]
                    for k, how in enumerate(cap_plan):
                        if how is not None and how[0] == "add":
                            acc[k] = accumulate(acc[k], res[how[1]])
                        elif how is not None:
                            parts[k].add(*[res[i] for i in how[1:]])
                    if vanished is not None and vanished(it, state):
                        break
        for k, how in enumerate(cap_plan):
            if parts[k] is not None:
                acc[k] = parts[k].result()
        cap_vals = [caps[k] for k in wrt_caps]
        outs = state + [acc[k] if acc[k] is not None else _zeros_like_value(xp, cap_vals[k])
                        for k in range(len(wrt_caps))]
        return outs[0] if len(outs) == 1 else outs  # a one-output op returns its value
    return run


def _generate_backward_loop(plan, n_carried, n_saved, n_caps, positions, carried_at, cap_plan):
    """Python source for WhileGrad's loop over the saved iterations, in reverse, with the
    gradient plan's generated code inlined (see Plan.inline): the "generated" strategy
    of `_while_grad_bind`, doing per iteration what its stepwise loop does.

    Returns (function, [(op, input names)] for error messages).
    """
    grads = ["g%d" % j for j in range(n_carried)]
    saved = ["sv%d" % j for j in range(n_saved)]
    caps = ["c%d" % j for j in range(n_caps)]
    lines, namespace, out, steps = plan.inline("p", grads + saved + caps, 0)
    src = ["def back(where, tape, release, acc, parts, accumulate, zeros_like, vanished, %s):"
           % ", ".join(grads + caps),
           "    for it in range(len(tape) - 1, -1, -1):",
           "        vals = tape.values(it, release)"]
    if n_saved:
        src.append("        %s = %s" % (", ".join(saved), ", ".join("vals[%d]" % p for p in positions)))
    src += ["        " + line for line in lines]
    if n_carried:
        src.append("        %s = %s" % (", ".join(grads), ", ".join(
            out[i] if i is not None else "zeros_like(%s)" % g for g, i in zip(grads, carried_at))))
    for k, how in enumerate(cap_plan):
        if how is None:
            continue
        if how[0] == "add":
            src.append("        acc[%d] = accumulate(acc[%d], %s)" % (k, k, out[how[1]]))
        else:
            src.append("        parts[%d].add(%s)" % (k, ", ".join(out[i] for i in how[1:])))
    src += ["        if vanished is not None and vanished(it, [%s]):" % ", ".join(grads),
            "            break  # earlier iterations would add only underflow",
            "    return [%s]" % ", ".join(grads)]
    source = "\n".join(src)
    exec(compile(source, "<while gradient loop>", "exec"), namespace)
    namespace["back"].source = source
    return namespace["back"], steps


register_op("WhileGrad", infer=_while_infer, bind=_while_grad_bind)(None)


def _while_aliased_inputs(op):
    """The loop variables' initial values, and the body captures that the body may pass
    to its outputs unchanged (or as views)."""
    a, body = op.attrs, op.attrs["body"]
    inner = {inner_t: k for k, (_, inner_t) in enumerate(body.captures)}
    reaching = aliased_sources(body.graph.get_operations(), list(inner), body.outputs)
    return list(range(a["n_vars"])) + [a["body_captures"][inner[t]] for t in reaching]


register_aliased_inputs("While", _while_aliased_inputs)
# Its outputs are sums of fresh arrays, or a seed gradient passed through (no iteration
# ran); never the tape or a captured value.
register_aliased_inputs("WhileGrad", lambda op: range(1, 1 + len(op.attrs["carried"])))


@register_gradient("WhileGrad")
def _while_grad_grad(op, *grads):
    raise LookupError("No gradient defined for operation '%s' (op type: WhileGrad): second-order "
                      "gradients through tf.while_loop are not supported" % op.name)
