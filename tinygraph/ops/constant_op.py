"""Constants and placeholders: where values enter the graph."""
from ..backend import hostnp as np
from ..framework import dtypes, errors
from ..framework import graph as _graph
from ..framework.registry import NotDifferentiable, register_gradient, register_op
from ..framework.tensor_shape import TensorShape, as_shape

__all__ = ["constant", "placeholder", "placeholder_with_default", "convert_to_tensor"]


def _const_infer(attrs):
    v = attrs["value"]
    return [(dtypes.as_dtype(v.dtype), TensorShape(v.shape))]


def _const_bind(op, ctx):
    # Upload once per session (not per plan): the value never changes.
    value = ctx.constants.get(op)
    if value is None:
        value = ctx.constants[op] = ctx.backend.to_device(op.attrs["value"])
    return lambda: value


@register_op("Const", infer=_const_infer, bind=_const_bind)
def _const_kernel(xp, attrs):
    return xp.asarray(attrs["value"])


NotDifferentiable("Const")


def constant(value, dtype=None, shape=None, name="Const", verify_shape=False):
    """Creates a constant tensor (tf.constant).

    Args:
      value: a Python or numpy value (nested lists allowed).
      dtype: the element type; inferred from `value` if None (floats -> float32,
        ints -> int32).
      shape: optional shape; a scalar `value` is broadcast to it.
      name: the op name.
      verify_shape: if True, `value` must already have `shape`.

    Returns:
      A Tensor.

    Raises:
      TypeError: `value` cannot be converted to `dtype`.
      ValueError: `value` does not fit `shape`.
    """
    if isinstance(value, _graph.Tensor):
        raise TypeError("tf.constant needs a Python or numpy value, not the Tensor %s" % value.name)
    dt = dtypes.as_dtype(dtype) if dtype is not None else dtypes.dtype_of_value(value)
    try:
        if dt.is_integer and np.asarray(value).dtype.kind == "f":
            arr = np.asarray(value)
            if np.any(arr != np.floor(arr)):
                raise TypeError("Expected %s, got %r of type '%s' instead." % (
                    dt.name, value, type(value).__name__))
        arr = np.asarray(value, dtype=dt.as_numpy_dtype)
        if dt == dtypes.string:
            arr = _utf8(arr)
    except (ValueError, OverflowError) as e:
        raise TypeError("Cannot convert %r to a tensor of dtype %s: %s" % (value, dt.name, e)) from None
    if shape is not None:
        shape = [int(d) for d in as_shape(shape).as_list()]
        if verify_shape and list(arr.shape) != shape:
            raise TypeError("Expected Tensor's shape: %s, got %s." % (tuple(shape), arr.shape))
        if arr.size == 1:
            arr = np.broadcast_to(arr.reshape(()), shape).copy()
        elif arr.size == int(np.prod(shape)):
            arr = arr.reshape(shape)
        else:
            raise ValueError("Too many elements provided. Needed at most %d, but received %d"
                             % (int(np.prod(shape)), arr.size))
    arr.setflags(write=False)
    g = _graph.get_default_graph()
    return g.create_op("Const", [], {"value": arr, "dtype": dt}, name).outputs[0]


def _encode(s):
    if isinstance(s, str):
        return s.encode("utf-8")
    if isinstance(s, (bytes, np.bytes_)):
        return bytes(s)
    raise TypeError("Expected string, got %r of type '%s' instead." % (s, type(s).__name__))


_encode_all = np.frompyfunc(_encode, 1, 1)


def _utf8(arr):
    """An object array of bytes, as TF holds strings: str elements become UTF-8."""
    out = np.empty(arr.shape, dtype=object)
    out[...] = _encode_all(arr)
    return out


def _constant_factory(value, dtype, name):
    try:
        return constant(value, dtype=dtype, name=name or "Const")
    except ValueError as e:  # ragged nested lists and the like
        raise TypeError("Failed to convert object of type %s to Tensor: %s" % (type(value), e)) from None


_graph.set_constant_factory(_constant_factory)
convert_to_tensor = _graph.convert_to_tensor


def _placeholder_infer(attrs):
    return [(attrs["dtype"], attrs["shape"])]


def _placeholder_bind(op, ctx):
    def missing_feed():
        raise errors.InvalidArgumentError(
            None, op, "You must feed a value for placeholder tensor '%s' with dtype %s%s\n\t [[node %s]]"
            % (op.name, _tf_type_name(op.attrs["dtype"]),
               "" if op.attrs["shape"].dims is None else " and shape " + op.attrs["shape"].as_bracket_str(),
               op.name))
    return missing_feed


register_op("Placeholder", infer=_placeholder_infer, bind=_placeholder_bind)(None)  # bound: see bind


NotDifferentiable("Placeholder")


def _tf_type_name(dt):
    """TF's DataTypeString spelling used in messages: float32 is 'float', float64 'double'."""
    return {"float32": "float", "float64": "double", "float16": "half"}.get(dt.name, dt.name)


def placeholder(dtype, shape=None, name=None):
    """A tensor that must be fed in `Session.run` (tf.placeholder).

    Args:
      dtype: the element type.
      shape: the static shape; None dims (or shape=None) accept any size.
      name: the op name (default "Placeholder").

    Returns:
      A Tensor.
    """
    dt = dtypes.as_dtype(dtype)
    shp = as_shape(shape)
    g = _graph.get_default_graph()
    return g.create_op("Placeholder", [], {"dtype": dt, "shape": shp}, name or "Placeholder").outputs[0]


def _pwd_infer(attrs, x):
    return [(x.dtype, attrs["shape"])]


@register_op("PlaceholderWithDefault", infer=_pwd_infer)
def _pwd_kernel(xp, attrs, x):
    return x


@register_gradient("PlaceholderWithDefault")
def _pwd_grad(op, grad):
    return [grad]


def placeholder_with_default(input, shape, name=None):  # noqa: A002 - TF's argument name
    """A placeholder that yields `input` when not fed.

    Raises:
      ValueError: `input`'s static shape is not compatible with `shape`.
    """
    x = convert_to_tensor(input)
    shp = as_shape(shape)
    if not x.shape.is_compatible_with(shp):
        raise ValueError("Shapes %s and %s are incompatible" % (x.shape, shp))
    g = _graph.get_default_graph()
    return g.create_op("PlaceholderWithDefault", [x], {"shape": shp},
                       name or "PlaceholderWithDefault").outputs[0]
