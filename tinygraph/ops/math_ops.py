"""Math ops: elementwise arithmetic, reductions, matmul, comparisons, casts; with gradients.

Each op is registered with its kernel, its static shape inference and its gradient
builder side by side. Broadcasting is undone in one place: `unbroadcast`.

Gradient builders emit ordinary graph ops, and every op they emit has a gradient
of its own (TanhGrad, SigmoidGrad, SqrtGrad, ... included), so gradients of
gradients work for the smooth ops.

Note: this module defines `abs`, `pow` and `round` (TF's names), so the Python
builtins of those names are not used below.
"""
from ..backend import host_ints, hostnp as np
from ..framework import dtypes
from ..framework import graph as _graph
from ..framework.graph import Tensor
from ..framework.registry import (NotDifferentiable, mark_fresh_output, register_gradient,
                                  register_inplace, register_op)
from ..framework.tensor_shape import TensorShape
from .shape_utils import broadcast_static, constant_value

__all__ = [
    # arithmetic
    "add", "subtract", "multiply", "scalar_mul", "divide", "truediv", "div", "realdiv",
    "floordiv", "floor_div", "floormod", "mod", "pow", "squared_difference", "maximum",
    "minimum", "negative", "abs", "sign", "square", "sqrt", "rsqrt", "exp", "log", "log1p",
    "sin", "cos", "tanh", "sigmoid", "reciprocal", "floor", "ceil", "round",
    "is_finite", "is_nan", "is_inf", "clip_by_value",
    # comparisons and logic
    "equal", "not_equal", "less", "less_equal", "greater", "greater_equal",
    "logical_and", "logical_or", "logical_not", "logical_xor",
    # casts
    "cast", "to_float", "to_double", "to_int32", "to_int64",
    # products
    "matmul", "tensordot",
    # reductions and scans
    "reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod", "reduce_any",
    "reduce_all", "reduce_logsumexp", "count_nonzero", "argmax", "argmin", "cumsum",
    "cumprod", "add_n", "accumulate_n", "unsorted_segment_sum",
]

_FLOATS = (dtypes.float16, dtypes.float32, dtypes.float64)
_INTS = (dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64, dtypes.uint8)
_NUMERIC = _FLOATS + _INTS
_BOOL = (dtypes.bool_,)
_ANY = _NUMERIC + _BOOL + (dtypes.string,)


# -- helpers shared by the family ---------------------------------------------------------
def _op(op_type, inputs, attrs=None, name=None):
    # gradients may arrive as IndexedSlices: ops need them dense
    inputs = [t if isinstance(t, Tensor) else _graph.convert_to_tensor(t) for t in inputs]
    return _graph.get_default_graph().create_op(op_type, inputs, attrs or {}, name or op_type).outputs[0]


def _scope(name, default):
    """The op's own name scope (as TF's generated wrappers open): constants made while
    converting Python arguments are named `<op>/x`, `<op>/y`, and the op takes the scope's name."""
    return _graph.get_default_graph().name_scope(name or default)


def _check_dtype(op_type, t, allowed, arg="x"):
    if t.dtype not in allowed:
        raise TypeError("Value passed to parameter '%s' has DataType %s not in list of allowed "
                        "values: %s (op '%s')" % (arg, t.dtype.name,
                                                  ", ".join(d.name for d in allowed), op_type))


def _broadcast_shape(op_type, sx, sy):
    """The broadcast of static shapes `sx` and `sy`, with TF's message on a clash."""
    try:
        return broadcast_static(sx, sy)
    except ValueError as e:
        clash = str(e).split(" for shapes")[0]
        raise ValueError("%s for '%s' (op: '%s') with input shapes: %s, %s."
                         % (clash, op_type, op_type, sx.as_bracket_str(), sy.as_bracket_str())) from None


def binary_inputs(x, y, op_name="binary op"):
    """Converts two operands to Tensors of one dtype; a Python value takes the tensor's dtype.

    Raises:
      TypeError: the tensors have different dtypes, or a Python value does not fit
        the other operand's dtype.
    """
    if _graph.is_tensor_like(x) or not _graph.is_tensor_like(y):
        x = _graph.convert_to_tensor(x, name="x")
        y = _graph.convert_to_tensor(y, name="y") if _graph.is_tensor_like(y) else \
            _graph.convert_to_tensor(y, dtype=x.dtype, name="y")
    else:
        y = _graph.convert_to_tensor(y, name="y")
        x = _graph.convert_to_tensor(x, dtype=y.dtype, name="x")
    if x.dtype != y.dtype:
        raise TypeError("Input 'y' of '%s' Op has type %s that does not match type %s of argument 'x'."
                        % (op_name, y.dtype.name, x.dtype.name))
    return x, y


def _trunc_div(x, y):
    """Integer division rounding toward zero (C semantics), from numpy's floor division."""
    q = x // y
    return q + ((q * y != x) & ((x < 0) != (y < 0)))


# -- undoing broadcasting ----------------------------------------------------------------
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
def _register_binary(op_type, kernel, allowed=_NUMERIC, out_dtype=None):
    def infer(attrs, x, y):
        _check_dtype(op_type, x, allowed)
        if y.dtype != x.dtype:
            raise TypeError("Input 'y' of '%s' Op has type %s that does not match type %s of "
                            "argument 'x'." % (op_type, y.dtype.name, x.dtype.name))
        return [(out_dtype or x.dtype, _broadcast_shape(op_type, x.shape, y.shape))]
    register_op(op_type, infer=infer)(kernel)


def _binary(op_type, x, y, name=None):
    with _scope(name, op_type) as scope:
        x, y = binary_inputs(x, y, op_type)
        return _op(op_type, [x, y], name=scope)


def _real_div_kernel(xp, attrs, x, y):
    return _trunc_div(x, y) if x.dtype.kind in "iu" else x / y


_register_binary("Add", lambda xp, attrs, x, y: x + y, _NUMERIC + (dtypes.string,))
_register_binary("Sub", lambda xp, attrs, x, y: x - y)
_register_binary("Mul", lambda xp, attrs, x, y: x * y)
_register_binary("RealDiv", _real_div_kernel)
_register_binary("FloorDiv", lambda xp, attrs, x, y: xp.floor_divide(x, y))
_register_binary("FloorMod", lambda xp, attrs, x, y: xp.mod(x, y))
_register_binary("Pow", lambda xp, attrs, x, y: xp.power(x, y))
_register_binary("SquaredDifference", lambda xp, attrs, x, y: (x - y) * (x - y))
_register_binary("Maximum", lambda xp, attrs, x, y: xp.maximum(x, y))
_register_binary("Minimum", lambda xp, attrs, x, y: xp.minimum(x, y))
NotDifferentiable("FloorDiv")


@register_gradient("Add")
def _add_grad(op, grad):
    x, y = op.inputs
    return [unbroadcast(grad, x), unbroadcast(grad, y)]


@register_gradient("Sub")
def _sub_grad(op, grad):
    x, y = op.inputs
    return [unbroadcast(grad, x), unbroadcast(negative(grad), y)]


@register_gradient("Mul")
def _mul_grad(op, grad):
    x, y = op.inputs
    return [unbroadcast(grad * y, x), unbroadcast(x * grad, y)]


@register_gradient("RealDiv")
def _div_grad(op, grad):
    x, y = op.inputs
    return [unbroadcast(grad / y, x), unbroadcast(negative(grad) * x / (y * y), y)]


@register_gradient("FloorMod")
def _floor_mod_grad(op, grad):
    # x mod y = x - floor(x / y) * y, and floor's derivative is 0 almost everywhere
    x, y = op.inputs
    return [unbroadcast(grad, x), unbroadcast(grad * negative(floor_div(x, y)), y)]


@register_gradient("Pow")
def _pow_grad(op, grad):
    x, y = op.inputs
    z = op.outputs[0]
    gx = grad * y * pow(x, y - 1)
    # d/dy x^y = x^y log(x), taken as 0 where x <= 0 (as TF does). The floor at `tiny`
    # keeps log finite there, and the mask then zeroes it.
    positive = cast(greater(x, 0), x.dtype)
    log_x = log(maximum(x, float(np.finfo(x.dtype.as_numpy_dtype).tiny))) * positive
    return [unbroadcast(gx, x), unbroadcast(grad * z * log_x, y)]


