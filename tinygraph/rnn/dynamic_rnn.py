"""dynamic_rnn: an RNN unrolled at run time by ONE While op, whatever the sequence length.

    inputs [B, T, n] --transpose--> [T, B, n] --unstack--> input TensorArray
    While(time < T):  x_t = input_ta.read(time)
                      output, state = cell(x_t, state)      (traced once)
                      output_ta = output_ta.write(time, output)
    output_ta.stack() [T, B, units] --transpose--> outputs [B, T, units]

With `sequence_length`, rows whose sequence has ended emit zeros and carry their
state through unchanged, so the final state is each row's state at its last valid
step; the loop stops after max(sequence_length) steps.
"""
from .. import config
from ..control_flow.tensor_array import TensorArray
from ..control_flow.while_loop import while_loop
from ..framework import dtypes, nest
from ..framework import graph as _graph
from ..framework.tensor_shape import TensorShape
from ..ops import array_ops, math_ops
from ..ops.constant_op import constant
from ..ops.variable_scope import variable_scope
from .wrappers import OutputProjectionWrapper

__all__ = ["dynamic_rnn", "bidirectional_dynamic_rnn"]


def _transpose_batch_time(x):
    """Swaps the first two axes of a rank >= 2 tensor."""
    nd = x.shape.ndims
    if nd is not None and nd < 2:
        raise ValueError("Expected input tensor %s to have rank at least 2" % x)
    if nd is None:
        raise ValueError("dynamic_rnn needs inputs of known rank, got %s" % x)
    return array_ops.transpose(x, [1, 0] + list(range(2, nd)))


def _batch_size(flat_time_major):
    for x in flat_time_major:
        d = x.shape.dims[1]
        if d is not None:
            return d
    return array_ops.shape(flat_time_major[0])[1]


def _state_size_dims(size):
    if isinstance(size, TensorShape):
        return size.as_list()
    return [int(size)]


def _check_cell(cell):
    for attr in ("output_size", "state_size"):
        if not hasattr(cell, attr):
            raise TypeError("The argument 'cell' (%s) is not an RNNCell: '%s' property is missing."
                            % (cell, attr))
    if not callable(cell):
        raise TypeError("The argument 'cell' (%s) is not an RNNCell: it is not callable." % cell)


def _zero_state(cell, batch_size, dtype):
    if hasattr(cell, "zero_state"):
        return cell.zero_state(batch_size, dtype)
    return nest.map_structure(lambda s: array_ops.zeros([batch_size] + _state_size_dims(s), dtype),
                              cell.state_size)


def dynamic_rnn(cell, inputs, sequence_length=None, initial_state=None, dtype=None,
                parallel_iterations=None, swap_memory=False, time_major=False, scope=None):
    """Runs `cell` over the time axis of `inputs` with one While op (tf.nn.dynamic_rnn).

    Args:
      cell: an RNNCell (anything with state_size, output_size and __call__).
      inputs: [batch, time, ...] (or [time, batch, ...] with time_major), or a nested
        structure of such tensors. The time length may be unknown when building.
      sequence_length: optional int vector [batch]: steps at and beyond a row's length
        output zeros and copy the state through.
      initial_state: optional state matching cell.state_size (gradients flow into it).
      dtype: the state dtype; required when initial_state is None.
      parallel_iterations: accepted for compatibility (iterations run in order).
      swap_memory: on a device backend, keep saved activations in host memory.
      time_major: whether inputs and outputs are [time, batch, ...].
      scope: the variable scope (default "rnn").

    Returns:
      (outputs, state): outputs [batch, time, cell.output_size] (time-major if asked),
      state the final state, structured like cell.state_size.

    Raises:
      TypeError: `cell` is not an RNNCell.
      ValueError: neither initial_state nor dtype is given, or inputs have bad ranks.
    """
    _check_cell(cell)
    with variable_scope(scope or "rnn"):
        flat_input = [_graph.convert_to_tensor(x) for x in nest.flatten(inputs)]
        if not time_major:
            flat_input = [_transpose_batch_time(x) for x in flat_input]
        if sequence_length is not None:
            sequence_length = math_ops.cast(sequence_length, dtypes.int32)
            if sequence_length.shape.ndims not in (None, 1):
                raise ValueError("sequence_length must be a vector of length batch_size, but saw "
                                 "shape: %s" % sequence_length.shape)
            sequence_length = array_ops.identity(sequence_length, name="sequence_length")
        batch_size = _batch_size(flat_input)
        if initial_state is not None:
            state = initial_state
        else:
            if not dtype:
                raise ValueError("If there is no initial_state, you must give a dtype.")
            state = _zero_state(cell, batch_size, dtype)
        inputs = nest.pack_sequence_as(inputs, flat_input)
        if _can_merge_projection(cell):
            # Loop over the inner cell; project every step's output with one matmul after.
            cell._defer_projection = True
            try:
                outputs, final_state = _dynamic_rnn_loop(cell, inputs, state, swap_memory, sequence_length,
                                                         batch_size, parallel_iterations or 32,
                                                         output_size=cell._cell.output_size)
            finally:
                cell._defer_projection = False
            outputs = cell._project_all(outputs)
            if sequence_length is not None:  # the projection of a padded step must stay zero
                outputs = _zero_past_lengths(outputs, sequence_length)
        else:
            outputs, final_state = _dynamic_rnn_loop(cell, inputs, state, swap_memory, sequence_length,
                                                     batch_size, parallel_iterations or 32)
        if not time_major:
            outputs = nest.map_structure(_transpose_batch_time, outputs)
        return outputs, final_state


def _can_merge_projection(cell):
    """Whether dynamic_rnn may apply this OutputProjectionWrapper after its loop (exact: the
    projection of each step depends only on that step's output)."""
    return (config.enabled("merge_output_projection") and type(cell) is OutputProjectionWrapper
            and isinstance(cell._cell.output_size, int))


