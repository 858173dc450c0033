"""Neural-network ops: activations, softmax, cross-entropies, bias_add, dropout, lookups.

Activations, softmax and the cross-entropies are fused kernels (numerically stable,
one pass) with gradient ops of their own, like TF's `ReluGrad`. Each gradient op
has a gradient too, so second derivatives work. Composite functions (dropout,
moments, l2_normalize) are built from other ops, as in TF 1.x.
"""
import numbers

from ..framework import dtypes, errors
from ..framework import graph as _graph
from ..framework.graph import op_output
from ..framework.registry import NotDifferentiable, register_gradient, register_op
from ..framework.tensor_shape import TensorShape
from ..passes.aliasing import mark_fresh_output
from ..passes.fuse_elementwise import register_inplace
from . import array_ops, clip_ops, math_ops, random_ops
from .control_flow_ops import stop_gradient
from .reduction_ops import _kept_dims_shape
from .shape_utils import constant_value, normalize_axis

__all__ = ["relu", "relu6", "elu", "selu", "leaky_relu", "softplus", "softsign", "softmax",
           "log_softmax", "bias_add", "l2_loss", "moments", "dropout",
           "sparse_softmax_cross_entropy_with_logits", "softmax_cross_entropy_with_logits",
           "softmax_cross_entropy_with_logits_v2", "sigmoid_cross_entropy_with_logits",
           "in_top_k", "embedding_lookup", "l2_normalize", "xw_plus_b", "zero_fraction"]

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _same_infer(attrs, x, *rest):
    return [(x.dtype, x.shape)]


def _grad_infer(attrs, dy, x):
    return [(dy.dtype, dy.shape.merge_with(x.shape))]


def _is_zeros(t):
    """True for the zeros tf.gradients fills in for an output nothing depends on."""
    return t is None or t.op.type == "ZerosLike"


def _float_input(features, name="features"):
    x = _graph.convert_to_tensor(features, name=name)
    if not x.dtype.is_floating:
        raise TypeError("Value passed to parameter '%s' has DataType %s not in list of allowed "
                        "values: float16, float32, float64" % (name, x.dtype.name))
    return x


def _sigmoid_kernel(xp, x):
    return xp.exp(-xp.logaddexp(0, -x))  # exact in both tails


# -- relu family ----------------------------------------------------------------------------
# Each activation: forward kernel, a gradient op FooGrad(dy, saved) and FooGrad's gradient.
@register_op("Relu", infer=_same_infer)
def _relu_kernel(xp, attrs, x):
    return xp.maximum(x, 0).astype(x.dtype, copy=False)


@register_op("ReluGrad", infer=_grad_infer)
def _relu_grad_kernel(xp, attrs, dy, y):
    return xp.multiply(dy, y > 0, dtype=dy.dtype)  # relu'(0) = 0, as in TF; no bool->float pass


# In-place forms (for the fuse_elementwise pass, as in binary_ops.py).
@register_inplace("Relu")
def _relu_inplace(xp, attrs, pos, x):
    return xp.maximum(x, 0, out=x)


@register_inplace("ReluGrad")
def _relu_grad_inplace(xp, attrs, pos, dy, y):
    return xp.multiply(dy, y > 0, out=dy, dtype=dy.dtype)


@register_gradient("Relu")
def _relu_grad(op, grad):
    return [op_output("ReluGrad", [grad, op.outputs[0]])]


@register_gradient("ReluGrad")
def _relu_grad_grad(op, grad):
    return [op_output("ReluGrad", [grad, op.inputs[1]]), None]


def relu(features, name=None):
    """max(features, 0) (tf.nn.relu). Its gradient at 0 is 0."""
    return op_output("Relu", [_graph.convert_to_tensor(features, name="features")], name=name)


@register_op("Relu6", infer=_same_infer)
def _relu6_kernel(xp, attrs, x):
    return xp.clip(x, 0, 6).astype(x.dtype, copy=False)


@register_op("Relu6Grad", infer=_grad_infer)
def _relu6_grad_kernel(xp, attrs, dy, x):
    return dy * ((x > 0) & (x < 6))


@register_gradient("Relu6")
def _relu6_grad(op, grad):
    return [op_output("Relu6Grad", [grad, op.inputs[0]])]


@register_gradient("Relu6Grad")
def _relu6_grad_grad(op, grad):
    return [op_output("Relu6Grad", [grad, op.inputs[1]]), None]


def relu6(features, name=None):
    """min(max(features, 0), 6) (tf.nn.relu6)."""
    return op_output("Relu6", [_graph.convert_to_tensor(features, name="features")], name=name)


