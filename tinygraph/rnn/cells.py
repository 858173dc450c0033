"""RNN cells (tf.nn.rnn_cell): one time step of a recurrent network.

A cell maps (inputs, state) to (output, new_state). Like TF 1.x, a cell opens a
variable scope named after its class ("basic_rnn_cell") inside whatever scope is
current on its FIRST call, creates its variables there with `tf.get_variable`,
and re-enters that same scope with reuse=True on every later call. That is how
static_rnn (one call per step) and dynamic_rnn (one call in a loop body) share
one set of weights per cell, under names such as `rnn/basic_rnn_cell/kernel:0`.
"""
import collections
import re

from ..framework import dtypes
from ..framework import graph as _graph
from ..framework import nest
from ..framework.tensor_shape import as_shape
from ..ops import array_ops, init_ops, math_ops, nn_ops
from ..ops import variable_scope as vs
from ..ops.shape_utils import constant_value

__all__ = ["RNNCell", "LayerRNNCell", "BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell",
           "MultiRNNCell", "LSTMStateTuple"]

_WEIGHTS = "kernel"
_BIAS = "bias"


class LSTMStateTuple(collections.namedtuple("LSTMStateTuple", ("c", "h"))):
    """The state of an LSTM cell: (c, h), the memory cell first.

    `state.c`, `state.h` and `c, h = state` all work.
    """
    __slots__ = ()

    @property
    def dtype(self):
        c, h = self
        if c.dtype != h.dtype:
            raise TypeError("Inconsistent internal state: %s vs %s" % (c.dtype, h.dtype))
        return c.dtype


