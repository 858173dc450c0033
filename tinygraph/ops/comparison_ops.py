"""Comparisons and logic: tf.equal, less, greater, ..., logical_and/or/not/xor (no gradients)."""
from ..framework import dtypes
from ..framework.registry import NotDifferentiable
from .math_helpers import _ANY, _BOOL, _NUMERIC, _binary, _register_binary, _register_unary, _unary

__all__ = ["equal", "not_equal", "less", "less_equal", "greater", "greater_equal", "logical_and",
           "logical_or", "logical_not", "logical_xor"]


# -- comparisons and logic -----------------------------------------------------------------------
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
