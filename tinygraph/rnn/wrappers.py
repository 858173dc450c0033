"""Cell wrappers: cells built around another cell.

Two kinds, as in TF 1.x:
- DropoutWrapper, ResidualWrapper and DeviceWrapper only transform tensors around
  the inner cell; they override `__call__` and add NO variable scope, so the inner
  cell's variables keep their names (`rnn/basic_rnn_cell/kernel:0`).
- OutputProjectionWrapper, InputProjectionWrapper and EmbeddingWrapper own
  variables; they are ordinary cells with a scope of their own
  (`rnn/output_projection_wrapper/kernel:0`) and the inner cell nests inside it
  (`rnn/output_projection_wrapper/basic_rnn_cell/kernel:0`).
"""
import hashlib
import math
import numbers

from ..framework import graph as _graph
from ..framework import nest
from ..framework.tensor_shape import as_shape
from ..ops import array_ops, init_ops, math_ops, nn_ops, random_ops
from ..ops import variable_scope as vs
from ..ops.shape_utils import constant_value
from .cells import LSTMStateTuple, RNNCell, assert_like_rnncell

__all__ = ["DropoutWrapper", "ResidualWrapper", "DeviceWrapper", "OutputProjectionWrapper",
           "InputProjectionWrapper", "EmbeddingWrapper"]


class _Wrapper(RNNCell):
    """Forwards sizes and zero_state to the wrapped cell."""

    def __init__(self, cell, **kwargs):
        super().__init__(**kwargs)
        assert_like_rnncell("cell", cell)
        self._cell = cell

    @property
    def wrapped_cell(self):
        return self._cell

    @property
    def state_size(self):
        return self._cell.state_size

    @property
    def output_size(self):
        return self._cell.output_size

    def zero_state(self, batch_size, dtype):
        with _graph.name_scope(type(self).__name__ + "ZeroState"):
            return self._cell.zero_state(batch_size, dtype)


def _default_dropout_state_filter_visitor(substate):
    """Which parts of a state DropoutWrapper may drop: never an LSTM's memory c."""
    if isinstance(substate, LSTMStateTuple):
        return LSTMStateTuple(c=False, h=True)
    return True


def _state_dropout_flags(visitor, state):
    """One bool per leaf of nest.flatten(state): True where state dropout applies."""
    verdict = visitor(state)
    if isinstance(verdict, bool):
        if verdict and nest.is_sequence(state):
            return [f for sub in state for f in _state_dropout_flags(visitor, sub)]
        return [verdict] * len(nest.flatten(state))
    flags = []  # a structure of bools, one per child of `state`
    for flag, sub in zip(nest.flatten(verdict), state):
        flags.extend([bool(flag)] * len(nest.flatten(sub)))
    return flags


