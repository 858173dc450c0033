"""Shapes: tf.shape, shape_n, size, rank, reshape, squeeze, expand_dims, broadcast_to,
and its inverse `unbroadcast`, which sums a binary op's gradient down to an input's shape.
"""
from ..backend import host_ints, hostnp as np
from ..framework import dtypes, errors, graph as _graph
from ..framework.graph import op_output
from ..framework.registry import NotDifferentiable, register_gradient, register_op
from ..framework.tensor_shape import TensorShape
from .array_helpers import (_bracket, _host_args, _ints, _outputs, _partial_shape, _partial_value,
                            _shape_error, _shape_tensor, _static_axis)
from .constant_op import constant

__all__ = ["shape", "shape_n", "size", "rank", "reshape", "broadcast_to", "squeeze", "expand_dims"]


# -- shape, size, rank ---------------------------------------------------------------------------
@register_op("Shape", infer=lambda attrs, x: [(attrs["out_type"], TensorShape([x.shape.ndims]))])
def _shape_kernel(xp, attrs, x):
    return xp.asarray(x.shape, dtype=attrs["out_type"].as_numpy_dtype)


@register_op("ShapeN", infer=lambda attrs, *xs: [(attrs["out_type"], TensorShape([x.shape.ndims]))
                                                 for x in xs])
def _shape_n_kernel(xp, attrs, *xs):
    return _outputs(xp.asarray(x.shape, dtype=attrs["out_type"].as_numpy_dtype) for x in xs)


@register_op("Size", infer=lambda attrs, x: [(attrs["out_type"], TensorShape([]))])
def _size_kernel(xp, attrs, x):
    return xp.asarray(x.size, dtype=attrs["out_type"].as_numpy_dtype)


@register_op("Rank", infer=lambda attrs, x: [(dtypes.int32, TensorShape([]))])
def _rank_kernel(xp, attrs, x):
    return xp.asarray(x.ndim, dtype=np.int32)


for _t in ("Shape", "ShapeN", "Size", "Rank"):
    NotDifferentiable(_t)


def shape(input, name=None, out_type=dtypes.int32):  # noqa: A002 - TF's argument name
    """The shape of `input` as a 1-D int tensor (tf.shape).

    A fully defined static shape gives a constant (as TF does), so static shape
    inference downstream can see it.

    Args:
      input: a Tensor or value.
      name: the op name (default "Shape").
      out_type: int32 (default) or int64.

    Returns:
      A 1-D Tensor of `out_type`.
    """
    out_type = dtypes.as_dtype(out_type)
    with _graph.name_scope(name, "Shape") as scope:
        x = _graph.convert_to_tensor(input)
        if x.shape.is_fully_defined():
            return constant(x.shape.as_list(), dtype=out_type, name=scope)
        return op_output("Shape", [x], {"out_type": out_type}, name=scope)


def shape_n(input, out_type=dtypes.int32, name=None):  # noqa: A002
    """The shapes of a list of tensors (tf.shape_n).

    Returns:
      A list of 1-D Tensors of `out_type`, one per input.
    """
    xs = [_graph.convert_to_tensor(x) for x in input]
    return _graph.get_default_graph().create_op(
        "ShapeN", xs, {"out_type": dtypes.as_dtype(out_type)}, name or "ShapeN").outputs


def size(input, name=None, out_type=dtypes.int32):  # noqa: A002
    """The number of elements of `input` as a scalar (tf.size); a constant when static."""
    out_type = dtypes.as_dtype(out_type)
    with _graph.name_scope(name, "Size") as scope:
        x = _graph.convert_to_tensor(input)
        n = x.shape.num_elements()
        if n is None and x.shape.dims is not None and 0 in x.shape.dims:
            n = 0
        if n is not None:
            return constant(n, dtype=out_type, name=scope)
        return op_output("Size", [x], {"out_type": out_type}, name=scope)


def rank(input, name=None):  # noqa: A002
    """The number of dimensions of `input` as an int32 scalar (tf.rank); a constant when static."""
    with _graph.name_scope(name, "Rank") as scope:
        x = _graph.convert_to_tensor(input)
        if x.shape.ndims is not None:
            return constant(x.shape.ndims, dtype=dtypes.int32, name=scope)
        return op_output("Rank", [x], name=scope)


