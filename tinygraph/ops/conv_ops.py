"""Convolution ops: Conv2D (+ Conv2DBackpropInput, Conv2DBackpropFilter) and
DepthwiseConv2dNative (+ its BackpropInput/Filter); pooling is in pool_ops.py.

Each op has its kernel, static shape inference and gradient side by side, with TF's op
type names. Every gradient op has a gradient too (as in TF), so second derivatives work.

Kernels work on NHWC arrays (NCHW inputs are transposed in and out). A convolution
copies the windows of the padded input (a strided view) into one [N*OH*OW, kh*kw*C]
matrix (im2col) and multiplies it by the [kh*kw*C, OC] filter once; the filter's
gradient is that matrix transposed times dy, and the input's gradient adds each tap's
dy @ filter[i, j]^T back with kh*kw strided adds. Padding follows TF (conv_utils.py):
SAME gives ceil(in / stride) outputs and pads (total // 2) before, the rest after.
"""
from ..backend import host_ints
from ..framework import dtypes, errors
from ..framework import graph as _graph
from ..framework.registry import register_gradient, register_op
from ..passes.aliasing import mark_fresh_output
from ..framework.tensor_shape import TensorShape
from . import array_ops
from .conv_utils import (Geometry, check_batch_depth, check_data_format, check_padding,
                         check_positive, dims4, float_tensor, from_nhwc, from_nhwc_dims,
                         nhwc_shape, same_dtype, sequence, shape_error, sizes_infer, to_nhwc,
                         window_out_dims)
from .pool_ops import avg_pool, avg_pool2d, max_pool, max_pool2d  # noqa: F401 - tf.nn names

__all__ = ["conv2d", "atrous_conv2d", "conv2d_transpose", "conv2d_backprop_input",
           "conv2d_backprop_filter", "depthwise_conv2d", "depthwise_conv2d_native", "max_pool",
           "avg_pool", "max_pool2d", "avg_pool2d"]

_op = _graph.op_output


# -- im2col --------------------------------------------------------------------------------------
def _im2col(xp, x, g):
    """[N*OH*OW, kh*kw*C]: row (n, oh, ow) holds the window of that output.

    A strided view of the padded input holds every window without a copy; the reshape
    copies it once into the matrix (faster than kh*kw slice copies for few channels).
    """
    xpad = g.padded(xp, x)
    n, c = x.shape[0], x.shape[3]
    sn, sh, sw, sc = xpad.strides
    windows = xp.lib.stride_tricks.as_strided(
        xpad, (n, g.oh, g.ow, g.kh, g.kw, c),
        (sn, sh * g.sh, sw * g.sw, sh * g.dh, sw * g.dw, sc))
    return windows.reshape(n * g.oh * g.ow, g.kh * g.kw * c)


def _conv_input_grad(xp, dy, f, g, n, c):
    """The adjoint of the convolution for its input: each tap's dy @ f[i, j]^T added back
    where that tap read (kh*kw small matmuls; their outputs are contiguous, so the strided
    adds run over whole rows of channels)."""
    oc = f.shape[3]
    dy2 = dy.reshape(-1, oc)
    xpad = xp.zeros(g.padded_shape(n, c), dtype=dy.dtype)
    for i, j in g.taps():
        xpad[g.tap(i, j)] += (dy2 @ f[i, j].T).reshape(n, g.oh, g.ow, c)
    return g.crop(xpad)


def _conv_infer(attrs, x, f):
    shapes = (x.shape, f.shape)
    xd, fd = dims4(x, "Conv2D", *shapes), dims4(f, "Conv2D", *shapes)
    xd = list(nhwc_shape(attrs, xd)) if xd is not None else [None] * 4  # as TF: rank 4
    kh, kw, fc, oc = fd if fd is not None else (None,) * 4
    c = xd[3]
    if c is not None and fc is not None and c % fc != 0:
        raise shape_error("Depth of input (%d) is not a multiple of input depth of filter (%d)"
                           % (c, fc), "Conv2D", *shapes)
    out = window_out_dims("Conv2D", attrs, xd, kh, kw, oc, shapes)
    return [(x.dtype, TensorShape(from_nhwc_dims(attrs, out)))]


