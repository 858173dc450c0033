"""What can be known of a tensor's value at graph-construction time, without running it
(TF's framework/tensor_util.py): constant folding of shapes and small shape vectors.
"""
from ..backend import hostnp as np
from .tensor_shape import TensorShape


def constant_value(t):
    """The value of tensor `t` if it can be known without running the graph, else None.

    Knows constants, shapes of fully-defined tensors, and simple packs/casts of those.
    """
    op = t.op
    if op.type == "Const":
        return op.attrs["value"]
    if op.type == "Shape":
        s = op.inputs[0].shape
        if s.is_fully_defined():
            return np.array(s.dims, dtype=t.dtype.as_numpy_dtype)
        return None
    if op.type == "Size":
        n = op.inputs[0].shape.num_elements()
        return None if n is None else np.array(n, dtype=t.dtype.as_numpy_dtype)
    if op.type == "Rank":
        r = op.inputs[0].shape.ndims
        return None if r is None else np.array(r, dtype=np.int32)
    if op.type == "Pack":
        vals = [constant_value(x) for x in op.inputs]
        if any(v is None for v in vals):
            return None
        return np.stack(vals, axis=op.attrs.get("axis", 0))
    if op.type in ("Cast", "Identity", "StopGradient"):
        v = constant_value(op.inputs[0])
        return None if v is None else np.asarray(v).astype(t.dtype.as_numpy_dtype)
    return None


def partial_shape_from_tensor(t):
    """A TensorShape from a 1-D shape tensor, with unknown entries where values are unknown."""
    v = constant_value(t)
    if v is not None:
        return TensorShape([None if d < 0 else int(d) for d in np.asarray(v).reshape(-1)])
    if t.op.type == "Pack":
        dims = []
        for x in t.op.inputs:
            c = constant_value(x)
            dims.append(None if c is None or int(c) < 0 else int(c))
        return TensorShape(dims)
    if t.shape.dims is not None and len(t.shape.dims) == 1 and t.shape.dims[0] is not None:
        return TensorShape([None] * t.shape.dims[0])
    return TensorShape(None)
