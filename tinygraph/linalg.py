"""`tf.linalg`: the TF 1.x linear-algebra namespace (the names tinygraph has so far)."""
from .ops.linalg_ops import matrix_determinant as det, matrix_inverse as inv  # noqa: F401
from .ops.math_ops import matmul, norm, tensordot  # noqa: F401

__all__ = ["det", "inv", "matmul", "norm", "tensordot"]
