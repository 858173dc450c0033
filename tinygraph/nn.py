"""`tf.nn`: activations, softmax, cross-entropies, dropout, embeddings, recurrent networks."""
from .ops.math_ops import sigmoid, tanh  # noqa: F401 - TF 1.x exposes them as tf.nn.* too
from .ops.nn_ops import *  # noqa: F401,F403
from .ops.nn_ops import __all__ as _nn_ops_all

__all__ = list(_nn_ops_all) + ["sigmoid", "tanh"]

from .ops.candidate_sampling import (compute_accidental_hits, log_uniform_candidate_sampler,  # noqa: F401
                                     nce_loss, sampled_softmax_loss, uniform_candidate_sampler)

# -- recurrent networks (tinygraph/rnn) --
from .rnn import *  # noqa: F401,F403
from . import rnn as rnn_cell  # noqa: F401,E402 - tf.nn.rnn_cell.*

# -- batch normalization (ops/normalization.py) --
from .ops.normalization import batch_normalization, fused_batch_norm  # noqa: F401,E402


# -- convolution and pooling (tinygraph/ops/conv_ops.py) --
from .ops.conv_ops import *  # noqa: F401,F403,E402
from .ops.conv_ops import __all__ as _conv_ops_all  # noqa: E402

__all__ += list(_conv_ops_all)
