"""Math ops: elementwise arithmetic, reductions, matmul, comparisons, casts; with gradients.

Each op is registered with its kernel, its static shape inference and its gradient
builder side by side. Broadcasting is undone in one place: `unbroadcast`.
"""
from ..backend import hostnp as np
from ..framework import dtypes
from ..framework import graph as _graph
from ..framework.graph import Tensor
from ..framework.registry import NotDifferentiable, register_gradient, register_op
from ..framework.tensor_shape import TensorShape
from .shape_utils import broadcast_static

__all__ = ["add", "subtract", "multiply", "divide", "truediv", "matmul", "tanh", "add_n",
           "reduce_sum", "unsorted_segment_sum", "cast", "negative", "to_float"]


# -- helpers shared by the family ---------------------------------------------------------
def _op(op_type, inputs, attrs=None, name=None):
    return _graph.get_default_graph().create_op(op_type, inputs, attrs or {}, name or op_type).outputs[0]


def _unary_infer(attrs, x):
    return [(x.dtype, x.shape)]


def _binary_infer(attrs, x, y):
    try:
        return [(x.dtype, broadcast_static(x.shape, y.shape))]
    except ValueError as e:
        raise ValueError("%s for '%s' with input shapes: %s, %s."
                         % (e, attrs.get("_type", "binary op"), x.shape, y.shape)) from None


def binary_inputs(x, y, op_name="binary op"):
    """Converts two operands to Tensors of one dtype; a Python value takes the tensor's dtype.

    Raises:
      TypeError: the tensors have different dtypes.
    """
    x_tensor = _graph.is_tensor_like(x)
    y_tensor = _graph.is_tensor_like(y)
    if x_tensor or not y_tensor:
        x = _graph.convert_to_tensor(x)
        y = _graph.convert_to_tensor(y) if y_tensor else _graph.convert_to_tensor(y, dtype=x.dtype)
    else:
        y = _graph.convert_to_tensor(y)
        x = _graph.convert_to_tensor(x, dtype=y.dtype)
    if x.dtype != y.dtype:
        raise TypeError("Input 'y' of '%s' Op has type %s that does not match type %s of argument 'x'."
                        % (op_name, y.dtype.name, x.dtype.name))
    return x, y


def _sum_to_shape_infer(attrs, grad, shape):
    return [(grad.dtype, TensorShape(attrs["static_shape"]))]


@register_op("SumToShape", infer=_sum_to_shape_infer)
def _sum_to_shape_kernel(xp, attrs, grad, shape):
    shape = tuple(int(d) for d in shape)
    if grad.shape == shape:
        return grad
    lead = grad.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(i + lead for i, d in enumerate(shape)
                                      if d == 1 and grad.shape[i + lead] != 1)
    out = grad.sum(axis=axes, keepdims=True) if axes else grad
    return out.reshape(shape)


@register_gradient("SumToShape")
def _sum_to_shape_grad(op, grad):
    from .array_ops import broadcast_to, shape
    return [broadcast_to(grad, shape(op.inputs[0])), None]


def unbroadcast(grad, x):
    """Sums `grad` down to the shape of `x`, undoing the broadcasting of a binary op.

    Static shapes decide where they can: no op is added when they already match.
    """
    if grad is None:
        return None
    if grad.shape.is_fully_defined() and x.shape.is_fully_defined() and grad.shape == x.shape:
        return grad
    from .array_ops import shape
    return _op("SumToShape", [grad, shape(x)], {"static_shape": x.shape.dims}, name="SumToShape")


# -- elementwise binary ------------------------------------------------------------------
def _register_binary(op_type, fn):
    register_op(op_type, infer=lambda attrs, x, y: _binary_infer(dict(attrs, _type=op_type), x, y))(fn)


_register_binary("Add", lambda xp, attrs, x, y: x + y)
_register_binary("Sub", lambda xp, attrs, x, y: x - y)
_register_binary("Mul", lambda xp, attrs, x, y: x * y)
_register_binary("RealDiv", lambda xp, attrs, x, y: x / y)


@register_gradient("Add")
def _add_grad(op, grad):
    x, y = op.inputs
    return [unbroadcast(grad, x), unbroadcast(grad, y)]


