"""Elementwise binary math: tf.add, subtract, multiply, divide, pow, maximum, ..., clip_by_value.

Broadcasting is undone in one place: `unbroadcast` (shape_ops.py).
"""
from ..backend import hostnp as np
from ..framework import dtypes, graph as _graph
from ..framework.graph import op_output
from ..framework.indexed_slices import IndexedSlices
from ..framework.registry import NotDifferentiable, register_gradient
from ..passes.aliasing import mark_fresh_output
from ..passes.fuse_elementwise import register_inplace
from .cast_ops import cast
from .comparison_ops import greater, greater_equal, less_equal
from .math_helpers import _NUMERIC, _binary, _register_binary, _scope, _trunc_div, binary_inputs
from .shape_ops import unbroadcast
from .unary_ops import log, negative

__all__ = ["add", "subtract", "multiply", "scalar_mul", "divide", "truediv", "div", "realdiv",
           "floordiv", "floor_div", "floormod", "mod", "pow", "squared_difference",
           "maximum", "minimum", "clip_by_value"]


# -- elementwise binary --------------------------------------------------------------------------
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


# In-place forms (for the fuse_elementwise pass): a chain of elementwise ops runs in one
# buffer, its first op allocating and the others writing into that buffer. Each form
# computes what its kernel computes, in the same order, so results are bitwise the same;
# each raises before writing when the value won't fit.
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


# These kernels always return new arrays, which the in-place pass may write into.
mark_fresh_output("Pow", "FloorDiv", "FloorMod")


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
        return op_output("RealDiv", [x, y], name=scope)


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
        return op_output("FloorDiv" if x.dtype.is_integer else "RealDiv", [x, y], name=scope)


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
        return op_output("FloorDiv", [x, y], name=scope)


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
        return op_output("Pow", [x, y], name=scope)


def squared_difference(x, y, name=None):
    """(x - y) * (x - y) elementwise (tf.squared_difference)."""
    return _binary("SquaredDifference", x, y, name)


def maximum(x, y, name=None):
    """max(x, y) elementwise (tf.maximum). At ties the gradient goes to x."""
    return _binary("Maximum", x, y, name)


def minimum(x, y, name=None):
    """min(x, y) elementwise (tf.minimum). At ties the gradient goes to x."""
    return _binary("Minimum", x, y, name)


# -- elementwise unary ---------------------------------------------------------------------------
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