def _zero_past_lengths(outputs, sequence_length):
    """Zeros the rows of time-major `outputs` [T, B, n] at t >= sequence_length[b]."""
    shape = array_ops.shape(outputs)
    valid = array_ops.transpose(array_ops.sequence_mask(sequence_length, shape[0]))  # [T, B]
    flat = array_ops.reshape(outputs, array_ops.stack([-1, shape[2]]))
    kept = array_ops.where(array_ops.reshape(valid, [-1]), flat, array_ops.zeros_like(flat))
    out = array_ops.reshape(kept, shape)
    out.set_shape(outputs.shape)
    return out


def _dynamic_rnn_loop(cell, inputs, initial_state, swap_memory, sequence_length, batch_size,
                      parallel_iterations, output_size=None):
    flat_input = nest.flatten(inputs)
    state_dtype = nest.flatten(initial_state)[0].dtype if nest.flatten(initial_state) else flat_input[0].dtype
    time_steps = array_ops.shape(flat_input[0])[0]
    static_steps = flat_input[0].shape.dims[0]
    static_batch = batch_size if isinstance(batch_size, int) else None
    if output_size is None:
        output_size = cell.output_size
    flat_output_size = [_state_size_dims(s) for s in nest.flatten(output_size)]
    time = constant(0, dtype=dtypes.int32, name="time")
    with _graph.name_scope("dynamic_rnn"):
        output_tas = [TensorArray(state_dtype, size=time_steps,
                                  element_shape=TensorShape([static_batch] + size),
                                  tensor_array_name="output_%d" % i)
                      for i, size in enumerate(flat_output_size)]
        input_tas = [TensorArray(x.dtype, size=time_steps, element_shape=x.shape[1:],
                                 tensor_array_name="input_%d" % i).unstack(x)
                     for i, x in enumerate(flat_input)]
    if sequence_length is not None:
        max_len = math_ops.reduce_max(sequence_length)
        loop_bound = math_ops.minimum(time_steps, math_ops.maximum(1, max_len))
        zero_outputs = [array_ops.zeros(array_ops.stack([batch_size] + size) if not isinstance(batch_size, int)
                                        else [batch_size] + size, state_dtype) for size in flat_output_size]
    else:
        loop_bound = time_steps

    def time_step(time, output_tas, state):
        step_inputs = []
        for ta, x in zip(input_tas, flat_input):
            x_t = ta.read(time)
            x_t.set_shape(x.shape[1:])
            step_inputs.append(x_t)
        step_inputs = nest.pack_sequence_as(inputs, step_inputs)
        output, new_state = cell(step_inputs, state)
        flat_out = [_graph.convert_to_tensor(o) for o in nest.flatten(output)]
        if sequence_length is not None:
            finished = math_ops.greater_equal(time, sequence_length)  # [batch] bool
            flat_out = [array_ops.where(finished, z, o) for z, o in zip(zero_outputs, flat_out)]
            nest.assert_same_structure(state, new_state)
            new_state = nest.pack_sequence_as(state, [
                array_ops.where(finished, old, new)
                for old, new in zip(nest.flatten(state), nest.flatten(new_state))])
        output_tas = [ta.write(time, o) for ta, o in zip(output_tas, flat_out)]
        return time + 1, output_tas, new_state

    _, final_tas, final_state = while_loop(
        lambda time, *_: math_ops.less(time, loop_bound), time_step, (time, output_tas, initial_state),
        parallel_iterations=parallel_iterations, maximum_iterations=time_steps,
        swap_memory=swap_memory)
    outputs = []
    for ta, size in zip(final_tas, flat_output_size):
        out = ta.stack()
        out.set_shape([static_steps, static_batch] + size)
        outputs.append(out)
    return nest.pack_sequence_as(output_size, outputs), final_state


def bidirectional_dynamic_rnn(cell_fw, cell_bw, inputs, sequence_length=None, initial_state_fw=None,
                              initial_state_bw=None, dtype=None, parallel_iterations=None,
                              swap_memory=False, time_major=False, scope=None):
    """A forward and a backward dynamic_rnn over the same inputs (tf.nn.bidirectional_dynamic_rnn).

    The backward cell reads each sequence reversed over its valid part only
    (reverse_sequence with sequence_length); its outputs are reversed back so that
    output_bw[t] lines up with input t.

    Returns:
      ((output_fw, output_bw), (output_state_fw, output_state_bw)).

    Raises:
      TypeError: a cell is not an RNNCell.
    """
    _check_cell(cell_fw)
    _check_cell(cell_bw)
    time_axis, batch_axis = (0, 1) if time_major else (1, 0)

    def reverse(x):
        if sequence_length is not None:
            return array_ops.reverse_sequence(x, sequence_length, seq_axis=time_axis,
                                              batch_axis=batch_axis)
        return array_ops.reverse(x, axis=[time_axis])

    with variable_scope(scope or "bidirectional_rnn"):
        with variable_scope("fw") as fw_scope:
            output_fw, state_fw = dynamic_rnn(cell_fw, inputs, sequence_length, initial_state_fw, dtype,
                                              parallel_iterations, swap_memory, time_major, scope=fw_scope)
        with variable_scope("bw") as bw_scope:
            reversed_inputs = nest.map_structure(lambda x: reverse(_graph.convert_to_tensor(x)), inputs)
            tmp, state_bw = dynamic_rnn(cell_bw, reversed_inputs, sequence_length, initial_state_bw, dtype,
                                        parallel_iterations, swap_memory, time_major, scope=bw_scope)
    output_bw = nest.map_structure(reverse, tmp)
    return (output_fw, output_bw), (state_fw, state_bw)
