"""Which values may share a buffer: the facts the in-place passes rest on.

An op has *fresh* outputs when its kernel always returns newly allocated arrays
(MatMul, Sum, every op with an in-place form, ...); a later step may then overwrite
such a value once nothing else reads it. Any other op may pass an input's buffer on
(an Identity, a Reshape, a variable read), by default from every input; an op type
can narrow that down with `register_aliased_inputs` (a While loop passes on only its
initial values and some captures).
"""

_FRESH = set()
_ALIASED_INPUTS = {}


def mark_fresh_output(*type_names):
    """Declares that these ops' kernels always return newly allocated arrays."""
    _FRESH.update(type_names)


def has_fresh_outputs(op):
    return op.type in _FRESH


def register_aliased_inputs(type_name, fn):
    """Declares fn(op) -> the input positions whose buffers an output of `op` may share."""
    _ALIASED_INPUTS[type_name] = fn


def alias_map(ops, seeds):
    """{tensor: the seeds' sources whose buffers it may share}, following `ops` (in
    execution order) through every op whose output is not fresh.

    Args:
      ops: Operations in execution order.
      seeds: {tensor: set of sources} to start from.
    """
    reach = dict(seeds)
    for op in ops:
        if op.type in _FRESH:
            continue
        through = _ALIASED_INPUTS.get(op.type)
        found = set()
        for k in (through(op) if through is not None else range(len(op.inputs))):
            found |= reach.get(op.inputs[k], set())
        if found:
            for t in op.outputs:
                reach[t] = found
    return reach


def aliased_sources(ops, sources, outputs):
    """Which of `sources` (tensors) may share a buffer with one of `outputs`."""
    reach = alias_map(ops, {t: {t} for t in sources})
    hit = set()
    for t in outputs:
        hit |= reach.get(t, set())
    return hit
