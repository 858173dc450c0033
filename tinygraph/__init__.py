"""tinygraph: a TensorFlow-1-style graph autodiff engine written from scratch in Python.

`import tinygraph as tf` gives the TF 1.x API: build a static graph of placeholders,
Variables and ops, then run parts of it in a Session.
"""
from .backend import available_backends, get_backend, set_backend
from .framework import errors
from .framework.dtypes import (DType, as_dtype, bool_ as bool, double, float16, float32,  # noqa: A004
                               float64, half, int8, int16, int32, int64, string, uint8, variant)
from .framework.dtypes import float32_ref, float64_ref, int32_ref, int64_ref  # noqa: F401
from .framework.graph import (Graph, GraphKeys, Operation, Tensor, add_to_collection,
                              add_to_collections, control_dependencies, convert_to_tensor,
                              device, get_collection, get_collection_ref, get_default_graph,
                              name_scope, register_tensor_conversion_function,
                              reset_default_graph)
from .framework.indexed_slices import IndexedSlices, IndexedSlicesValue
from .framework.registry import NoGradient, NotDifferentiable, RegisterGradient
from .framework.tensor_shape import Dimension, TensorShape
from .ops.constant_op import constant, placeholder, placeholder_with_default
from .ops import autopacking as _autopacking  # noqa: F401,E402 - lists of tensors pack as in TF
from .ops.variables import *  # noqa: F401,F403
from .ops.variable_scope import *  # noqa: F401,F403
from .ops.control_flow_ops import (check_numerics, group, identity, no_op, stop_gradient,
                                   tuple, with_dependencies)  # noqa: A004
from .ops.math_ops import *  # noqa: F401,F403
from .ops.array_ops import *  # noqa: F401,F403
from .ops.random_ops import *  # noqa: F401,F403
from .ops.init_ops import *  # noqa: F401,F403
from .ops.clip_ops import *  # noqa: F401,F403
from .control_flow.while_loop import while_loop
from .control_flow.tensor_array import TensorArray
from .control_flow.cond import case, cond
from .control_flow.functional import foldl, map_fn, scan
from .ops.logging_ops import Assert, Print
from .ops.data_flow_ops import FIFOQueue, PaddingFIFOQueue, QueueBase, RandomShuffleQueue
from .ops.io_ops import (FixedLengthRecordReader, ReaderBase, TextLineReader, WholeFileReader,
                         matching_files, read_file, write_file)
from .ops.parsing_ops import decode_csv, decode_raw
from .ops.state_ops import count_up_to
from .gradients import AggregationMethod, UnconnectedGradients, gradients, hessians
from .session import InteractiveSession, Session, get_default_session
from .run_metadata import RunMetadata, RunOptions
from .meta_graph import import_graph_def
from . import meta_graph as _meta_graph
from . import config, nn, train, layers, contrib, initializers, losses, summary  # noqa: E402
from . import data  # noqa: E402
from . import metrics  # noqa: E402
from . import feature_column  # noqa: E402
from . import estimator  # noqa: E402
from .framework.dtypes import resource  # noqa: E402
from . import tf_logging as logging  # noqa: E402 - tf.logging
from . import session_config as _session_config  # noqa: E402



AUTO_REUSE = AUTO_REUSE  # noqa: F405 - re-exported from variable_scope
newaxis = None


def is_tensor(x):
    """Whether `x` is a tinygraph tensor-like object (Tensor, Variable, IndexedSlices)."""
    return isinstance(x, (Tensor, Variable, IndexedSlices))  # noqa: F405
__version__ = "0.1.0"

from . import compat  # noqa: E402 - `tf.compat.v1` is this package


def __getattr__(name):
    """TF's protobuf messages, loaded on first use (protobuf is slow to import):
    tf.ConfigProto, tf.GPUOptions, ... and tf.GraphDef, tf.MetaGraphDef, ..."""
    if name in _session_config.PROTO_NAMES:
        return _session_config.proto_class(name)
    if name in _meta_graph.PROTO_CLASSES:
        return _meta_graph.proto_class(name)
    raise AttributeError("module 'tinygraph' has no attribute %r" % name)


# -- linear algebra (tinygraph/ops/linalg_ops.py) and tf.linalg --
from .ops.linalg_ops import arg_max, arg_min, matrix_determinant, matrix_inverse  # noqa: E402,F401
from . import linalg  # noqa: E402,F401