class DropoutWrapper(_Wrapper):
    """Applies dropout to the inputs, outputs and/or state of a cell.

    Dropout keeps each value with probability `keep` and scales it by 1/keep. A keep
    probability given as the Python number 1.0 adds no op at all (exact identity);
    Tensors (e.g. placeholders) always add the dropout ops. The memory `c` of an
    LSTMStateTuple is never dropped.

    Args:
      cell: the RNNCell to wrap.
      input_keep_prob, output_keep_prob, state_keep_prob: floats in [0, 1] or scalar Tensors.
      variational_recurrent: if True, one dropout mask per run of the network (per
        sequence) is used at every time step (Gal & Ghahramani); the masks are made here,
        in the graph of the constructor, so every step (and every loop iteration) shares
        them. Requires `dtype`, and `input_size` when the inputs may be dropped.
      input_size: (nested) depth(s) of the inputs, for variational input dropout.
      dtype: the dtype of the masks, for variational dropout.
      seed: optional random seed.
      dropout_state_filter_visitor: fn(substate) -> bool or structure of bools saying
        which parts of the state may be dropped (default: all but LSTM c).

    Raises:
      TypeError: `cell` is not an RNNCell.
      ValueError: a constant keep probability is outside [0, 1], or a variational
        argument is missing.
    """

    def __init__(self, cell, input_keep_prob=1.0, output_keep_prob=1.0, state_keep_prob=1.0,
                 variational_recurrent=False, input_size=None, dtype=None, seed=None,
                 dropout_state_filter_visitor=None):
        super().__init__(cell)
        with _graph.name_scope("DropoutWrapperInit"):
            for prob, attr in ((input_keep_prob, "input_keep_prob"),
                               (state_keep_prob, "state_keep_prob"),
                               (output_keep_prob, "output_keep_prob")):
                setattr(self, "_" + attr, self._keep_prob(prob, attr))
        self._variational_recurrent = variational_recurrent
        self._seed = seed
        self._dropout_state_filter = dropout_state_filter_visitor or _default_dropout_state_filter_visitor
        self._recurrent_input_noise = None
        self._recurrent_state_noise = None
        self._recurrent_output_noise = None
        if variational_recurrent:
            if dtype is None:
                raise ValueError("When variational_recurrent=True, dtype must be provided")

            def batch_noise(sizes, salt):
                # shape [1, size]: the same mask for every row and every step
                return [random_ops.random_uniform([1] + as_shape(s).as_list(), dtype=dtype,
                                                  seed=self._gen_seed(salt, i))
                        for i, s in enumerate(nest.flatten(sizes))]

            if not isinstance(self._input_keep_prob, numbers.Real) or self._input_keep_prob < 1.0:
                if input_size is None:
                    raise ValueError("When variational_recurrent=True and input_keep_prob < 1.0 or "
                                     "is unknown, input_size must be provided")
                self._recurrent_input_noise = batch_noise(input_size, "input")
            self._recurrent_state_noise = batch_noise(cell.state_size, "state")
            self._recurrent_output_noise = batch_noise(cell.output_size, "output")

    @staticmethod
    def _keep_prob(prob, attr):
        tensor = _graph.convert_to_tensor(prob) if not isinstance(prob, numbers.Real) else None
        value = prob if tensor is None else constant_value(tensor)
        if value is None:
            return tensor
        value = float(value)
        if value < 0 or value > 1:
            raise ValueError("Parameter %s must be between 0 and 1: %d" % (attr, value))
        return value

    def _gen_seed(self, salt_prefix, index):
        if self._seed is None:
            return None
        text = (str(self._seed) + "%s_%d" % (salt_prefix, index)).encode("utf-8")
        return int(hashlib.md5(text).hexdigest()[:8], 16) & 0x7FFFFFFF

    def _dropout(self, values, salt, noise, keep_prob, flags=None):
        flat = nest.flatten(values)
        flags = flags or [True] * len(flat)
        out = []
        for i, (v, do) in enumerate(zip(flat, flags)):
            if not do:
                out.append(v)
            elif self._variational_recurrent:
                # keep where keep_prob + u >= 1, i.e. with probability keep_prob
                mask = math_ops.floor(keep_prob + noise[i])
                dropped = math_ops.divide(v, keep_prob) * mask
                dropped.set_shape(v.get_shape())
                out.append(dropped)
            else:
                out.append(nn_ops.dropout(v, keep_prob=keep_prob, seed=self._gen_seed(salt, i)))
        return nest.pack_sequence_as(values, out)

    def __call__(self, inputs, state, scope=None):
        """Runs the wrapped cell with the declared dropouts; returns (output, new_state)."""
        def should_drop(p):
            return not isinstance(p, float) or p < 1

        if should_drop(self._input_keep_prob):
            inputs = self._dropout(inputs, "input", self._recurrent_input_noise, self._input_keep_prob)
        output, new_state = self._cell(inputs, state, scope=scope)
        if should_drop(self._state_keep_prob):
            flags = _state_dropout_flags(self._dropout_state_filter, new_state)
            new_state = self._dropout(new_state, "state", self._recurrent_state_noise,
                                      self._state_keep_prob, flags)
        if should_drop(self._output_keep_prob):
            output = self._dropout(output, "output", self._recurrent_output_noise, self._output_keep_prob)
        return output, new_state


class ResidualWrapper(_Wrapper):
    """Adds the cell's inputs to its outputs: output = inputs + cell_output.

    Args:
      cell: the RNNCell to wrap; its output must have the shape of its input.
      residual_fn: optional fn(inputs, outputs) -> outputs replacing the addition.
    """

    def __init__(self, cell, residual_fn=None):
        super().__init__(cell)
        self._residual_fn = residual_fn

    def __call__(self, inputs, state, scope=None):
        """Runs the cell; returns (inputs + output, new_state).

        Raises:
          ValueError: the inputs and outputs differ in structure or shape.
        """
        outputs, new_state = self._cell(inputs, state, scope=scope)
        if self._residual_fn is not None:
            return self._residual_fn(inputs, outputs), new_state

        def add(inp, out):
            inp.get_shape().assert_is_compatible_with(out.get_shape())
            return inp + out
        nest.assert_same_structure(inputs, outputs)
        return nest.map_structure(add, inputs, outputs), new_state


class DeviceWrapper(_Wrapper):
    """Runs a cell (and builds its zero state) under `tf.device(device)`.

    Args:
      cell: the RNNCell to wrap.
      device: a device string, e.g. "/gpu:0".
    """

    def __init__(self, cell, device):
        super().__init__(cell)
        self._device = device

    @property
    def device(self):
        return self._device

    def zero_state(self, batch_size, dtype):
        with _graph.name_scope(type(self).__name__ + "ZeroState"), _graph.device(self._device):
            return self._cell.zero_state(batch_size, dtype)

    def __call__(self, inputs, state, scope=None):
        with _graph.device(self._device):
            return self._cell(inputs, state, scope=scope)


def _linear_variables(input_depth, output_size, dtype):
    """`kernel` [input_depth, output_size] and `bias` [output_size] (zeros) in the current scope."""
    kernel = vs.get_variable("kernel", [input_depth, output_size], dtype=dtype)
    bias = vs.get_variable("bias", [output_size], dtype=dtype,
                           initializer=init_ops.constant_initializer(0.0, dtype=dtype))
    return kernel, bias


def _last_dim(t, what):
    d = t.get_shape()[-1].value if t.get_shape().ndims is not None else None
    if d is None:
        raise ValueError("linear is expecting 2D arguments with a known last dimension: %s %s"
                         % (what, t.get_shape()))
    return d