def _mask_negative(v, y):
    """v where y < 0, else 0: ReluGrad(v, -y) keeps exactly those entries."""
    return op_output("ReluGrad", [v, -y])


@register_op("Elu", infer=_same_infer)
def _elu_kernel(xp, attrs, x):
    return xp.where(x > 0, x, xp.expm1(xp.minimum(x, 0)))  # minimum: no overflow in the unused branch


@register_op("EluGrad", infer=_grad_infer)
def _elu_grad_kernel(xp, attrs, dy, y):
    return xp.where(y < 0, dy * (y + 1), dy)  # elu'(x) = elu(x) + 1 for x < 0


@register_gradient("Elu")
def _elu_grad(op, grad):
    return [op_output("EluGrad", [grad, op.outputs[0]])]


@register_gradient("EluGrad")
def _elu_grad_grad(op, grad):
    dy, y = op.inputs
    return [op_output("EluGrad", [grad, y]), _mask_negative(grad * dy, y)]


def elu(features, name=None):
    """x if x > 0 else exp(x) - 1 (tf.nn.elu)."""
    return op_output("Elu", [_float_input(features)], name=name)


@register_op("Selu", infer=_same_infer)
def _selu_kernel(xp, attrs, x):
    neg = _SELU_ALPHA * xp.expm1(xp.minimum(x, 0))
    return (_SELU_SCALE * xp.where(x > 0, x, neg)).astype(x.dtype, copy=False)


@register_op("SeluGrad", infer=_grad_infer)
def _selu_grad_kernel(xp, attrs, dy, y):
    # for x < 0, selu'(x) = scale * alpha * exp(x) = y + scale * alpha
    out = xp.where(y < 0, dy * (y + _SELU_SCALE * _SELU_ALPHA), dy * _SELU_SCALE)
    return out.astype(dy.dtype, copy=False)


@register_gradient("Selu")
def _selu_grad(op, grad):
    return [op_output("SeluGrad", [grad, op.outputs[0]])]


@register_gradient("SeluGrad")
def _selu_grad_grad(op, grad):
    dy, y = op.inputs
    return [op_output("SeluGrad", [grad, y]), _mask_negative(grad * dy, y)]


def selu(features, name=None):
    """Scaled elu: scale * (x if x > 0 else alpha * (exp(x) - 1)) (tf.nn.selu)."""
    return op_output("Selu", [_float_input(features)], name=name)


@register_op("LeakyRelu", infer=_same_infer)
def _leaky_relu_kernel(xp, attrs, x):
    return xp.where(x > 0, x, x * attrs["alpha"]).astype(x.dtype, copy=False)


@register_op("LeakyReluGrad", infer=_grad_infer)
def _leaky_relu_grad_kernel(xp, attrs, dy, x):
    return xp.where(x > 0, dy, dy * attrs["alpha"]).astype(dy.dtype, copy=False)


@register_gradient("LeakyRelu")
def _leaky_relu_grad(op, grad):
    return [op_output("LeakyReluGrad", [grad, op.inputs[0]], op.attrs)]


@register_gradient("LeakyReluGrad")
def _leaky_relu_grad_grad(op, grad):
    return [op_output("LeakyReluGrad", [grad, op.inputs[1]], op.attrs), None]


def leaky_relu(features, alpha=0.2, name=None):
    """x if x > 0 else alpha * x (tf.nn.leaky_relu); integer inputs become float32."""
    x = _graph.convert_to_tensor(features, name="features")
    if x.dtype.is_integer:
        x = math_ops.cast(x, dtypes.float32)
    return op_output("LeakyRelu", [x], {"alpha": float(alpha)}, name=name)


# -- softplus / softsign -----------------------------------------------------------------------
@register_op("Softplus", infer=_same_infer)
def _softplus_kernel(xp, attrs, x):
    return xp.logaddexp(0, x).astype(x.dtype, copy=False)


@register_op("SoftplusGrad", infer=_grad_infer)
def _softplus_grad_kernel(xp, attrs, dy, x):
    return (dy * _sigmoid_kernel(xp, x)).astype(dy.dtype, copy=False)


@register_gradient("Softplus")
def _softplus_grad(op, grad):
    return [op_output("SoftplusGrad", [grad, op.inputs[0]])]


@register_gradient("SoftplusGrad")
def _softplus_grad_grad(op, grad):
    dy, x = op.inputs
    s = math_ops.sigmoid(x)
    return [op_output("SoftplusGrad", [grad, x]), grad * dy * s * (1 - s)]


def softplus(features, name=None):
    """log(exp(x) + 1), computed without overflow (tf.nn.softplus)."""
    return op_output("Softplus", [_float_input(features)], name=name)