def _backprop_input_infer(attrs, sizes, f, dy):
    shape = sizes_infer(sizes, "Conv2DBackpropInput", f.dtype)
    fd = f.shape.dims if f.shape.ndims == 4 else None
    if f.shape.ndims is not None and f.shape.ndims != 4:
        raise shape_error("Shape must be rank 4 but is rank %d" % f.shape.ndims,
                           "Conv2DBackpropInput", sizes.shape, f.shape, dy.shape)
    dyd = dims4(dy, "Conv2DBackpropInput", sizes.shape, f.shape, dy.shape)
    if fd is not None and dyd is not None:
        oc = nhwc_shape(attrs, dyd)[3]
        if oc is not None and fd[3] is not None and oc != fd[3]:
            raise shape_error("Dimensions must be equal, but are %d and %d" % (oc, fd[3]),
                               "Conv2DBackpropInput", sizes.shape, f.shape, dy.shape)
    return [(f.dtype, shape)]


def _backprop_filter_infer(attrs, x, sizes, dy):
    return [(x.dtype, sizes_infer(sizes, "Conv2DBackpropFilter", x.dtype))]


# -- Conv2D --------------------------------------------------------------------------------------
def _conv_geometry(attrs, x_nhwc_shape, f_shape):
    return Geometry(x_nhwc_shape[1], x_nhwc_shape[2], f_shape[0], f_shape[1], attrs)


def _check_depth(c, fc):
    if c != fc:
        raise errors.InvalidArgumentError(
            None, None, "input depth must be evenly divisible by filter depth: %d vs %d" % (c, fc)
            if c % fc else "Grouped convolution (input depth %d, filter depth %d) is not "
                           "supported" % (c, fc))


@register_op("Conv2D", infer=_conv_infer)
def _conv2d_kernel(xp, attrs, x, f):
    check_batch_depth(attrs, "strides", "strides")
    x = to_nhwc(attrs, x)
    n, _, _, c = x.shape
    _check_depth(c, f.shape[2])
    g = _conv_geometry(attrs, x.shape, f.shape)
    if g.oh < 1 or g.ow < 1:
        raise errors.InvalidArgumentError(
            None, None, "Computed output size would be negative: input %s, filter %s"
                        % (list(x.shape[1:3]), list(f.shape[:2])))
    oc = f.shape[3]
    if g.kh == g.kw == g.sh == g.sw == 1:  # 1x1 convolution: no window gathering
        out = x.reshape(-1, c) @ f.reshape(c, oc)
    else:
        out = _im2col(xp, x, g) @ f.reshape(-1, oc)
    return from_nhwc(attrs, out.reshape(n, g.oh, g.ow, oc))


def _check_out_backprop(g, dy_nhwc_shape, x_shape, f_shape):
    for dim, (actual, computed, size, k, s, d) in enumerate(
            ((dy_nhwc_shape[1], g.oh, x_shape[1], f_shape[0], g.sh, g.dh),
             (dy_nhwc_shape[2], g.ow, x_shape[2], f_shape[1], g.sw, g.dw)), start=1):
        if actual != computed:
            raise errors.InvalidArgumentError(
                None, None, "Conv2DCustomBackpropInput: Size of out_backprop doesn't match "
                            "computed: actual = %d, computed = %d spatial_dim: %d input: %d "
                            "filter: %d output: %d stride: %d dilation: %d"
                            % (actual, computed, dim, size, k, actual, s, d))