@register_gradient("SquaredDifference")
def _squared_difference_grad(op, grad):
    x, y = op.inputs
    gx = grad * 2.0 * (x - y)
    return [unbroadcast(gx, x), negative(unbroadcast(gx, y))]


def _maximum_minimum_grad(op, grad, x_wins):
    # Ties go to x (x >= y for Maximum, x <= y for Minimum), as in TF.
    x, y = op.inputs
    x_mask = cast(x_wins(x, y), grad.dtype)
    return [unbroadcast(grad * x_mask, x), unbroadcast(grad * (1 - x_mask), y)]


@register_gradient("Maximum")
def _maximum_grad(op, grad):
    return _maximum_minimum_grad(op, grad, greater_equal)


@register_gradient("Minimum")
def _minimum_grad(op, grad):
    return _maximum_minimum_grad(op, grad, less_equal)


def add(x, y, name=None):
    """Returns x + y elementwise, with broadcasting (tf.add).

    Args:
      x: a Tensor of a numeric or string type.
      y: a Tensor of the same dtype as `x` (a Python value takes x's dtype).
      name: a name for the op (default "Add").

    Returns:
      A Tensor with the broadcast shape of x and y.

    Raises:
      TypeError: the dtypes differ.
      ValueError: the static shapes cannot broadcast.
    """
    return _binary("Add", x, y, name)


def subtract(x, y, name=None):
    """Returns x - y elementwise, with broadcasting (tf.subtract). See `add`."""
    return _binary("Sub", x, y, name)


def multiply(x, y, name=None):
    """Returns x * y elementwise, with broadcasting (tf.multiply). See `add`."""
    return _binary("Mul", x, y, name)


def scalar_mul(scalar, x, name=None):
    """Multiplies a Tensor or IndexedSlices `x` by a scalar (tf.scalar_mul).

    Args:
      scalar: a 0-D value; converted to x's dtype.
      x: a Tensor or IndexedSlices.
      name: a name for the op.

    Returns:
      `scalar * x`, of the same kind as `x`.

    Raises:
      ValueError: `scalar` is not 0-D.
    """
    from ..framework.indexed_slices import IndexedSlices
    scalar = _graph.convert_to_tensor(scalar, dtype=x.dtype, name="scalar")
    if scalar.shape.ndims != 0:
        raise ValueError("Only scalar multiply works, got shape %s" % scalar.shape)
    if isinstance(x, IndexedSlices):
        return IndexedSlices(multiply(scalar, x.values, name), x.indices, x.dense_shape)
    return multiply(scalar, x, name)


def truediv(x, y, name=None):
    """Divides x / y elementwise with Python 3 semantics (tf.truediv).

    Integer inputs are cast first: int8/int16/uint8 to float32, int32/int64 to float64.

    Returns:
      A floating Tensor (op "truediv", of type RealDiv).

    Raises:
      TypeError: the dtypes differ.
    """
    with _scope(name, "truediv") as scope:
        x, y = binary_inputs(x, y, "truediv")
        if x.dtype.is_integer:
            target = dtypes.float64 if x.dtype.size > 2 else dtypes.float32
            x, y = cast(x, target), cast(y, target)
        return _op("RealDiv", [x, y], name=scope)


def divide(x, y, name=None):
    """Computes Python-style x / y (tf.divide): true division, op named "truediv"."""
    return truediv(x, y, name=name)


def div(x, y, name=None):
    """TF1's deprecated Python-2 division (tf.div): floors for integers, divides floats.

    Returns:
      A Tensor of the inputs' dtype (op named "div").
    """
    with _scope(name, "div") as scope:
        x, y = binary_inputs(x, y, "div")
        return _op("FloorDiv" if x.dtype.is_integer else "RealDiv", [x, y], name=scope)


def realdiv(x, y, name=None):
    """x / y for real types (tf.realdiv); integer division truncates toward zero as in C."""
    return _binary("RealDiv", x, y, name)


def floordiv(x, y, name=None):
    """x / y rounded toward -inf (tf.floordiv, the `//` operator); op named "floordiv".

    Raises:
      TypeError: the dtypes differ.
    """
    with _scope(name, "floordiv") as scope:
        x, y = binary_inputs(x, y, "FloorDiv")
        return _op("FloorDiv", [x, y], name=scope)


def floor_div(x, y, name=None):
    """x / y rounded toward -inf (tf.floor_div); op named "FloorDiv". Not differentiable."""
    return _binary("FloorDiv", x, y, name)


def floormod(x, y, name=None):
    """x - floor(x / y) * y elementwise: the remainder has the sign of y (tf.floormod, tf.mod)."""
    return _binary("FloorMod", x, y, name)


mod = floormod


def pow(x, y, name=None):  # noqa: A001 - TF's name
    """x ** y elementwise, with broadcasting (tf.pow).

    Raises:
      TypeError: the dtypes differ.
    """
    with _scope(name, "Pow") as scope:
        x, y = binary_inputs(x, y, "Pow")
        return _op("Pow", [x, y], name=scope)


def squared_difference(x, y, name=None):
    """(x - y) * (x - y) elementwise (tf.squared_difference)."""
    return _binary("SquaredDifference", x, y, name)


def maximum(x, y, name=None):
    """max(x, y) elementwise (tf.maximum). At ties the gradient goes to x."""
    return _binary("Maximum", x, y, name)


def minimum(x, y, name=None):
    """min(x, y) elementwise (tf.minimum). At ties the gradient goes to x."""
    return _binary("Minimum", x, y, name)


# -- elementwise unary -------------------------------------------------------------------
def _register_unary(op_type, kernel, allowed=_NUMERIC, out_dtype=None):
    def infer(attrs, x):
        _check_dtype(op_type, x, allowed)
        return [(out_dtype or x.dtype, x.shape)]
    register_op(op_type, infer=infer)(kernel)


def _unary(op_type, x, name=None):
    with _scope(name, op_type) as scope:
        x = _graph.convert_to_tensor(x, name="x")
        return _op(op_type, [x], name=scope)


def _stable_sigmoid(xp, attrs, x):
    e = xp.exp(-xp.abs(x))  # in (0, 1]: never overflows
    return xp.where(x >= 0, 1 / (1 + e), e / (1 + e))


def _reciprocal_kernel(xp, attrs, x):
    return _trunc_div(xp.ones_like(x), x) if x.dtype.kind in "iu" else 1 / x


_register_unary("Neg", lambda xp, attrs, x: -x)
_register_unary("Abs", lambda xp, attrs, x: xp.abs(x))
_register_unary("Sign", lambda xp, attrs, x: xp.sign(x))
_register_unary("Square", lambda xp, attrs, x: x * x)
_register_unary("Reciprocal", _reciprocal_kernel)
_register_unary("Sqrt", lambda xp, attrs, x: xp.sqrt(x), _FLOATS)
_register_unary("Rsqrt", lambda xp, attrs, x: 1 / xp.sqrt(x), _FLOATS)
_register_unary("Exp", lambda xp, attrs, x: xp.exp(x), _FLOATS)
_register_unary("Log", lambda xp, attrs, x: xp.log(x), _FLOATS)
_register_unary("Log1p", lambda xp, attrs, x: xp.log1p(x), _FLOATS)
_register_unary("Sin", lambda xp, attrs, x: xp.sin(x), _FLOATS)
_register_unary("Cos", lambda xp, attrs, x: xp.cos(x), _FLOATS)
_register_unary("Tanh", lambda xp, attrs, x: xp.tanh(x), _FLOATS)
_register_unary("Sigmoid", _stable_sigmoid, _FLOATS)
_register_unary("Floor", lambda xp, attrs, x: xp.floor(x), _FLOATS)
_register_unary("Ceil", lambda xp, attrs, x: xp.ceil(x), _FLOATS)
_register_unary("Round", lambda xp, attrs, x: xp.round(x), _FLOATS)  # half to even
_register_unary("IsFinite", lambda xp, attrs, x: xp.isfinite(x), _FLOATS, dtypes.bool_)
_register_unary("IsNan", lambda xp, attrs, x: xp.isnan(x), _FLOATS, dtypes.bool_)
_register_unary("IsInf", lambda xp, attrs, x: xp.isinf(x), _FLOATS, dtypes.bool_)
# TF's gradients of Floor/Ceil/Round are None, which is what NotDifferentiable gives.
for _t in ("Floor", "Ceil", "Round", "IsFinite", "IsNan", "IsInf"):
    NotDifferentiable(_t)


