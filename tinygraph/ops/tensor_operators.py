"""Python operators on Tensor (`+`, `*`, `@`, `<`, `-x`, ...), as TF 1.x defines them."""
from ..framework import graph as _graph
from ..framework.graph import Tensor
from .binary_ops import add, floordiv, floormod, multiply, pow, subtract, truediv
from .comparison_ops import (greater, greater_equal, less, less_equal, logical_and, logical_not,
                             logical_or, logical_xor)
from .matmul_ops import matmul
from .unary_ops import abs, negative


# -- operators on Tensor -------------------------------------------------------------------------
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