@register_gradient("Sub")
def _sub_grad(op, grad):
    x, y = op.inputs
    return [unbroadcast(grad, x), unbroadcast(-grad, y)]


@register_gradient("Mul")
def _mul_grad(op, grad):
    x, y = op.inputs
    return [unbroadcast(grad * y, x), unbroadcast(x * grad, y)]


@register_gradient("RealDiv")
def _div_grad(op, grad):
    x, y = op.inputs
    return [unbroadcast(grad / y, x), unbroadcast(-grad * x / (y * y), y)]


def add(x, y, name=None):
    """x + y elementwise, with broadcasting (tf.add)."""
    x, y = binary_inputs(x, y, "Add")
    return _op("Add", [x, y], name=name)


def subtract(x, y, name=None):
    """x - y elementwise, with broadcasting (tf.subtract)."""
    x, y = binary_inputs(x, y, "Sub")
    return _op("Sub", [x, y], name=name)


def multiply(x, y, name=None):
    """x * y elementwise, with broadcasting (tf.multiply)."""
    x, y = binary_inputs(x, y, "Mul")
    return _op("Mul", [x, y], name=name)


def truediv(x, y, name=None):
    """x / y elementwise; integer inputs are cast to float first (tf.truediv)."""
    x, y = binary_inputs(x, y, "truediv")
    if x.dtype.is_integer:
        target = dtypes.float64 if x.dtype.size > 2 else dtypes.float32
        x, y = cast(x, target), cast(y, target)
    return _op("RealDiv", [x, y], name=name or "truediv")


def divide(x, y, name=None):
    """x / y (tf.divide): true division."""
    return truediv(x, y, name=name or "truediv")


# -- elementwise unary -------------------------------------------------------------------
@register_op("Neg", infer=_unary_infer)
def _neg_kernel(xp, attrs, x):
    return -x


@register_gradient("Neg")
def _neg_grad(op, grad):
    return [-grad]


def negative(x, name=None):
    """-x elementwise (tf.negative)."""
    return _op("Neg", [_graph.convert_to_tensor(x)], name=name)


@register_op("Tanh", infer=_unary_infer)
def _tanh_kernel(xp, attrs, x):
    return xp.tanh(x)


@register_op("TanhGrad", infer=lambda attrs, y, dy: [(y.dtype, y.shape)])
def _tanh_grad_kernel(xp, attrs, y, dy):
    return dy * (1 - y * y)


@register_gradient("Tanh")
def _tanh_grad(op, grad):
    return [_op("TanhGrad", [op.outputs[0], grad])]


@register_gradient("TanhGrad")
def _tanh_grad_grad(op, grad):
    y, dy = op.inputs
    return [grad * dy * -2.0 * y, grad * (1 - y * y)]


def tanh(x, name=None):
    """Hyperbolic tangent elementwise (tf.tanh)."""
    return _op("Tanh", [_graph.convert_to_tensor(x)], name=name)


# -- matmul ------------------------------------------------------------------------------
def _matmul_infer(attrs, a, b):
    ta, tb = attrs["transpose_a"], attrs["transpose_b"]
    sa, sb = a.shape.dims, b.shape.dims
    if sa is None or sb is None:
        return [(a.dtype, TensorShape(None))]
    if len(sa) < 2 or len(sb) < 2:
        raise ValueError("Shape must be rank 2 but is rank %d for 'MatMul' with input shapes: %s, %s."
                         % (min(len(sa), len(sb)), a.shape, b.shape))
    m, ka = (sa[-1], sa[-2]) if ta else (sa[-2], sa[-1])
    kb, n = (sb[-1], sb[-2]) if tb else (sb[-2], sb[-1])
    if ka is not None and kb is not None and ka != kb:
        raise ValueError("Dimensions must be equal, but are %d and %d for 'MatMul' with input "
                         "shapes: %s, %s." % (ka, kb, a.shape, b.shape))
    batch = broadcast_static(TensorShape(sa[:-2]), TensorShape(sb[:-2]))
    return [(a.dtype, batch.concatenate([m, n]))]


@register_op("MatMul", infer=_matmul_infer)
def _matmul_kernel(xp, attrs, a, b):
    if attrs["transpose_a"]:
        a = xp.swapaxes(a, -1, -2)
    if attrs["transpose_b"]:
        b = xp.swapaxes(b, -1, -2)
    return xp.matmul(a, b)