@register_gradient("Neg")
def _neg_grad(op, grad):
    return [negative(grad)]


@register_gradient("Abs")
def _abs_grad(op, grad):
    return [grad * sign(op.inputs[0])]  # 0 at x = 0, as TF


@register_gradient("Sign")
def _sign_grad(op, grad):
    from .array_ops import zeros_like
    return [zeros_like(op.inputs[0])]


@register_gradient("Square")
def _square_grad(op, grad):
    return [grad * (2.0 * op.inputs[0])]


@register_gradient("Exp")
def _exp_grad(op, grad):
    return [grad * op.outputs[0]]


@register_gradient("Log")
def _log_grad(op, grad):
    return [grad * reciprocal(op.inputs[0])]


@register_gradient("Log1p")
def _log1p_grad(op, grad):
    return [grad * reciprocal(1 + op.inputs[0])]


@register_gradient("Sin")
def _sin_grad(op, grad):
    return [grad * cos(op.inputs[0])]


@register_gradient("Cos")
def _cos_grad(op, grad):
    return [negative(grad) * sin(op.inputs[0])]


# Ops whose gradient is best written in terms of the output y get a fused "...Grad"
# op taking (y, dy), as in TF; each of those has a gradient too (for second order).
def _register_output_grad(op_type, kernel):
    register_op(op_type + "Grad", infer=lambda attrs, y, dy: [(y.dtype, y.shape)])(kernel)

    @register_gradient(op_type)
    def _grad(op, grad):
        return [_op(op_type + "Grad", [op.outputs[0], grad])]


_register_output_grad("Tanh", lambda xp, attrs, y, dy: dy * (1 - y * y))
_register_output_grad("Sigmoid", lambda xp, attrs, y, dy: dy * y * (1 - y))
_register_output_grad("Sqrt", lambda xp, attrs, y, dy: dy * 0.5 / y)
_register_output_grad("Rsqrt", lambda xp, attrs, y, dy: dy * -0.5 * y * y * y)
_register_output_grad("Reciprocal", lambda xp, attrs, y, dy: -dy * y * y)


@register_gradient("TanhGrad")
def _tanh_grad_grad(op, grad):
    y, dy = op.inputs  # out = dy * (1 - y^2)
    return [grad * dy * -2.0 * y, _op("TanhGrad", [y, grad])]


@register_gradient("SigmoidGrad")
def _sigmoid_grad_grad(op, grad):
    y, dy = op.inputs  # out = dy * y * (1 - y)
    g_dy = grad * dy
    return [g_dy - 2.0 * g_dy * y, _op("SigmoidGrad", [y, grad])]


@register_gradient("SqrtGrad")
def _sqrt_grad_grad(op, grad):
    y, dy = op.inputs  # out = 0.5 * dy / y
    g_over_y = grad / y
    return [negative(g_over_y) * op.outputs[0], 0.5 * g_over_y]


@register_gradient("RsqrtGrad")
def _rsqrt_grad_grad(op, grad):
    y, dy = op.inputs  # out = -0.5 * dy * y^3
    return [-1.5 * grad * dy * square(y), _op("RsqrtGrad", [y, grad])]


@register_gradient("ReciprocalGrad")
def _reciprocal_grad_grad(op, grad):
    y, dy = op.inputs  # out = -dy * y^2
    return [grad * -2.0 * dy * y, _op("ReciprocalGrad", [y, grad])]


def negative(x, name=None):
    """Returns -x elementwise (tf.negative).

    Args:
      x: a numeric Tensor (or a value convertible to one).
      name: a name for the op (default "Neg").

    Raises:
      TypeError: x's dtype is not numeric.
    """
    return _unary("Neg", x, name)


def abs(x, name=None):  # noqa: A001 - TF's name
    """|x| elementwise (tf.abs). Its gradient is grad * sign(x): 0 at x = 0."""
    return _unary("Abs", x, name)


def sign(x, name=None):
    """-1, 0 or 1 elementwise (tf.sign). Its gradient is zero."""
    return _unary("Sign", x, name)


def square(x, name=None):
    """x * x elementwise (tf.square)."""
    return _unary("Square", x, name)


def sqrt(x, name=None):
    """Square root elementwise (tf.sqrt).

    Raises:
      TypeError: x is not floating point.
    """
    return _unary("Sqrt", x, name)


def rsqrt(x, name=None):
    """1 / sqrt(x) elementwise (tf.rsqrt). Floating point only."""
    return _unary("Rsqrt", x, name)


def exp(x, name=None):
    """e ** x elementwise (tf.exp). Floating point only."""
    return _unary("Exp", x, name)


def log(x, name=None):
    """Natural logarithm elementwise (tf.log). Floating point only."""
    return _unary("Log", x, name)


def log1p(x, name=None):
    """log(1 + x) elementwise, accurate for small x (tf.log1p). Floating point only."""
    return _unary("Log1p", x, name)


def sin(x, name=None):
    """Sine elementwise (tf.sin). Floating point only."""
    return _unary("Sin", x, name)


def cos(x, name=None):
    """Cosine elementwise (tf.cos). Floating point only."""
    return _unary("Cos", x, name)


def tanh(x, name=None):
    """Hyperbolic tangent elementwise (tf.tanh). Floating point only."""
    return _unary("Tanh", x, name)


def sigmoid(x, name=None):
    """1 / (1 + exp(-x)) elementwise, without overflow (tf.sigmoid). Floating point only."""
    return _unary("Sigmoid", x, name)


def reciprocal(x, name=None):
    """1 / x elementwise (tf.reciprocal); integer inputs divide as C does."""
    return _unary("Reciprocal", x, name)


def floor(x, name=None):
    """Largest integer not above x, elementwise (tf.floor). Floating point only."""
    return _unary("Floor", x, name)


def ceil(x, name=None):
    """Smallest integer not below x, elementwise (tf.ceil). Floating point only."""
    return _unary("Ceil", x, name)


def round(x, name=None):  # noqa: A001 - TF's name
    """Rounds half to even (banker's rounding), elementwise (tf.round).

    Integer tensors are returned unchanged.
    """
    x = _graph.convert_to_tensor(x, name="x")
    if x.dtype.is_integer:
        return x
    return _unary("Round", x, name)


def is_finite(x, name=None):
    """True where x is neither infinite nor NaN (tf.is_finite)."""
    return _unary("IsFinite", x, name)


def is_nan(x, name=None):
    """True where x is NaN (tf.is_nan)."""
    return _unary("IsNan", x, name)


def is_inf(x, name=None):
    """True where x is +inf or -inf (tf.is_inf)."""
    return _unary("IsInf", x, name)


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """Clips `t` to [clip_value_min, clip_value_max] elementwise (tf.clip_by_value).

    Built, as in TF 1.x, from minimum then maximum: the gradient passes to `t` where
    clip_value_min <= t <= clip_value_max (bounds included) and is zero elsewhere.

    Args:
      t: a Tensor.
      clip_value_min, clip_value_max: scalars or tensors broadcastable to t's shape.
      name: a name for the op (default "clip_by_value").

    Returns:
      A Tensor of t's shape and dtype.

    Raises:
      ValueError: the bounds would broadcast `t` to a bigger shape.
    """
    with _scope(name, "clip_by_value") as scope:
        t = _graph.convert_to_tensor(t, name="t")
        t_min = minimum(t, clip_value_max)
        t.shape.merge_with(t_min.shape)  # the bounds must not broadcast t
        t_max = maximum(t_min, clip_value_min, name=scope)
        t.shape.merge_with(t_max.shape)
        return t_max


# -- comparisons and logic ---------------------------------------------------------------
_COMPARISONS = (("Equal", "equal", _ANY), ("NotEqual", "not_equal", _ANY),
                ("Less", "less", _NUMERIC), ("LessEqual", "less_equal", _NUMERIC),
                ("Greater", "greater", _NUMERIC), ("GreaterEqual", "greater_equal", _NUMERIC))
for _t, _fn, _allowed in _COMPARISONS:
    _register_binary(_t, (lambda f: lambda xp, attrs, x, y: getattr(xp, f)(x, y))(_fn),
                     _allowed, dtypes.bool_)
    NotDifferentiable(_t)