# -- reshape -------------------------------------------------------------------------------------
def _reshape_infer(attrs, x, s):
    if s.shape.ndims not in (None, 1):
        raise _shape_error("Shape must be rank 1 but is rank %d" % s.shape.ndims, "Reshape", x, s)
    target = _partial_value(s)
    if target is None:
        return [(x.dtype, TensorShape(None))]
    for d in target:
        if d is not None and d < -1:
            raise ValueError("Invalid value in tensor used for shape: %d" % d)
    dims = [None if d is None or d < 0 else d for d in target]
    n = x.shape.num_elements()
    unknown = [i for i, d in enumerate(dims) if d is None]  # -1 or not known at build time
    known = int(np.prod([d for d in dims if d is not None]))
    if n is not None and not unknown and n != known:
        raise _shape_error("Cannot reshape a tensor with %d elements to shape %s (%d elements)"
                           % (n, TensorShape(target).as_bracket_str(), known), "Reshape", x, s)
    if n is not None and len(unknown) == 1 and known > 0:
        if n % known:
            raise _shape_error("Dimension size must be evenly divisible by %d but is %d" % (known, n),
                               "Reshape", x, s)
        dims[unknown[0]] = n // known
    return [(x.dtype, TensorShape(dims))]


@register_op("Reshape", infer=_reshape_infer, bind=_host_args(1))
def _reshape_kernel(xp, attrs, x, s):
    target = tuple(_ints(s))
    unknown = [i for i, d in enumerate(target) if d == -1]
    for i, d in enumerate(target):
        if d < -1:
            raise errors.InvalidArgumentError(None, None, "Size %d must be non-negative, not %d"
                                              % (i, d))
    if len(unknown) > 1:
        raise errors.InvalidArgumentError(None, None, "Only one input size may be -1, not both %d "
                                          "and %d" % tuple(unknown[:2]))
    return xp.reshape(x, target)


@register_gradient("Reshape")
def _reshape_grad(op, grad):
    return [reshape(grad, shape(op.inputs[0])), None]


def reshape(tensor, shape, name=None):  # noqa: F811 - TF's argument name
    """Reshapes `tensor` to `shape`; one entry may be -1 and is then inferred (tf.reshape).

    Args:
      tensor: a Tensor.
      shape: a list of ints (or scalar tensors), a TensorShape or a 1-D int tensor.
      name: the op name (default "Reshape").

    Returns:
      A Tensor with the values of `tensor`.

    Raises:
      ValueError: the element counts differ (when known statically), or an entry is
        below -1.
      TypeError: `shape` holds non-integers (floats, strings).
    """
    x = _graph.convert_to_tensor(tensor)
    if isinstance(shape, (list, tuple)):
        for d in shape:
            if isinstance(d, (float, str, bytes, np.floating)):
                raise TypeError("Value passed to parameter 'shape' has DataType %s not in list of "
                                "allowed values: int32, int64"
                                % ("float32" if isinstance(d, (float, np.floating)) else "string"))
    return op_output("Reshape", [x, _shape_tensor(shape)], name=name)


# -- broadcast_to --------------------------------------------------------------------------------
def _broadcast_to_infer(attrs, x, s):
    target = _partial_shape(s)
    xs = x.shape
    if target.dims is None or xs.dims is None:
        return [(x.dtype, target)]
    if len(xs.dims) > len(target.dims):
        raise _shape_error("Rank of input (%d) must be no greater than rank of output shape (%d)"
                           % (len(xs.dims), len(target.dims)), "BroadcastTo", x, s)
    lead = len(target.dims) - len(xs.dims)
    out = list(target.dims)
    for i, d in enumerate(xs.dims):
        t = target.dims[lead + i]
        if d is not None and d != 1 and t is not None and d != t:
            raise _shape_error("Incompatible shapes: %s vs. %s" % (_bracket(xs), _bracket(target)),
                               "BroadcastTo", x, s)
        if t is None and d is not None and d != 1:
            out[lead + i] = d
    return [(x.dtype, TensorShape(out))]


@register_op("BroadcastTo", infer=_broadcast_to_infer, bind=_host_args(1))
def _broadcast_to_kernel(xp, attrs, x, s):
    return xp.broadcast_to(x, tuple(_ints(s)))


@register_gradient("BroadcastTo")
def _broadcast_to_grad(op, grad):
    return [unbroadcast(grad, op.inputs[0]), None]


def broadcast_to(input, shape, name=None):  # noqa: A002,F811
    """Broadcasts `input` to `shape` with numpy's rules (tf.broadcast_to).

    Raises:
      ValueError: the shapes are statically incompatible.
    """
    x = _graph.convert_to_tensor(input)
    return op_output("BroadcastTo", [x, _shape_tensor(shape)], name=name)


