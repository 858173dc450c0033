"""`tf.layers`: the TF 1.x layers API (dense and dropout), functional and as classes.

    h = tf.layers.dense(x, 100, activation=tf.nn.relu)   # variables dense/kernel, dense/bias
    h = tf.layers.dense(h, 10)                            # dense_1/kernel, dense_1/bias

Variables come from `tf.get_variable` in a variable scope named after the layer, so
variable-scope reuse and regularizers work as in TF.
"""
from .framework import dtypes
from .framework import graph as _graph
from .framework.graph import GraphKeys
from .framework.tensor_shape import TensorShape
from .ops import init_ops, math_ops, nn_ops
from .ops.control_flow_ops import identity
from .ops.shape_utils import constant_value
from .ops.variable_scope import get_variable, variable_scope

__all__ = ["Dense", "Dropout", "dense", "dropout"]


class Dense:
    """A densely-connected layer: outputs = activation(inputs @ kernel + bias) (tf.layers.Dense).

    The variables are created on the first call, in variable scope `name` (default
    "dense", made unique: "dense_1", ...); later calls reuse them.

    Args:
      units: the output size.
      activation: a function applied to the output, or None (linear).
      use_bias: whether to add a bias.
      kernel_initializer: initializer of the [in, units] kernel (default: glorot uniform).
      bias_initializer: initializer of the bias (default: zeros).
      kernel_regularizer, bias_regularizer: fn(variable) -> loss, added to
        REGULARIZATION_LOSSES.
      activity_regularizer: fn(outputs) -> loss, added to REGULARIZATION_LOSSES.
      kernel_constraint, bias_constraint: projections kept on the variables.
      trainable: add the variables to TRAINABLE_VARIABLES.
      name: the layer's scope name.
      reuse: reuse the variables of a previous layer of the same name.
    """

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer=None,
                 bias_initializer=init_ops.zeros_initializer(), kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, trainable=True, name=None, reuse=None, **kwargs):
        self.units = int(units)
        self.activation = activation
        self.use_bias = use_bias
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer
        self.kernel_regularizer = kernel_regularizer
        self.bias_regularizer = bias_regularizer
        self.activity_regularizer = activity_regularizer
        self.kernel_constraint = kernel_constraint
        self.bias_constraint = bias_constraint
        self.trainable = trainable
        self.name = name or "dense"
        self._given_name = name
        self._reuse = reuse
        self._dtype = dtypes.as_dtype(kwargs["dtype"]) if kwargs.get("dtype") else None
        self._scope = None
        self.kernel = None
        self.bias = None
        self.built = False

    # -- variables -----------------------------------------------------------------------
    @property
    def variables(self):
        """The layer's variables: [kernel, bias] (bias only with use_bias)."""
        return [v for v in (self.kernel, self.bias) if v is not None]

    weights = variables

    @property
    def trainable_variables(self):
        return self.variables if self.trainable else []

    trainable_weights = trainable_variables

    @property
    def non_trainable_variables(self):
        return [] if self.trainable else self.variables

    non_trainable_weights = non_trainable_variables

    def build(self, input_shape):
        """Creates the kernel [input_shape[-1], units] and the bias [units].

        Raises:
          ValueError: the last dimension is unknown.
        """
        input_shape = TensorShape(input_shape)
        last = input_shape.dims[-1] if input_shape.dims else None
        if last is None:
            raise ValueError("The last dimension of the inputs to `Dense` should be defined. "
                             "Found `None`.")
        self._dtype = self._dtype or dtypes.float32
        self.kernel = get_variable("kernel", [last, self.units], dtype=self._dtype,
                                   initializer=self.kernel_initializer,
                                   regularizer=self.kernel_regularizer, trainable=self.trainable,
                                   constraint=self.kernel_constraint)
        if self.use_bias:
            self.bias = get_variable("bias", [self.units], dtype=self._dtype,
                                     initializer=self.bias_initializer,
                                     regularizer=self.bias_regularizer, trainable=self.trainable,
                                     constraint=self.bias_constraint)
        self.built = True

    # -- calling ---------------------------------------------------------------------------
    def __call__(self, inputs, *args, **kwargs):
        """Applies the layer to `inputs` (rank >= 2; the last axis is contracted).

        Raises:
          ValueError: `inputs` has rank < 2 or an unknown last dimension.
        """
        x = _graph.convert_to_tensor(inputs)
        nd = x.shape.ndims
        if nd is not None and nd < 2:
            raise ValueError("Input 0 of layer %s is incompatible with the layer: expected "
                             "min_ndim=2, found ndim=%d. Full shape received: %s"
                             % (self.name, nd, x.shape))
        if self._scope is None:
            with variable_scope(self._given_name, default_name="dense", reuse=self._reuse) as scope:
                self._scope = scope
                self.name = scope.name.split("/")[-1]
                if self._dtype is None:  # as TF: the variables take the inputs' float type
                    self._dtype = x.dtype if x.dtype.is_floating else dtypes.float32
                self.build(x.shape)
                return self.call(x)
        # later calls: same variables, ops in the layer's first name scope
        with variable_scope(self._scope, reuse=True, auxiliary_name_scope=False), \
                _graph.name_scope(self._scope.original_name_scope):
            return self.call(x)

    apply = __call__

    def call(self, inputs):
        """The computation, once the variables exist."""
        if inputs.dtype != self.kernel.dtype:
            inputs = math_ops.cast(inputs, self.kernel.dtype)
        nd = inputs.shape.ndims
        if nd is not None and nd > 2:  # contract the last axis; keep the leading dims' static shape
            outputs = math_ops.tensordot(inputs, self.kernel, [[nd - 1], [0]])
            outputs.set_shape(inputs.shape.as_list()[:-1] + [self.units])
        else:
            outputs = math_ops.matmul(inputs, self.kernel)
        if self.use_bias:
            outputs = nn_ops.bias_add(outputs, self.bias)
        if self.activation is not None:
            outputs = self.activation(outputs)
        if self.activity_regularizer is not None:
            with _graph.name_scope("ActivityRegularizer"):
                loss = self.activity_regularizer(outputs)
            if loss is not None:
                _graph.add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)
        return outputs