_register_binary("LogicalAnd", lambda xp, attrs, x, y: xp.logical_and(x, y), _BOOL)
_register_binary("LogicalOr", lambda xp, attrs, x, y: xp.logical_or(x, y), _BOOL)
_register_unary("LogicalNot", lambda xp, attrs, x: xp.logical_not(x), _BOOL)
for _t in ("LogicalAnd", "LogicalOr", "LogicalNot"):
    NotDifferentiable(_t)


def equal(x, y, name=None):
    """x == y elementwise, with broadcasting (tf.equal); returns a bool Tensor.

    Raises:
      TypeError: the dtypes differ.
    """
    return _binary("Equal", x, y, name)


def not_equal(x, y, name=None):
    """x != y elementwise (tf.not_equal); returns a bool Tensor."""
    return _binary("NotEqual", x, y, name)


def less(x, y, name=None):
    """x < y elementwise (tf.less); returns a bool Tensor."""
    return _binary("Less", x, y, name)


def less_equal(x, y, name=None):
    """x <= y elementwise (tf.less_equal); returns a bool Tensor."""
    return _binary("LessEqual", x, y, name)


def greater(x, y, name=None):
    """x > y elementwise (tf.greater); returns a bool Tensor."""
    return _binary("Greater", x, y, name)


def greater_equal(x, y, name=None):
    """x >= y elementwise (tf.greater_equal); returns a bool Tensor."""
    return _binary("GreaterEqual", x, y, name)


def logical_and(x, y, name=None):
    """x AND y elementwise on bool Tensors (tf.logical_and).

    Raises:
      TypeError: an input is not bool.
    """
    return _binary("LogicalAnd", x, y, name)


def logical_or(x, y, name=None):
    """x OR y elementwise on bool Tensors (tf.logical_or)."""
    return _binary("LogicalOr", x, y, name)


def logical_not(x, name=None):
    """NOT x elementwise on a bool Tensor (tf.logical_not)."""
    return _unary("LogicalNot", x, name)


def logical_xor(x, y, name="LogicalXor"):
    """x XOR y elementwise on bool Tensors (tf.logical_xor).

    Built as TF 1.x builds it: (x | y) & ~(x & y).
    """
    return logical_and(logical_or(x, y), logical_not(logical_and(x, y)), name=name)


# -- casts ----------------------------------------------------------------------------------
def _cast_infer(attrs, x):
    if dtypes.string in (x.dtype, attrs["DstT"]):
        raise TypeError("Cast %s to %s is not supported" % (x.dtype.name, attrs["DstT"].name))
    return [(attrs["DstT"], x.shape)]


@register_op("Cast", infer=_cast_infer)
def _cast_kernel(xp, attrs, x):
    return x.astype(attrs["DstT"].as_numpy_dtype)  # floats truncate toward zero, as C casts


@register_gradient("Cast")
def _cast_grad(op, grad):
    x = op.inputs[0]
    if x.dtype.is_floating and op.outputs[0].dtype.is_floating:
        return [cast(grad, x.dtype)]
    return [None]


def cast(x, dtype, name=None):
    """Casts `x` to `dtype` (tf.cast).

    Floats become integers by truncation toward zero; bools become 0/1; nonzero
    numbers become True. Returns `x` itself when it already has `dtype`.

    Args:
      x: a Tensor or IndexedSlices (or a value convertible to a Tensor).
      dtype: the destination DType.
      name: a name for the op (default "Cast").

    Raises:
      TypeError: a string cast was requested.
    """
    from ..framework.indexed_slices import IndexedSlices
    dtype = dtypes.as_dtype(dtype)
    if isinstance(x, Tensor) and x.dtype == dtype:
        return x
    if isinstance(x, IndexedSlices):
        return IndexedSlices(cast(x.values, dtype, name), x.indices, x.dense_shape)
    with _scope(name, "Cast") as scope:
        x = _graph.convert_to_tensor(x, name="x")
        if x.dtype == dtype:
            return x
        return _op("Cast", [x], {"DstT": dtype}, name=scope)


def to_float(x, name="ToFloat"):
    """Casts to float32 (tf.to_float, deprecated in TF in favour of tf.cast)."""
    return cast(x, dtypes.float32, name=name)


def to_double(x, name="ToDouble"):
    """Casts to float64 (tf.to_double)."""
    return cast(x, dtypes.float64, name=name)


def to_int32(x, name="ToInt32"):
    """Casts to int32 (tf.to_int32); floats truncate toward zero."""
    return cast(x, dtypes.int32, name=name)


def to_int64(x, name="ToInt64"):
    """Casts to int64 (tf.to_int64); floats truncate toward zero."""
    return cast(x, dtypes.int64, name=name)


# -- matmul and tensordot --------------------------------------------------------------------
def _matmul_infer(attrs, a, b):
    _check_dtype("MatMul", a, _FLOATS + (dtypes.int32, dtypes.int64), "a")
    if a.dtype != b.dtype:
        raise TypeError("Input 'b' of 'MatMul' Op has type %s that does not match type %s of "
                        "argument 'a'." % (b.dtype.name, a.dtype.name))
    ta, tb = attrs["transpose_a"], attrs["transpose_b"]
    sa, sb = a.shape.dims, b.shape.dims
    for s in (sa, sb):
        if s is not None and len(s) < 2:
            raise ValueError("Shape must be at least rank 2 but is rank %d for 'MatMul' (op: "
                             "'MatMul') with input shapes: %s, %s."
                             % (len(s), a.shape.as_bracket_str(), b.shape.as_bracket_str()))
    if sa is None or sb is None:
        return [(a.dtype, TensorShape(None))]
    m, ka = (sa[-1], sa[-2]) if ta else (sa[-2], sa[-1])
    kb, n = (sb[-1], sb[-2]) if tb else (sb[-2], sb[-1])
    if ka is not None and kb is not None and ka != kb:
        raise ValueError("Dimensions must be equal, but are %d and %d for 'MatMul' (op: 'MatMul') "
                         "with input shapes: %s, %s." % (ka, kb, a.shape.as_bracket_str(),
                                                          b.shape.as_bracket_str()))
    batch = _broadcast_shape("MatMul", TensorShape(sa[:-2]), TensorShape(sb[:-2]))
    return [(a.dtype, batch.concatenate([m, n]))]