def _to_snake_case(name):
    """'BasicRNNCell' -> 'basic_rnn_cell' (TF's rule for default layer names)."""
    s = re.sub("(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    s = re.sub("([a-z])([A-Z])", r"\1_\2", s).lower()
    return s if s[0] != "_" else "private" + s


def assert_like_rnncell(cell_name, cell):
    """Raises TypeError unless `cell` has output_size, state_size, zero_state and is callable."""
    checks = [(hasattr(cell, "output_size"), "'output_size' property is missing"),
              (hasattr(cell, "state_size"), "'state_size' property is missing"),
              (hasattr(cell, "zero_state"), "'zero_state' method is missing"),
              (callable(cell), "is not callable")]
    missing = [msg for ok, msg in checks if not ok]
    if missing:
        raise TypeError("The argument %r (%s) is not an RNNCell: %s." % (cell_name, cell, ", ".join(missing)))


def zero_state_tensors(state_size, batch_size, dtype):
    """Zeros of shape [batch_size] + s for each s in the (nested) `state_size`.

    `batch_size` may be an int or a scalar Tensor; the static batch dim is kept
    when it is known.
    """
    static_batch = batch_size
    if _graph.is_tensor_like(batch_size):
        v = constant_value(_graph.convert_to_tensor(batch_size))
        static_batch = None if v is None else int(v)

    def make(s):
        dims = as_shape(s).as_list()
        z = array_ops.zeros([batch_size] + dims, dtype=dtype)
        z.set_shape([static_batch] + dims)
        return z
    return nest.map_structure(make, state_size)


class RNNCell:
    """Abstract RNN cell: subclasses define `state_size`, `output_size` and `call`.

    `cell(inputs, state)` runs `call` inside the cell's variable scope (see the
    module docstring). A subclass may instead override `__call__` entirely, and
    then needs no `__init__` call at all: static_rnn and dynamic_rnn only use
    `state_size`, `output_size`, `zero_state` and `__call__`.

    Args:
      trainable: whether created variables are trainable.
      name: the scope name of the cell (default: snake_case class name).
      dtype: the dtype of the variables (default: the dtype of the first inputs).
      _reuse: if True, the first call reuses existing variables of the same scope.
    """

    # The built-in cells take floating point inputs and state only (TF checks theirs).
    _float_inputs_only = False

    def __init__(self, trainable=True, name=None, dtype=None, _reuse=None, **kwargs):
        self._trainable = trainable
        self._base_name = name
        self._dtype = None if dtype is None else dtypes.as_dtype(dtype)
        self._reuse = _reuse
        self._scope = None
        self._trainable_weights = []
        self._non_trainable_weights = []
        self.built = False

    # -- the interface --------------------------------------------------------------------
    @property
    def state_size(self):
        """int, TensorShape, or a nested tuple of them: the size(s) of the state."""
        raise NotImplementedError("Abstract method")

    @property
    def output_size(self):
        """int or TensorShape: the size of the output."""
        raise NotImplementedError("Abstract method")

    def build(self, inputs_shape):
        """Creates the cell's variables; called once, in the cell's scope, before `call`."""
        self.built = True

    def call(self, inputs, state):
        """One step: returns (output, new_state). Subclasses implement it."""
        raise NotImplementedError("Abstract method")

    def zero_state(self, batch_size, dtype):
        """Zero-filled state tensor(s).

        Args:
          batch_size: int or scalar int Tensor.
          dtype: the state's dtype.

        Returns:
          A Tensor of shape [batch_size, state_size] if state_size is an int, else a
          nested structure like state_size of such Tensors.
        """
        with _graph.name_scope(type(self).__name__ + "ZeroState"):
            return zero_state_tensors(self.state_size, batch_size, dtype)

    # -- Layer-like bookkeeping ----------------------------------------------------------
    @property
    def name(self):
        return getattr(self, "_base_name", None) or _to_snake_case(type(self).__name__)

    @property
    def dtype(self):
        return getattr(self, "_dtype", None)

    @property
    def scope_name(self):
        scope = getattr(self, "_scope", None)
        return scope.name if scope is not None else None

    @property
    def trainable_weights(self):
        return list(getattr(self, "_trainable_weights", []))

    trainable_variables = trainable_weights

    @property
    def non_trainable_weights(self):
        return list(getattr(self, "_non_trainable_weights", []))

    non_trainable_variables = non_trainable_weights

    @property
    def weights(self):
        return self.trainable_weights + self.non_trainable_weights

    variables = weights

    def add_variable(self, name, shape, dtype=None, initializer=None, trainable=True):
        """`tf.get_variable(name, ...)` in the cell's scope, remembered in `weights`."""
        var = vs.get_variable(name, shape=shape, dtype=dtype or self.dtype or dtypes.float32,
                              initializer=initializer, trainable=trainable and self._trainable)
        bucket = self._trainable_weights if var.trainable else self._non_trainable_weights
        if not any(v is var for v in bucket):
            bucket.append(var)
        return var

    add_weight = add_variable

    def __call__(self, inputs, state, scope=None):
        """Runs the cell on `inputs` from `state` in the cell's variable scope.

        Args:
          inputs: a [batch_size, input_size] Tensor (or a structure the cell accepts).
          state: a Tensor or a nested tuple matching `state_size`.
          scope: on the first call, the variable scope to use instead of the default
            (the snake_case class name inside the current scope).

        Returns:
          (output, new_state).
        """
        inputs = nest.map_structure(_to_tensor, inputs)
        if self._float_inputs_only:
            _check_rnn_cell_input_dtypes([inputs, state])
        if getattr(self, "_scope", None) is None:
            return self._first_call(inputs, state, scope)
        with vs.variable_scope(self._scope, reuse=True, auxiliary_name_scope=False):
            with _graph.name_scope(self._scope.original_name_scope):
                return self.call(inputs, state)

    def _first_call(self, inputs, state, scope):
        if not hasattr(self, "_trainable_weights"):  # a subclass that skipped __init__
            RNNCell.__init__(self)
        if self._dtype is None:
            first = nest.flatten(inputs)[0]
            if first.dtype.is_floating:
                self._dtype = first.dtype
        base = self.name
        if scope is not None:
            cm = vs.variable_scope(scope, reuse=self._reuse)
        elif self._reuse:
            cm = vs.variable_scope(base, reuse=True)
        else:
            cm = vs.variable_scope(None, default_name=base)
        with cm as captured:
            self._scope = captured
            if not self.built:
                self.build(nest.map_structure(lambda t: t.get_shape(), inputs))
                self.built = True
            return self.call(inputs, state)


def _to_tensor(x):
    return x if isinstance(x, _graph.Tensor) else _graph.convert_to_tensor(x)


def _check_rnn_cell_input_dtypes(structure):
    """TF's check of the built-in cells' inputs and state, before any variable exists.

    Raises:
      ValueError: a tensor of the structure is not floating point (TF 1.x's message).
    """
    for t in nest.flatten(structure):
        dtype = getattr(t, "dtype", None)
        if dtype is not None and not dtype.is_floating:
            raise ValueError("RNN cell only supports floating point inputs, but saw dtype: "
                             "<dtype: '%s'>" % dtype.name)


# TF 1.x distinguishes cells that build their variables in `build` (LayerRNNCell)
# from those that call get_variable in `call`; here both use the same machinery.
LayerRNNCell = RNNCell


def _input_depth(inputs_shape, cell_name):
    depth = inputs_shape[-1].value if inputs_shape.ndims is not None else None
    if depth is None:
        raise ValueError("Expected inputs.shape[-1] to be known, saw shape: %s" % inputs_shape)
    if inputs_shape.ndims != 2:
        raise ValueError("Input 0 of layer %s is incompatible with the layer: expected ndim=2, "
                         "found ndim=%d. Full shape received: %s"
                         % (cell_name, inputs_shape.ndims, inputs_shape.as_list()))
    return depth


def _linear(args, kernel, bias):
    """concat(args, 1) @ kernel + bias: the affine map every cell uses."""
    x = args[0] if len(args) == 1 else array_ops.concat(args, 1)
    return nn_ops.bias_add(math_ops.matmul(x, kernel), bias)


class BasicRNNCell(RNNCell):
    """The most basic RNN cell: output = new_state = act(concat([x, h]) @ kernel + bias).

    Args:
      num_units: int, the number of units.
      activation: the nonlinearity (default tanh).
      reuse: whether the first call reuses existing variables.
      name: the scope name (default "basic_rnn_cell").
      dtype: the variables' dtype (default: the inputs').

    Variables: `kernel` [input_depth + num_units, num_units] and `bias` [num_units] (zeros).
    """

    _float_inputs_only = True

    def __init__(self, num_units, activation=None, reuse=None, name=None, dtype=None, **kwargs):
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        self._num_units = num_units
        self._activation = activation or math_ops.tanh

    @property
    def state_size(self):
        return self._num_units

    @property
    def output_size(self):
        return self._num_units

    def build(self, inputs_shape):
        depth = _input_depth(inputs_shape, self.name)
        self._kernel = self.add_variable(_WEIGHTS, [depth + self._num_units, self._num_units])
        self._bias = self.add_variable(_BIAS, [self._num_units],
                                       initializer=init_ops.zeros_initializer(dtype=self.dtype))
        self.built = True

    def call(self, inputs, state):
        output = self._activation(_linear([inputs, state], self._kernel, self._bias))
        return output, output


class BasicLSTMCell(RNNCell):
    """The basic LSTM cell (no peepholes, no clipping, no projection).

    z = concat([x, h]) @ kernel + bias is split into the gates i, j, f, o (in that order);
    c' = c * sigmoid(f + forget_bias) + sigmoid(i) * act(j);  h' = act(c') * sigmoid(o).

    Args:
      num_units: int, the number of units.
      forget_bias: float added to the forget gate's pre-activation (the bias starts at 0).
      state_is_tuple: if True (default) the state is LSTMStateTuple(c, h), else concat([c, h], 1).
      activation: the nonlinearity (default tanh).
      reuse, name, dtype: as for BasicRNNCell.

    Variables: `kernel` [input_depth + num_units, 4 * num_units] and `bias` [4 * num_units].
    """

    _float_inputs_only = True

    def __init__(self, num_units, forget_bias=1.0, state_is_tuple=True, activation=None,
                 reuse=None, name=None, dtype=None, **kwargs):
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        self._num_units = num_units
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = activation or math_ops.tanh

    @property
    def state_size(self):
        n = self._num_units
        return LSTMStateTuple(n, n) if self._state_is_tuple else 2 * n

    @property
    def output_size(self):
        return self._num_units

    def build(self, inputs_shape):
        depth = _input_depth(inputs_shape, self.name)
        n = self._num_units
        self._kernel = self.add_variable(_WEIGHTS, [depth + n, 4 * n])
        self._bias = self.add_variable(_BIAS, [4 * n],
                                       initializer=init_ops.zeros_initializer(dtype=self.dtype))
        self.built = True

    def call(self, inputs, state):
        if self._state_is_tuple:
            c, h = state
        else:
            c, h = array_ops.split(state, 2, axis=1)
        z = _linear([inputs, h], self._kernel, self._bias)
        i, j, f, o = array_ops.split(z, 4, axis=1)
        sigmoid = math_ops.sigmoid
        new_c = math_ops.add(math_ops.multiply(c, sigmoid(math_ops.add(f, self._forget_bias))),
                             math_ops.multiply(sigmoid(i), self._activation(j)))
        new_h = math_ops.multiply(self._activation(new_c), sigmoid(o))
        new_state = (LSTMStateTuple(new_c, new_h) if self._state_is_tuple
                     else array_ops.concat([new_c, new_h], 1))
        return new_h, new_state


class LSTMCell(RNNCell):
    """The LSTM cell with optional peepholes, cell clipping and output projection.

    Gates i, j, f, o as in BasicLSTMCell. With peepholes, f gets + w_f_diag * c_prev and
    i gets + w_i_diag * c_prev; o gets + w_o_diag * c_new (the new, clipped c).
    m = sigmoid(o) * act(c), then m = m @ projection/kernel (clipped to proj_clip) if
    num_proj is set. The state is LSTMStateTuple(c, m) and the output is m.

    Args:
      num_units: int, the number of units.
      use_peepholes: add the diagonal peephole connections.
      cell_clip: if set, c is clipped to [-cell_clip, cell_clip] before the output gate.
      initializer: the initializer of the kernel, peephole and projection weights.
      num_proj: if set, the output (and h state) size, via a linear projection.
      proj_clip: if set, the projection is clipped to [-proj_clip, proj_clip].
      forget_bias: added to the forget gate's pre-activation.
      state_is_tuple: LSTMStateTuple state (default) or concat([c, m], 1).
      activation: the nonlinearity (default tanh).
      reuse, name, dtype: as for BasicRNNCell.

    Variables: `kernel` [input_depth + h_depth, 4 * num_units] (h_depth = num_proj or
    num_units), `bias`, then `w_f_diag`, `w_i_diag`, `w_o_diag`, `projection/kernel`.
    """

    _float_inputs_only = True

    def __init__(self, num_units, use_peepholes=False, cell_clip=None, initializer=None,
                 num_proj=None, proj_clip=None, num_unit_shards=None, num_proj_shards=None,
                 forget_bias=1.0, state_is_tuple=True, activation=None, reuse=None, name=None,
                 dtype=None, **kwargs):
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        self._num_units = num_units
        self._use_peepholes = use_peepholes
        self._cell_clip = cell_clip
        self._initializer = initializer
        self._num_proj = num_proj
        self._proj_clip = proj_clip
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = activation or math_ops.tanh
        h = num_proj or num_units
        self._state_size = LSTMStateTuple(num_units, h) if state_is_tuple else num_units + h
        self._output_size = h

    @property
    def state_size(self):
        return self._state_size

    @property
    def output_size(self):
        return self._output_size

    def build(self, inputs_shape):
        depth = _input_depth(inputs_shape, self.name)
        n, h = self._num_units, self._num_proj or self._num_units
        init = self._initializer
        self._kernel = self.add_variable(_WEIGHTS, [depth + h, 4 * n], initializer=init)
        self._bias = self.add_variable(_BIAS, [4 * n],
                                       initializer=init_ops.zeros_initializer(dtype=self.dtype))
        if self._use_peepholes:
            self._w_f_diag = self.add_variable("w_f_diag", [n], initializer=init)
            self._w_i_diag = self.add_variable("w_i_diag", [n], initializer=init)
            self._w_o_diag = self.add_variable("w_o_diag", [n], initializer=init)
        if self._num_proj is not None:
            self._proj_kernel = self.add_variable("projection/" + _WEIGHTS, [n, self._num_proj],
                                                  initializer=init)
        self.built = True

    def call(self, inputs, state):
        n, h = self._num_units, self._num_proj or self._num_units
        sigmoid, act = math_ops.sigmoid, self._activation
        if self._state_is_tuple:
            c_prev, m_prev = state
        else:
            c_prev, m_prev = array_ops.split(state, [n, h], axis=1)
        z = _linear([inputs, m_prev], self._kernel, self._bias)
        i, j, f, o = array_ops.split(z, 4, axis=1)
        if self._use_peepholes:
            c = (sigmoid(f + self._forget_bias + self._w_f_diag * c_prev) * c_prev
                 + sigmoid(i + self._w_i_diag * c_prev) * act(j))
        else:
            c = sigmoid(f + self._forget_bias) * c_prev + sigmoid(i) * act(j)
        if self._cell_clip is not None:
            c = math_ops.clip_by_value(c, -self._cell_clip, self._cell_clip)
        if self._use_peepholes:
            m = sigmoid(o + self._w_o_diag * c) * act(c)
        else:
            m = sigmoid(o) * act(c)
        if self._num_proj is not None:
            m = math_ops.matmul(m, self._proj_kernel)
            if self._proj_clip is not None:
                m = math_ops.clip_by_value(m, -self._proj_clip, self._proj_clip)
        new_state = LSTMStateTuple(c, m) if self._state_is_tuple else array_ops.concat([c, m], 1)
        return m, new_state


class GRUCell(RNNCell):
    """The gated recurrent unit (TF 1.x form: the reset gate applies to h before the matmul).

    r, u = split(sigmoid(concat([x, h]) @ gates/kernel + gates/bias));
    c = act(concat([x, r * h]) @ candidate/kernel + candidate/bias);  h' = u * h + (1 - u) * c.

    Args:
      num_units: int, the number of units.
      activation: the nonlinearity (default tanh).
      reuse, name, dtype: as for BasicRNNCell.
      kernel_initializer: the initializer of both kernels (default glorot_uniform).
      bias_initializer: the initializer of both biases (default: gates 1.0, candidate 0.0).
    """

    _float_inputs_only = True

    def __init__(self, num_units, activation=None, reuse=None, kernel_initializer=None,
                 bias_initializer=None, name=None, dtype=None, **kwargs):
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        self._num_units = num_units
        self._activation = activation or math_ops.tanh
        self._kernel_initializer = kernel_initializer
        self._bias_initializer = bias_initializer

    @property
    def state_size(self):
        return self._num_units

    @property
    def output_size(self):
        return self._num_units

    def build(self, inputs_shape):
        depth = _input_depth(inputs_shape, self.name)
        n = self._num_units
        kinit, binit = self._kernel_initializer, self._bias_initializer
        self._gate_kernel = self.add_variable("gates/" + _WEIGHTS, [depth + n, 2 * n], initializer=kinit)
        self._gate_bias = self.add_variable(
            "gates/" + _BIAS, [2 * n],
            initializer=binit if binit is not None else init_ops.constant_initializer(1.0, dtype=self.dtype))
        self._candidate_kernel = self.add_variable("candidate/" + _WEIGHTS, [depth + n, n],
                                                   initializer=kinit)
        self._candidate_bias = self.add_variable(
            "candidate/" + _BIAS, [n],
            initializer=binit if binit is not None else init_ops.zeros_initializer(dtype=self.dtype))
        self.built = True

    def call(self, inputs, state):
        gates = math_ops.sigmoid(_linear([inputs, state], self._gate_kernel, self._gate_bias))
        r, u = array_ops.split(gates, 2, axis=1)
        c = self._activation(_linear([inputs, r * state], self._candidate_kernel, self._candidate_bias))
        new_h = u * state + (1 - u) * c
        return new_h, new_h


class MultiRNNCell(RNNCell):
    """Stacks cells: layer i runs in scope `cell_i` on the output of layer i-1.

    Args:
      cells: a list of RNNCells.
      state_is_tuple: if True (default) the state is a tuple with one entry per layer;
        else all states concatenated along axis 1 (only for cells with int state sizes).

    Raises:
      ValueError: `cells` is empty, or a cell has a tuple state while state_is_tuple is False.
      TypeError: `cells` is not a list or tuple.
    """

    def __init__(self, cells, state_is_tuple=True):
        super().__init__()
        if not cells:
            raise ValueError("Must specify at least one cell for MultiRNNCell.")
        if not nest.is_sequence(cells):
            raise TypeError("cells must be a list or tuple, but saw: %s." % (cells,))
        self._cells = list(cells)
        self._state_is_tuple = state_is_tuple
        if not state_is_tuple and any(nest.is_sequence(c.state_size) for c in self._cells):
            raise ValueError("Some cells return tuples of states, but the flag state_is_tuple is not "
                             "set.  State sizes are: %s" % str([c.state_size for c in self._cells]))

    @property
    def state_size(self):
        if self._state_is_tuple:
            return tuple(cell.state_size for cell in self._cells)
        return sum(cell.state_size for cell in self._cells)

    @property
    def output_size(self):
        return self._cells[-1].output_size

    def zero_state(self, batch_size, dtype):
        with _graph.name_scope(type(self).__name__ + "ZeroState"):
            if self._state_is_tuple:
                return tuple(cell.zero_state(batch_size, dtype) for cell in self._cells)
            return zero_state_tensors(self.state_size, batch_size, dtype)

    def call(self, inputs, state):
        cur_inp, new_states = inputs, []
        if not self._state_is_tuple:
            states = array_ops.split(state, [c.state_size for c in self._cells], axis=1)
        elif not nest.is_sequence(state):
            raise ValueError("Expected state to be a tuple of length %d, but received: %s"
                             % (len(self.state_size), state))
        else:
            states = state
        for i, cell in enumerate(self._cells):
            with vs.variable_scope("cell_%d" % i):
                cur_inp, new_state = cell(cur_inp, states[i])
            new_states.append(new_state)
        new_state = tuple(new_states) if self._state_is_tuple else array_ops.concat(new_states, 1)
        return cur_inp, new_state