@register_gradient("MatMul")
def _matmul_grad(op, grad):
    a, b = op.inputs
    ta, tb = op.attrs["transpose_a"], op.attrs["transpose_b"]
    if not ta and not tb:
        ga, gb = matmul(grad, b, transpose_b=True), matmul(a, grad, transpose_a=True)
    elif not ta and tb:
        ga, gb = matmul(grad, b), matmul(grad, a, transpose_a=True)
    elif ta and not tb:
        ga, gb = matmul(b, grad, transpose_b=True), matmul(a, grad)
    else:
        ga, gb = matmul(b, grad, transpose_a=True, transpose_b=True), \
            matmul(grad, a, transpose_a=True, transpose_b=True)
    if (a.shape.ndims or 0) > 2 or (b.shape.ndims or 0) > 2:  # batch dims may broadcast
        ga, gb = unbroadcast(ga, a), unbroadcast(gb, b)
    return [ga, gb]


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, name=None):
    """Matrix product a @ b over the last two axes, with batch dims broadcast (tf.matmul).

    Raises:
      ValueError: the inner dimensions differ or a rank is below 2.
      TypeError: the dtypes differ.
    """
    a, b = binary_inputs(a, b, "MatMul")
    attrs = {"transpose_a": bool(transpose_a or adjoint_a), "transpose_b": bool(transpose_b or adjoint_b)}
    return _op("MatMul", [a, b], attrs, name=name)


# -- sums ----------------------------------------------------------------------------------
def _add_n_infer(attrs, *xs):
    shape = xs[0].shape
    for x in xs[1:]:
        shape = shape.merge_with(x.shape)
    return [(xs[0].dtype, shape)]


@register_op("AddN", infer=_add_n_infer)
def _add_n_kernel(xp, attrs, *xs):
    out = xs[0] + xs[1] if len(xs) > 1 else xp.array(xs[0], copy=True)
    for x in xs[2:]:
        out += x
    return out


@register_gradient("AddN")
def _add_n_grad(op, grad):
    return [grad] * len(op.inputs)


def add_n(inputs, name=None):
    """Sums a list of tensors of the same shape and dtype (tf.add_n).

    Raises:
      ValueError: `inputs` is empty or the shapes differ.
    """
    if not inputs:
        raise ValueError("inputs must be a list of at least one Tensor with the same dtype and shape")
    xs = [_graph.convert_to_tensor(x) for x in inputs]
    if len(xs) == 1 and name is None:
        return xs[0]
    return _op("AddN", xs, name=name)


def _reduction_axes_attr(x, axis):
    if axis is None:
        return None
    axes = [axis] if isinstance(axis, int) else [int(a) for a in np.asarray(axis).reshape(-1)]
    nd = x.shape.ndims
    if nd is not None:
        for a in axes:
            if not -nd <= a < max(nd, 1):
                raise ValueError("Invalid reduction dimension %d for input with %d dimensions." % (a, nd))
        axes = sorted(set(a % nd for a in axes)) if nd else []
    return tuple(axes)


def _reduce_infer(attrs, x):
    axes, keep = attrs["axis"], attrs["keepdims"]
    dims = x.shape.dims
    if dims is None:
        return [(attrs.get("out_dtype") or x.dtype, TensorShape(None))]
    if axes is None:
        out = [1] * len(dims) if keep else []
    else:
        out = [(1 if keep else None) if i in axes else d for i, d in enumerate(dims)]
        out = [d for i, d in enumerate(out) if keep or i not in axes]
    return [(attrs.get("out_dtype") or x.dtype, TensorShape(out))]


@register_op("Sum", infer=_reduce_infer)
def _sum_kernel(xp, attrs, x):
    return xp.sum(x, axis=attrs["axis"], keepdims=attrs["keepdims"])


@register_gradient("Sum")
def _sum_grad(op, grad):
    from .array_ops import broadcast_to, reshape, shape
    x = op.inputs[0]
    if not op.attrs["keepdims"]:
        grad = reshape(grad, _kept_dims_shape(x, op.attrs["axis"]))
    return [broadcast_to(grad, shape(x))]