def _matmul_bind(op, ctx):
    matmul_ = ctx.xp.matmul
    ta, tb = op.attrs["transpose_a"], op.attrs["transpose_b"]
    if not ta and not tb:
        return matmul_
    xp = ctx.xp
    # A transposed operand that is the same array as last call (a weight inside a loop)
    # is kept as a contiguous copy: BLAS is markedly faster on it. Only variables are
    # changed in place (by optimizer updates, which bump ctx.variables_version), so the
    # same object at the same version means the same values.
    cache = [None, None, None, None]  # a, a.T copy, b, b.T copy
    versions = [None, None]

    def transposed(x, k):
        if x.ndim != 2 or x.size < 1024:
            return x.swapaxes(-1, -2)
        if cache[k] is not x or versions[k // 2] != ctx.variables_version:  # first sight
            cache[k], cache[k + 1], versions[k // 2] = x, None, ctx.variables_version
            return x.T
        if cache[k + 1] is None:  # seen twice in a row: worth a contiguous copy
            cache[k + 1] = xp.ascontiguousarray(x.T)
        return cache[k + 1]

    if ta and tb:
        return lambda a, b: matmul_(transposed(a, 0), transposed(b, 2))
    if ta:
        return lambda a, b: matmul_(transposed(a, 0), b)
    return lambda a, b: matmul_(a, transposed(b, 2))


@register_op("MatMul", infer=_matmul_infer, bind=_matmul_bind)
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
    if any(t.shape.ndims is None or t.shape.ndims > 2 for t in (a, b)):  # batch dims may broadcast
        ga, gb = unbroadcast(ga, a), unbroadcast(gb, b)
    return [ga, gb]


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, name=None):
    """Matrix product a @ b over the last two axes, with batch dims broadcast (tf.matmul).

    Args:
      a, b: Tensors of rank >= 2 and the same dtype (float, int32 or int64).
      transpose_a, transpose_b: transpose the last two axes first.
      adjoint_a, adjoint_b: the same as transpose for real types.
      a_is_sparse, b_is_sparse: hints; ignored.
      name: a name for the op (default "MatMul").

    Raises:
      ValueError: the inner dimensions differ, a rank is below 2, or both transpose_x
        and adjoint_x are set.
      TypeError: the dtypes differ.
    """
    if transpose_a and adjoint_a:
        raise ValueError("Only one of transpose_a and adjoint_a can be True.")
    if transpose_b and adjoint_b:
        raise ValueError("Only one of transpose_b and adjoint_b can be True.")
    with _scope(name, "MatMul") as scope:
        a, b = binary_inputs(a, b, "MatMul")
        attrs = {"transpose_a": bool(transpose_a or adjoint_a),
                 "transpose_b": bool(transpose_b or adjoint_b)}
        return _op("MatMul", [a, b], attrs, name=scope)


def _tensordot_axes(axes, rank_a, rank_b):
    """(a_axes, b_axes) as lists of non-negative ints from TF's `axes` forms."""
    if isinstance(axes, (int, np.integer)):
        if axes < 0:
            raise ValueError("'axes' must be at least 0.")
        if axes > rank_a or axes > rank_b:
            raise ValueError("'axes' must not be larger than the number of dimensions of tensor")
        return list(range(rank_a - axes, rank_a)), list(range(axes))
    if not isinstance(axes, (list, tuple)) or len(axes) != 2:
        raise ValueError("'axes' must be an integer or have length 2.")
    a_axes, b_axes = ([int(v)] if isinstance(v, (int, np.integer)) else [int(i) for i in v]
                      for v in axes)
    if len(a_axes) != len(b_axes):
        raise ValueError("Different number of contraction axes 'a' and 'b', %d != %d."
                         % (len(a_axes), len(b_axes)))
    for ax, rank in ((a_axes, rank_a), (b_axes, rank_b)):
        for i in ax:
            if not -rank <= i < rank:
                raise ValueError("axis %d is out of range for a tensor of rank %d" % (i, rank))
    return [i % rank_a for i in a_axes], [i % rank_b for i in b_axes]


def _as_matrix(t, row_axes, col_axes):
    """Transposes `t` to row_axes + col_axes and flattens each group into one axis."""
    from . import array_ops
    perm = row_axes + col_axes
    if perm != list(range(len(perm))):
        t2 = array_ops.transpose(t, perm)
    else:
        t2 = t
    dims = t.shape.dims

    def size(axes):
        known = [dims[i] for i in axes]
        return None if None in known else int(np.prod(known, dtype=np.int64))
    rows, cols = size(row_axes), size(col_axes)
    if rows is not None or cols is not None:
        return array_ops.reshape(t2, [-1 if rows is None else rows, -1 if cols is None else cols])
    s = array_ops.shape(t)
    rows = reduce_prod(array_ops.gather(s, np.asarray(row_axes, np.int32)))
    cols = reduce_prod(array_ops.gather(s, np.asarray(col_axes, np.int32)))
    return array_ops.reshape(t2, array_ops.stack([rows, cols]))


def tensordot(a, b, axes, name=None):
    """Sums the products of a and b over the given axes (tf.tensordot).

    Args:
      a, b: Tensors of the same dtype, with known rank.
      axes: an int N (the last N axes of a with the first N of b), or a pair
        [a_axes, b_axes] of ints or equal-length lists of ints.
      name: a name for the op (default "Tensordot").

    Returns:
      A Tensor of shape a's free dims + b's free dims (free: not contracted).

    Raises:
      ValueError: bad `axes`, an unknown rank, or contracted dims that differ.
      TypeError: the dtypes differ.
    """
    from . import array_ops
    with _scope(name, "Tensordot") as scope:
        a, b = binary_inputs(a, b, "Tensordot")
        if a.shape.ndims is None or b.shape.ndims is None:
            raise ValueError("tensordot needs inputs of known rank, got %s and %s" % (a.shape, b.shape))
        a_axes, b_axes = _tensordot_axes(axes, a.shape.ndims, b.shape.ndims)
        da, db = a.shape.dims, b.shape.dims
        for i, j in zip(a_axes, b_axes):
            if da[i] is not None and db[j] is not None and da[i] != db[j]:
                raise ValueError("Dimensions must be equal, but are %d and %d for contracted axes "
                                 "%d of a %s and %d of b %s" % (da[i], db[j], i, a.shape, j, b.shape))
        free_a = [i for i in range(len(da)) if i not in a_axes]
        free_b = [i for i in range(len(db)) if i not in b_axes]
        product = matmul(_as_matrix(a, free_a, a_axes), _as_matrix(b, b_axes, free_b))
        out_dims = [da[i] for i in free_a] + [db[i] for i in free_b]
        if None not in out_dims:
            return array_ops.reshape(product, out_dims, name=scope)
        out_shape = array_ops.concat([array_ops.gather(array_ops.shape(a), np.asarray(free_a, np.int32)),
                                      array_ops.gather(array_ops.shape(b), np.asarray(free_b, np.int32))], 0)
        out = array_ops.reshape(product, out_shape, name=scope)
        out.set_shape(out_dims)
        return out


# -- reductions ---------------------------------------------------------------------------
def _reduction_axes_attr(x, axis, op_type="reduction"):
    """`axis` (None, an int, a list, or a constant tensor) as a tuple of axes, or None for all.

    With a known rank the axes are checked, made non-negative and sorted.
    """
    if axis is None:
        return None
    if _graph.is_tensor_like(axis):
        value = constant_value(_graph.convert_to_tensor(axis))
        if value is None:
            raise NotImplementedError("tinygraph needs reduction axes known when the graph is "
                                      "built; got the computed tensor %s" % axis)
        axis = value
    arr = np.asarray(axis)
    if arr.size and arr.dtype.kind not in "iu":
        raise TypeError("Value passed to parameter 'reduction_indices' has DataType %s not in list "
                        "of allowed values: int32, int64" % arr.dtype)
    axes = [int(a) for a in arr.reshape(-1)]
    nd = x.shape.ndims
    if nd is None:
        return tuple(axes)
    for a in axes:
        if not -nd <= a < nd:
            raise ValueError("Invalid reduction dimension %d for input with %d dimensions. for "
                             "'%s' (op: '%s') with input shapes: %s"
                             % (a, nd, op_type, op_type, x.shape.as_bracket_str()))
    return tuple(sorted(set(a % nd for a in axes)))


def _reduce_infer_for(op_type, allowed):
    def infer(attrs, x):
        _check_dtype(op_type, x, allowed, "input")
        axes, keep = attrs["axis"], attrs["keepdims"]
        dims = x.shape.dims
        if axes is None and not keep:
            return [(x.dtype, TensorShape([]))]
        if dims is None:
            return [(x.dtype, TensorShape(None))]
        if axes is None:
            return [(x.dtype, TensorShape([1] * len(dims)))]
        if keep:
            return [(x.dtype, TensorShape([1 if i in axes else d for i, d in enumerate(dims)]))]
        return [(x.dtype, TensorShape([d for i, d in enumerate(dims) if i not in axes]))]
    return infer


def _register_reduction(op_type, kernel, allowed=_NUMERIC):
    register_op(op_type, infer=_reduce_infer_for(op_type, allowed))(kernel)


def _mean_kernel(xp, attrs, x):
    axes, keep = attrs["axis"], attrs["keepdims"]
    if x.dtype.kind not in "iu":
        return xp.mean(x, axis=axes, keepdims=keep)
    total = xp.sum(x, axis=axes, keepdims=keep, dtype=x.dtype)
    count = x.size // (total.size or 1)
    return _trunc_div(total, xp.asarray(count or 1, dtype=x.dtype))  # C integer division


_register_reduction("Sum", lambda xp, attrs, x: xp.sum(
    x, axis=attrs["axis"], keepdims=attrs["keepdims"], dtype=x.dtype))
_register_reduction("Prod", lambda xp, attrs, x: xp.prod(
    x, axis=attrs["axis"], keepdims=attrs["keepdims"], dtype=x.dtype))
_register_reduction("Mean", _mean_kernel)
_register_reduction("Max", lambda xp, attrs, x: xp.max(x, axis=attrs["axis"], keepdims=attrs["keepdims"]))
_register_reduction("Min", lambda xp, attrs, x: xp.min(x, axis=attrs["axis"], keepdims=attrs["keepdims"]))
_register_reduction("Any", lambda xp, attrs, x: xp.any(x, axis=attrs["axis"], keepdims=attrs["keepdims"]),
                    _BOOL)
_register_reduction("All", lambda xp, attrs, x: xp.all(x, axis=attrs["axis"], keepdims=attrs["keepdims"]),
                    _BOOL)
NotDifferentiable("Any")
NotDifferentiable("All")


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
    out = [1 if axes is None or i in [a % n for a in axes] else d for i, d in enumerate(host_ints(s))]
    return xp.asarray(out, dtype=s.dtype)


NotDifferentiable("ReducedShape")
NotDifferentiable("Shape")


def _grad_with_kept_dims(op, grad):
    """`grad` of a reduction, reshaped so it broadcasts against the reduced input."""
    from .array_ops import reshape
    if op.attrs["keepdims"]:
        return grad
    return reshape(grad, _kept_dims_shape(op.inputs[0], op.attrs["axis"]))


@register_gradient("Sum")
def _sum_grad(op, grad):
    from .array_ops import broadcast_to, shape
    return [broadcast_to(_grad_with_kept_dims(op, grad), shape(op.inputs[0]))]


@register_gradient("Mean")
def _mean_grad(op, grad):
    from .array_ops import shape
    sum_grad = _sum_grad(op, grad)[0]
    x, y = op.inputs[0], op.outputs[0]
    if x.shape.is_fully_defined() and y.shape.is_fully_defined():
        factor = x.shape.num_elements() // max(y.shape.num_elements(), 1)
        return [sum_grad / max(factor, 1)]
    factor = reduce_prod(shape(x)) // maximum(reduce_prod(shape(y)), 1)
    return [sum_grad / cast(maximum(factor, 1), sum_grad.dtype)]


def _min_or_max_grad(op, grad):
    # The gradient is shared equally among the elements equal to the result (ties), as TF.
    from .array_ops import reshape
    x, y = op.inputs[0], op.outputs[0]
    axes = op.attrs["axis"]
    if not op.attrs["keepdims"]:
        y = reshape(y, _kept_dims_shape(x, axes))
    grad = _grad_with_kept_dims(op, grad)
    indicators = cast(equal(y, x), grad.dtype)
    num_selected = reduce_sum(indicators, axes, keepdims=True)
    return [indicators / num_selected * grad]


register_gradient("Max")(_min_or_max_grad)
register_gradient("Min")(_min_or_max_grad)


def _prod_of_others(x, axes):
    """For each element of x, the product of the other elements reduced together with it.

    Built from exclusive cumulative products (no division, so zeros are fine), one axis
    at a time: the others along the first axis, times the full products of the other
    slices along the remaining axes.
    """
    from .array_ops import ones_like, reshape, shape
    if axes is None:
        if x.shape.ndims is None:  # flatten: one group holding every element
            return reshape(_prod_of_others(reshape(x, [-1]), (0,)), shape(x))
        axes = tuple(range(x.shape.ndims))
    if not axes:
        return ones_like(x)
    a = axes[0]
    out = cumprod(x, a, exclusive=True) * cumprod(x, a, exclusive=True, reverse=True)
    if len(axes) > 1:
        out = out * _prod_of_others(reduce_prod(x, a, keepdims=True), axes[1:])
    return out


@register_gradient("Prod")
def _prod_grad(op, grad):
    return [_grad_with_kept_dims(op, grad) * _prod_of_others(op.inputs[0], op.attrs["axis"])]


def _reduction_args(axis, keepdims, reduction_indices, keep_dims):
    """Resolves TF 1.x's deprecated aliases: (axis, keepdims)."""
    if reduction_indices is not None:
        if axis is not None:
            raise ValueError("Can't specify both 'axis' and 'reduction_indices'.")
        axis = reduction_indices
    if keep_dims is not None:
        if keepdims is not None:
            raise ValueError("Cannot specify both 'keepdims' and 'keep_dims'.")
        keepdims = keep_dims
    return axis, bool(keepdims)


def _reduce(op_type, input_tensor, axis, keepdims, name, reduction_indices, keep_dims):
    axis, keepdims = _reduction_args(axis, keepdims, reduction_indices, keep_dims)
    with _scope(name, op_type) as scope:
        x = _graph.convert_to_tensor(input_tensor, name="input_tensor")
        attrs = {"axis": _reduction_axes_attr(x, axis, op_type), "keepdims": keepdims}
        return _op(op_type, [x], attrs, name=scope)


_REDUCE_DOC = """{what} of elements across dimensions of a tensor (tf.{fn}).

    Args:
      input_tensor: the tensor to reduce ({kind}).
      axis: the dimensions to reduce: an int, a list of ints (negative counts from
        the end), or None (the default) for all of them.
      keepdims: if true, keep the reduced dimensions with length 1.
      name: a name for the op (default "{op}").
      reduction_indices: the deprecated name of `axis`.
      keep_dims: the deprecated name of `keepdims`.

    Returns:
      The reduced tensor, of the input's dtype.

    Raises:
      ValueError: an axis is out of range, or both a name and its deprecated alias are given.
      TypeError: the input's dtype is not allowed.
    """


def _reducer(op_type, fn, what, kind="numeric"):
    def reduce(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
               keep_dims=None):
        return _reduce(op_type, input_tensor, axis, keepdims, name, reduction_indices, keep_dims)
    reduce.__name__ = reduce.__qualname__ = fn
    reduce.__doc__ = _REDUCE_DOC.format(what=what, fn=fn, kind=kind, op=op_type)
    return reduce


reduce_sum = _reducer("Sum", "reduce_sum", "The sum")
reduce_mean = _reducer("Mean", "reduce_mean", "The mean (integer inputs: truncated)")
reduce_prod = _reducer("Prod", "reduce_prod", "The product")
reduce_max = _reducer("Max", "reduce_max", "The maximum")
reduce_min = _reducer("Min", "reduce_min", "The minimum")
reduce_any = _reducer("Any", "reduce_any", "The logical OR", "bool")
reduce_all = _reducer("All", "reduce_all", "The logical AND", "bool")


def reduce_logsumexp(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
                     keep_dims=None):
    """log(sum(exp(x))) across dimensions, computed without overflow (tf.reduce_logsumexp).

    Arguments as for `reduce_sum`. The max is subtracted before exp and added back;
    it is treated as a constant for the gradient, which is exact.
    """
    from .array_ops import reshape, shape
    from .control_flow_ops import stop_gradient
    axis, keepdims = _reduction_args(axis, keepdims, reduction_indices, keep_dims)
    with _scope(name, "ReduceLogSumExp"):
        x = _graph.convert_to_tensor(input_tensor, name="input_tensor")
        _check_dtype("ReduceLogSumExp", x, _FLOATS, "input_tensor")
        raw_max = reduce_max(x, axis, keepdims=True)
        # An infinite max would give inf - inf = nan; the largest finite value gives the
        # right +-inf result instead.
        finite = x.dtype.as_numpy_dtype
        my_max = stop_gradient(clip_by_value(raw_max, float(np.finfo(finite).min),
                                             float(np.finfo(finite).max)))
        result = log(reduce_sum(exp(x - my_max), axis, keepdims=keepdims))
        if not keepdims:
            my_max = reshape(my_max, shape(result))
        return add(result, my_max)


def count_nonzero(input_tensor, axis=None, keepdims=None, dtype=dtypes.int64, name=None,
                  reduction_indices=None, keep_dims=None):
    """The number of nonzero (or True, or non-empty) elements across dimensions (tf.count_nonzero).

    Arguments as for `reduce_sum`, plus `dtype`: the result's dtype (default int64).
    Floats are compared with zero exactly.
    """
    with _scope(name, "count_nonzero"):
        x = _graph.convert_to_tensor(input_tensor, name="input_tensor")
        zero = _graph.convert_to_tensor(np.zeros((), x.dtype.as_numpy_dtype) if x.dtype != dtypes.string
                                        else np.array("", dtype=object), dtype=x.dtype, name="zeros")
        nonzero = cast(not_equal(x, zero), dtypes.int64)
        counts = reduce_sum(nonzero, axis, keepdims, reduction_indices=reduction_indices,
                            keep_dims=keep_dims)
        return cast(counts, dtype)


# -- argmax / argmin ------------------------------------------------------------------------
def _arg_infer_for(op_type):
    def infer(attrs, x):
        _check_dtype(op_type, x, _NUMERIC, "input")
        dims = x.shape.dims
        if dims is None:
            return [(attrs["output_type"], TensorShape(None))]
        return [(attrs["output_type"], TensorShape([d for i, d in enumerate(dims) if i != attrs["axis"]]))]
    return infer


@register_op("ArgMax", infer=_arg_infer_for("ArgMax"))
def _argmax_kernel(xp, attrs, x):
    return xp.argmax(x, axis=attrs["axis"]).astype(attrs["output_type"].as_numpy_dtype)


@register_op("ArgMin", infer=_arg_infer_for("ArgMin"))
def _argmin_kernel(xp, attrs, x):
    return xp.argmin(x, axis=attrs["axis"]).astype(attrs["output_type"].as_numpy_dtype)


NotDifferentiable("ArgMax")
NotDifferentiable("ArgMin")


def _static_axis(x, axis, op_type):
    """An int axis (or scalar constant tensor) checked against x's rank; non-negative if known."""
    if _graph.is_tensor_like(axis):
        value = constant_value(_graph.convert_to_tensor(axis))
        if value is None:
            raise NotImplementedError("tinygraph needs the axis of %s known when the graph is built"
                                      % op_type)
        axis = value
    axis = int(axis)
    nd = x.shape.ndims
    if nd is None:
        return axis
    if not -nd <= axis < nd:
        raise ValueError("Expected axis in the range [%d, %d), but got %d for '%s' (op: '%s') "
                         "with input shapes: %s" % (-nd, nd, axis, op_type, op_type,
                                                    x.shape.as_bracket_str()))
    return axis % nd


def _arg_reduce(op_type, input, axis, name, dimension, output_type):  # noqa: A002
    if dimension is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'dimension'")
        axis = dimension
    output_type = dtypes.as_dtype(output_type)
    if output_type not in (dtypes.int32, dtypes.int64):
        raise TypeError("output_type must be int32 or int64, got %s" % output_type.name)
    with _scope(name, op_type) as scope:
        x = _graph.convert_to_tensor(input, name="input")
        attrs = {"axis": _static_axis(x, 0 if axis is None else axis, op_type),
                 "output_type": output_type}
        return _op(op_type, [x], attrs, name=scope)


def argmax(input, axis=None, name=None, dimension=None, output_type=dtypes.int64):  # noqa: A002
    """The index of the largest value along `axis` (tf.argmax); the first one at ties.

    Args:
      input: a numeric Tensor.
      axis: the axis to reduce (default 0, as TF 1.x); may be negative.
      name: a name for the op (default "ArgMax").
      dimension: the deprecated name of `axis`.
      output_type: int64 (default) or int32.

    Raises:
      ValueError: `axis` is out of range.
    """
    return _arg_reduce("ArgMax", input, axis, name, dimension, output_type)


def argmin(input, axis=None, name=None, dimension=None, output_type=dtypes.int64):  # noqa: A002
    """The index of the smallest value along `axis` (tf.argmin). See `argmax`."""
    return _arg_reduce("ArgMin", input, axis, name, dimension, output_type)


# -- scans: cumsum, cumprod ------------------------------------------------------------------
def _scan_kernel(scan, identity):
    def kernel(xp, attrs, x):
        axis = attrs["axis"]
        y = xp.moveaxis(x, axis, 0)
        if attrs["reverse"]:
            y = y[::-1]
        out = getattr(xp, scan)(y, axis=0, dtype=x.dtype)
        if attrs["exclusive"]:  # shift by one, starting from the identity
            out = xp.concatenate([xp.full_like(out[:1], identity), out[:-1]], axis=0)
        if attrs["reverse"]:
            out = out[::-1]
        return xp.moveaxis(out, 0, axis)
    return kernel


def _scan_infer_for(op_type):
    def infer(attrs, x):
        _check_dtype(op_type, x, _NUMERIC)
        if x.shape.ndims == 0:
            raise ValueError("Shape must be at least rank 1 but is rank 0 for '%s'" % op_type)
        return [(x.dtype, x.shape)]
    return infer


register_op("Cumsum", infer=_scan_infer_for("Cumsum"))(_scan_kernel("cumsum", 0))
register_op("Cumprod", infer=_scan_infer_for("Cumprod"))(_scan_kernel("cumprod", 1))


@register_gradient("Cumsum")
def _cumsum_grad(op, grad):
    a = op.attrs
    return [cumsum(grad, a["axis"], exclusive=a["exclusive"], reverse=not a["reverse"])]


@register_gradient("Cumprod")
def _cumprod_grad(op, grad):
    # As TF: divides by x, so it is not defined where x == 0.
    a, x = op.attrs, op.inputs[0]
    prod = cumprod(x, a["axis"], exclusive=a["exclusive"], reverse=a["reverse"])
    out = cumsum(prod * grad, a["axis"], exclusive=a["exclusive"], reverse=not a["reverse"])
    return [out / x]


def _scan(op_type, x, axis, exclusive, reverse, name):
    with _scope(name, op_type) as scope:
        x = _graph.convert_to_tensor(x, name="x")
        attrs = {"axis": _static_axis(x, axis, op_type), "exclusive": bool(exclusive),
                 "reverse": bool(reverse)}
        return _op(op_type, [x], attrs, name=scope)


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """Cumulative sum along `axis` (tf.cumsum).

    Args:
      x: a numeric Tensor of rank >= 1.
      axis: the axis (default 0); may be negative.
      exclusive: if true, element i excludes x[i]: [a, b, c] -> [0, a, a + b].
      reverse: if true, sum from the end: [a, b, c] -> [a + b + c, b + c, c].
      name: a name for the op (default "Cumsum").

    Raises:
      ValueError: `axis` is out of range, or x is a scalar.
    """
    return _scan("Cumsum", x, axis, exclusive, reverse, name)


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    """Cumulative product along `axis` (tf.cumprod); exclusive starts from 1. See `cumsum`."""
    return _scan("Cumprod", x, axis, exclusive, reverse, name)


# -- sums of lists ---------------------------------------------------------------------------
def _add_n_infer_for(op_type):
    def infer(attrs, *xs):
        _check_dtype(op_type, xs[0], _NUMERIC, "inputs")
        shape = xs[0].shape
        for x in xs[1:]:
            if x.dtype != xs[0].dtype:
                raise TypeError("All inputs to '%s' must have the same dtype, got %s and %s"
                                % (op_type, xs[0].dtype.name, x.dtype.name))
            if not shape.is_compatible_with(x.shape):
                raise ValueError("Shapes %s and %s are not compatible for '%s'"
                                 % (shape, x.shape, op_type))
            shape = shape.merge_with(x.shape)
        if "shape" in attrs:
            shape = shape.merge_with(attrs["shape"])
        return [(xs[0].dtype, shape)]
    return infer


def _add_n_kernel(xp, attrs, *xs):
    out = xs[0] + xs[1] if len(xs) > 1 else xp.array(xs[0], copy=True)
    for x in xs[2:]:
        out += x
    return out


register_op("AddN", infer=_add_n_infer_for("AddN"))(_add_n_kernel)
register_op("AccumulateNV2", infer=_add_n_infer_for("AccumulateNV2"))(_add_n_kernel)


@register_gradient("AddN")
def _add_n_grad(op, grad):
    return [grad] * len(op.inputs)


register_gradient("AccumulateNV2")(_add_n_grad)


def _list_inputs(inputs):
    if not inputs or not isinstance(inputs, (list, tuple)):
        raise ValueError("inputs must be a list of at least one Tensor with the same dtype and shape")
    return [_graph.convert_to_tensor(x) for x in inputs]


def add_n(inputs, name=None):
    """Adds a list of tensors of the same shape and dtype elementwise (tf.add_n).

    IndexedSlices are made dense first.

    Raises:
      ValueError: `inputs` is not a non-empty list, or the shapes differ.
      TypeError: the dtypes differ.
    """
    xs = _list_inputs(inputs)
    if len(xs) == 1:
        if name:
            from .control_flow_ops import identity
            return identity(xs[0], name=name)
        return xs[0]
    return _op("AddN", xs, name=name)


def accumulate_n(inputs, shape=None, tensor_dtype=None, name=None):
    """Adds a list of tensors elementwise (tf.accumulate_n): add_n with optional checks.

    Args:
      inputs: a list of Tensors of the same shape and dtype.
      shape: the expected shape of the inputs (optional).
      tensor_dtype: the expected dtype of the inputs (optional).
      name: a name for the op.

    Raises:
      ValueError: `inputs` is not a non-empty list, the dtypes or shapes differ.
      TypeError: `tensor_dtype` is not the inputs' dtype.
    """
    xs = _list_inputs(inputs)
    if not all(x.dtype == xs[0].dtype for x in xs):
        raise ValueError("inputs must be a list of at least one Tensor with the same dtype and shape")
    static = TensorShape(None) if shape is None else TensorShape(shape)
    for x in xs:
        static = static.merge_with(x.shape)
    if tensor_dtype is not None and dtypes.as_dtype(tensor_dtype) != xs[0].dtype:
        raise TypeError("tensor_dtype is %s, but input is of type %s" % (
            dtypes.as_dtype(tensor_dtype).name, xs[0].dtype.name))
    if len(xs) == 1:
        if name:
            from .control_flow_ops import identity
            return identity(xs[0], name=name)
        return xs[0]
    return _op("AccumulateNV2", xs, {"shape": static}, name=name)


# -- segment sums (dense form of IndexedSlices) ---------------------------------------------
def _segment_infer(attrs, data, ids, n):
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
    """out[i] = sum of data[j] over j with segment_ids[j] == i (tf.unsorted_segment_sum).

    Args:
      data: a numeric Tensor.
      segment_ids: an int Tensor whose shape is a prefix of data's shape.
      num_segments: the number of output rows.
      name: a name for the op.
    """
    data = _graph.convert_to_tensor(data)
    ids = _graph.convert_to_tensor(segment_ids)
    n = _graph.convert_to_tensor(num_segments)
    return _op("UnsortedSegmentSum", [data, ids, n], name=name)


# -- operators on Tensor ---------------------------------------------------------------------
def _binary_operator(fn, op_name):
    """Tensor.__<op>__ and __r<op>__ as TF 1.x defines them: the op is named `op_name`
    ("add", "mul", ...) and a Python operand becomes a constant of the tensor's dtype."""
    def forward(x, y):
        with _graph.get_default_graph().name_scope(op_name) as scope:
            if not _graph.is_tensor_like(y):
                try:
                    y = _graph.convert_to_tensor(y, dtype=x.dtype, name="y")
                except TypeError:
                    if hasattr(type(y), "__r%s__" % op_name):
                        return NotImplemented  # let y's own operator try
                    raise
            return fn(x, y, name=scope)

    def reflected(y, x):
        with _graph.get_default_graph().name_scope(op_name) as scope:
            x = _graph.convert_to_tensor(x, dtype=y.dtype, name="x")
            return fn(x, y, name=scope)
    return forward, reflected


def _install_operators():
    for op_name, fn in (("add", add), ("sub", subtract), ("mul", multiply), ("truediv", truediv),
                        ("floordiv", floordiv), ("mod", floormod), ("pow", pow),
                        ("matmul", matmul), ("and", logical_and), ("or", logical_or),
                        ("xor", logical_xor)):
        forward, reflected = _binary_operator(fn, op_name)
        setattr(Tensor, "__%s__" % op_name, forward)
        setattr(Tensor, "__r%s__" % op_name, reflected)
    # Comparisons and unary operators create plainly named ops ("Less", "Neg", "Abs").
    Tensor.__lt__ = lambda self, other: less(self, other)
    Tensor.__le__ = lambda self, other: less_equal(self, other)
    Tensor.__gt__ = lambda self, other: greater(self, other)
    Tensor.__ge__ = lambda self, other: greater_equal(self, other)
    Tensor.__neg__ = lambda self: negative(self)
    Tensor.__abs__ = lambda self: abs(self)
    Tensor.__invert__ = lambda self: logical_not(self)


_install_operators()


def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None, keep_dims=None):  # noqa: A002
    """The vector norm of `tensor` over `axis` (all entries if None) (tf.norm).

    Args:
      ord: "euclidean" / "fro" / 2 (square root of the sum of squares), 1 (sum of absolute
        values) or numpy.inf (largest absolute value).
      axis: an int or None.
      keepdims: keep the reduced axes with length 1.

    Raises:
      ValueError: an unsupported `ord`.
    """
    keepdims = bool(keep_dims if keepdims is None else keepdims)
    with _scope(name, "norm") as scope:
        x = _graph.convert_to_tensor(tensor)
        if ord in ("euclidean", "fro", 2, 2.0):
            return sqrt(reduce_sum(x * x, axis=axis, keepdims=keepdims), name=scope)
        if ord in (1, 1.0):
            return reduce_sum(abs(x), axis=axis, keepdims=keepdims, name=scope)
        if ord == float("inf"):
            return reduce_max(abs(x), axis=axis, keepdims=keepdims, name=scope)
        raise ValueError("'ord' must be a supported vector norm, got %s." % (ord,))


