"""Elementwise unary math: tf.negative, abs, square, sqrt, exp, log, tanh, sigmoid, ...

Each op's kernel, gradient and in-place form sit together. Gradients emit ops that have
gradients of their own (TanhGrad, SigmoidGrad, SqrtGrad, ...), so gradients of gradients work.
"""
from ..framework import dtypes, graph as _graph
from ..framework.graph import op_output
from ..framework.registry import NotDifferentiable, register_gradient, register_op
from ..passes.fuse_elementwise import register_inplace
from .array_creation_ops import zeros_like
from .math_helpers import _FLOATS, _register_unary, _trunc_div, _unary

__all__ = ["negative", "abs", "sign", "square", "sqrt", "rsqrt", "exp", "log", "log1p", "sin",
           "cos", "tanh", "sigmoid", "reciprocal", "floor", "ceil", "round",
           "is_finite", "is_nan", "is_inf"]


# -- elementwise unary ---------------------------------------------------------------------------
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


# In-place forms, as for the binary ops (binary_ops.py).
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


@register_gradient("Neg")
def _neg_grad(op, grad):
    return [negative(grad)]


@register_gradient("Abs")
def _abs_grad(op, grad):
    return [grad * sign(op.inputs[0])]  # 0 at x = 0, as TF


@register_gradient("Sign")
def _sign_grad(op, grad):
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
        return [op_output(op_type + "Grad", [op.outputs[0], grad])]


_register_output_grad("Tanh", lambda xp, attrs, y, dy: dy * (1 - y * y))
_register_output_grad("Sigmoid", lambda xp, attrs, y, dy: dy * y * (1 - y))
_register_output_grad("Sqrt", lambda xp, attrs, y, dy: dy * 0.5 / y)
_register_output_grad("Rsqrt", lambda xp, attrs, y, dy: dy * -0.5 * y * y * y)
_register_output_grad("Reciprocal", lambda xp, attrs, y, dy: -dy * y * y)


@register_inplace("TanhGrad", (1,))
def _tanh_grad_inplace(xp, attrs, pos, y, dy):
    t = y * y
    xp.subtract(1, t, out=t)
    return xp.multiply(dy, t, out=dy)


@register_inplace("SigmoidGrad", (1,))
def _sigmoid_grad_inplace(xp, attrs, pos, y, dy):
    xp.multiply(dy, y, out=dy)  # fails, writing nothing, unless y fits dy's buffer
    return xp.multiply(dy, 1 - y, out=dy)


@register_gradient("TanhGrad")
def _tanh_grad_grad(op, grad):
    y, dy = op.inputs  # out = dy * (1 - y^2)
    return [grad * dy * -2.0 * y, op_output("TanhGrad", [y, grad])]


@register_gradient("SigmoidGrad")
def _sigmoid_grad_grad(op, grad):
    y, dy = op.inputs  # out = dy * y * (1 - y)
    g_dy = grad * dy
    return [g_dy - 2.0 * g_dy * y, op_output("SigmoidGrad", [y, grad])]


@register_gradient("SqrtGrad")
def _sqrt_grad_grad(op, grad):
    y, dy = op.inputs  # out = 0.5 * dy / y
    g_over_y = grad / y
    return [negative(g_over_y) * op.outputs[0], 0.5 * g_over_y]


@register_gradient("RsqrtGrad")
def _rsqrt_grad_grad(op, grad):
    y, dy = op.inputs  # out = -0.5 * dy * y^3
    return [-1.5 * grad * dy * square(y), op_output("RsqrtGrad", [y, grad])]


@register_gradient("ReciprocalGrad")
def _reciprocal_grad_grad(op, grad):
    y, dy = op.inputs  # out = -dy * y^2
    return [grad * -2.0 * dy * y, op_output("ReciprocalGrad", [y, grad])]


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
