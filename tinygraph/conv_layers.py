"""`tf.layers` convolution, pooling and flatten layers (functional forms and classes).

    h = tf.layers.conv2d(x, 32, 3, activation=tf.nn.relu)   # conv2d/kernel [3, 3, C, 32], conv2d/bias
    h = tf.layers.max_pooling2d(h, 2, 2)                     # op max_pooling2d/MaxPool
    h = tf.layers.flatten(h)                                 # op flatten/Reshape

As in TF 1.x, each layer opens a variable scope named after it ("conv2d", "conv2d_1",
...; pooling and flatten layers too, for their op names), its variables come from
`tf.get_variable` (default kernel initializer: glorot uniform; bias: zeros), and a
layer object called again reuses its variables. `tinygraph/layers.py` re-exports them.
"""
import math

from .framework import dtypes
from .framework import graph as _graph
from .framework.graph import GraphKeys
from .framework.tensor_shape import TensorShape
from .layer_base import LayerVariables
from .ops import array_ops, conv_ops, init_ops, math_ops, nn_ops
from .ops.variable_scope import get_variable, variable_scope

__all__ = ["Conv2D", "Conv2DTranspose", "MaxPooling2D", "AveragePooling2D", "Flatten",
           "conv2d", "conv2d_transpose", "max_pooling2d", "average_pooling2d", "flatten",
           "Convolution2D", "Convolution2DTranspose", "MaxPool2D", "AveragePool2D"]


# -- argument normalization (TF's conv_utils) -----------------------------------------------
def _tuple(value, name):
    if isinstance(value, int):
        return (value, value)
    try:
        t = tuple(int(v) for v in value)
    except (TypeError, ValueError):
        t = None
    if t is None or len(t) != 2:
        raise ValueError("The `%s` argument must be a tuple of 2 integers. Received: %s"
                         % (name, value))
    return t


def _padding(padding):
    p = padding.lower() if isinstance(padding, str) else padding
    if p not in ("valid", "same"):
        raise ValueError("The `padding` argument must be a list/tuple or one of \"valid\", "
                         "\"same\" (or \"causal\", only for `Conv1D). Received: %s" % (padding,))
    return p


def _data_format(data_format):
    f = data_format.lower() if isinstance(data_format, str) else data_format
    if f not in ("channels_first", "channels_last"):
        raise ValueError("The `data_format` argument must be one of \"channels_first\", "
                         "\"channels_last\". Received: %s" % (data_format,))
    return f


def _nn_format(data_format):
    return "NCHW" if data_format == "channels_first" else "NHWC"


def _shape_str(shape):
    if shape.dims is None:
        return "<unknown>"
    return "(%s)" % ", ".join("None" if d is None else str(d) for d in shape.dims) + \
        ("," if len(shape.dims) == 1 else "")


# -- the shared layer machinery ------------------------------------------------------------------
class _Layer(LayerVariables):
    """Scope and variable bookkeeping shared by the layers of this module."""

    _default_name = "layer"
    _min_ndim = None  # conv layers accept rank >= 4 in TF's message ("min_ndim")
    _ndim = 4

    def __init__(self, name=None, trainable=True, reuse=None, dtype=None):
        self.name = name or self._default_name
        self._given_name = name
        self._reuse = reuse
        self.trainable = trainable
        self._dtype = dtypes.as_dtype(dtype) if dtype else None
        self._scope = None
        self.built = False

    def _layer_variables(self):
        # kernel, then bias where used; none for pooling and flatten
        return [v for v in (getattr(self, "kernel", None), getattr(self, "bias", None))
                if v is not None]

    def _check_input(self, x):
        nd = x.shape.ndims
        if nd is None:
            return
        if self._min_ndim is not None and nd < self._min_ndim:
            raise ValueError("Input 0 of layer \"%s\" is incompatible with the layer: expected "
                             "min_ndim=%d, found ndim=%d. Full shape received: %s"
                             % (self.name, self._min_ndim, nd, _shape_str(x.shape)))
        if self._min_ndim is None and nd != self._ndim:
            raise ValueError("Input 0 of layer \"%s\" is incompatible with the layer: expected "
                             "ndim=%d, found ndim=%d. Full shape received: %s"
                             % (self.name, self._ndim, nd, _shape_str(x.shape)))

    def build(self, input_shape):
        """Creates the variables (none for pooling and flatten)."""
        self.built = True

    def __call__(self, inputs, *args, **kwargs):
        """Applies the layer to `inputs` (creating the variables on the first call).

        Raises:
          ValueError: the inputs' rank or channel dimension does not fit the layer.
        """
        x = _graph.convert_to_tensor(inputs)
        if self._scope is None:
            with variable_scope(self._given_name, default_name=self._default_name,
                                reuse=self._reuse) as scope:
                self._scope = scope
                self.name = scope.name.split("/")[-1]
                self._check_input(x)
                if self._dtype is None:  # as TF: the variables take the inputs' float type
                    self._dtype = x.dtype if x.dtype.is_floating else dtypes.float32
                self.build(x.shape)
                return self.call(x)
        self._check_input(x)
        with variable_scope(self._scope, reuse=True, auxiliary_name_scope=False), \
                _graph.name_scope(self._scope.original_name_scope):
            return self.call(x)

    apply = __call__

    def call(self, inputs):
        raise NotImplementedError("%s.call" % type(self).__name__)


