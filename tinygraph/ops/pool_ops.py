"""Pooling ops: MaxPool (+ MaxPoolGrad, MaxPoolGradGrad) and AvgPool (+ AvgPoolGrad).

Kernels, static shape inference and gradients side by side, with TF's op type names;
every gradient op has a gradient too. Windows are read as kh*kw strided taps of the
(padded) NHWC input: max pooling takes their running maximum (SAME padding never
wins), average pooling their sum over the number of real inputs each window covers
(padding is not counted, as in TF). The gradient of max pooling goes to the first
largest entry of each window, as TF's CPU kernel.
"""
from ..backend import host_ints
from ..framework import errors
from ..framework import graph as _graph
from ..framework.registry import register_gradient, register_op
from ..passes.aliasing import mark_fresh_output
from ..framework.tensor_shape import TensorShape
from . import array_ops
from .conv_utils import (Geometry, check_batch_depth, check_data_format, check_padding,
                         check_positive, dims4, float_tensor, from_nhwc, from_nhwc_dims,
                         nhwc_shape, sequence, sizes_infer, spatial, to_nhwc, window_out_dims)

__all__ = ["max_pool", "avg_pool", "max_pool2d", "avg_pool2d"]

_op = _graph.op_output


# -- shapes and windows ------------------------------------------------------------------------
def _pool_infer_for(op_type):
    def infer(attrs, x, *rest):
        xd = dims4(x, op_type, x.shape)
        if xd is None:
            return [(x.dtype, TensorShape([None] * 4))]
        xd = list(nhwc_shape(attrs, xd))
        kh, kw = spatial(attrs, "ksize")
        out = window_out_dims(op_type, attrs, xd, kh, kw, xd[3], (x.shape,))
        return [(x.dtype, TensorShape(from_nhwc_dims(attrs, out)))]
    return infer


def _pool_geometry(attrs, x_nhwc_shape):
    check_batch_depth(attrs, "ksize", "pooling")
    check_batch_depth(attrs, "strides", "strides")
    kh, kw = spatial(attrs, "ksize")
    g = Geometry(x_nhwc_shape[1], x_nhwc_shape[2], kh, kw, attrs)
    if g.oh < 1 or g.ow < 1:
        raise errors.InvalidArgumentError(
            None, None, "Computed output size would be negative: input %s, ksize %s"
                        % (list(x_nhwc_shape[1:3]), [kh, kw]))
    return g


def _lowest(xp, dtype):
    return -xp.inf if dtype.kind == "f" else xp.iinfo(dtype).min


def _first_max_masks(xp, x, y, g):
    """(i, j, mask) per window tap: mask marks the outputs whose first largest window
    entry (in row-major tap order, as TF's CPU kernel) is that tap. `y` is the pooled
    output, so each tap costs one comparison and two mask updates."""
    xpad = g.padded(xp, x, _lowest(xp, x.dtype))
    taken = None
    for i, j in g.taps():
        m = xpad[g.tap(i, j)] == y
        if taken is None:
            taken = m
        else:
            m &= ~taken  # ties keep the earlier tap
            taken |= m
        yield i, j, m


def _tiles(g):
    """True when the windows cover the input exactly once (k == stride, no padding)."""
    return (g.kh == g.sh and g.kw == g.sw and not (g.pt or g.pb or g.pl or g.pr)
            and g.oh * g.kh == g.h and g.ow * g.kw == g.w)


@register_op("MaxPool", infer=_pool_infer_for("MaxPool"))
def _max_pool_kernel(xp, attrs, x):
    x = to_nhwc(attrs, x)
    g = _pool_geometry(attrs, x.shape)
    xpad = g.padded(xp, x, _lowest(xp, x.dtype))
    out = xpad[g.tap(0, 0)].copy()
    for i, j in g.taps()[1:]:
        xp.maximum(out, xpad[g.tap(i, j)], out=out)
    return from_nhwc(attrs, out)


def _max_pool_grad_infer(attrs, x, y, dy):
    return [(x.dtype, x.shape)]


@register_op("MaxPoolGrad", infer=_max_pool_grad_infer)
def _max_pool_grad_kernel(xp, attrs, x, y, dy):
    x, y, dy = to_nhwc(attrs, x), to_nhwc(attrs, y), to_nhwc(attrs, dy)
    g = _pool_geometry(attrs, x.shape)
    n, c = x.shape[0], x.shape[3]
    if _tiles(g):  # every input is in exactly one window: write, don't accumulate
        dx = xp.empty(x.shape, dtype=dy.dtype)
        for i, j, m in _first_max_masks(xp, x, y, g):
            xp.multiply(dy, m, out=dx[g.tap(i, j)])
        return from_nhwc(attrs, dx)
    dxpad = xp.zeros(g.padded_shape(n, c), dtype=dy.dtype)
    for i, j, m in _first_max_masks(xp, x, y, g):
        dxpad[g.tap(i, j)] += dy * m
    return from_nhwc(attrs, g.crop(dxpad))


def _max_pool_grad_grad_infer(attrs, x, y, ddx):
    return [(x.dtype, y.shape)]


@register_op("MaxPoolGradGrad", infer=_max_pool_grad_grad_infer)
def _max_pool_grad_grad_kernel(xp, attrs, x, y, ddx):
    x, y, ddx = to_nhwc(attrs, x), to_nhwc(attrs, y), to_nhwc(attrs, ddx)
    g = _pool_geometry(attrs, x.shape)
    ddxpad = g.padded(xp, ddx)
    out = xp.zeros(y.shape, dtype=ddx.dtype)
    for i, j, m in _first_max_masks(xp, x, y, g):
        out += ddxpad[g.tap(i, j)] * m
    return from_nhwc(attrs, out)