def _kept_dims_shape(x, axes):
    """x's shape with the reduced axes set to 1: a list if static, else a tensor."""
    dims = x.shape.dims
    if dims is not None and all(d is not None for d in dims):
        return [1 if axes is None or i in axes else d for i, d in enumerate(dims)]
    from .array_ops import shape
    return _op("ReducedShape", [shape(x)], {"axis": axes})


@register_op("ReducedShape", infer=lambda attrs, s: [(s.dtype, s.shape)])
def _reduced_shape_kernel(xp, attrs, s):
    axes = attrs["axis"]
    n = len(s)
    out = [1 if axes is None or i in [a % n for a in axes] else int(d) for i, d in enumerate(s)]
    return xp.asarray(out, dtype=s.dtype)


NotDifferentiable("ReducedShape")
NotDifferentiable("Shape")


def _reduce(op_type, input_tensor, axis, keepdims, name, keep_dims=None):
    x = _graph.convert_to_tensor(input_tensor)
    if keep_dims is not None:
        keepdims = keep_dims
    attrs = {"axis": _reduction_axes_attr(x, axis), "keepdims": bool(keepdims)}
    return _op(op_type, [x], attrs, name=name)


def reduce_sum(input_tensor, axis=None, keepdims=False, name=None, reduction_indices=None,
               keep_dims=None):
    """Sum over `axis` (all axes if None) (tf.reduce_sum).

    Raises:
      ValueError: an axis is out of range.
    """
    return _reduce("Sum", input_tensor, axis if axis is not None else reduction_indices,
                   keepdims, name, keep_dims)


# -- segment sums (dense form of IndexedSlices) ---------------------------------------------
def _segment_infer(attrs, data, ids, n):
    from .shape_utils import constant_value
    nv = constant_value(n)
    rest = data.shape.dims[ids.shape.ndims:] if data.shape.dims is not None and ids.shape.ndims is not None else None
    if rest is None:
        return [(data.dtype, TensorShape(None))]
    return [(data.dtype, TensorShape([None if nv is None else int(nv)] + list(rest)))]


@register_op("UnsortedSegmentSum", infer=_segment_infer)
def _segment_sum_kernel(xp, attrs, data, ids, n):
    out = xp.zeros((int(n),) + data.shape[ids.ndim:], dtype=data.dtype)
    xp.add.at(out, ids, data)
    return out


@register_gradient("UnsortedSegmentSum")
def _segment_sum_grad(op, grad):
    from .array_ops import gather
    return [gather(grad, op.inputs[1]), None, None]


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    """out[i] = sum of data[j] over j with segment_ids[j] == i (tf.unsorted_segment_sum)."""
    data = _graph.convert_to_tensor(data)
    ids = _graph.convert_to_tensor(segment_ids)
    n = _graph.convert_to_tensor(num_segments)
    return _op("UnsortedSegmentSum", [data, ids, n], name=name)


# -- casts ----------------------------------------------------------------------------------
@register_op("Cast", infer=lambda attrs, x: [(attrs["DstT"], x.shape)])
def _cast_kernel(xp, attrs, x):
    return x.astype(attrs["DstT"].as_numpy_dtype)


@register_gradient("Cast")
def _cast_grad(op, grad):
    x = op.inputs[0]
    if x.dtype.is_floating and op.outputs[0].dtype.is_floating:
        return [cast(grad, x.dtype)]
    return [None]


def cast(x, dtype, name=None):
    """Casts `x` to `dtype` (tf.cast); bools become 0/1."""
    x = _graph.convert_to_tensor(x)
    dtype = dtypes.as_dtype(dtype)
    if x.dtype == dtype:
        return x
    return _op("Cast", [x], {"DstT": dtype}, name=name)


def to_float(x, name="ToFloat"):
    return cast(x, dtypes.float32, name=name)


# -- operators on Tensor ---------------------------------------------------------------------
def _install_operators():
    def binary(fn):
        return lambda self, other: fn(self, other)

    def reflected(fn):
        return lambda self, other: fn(other, self)

    for name, fn in (("add", add), ("sub", subtract), ("mul", multiply), ("truediv", truediv),
                     ("matmul", matmul)):
        setattr(Tensor, "__%s__" % name, binary(fn))
        setattr(Tensor, "__r%s__" % name, reflected(fn))
    Tensor.__neg__ = lambda self: negative(self)


_install_operators()