class _ConvBase(_Layer):
    _min_ndim = 4

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 data_format="channels_last", dilation_rate=(1, 1), activation=None,
                 use_bias=True, kernel_initializer=None,
                 bias_initializer=init_ops.zeros_initializer(), kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, trainable=True, name=None, reuse=None, **kwargs):
        super().__init__(name, trainable, reuse, kwargs.get("dtype"))
        self.filters = int(filters)
        self.kernel_size = _tuple(kernel_size, "kernel_size")
        self.strides = _tuple(strides, "strides")
        self.padding = _padding(padding)
        self.data_format = _data_format(data_format)
        self.dilation_rate = _tuple(dilation_rate, "dilation_rate")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError("`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                             "Received: strides=%s and dilation_rate=%s"
                             % (self.strides, self.dilation_rate))
        self.activation = activation
        self.use_bias = use_bias
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer
        self.kernel_regularizer = kernel_regularizer
        self.bias_regularizer = bias_regularizer
        self.activity_regularizer = activity_regularizer
        self.kernel_constraint = kernel_constraint
        self.bias_constraint = bias_constraint
        self.kernel = None
        self.bias = None

    def _channel_axis(self):
        return 1 if self.data_format == "channels_first" else -1

    def _kernel_shape(self, in_channels):
        raise NotImplementedError

    def build(self, input_shape):
        """Creates the kernel and the bias.

        Raises:
          ValueError: the channel dimension of the inputs is unknown.
        """
        input_shape = TensorShape(input_shape)
        axis = self._channel_axis()
        channels = input_shape.dims[axis] if input_shape.dims is not None else None
        if channels is None:
            raise ValueError("The channel dimension of the inputs should be defined. The "
                             "input_shape received is %s, where axis %d (0-based) is the channel "
                             "dimension, which found to be `None`." % (_shape_str(input_shape), axis))
        self.kernel = get_variable("kernel", self._kernel_shape(channels), dtype=self._dtype,
                                   initializer=self.kernel_initializer,
                                   regularizer=self.kernel_regularizer, trainable=self.trainable,
                                   constraint=self.kernel_constraint)
        if self.use_bias:
            self.bias = get_variable("bias", [self.filters], dtype=self._dtype,
                                     initializer=self.bias_initializer,
                                     regularizer=self.bias_regularizer, trainable=self.trainable,
                                     constraint=self.bias_constraint)
        self.built = True

    def _finish(self, outputs):
        if self.use_bias:
            outputs = nn_ops.bias_add(outputs, self.bias, data_format=_nn_format(self.data_format))
        if self.activation is not None:
            outputs = self.activation(outputs)
        if self.activity_regularizer is not None:
            with _graph.name_scope("ActivityRegularizer"):
                loss = self.activity_regularizer(outputs)
            if loss is not None:
                _graph.add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)
        return outputs

    def _cast(self, x):
        dtype = self.kernel.dtype.base_dtype  # not the variable's ref type
        if x.dtype.base_dtype != dtype:
            x = math_ops.cast(x, dtype)
        return x


