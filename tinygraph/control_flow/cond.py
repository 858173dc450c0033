"""tf.cond as ONE If op over two traced branches, and its gradient as one IfGrad op.

Only the branch the predicate selects runs. Branches take no explicit inputs: the
outer tensors they use are captured. The gradient re-runs the taken branch's
gradient plan with the same captured values; the forward pass saves only what was
drawn at random (stateful ops) in the taken branch, plus which branch it was.
"""
from ..executor import Plan, binds_with_used_outputs
from ..framework import dtypes, errors, nest
from ..framework import graph as _graph
from ..framework.registry import register_gradient, register_op
from ..framework.tensor_shape import TensorShape
from .subgraph import Backward, SavedValues, SubGraph, differentiable

__all__ = ["cond", "case"]


class _IfTape:
    __slots__ = ("branch", "values", "nbytes")

    def __init__(self, branch, values):
        self.branch = branch
        self.values = values
        self.nbytes = sum(int(getattr(v, "nbytes", 0)) for v in values)


def _trace(fn, outer, prefix):
    sub = SubGraph(outer, prefix)
    with sub.graph.as_default():
        result = fn()
    if result is None:
        raise ValueError("true_fn and false_fn must return at least one result.")
    flat = [sub.graph._own(_graph.convert_to_tensor(t)) for t in nest.flatten(result)]
    sub.outputs = flat
    return sub, result


def cond(pred, true_fn=None, false_fn=None, strict=False, name=None, fn1=None, fn2=None):
    """Returns true_fn() if `pred` is true else false_fn(), as one If op (tf.cond).

    Args:
      pred: a scalar bool tensor (or Python bool).
      true_fn, false_fn: callables returning the same structure of tensors.
      strict: accepted for compatibility (single outputs are unwrapped either way as TF1 does
        only when not strict).
      name: the op name scope (default "cond").

    Returns:
      The outputs of the selected branch, structured like true_fn's result.

    Raises:
      TypeError: a branch is not callable, or the branches return different dtypes.
      ValueError: the branches return different structures.
    """
    true_fn = true_fn or fn1
    false_fn = false_fn or fn2
    if not callable(true_fn):
        raise TypeError("true_fn must be callable.")
    if not callable(false_fn):
        raise TypeError("false_fn must be callable.")
    outer = _graph.get_default_graph()
    with outer.name_scope(name or "cond") as scope:
        p = _graph.convert_to_tensor(pred)
        if p.dtype is not dtypes.bool_:
            raise TypeError("pred must be a bool tensor, got %s" % p.dtype.name)
        true_sub, true_res = _trace(true_fn, outer, scope + "true/")
        false_sub, false_res = _trace(false_fn, outer, scope + "false/")
        try:
            nest.assert_same_structure(true_res, false_res)
        except ValueError as e:
            raise ValueError("true_fn and false_fn must have the same type of structure: %s" % e) from None
        specs = []
        for a, b in zip(true_sub.outputs, false_sub.outputs):
            if a.dtype != b.dtype:
                raise TypeError("Outputs of true_fn and false_fn must have the same type: %s, %s"
                                % (a.dtype.name, b.dtype.name))
            specs.append((a.dtype, a.shape.most_specific_compatible_shape(b.shape)
                          if a.shape.ndims == b.shape.ndims else TensorShape(None)))
        specs.append((dtypes.variant, TensorShape([])))
        captured, index = [], {}
        for outer_t, _ in true_sub.captures + false_sub.captures:
            if outer_t not in index:
                index[outer_t] = 1 + len(captured)
                captured.append(outer_t)
        attrs = {"branches": [false_sub, true_sub],
                 "captures": [[index[o] for o, _ in false_sub.captures],
                              [index[o] for o, _ in true_sub.captures]],
                 "saves": [SavedValues(), SavedValues()], "backwards": [None, None]}
        op = outer.create_op("If", [p] + captured, attrs, name=scope, output_specs=specs)
    return nest.pack_sequence_as(true_res, op.outputs[:-1])


@binds_with_used_outputs
def _if_bind(op, ctx, used_outputs):
    a = op.attrs
    need_tape = (len(op.outputs) - 1) in used_outputs
    # what the gradients built so far asked each branch to save (see SavedValues)
    saved = [list(s.tensors()) if need_tape else [] for s in a["saves"]]
    cache = {}

    def plan(b):
        if b not in cache:  # made on first use (racing threads may both make it: both fine)
            sub = a["branches"][b]
            cache[b] = Plan(sub.outputs + saved[b], [i for _, i in sub.captures], [], ctx)
        return cache[b]

    def run(pred, *caps):
        b = 1 if bool(pred) else 0
        args = [(pred,) + caps][0]
        vals = [args[i] for i in a["captures"][b]]
        res = plan(b).run(vals)
        n = len(a["branches"][b].outputs)
        return res[:n] + [_IfTape(b, res[n:]) if need_tape else None]
    return run


register_op("If", infer=None, bind=_if_bind)(None)


