"""Control flow as single ops over traced sub-graphs: While (tf.while_loop), If (tf.cond),
and TensorArray for per-step values."""
from .tensor_array import TensorArray  # noqa: F401
from .while_loop import while_loop  # noqa: F401
from .cond import case, cond  # noqa: F401