class OutputProjectionWrapper(_Wrapper):
    """Projects the cell's output: out = act(cell_output @ kernel + bias).

    Variables (created after the inner cell's, in scope `output_projection_wrapper`):
    `kernel` [cell.output_size, output_size] and `bias` [output_size] (zeros).

    Args:
      cell: the RNNCell to wrap.
      output_size: int, the projection size.
      activation: optional nonlinearity applied to the projection.
      reuse: whether the first call reuses existing variables.

    Raises:
      TypeError: `cell` is not an RNNCell.
      ValueError: output_size < 1.
    """

    def __init__(self, cell, output_size, activation=None, reuse=None):
        super().__init__(cell, _reuse=reuse)
        if output_size < 1:
            raise ValueError("Parameter output_size must be > 0: %d." % output_size)
        self._output_size = output_size
        self._activation = activation
        self._kernel = None

    @property
    def output_size(self):
        return self._output_size

    def call(self, inputs, state):
        output, new_state = self._cell(inputs, state)
        if getattr(self, "_defer_projection", False):
            return output, new_state  # dynamic_rnn projects all steps after its loop
        return self._project(output), new_state

    def _project(self, output):
        if self._kernel is None:
            self._kernel, self._bias = _linear_variables(_last_dim(output, "output"),
                                                         self._output_size, output.dtype)
        projected = nn_ops.bias_add(math_ops.matmul(output, self._kernel), self._bias)
        if self._activation:
            projected = self._activation(projected)
        return projected

    def _project_all(self, outputs):
        """The projection of [..., cell.output_size] outputs of many steps at once, in this
        wrapper's scope (its variables are created here if no step created them)."""
        units = _last_dim(outputs, "output")
        with vs.variable_scope(self._scope, auxiliary_name_scope=False):
            with _graph.name_scope(self._scope.name + "/"):  # not the loop body's name scope
                flat = array_ops.reshape(outputs, [-1, units])
                projected = self._project(flat)
                lead = array_ops.shape(outputs)[:-1]
                out = array_ops.reshape(projected, array_ops.concat([lead, [self._output_size]], 0))
        out.set_shape(outputs.shape[:-1].concatenate([self._output_size]))
        return out


class InputProjectionWrapper(_Wrapper):
    """Projects the inputs before the cell: cell(act(inputs @ kernel + bias), state).

    Variables in scope `input_projection_wrapper`: `kernel` [input_depth, num_proj] and
    `bias` [num_proj], then the inner cell's.

    Args:
      cell: the RNNCell to wrap.
      num_proj: int, the projection size (the inner cell's input depth).
      activation: optional nonlinearity applied to the projection.
      input_size: deprecated and unused.
      reuse: whether the first call reuses existing variables.
    """

    def __init__(self, cell, num_proj, activation=None, input_size=None, reuse=None):
        super().__init__(cell, _reuse=reuse)
        self._num_proj = num_proj
        self._activation = activation
        self._kernel = None

    def call(self, inputs, state):
        if self._kernel is None:
            self._kernel, self._bias = _linear_variables(_last_dim(inputs, "inputs"),
                                                         self._num_proj, inputs.dtype)
        projected = nn_ops.bias_add(math_ops.matmul(inputs, self._kernel), self._bias)
        if self._activation:
            projected = self._activation(projected)
        return self._cell(projected, state)


class EmbeddingWrapper(_Wrapper):
    """Embeds integer inputs before the cell: cell(embedding[ids], state).

    Variable in scope `embedding_wrapper`: `embedding` [embedding_classes, embedding_size],
    initialised by `initializer`, else the scope's, else uniform(-sqrt(3), sqrt(3)).

    Args:
      cell: the RNNCell to wrap.
      embedding_classes: int, the number of symbols.
      embedding_size: int, the embedding depth.
      initializer: optional initializer of the embedding.
      reuse: whether the first call reuses existing variables.

    Raises:
      ValueError: a size is not positive.
    """

    def __init__(self, cell, embedding_classes, embedding_size, initializer=None, reuse=None):
        super().__init__(cell, _reuse=reuse)
        if embedding_classes <= 0 or embedding_size <= 0:
            raise ValueError("Both embedding_classes and embedding_size must be > 0: %d, %d."
                             % (embedding_classes, embedding_size))
        self._embedding_classes = embedding_classes
        self._embedding_size = embedding_size
        self._initializer = initializer

    def call(self, inputs, state):
        initializer = self._initializer or vs.get_variable_scope().initializer
        if initializer is None:
            sqrt3 = math.sqrt(3)  # uniform(-sqrt3, sqrt3) has variance 1
            initializer = init_ops.random_uniform_initializer(-sqrt3, sqrt3)
        dtype = nest.flatten(state)[0].dtype
        embedding = vs.get_variable("embedding", [self._embedding_classes, self._embedding_size],
                                    initializer=initializer, dtype=dtype)
        embedded = array_ops.gather(embedding, array_ops.reshape(inputs, [-1]), name="embedding_lookup")
        return self._cell(embedded, state)