@register_op("Softsign", infer=_same_infer)
def _softsign_kernel(xp, attrs, x):
    return x / (1 + xp.abs(x))


@register_op("SoftsignGrad", infer=_grad_infer)
def _softsign_grad_kernel(xp, attrs, dy, x):
    return dy / (1 + xp.abs(x)) ** 2


@register_gradient("Softsign")
def _softsign_grad(op, grad):
    return [op_output("SoftsignGrad", [grad, op.inputs[0]])]


@register_gradient("SoftsignGrad")
def _softsign_grad_grad(op, grad):
    dy, x = op.inputs
    # d/dx (1 + |x|)^-2 = -2 sign(x) (1 + |x|)^-3
    q = 1 / (1 + math_ops.abs(x))
    d2x = -2.0 * grad * dy * math_ops.sign(x) * q * q * q
    return [op_output("SoftsignGrad", [grad, x]), d2x]


def softsign(features, name=None):
    """x / (abs(x) + 1) (tf.nn.softsign)."""
    return op_output("Softsign", [_float_input(features)], name=name)


# -- softmax -------------------------------------------------------------------------------------
def _softmax_kernel_impl(xp, x, axis):
    if x.size == 0:  # an empty batch or class axis: nothing to normalise (TF: an empty result)
        return xp.zeros(x.shape, x.dtype)
    e = xp.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _log_softmax_kernel_impl(xp, x, axis):
    if x.size == 0:
        return xp.zeros(x.shape, x.dtype)
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - xp.log(xp.exp(shifted).sum(axis=axis, keepdims=True))


@register_op("Softmax", infer=_same_infer)
def _softmax_kernel(xp, attrs, x):
    return _softmax_kernel_impl(xp, x, attrs["axis"])


@register_op("LogSoftmax", infer=_same_infer)
def _log_softmax_kernel(xp, attrs, x):
    return _log_softmax_kernel_impl(xp, x, attrs["axis"])


@register_gradient("Softmax")
def _softmax_grad(op, grad):
    y, axis = op.outputs[0], op.attrs["axis"]
    return [(grad - math_ops.reduce_sum(grad * y, axis, keepdims=True)) * y]


@register_gradient("LogSoftmax")
def _log_softmax_grad(op, grad):
    x, axis = op.inputs[0], op.attrs["axis"]
    return [grad - math_ops.reduce_sum(grad, axis, keepdims=True) * op_output("Softmax", [x], {"axis": axis})]


def _softmax(op_type, logits, axis, name, dim):
    if dim is not None:
        axis = dim
    axis = -1 if axis is None else int(axis)
    x = _float_input(logits, "logits")
    if x.shape.ndims == 0:
        raise ValueError("Shape must be at least rank 1 but is rank 0 for '%s'" % op_type)
    axis = normalize_axis(axis, x.shape.ndims)
    return op_output(op_type, [x], {"axis": axis}, name=name)


def softmax(logits, axis=None, name=None, dim=None):
    """exp(logits) / reduce_sum(exp(logits), axis), computed stably (tf.nn.softmax).

    Args:
      logits: a float tensor.
      axis: the class axis (default -1); `dim` is its deprecated name.
      name: the op name.

    Raises:
      ValueError: `axis` is out of range.
    """
    return _softmax("Softmax", logits, axis, name, dim)


def log_softmax(logits, axis=None, name=None, dim=None):
    """logits - log(reduce_sum(exp(logits), axis)), computed stably (tf.nn.log_softmax)."""
    return _softmax("LogSoftmax", logits, axis, name, dim)


# -- bias_add ------------------------------------------------------------------------------------
def _channel_axis(attrs):
    return 1 if attrs["data_format"] == "NCHW" else -1


def _bias_add_infer(attrs, value, bias):
    nd = value.shape.ndims
    if nd is not None and nd < 2:
        raise ValueError("Shape must be at least rank 2 but is rank %d for 'BiasAdd' with input "
                         "shapes: %s, %s." % (nd, value.shape, bias.shape))
    if bias.shape.ndims is not None and bias.shape.ndims != 1:
        raise ValueError("Shape must be rank 1 but is rank %d for 'BiasAdd' with input shapes: "
                         "%s, %s." % (bias.shape.ndims, value.shape, bias.shape))
    if nd is None or bias.shape.dims is None:
        return [(value.dtype, value.shape)]
    dims = list(value.shape.dims)
    c = _channel_axis(attrs) % nd
    b = bias.shape.dims[0]
    if dims[c] is not None and b is not None and dims[c] != b:
        raise ValueError("Dimensions must be equal, but are %d and %d for 'BiasAdd' with input "
                         "shapes: %s, %s." % (dims[c], b, value.shape, bias.shape))
    dims[c] = dims[c] if dims[c] is not None else b
    return [(value.dtype, TensorShape(dims))]