@register_op("Conv2DBackpropInput", infer=_backprop_input_infer)
def _conv2d_backprop_input_kernel(xp, attrs, sizes, f, dy):
    check_batch_depth(attrs, "strides", "strides")
    x_shape = nhwc_shape(attrs, host_ints(sizes))
    dy = to_nhwc(attrs, dy)
    g = _conv_geometry(attrs, x_shape, f.shape)
    _check_out_backprop(g, dy.shape, x_shape, f.shape)
    if dy.shape[3] != f.shape[3]:
        raise errors.InvalidArgumentError(
            None, None, "Conv2DCustomBackpropInput: filter and out_backprop must have the same "
                        "out_depth (filter %d, out_backprop %d)" % (f.shape[3], dy.shape[3]))
    n, c = x_shape[0], x_shape[3]
    _check_depth(c, f.shape[2])
    return from_nhwc(attrs, _conv_input_grad(xp, dy, f, g, n, c))


@register_op("Conv2DBackpropFilter", infer=_backprop_filter_infer)
def _conv2d_backprop_filter_kernel(xp, attrs, x, sizes, dy):
    check_batch_depth(attrs, "strides", "strides")
    f_shape = host_ints(sizes)
    x, dy = to_nhwc(attrs, x), to_nhwc(attrs, dy)
    g = _conv_geometry(attrs, x.shape, f_shape)
    _check_out_backprop(g, dy.shape, x.shape, f_shape)
    _check_depth(x.shape[3], f_shape[2])
    dw = _im2col(xp, x, g).T @ dy.reshape(-1, dy.shape[3])
    return dw.reshape(f_shape)


mark_fresh_output("Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter")


@register_gradient("Conv2D")
def _conv2d_grad(op, grad):
    x, f = op.inputs
    return [_op("Conv2DBackpropInput", [array_ops.shape(x), f, grad], op.attrs),
            _op("Conv2DBackpropFilter", [x, array_ops.shape(f), grad], op.attrs)]


@register_gradient("Conv2DBackpropInput")
def _conv2d_backprop_input_grad(op, grad):
    _, f, dy = op.inputs
    return [None, _op("Conv2DBackpropFilter", [grad, array_ops.shape(f), dy], op.attrs),
            _op("Conv2D", [grad, f], op.attrs)]


@register_gradient("Conv2DBackpropFilter")
def _conv2d_backprop_filter_grad(op, grad):
    x, _, dy = op.inputs
    return [_op("Conv2DBackpropInput", [array_ops.shape(x), grad, dy], op.attrs), None,
            _op("Conv2D", [x, grad], op.attrs)]


# -- depthwise convolution -------------------------------------------------------------------------
def _depthwise_infer(attrs, x, f):
    shapes = (x.shape, f.shape)
    op_type = "DepthwiseConv2dNative"
    xd, fd = dims4(x, op_type, *shapes), dims4(f, op_type, *shapes)
    xd = list(nhwc_shape(attrs, xd)) if xd is not None else [None] * 4
    kh, kw, fc, m = fd if fd is not None else (None,) * 4
    c = xd[3]
    if c is not None and fc is not None and c != fc:
        raise shape_error("Dimensions must be equal, but are %d and %d" % (c, fc), op_type, *shapes)
    c = c if c is not None else fc
    oc = c * m if c is not None and m is not None else None
    out = window_out_dims(op_type, attrs, xd, kh, kw, oc, shapes)
    return [(x.dtype, TensorShape(from_nhwc_dims(attrs, out)))]


def _depthwise_input_infer(attrs, sizes, f, dy):
    return [(f.dtype, sizes_infer(sizes, "DepthwiseConv2dNativeBackpropInput", f.dtype))]


def _depthwise_filter_infer(attrs, x, sizes, dy):
    return [(x.dtype, sizes_infer(sizes, "DepthwiseConv2dNativeBackpropFilter", x.dtype))]


def _check_depthwise(c, f_shape):
    if c != f_shape[2]:
        raise errors.InvalidArgumentError(
            None, None, "input and filter must have the same depth: %d vs %d" % (c, f_shape[2]))