def dense(inputs, units, activation=None, use_bias=True, kernel_initializer=None,
          bias_initializer=init_ops.zeros_initializer(), kernel_regularizer=None,
          bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
          bias_constraint=None, trainable=True, name=None, reuse=None):
    """Functional interface of `Dense`: activation(inputs @ kernel + bias) (tf.layers.dense).

    Creates `<scope>/kernel:0` [in, units] and `<scope>/bias:0` [units], where the scope
    is `name` or "dense", "dense_1", ... For inputs of rank > 2 the kernel applies to
    the last axis.

    Returns:
      The output tensor, of shape inputs.shape[:-1] + [units].

    Raises:
      ValueError: `inputs` has rank < 2 or an unknown last dimension; or the variables
        exist (or not) against `reuse`.
    """
    layer = Dense(units, activation=activation, use_bias=use_bias,
                  kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                  kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                  activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
                  bias_constraint=bias_constraint, trainable=trainable, name=name, reuse=reuse)
    return layer(inputs)


class Dropout:
    """Dropout as a layer (tf.layers.Dropout): active only when called with training=True.

    Args:
      rate: the fraction of units to drop (0.5 by default).
      noise_shape: the shape of the keep/drop mask (see tf.nn.dropout).
      seed: the op seed of the mask.
      name: the name scope (default "dropout").
    """

    def __init__(self, rate=0.5, noise_shape=None, seed=None, name=None, **kwargs):
        self.rate = rate
        self.noise_shape = noise_shape
        self.seed = seed
        self.name = name

    def __call__(self, inputs, training=False):
        """Drops units of `inputs` if `training` (a Python bool or a bool tensor), else passes them."""
        with _graph.name_scope(self.name, "dropout"):
            x = _graph.convert_to_tensor(inputs)
            if _graph.is_tensor_like(training):
                known = constant_value(_graph.convert_to_tensor(training))
                training = bool(known) if known is not None else training
            if training is False:
                return identity(x)
            rate = self.rate
            if training is not True:  # a bool tensor: rate 0 (exactly the identity) when false
                rate = math_ops.multiply(math_ops.cast(training, x.dtype), rate)
            return nn_ops.dropout(x, noise_shape=self.noise_shape, seed=self.seed, rate=rate)

    apply = __call__


def dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False, name=None):
    """Dropout for training (tf.layers.dropout): with training=False the inputs pass unchanged.

    Unlike tf.nn.dropout, `rate` is the fraction dropped. Kept units are scaled by
    1 / (1 - rate). `training` may be a Python bool or a bool tensor (placeholder).
    """
    return Dropout(rate, noise_shape=noise_shape, seed=seed, name=name)(inputs, training=training)


# -- convolution, pooling and flatten layers (tinygraph/conv_layers.py) --
from .conv_layers import *  # noqa: F401,F403,E402
from .conv_layers import __all__ as _conv_layers_all  # noqa: E402

__all__ += list(_conv_layers_all)
