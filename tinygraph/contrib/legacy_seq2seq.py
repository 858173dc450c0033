"""tf.contrib.legacy_seq2seq: sequence-to-sequence models built from static RNNs.

Inputs are Python lists with one [batch_size, ...] Tensor per time step. The
encoder and decoder use separate copies of the given cell (so separate weights),
exactly as TF 1.x lays them out:

    embedding_rnn_seq2seq/rnn/embedding_wrapper/embedding
    embedding_rnn_seq2seq/rnn/embedding_wrapper/<cell>/...
    embedding_rnn_seq2seq/embedding_rnn_decoder/embedding
    embedding_rnn_seq2seq/embedding_rnn_decoder/rnn_decoder/output_projection_wrapper/...
"""
import copy

from ..control_flow.cond import cond
from ..framework import dtypes
from ..framework import graph as _graph
from ..framework import nest
from ..ops import array_ops, control_flow_ops, math_ops, nn_ops
from ..ops import variable_scope as vs
from ..rnn.static_rnn import static_rnn
from ..rnn.wrappers import EmbeddingWrapper, OutputProjectionWrapper

__all__ = ["rnn_decoder", "basic_rnn_seq2seq", "tied_rnn_seq2seq", "embedding_rnn_decoder",
           "embedding_rnn_seq2seq", "sequence_loss_by_example", "sequence_loss"]


def _copy_cell(cell):
    """A deep copy of `cell` that shares (does not copy) the graph and its tensors."""
    graph = _graph.get_default_graph()
    memo = {id(graph): graph}
    for op in graph.get_operations():
        memo[id(op)] = op
        for t in op.outputs:
            memo[id(t)] = t
    return copy.deepcopy(cell, memo)


def rnn_decoder(decoder_inputs, initial_state, cell, loop_function=None, scope=None):
    """An RNN decoder: runs `cell` over `decoder_inputs` from `initial_state`.

    Args:
      decoder_inputs: a list of [batch_size, input_size] Tensors.
      initial_state: the initial state of the cell.
      cell: an RNNCell.
      loop_function: if given, fn(prev_output, i) -> next input, used from step 1 on
        instead of decoder_inputs[i] (e.g. feeding back the previous prediction).
      scope: the variable scope (default "rnn_decoder").

    Returns:
      (outputs, state): the list of outputs and the final state.
    """
    with vs.variable_scope(scope or "rnn_decoder"):
        state, outputs, prev = initial_state, [], None
        for i, inp in enumerate(decoder_inputs):
            if loop_function is not None and prev is not None:
                with vs.variable_scope("loop_function", reuse=True):
                    inp = loop_function(prev, i)
            if i > 0:
                vs.get_variable_scope().reuse_variables()
            output, state = cell(inp, state)
            outputs.append(output)
            if loop_function is not None:
                prev = output
    return outputs, state


def basic_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, dtype=dtypes.float32, scope=None):
    """Encodes `encoder_inputs` with a copy of `cell`, then decodes from its final state.

    Args:
      encoder_inputs, decoder_inputs: lists of [batch_size, input_size] Tensors.
      cell: an RNNCell (the encoder uses a deep copy, so its own weights).
      dtype: the dtype of the encoder's initial state.
      scope: the variable scope (default "basic_rnn_seq2seq").

    Returns:
      (outputs, state) of the decoder.
    """
    with vs.variable_scope(scope or "basic_rnn_seq2seq"):
        enc_cell = _copy_cell(cell)
        _, enc_state = static_rnn(enc_cell, encoder_inputs, dtype=dtype)
        return rnn_decoder(decoder_inputs, enc_state, cell)


def tied_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, loop_function=None,
                     dtype=dtypes.float32, scope=None):
    """Like basic_rnn_seq2seq, but the encoder and decoder share the cell's weights.

    Returns:
      (outputs, state) of the decoder.
    """
    with vs.variable_scope("combined_tied_rnn_seq2seq"):
        scope = scope or "tied_rnn_seq2seq"
        _, enc_state = static_rnn(cell, encoder_inputs, dtype=dtype, scope=scope)
        vs.get_variable_scope().reuse_variables()
        return rnn_decoder(decoder_inputs, enc_state, cell, loop_function=loop_function, scope=scope)


