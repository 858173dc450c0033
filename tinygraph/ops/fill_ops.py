"""tf.fill and the tf.zeros / tf.ones built on it (a Const when the shape is small and static)."""
from ..backend import hostnp as np
from ..framework import dtypes, errors, graph as _graph
from ..framework.graph import op_output
from ..framework.registry import register_gradient, register_op
from ..framework.tensor_shape import as_shape
from .array_helpers import (_host_args, _ints, _partial_shape, _partial_value, _shape_error,
                            _shape_tensor)
from .constant_op import constant
from .reduction_ops import reduce_sum

__all__ = ["fill", "zeros", "ones"]


# -- constants and fills -------------------------------------------------------------------------
def _fill_infer(attrs, dims, value):
    if dims.shape.ndims not in (None, 1):
        raise _shape_error("Shape must be rank 1 but is rank %d" % dims.shape.ndims, "Fill", dims, value)
    if value.shape.ndims not in (None, 0):
        raise _shape_error("Shape must be rank 0 but is rank %d" % value.shape.ndims, "Fill", dims, value)
    out = _partial_shape(dims)  # refuses values below -1
    known = _partial_value(dims)
    if isinstance(known, list) and any(d is not None and d < 0 for d in known):
        raise _shape_error("Fill dimensions must be >= 0", "Fill", dims, value)
    return [(value.dtype, out)]


@register_op("Fill", infer=_fill_infer, bind=_host_args(0))
def _fill_kernel(xp, attrs, dims, value):
    shape = tuple(_ints(dims))
    for d in shape:
        if d < 0:
            raise errors.InvalidArgumentError(None, None, "Dimension %d must be >= 0" % d)
    return xp.full(shape, value, dtype=value.dtype)


@register_gradient("Fill")
def _fill_grad(op, grad):
    return [None, reduce_sum(grad)]


def fill(dims, value, name=None):
    """Creates a tensor of shape `dims` filled with the scalar `value` (tf.fill).

    Args:
      dims: a 1-D int tensor or list: the output shape.
      value: a scalar: the fill value (its dtype is the output's).
      name: the op name (default "Fill").

    Returns:
      A Tensor of the dtype of `value`.

    Raises:
      ValueError: `dims` is not a vector or `value` not a scalar.
    """
    v = _graph.convert_to_tensor(value)
    return op_output("Fill", [_shape_tensor(dims), v], name=name)


def _filled(shape_like, dtype, one, name, default_name):
    """zeros/ones: a Const when the shape is static and small (as TF does), else a Fill."""
    dtype = dtypes.as_dtype(dtype)
    if dtype == dtypes.string:
        value = np.array("" if not one else "1", dtype=object)
    else:
        value = np.array(one, dtype=dtype.as_numpy_dtype)
    with _graph.name_scope(name, default_name) as scope:
        static = not _graph.is_tensor_like(shape_like) and not (
            isinstance(shape_like, (list, tuple)) and any(_graph.is_tensor_like(d) for d in shape_like))
        if static:
            dims = as_shape(shape_like).as_list()
            if None in dims:
                raise ValueError("Cannot convert a partially known TensorShape %s to a Tensor."
                                 % as_shape(shape_like))
            if int(np.prod(dims)) < 1000:
                return constant(value, dtype=dtype, shape=dims, name=scope)
        return fill(shape_like, constant(value, dtype=dtype), name=scope)


def zeros(shape, dtype=dtypes.float32, name=None):  # noqa: F811 - TF's argument name
    """A tensor of zeros (tf.zeros).

    Args:
      shape: a list of ints, a TensorShape or a 1-D int tensor.
      dtype: the element type (default float32).
      name: the op name (default "zeros").

    Returns:
      A Tensor.
    """
    return _filled(shape, dtype, 0, name, "zeros")


def ones(shape, dtype=dtypes.float32, name=None):  # noqa: F811
    """A tensor of ones (tf.ones); arguments as for `zeros`."""
    return _filled(shape, dtype, 1, name, "ones")