@register_op("DepthwiseConv2dNative", infer=_depthwise_infer)
def _depthwise_kernel(xp, attrs, x, f):
    check_batch_depth(attrs, "strides", "strides")
    x = to_nhwc(attrs, x)
    n, _, _, c = x.shape
    _check_depthwise(c, f.shape)
    g = _conv_geometry(attrs, x.shape, f.shape)
    m = f.shape[3]
    xpad = g.padded(xp, x)
    out = xp.zeros((n, g.oh, g.ow, c, m), dtype=x.dtype)
    for i, j in g.taps():
        out += xpad[g.tap(i, j)][..., None] * f[i, j]
    return from_nhwc(attrs, out.reshape(n, g.oh, g.ow, c * m))


@register_op("DepthwiseConv2dNativeBackpropInput", infer=_depthwise_input_infer)
def _depthwise_input_kernel(xp, attrs, sizes, f, dy):
    x_shape = nhwc_shape(attrs, host_ints(sizes))
    dy = to_nhwc(attrs, dy)
    n, _, _, c = x_shape
    _check_depthwise(c, f.shape)
    g = _conv_geometry(attrs, x_shape, f.shape)
    _check_out_backprop(g, dy.shape, x_shape, f.shape)
    dy = dy.reshape(n, g.oh, g.ow, c, f.shape[3])
    xpad = xp.zeros(g.padded_shape(n, c), dtype=dy.dtype)
    for i, j in g.taps():
        xpad[g.tap(i, j)] += (dy * f[i, j]).sum(axis=-1)
    return from_nhwc(attrs, g.crop(xpad))


@register_op("DepthwiseConv2dNativeBackpropFilter", infer=_depthwise_filter_infer)
def _depthwise_filter_kernel(xp, attrs, x, sizes, dy):
    f_shape = host_ints(sizes)
    x, dy = to_nhwc(attrs, x), to_nhwc(attrs, dy)
    n, _, _, c = x.shape
    _check_depthwise(c, f_shape)
    g = _conv_geometry(attrs, x.shape, f_shape)
    _check_out_backprop(g, dy.shape, x.shape, f_shape)
    dy = dy.reshape(n, g.oh, g.ow, c, f_shape[3])
    xpad = g.padded(xp, x)
    df = xp.empty(tuple(f_shape), dtype=x.dtype)
    for i, j in g.taps():
        df[i, j] = xp.einsum("nhwc,nhwcm->cm", xpad[g.tap(i, j)], dy)
    return df


mark_fresh_output("DepthwiseConv2dNative", "DepthwiseConv2dNativeBackpropInput",
                  "DepthwiseConv2dNativeBackpropFilter")


@register_gradient("DepthwiseConv2dNative")
def _depthwise_grad(op, grad):
    x, f = op.inputs
    return [_op("DepthwiseConv2dNativeBackpropInput", [array_ops.shape(x), f, grad], op.attrs),
            _op("DepthwiseConv2dNativeBackpropFilter", [x, array_ops.shape(f), grad], op.attrs)]


@register_gradient("DepthwiseConv2dNativeBackpropInput")
def _depthwise_input_grad(op, grad):
    _, f, dy = op.inputs
    return [None, _op("DepthwiseConv2dNativeBackpropFilter", [grad, array_ops.shape(f), dy], op.attrs),
            _op("DepthwiseConv2dNative", [grad, f], op.attrs)]


@register_gradient("DepthwiseConv2dNativeBackpropFilter")
def _depthwise_filter_grad(op, grad):
    x, _, dy = op.inputs
    return [_op("DepthwiseConv2dNativeBackpropInput", [array_ops.shape(x), grad, dy], op.attrs),
            None, _op("DepthwiseConv2dNative", [x, grad], op.attrs)]