@register_op("BiasAdd", infer=_bias_add_infer)
def _bias_add_kernel(xp, attrs, value, bias):
    if attrs["data_format"] == "NCHW":
        bias = bias.reshape((-1,) + (1,) * (value.ndim - 2))
    return value + bias


@register_inplace("BiasAdd")
def _bias_add_inplace(xp, attrs, pos, value, bias):
    if attrs["data_format"] == "NCHW":
        bias = bias.reshape((-1,) + (1,) * (value.ndim - 2))
    return xp.add(value, bias, out=value)


def _bias_add_grad_infer(attrs, grad):
    dims = grad.shape.dims
    return [(grad.dtype, TensorShape([None if dims is None else dims[_channel_axis(attrs)]]))]


@register_op("BiasAddGrad", infer=_bias_add_grad_infer)
def _bias_add_grad_kernel(xp, attrs, grad):
    c = _channel_axis(attrs) % grad.ndim
    return grad.sum(axis=tuple(i for i in range(grad.ndim) if i != c))


mark_fresh_output("BiasAddGrad")  # its kernel always returns a new array


@register_gradient("BiasAdd")
def _bias_add_grad(op, grad):
    return [grad, op_output("BiasAddGrad", [grad], op.attrs)]


@register_gradient("BiasAddGrad")
def _bias_add_grad_grad(op, grad):
    target = op.inputs[0]
    if op.attrs["data_format"] == "NCHW":
        nd = target.shape.ndims
        if nd is None:
            raise ValueError("BiasAddGrad's gradient needs the rank of its input for NCHW")
        grad = array_ops.reshape(grad, [-1] + [1] * (nd - 2))
    return [array_ops.broadcast_to(grad, array_ops.shape(target))]


def bias_add(value, bias, data_format=None, name=None):
    """value + bias, with `bias` (1-D) added along the channel axis (tf.nn.bias_add).

    Args:
      value: a tensor of rank >= 2.
      bias: a 1-D tensor of the channel size and `value`'s dtype.
      data_format: "NHWC" (default: channels last) or "NCHW" (channels on axis 1).
      name: the op name.

    Raises:
      ValueError: bad ranks or a channel size mismatch.
      TypeError: the dtypes differ.
    """
    with _graph.name_scope(name, "BiasAdd") as scope:
        if data_format not in (None, "NHWC", "NCHW", "N..C", "NC.."):
            raise ValueError("data_format must be NHWC or NCHW, got %r" % (data_format,))
        fmt = "NCHW" if data_format in ("NCHW", "NC..") else "NHWC"
        v, b = math_ops.binary_inputs(value, bias, "BiasAdd")
        return op_output("BiasAdd", [v, b], {"data_format": fmt}, name=scope)


def xw_plus_b(x, weights, biases, name=None):
    """matmul(x, weights) + biases (tf.nn.xw_plus_b)."""
    with _graph.name_scope(name, "xw_plus_b") as scope:
        mm = math_ops.matmul(x, weights)
        return bias_add(mm, biases, name=scope)


# -- l2_loss ---------------------------------------------------------------------------------------
@register_op("L2Loss", infer=lambda attrs, x: [(x.dtype, TensorShape([]))])
def _l2_loss_kernel(xp, attrs, x):
    return xp.asarray(xp.sum(x * x) / 2, dtype=x.dtype)


@register_gradient("L2Loss")
def _l2_loss_grad(op, grad):
    return [op.inputs[0] * grad]


def l2_loss(t, name=None):
    """sum(t ** 2) / 2, a scalar (tf.nn.l2_loss)."""
    return op_output("L2Loss", [_float_input(t, "t")], name=name)


# -- cross-entropies -----------------------------------------------------------------------------
def _expand_like(loss_grad, features, axis):
    """`loss_grad` with the class axis put back as size 1, to broadcast against `features`."""
    return array_ops.reshape(loss_grad, _kept_dims_shape(features, (axis,)))


def _softmax_jvp_term(grad_backprop, features, axis):
    """What a gradient on `softmax(features) - labels` adds to the features' gradient."""
    sm = op_output("Softmax", [features], {"axis": axis})
    return (grad_backprop - math_ops.reduce_sum(grad_backprop * sm, axis, keepdims=True)) * sm


