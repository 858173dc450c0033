"""Shared by the window ops (conv_ops.py, pool_ops.py): output sizes and padding as TF
computes them, NHWC/NCHW layout, static-shape checks with TF's messages, and the
argument normalization of tf.nn's convolution and pooling functions."""
from ..framework import dtypes, errors
from ..framework import graph as _graph
from ..framework.tensor_shape import TensorShape
from .shape_utils import constant_value

FLOATS = (dtypes.float16, dtypes.float32, dtypes.float64)


# -- geometry (host side) ---------------------------------------------------------------------
def spatial(attrs, key, default=1):
    """(h, w) entries of a 4-vector attr in the op's data format."""
    v = attrs.get(key)
    if v is None:
        return default, default
    return (v[2], v[3]) if attrs["data_format"] == "NCHW" else (v[1], v[2])


def out_size(size, k, stride, dilation, padding):
    """(output size, pad before, pad after) of one spatial axis, as TF computes them.

    `size` or `k` may be None (unknown): the output size is then None, except for SAME
    padding, whose output size does not depend on the window (as TF infers it).
    """
    if size is not None and k is None and padding == "SAME":
        return -(-size // stride), 0, 0
    if size is None or k is None:
        return None, 0, 0
    eff = (k - 1) * dilation + 1
    if padding == "VALID":
        return (size - eff) // stride + 1 if size >= eff else -1, 0, 0
    out = -(-size // stride)
    total = max((out - 1) * stride + eff - size, 0)
    return out, total // 2, total - total // 2


class Geometry:
    """Output size and padding of a 2-D window op on an NHWC input of spatial size (h, w)."""

    def __init__(self, h, w, kh, kw, attrs):
        self.kh, self.kw = kh, kw
        self.sh, self.sw = spatial(attrs, "strides")
        self.dh, self.dw = spatial(attrs, "dilations")
        padding = attrs["padding"]
        self.oh, self.pt, self.pb = out_size(h, kh, self.sh, self.dh, padding)
        self.ow, self.pl, self.pr = out_size(w, kw, self.sw, self.dw, padding)
        self.h, self.w = h, w

    def padded(self, xp, x, value=0):
        """x with this geometry's padding (x itself when there is none)."""
        if not (self.pt or self.pb or self.pl or self.pr):
            return x
        return xp.pad(x, ((0, 0), (self.pt, self.pb), (self.pl, self.pr), (0, 0)),
                      mode="constant", constant_values=value)

    def tap(self, i, j):
        """The index of the padded input that window tap (i, j) reads at every output."""
        r0, c0 = i * self.dh, j * self.dw
        return (slice(None), slice(r0, r0 + (self.oh - 1) * self.sh + 1, self.sh),
                slice(c0, c0 + (self.ow - 1) * self.sw + 1, self.sw), slice(None))

    def taps(self):
        return [(i, j) for i in range(self.kh) for j in range(self.kw)]

    def padded_shape(self, n, c):
        return (n, self.h + self.pt + self.pb, self.w + self.pl + self.pr, c)

    def crop(self, xpad):
        return xpad[:, self.pt:self.pt + self.h, self.pl:self.pl + self.w, :]


def to_nhwc(attrs, x):
    return x.transpose(0, 2, 3, 1) if attrs["data_format"] == "NCHW" else x


def from_nhwc(attrs, x):
    return x.transpose(0, 3, 1, 2) if attrs["data_format"] == "NCHW" else x


def nhwc_shape(attrs, shape):
    """An NHWC-ordered tuple from a shape given in the op's data format."""
    n, a, b, c = shape
    return (n, b, c, a) if attrs["data_format"] == "NCHW" else (n, a, b, c)


def from_nhwc_dims(attrs, dims):
    n, h, w, c = dims
    return [n, c, h, w] if attrs["data_format"] == "NCHW" else [n, h, w, c]


def check_batch_depth(attrs, key, what):
    v = attrs[key]
    c = 1 if attrs["data_format"] == "NCHW" else 3
    if v[0] != 1 or v[c] != 1:
        raise errors.InvalidArgumentError(
            None, None, "Current implementation does not yet support %s in the batch and "
                        "depth dimensions." % what)



# -- static shapes ------------------------------------------------------------------------------
def fmt(shape):
    if shape.dims is None:
        return "?"
    return "[%s]" % ",".join("?" if d is None else str(d) for d in shape.dims)


def shape_error(msg, op_type, *shapes):
    return ValueError("%s for '%s' (op: '%s') with input shapes: %s." % (
        msg, op_type, op_type, ", ".join(fmt(s) for s in shapes)))


def dims4(t, op_type, *shapes):
    """The 4 dims of `t`'s static shape (None entries unknown), or None for unknown rank."""
    nd = t.shape.ndims
    if nd is None:
        return None
    if nd != 4:
        raise shape_error("Shape must be rank 4 but is rank %d" % nd, op_type, *shapes)
    return list(t.shape.dims)


def window_out_dims(op_type, attrs, in_dims, kh, kw, out_c, shapes):
    """NHWC-ordered output dims of a window op, checking VALID windows fit."""
    n, h, w, c = in_dims
    g = Geometry(h, w, kh, kw, attrs)
    for size, k, d, out in ((h, kh, g.dh, g.oh), (w, kw, g.dw, g.ow)):
        if out is not None and out < 1:
            raise shape_error("Negative dimension size caused by subtracting %d from %d"
                               % ((k - 1) * d + 1, size), op_type, *shapes)
    return [n, g.oh, g.ow, out_c]


def sizes_infer(sizes, op_type, dtype):
    """The static shape held by a 1-D sizes tensor (input_sizes / filter_sizes)."""
    if sizes.shape.ndims is not None and sizes.shape.ndims != 1:
        raise ValueError("Shape must be rank 1 but is rank %d for '%s' (op: '%s')"
                         % (sizes.shape.ndims, op_type, op_type))
    n = sizes.shape.dims[0] if sizes.shape.ndims == 1 else None
    if n is not None and n != 4:
        raise ValueError("%s requires %s to contain 4 values, but got: %d for '%s' (op: '%s')"
                         % (op_type, "input_sizes" if "Input" in op_type else "filter_sizes",
                            n, op_type, op_type))
    v = constant_value(sizes)
    if v is None:
        return TensorShape([None] * 4)
    return TensorShape([int(d) for d in v.reshape(-1)])


# -- arguments of the public functions -----------------------------------------------------
def float_tensor(value, arg, op_type):
    t = _graph.convert_to_tensor(value, name=arg)
    if t.dtype not in FLOATS:
        raise TypeError("Value passed to parameter '%s' has DataType %s not in list of allowed "
                        "values: float16, float32, float64" % (arg, t.dtype.name))
    return t


def same_dtype(x, f, op_type, arg="filter", first="input"):
    f = _graph.convert_to_tensor(f, dtype=x.dtype if not _graph.is_tensor_like(f) else None, name=arg)
    if f.dtype != x.dtype:
        raise TypeError("Input '%s' of '%s' Op has type %s that does not match type %s of "
                        "argument '%s'." % (arg, op_type, f.dtype.name, x.dtype.name, first))
    return f


def check_data_format(data_format, op_type):
    fmt = "NHWC" if data_format is None else data_format
    if fmt not in ("NHWC", "NCHW"):
        raise ValueError("Attr 'data_format' of '%s' Op passed string '%s' not in: \"NHWC\", "
                         "\"NCHW\"." % (op_type, fmt))
    return fmt


def check_padding(padding, op_type):
    if padding == "EXPLICIT" or isinstance(padding, (list, tuple)):
        raise ValueError("Explicit padding is not supported by tinygraph's %s; pad with tf.pad "
                         "and use VALID" % op_type)
    if padding not in ("SAME", "VALID"):
        raise ValueError("Attr 'padding' of '%s' Op passed string '%s' not in: \"SAME\", "
                         "\"VALID\", \"EXPLICIT\"." % (op_type, padding))
    return padding


def sequence(value, n, data_format, name):
    """A 4-vector attr from an int, or 1, 2 or 4 ints (as TF's _get_sequence)."""
    if value is None:
        return [1, 1, 1, 1]
    if isinstance(value, int):
        value = [value]
    value = [int(v) for v in value]
    if len(value) == 1:
        value = value * n
    if len(value) == n:
        return [1, 1] + value if data_format == "NCHW" else [1] + value + [1]
    if len(value) == n + 2:
        return value
    raise ValueError("%s should be of length 1, %d or %d. Received: %s=%s of length %d"
                     % (name, n, n + 2, name, value, len(value)))


def check_positive(values, what, op_type):
    if any(v < 1 for v in values):
        raise ValueError("%s must be > 0, but got %d for '%s' (op: '%s')"
                         % (what, min(values), op_type, op_type))