__all__.append("norm")


# -- in-place forms (the fuse_elementwise pass, see executor.py) ----------------------------
# A chain of elementwise ops then runs in one buffer: its first op allocates, the others
# write into that buffer. Each form computes what its kernel computes, in the same order,
# so results are bitwise the same; each raises before writing when the value won't fit.
def _inplace_binary(op_type, ufunc_name, positions=(0, 1), kinds="fc"):
    def inplace(xp, attrs, pos, x, y):
        if x.dtype.kind not in kinds:
            raise TypeError("in place only for %s dtypes" % kinds)
        return getattr(xp, ufunc_name)(x, y, out=(x, y)[pos])
    register_inplace(op_type, positions)(inplace)


for _t, _ufunc in (("Add", "add"), ("Sub", "subtract"), ("Mul", "multiply"), ("RealDiv", "divide"),
                   ("Maximum", "maximum"), ("Minimum", "minimum")):
    _inplace_binary(_t, _ufunc)


@register_inplace("SquaredDifference", (0, 1))
def _squared_difference_inplace(xp, attrs, pos, x, y):
    d = xp.subtract(x, y, out=(x, y)[pos])
    return xp.multiply(d, d, out=d)


def _inplace_unary(op_type, ufunc_name):
    def inplace(xp, attrs, pos, x):
        if x.dtype.kind not in "fc":
            raise TypeError("in place only for float dtypes")
        return getattr(xp, ufunc_name)(x, out=x)
    register_inplace(op_type)(inplace)