def _xent_infer(attrs, features, labels):
    axis = attrs["axis"]
    shape = features.shape.merge_with(labels.shape) if labels.shape.ndims is not None else features.shape
    if shape.dims is None:
        return [(features.dtype, TensorShape(None)), (features.dtype, shape)]
    loss = [d for i, d in enumerate(shape.dims) if i != axis % len(shape.dims)]
    return [(features.dtype, TensorShape(loss)), (features.dtype, shape)]


@register_op("SoftmaxCrossEntropyWithLogits", infer=_xent_infer)
def _xent_kernel(xp, attrs, features, labels):
    axis = attrs["axis"]
    log_p = _log_softmax_kernel_impl(xp, features, axis)
    return [-(labels * log_p).sum(axis=axis), xp.exp(log_p) - labels]


@register_gradient("SoftmaxCrossEntropyWithLogits")
def _xent_grad(op, grad_loss, grad_backprop):
    features, labels = op.inputs
    axis = op.attrs["axis"]
    g = _expand_like(grad_loss, features, axis)
    grad_features = g * op.outputs[1]
    grad_labels = g * -op_output("LogSoftmax", [features], {"axis": axis})
    if not _is_zeros(grad_backprop):  # a second derivative: backprop = softmax - labels
        grad_features = grad_features + _softmax_jvp_term(grad_backprop, features, axis)
        grad_labels = grad_labels - grad_backprop
    return [grad_features, grad_labels]


def _sparse_xent_infer(attrs, features, labels):
    dims = features.shape.dims
    loss = labels.shape if dims is None else labels.shape.merge_with(TensorShape(dims[:-1]))
    return [(features.dtype, loss), (features.dtype, features.shape)]


def _sparse_xent_bind(op, ctx):
    xp = ctx.xp

    def run(features, labels):
        classes = features.shape[-1]
        valid = (labels >= 0) & (labels < classes)
        # As TF on CPU: an out-of-range label is an error (one small read from the device).
        if not bool(xp.all(valid)):
            bad = labels[~valid].reshape(-1)[:1]
            raise errors.InvalidArgumentError(
                None, op, "Received a label value of %d which is outside the valid range of [0, %d)."
                "\n\t [[node %s]]" % (int(bad[0]), classes, op.name))
        return _sparse_xent_kernel(xp, op.attrs, features, labels)
    return run


@register_op("SparseSoftmaxCrossEntropyWithLogits", infer=_sparse_xent_infer, bind=_sparse_xent_bind)
def _sparse_xent_kernel(xp, attrs, features, labels):
    classes = features.shape[-1]
    log_p = _log_softmax_kernel_impl(xp, features, -1)
    idx = xp.expand_dims(labels, -1)
    loss = -xp.take_along_axis(log_p, idx, axis=-1)[..., 0]
    backprop = xp.exp(log_p) - (xp.arange(classes) == idx)  # softmax - one_hot(labels)
    return [loss, backprop]


@register_gradient("SparseSoftmaxCrossEntropyWithLogits")
def _sparse_xent_grad(op, grad_loss, grad_backprop):
    features = op.inputs[0]
    grad = _expand_like(grad_loss, features, -1 if features.shape.ndims is None
                        else features.shape.ndims - 1) * op.outputs[1]
    if not _is_zeros(grad_backprop):
        grad = grad + _softmax_jvp_term(grad_backprop, features, -1)
    return [grad, None]


def _check_xent_args(name, sentinel, labels, logits):
    if sentinel is not None:
        raise ValueError("Only call `%s` with named arguments (labels=..., logits=..., ...)" % name)
    if labels is None or logits is None:
        raise ValueError("Both labels and logits must be provided.")


def sparse_softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, name=None):
    """Per-example softmax cross-entropy with integer class labels.

    Args:
      labels: int32/int64 tensor of shape [d_0, ..., d_{r-1}], values in [0, num_classes).
      logits: float tensor of shape [d_0, ..., d_{r-1}, num_classes].
      name: the name scope (default "SparseSoftmaxCrossEntropyWithLogits").

    Returns:
      A tensor of `labels`' shape with the losses. An out-of-range label gives NaN.

    Raises:
      ValueError: positional arguments were used, or the ranks/shapes do not match.
      TypeError: `labels` is not an integer tensor.
    """
    _check_xent_args("sparse_softmax_cross_entropy_with_logits", _sentinel, labels, logits)
    with _graph.name_scope(name, "SparseSoftmaxCrossEntropyWithLogits"):
        labels = _graph.convert_to_tensor(labels, name="labels")
        logits = _float_input(logits, "logits")
        if labels.dtype not in (dtypes.int32, dtypes.int64):
            raise TypeError("labels must be an int32 or int64 tensor, got %s" % labels.dtype.name)
        lr, gr = labels.shape.ndims, logits.shape.ndims
        if gr == 0:
            raise ValueError("Logits cannot be scalars - received shape %s." % logits.shape)
        if lr is not None and gr is not None:
            if lr != gr - 1:
                raise ValueError("Rank mismatch: Rank of labels (received %s) should equal rank of "
                                 "logits minus 1 (received %s)." % (lr, gr))
            if not labels.shape.is_compatible_with(TensorShape(logits.shape.dims[:-1])):
                raise ValueError("Shape mismatch: The shape of labels (received %s) should equal the "
                                 "shape of logits except for the last dimension (received %s)."
                                 % (labels.shape, logits.shape))
        return _graph.get_default_graph().create_op(
            "SparseSoftmaxCrossEntropyWithLogits", [logits, labels], {},
            "SparseSoftmaxCrossEntropyWithLogits").outputs[0]