def _embedding_lookup(params, ids):
    return array_ops.gather(params, ids, name="embedding_lookup")


def _extract_argmax_and_embed(embedding, output_projection=None, update_embedding=True):
    """A loop_function that embeds the argmax of the previous output."""
    def loop_function(prev, _):
        if output_projection is not None:
            prev = nn_ops.bias_add(math_ops.matmul(prev, output_projection[0]), output_projection[1])
        prev_symbol = math_ops.argmax(prev, 1)
        emb_prev = _embedding_lookup(embedding, prev_symbol)
        if not update_embedding:
            emb_prev = control_flow_ops.stop_gradient(emb_prev)
        return emb_prev
    return loop_function


def embedding_rnn_decoder(decoder_inputs, initial_state, cell, num_symbols, embedding_size,
                          output_projection=None, feed_previous=False,
                          update_embedding_for_previous=True, scope=None):
    """An RNN decoder over embedded integer symbols.

    Args:
      decoder_inputs: a list of [batch_size] int Tensors (symbol ids).
      initial_state: the initial state of the cell.
      cell: an RNNCell.
      num_symbols: the number of symbols (rows of the `embedding` variable).
      embedding_size: the embedding depth.
      output_projection: optional (W [output_size, num_symbols], B [num_symbols]) used by
        feed_previous to turn outputs into symbol logits.
      feed_previous: if True, from step 1 on the input is the embedding of the argmax of
        the previous output (greedy decoding) instead of decoder_inputs[i].
      update_embedding_for_previous: if False, no gradient flows into the embedding
        through the fed-back symbols.
      scope: the variable scope (default "embedding_rnn_decoder").

    Returns:
      (outputs, state).

    Raises:
      ValueError: output_projection has the wrong shape.
    """
    with vs.variable_scope(scope or "embedding_rnn_decoder") as scope:
        if output_projection is not None:
            dtype = scope.dtype
            w = _graph.convert_to_tensor(output_projection[0], dtype=dtype)
            w.get_shape().assert_is_compatible_with([None, num_symbols])
            b = _graph.convert_to_tensor(output_projection[1], dtype=dtype)
            b.get_shape().assert_is_compatible_with([num_symbols])
            output_projection = (w, b)
        embedding = vs.get_variable("embedding", [num_symbols, embedding_size])
        loop_function = (_extract_argmax_and_embed(embedding, output_projection,
                                                   update_embedding_for_previous)
                         if feed_previous else None)
        emb_inp = [_embedding_lookup(embedding, i) for i in decoder_inputs]
        return rnn_decoder(emb_inp, initial_state, cell, loop_function=loop_function)


def embedding_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, num_encoder_symbols,
                          num_decoder_symbols, embedding_size, output_projection=None,
                          feed_previous=False, dtype=None, scope=None):
    """An embedding seq2seq model: an embedding encoder RNN, then an embedding decoder RNN.

    The encoder is a copy of `cell` in an EmbeddingWrapper run by static_rnn; the decoder
    starts from the encoder's final state. Without `output_projection`, the decoder cell
    is wrapped in OutputProjectionWrapper(cell, num_decoder_symbols), so outputs are logits.

    Args:
      encoder_inputs, decoder_inputs: lists of [batch_size] int Tensors.
      cell: an RNNCell.
      num_encoder_symbols, num_decoder_symbols: vocabulary sizes.
      embedding_size: the embedding depth of both sides.
      output_projection: optional (W, B) pair; then outputs have the cell's output size.
      feed_previous: a bool, or a bool Tensor choosing at run time (one decoder per branch).
      dtype: the dtype of the initial state (default: the scope's, float32).
      scope: the variable scope (default "embedding_rnn_seq2seq").

    Returns:
      (outputs, state): the decoder's list of outputs and its final state.
    """
    with vs.variable_scope(scope or "embedding_rnn_seq2seq") as scope:
        if dtype is not None:
            scope.set_dtype(dtype)
        else:
            dtype = scope.dtype
        encoder_cell = EmbeddingWrapper(_copy_cell(cell), embedding_classes=num_encoder_symbols,
                                        embedding_size=embedding_size)
        _, encoder_state = static_rnn(encoder_cell, encoder_inputs, dtype=dtype)
        if output_projection is None:
            cell = OutputProjectionWrapper(cell, num_decoder_symbols)
        if isinstance(feed_previous, bool):
            return embedding_rnn_decoder(decoder_inputs, encoder_state, cell, num_decoder_symbols,
                                         embedding_size, output_projection=output_projection,
                                         feed_previous=feed_previous)
        return _decoder_by_cond(feed_previous, decoder_inputs, encoder_state, cell,
                                num_decoder_symbols, embedding_size, output_projection)


