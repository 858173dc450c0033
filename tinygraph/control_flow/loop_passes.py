"""Rewrites of a traced loop body, applied before its While op is made (see config.py).

hoist_input_projections: an RNN cell multiplies `concat([x_t, h]) @ K` at every step,
where x_t is read from a TensorArray unstacked from the whole input sequence X
[T, B, n]. Since concat([x, h]) @ K == x @ K[:n] + h @ K[n:], the input half can be
computed for all steps at once before the loop, as one matmul (X reshaped to
[T*B, n]) @ K[:n], unstacked into a new TensorArray; the body then reads row t of it
and adds h @ K[n:]. Same values (up to float rounding), fewer FLOPs per step, no
per-step concat, and the loop saves h instead of [x_t, h] for the gradient.
"""
from ..ops import array_ops, math_ops
from .tensor_array import TensorArray


def _static_dim(t, i):
    dims = t.shape.dims
    return None if dims is None else dims[i]


def _match(op, captures):
    """(read op, h tensor, K placeholder, outer X, outer K) if `op` is a hoistable MatMul."""
    if op.type != "MatMul" or op.attrs["transpose_a"] or op.attrs["transpose_b"]:
        return None
    concat, kernel = op.inputs
    if concat.op.type != "ConcatV2" or len(concat.op.inputs) != 2 or concat.shape.ndims != 2 \
            or concat.op.attrs["axis"] not in (1, -1):
        return None
    read, h = concat.op.inputs
    if read.op.type != "TensorArrayReadV3" or h.shape.ndims != 2:
        return None
    handle = read.op.inputs[0]
    outer_handle = captures.get(handle)
    outer_kernel = captures.get(kernel)
    if outer_handle is None or outer_kernel is None or outer_handle.op.type != "TensorArrayUnstack":
        return None
    x = outer_handle.op.inputs[1]
    n_in = _static_dim(read, 1)
    if n_in is None or x.shape.ndims != 3 or _static_dim(x, 2) != n_in \
            or not kernel.shape.is_fully_defined() or kernel.shape.dims[0] != n_in + _static_dim(h, 1):
        return None
    return read.op, h, x, outer_kernel


def hoist_input_projections(body, outer_graph):
    """Applies the rewrite to every matching MatMul of `body` (a SubGraph).

    Returns:
      The number of MatMuls rewritten.
    """
    graph = body.graph
    captures = {inner: outer for outer, inner in body.captures}
    rewritten, renames = 0, []
    for op in list(graph.get_operations()):
        found = _match(op, captures)
        if found is None:
            continue
        read_op, h, x, outer_kernel = found
        n_in = _static_dim(x, 2)
        units = outer_kernel.shape.dims[1]
        with outer_graph.as_default(), outer_graph.name_scope("hoisted_input_projection"):
            kx, kh = outer_kernel[:n_in], outer_kernel[n_in:]
            shape = array_ops.shape(x)
            flat = math_ops.matmul(array_ops.reshape(x, [-1, n_in]), kx)
            projected = array_ops.reshape(flat, array_ops.concat([shape[:2], [units]], 0))
            projected.set_shape([_static_dim(x, 0), _static_dim(x, 1), units])
            ta = TensorArray(x.dtype, size=shape[0], element_shape=[_static_dim(x, 1), units])
            ta = ta.unstack(projected)
        first_new = len(graph.get_operations())
        old_name = op.name
        with graph.as_default(), graph.name_scope(old_name + "_input_projection/"):
            x_part = graph.create_op("TensorArrayReadV3", [ta.handle, read_op.inputs[1]],
                                     {"dtype": x.dtype, "element_shape": ta.element_shape},
                                     name="read").outputs[0]
            h_part = math_ops.matmul(h, kh)
            # AddN: both terms have one shape by construction, so its gradient needs no
            # shape ops (an Add's would unbroadcast with a Shape per step)
            new = math_ops.add_n([h_part, x_part], name="add")
        body.replace_uses(op.outputs[0], new)
        renames.append((h_part.op, old_name))
        body.move_after(graph.get_operations()[first_new:], op)  # run where the old MatMul did
        rewritten += 1
    if rewritten:
        body.remove_unused_ops()
        for new_op, name in renames:  # h @ K[n:] takes the place (and name) of the old MatMul
            body.rename(new_op, name)
    return rewritten
