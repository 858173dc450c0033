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
      shape: optional shape; where `value` has fewer elements, the last one is
        repeated (TF 1.x).
      name: the op name.
      verify_shape: if True, `value` must already have `shape`.

    Returns:
      A Tensor.

    Raises:
      TypeError: `value` cannot be converted to `dtype`, or holds objects that are not
        numbers or strings (sets, generators, arbitrary objects).
      ValueError: `value` is None, ragged, has more elements than `shape` holds, or
        `shape` has a negative dimension.
    """
    if isinstance(value, _graph.Tensor):
        raise TypeError("tf.constant needs a Python or numpy value, not the Tensor %s" % value.name)
    if value is None:
        raise ValueError("None values not supported.")
    dt = dtypes.as_dtype(dtype) if dtype is not None else dtypes.dtype_of_value(value)
    if dt == dtypes.string:
        _check_strings(value)
    try:
        if dt.is_integer and not isinstance(value, (np.ndarray, np.generic)) \
                and np.asarray(value).dtype.kind == "f":
            # Python floats for an integer dtype (TF's _AssertCompatible); arrays are cast
            arr = np.asarray(value)
            if np.any(arr != np.floor(arr)):
                raise TypeError("Expected %s, got %r of type '%s' instead." % (
                    dt.name, value, type(value).__name__))
        arr = np.asarray(value, dtype=dt.as_numpy_dtype)
        if dt == dtypes.string:
            arr = _utf8(arr)
    except (ValueError, OverflowError) as e:
        if "sequence" in str(e):  # ragged nested lists: numpy's ValueError, as in TF
            raise
        raise TypeError("Cannot convert %r to a tensor of dtype %s: %s" % (value, dt.name, e)) from None
    if isinstance(value, np.ndarray) and np.may_share_memory(arr, value):
        arr = arr.copy()  # the constant owns its value (and the caller's array stays writable)
    if shape is not None:
        shape = [int(d) for d in _make_shape(shape, "shape").as_list()]
        if verify_shape and list(arr.shape) != shape:
            raise TypeError("Expected Tensor's shape: %s, got %s." % (tuple(shape), arr.shape))
        arr = _fill_to(arr, shape)
    arr.setflags(write=False)
    g = _graph.get_default_graph()
    return g.create_op("Const", [], {"value": arr, "dtype": dt}, name).outputs[0]


def _fill_to(arr, shape):
    """`arr` laid out in `shape`: TF repeats the last value where fewer are given
    (none given: zeros).

    Raises:
      ValueError: more values than `shape` holds.
    """
    size = 1
    for d in shape:
        size *= d
    if size == 0:  # TF ignores the values for an empty shape
        return np.zeros(shape, dtype=arr.dtype)
    if arr.size > size:
        raise ValueError("Too many elements provided. Needed at most %d, but received %d"
                         % (size, arr.size))
    flat = arr.reshape(-1)
    if arr.size == size:
        return flat.reshape(shape)
    out = np.zeros(size, dtype=arr.dtype) if arr.dtype != object else np.full(size, b"", dtype=object)
    if arr.size:
        out[:arr.size] = flat
        out[arr.size:] = flat[-1]
    return out.reshape(shape)


def _check_strings(value):
    """TF converts to tf.string only strings (str, bytes); anything else is a TypeError."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "US":
            return
        leaves = value.reshape(-1).tolist() if value.dtype.kind == "O" else [None]
    elif isinstance(value, (list, tuple)):
        leaves = list(_leaves(value))
    else:
        leaves = [value]
    for leaf in leaves:
        if not isinstance(leaf, (str, bytes, np.str_, np.bytes_)):
            raise TypeError("Failed to convert object of type %s to Tensor. Contents: %s. Consider "
                            "casting elements to a supported type." % (type(value), value))


def _leaves(value):
    for v in value:
        if isinstance(v, (list, tuple)):
            yield from _leaves(v)
        else:
            yield v


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
    except ValueError as e:
        if "sequence" in str(e) or value is None:  # ragged lists, None: TF's ValueError
            raise
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

    Raises:
      ValueError: a dimension is negative or not integral (TF: "Error converting shape
        to a TensorShape: Dimension -3 must be >= 0.").
      TypeError: a dimension is not a number.
    """
    dt = dtypes.as_dtype(dtype)
    shp = _make_shape(shape, "shape")
    g = _graph.get_default_graph()
    return g.create_op("Placeholder", [], {"dtype": dt, "shape": shp}, name or "Placeholder").outputs[0]


def _make_shape(shape, arg_name):
    """as_shape(shape), failing as TF's op wrappers do (the class kept, the argument named)."""
    try:
        return as_shape(shape)
    except (TypeError, ValueError) as e:
        raise type(e)("Error converting %s to a TensorShape: %s." % (arg_name, e)) from None


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
    shp = _make_shape(shape, "shape")
    if not x.shape.is_compatible_with(shp):
        raise ValueError("Shapes %s and %s are incompatible" % (x.shape, shp))
    g = _graph.get_default_graph()
    return g.create_op("PlaceholderWithDefault", [x], {"shape": shp},
                       name or "PlaceholderWithDefault").outputs[0]
