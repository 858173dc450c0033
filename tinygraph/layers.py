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
from .layer_base import LayerVariables
from .ops import init_ops, math_ops, nn_ops
from .control_flow.cond import cond
from .ops import array_ops, constant_op, normalization
from .ops.control_flow_ops import identity
from .ops.shape_utils import constant_value
from .ops.variable_scope import get_variable, variable_scope

__all__ = ["Dense", "Dropout", "dense", "dropout", "BatchNormalization", "batch_normalization"]


class Dense(LayerVariables):
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
    def _layer_variables(self):
        return [v for v in (self.kernel, self.bias) if v is not None]  # bias only with use_bias

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
                    if not x.dtype.base_dtype.is_floating:
                        raise TypeError("A Dense layer can only be built with a floating-point "
                                        "dtype. Received: dtype=%r" % (x.dtype,))
                    self._dtype = x.dtype.base_dtype
                self.build(x.shape)
                return self.call(x)
        # later calls: same variables, ops in the layer's first name scope
        with variable_scope(self._scope, reuse=True, auxiliary_name_scope=False), \
                _graph.name_scope(self._scope.original_name_scope):
            return self.call(x)

    apply = __call__

    def call(self, inputs):
        """The computation, once the variables exist."""
        if inputs.dtype != self.kernel.dtype.base_dtype:
            inputs = math_ops.cast(inputs, self.kernel.dtype.base_dtype)
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



# -- batch normalization (the `train` engineer's section) --------------------------------------
def smart_cond(pred, true_fn, false_fn, name=None):
    """true_fn() or false_fn() when `pred` is known while building, else tf.cond (TF's smart_cond)."""
    known = normalization.constant_bool(pred)
    if known is not None:
        return true_fn() if known else false_fn()
    return cond(pred, true_fn, false_fn, name=name)


def _as_tensor(v):
    return _graph.convert_to_tensor(v)


