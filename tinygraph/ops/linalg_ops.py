"""Linear-algebra ops on (batches of) square matrices: MatrixInverse, MatrixDeterminant.

Both work on the last two axes and broadcast nothing: a [..., M, M] input gives a
[..., M, M] inverse or a [...] determinant. The gradients are TF's formulas, built from
differentiable ops, so second derivatives work. Also TF 1.x's `arg_max` / `arg_min`
(the generated-op names of argmax / argmin, with `dimension` as the axis argument).
"""
from ..framework import dtypes, errors
from ..framework import graph as _graph
from ..framework.registry import register_gradient, register_op
from ..passes.aliasing import mark_fresh_output
from ..framework.tensor_shape import TensorShape
from . import array_ops, math_ops

__all__ = ["matrix_inverse", "matrix_determinant", "arg_max", "arg_min"]

_TYPES = (dtypes.float16, dtypes.float32, dtypes.float64)


def _fmt(shape):
    return "[%s]" % ",".join("?" if d is None else str(d) for d in shape.dims)


def _square_dims(op_type, x, first_second):
    """The static dims of a [..., M, M] input (None: unknown rank); checks rank and squareness."""
    dims = x.shape.dims
    if dims is None:
        return None
    if len(dims) < 2:
        raise ValueError("Shape must be at least rank 2 but is rank %d for '%s' (op: '%s') with "
                         "input shapes: %s." % (len(dims), op_type, op_type, _fmt(x.shape)))
    a, b = dims[-2:] if first_second else dims[-1:-3:-1]
    if a is not None and b is not None and a != b:
        raise ValueError("Dimensions must be equal, but are %d and %d for '%s' (op: '%s') with "
                         "input shapes: %s." % (a, b, op_type, op_type, _fmt(x.shape)))
    return dims


def _inverse_infer(attrs, x):
    dims = _square_dims("MatrixInverse", x, True)
    if dims is None:
        return [(x.dtype, TensorShape(None))]
    m = dims[-1] if dims[-1] is not None else dims[-2]
    return [(x.dtype, TensorShape(list(dims[:-2]) + [m, m]))]


def _determinant_infer(attrs, x):
    dims = _square_dims("MatrixDeterminant", x, False)
    return [(x.dtype, TensorShape(None if dims is None else list(dims[:-2])))]


def _in_solver_dtype(xp, x):
    return x.astype(xp.float32) if x.dtype == xp.float16 else x  # LAPACK has no half precision


@register_op("MatrixInverse", infer=_inverse_infer)
def _inverse_kernel(xp, attrs, x):
    a = _in_solver_dtype(xp, x)
    if attrs["adjoint"]:
        a = xp.swapaxes(a, -1, -2)
    try:
        inv = xp.linalg.inv(a)
    except xp.linalg.LinAlgError:  # NumPy raises it; CuPy only under cupyx.errstate(linalg='raise')
        raise errors.InvalidArgumentError(None, None, "Input is not invertible.") from None
    return inv.astype(x.dtype, copy=False)


@register_op("MatrixDeterminant", infer=_determinant_infer)
def _determinant_kernel(xp, attrs, x):
    return xp.asarray(xp.linalg.det(_in_solver_dtype(xp, x))).astype(x.dtype, copy=False)


mark_fresh_output("MatrixInverse", "MatrixDeterminant")


@register_gradient("MatrixInverse")
def _inverse_grad(op, grad):
    # d(A^-1) = -A^-1 dA A^-1, so dL/dA = -A^-T G A^-T (adjoint: the same for A^H)
    ainv, adjoint = op.outputs[0], op.attrs["adjoint"]
    inner = math_ops.matmul(grad, ainv, adjoint_a=adjoint, adjoint_b=not adjoint)
    return [-math_ops.matmul(ainv, inner, adjoint_a=not adjoint)]


@register_gradient("MatrixDeterminant")
def _determinant_grad(op, grad):
    # d det(A) / dA = det(A) A^-T
    c = op.outputs[0]
    multipliers = array_ops.expand_dims(array_ops.expand_dims(grad * c, -1), -1)
    return [multipliers * matrix_inverse(op.inputs[0], adjoint=True)]


def _matrix_input(op_type, x):
    t = _graph.convert_to_tensor(x, name="input")
    if t.dtype not in _TYPES:
        raise TypeError("Value passed to parameter 'input' has DataType %s not in list of allowed "
                        "values: float64, float32, float16" % t.dtype.name)
    return t


def matrix_inverse(input, adjoint=False, name=None):  # noqa: A002 - TF's argument name
    """The inverse of each square matrix in `input` (tf.matrix_inverse, tf.linalg.inv).

    Args:
      input: a float tensor [..., M, M].
      adjoint: invert the adjoint (for real matrices, the transpose) instead.
      name: the op name (default "MatrixInverse").

    Returns:
      A tensor [..., M, M].

    Raises:
      ValueError: rank below 2, or the last two dimensions differ.
      TypeError: a non-float input.
      InvalidArgumentError (at run time): a matrix is singular.
    """
    with _graph.name_scope(name, "MatrixInverse") as scope:
        x = _matrix_input("MatrixInverse", input)
        return _graph.get_default_graph().create_op(
            "MatrixInverse", [x], {"adjoint": bool(adjoint)}, scope).outputs[0]


def matrix_determinant(input, name=None):  # noqa: A002 - TF's argument name
    """The determinant of each square matrix in `input` (tf.matrix_determinant, tf.linalg.det).

    Args:
      input: a float tensor [..., M, M].
      name: the op name (default "MatrixDeterminant").

    Returns:
      A tensor [...] (a scalar for one matrix).

    Raises:
      ValueError: rank below 2, or the last two dimensions differ.
      TypeError: a non-float input.
    """
    with _graph.name_scope(name, "MatrixDeterminant") as scope:
        x = _matrix_input("MatrixDeterminant", input)
        return _graph.get_default_graph().create_op("MatrixDeterminant", [x], {}, scope).outputs[0]


def arg_max(input, dimension, output_type=dtypes.int64, name=None):  # noqa: A002
    """The index of the largest value along axis `dimension` (TF 1.x's tf.arg_max)."""
    return math_ops.argmax(input, axis=dimension, output_type=output_type, name=name)


def arg_min(input, dimension, output_type=dtypes.int64, name=None):  # noqa: A002
    """The index of the smallest value along axis `dimension` (TF 1.x's tf.arg_min)."""
    return math_ops.argmin(input, axis=dimension, output_type=output_type, name=name)
