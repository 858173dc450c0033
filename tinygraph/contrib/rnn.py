"""tf.contrib.rnn: RNN cells, cell wrappers and the static RNN drivers.

The same objects as tf.nn.rnn_cell / tf.nn (TF 1.x moved them from here to core),
plus the wrappers that only ever lived in contrib (OutputProjectionWrapper,
InputProjectionWrapper, EmbeddingWrapper).
"""
from ..rnn.cells import (BasicLSTMCell, BasicRNNCell, GRUCell, LayerRNNCell, LSTMCell,  # noqa: F401
                         LSTMStateTuple, MultiRNNCell, RNNCell)
from ..rnn.static_rnn import static_bidirectional_rnn, static_rnn  # noqa: F401
from ..rnn.wrappers import (DeviceWrapper, DropoutWrapper, EmbeddingWrapper,  # noqa: F401
                            InputProjectionWrapper, OutputProjectionWrapper, ResidualWrapper)

__all__ = ["RNNCell", "LayerRNNCell", "BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell",
           "MultiRNNCell", "LSTMStateTuple", "DropoutWrapper", "ResidualWrapper", "DeviceWrapper",
           "OutputProjectionWrapper", "InputProjectionWrapper", "EmbeddingWrapper", "static_rnn",
           "static_bidirectional_rnn"]
