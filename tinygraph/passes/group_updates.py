"""Grouped optimizer updates: the update ops of one type that share their
hyperparameter tensors (all of one optimizer's dense updates) become one step.

The group's kernel keeps the variables in one flat buffer (each variable's array is a
view into it), and so their slots; it copies the gradients into one flat buffer and
runs the update formula once: one NumPy call per formula instead of one per variable.
Update op types declare their grouping key and group kernel (`register_group`,
train/optimizer.py). Only updates that may write in place (inplace_updates.py) whose
outputs nobody reads are grouped, and only where moving them to the position of the
group's last op skips no op depending on them.
"""
from ..steps import Step
from .inplace_updates import safe_in_place_updates

_GROUPS = {}  # op type -> (key(op) -> (key, variable op) or None, bind(ops, ctx) -> kernel)


def register_group(type_name, key, bind_group):
    """Declares an update op type whose ops may run as one step.

    Args:
      type_name: e.g. "ApplyAdam".
      key: key(op) -> (key, variable op), or None when `op` cannot be grouped; ops with
        equal keys (and distinct variables) form one group.
      bind_group: bind_group(ops, ctx) -> fn(*inputs of all ops, in order) -> ().
    """
    _GROUPS[type_name] = (key, bind_group)


class GroupedOp:
    """Update ops of one type that run as one plan step.

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

    def __repr__(self):
        return "<GroupedOp %s x%d>" % (self.ops[0].type, len(self.ops))


def group_optimizer_updates(steps, plan):
    """The steps, with groupable update steps merged into one step per group.

    Args:
      steps: a list of Steps (with no frees yet: the plan computes them after the passes).
      plan: the Plan being compiled (its fetches and RunContext).

    Returns:
      A new list of Steps.
    """
    ops = [s.op for s in steps]
    in_place_ok = safe_in_place_updates(ops, plan.fetches)
    read = set(plan.fetches)
    for op in ops:
        read.update(op.inputs)
    groups = {}
    for i, op in enumerate(ops):
        entry = _GROUPS.get(op.type)
        if entry is None or op not in in_place_ok or any(t in read for t in op.outputs):
            continue
        key = entry[0](op)
        if key is not None:
            groups.setdefault(key[0], []).append((i, key[1]))
    merged = {}  # step index -> its group's (last index, members)
    for members in groups.values():
        where = [i for i, _ in members]
        if len(where) < 2 or len({v for _, v in members}) < len(where):
            continue
        member_ops = {ops[i] for i in where}
        if any(c in member_ops for op in ops[where[0]:where[-1]] if op not in member_ops
               for c in op.control_inputs):
            continue
        for i in where:
            merged[i] = where
    out = []
    for i, step in enumerate(steps):
        where = merged.get(i)
        if where is None:
            out.append(step)
        elif i == where[-1]:
            group = GroupedOp([ops[j] for j in where])
            fn = _GROUPS[group.ops[0].type][1](group.ops, plan.ctx)
            out.append(Step(fn, tuple(s for j in where for s in steps[j].ins), (), (), group))
    return out
