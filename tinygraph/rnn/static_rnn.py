"""static_rnn: an RNN unrolled at graph-construction time, one cell sub-graph per step.

The cell is called once per element of the input list inside variable scope "rnn";
step 0 creates the variables and the scope reuses them from step 1 on.
With `sequence_length`, row b stops at step seq_len[b]: later outputs are zeros
and the state is copied through, so the final state is each row's last valid one.
"""
from ..framework import dtypes
from ..framework import graph as _graph
from ..framework import nest
from ..framework.tensor_shape import TensorShape, as_shape
from ..ops import array_ops, math_ops
from ..ops import variable_scope as vs
from .cells import assert_like_rnncell

__all__ = ["static_rnn", "static_bidirectional_rnn"]


def _batch_size(inputs):
    """The batch size of the input list: an int when static, else a scalar Tensor.

    Raises:
      ValueError: a non-batch input dimension is unknown.
    """
    first = nest.flatten(inputs[0])[0]
    if first.get_shape().ndims == 1:  # e.g. int ids for EmbeddingWrapper
        fixed = first.get_shape()[0].value
    else:
        fixed = None
        for x in (leaf for step in inputs for leaf in nest.flatten(step)):
            shape = x.get_shape()
            if shape.ndims is not None and shape.ndims < 2:
                raise ValueError("Shape %s must have rank at least 2" % shape)
            if shape.ndims is None:
                continue
            fixed = fixed if fixed is not None else shape[0].value
            for i, d in enumerate(shape.dims[1:]):
                if d is None:
                    raise ValueError("Input size (dimension %d of inputs) must be accessible via "
                                     "shape inference, but saw value None." % i)
    if fixed is not None:
        return fixed
    return array_ops.shape(first)[0]


def static_rnn(cell, inputs, initial_state=None, dtype=None, sequence_length=None, scope=None):
    """Creates a recurrent network specified by `cell`, unrolled over the list `inputs`.

    Args:
      cell: an RNNCell.
      inputs: a list of T Tensors of shape [batch_size, input_size] (or nested structures).
      initial_state: the initial state (a structure matching cell.state_size); default zeros.
      dtype: the state's dtype, required when initial_state is None.
      sequence_length: optional int vector [batch_size]: the valid length of each row.
      scope: the variable scope (default "rnn").

    Returns:
      (outputs, state): the list of T outputs and the final state. With sequence_length,
      outputs at steps t >= sequence_length[b] are zeros and the final state of row b
      is its state after step sequence_length[b] - 1 (the initial state when 0).

    Raises:
      TypeError: `cell` is not an RNNCell or `inputs` is not a list.
      ValueError: `inputs` is empty, `dtype` is missing, or a shape is wrong.
    """
    assert_like_rnncell("cell", cell)
    if not nest.is_sequence(inputs):
        raise TypeError("inputs must be a sequence")
    if not inputs:
        raise ValueError("inputs must not be empty")
    outputs = []
    with vs.variable_scope(scope or "rnn") as varscope:
        batch_size = _batch_size(inputs)
        if initial_state is not None:
            state = initial_state
        else:
            if not dtype:
                raise ValueError("If no initial_state is provided, dtype must be specified")
            state = cell.zero_state(batch_size, dtype)

        if sequence_length is not None:
            sequence_length = _graph.convert_to_tensor(sequence_length, name="sequence_length")
            if sequence_length.get_shape().ndims not in (None, 1):
                raise ValueError("sequence_length must be a vector of length batch_size")
            sequence_length = math_ops.cast(sequence_length, dtypes.int32)
            state_dtype = dtypes.as_dtype(dtype) if dtype else nest.flatten(state)[0].dtype
            zero_output = nest.map_structure(
                lambda size: _zero_output(batch_size, size, state_dtype), cell.output_size)

        for time, input_ in enumerate(inputs):
            if time > 0:
                varscope.reuse_variables()
            output, new_state = cell(input_, state)
            if sequence_length is not None:
                # rows past their end: zero output, state copied through (a [batch]
                # condition makes where() pick whole rows)
                done = math_ops.greater_equal(time, sequence_length)
                output = nest.map_structure(lambda z, o: array_ops.where(done, z, o), zero_output, output)
                new_state = nest.map_structure(lambda s, n: array_ops.where(done, s, n), state, new_state)
            state = new_state
            outputs.append(output)
        return outputs, state


