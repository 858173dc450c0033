"""Helpers shared by the array op modules: TF-worded shape errors, reading small
shape-like inputs on the host, and what is known of shape vectors at build time.

Shape-like arguments (shapes, perms, paddings, begin/size) are small int tensors that
kernels read with int(); axes are static attributes. Each op's static shape inference
folds whatever it can know at build time, including partly known shape vectors such
as `[tf.shape(x)[0], -1]` (`_partial_value`).
"""
import builtins
import functools
import itertools

from ..backend import host_ints, hostnp as np
from ..framework import dtypes, graph as _graph
from ..framework.graph import op_output
from ..framework.tensor_shape import TensorShape
from .constant_op import constant
from .shape_utils import constant_value


# -- top -----------------------------------------------------------------------------------------
# The array op modules define tf.range and tf.slice; these keep the builtins at hand.
_pyrange = builtins.range
_pyslice = builtins.slice


# -- helpers -------------------------------------------------------------------------------------
def _shape_error(msg, op_type, *inputs):
    """A ValueError worded like TF's shape-inference errors."""
    return ValueError("%s for '%s' (op: '%s') with input shapes: %s."
                      % (msg, op_type, op_type, ", ".join(_bracket(t.shape) for t in inputs)))


def _bracket(s):
    return "?" if s.dims is None else s.as_bracket_str()


def _outputs(arrays):
    """A multi-output kernel's result: a list, or the array itself when there is one output."""
    arrays = list(arrays)
    return arrays[0] if len(arrays) == 1 else arrays


def _ints(a):
    """The entries of a small host/device int array as Python ints (shape arguments only)."""
    return list(host_ints(a))  # one small copy, not one per entry


def _host_args(*positions):
    """A bind reading the shape-like inputs at `positions` once, on the host, when they are
    constants: the hot loop then skips the device-to-host copy of those small vectors."""
    def bind(op, ctx):
        kernel = functools.partial(op.op_def.kernel, ctx.xp, op.attrs)
        fixed = [(i, constant_value(op.inputs[i])) for i in positions]
        fixed = [(i, np.asarray(v)) for i, v in fixed if v is not None]
        if not fixed:
            return kernel

        def run(*arrays):
            arrays = list(arrays)
            for i, v in fixed:
                arrays[i] = v
            return kernel(*arrays)
        return run
    return bind


def _partial_value(t):
    """What is known of a scalar or vector int tensor at build time.

    Returns an int or None (scalars) or a list of ints and Nones (vectors), or None
    when nothing is known. Folds constants, shapes (also partly known ones), packs,
    concats and strided slices of those, so `tf.shape(x)[1]` is known when x's dim 1 is.
    """
    v = constant_value(t)
    if v is not None:
        v = np.asarray(v)
        return int(v) if v.ndim == 0 else [int(d) for d in v.reshape(-1)]
    op, nd = t.op, t.shape.ndims
    if op.type == "Shape" and op.inputs[0].shape.dims is not None:
        return list(op.inputs[0].shape.dims)
    if op.type == "Pack" and nd == 1:
        vals = [_partial_value(x) for x in op.inputs]
        return [v if isinstance(v, int) else None for v in vals]
    if op.type == "ConcatV2" and nd == 1:
        parts = [_partial_value(x) for x in op.inputs]
        if all(isinstance(p, list) for p in parts):
            return list(itertools.chain.from_iterable(parts))
    if op.type in ("Identity", "StopGradient", "Cast"):
        return _partial_value(op.inputs[0])
    if op.type == "StridedSlice" and op.inputs[0].shape.ndims == 1:
        src = _partial_value(op.inputs[0])
        spec = [constant_value(x) for x in op.inputs[1:]]
        if isinstance(src, list) and all(s is not None for s in spec):
            idx = _strided_index(*[[int(d) for d in np.asarray(s).reshape(-1)] for s in spec], op.attrs)
            if len(idx) == 1 and idx[0] is not None:
                try:
                    return src[idx[0]]
                except (IndexError, ValueError):
                    pass
    if nd == 1 and t.shape.dims[0] is not None:
        return [None] * t.shape.dims[0]
    return None


