"""In-place optimizer updates: ApplyAdam and its kin write into the variable's buffers.

Without this pass an update op stores new arrays for the variable and its slots, as
TF's value semantics need. With it, the update writes into the buffers it reads,
where the plan shows that safe: no value that may share one of those buffers (a read,
an Identity, a Reshape: any op without fresh outputs passes the buffer on, see
aliasing.py) is fetched, or was read before the update and is still read after it.
Update op types declare what they overwrite and how to bind their in-place kernel
(`register_in_place_update`, train/optimizer.py).
"""
from .aliasing import alias_map

_UPDATES = {}  # op type -> (overwrites(op) -> variable ops, bind(op, ctx) -> in-place kernel)


def register_in_place_update(type_name, overwrites, bind_in_place):
    """Declares an update op type that may write into its variables' buffers.

    Args:
      type_name: e.g. "ApplyAdam".
      overwrites: overwrites(op) -> the variable ops whose buffers the op may update.
      bind_in_place: bind_in_place(op, ctx) -> the kernel updating them in place.
    """
    _UPDATES[type_name] = (overwrites, bind_in_place)


def overwrites(op):
    """The variable ops `op` may update in place ([] for other ops)."""
    entry = _UPDATES.get(op.type)
    return entry[0](op) if entry is not None else []


def safe_in_place_updates(ops, fetches):
    """The update ops of `ops` (in execution order) that may write in place.

    Not those whose variable's buffer (or a view of it) is fetched, or was read before
    the update and is still read after it: that value must not change under its
    reader's feet.
    """
    # tensor -> the variable ops whose buffers it may share
    aliases = alias_map(ops, {op.outputs[0]: {op} for op in ops if op.type == "VariableV2"})
    produced_at, last_read = {}, {}
    for i, op in enumerate(ops):
        for t in op.inputs:
            last_read[t] = i
        for t in op.outputs:
            produced_at[t] = i
    fetched = set(fetches)
    safe = set()
    for i, op in enumerate(ops):
        if op.type not in _UPDATES:
            continue
        targets = set(overwrites(op))
        if not any((t in fetched or (produced_at.get(t, -1) < i < last_read.get(t, -1)))
                   and targets & aliases[t] for t in aliases):
            safe.add(op)
    return safe


def inplace_optimizer_updates(steps, plan):
    """The steps, with each update op that may write in place bound to its in-place kernel.

    Args:
      steps: a list of Steps.
      plan: the Plan being compiled (its fetches and RunContext).

    Returns:
      A new list of Steps.
    """
    safe = safe_in_place_updates([s.op for s in steps], plan.fetches)
    return [s._replace(fn=_UPDATES[s.op.type][1](s.op, plan.ctx)) if s.op in safe else s
            for s in steps]