def softmax_cross_entropy_with_logits_v2(_sentinel=None, labels=None, logits=None, dim=-1,
                                         name=None, axis=None):
    """Per-example softmax cross-entropy with a distribution over classes as labels.

    Gradients flow into both `logits` and `labels`.

    Args:
      labels: float tensor of `logits`' shape; each slice along `dim` a distribution.
      logits: float tensor.
      dim: the class axis (default -1); `axis` is its newer name.
      name: the op name (default "softmax_cross_entropy_with_logits").

    Returns:
      A tensor of `logits`' shape without the class axis.

    Raises:
      ValueError: positional arguments were used, or the shapes differ.
    """
    _check_xent_args("softmax_cross_entropy_with_logits", _sentinel, labels, logits)
    if axis is not None:
        dim = axis
    with _graph.name_scope(name, "softmax_cross_entropy_with_logits") as scope:
        logits = _float_input(logits, "logits")
        labels = _graph.convert_to_tensor(labels, dtype=logits.dtype, name="labels")
        if not logits.shape.is_compatible_with(labels.shape):
            raise ValueError("logits and labels must be broadcastable: logits_size=%s labels_size=%s"
                             % (logits.shape, labels.shape))
        axis = normalize_axis(int(dim), logits.shape.ndims)
        return _graph.get_default_graph().create_op(
            "SoftmaxCrossEntropyWithLogits", [logits, labels], {"axis": axis}, scope).outputs[0]


def softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, dim=-1, name=None,
                                      axis=None):
    """As `softmax_cross_entropy_with_logits_v2`, but no gradient flows into `labels` (TF 1.x)."""
    _check_xent_args("softmax_cross_entropy_with_logits", _sentinel, labels, logits)
    with _graph.name_scope(name, "softmax_cross_entropy_with_logits_sg") as scope:
        labels = stop_gradient(labels, name="labels_stop_gradient")
        return softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits, dim=dim,
                                                    axis=axis, name=scope)


@register_op("SigmoidCrossEntropyWithLogits", infer=_same_infer)
def _sigmoid_xent_kernel(xp, attrs, logits, labels):
    # max(x, 0) - x * z + log(1 + exp(-|x|)): no overflow for any x
    return xp.maximum(logits, 0) - logits * labels + xp.log1p(xp.exp(-xp.abs(logits)))


@register_gradient("SigmoidCrossEntropyWithLogits")
def _sigmoid_xent_grad(op, grad):
    logits, labels = op.inputs
    return [grad * (math_ops.sigmoid(logits) - labels), grad * -logits]


def sigmoid_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, name=None):
    """Elementwise logistic loss z * -log(sigmoid(x)) + (1 - z) * -log(1 - sigmoid(x)).

    Computed as max(x, 0) - x * z + log(1 + exp(-abs(x))), stable for any x.

    Args:
      labels: float tensor of `logits`' shape and dtype (values usually in [0, 1]).
      logits: float tensor.
      name: the op name (default "logistic_loss").

    Raises:
      ValueError: positional arguments were used, or the shapes differ.
    """
    _check_xent_args("sigmoid_cross_entropy_with_logits", _sentinel, labels, logits)
    with _graph.name_scope(name, "logistic_loss") as scope:
        logits = _float_input(logits, "logits")
        labels = _graph.convert_to_tensor(labels, dtype=logits.dtype, name="labels")
        if not logits.shape.is_compatible_with(labels.shape):
            raise ValueError("logits and labels must have the same shape (%s vs %s)"
                             % (logits.shape, labels.shape))
        return op_output("SigmoidCrossEntropyWithLogits", [logits, labels], name=scope)