# -- the public functions --------------------------------------------------------------------------
def _conv_attrs(strides, padding, data_format, dilations, op_type, cudnn=True):
    fmt = check_data_format(data_format, op_type)
    attrs = {"strides": sequence(strides, 2, fmt, "strides"),
             "padding": check_padding(padding, op_type),
             "data_format": fmt, "dilations": sequence(dilations, 2, fmt, "dilations")}
    check_positive(attrs["strides"], "Stride", op_type)
    check_positive(attrs["dilations"], "Dilation", op_type)
    if op_type.startswith("Conv2D"):
        attrs["use_cudnn_on_gpu"] = bool(cudnn)
    return attrs


def conv2d(input, filter=None, strides=None, padding=None, use_cudnn_on_gpu=True,  # noqa: A002
           data_format="NHWC", dilations=[1, 1, 1, 1], name=None, filters=None):  # noqa: B006
    """2-D convolution (cross-correlation, as TF) of `input` with `filter` (tf.nn.conv2d).

    Args:
      input: a float tensor [batch, height, width, channels] (NHWC) or
        [batch, channels, height, width] (NCHW).
      filter: a tensor [filter_height, filter_width, in_channels, out_channels] of
        `input`'s dtype (`filters` is its TF 2 name).
      strides: an int or 1, 2 or 4 ints: the window's step along each axis of `input`;
        the batch and channel entries must be 1.
      padding: "SAME" (output size ceil(in / stride), zero padding) or "VALID".
      use_cudnn_on_gpu: accepted for TF's signature; no effect.
      data_format: "NHWC" (default) or "NCHW".
      dilations: an int or 1, 2 or 4 ints: the spacing of the filter taps. (TF 1.x's
        CPU kernels refuse dilations above 1 at run time, its GPU kernels compute them;
        tinygraph computes them on every backend, with the values of tf.nn.convolution.)
      name: the op name (default "Conv2D").

    Returns:
      A tensor [batch, out_height, out_width, out_channels] (in `data_format`).

    Raises:
      ValueError: a rank other than 4, input channels that do not match the filter's,
        a VALID window larger than the padded input, bad strides/padding/data_format.
      TypeError: a non-float input or a filter of another dtype.
    """
    if filters is not None:
        filter = filters  # noqa: A001
    attrs = _conv_attrs(strides, padding, data_format, dilations, "Conv2D", use_cudnn_on_gpu)
    with _graph.name_scope(name, "Conv2D") as scope:
        x = float_tensor(input, "input", "Conv2D")
        f = same_dtype(x, filter, "Conv2D")
        return _op("Conv2D", [x, f], attrs, name=scope)


def atrous_conv2d(value, filters, rate, padding, name=None):
    """Dilated ("atrous") 2-D convolution with stride 1 (tf.nn.atrous_conv2d).

    Args:
      value: a float tensor [batch, height, width, channels] (NHWC).
      filters: [kh, kw, in_channels, out_channels].
      rate: a positive int, the spacing of the filter taps in both spatial axes.
      padding: "SAME" or "VALID".
      name: the op name (default "atrous_conv2d").

    Returns:
      conv2d(value, filters, 1, padding, dilations=rate): the values TF computes
      (TF builds them from space_to_batch; here one dilated Conv2D op).

    Raises:
      ValueError: rate below 1, or as conv2d.
    """
    if int(rate) < 1:
        raise ValueError("rate %s cannot be less than one" % rate)
    with _graph.name_scope(name, "atrous_conv2d") as scope:
        return conv2d(value, filters, [1, 1, 1, 1], padding, dilations=[1, int(rate), int(rate), 1],
                      name=scope)