def _zero_output(batch_size, size, dtype):
    dims = as_shape(size).as_list()
    z = array_ops.zeros([batch_size] + dims, dtype=dtype)
    z.set_shape([batch_size if isinstance(batch_size, int) else None] + dims)
    return z


def _reverse_seq(input_seq, lengths):
    """Reverses a list of [batch, ...] Tensors in time; with `lengths`, only each row's valid part."""
    if lengths is None:
        return list(reversed(input_seq))
    flat_steps = [nest.flatten(x) for x in input_seq]
    flat_results = [[] for _ in input_seq]
    for sequence in zip(*flat_steps):  # one leaf of the structure, all time steps
        shape = TensorShape(None)
        for x in sequence:
            shape = shape.merge_with(x.get_shape())
        joined = array_ops.stack(sequence)  # [time, batch, ...]
        reversed_ = array_ops.reverse_sequence(joined, lengths, seq_axis=0, batch_axis=1)
        for r, out in zip(array_ops.unstack(reversed_, num=len(sequence)), flat_results):
            r.set_shape(shape)
            out.append(r)
    return [nest.pack_sequence_as(x, flat) for x, flat in zip(input_seq, flat_results)]


def static_bidirectional_rnn(cell_fw, cell_bw, inputs, initial_state_fw=None, initial_state_bw=None,
                             dtype=None, sequence_length=None, scope=None):
    """A bidirectional static RNN: a forward and a backward static_rnn over `inputs`.

    The backward cell sees the inputs reversed in time (only the valid part of each
    row when sequence_length is given); its outputs are reversed back so that both
    directions are aligned with the inputs, and concatenated along axis 1.

    Args:
      cell_fw, cell_bw: the RNNCells of the two directions (scopes "fw" and "bw").
      inputs: a list of T Tensors [batch_size, input_size].
      initial_state_fw, initial_state_bw: optional initial states.
      dtype: the state's dtype, required without initial states.
      sequence_length: optional int vector [batch_size].
      scope: the variable scope (default "bidirectional_rnn").

    Returns:
      (outputs, output_state_fw, output_state_bw): outputs is a list of T Tensors
      [batch_size, fw_size + bw_size].

    Raises:
      TypeError: a cell is not an RNNCell or `inputs` is not a list.
      ValueError: `inputs` is empty.
    """
    assert_like_rnncell("cell_fw", cell_fw)
    assert_like_rnncell("cell_bw", cell_bw)
    if not nest.is_sequence(inputs):
        raise TypeError("inputs must be a sequence")
    if not inputs:
        raise ValueError("inputs must not be empty")
    with vs.variable_scope(scope or "bidirectional_rnn"):
        with vs.variable_scope("fw") as fw_scope:
            output_fw, state_fw = static_rnn(cell_fw, inputs, initial_state_fw, dtype,
                                             sequence_length, scope=fw_scope)
        with vs.variable_scope("bw") as bw_scope:
            reversed_inputs = _reverse_seq(inputs, sequence_length)
            tmp, state_bw = static_rnn(cell_bw, reversed_inputs, initial_state_bw, dtype,
                                       sequence_length, scope=bw_scope)
    output_bw = _reverse_seq(tmp, sequence_length)
    outputs = [nest.pack_sequence_as(fw, [array_ops.concat([a, b], 1)
                                          for a, b in zip(nest.flatten(fw), nest.flatten(bw))])
               for fw, bw in zip(output_fw, output_bw)]
    return outputs, state_fw, state_bw