class BatchNormalization(LayerVariables):
    """Batch normalization (tf.layers.BatchNormalization), as TF 1.x's layer computes it.

    In training, the output normalizes with the batch's mean and (biased) variance over
    every axis but `axis`, and the update ops, put in GraphKeys.UPDATE_OPS, move
    `moving_mean` and `moving_variance` towards them:
        moving -= (moving - batch) * (1 - momentum)
    In inference the moving statistics are used. 4-D inputs normalized over axis 1 or 3
    take TF's fused path, whose variance for the moving average is Bessel-corrected
    (n / (n - 1)); other inputs use the batch's biased variance, as in TF.

    Variables, in the layer's variable scope ("batch_normalization", "batch_normalization_1",
    ...): gamma (if scale), beta (if center), moving_mean, moving_variance (not trainable).

    Args:
      axis: the axis (or list of axes) that keeps its own statistics (default -1).
      momentum: of the moving averages (0.99).
      epsilon: added to the variance (1e-3).
      center, scale: whether to add beta / multiply by gamma.
      beta_initializer, gamma_initializer, moving_mean_initializer,
        moving_variance_initializer: initializers (zeros, ones, zeros, ones).
      beta_regularizer, gamma_regularizer, beta_constraint, gamma_constraint: as for Dense.
      renorm, renorm_clipping, renorm_momentum, virtual_batch_size, adjustment: only the
        defaults are supported.
      fused: None or True (the fused path where it applies) or False (never).
      trainable: add gamma and beta to TRAINABLE_VARIABLES.
      name, reuse: the scope name and variable reuse.

    Raises:
      NotImplementedError: renorm, virtual_batch_size or adjustment given.
    """

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer=init_ops.zeros_initializer(),
                 gamma_initializer=init_ops.ones_initializer(),
                 moving_mean_initializer=init_ops.zeros_initializer(),
                 moving_variance_initializer=init_ops.ones_initializer(),
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, renorm=False, renorm_clipping=None, renorm_momentum=0.99,
                 fused=None, trainable=True, virtual_batch_size=None, adjustment=None, name=None,
                 reuse=None, **kwargs):
        if renorm or virtual_batch_size is not None or adjustment is not None:
            raise NotImplementedError("batch normalization with renorm, virtual_batch_size or "
                                      "adjustment is not supported")
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else axis
        self.momentum, self.epsilon = momentum, epsilon
        self.center, self.scale = center, scale
        self.beta_initializer, self.gamma_initializer = beta_initializer, gamma_initializer
        self.moving_mean_initializer = moving_mean_initializer
        self.moving_variance_initializer = moving_variance_initializer
        self.beta_regularizer, self.gamma_regularizer = beta_regularizer, gamma_regularizer
        self.beta_constraint, self.gamma_constraint = beta_constraint, gamma_constraint
        self.fused = fused
        self.trainable = trainable
        self.name = name or "batch_normalization"
        self._given_name, self._reuse = name, reuse
        self._scope = None
        self.gamma = self.beta = self.moving_mean = self.moving_variance = None
        self.updates = []
        self.built = False

    def _layer_variables(self):
        return [v for v in (self.gamma, self.beta, self.moving_mean, self.moving_variance)
                if v is not None]

    def _trainable_candidates(self):
        return [v for v in (self.gamma, self.beta) if v is not None]

    def build(self, input_shape):
        """Creates gamma, beta, moving_mean and moving_variance.

        Raises:
          ValueError: unknown rank, an axis out of range, or an unknown `axis` dimension.
        """
        input_shape = TensorShape(input_shape)
        ndims = input_shape.ndims
        if ndims is None:
            raise ValueError("Input has undefined rank.")
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        for a in axes:
            if not -ndims <= a < ndims:
                raise ValueError("Invalid axis: %s" % (a,))
        self._axes = sorted(a % ndims for a in axes)
        if len(set(self._axes)) != len(self._axes):
            raise ValueError("Duplicate axis: %s" % (tuple(axes),))
        dims = input_shape.dims
        if any(dims[a] is None for a in self._axes):
            raise ValueError("Input has undefined `axis` dimension. Received input with shape %s "
                             "and axis=%s" % (input_shape, tuple(self._axes)))
        self._ndims = ndims
        if len(self._axes) == 1:
            param_shape = [dims[self._axes[0]]]
        else:
            param_shape = [dims[i] if i in self._axes else 1 for i in range(ndims)]
        self._use_fused = (self.fused is not False and ndims == 4 and self._axes in ([1], [3]))
        dtype = self._dtype
        if self.scale:
            self.gamma = get_variable("gamma", param_shape, dtype=dtype,
                                      initializer=self.gamma_initializer,
                                      regularizer=self.gamma_regularizer,
                                      constraint=self.gamma_constraint, trainable=self.trainable)
        if self.center:
            self.beta = get_variable("beta", param_shape, dtype=dtype,
                                     initializer=self.beta_initializer,
                                     regularizer=self.beta_regularizer,
                                     constraint=self.beta_constraint, trainable=self.trainable)
        self.moving_mean = get_variable("moving_mean", param_shape, dtype=dtype,
                                        initializer=self.moving_mean_initializer, trainable=False)
        self.moving_variance = get_variable("moving_variance", param_shape, dtype=dtype,
                                            initializer=self.moving_variance_initializer,
                                            trainable=False)
        self._param_shape = param_shape
        self.built = True

    def __call__(self, inputs, training=False):
        """Normalizes `inputs`; `training` is a Python bool or a scalar bool tensor.

        Returns:
          A tensor of the inputs' shape and dtype.
        """
        x = _graph.convert_to_tensor(inputs)
        if self._scope is None:
            with variable_scope(self._given_name, default_name="batch_normalization",
                                reuse=self._reuse) as scope:
                self._scope = scope
                self.name = scope.name.split("/")[-1]
                self._dtype = dtypes.float32 if x.dtype in (dtypes.float16,) or not \
                    x.dtype.is_floating else x.dtype
                self.build(x.shape)
                return self._call_and_collect(x, training)
        with variable_scope(self._scope, reuse=True, auxiliary_name_scope=False), \
                _graph.name_scope(self._scope.original_name_scope):
            return self._call_and_collect(x, training)

    apply = __call__

    def _call_and_collect(self, x, training):
        before = len(self.updates)
        out = self.call(x, training)
        for u in self.updates[before:]:  # as TF 1.x layers: the updates go to UPDATE_OPS
            _graph.add_to_collection(GraphKeys.UPDATE_OPS, u)
        return out

    def _broadcast(self, v):
        ndims = self._ndims
        if v is not None and len(self._axes) == 1 and self._axes[0] != ndims - 1:
            shape = [1] * ndims
            shape[self._axes[0]] = self._param_shape[0]
            return array_ops.reshape(v, shape)
        return v

    def call(self, inputs, training=False):
        """The computation, once the variables exist."""
        if self._use_fused:
            return self._fused_call(inputs, training)
        ndims = self._ndims
        reduction_axes = [i for i in range(ndims) if i not in self._axes]
        scale = self._broadcast(_as_tensor(self.gamma)) if self.gamma is not None else None
        offset = self._broadcast(_as_tensor(self.beta)) if self.beta is not None else None
        training_value = normalization.constant_bool(training)
        x = inputs if inputs.dtype == self._dtype else math_ops.cast(inputs, self._dtype)
        if training_value is False:
            mean, variance = _as_tensor(self.moving_mean), _as_tensor(self.moving_variance)
        else:
            batch_mean, batch_variance = nn_ops.moments(x, reduction_axes,
                                                        keep_dims=len(self._axes) > 1)
            mean = smart_cond(training, lambda: batch_mean, lambda: _as_tensor(self.moving_mean))
            variance = smart_cond(training, lambda: batch_variance,
                                  lambda: _as_tensor(self.moving_variance))

            def update(var, value):
                return smart_cond(
                    training,
                    lambda: normalization.assign_moving_average(var, value, self.momentum),
                    lambda: _as_tensor(var))
            self.updates += [update(self.moving_mean, mean),
                             update(self.moving_variance, variance)]
        mean = math_ops.cast(mean, inputs.dtype) if mean.dtype != inputs.dtype else mean
        variance = math_ops.cast(variance, inputs.dtype) if variance.dtype != inputs.dtype else variance
        outputs = normalization.batch_normalization(inputs, self._broadcast(mean),
                                                    self._broadcast(variance), offset, scale,
                                                    self.epsilon)
        outputs.set_shape(inputs.shape)
        return outputs

    def _fused_call(self, inputs, training):
        fmt = "NHWC" if self._axes == [3] else "NCHW"
        dtype = self._dtype
        gamma = _as_tensor(self.gamma) if self.gamma is not None else \
            constant_op.constant(1.0, dtype=dtype, shape=self._param_shape)
        beta = _as_tensor(self.beta) if self.beta is not None else \
            constant_op.constant(0.0, dtype=dtype, shape=self._param_shape)

        def in_training():
            return normalization.fused_batch_norm(inputs, gamma, beta, epsilon=self.epsilon,
                                                  data_format=fmt)

        def in_inference():
            return normalization.fused_batch_norm(inputs, gamma, beta, mean=self.moving_mean,
                                                  variance=self.moving_variance,
                                                  epsilon=self.epsilon, is_training=False,
                                                  data_format=fmt)
        output, mean, variance = smart_cond(training, in_training, in_inference)
        training_value = normalization.constant_bool(training)
        if training_value is None:
            momentum = smart_cond(training, lambda: constant_op.constant(self.momentum, dtype),
                                  lambda: constant_op.constant(1.0, dtype))
        else:
            momentum = self.momentum
        if training_value is None or training_value:
            self.updates += [normalization.assign_moving_average(self.moving_mean, mean, momentum),
                             normalization.assign_moving_average(self.moving_variance, variance,
                                                                 momentum)]
        output.set_shape(inputs.shape)
        return output