def _decoder_by_cond(feed_previous, decoder_inputs, encoder_state, cell, num_symbols,
                     embedding_size, output_projection):
    """Builds the decoder for both values of a bool Tensor and picks one with tf.cond."""

    def decoder(feed_previous_bool):
        reuse = None if feed_previous_bool else True
        with vs.variable_scope(vs.get_variable_scope(), reuse=reuse):
            outputs, state = embedding_rnn_decoder(
                decoder_inputs, encoder_state, cell, num_symbols, embedding_size,
                output_projection=output_projection, feed_previous=feed_previous_bool,
                update_embedding_for_previous=False)
            return list(outputs) + nest.flatten(state)

    both = cond(feed_previous, lambda: decoder(True), lambda: decoder(False))
    n = len(decoder_inputs)
    state = nest.pack_sequence_as(encoder_state, list(both[n:]))
    return list(both[:n]), state


def sequence_loss_by_example(logits, targets, weights, average_across_timesteps=True,
                             softmax_loss_function=None, name=None):
    """Weighted cross-entropy per example, summed over time steps.

    Args:
      logits: a list of [batch_size, num_classes] Tensors.
      targets: a list of [batch_size] int Tensors (class ids).
      weights: a list of [batch_size] float Tensors.
      average_across_timesteps: divide by the summed weights (+1e-12).
      softmax_loss_function: fn(labels=, logits=) -> [batch_size] losses; default
        sparse softmax cross-entropy.
      name: the name scope (default "sequence_loss_by_example").

    Returns:
      A [batch_size] Tensor: the log-perplexity of each sequence.

    Raises:
      ValueError: the three lists differ in length.
    """
    if len(targets) != len(logits) or len(weights) != len(logits):
        raise ValueError("Lengths of logits, weights, and targets must be the same %d, %d, %d."
                         % (len(logits), len(weights), len(targets)))
    with _graph.name_scope(name, "sequence_loss_by_example", list(logits) + list(targets) + list(weights)):
        log_perp_list = []
        for logit, target, weight in zip(logits, targets, weights):
            if softmax_loss_function is None:
                target = array_ops.reshape(target, [-1])
                crossent = nn_ops.sparse_softmax_cross_entropy_with_logits(labels=target, logits=logit)
            else:
                crossent = softmax_loss_function(labels=target, logits=logit)
            log_perp_list.append(crossent * weight)
        log_perps = math_ops.add_n(log_perp_list)
        if average_across_timesteps:
            total_size = math_ops.add_n(weights) + 1e-12  # no division by 0 for all-0 weights
            log_perps = log_perps / total_size
    return log_perps


def sequence_loss(logits, targets, weights, average_across_timesteps=True,
                  average_across_batch=True, softmax_loss_function=None, name=None):
    """Weighted cross-entropy loss for a sequence of logits, summed over the batch.

    Args:
      logits, targets, weights, average_across_timesteps, softmax_loss_function: as for
        sequence_loss_by_example.
      average_across_batch: divide the total by the batch size.
      name: the name scope (default "sequence_loss").

    Returns:
      A scalar Tensor: the (averaged) log-perplexity.

    Raises:
      ValueError: the three lists differ in length.
    """
    with _graph.name_scope(name, "sequence_loss", list(logits) + list(targets) + list(weights)):
        cost = math_ops.reduce_sum(sequence_loss_by_example(
            logits, targets, weights, average_across_timesteps=average_across_timesteps,
            softmax_loss_function=softmax_loss_function))
        if average_across_batch:
            batch_size = array_ops.shape(targets[0])[0]
            return cost / math_ops.cast(batch_size, cost.dtype)
        return cost