@register_gradient("MaxPool")
def _max_pool_grad(op, grad):
    return [_op("MaxPoolGrad", [op.inputs[0], op.outputs[0], grad], op.attrs)]


@register_gradient("MaxPoolGrad")
def _max_pool_grad_grad(op, grad):
    x, y, _ = op.inputs
    return [array_ops.zeros_like(x), array_ops.zeros_like(y),
            _op("MaxPoolGradGrad", [x, y, grad], op.attrs)]


@register_gradient("MaxPoolGradGrad")
def _max_pool_grad_grad_grad(op, grad):
    x, y, _ = op.inputs
    return [array_ops.zeros_like(x), array_ops.zeros_like(y),
            _op("MaxPoolGrad", [x, y, grad], op.attrs)]


def _window_counts(xp, g, dtype):
    """[1, OH, OW, 1]: how many real (unpadded) inputs each window covers."""
    ones = g.padded(xp, xp.ones((1, g.h, g.w, 1), dtype=dtype))
    count = xp.zeros((1, g.oh, g.ow, 1), dtype=dtype)
    for i, j in g.taps():
        count += ones[g.tap(i, j)]
    return count


@register_op("AvgPool", infer=_pool_infer_for("AvgPool"))
def _avg_pool_kernel(xp, attrs, x):
    x = to_nhwc(attrs, x)
    g = _pool_geometry(attrs, x.shape)
    xpad = g.padded(xp, x)
    out = xpad[g.tap(0, 0)].copy()
    for i, j in g.taps()[1:]:
        out += xpad[g.tap(i, j)]
    out /= _window_counts(xp, g, x.dtype)  # SAME: padding is not counted, as in TF
    return from_nhwc(attrs, out)


def _avg_pool_grad_infer(attrs, sizes, dy):
    return [(dy.dtype, sizes_infer(sizes, "AvgPoolGrad", dy.dtype))]


@register_op("AvgPoolGrad", infer=_avg_pool_grad_infer)
def _avg_pool_grad_kernel(xp, attrs, sizes, dy):
    x_shape = nhwc_shape(attrs, host_ints(sizes))
    dy = to_nhwc(attrs, dy)
    g = _pool_geometry(attrs, x_shape)
    share = dy / _window_counts(xp, g, dy.dtype)
    dxpad = xp.zeros(g.padded_shape(x_shape[0], x_shape[3]), dtype=dy.dtype)
    for i, j in g.taps():
        dxpad[g.tap(i, j)] += share
    return from_nhwc(attrs, g.crop(dxpad))


mark_fresh_output("MaxPool", "MaxPoolGrad", "MaxPoolGradGrad", "AvgPool", "AvgPoolGrad")


@register_gradient("AvgPool")
def _avg_pool_grad(op, grad):
    return [_op("AvgPoolGrad", [array_ops.shape(op.inputs[0]), grad], op.attrs)]


@register_gradient("AvgPoolGrad")
def _avg_pool_grad_grad(op, grad):
    return [None, _op("AvgPool", [grad], op.attrs)]



# -- the public functions --------------------------------------------------------------------------
def _pool(op_type, value, ksize, strides, padding, data_format, name):
    fmt = check_data_format(data_format, op_type)
    attrs = {"ksize": sequence(ksize, 2, fmt, "ksize"),
             "strides": sequence(strides, 2, fmt, "strides"),
             "padding": check_padding(padding, op_type), "data_format": fmt}
    check_positive(attrs["ksize"], "Sliding window ksize", op_type)
    check_positive(attrs["strides"], "Sliding window stride", op_type)
    with _graph.name_scope(name, op_type) as scope:
        x = float_tensor(value, "input", op_type)
        return _op(op_type, [x], attrs, name=scope)


def max_pool(value, ksize, strides, padding, data_format="NHWC", name=None, input=None):  # noqa: A002
    """The maximum of each window of `value` (tf.nn.max_pool).

    Args:
      value: a float tensor [batch, height, width, channels] (NHWC) (`input`: TF 2 name).
      ksize: an int or 1, 2 or 4 ints, the window size; batch and channel entries 1.
      strides: an int or 1, 2 or 4 ints, the window's step.
      padding: "SAME" (padding never wins) or "VALID".
      data_format: "NHWC" or "NCHW".
      name: the op name (default "MaxPool").

    Returns:
      A tensor [batch, out_height, out_width, channels]. The gradient goes to the first
      largest entry of each window.

    Raises:
      ValueError: a rank other than 4, a VALID window larger than the input, bad
        ksize/strides/padding.
    """
    return _pool("MaxPool", input if value is None else value, ksize, strides, padding,
                 data_format, name)


def avg_pool(value, ksize, strides, padding, data_format="NHWC", name=None, input=None):  # noqa: A002
    """The mean of each window of `value` (tf.nn.avg_pool); SAME padding is not counted.

    Args and Raises as max_pool (default name "AvgPool").
    """
    return _pool("AvgPool", input if value is None else value, ksize, strides, padding,
                 data_format, name)


def max_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    """tf.nn.max_pool2d: max_pool with TF 2's argument name."""
    return max_pool(input, ksize, strides, padding, data_format, name)


def avg_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    """tf.nn.avg_pool2d: avg_pool with TF 2's argument name."""
    return avg_pool(input, ksize, strides, padding, data_format, name)