def conv2d_backprop_input(input_sizes, filter=None, out_backprop=None, strides=None,  # noqa: A002
                          padding=None, use_cudnn_on_gpu=True, data_format="NHWC",
                          dilations=[1, 1, 1, 1], name=None, filters=None):  # noqa: B006
    """The gradient of conv2d with respect to its input (tf.nn.conv2d_backprop_input).

    Args:
      input_sizes: a 1-D int32 tensor of 4 values, the input's shape.
      filter: the convolution's filter [kh, kw, in_channels, out_channels].
      out_backprop: the gradient of the convolution's output.
      strides, padding, data_format, dilations: as in conv2d.

    Returns:
      A tensor of shape `input_sizes`.
    """
    if filters is not None:
        filter = filters  # noqa: A001
    attrs = _conv_attrs(strides, padding, data_format, dilations, "Conv2DBackpropInput",
                        use_cudnn_on_gpu)
    with _graph.name_scope(name, "Conv2DBackpropInput") as scope:
        f = float_tensor(filter, "filter", "Conv2DBackpropInput")
        dy = same_dtype(f, out_backprop, "Conv2DBackpropInput", "out_backprop", "filter")
        sizes = _graph.convert_to_tensor(input_sizes, dtype=dtypes.int32, name="input_sizes")
        return _op("Conv2DBackpropInput", [sizes, f, dy], attrs, name=scope)


def conv2d_backprop_filter(input, filter_sizes, out_backprop, strides, padding,  # noqa: A002
                           use_cudnn_on_gpu=True, data_format="NHWC", dilations=[1, 1, 1, 1],  # noqa: B006
                           name=None):
    """The gradient of conv2d with respect to its filter (tf.nn.conv2d_backprop_filter).

    Args:
      input: the convolution's input.
      filter_sizes: a 1-D int32 tensor of 4 values, the filter's shape.
      out_backprop: the gradient of the convolution's output.
      strides, padding, data_format, dilations: as in conv2d.

    Returns:
      A tensor of shape `filter_sizes`.
    """
    attrs = _conv_attrs(strides, padding, data_format, dilations, "Conv2DBackpropFilter",
                        use_cudnn_on_gpu)
    with _graph.name_scope(name, "Conv2DBackpropFilter") as scope:
        x = float_tensor(input, "input", "Conv2DBackpropFilter")
        dy = same_dtype(x, out_backprop, "Conv2DBackpropFilter", "out_backprop")
        sizes = _graph.convert_to_tensor(filter_sizes, dtype=dtypes.int32, name="filter_sizes")
        return _op("Conv2DBackpropFilter", [x, sizes, dy], attrs, name=scope)


def conv2d_transpose(value=None, filter=None, output_shape=None, strides=None,  # noqa: A002
                     padding="SAME", data_format="NHWC", name=None, input=None, filters=None,  # noqa: A002
                     dilations=None):
    """The transpose of conv2d ("deconvolution"): the gradient of conv2d for its input.

    Args:
      value: a float tensor [batch, height, width, in_channels] (NHWC) (`input` is its
        TF 2 name).
      filter: a tensor [kh, kw, output_channels, in_channels] (`filters`: TF 2 name).
      output_shape: a 1-D tensor or list of 4 ints, the output's shape.
      strides: an int or 1, 2 or 4 ints.
      padding: "SAME" or "VALID".
      data_format: "NHWC" or "NCHW".
      name: the op name (default "conv2d_transpose").
      dilations: an int or 1, 2 or 4 ints.

    Returns:
      A tensor of shape `output_shape`.

    Raises:
      ValueError: the input's channels differ from filter.shape[3], output_shape is not
        a 4-vector or its channels differ from filter.shape[2], a bad padding.
      InvalidArgumentError (at run time): `output_shape` does not give `value`'s size
        when convolved with these strides and padding.
    """
    value = input if value is None else value
    filter = filters if filter is None else filter  # noqa: A001
    with _graph.name_scope(name, "conv2d_transpose") as scope:
        fmt = check_data_format(data_format, "Conv2DBackpropInput")
        axis = 1 if fmt == "NCHW" else 3
        v = float_tensor(value, "value", "Conv2DBackpropInput")
        f = same_dtype(v, filter, "Conv2DBackpropInput", "filter", "out_backprop")
        vd, fd = v.shape.dims, f.shape.dims
        vc = vd[axis] if vd is not None and len(vd) == 4 else None
        fc = fd[3] if fd is not None and len(fd) == 4 else None
        if vc is not None and fc is not None and vc != fc:
            raise ValueError("input channels does not match filter's input channels, %d != %d"
                             % (vc, fc))
        out = _graph.convert_to_tensor(output_shape, dtype=dtypes.int32, name="output_shape")
        if not out.shape.is_compatible_with(TensorShape([4])):
            raise ValueError("output_shape must have shape (4,), got %s" % (out.shape,))
        if isinstance(output_shape, (list, tuple)) and fd is not None and len(fd) == 4:
            oc = output_shape[axis]
            if fd[2] is not None and isinstance(oc, int) and oc != fd[2]:
                raise ValueError("output_shape does not match filter's output channels, %d != %d"
                                 % (oc, fd[2]))
        if padding not in ("SAME", "VALID"):
            raise ValueError("padding must be either VALID or SAME: %s" % padding)
        attrs = _conv_attrs(strides, padding, fmt, dilations, "Conv2DBackpropInput")
        return _op("Conv2DBackpropInput", [out, f, v], attrs, name=scope)