def _partial_shape(t):
    """A TensorShape from a 1-D shape tensor: unknown entries (and -1) become None.

    Raises:
      ValueError: an entry below -1 (TF: "Invalid value in tensor used for shape").
    """
    v = _partial_value(t)
    if not isinstance(v, list):
        return TensorShape(None)
    for d in v:
        if d is not None and d < -1:
            raise ValueError("Invalid value in tensor used for shape: %d" % d)
    return TensorShape([None if d is None or d < 0 else d for d in v])


def _static_axis(axis, arg_name="axis"):
    """`axis` (an int or a constant scalar tensor) as a Python int.

    Raises:
      TypeError: `axis` is a tensor whose value is not known at build time.
    """
    if _graph.is_tensor_like(axis):
        v = constant_value(_graph.convert_to_tensor(axis))
        if v is None:
            raise TypeError("%s must be a constant, got %s" % (arg_name, axis))
        return int(v)
    return int(axis)


def _norm_axis(axis, ndims, op_type, *inputs):
    """`axis` in [0, ndims) when ndims is known.

    Raises:
      ValueError: the axis is out of range.
    """
    if ndims is None:
        return axis
    if not -ndims <= axis < ndims:
        raise _shape_error("axis %d is out of range [%d, %d)" % (axis, -ndims, ndims), op_type, *inputs)
    return axis % ndims


def _merge(a, b, op_type, *inputs):
    """Merges two static shapes, raising TF's wording when they clash."""
    if a.dims is not None and b.dims is not None:
        if len(a.dims) != len(b.dims):
            raise _shape_error("Shapes must be equal rank, but are %d and %d" % (len(a.dims), len(b.dims)),
                               op_type, *inputs)
        for i, (x, y) in enumerate(zip(a.dims, b.dims)):
            if x is not None and y is not None and x != y:
                raise _shape_error("Dimension %d in both shapes must be equal, but are %d and %d. "
                                   "Shapes are %s and %s." % (i, x, y, _bracket(a), _bracket(b)),
                                   op_type, *inputs)
    return a.merge_with(b)


def _shape_tensor(shape_like):
    """A 1-D int32 tensor from a list/tuple/TensorShape (entries may be scalar tensors)."""
    if isinstance(shape_like, TensorShape):
        shape_like = shape_like.as_list()
    if _graph.is_tensor_like(shape_like):
        return _graph.convert_to_tensor(shape_like)
    if isinstance(shape_like, (list, tuple)) and any(_graph.is_tensor_like(d) for d in shape_like):
        # tf.stack of int32 tensors: one Pack op named "stack"
        return op_output("Pack", [_graph.convert_to_tensor(d, dtype=dtypes.int32)
                                  for d in shape_like], {"axis": 0}, name="stack")
    if isinstance(shape_like, (list, tuple)):
        shape_like = [int(d) for d in shape_like]  # Dimensions, numpy ints
    return constant(np.asarray(shape_like, dtype=np.int32).reshape(-1), dtype=dtypes.int32)


def _int_vector(value, dtype=dtypes.int32):
    """A list of ints or a tensor as an int tensor (for perms, begins, sizes...)."""
    if _graph.is_tensor_like(value):
        return _graph.convert_to_tensor(value)
    return _shape_tensor(value) if dtype == dtypes.int32 else constant(value, dtype=dtype)


# -- strided slice and Tensor.__getitem__ --------------------------------------------------------
_MASKS = ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")


def _strided_index(begin, end, strides, attrs):
    """The numpy index tuple that a strided-slice spec stands for (numpy clamps as TF does)."""
    idx = []
    for i, (b, e, s) in enumerate(zip(begin, end, strides)):
        bit = 1 << i
        if attrs["ellipsis_mask"] & bit:
            idx.append(Ellipsis)
        elif attrs["new_axis_mask"] & bit:
            idx.append(None)
        elif attrs["shrink_axis_mask"] & bit:
            idx.append(b)
        else:
            idx.append(_pyslice(None if attrs["begin_mask"] & bit else b,
                                None if attrs["end_mask"] & bit else e, s))
    return tuple(idx)