def batch_normalization(inputs, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                        beta_initializer=init_ops.zeros_initializer(),
                        gamma_initializer=init_ops.ones_initializer(),
                        moving_mean_initializer=init_ops.zeros_initializer(),
                        moving_variance_initializer=init_ops.ones_initializer(),
                        beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                        gamma_constraint=None, training=False, trainable=True, name=None,
                        reuse=None, renorm=False, renorm_clipping=None, renorm_momentum=0.99,
                        fused=None, virtual_batch_size=None, adjustment=None):
    """Functional interface of `BatchNormalization` (tf.layers.batch_normalization).

    The moving statistics are updated only by the ops in GraphKeys.UPDATE_OPS; run them
    with each training step, e.g.

        update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        with tf.control_dependencies(update_ops):
            train_op = optimizer.minimize(loss)

    Args:
      training: a Python bool or a scalar bool tensor (e.g. a placeholder_with_default):
        normalize with the batch's statistics (True) or the moving ones (False).
      (others: see BatchNormalization)

    Returns:
      The normalized tensor (the inputs' shape).

    Raises:
      ValueError: the rank or the `axis` dimension of `inputs` is unknown.
    """
    layer = BatchNormalization(
        axis=axis, momentum=momentum, epsilon=epsilon, center=center, scale=scale,
        beta_initializer=beta_initializer, gamma_initializer=gamma_initializer,
        moving_mean_initializer=moving_mean_initializer,
        moving_variance_initializer=moving_variance_initializer,
        beta_regularizer=beta_regularizer, gamma_regularizer=gamma_regularizer,
        beta_constraint=beta_constraint, gamma_constraint=gamma_constraint, renorm=renorm,
        renorm_clipping=renorm_clipping, renorm_momentum=renorm_momentum, fused=fused,
        trainable=trainable, virtual_batch_size=virtual_batch_size, adjustment=adjustment,
        name=name, reuse=reuse)
    return layer(inputs, training=training)


# -- convolution, pooling and flatten layers (tinygraph/conv_layers.py) --
from .conv_layers import *  # noqa: F401,F403,E402
from .conv_layers import __all__ as _conv_layers_all  # noqa: E402

__all__ += list(_conv_layers_all)
