"""Math ops (tf.add, tf.sigmoid, tf.matmul, tf.reduce_sum, tf.equal, tf.cast, ...), gathered
from the modules that define them, so `from tinygraph.ops.math_ops import X` keeps working:

  binary_ops        add, subtract, multiply, divide, pow, maximum, minimum, clip_by_value, ...
  unary_ops         negative, abs, square, sqrt, exp, log, tanh, sigmoid, floor, ...
  comparison_ops    equal, less, greater, ..., logical_and/or/not/xor
  cast_ops          cast, to_float, to_double, to_int32, to_int64
  matmul_ops        matmul, tensordot
  reduction_ops     reduce_*, count_nonzero, norm, argmax/argmin, cumsum/cumprod, add_n, accumulate_n
  indexing_ops      unsorted_segment_sum
  shape_ops         unbroadcast (the sum that undoes a binary op's broadcasting)

Shared helpers are in math_helpers.py; importing this module also installs the Python
operators on Tensor (tensor_operators.py).
"""
from . import tensor_operators  # noqa: F401 (installs Tensor.__add__, __matmul__, ...)
from .binary_ops import *  # noqa: F401,F403
from .cast_ops import *  # noqa: F401,F403
from .comparison_ops import *  # noqa: F401,F403
from .indexing_ops import unsorted_segment_sum  # noqa: F401
from .math_helpers import binary_inputs  # noqa: F401 (other op families convert operands with it)
from .matmul_ops import *  # noqa: F401,F403
from .reduction_ops import *  # noqa: F401,F403
from .shape_ops import unbroadcast  # noqa: F401 (gradients of broadcasting ops use it)
from .unary_ops import *  # noqa: F401,F403

__all__ = ["add", "subtract", "multiply", "scalar_mul", "divide", "truediv", "div", "realdiv",
           "floordiv", "floor_div", "floormod", "mod", "pow", "squared_difference",
           "maximum", "minimum", "negative", "abs", "sign", "square", "sqrt", "rsqrt",
           "exp", "log", "log1p", "sin", "cos", "tanh", "sigmoid", "reciprocal",
           "floor", "ceil", "round", "is_finite", "is_nan", "is_inf", "clip_by_value",
           "equal", "not_equal", "less", "less_equal", "greater", "greater_equal",
           "logical_and", "logical_or", "logical_not", "logical_xor", "cast",
           "to_float", "to_double", "to_int32", "to_int64", "matmul", "tensordot",
           "reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod",
           "reduce_any", "reduce_all", "reduce_logsumexp", "count_nonzero", "argmax",
           "argmin", "cumsum", "cumprod", "add_n", "accumulate_n",
           "unsorted_segment_sum", "norm"]