for _t, _ufunc in (("Neg", "negative"), ("Abs", "absolute"), ("Sign", "sign"), ("Square", "square"),
                   ("Sqrt", "sqrt"), ("Exp", "exp"), ("Log", "log"), ("Log1p", "log1p"),
                   ("Sin", "sin"), ("Cos", "cos"), ("Tanh", "tanh"), ("Floor", "floor"),
                   ("Ceil", "ceil")):
    _inplace_unary(_t, _ufunc)


@register_inplace("Sigmoid")
def _sigmoid_inplace(xp, attrs, pos, x):
    if x.dtype.kind != "f" or x.ndim == 0:  # 0-d: `e + 1` below would be a scalar
        raise TypeError("in place only for float arrays")
    nonnegative = x >= 0
    e = xp.exp(xp.negative(xp.absolute(x, out=x), out=x), out=x)
    one_plus_e = e + 1
    xp.divide(e, one_plus_e, out=e)
    xp.divide(1, one_plus_e, out=one_plus_e)
    xp.copyto(e, one_plus_e, where=nonnegative)
    return e


@register_inplace("TanhGrad", (1,))
def _tanh_grad_inplace(xp, attrs, pos, y, dy):
    t = y * y
    xp.subtract(1, t, out=t)
    return xp.multiply(dy, t, out=dy)


@register_inplace("SigmoidGrad", (1,))
def _sigmoid_grad_inplace(xp, attrs, pos, y, dy):
    xp.multiply(dy, y, out=dy)  # fails, writing nothing, unless y fits dy's buffer
    return xp.multiply(dy, 1 - y, out=dy)


def _add_n_inplace(xp, attrs, pos, *xs):
    out = xs[pos]
    if len(xs) > 1:
        xp.add(xs[0], xs[1], out=out)
    for x in xs[2:]:
        out += x
    return out


register_inplace("AddN", (0, 1))(_add_n_inplace)
register_inplace("AccumulateNV2", (0, 1))(_add_n_inplace)
mark_fresh_output("MatMul", "Sum", "Mean", "Prod", "Pow", "FloorDiv", "FloorMod")