# -- in_top_k ----------------------------------------------------------------------------------------
def _in_top_k_infer(attrs, predictions, targets, k):
    dims = predictions.shape.dims
    return [(dtypes.bool_, TensorShape([None if dims is None else dims[0]]).merge_with(
        targets.shape if targets.shape.ndims is not None else TensorShape([None])))]


@register_op("InTopKV2", infer=_in_top_k_infer)
def _in_top_k_kernel(xp, attrs, predictions, targets, k):
    classes = predictions.shape[1]
    valid = (targets >= 0) & (targets < classes)
    idx = xp.expand_dims(xp.where(valid, targets, 0), 1)
    target_score = xp.take_along_axis(predictions, idx, axis=1)
    # in the top k when fewer than k classes score strictly higher (ties count as in)
    higher = (predictions > target_score).sum(axis=1)
    finite = xp.all(xp.isfinite(predictions), axis=1)  # TF cannot rank a row holding NaN/inf
    return valid & finite & (higher < k)


NotDifferentiable("InTopKV2")


def in_top_k(predictions, targets, k, name=None):
    """Whether each target is among the top `k` predictions of its row (tf.nn.in_top_k).

    Args:
      predictions: float32 tensor [batch, classes].
      targets: int32/int64 tensor [batch] of class ids.
      k: an int (or scalar int tensor).
      name: the name scope (default "in_top_k").

    Returns:
      A bool tensor [batch]. Ties with the k-th score count as in; an out-of-range
      target, or a row holding a non-finite score, counts as out.
    """
    with _graph.name_scope(name, "in_top_k"):
        p = _graph.convert_to_tensor(predictions, name="predictions")
        t = _graph.convert_to_tensor(targets, name="targets")
        if t.dtype not in (dtypes.int32, dtypes.int64):
            raise TypeError("targets must be int32 or int64, got %s" % t.dtype.name)
        if p.shape.ndims is not None and p.shape.ndims != 2:
            raise ValueError("Shape must be rank 2 but is rank %d for 'InTopKV2'" % p.shape.ndims)
        kt = _graph.convert_to_tensor(k, dtype=t.dtype, name="k")
        return op_output("InTopKV2", [p, t, kt])


# -- embeddings ---------------------------------------------------------------------------------------
def embedding_lookup(params, ids, partition_strategy="mod", name=None, validate_indices=True,
                     max_norm=None):
    """The rows of `params` at `ids` (tf.nn.embedding_lookup).

    The gradient with respect to `params` is an IndexedSlices (repeated ids add up).

    Args:
      params: a tensor/Variable [vocab, ...], or a list holding one.
      ids: an int tensor of any shape.
      partition_strategy: kept for TF's signature (one partition only).
      name: the op name (default "embedding_lookup").
      max_norm: if set, rows with a larger l2 norm are scaled down to it.

    Returns:
      A tensor of shape ids.shape + params.shape[1:].

    Raises:
      ValueError: `params` is empty.
      NotImplementedError: several partitions.
    """
    if isinstance(params, (list, tuple)):
        if not params:
            raise ValueError("Need at least one param")
        if len(params) > 1:
            raise NotImplementedError("embedding_lookup over several partitions is not supported")
        params = params[0]
    with _graph.name_scope(name, "embedding_lookup") as scope:
        p = _graph.convert_to_tensor(params, name="params")
        i = _graph.convert_to_tensor(ids, name="ids")
        if max_norm is None:
            return array_ops.gather(p, i, name=scope)
        rows = array_ops.gather(p, i)
        ids_rank, params_rank = i.shape.ndims, p.shape.ndims
        return clip_ops.clip_by_norm(rows, max_norm, axes=list(range(ids_rank, ids_rank + params_rank - 1)),
                                     name=scope)


# -- composites ------------------------------------------------------------------------------------
def moments(x, axes, shift=None, name=None, keep_dims=None, keepdims=None):
    """Mean and variance of `x` over `axes` (tf.nn.moments).

    Args:
      x: a float tensor.
      axes: a list of axes to reduce.
      shift: unused (kept for TF's signature).
      name: the name scope (default "moments").
      keep_dims: keep the reduced axes with size 1 (`keepdims` is its newer name).

    Returns:
      (mean, variance).
    """
    if keepdims is not None:
        keep_dims = keepdims
    keep_dims = bool(keep_dims)
    with _graph.name_scope(name, "moments", [x]):
        y = _float_input(x, "x")
        if y.dtype == dtypes.float16:  # accumulate half precision in float32
            y = math_ops.cast(y, dtypes.float32)
        mean = math_ops.reduce_mean(y, axes, keepdims=True, name="mean")
        # stop_gradient: the variance's gradient through the mean is zero anyway
        variance = math_ops.reduce_mean(math_ops.squared_difference(y, stop_gradient(mean)), axes,
                                        keepdims=keep_dims, name="variance")
        if not keep_dims:  # drop the reduced axes of the mean too
            mean = array_ops.reshape(mean, array_ops.shape(variance))
            mean.set_shape(variance.shape)
        if x.dtype == dtypes.float16:
            return math_ops.cast(mean, dtypes.float16), math_ops.cast(variance, dtypes.float16)
        return mean, variance