# -- squeeze / expand_dims -----------------------------------------------------------------------
def _squeeze_infer(attrs, x):
    dims = x.shape.dims
    axes = attrs["squeeze_dims"]
    if dims is None:
        return [(x.dtype, TensorShape(None))]
    nd = len(dims)
    if axes:
        keep = set()
        for a in axes:
            if not -nd <= a < nd:
                raise _shape_error("Tried to squeeze dim index %d for tensor with %d dimensions" % (a, nd),
                                   "Squeeze", x)
            a %= nd
            if dims[a] is not None and dims[a] != 1:
                raise _shape_error("Can not squeeze dim[%d], expected a dimension of 1, got %d"
                                   % (a, dims[a]), "Squeeze", x)
            keep.add(a)
        return [(x.dtype, TensorShape([d for i, d in enumerate(dims) if i not in keep]))]
    if None in dims:  # which dims are 1 is only known at run time
        return [(x.dtype, TensorShape(None))]
    return [(x.dtype, TensorShape([d for d in dims if d != 1]))]


@register_op("Squeeze", infer=_squeeze_infer)
def _squeeze_kernel(xp, attrs, x):
    axes = attrs["squeeze_dims"]
    return xp.squeeze(x, axis=tuple(axes) if axes else None)


@register_gradient("Squeeze")
def _squeeze_grad(op, grad):
    return [reshape(grad, shape(op.inputs[0]))]


def squeeze(input, axis=None, name=None, squeeze_dims=None):  # noqa: A002
    """Removes dimensions of size 1 (tf.squeeze).

    Args:
      input: a Tensor.
      axis: an int or list of ints: the dims to remove (default: every size-1 dim).
      name: the op name (default "Squeeze").
      squeeze_dims: the deprecated name of `axis`.

    Returns:
      A Tensor.

    Raises:
      ValueError: a listed dim is not 1 (when known) or is out of range.
    """
    if squeeze_dims is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'squeeze_dims' and 'axis'")
        axis = squeeze_dims
    if axis is None:
        axes = []
    elif isinstance(axis, (list, tuple)):
        axes = [int(a) for a in axis]
    else:
        axes = [_static_axis(axis)]
    x = _graph.convert_to_tensor(input)
    return op_output("Squeeze", [x], {"squeeze_dims": axes}, name=name)


def _expand_dims_infer(attrs, x):
    dims = x.shape.dims
    if dims is None:
        return [(x.dtype, TensorShape(None))]
    nd, axis = len(dims), attrs["axis"]
    if not -nd - 1 <= axis <= nd:
        raise _shape_error("Tried to expand dim index %d for tensor with %d dimensions" % (axis, nd),
                           "ExpandDims", x)
    dims = list(dims)
    dims.insert(axis % (nd + 1), 1)
    return [(x.dtype, TensorShape(dims))]


@register_op("ExpandDims", infer=_expand_dims_infer)
def _expand_dims_kernel(xp, attrs, x):
    return xp.expand_dims(x, attrs["axis"])


@register_gradient("ExpandDims")
def _expand_dims_grad(op, grad):
    return [reshape(grad, shape(op.inputs[0]))]


def expand_dims(input, axis=None, name=None, dim=None):  # noqa: A002
    """Inserts a dimension of size 1 at `axis` (tf.expand_dims).

    Args:
      input: a Tensor of rank R.
      axis: where the new dim goes, in [-(R+1), R].
      name: the op name (default "ExpandDims").
      dim: the deprecated name of `axis`.

    Returns:
      A Tensor of rank R+1.

    Raises:
      ValueError: no axis is given, both are, or it is out of range.
    """
    if dim is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'dim'")
        axis = dim
    if axis is None:
        raise ValueError("Must specify an axis argument to tf.expand_dims()")
    x = _graph.convert_to_tensor(input)
    return op_output("ExpandDims", [x], {"axis": _static_axis(axis)}, name=name)


# -- undoing broadcasting ------------------------------------------------------------------------
def _sum_to_shape_infer(attrs, grad, shape):
    return [(grad.dtype, TensorShape(attrs["static_shape"]))]


@register_op("SumToShape", infer=_sum_to_shape_infer)
def _sum_to_shape_kernel(xp, attrs, grad, shape):
    shape = host_ints(shape)  # one small read of the shape vector
    if grad.shape == shape:
        return grad
    lead = grad.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(i + lead for i, d in enumerate(shape)
                                      if d == 1 and grad.shape[i + lead] != 1)
    out = grad.sum(axis=axes, keepdims=True) if axes else grad
    return out.reshape(shape)


@register_gradient("SumToShape")
def _sum_to_shape_grad(op, grad):
    return [broadcast_to(grad, shape(op.inputs[0])), None]


def unbroadcast(grad, x):
    """Sums `grad` down to the shape of `x`, undoing the broadcasting of a binary op.

    Static shapes decide where they can: no op is added when they already match.
    """
    if grad is None:
        return None
    if grad.shape.is_fully_defined() and x.shape.is_fully_defined() and grad.shape == x.shape:
        return grad
    return op_output("SumToShape", [grad, shape(x)], {"static_shape": x.shape.dims}, name="SumToShape")
