"""Array ops (tf.fill, tf.reshape, tf.concat, tf.gather, tf.slice, ...), gathered from the
modules that define them, so `from tinygraph.ops.array_ops import X` keeps working:

  array_creation_ops  zeros_like, ones_like, range, lin_space
  fill_ops            fill, zeros, ones
  shape_ops           shape, shape_n, size, rank, reshape, squeeze, expand_dims, broadcast_to
  transpose_ops       transpose, invert_permutation, reverse, reverse_sequence
  join_split_ops      concat, stack, unstack, split, tile
  slicing_ops         slice, strided_slice, Tensor.__getitem__, pad
  indexing_ops        gather, gather_nd, scatter_nd, one_hot, where, sequence_mask, boolean_mask

Shared helpers are in array_helpers.py.
"""
from .array_creation_ops import *  # noqa: F401,F403
from .control_flow_ops import identity, stop_gradient  # noqa: F401 (Variable.read_value uses them from here)
from .fill_ops import *  # noqa: F401,F403
from .indexing_ops import *  # noqa: F401,F403
from .join_split_ops import *  # noqa: F401,F403
from .shape_ops import *  # noqa: F401,F403
from .slicing_ops import *  # noqa: F401,F403
from .transpose_ops import *  # noqa: F401,F403

__all__ = ["fill", "zeros", "ones", "zeros_like", "ones_like", "range", "linspace", "lin_space",
           "shape", "shape_n", "size", "rank", "reshape", "transpose",
           "invert_permutation", "broadcast_to", "concat", "stack", "unstack", "split",
           "squeeze", "expand_dims", "tile", "pad", "gather", "gather_nd", "scatter_nd",
           "slice", "strided_slice", "reverse", "reverse_v2", "reverse_sequence",
           "one_hot", "where", "sequence_mask", "boolean_mask"]