def _noise_shape(x, noise_shape):
    if noise_shape is None:
        return array_ops.shape(x)
    try:
        dims = list(noise_shape)
    except TypeError:
        return noise_shape  # a tensor
    known = x.shape.dims
    if known is not None and len(known) == len(dims) and any(d is None for d in dims):
        dims = [k if d is None else d for d, k in zip(dims, known)]
    return dims


def dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):
    """Zeros each element with probability `rate` and scales the others by 1 / (1 - rate).

    Args:
      x: a float tensor.
      keep_prob: the probability of keeping an element (a float or a scalar tensor,
        e.g. a placeholder). keep_prob = 1 gives exactly `x`.
      noise_shape: the shape of the keep/drop mask, broadcast against `x`
        (e.g. [batch, 1] drops whole rows). Default: x's shape.
      seed: the op seed of the random mask.
      name: the name scope (default "dropout").
      rate: 1 - keep_prob; give one of the two.

    Returns:
      A tensor of `x`'s shape.

    Raises:
      ValueError: both or neither of keep_prob and rate given, a rate outside [0, 1),
        or a non-float `x`.
    """
    if keep_prob is not None and rate is not None:
        raise ValueError("Cannot specify both 'rate' and 'keep_prob'")
    if keep_prob is not None:
        try:
            rate = 1 - keep_prob
        except TypeError:
            raise ValueError("keep_prob must be a floating point number or Tensor (got %r)"
                             % (keep_prob,)) from None
    if rate is None:
        raise ValueError("You must provide a rate to dropout.")
    with _graph.name_scope(name, "dropout", [x]):
        x = _graph.convert_to_tensor(x, name="x")
        if not x.dtype.is_floating:
            raise ValueError("x has to be a floating point tensor since it's going to be scaled. "
                             "Got a %s tensor instead." % x.dtype)
        if isinstance(rate, numbers.Real):
            if not 0 <= rate < 1:
                raise ValueError("rate must be a scalar tensor or a float in the range [0, 1), "
                                 "got %g" % rate)
            if rate == 0:
                return x
        rate = _graph.convert_to_tensor(rate, dtype=x.dtype, name="rate")
        if not rate.shape.is_compatible_with(TensorShape([])):
            raise ValueError("rate must be a scalar, got shape %s" % rate.shape)
        cv = constant_value(rate)
        if cv is not None and cv == 0:
            return x
        random_tensor = random_ops.random_uniform(_noise_shape(x, noise_shape), seed=seed,
                                                  dtype=x.dtype)
        scale = 1 / (1 - rate)
        # u >= rate keeps with probability 1 - rate; rate = 0 keeps everything, exactly
        keep_mask = math_ops.greater_equal(random_tensor, rate)
        ret = x * scale * math_ops.cast(keep_mask, x.dtype)
        # as TF: the result has x's static shape, whatever the mask's shape inference knew
        # (a tensor rate inside a loop body, a tensor noise_shape)
        ret.set_shape(x.shape)
        return ret


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """x / sqrt(max(sum(x ** 2, axis), epsilon)) (tf.nn.l2_normalize).

    Args:
      x: a float tensor.
      axis: the axis or axes to normalize over (`dim` is its deprecated name); None: all.
      epsilon: the lower bound of the squared norm (avoids dividing by zero).
      name: the op name (default "l2_normalize").
    """
    if dim is not None:
        axis = dim
    with _graph.name_scope(name, "l2_normalize", [x]) as scope:
        x = _graph.convert_to_tensor(x, name="x")
        square_sum = math_ops.reduce_sum(x * x, axis, keepdims=True)
        x_inv_norm = math_ops.rsqrt(math_ops.maximum(square_sum, epsilon))
        return math_ops.multiply(x, x_inv_norm, name=scope)


def zero_fraction(value, name=None):
    """The fraction of zeros in `value`, a float32 scalar (tf.nn.zero_fraction)."""
    with _graph.name_scope(name, "zero_fraction", [value]):
        v = _graph.convert_to_tensor(value, name="value")
        zero = math_ops.cast(math_ops.equal(v, array_ops.zeros_like(v)), dtypes.float32)
        return math_ops.reduce_mean(zero)
