"""Helpers shared by the math op modules: dtype groups, TF-worded dtype and broadcast
errors, operand conversion, and the registration of elementwise unary and binary ops.

Note: the math modules define `abs`, `pow` and `round` (TF's names), so the Python
builtins of those names are not used there.
"""
from ..framework import dtypes, graph as _graph
from ..framework.graph import op_output
from ..framework.registry import register_op
from .shape_utils import broadcast_static


# -- top -----------------------------------------------------------------------------------------
_FLOATS = (dtypes.float16, dtypes.float32, dtypes.float64)
_INTS = (dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64, dtypes.uint8)
_NUMERIC = _FLOATS + _INTS
_BOOL = (dtypes.bool_,)
_ANY = _NUMERIC + _BOOL + (dtypes.string,)


# -- helpers shared by the family ----------------------------------------------------------------
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
    if x.dtype.base_dtype != y.dtype.base_dtype:  # a variable's ref reads as its value type
        raise TypeError("Input 'y' of '%s' Op has type %s that does not match type %s of argument 'x'."
                        % (op_name, y.dtype.name, x.dtype.name))
    return x, y


def _trunc_div(x, y):
    """Integer division rounding toward zero (C semantics), from numpy's floor division."""
    q = x // y
    return q + ((q * y != x) & ((x < 0) != (y < 0)))


# -- elementwise binary --------------------------------------------------------------------------
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
        return op_output(op_type, [x, y], name=scope)


# -- elementwise unary ---------------------------------------------------------------------------
def _register_unary(op_type, kernel, allowed=_NUMERIC, out_dtype=None):
    def infer(attrs, x):
        _check_dtype(op_type, x, allowed)
        return [(out_dtype or x.dtype, x.shape)]
    register_op(op_type, infer=infer)(kernel)


def _unary(op_type, x, name=None):
    with _scope(name, op_type) as scope:
        x = _graph.convert_to_tensor(x, name="x")
        return op_output(op_type, [x], name=scope)