class Conv2D(_ConvBase):
    """2-D convolution layer: activation(conv2d(inputs, kernel) + bias) (tf.layers.Conv2D).

    Args:
      filters: the number of output channels.
      kernel_size: an int or 2 ints, the window's height and width.
      strides: an int or 2 ints.
      padding: "valid" or "same" (any case).
      data_format: "channels_last" (NHWC, default) or "channels_first" (NCHW).
      dilation_rate: an int or 2 ints; above 1 only with strides 1.
      activation: a function applied to the output, or None.
      use_bias: whether to add a bias.
      kernel_initializer: initializer of the [kh, kw, in_channels, filters] kernel
        (default: glorot uniform); bias_initializer: of the bias (default zeros).
      kernel_regularizer, bias_regularizer, activity_regularizer: fn -> loss, added to
        REGULARIZATION_LOSSES.
      kernel_constraint, bias_constraint: projections kept on the variables.
      trainable: add the variables to TRAINABLE_VARIABLES.
      name: the layer's scope name (default "conv2d", made unique).
      reuse: reuse the variables of a previous layer of the same name.
    """

    _default_name = "conv2d"

    def _kernel_shape(self, in_channels):
        return list(self.kernel_size) + [in_channels, self.filters]

    def call(self, inputs):
        """The convolution, once the variables exist."""
        outputs = conv_ops.conv2d(self._cast(inputs), self.kernel, list(self.strides),
                                  self.padding.upper(), data_format=_nn_format(self.data_format),
                                  dilations=list(self.dilation_rate))
        return self._finish(outputs)


def _deconv_length(size, k, stride, padding):
    """The transpose convolution's output length (TF's deconv_output_length)."""
    if padding == "valid":
        return size * stride + max(k - stride, 0)
    return size * stride


class Conv2DTranspose(_ConvBase):
    """Transposed 2-D convolution layer ("deconvolution") (tf.layers.Conv2DTranspose).

    The kernel is [kh, kw, filters, in_channels]; the output has spatial size
    in * stride ("same") or in * stride + max(k - stride, 0) ("valid"). Other
    arguments as Conv2D (no dilation_rate).
    """

    _default_name = "conv2d_transpose"

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 data_format="channels_last", activation=None, use_bias=True,
                 kernel_initializer=None, bias_initializer=init_ops.zeros_initializer(),
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                 reuse=None, **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, (1, 1), activation,
                         use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
                         bias_regularizer, activity_regularizer, kernel_constraint,
                         bias_constraint, trainable, name, reuse, **kwargs)

    def _kernel_shape(self, in_channels):
        return list(self.kernel_size) + [self.filters, in_channels]

    def call(self, inputs):
        """The transposed convolution, once the variables exist."""
        x = self._cast(inputs)
        first = self.data_format == "channels_first"
        h_axis, w_axis = (2, 3) if first else (1, 2)
        dims = x.shape.dims if x.shape.ndims == 4 else [None] * 4
        dyn = array_ops.shape(x)
        sizes = []
        for axis, k, s in ((h_axis, self.kernel_size[0], self.strides[0]),
                           (w_axis, self.kernel_size[1], self.strides[1])):
            size = dims[axis] if dims[axis] is not None else dyn[axis]
            sizes.append(_deconv_length(size, k, s, self.padding))
        batch = dims[0] if dims[0] is not None else dyn[0]
        shape = [batch, self.filters] + sizes if first else [batch] + sizes + [self.filters]
        outputs = conv_ops.conv2d_transpose(x, self.kernel, array_ops.stack(shape),
                                            list(self.strides), self.padding.upper(),
                                            data_format=_nn_format(self.data_format))
        outputs.set_shape([d if isinstance(d, int) else None for d in shape])
        return self._finish(outputs)


class _Pooling2D(_Layer):
    _op = None

    def __init__(self, pool_size, strides, padding="valid", data_format="channels_last",
                 name=None, **kwargs):
        super().__init__(name)
        self.pool_size = _tuple(pool_size, "pool_size")
        self.strides = _tuple(strides, "strides")
        self.padding = _padding(padding)
        self.data_format = _data_format(data_format)

    def call(self, inputs):
        """The pooling."""
        pool = conv_ops.max_pool if self._op == "max" else conv_ops.avg_pool
        return pool(inputs, list(self.pool_size), list(self.strides), self.padding.upper(),
                    data_format=_nn_format(self.data_format))


class MaxPooling2D(_Pooling2D):
    """Max pooling layer for 2-D inputs (tf.layers.MaxPooling2D).

    Args:
      pool_size: an int or 2 ints, the window size.
      strides: an int or 2 ints.
      padding: "valid" or "same".
      data_format: "channels_last" or "channels_first".
      name: the layer's name (default "max_pooling2d", made unique).
    """

    _default_name = "max_pooling2d"
    _op = "max"


class AveragePooling2D(_Pooling2D):
    """Average pooling layer for 2-D inputs (tf.layers.AveragePooling2D); arguments as
    MaxPooling2D (default name "average_pooling2d"). SAME padding is not counted."""

    _default_name = "average_pooling2d"
    _op = "avg"