def depthwise_conv2d_native(input, filter, strides, padding, data_format="NHWC",  # noqa: A002
                            dilations=[1, 1, 1, 1], name=None):  # noqa: B006
    """Depthwise 2-D convolution, the op itself (tf.nn.depthwise_conv2d_native).

    Each input channel c is convolved with filter[:, :, c, :] on its own; output
    channel c * multiplier + m holds filter[:, :, c, m]'s result.

    Args:
      input: a float tensor [batch, height, width, in_channels] (NHWC).
      filter: [kh, kw, in_channels, channel_multiplier].
      strides, padding, data_format, dilations: as in conv2d.

    Returns:
      A tensor [batch, out_height, out_width, in_channels * channel_multiplier].
    """
    attrs = _conv_attrs(strides, padding, data_format, dilations, "DepthwiseConv2dNative")
    with _graph.name_scope(name, "DepthwiseConv2dNative") as scope:
        x = float_tensor(input, "input", "DepthwiseConv2dNative")
        f = same_dtype(x, filter, "DepthwiseConv2dNative")
        return _op("DepthwiseConv2dNative", [x, f], attrs, name=scope)


def depthwise_conv2d(input, filter, strides, padding, rate=None, name=None,  # noqa: A002
                     data_format=None, dilations=None):
    """Depthwise 2-D convolution (tf.nn.depthwise_conv2d).

    Args:
      input: a float tensor [batch, height, width, in_channels] (NHWC).
      filter: [kh, kw, in_channels, channel_multiplier].
      strides: 4 ints, [1, s, s, 1].
      padding: "SAME" or "VALID".
      rate: 2 ints, the dilation rate (`dilations` is its TF 2 name); with a rate
        above 1 the strides must be 1.
      name: the name scope (default "depthwise").
      data_format: "NHWC" (default) or "NCHW".

    Returns:
      A tensor [batch, out_height, out_width, in_channels * channel_multiplier].

    Raises:
      ValueError: as conv2d; also strides > 1 together with rate > 1.
    """
    rate = dilations if rate is None else rate
    fmt = check_data_format(data_format, "DepthwiseConv2dNative")
    rate_seq = sequence(rate, 2, fmt, "rate")
    stride_seq = sequence(strides, 2, fmt, "strides")
    if max(rate_seq) > 1 and max(stride_seq) > 1:
        raise ValueError("strides > 1 not supported in conjunction with dilation_rate > 1")
    with _graph.name_scope(name, "depthwise") as scope:
        return depthwise_conv2d_native(input, filter, stride_seq, padding, data_format=fmt,
                                       dilations=rate_seq, name=scope)