@register_gradient("If")
def _if_grad(op, *grads):
    a = op.attrs
    n_out = len(op.outputs) - 1
    if all(g is None for g in grads[:n_out]):
        return [None] * len(op.inputs)
    backs, positions = [], []
    for b, sub in enumerate(a["branches"]):
        bw = Backward(sub, [differentiable(t) for t in sub.outputs])
        positions.append(a["saves"][b].request(bw.saved))  # where the tape will hold them
        backs.append(bw)
    mask = [bool(backs[0].grad_ys[j] is not None) for j in range(n_out)]
    seeds = []
    for j in range(n_out):
        if mask[j]:
            seeds.append(grads[j] if grads[j] is not None else
                         _graph.get_default_graph().create_op("ZerosLikeValue", [op.outputs[j]], {},
                                                              "zeros_like").outputs[0])
    caps = list(op.inputs[1:])
    # extra captures made while building either branch gradient are fed too
    extra = []
    for sub in a["branches"]:
        for outer_t, _ in sub.captures:
            if outer_t not in caps and outer_t not in extra:
                extra.append(outer_t)
    wrt = [k for k, t in enumerate(caps) if differentiable(t)]
    specs = [(caps[k].dtype, caps[k].shape) for k in wrt]
    attrs = {"forward": op, "backwards": backs, "positions": positions, "mask": mask, "wrt": wrt,
             "n_caps": len(caps), "extra": extra}
    g = _graph.get_default_graph()
    grad_op = g.create_op("IfGrad", [op.outputs[-1]] + seeds + caps + extra, attrs, "IfGrad",
                          output_specs=specs)
    result = [None] * len(op.inputs)
    for out, k in zip(grad_op.outputs, wrt):
        result[1 + k] = out
    return result


def _if_grad_bind(op, ctx):
    a = op.attrs
    fwd = a["forward"].attrs
    backs, mask, wrt, n_caps, extra = a["backwards"], a["mask"], a["wrt"], a["n_caps"], a["extra"]
    n_seeds = sum(mask)
    xp = ctx.xp
    cache = {}

    def plan(b):
        if b not in cache:
            sub, bw = fwd["branches"][b], backs[b]
            grad_ys = [bw.grad_ys[j] for j in range(len(mask)) if mask[j]]
            n_in = len(sub.inputs)
            # the gradient of each union capture, from this branch's capture placeholders
            cap_pos = {}
            for k, (outer_t, _) in enumerate(sub.captures):
                cap_pos[outer_t] = k
            fetches, where = [], []
            all_caps = list(a["forward"].inputs[1:]) + list(extra)
            for slot, k in enumerate(wrt):
                pos = cap_pos.get(all_caps[k])
                gr = bw.grads[n_in + pos] if pos is not None and n_in + pos < len(bw.grads) else None
                if gr is not None:
                    fetches.append(gr)
                    where.append(slot)
            feeds = grad_ys + list(bw.saved) + [inner for _, inner in sub.captures]
            feed_caps = [all_caps.index(outer_t) for outer_t, _ in sub.captures]
            cache[b] = (Plan(fetches, feeds, [], ctx), where, feed_caps, a["positions"][b])
        return cache[b]

    def run(tape, *args):
        if tape is None:
            raise errors.InternalError(None, op, "the forward If op saved nothing for its gradient")
        seeds = list(args[:n_seeds])
        caps = list(args[n_seeds:])
        p, where, feed_caps, positions = plan(tape.branch)
        res = p.run(seeds + [tape.values[i] for i in positions] + [caps[i] for i in feed_caps])
        out = [None] * len(wrt)
        for slot, v in zip(where, res):
            out[slot] = v
        out = [v if v is not None else xp.zeros_like(caps[k]) for v, k in zip(out, wrt)]
        return out[0] if len(out) == 1 else out  # a one-output op returns its value
    return run


register_op("IfGrad", infer=None, bind=_if_grad_bind)(None)


@register_gradient("IfGrad")
def _if_grad_grad(op, *grads):
    raise LookupError("No gradient defined for operation '%s' (op type: IfGrad): second-order "
                      "gradients through tf.cond are not supported" % op.name)


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """The value of the first fn whose predicate is true, else default() (tf.case).

    Args:
      pred_fn_pairs: a list of (bool tensor, callable) pairs (or a dict).
      default: callable used when no predicate holds.
      exclusive: accepted; predicates are evaluated in order either way.

    Raises:
      TypeError: a callable is missing.
    """
    pairs = list(pred_fn_pairs.items()) if isinstance(pred_fn_pairs, dict) else list(pred_fn_pairs)
    if default is None:
        if not pairs:
            raise TypeError("case needs at least one (pred, fn) pair or a default")
        pairs, (_, default) = pairs[:-1], pairs[-1]
    with _graph.name_scope(name):
        fn = default
        for pred, branch in reversed(pairs):
            fn = (lambda p, t, f: (lambda: cond(p, t, f)))(pred, branch, fn)
        return fn()