class Flatten(_Layer):
    """Flattens each example to one axis: [batch, ...] -> [batch, k] (tf.layers.Flatten).

    Args:
      data_format: "channels_last" (default) or "channels_first" (then the input is put
        channels-last first, so the order matches a channels_last model).
      name: the layer's name (default "flatten", made unique).
    """

    _default_name = "flatten"

    def __init__(self, data_format="channels_last", name=None, **kwargs):
        super().__init__(name)
        self.data_format = _data_format(data_format)

    def _check_input(self, x):
        pass

    def call(self, inputs):
        """The reshape."""
        x = inputs
        nd = x.shape.ndims
        if self.data_format == "channels_first" and nd is not None and nd > 1:
            x = array_ops.transpose(x, [0] + list(range(2, nd)) + [1])
        dims = x.shape.dims
        if dims is not None and all(d is not None for d in dims[1:]):
            k = int(math.prod(dims[1:]))
            return array_ops.reshape(x, [-1, k])
        out = array_ops.reshape(x, array_ops.stack([array_ops.shape(x)[0], -1]))
        out.set_shape([dims[0] if dims else None, None])
        return out


Convolution2D = Conv2D
Convolution2DTranspose = Conv2DTranspose
MaxPool2D = MaxPooling2D
AveragePool2D = AveragePooling2D


# -- the functional forms --------------------------------------------------------------------------
def conv2d(inputs, filters, kernel_size, strides=(1, 1), padding="valid",
           data_format="channels_last", dilation_rate=(1, 1), activation=None, use_bias=True,
           kernel_initializer=None, bias_initializer=init_ops.zeros_initializer(),
           kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
           kernel_constraint=None, bias_constraint=None, trainable=True, name=None, reuse=None):
    """Functional interface of Conv2D (tf.layers.conv2d).

    Creates `<scope>/kernel:0` [kh, kw, in_channels, filters] and `<scope>/bias:0`
    [filters], where the scope is `name` or "conv2d", "conv2d_1", ...

    Returns:
      The output tensor [batch, out_h, out_w, filters] (channels_last).

    Raises:
      ValueError: bad kernel_size/strides/padding/data_format, strides and dilation both
        above 1, inputs of rank < 4 or with an unknown channel dimension, or variables
        that exist (or not) against `reuse`.
    """
    layer = Conv2D(filters, kernel_size, strides=strides, padding=padding,
                   data_format=data_format, dilation_rate=dilation_rate, activation=activation,
                   use_bias=use_bias, kernel_initializer=kernel_initializer,
                   bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                   bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
                   kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                   trainable=trainable, name=name, reuse=reuse)
    return layer(inputs)


def conv2d_transpose(inputs, filters, kernel_size, strides=(1, 1), padding="valid",
                     data_format="channels_last", activation=None, use_bias=True,
                     kernel_initializer=None, bias_initializer=init_ops.zeros_initializer(),
                     kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                     kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                     reuse=None):
    """Functional interface of Conv2DTranspose (tf.layers.conv2d_transpose).

    Creates `<scope>/kernel:0` [kh, kw, filters, in_channels] and `<scope>/bias:0`;
    the scope is `name` or "conv2d_transpose", "conv2d_transpose_1", ...

    Raises:
      ValueError: as conv2d.
    """
    layer = Conv2DTranspose(filters, kernel_size, strides=strides, padding=padding,
                            data_format=data_format, activation=activation, use_bias=use_bias,
                            kernel_initializer=kernel_initializer,
                            bias_initializer=bias_initializer,
                            kernel_regularizer=kernel_regularizer,
                            bias_regularizer=bias_regularizer,
                            activity_regularizer=activity_regularizer,
                            kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                            trainable=trainable, name=name, reuse=reuse)
    return layer(inputs)


def max_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                  name=None):
    """Max pooling for 2-D inputs (tf.layers.max_pooling2d); ops in scope "max_pooling2d".

    Raises:
      ValueError: bad pool_size/strides/padding/data_format, or inputs not of rank 4.
    """
    return MaxPooling2D(pool_size, strides, padding=padding, data_format=data_format,
                        name=name)(inputs)


def average_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                      name=None):
    """Average pooling for 2-D inputs (tf.layers.average_pooling2d); SAME padding not counted.

    Raises:
      ValueError: as max_pooling2d.
    """
    return AveragePooling2D(pool_size, strides, padding=padding, data_format=data_format,
                            name=name)(inputs)


def flatten(inputs, name=None, data_format="channels_last"):
    """[batch, ...] -> [batch, k] (tf.layers.flatten); op "flatten/Reshape"."""
    return Flatten(data_format=data_format, name=name)(inputs)
