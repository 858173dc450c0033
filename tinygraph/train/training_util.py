"""The global step: an int64 scalar variable counting training steps."""
from ..framework import dtypes
from ..framework import graph as _graph
from ..framework.graph import GraphKeys, Tensor
from ..ops import array_ops
from ..ops.variable_scope import get_variable
from ..ops.variables import Variable

__all__ = ["global_step", "get_global_step", "create_global_step", "get_or_create_global_step",
           "assert_global_step"]


def global_step(sess, global_step_tensor):
    """The current value of the global step as a Python int.

    Args:
      sess: a Session.
      global_step_tensor: the global step Variable or Tensor (or its name).
    """
    return int(sess.run(global_step_tensor))


def assert_global_step(global_step_tensor):
    """Raises TypeError unless `global_step_tensor` is an integer scalar Variable or Tensor."""
    if not isinstance(global_step_tensor, (Variable, Tensor)):
        raise TypeError('Existing "global_step" must be a Variable or Tensor: %s.' % global_step_tensor)
    if not global_step_tensor.dtype.is_integer:
        raise TypeError('Existing "global_step" does not have integer type: %s'
                        % global_step_tensor.dtype)
    shape = global_step_tensor.get_shape()
    if shape.ndims != 0 and shape.is_fully_defined():
        raise TypeError('Existing "global_step" is not scalar: %s' % shape)


def get_global_step(graph=None):
    """The global step of `graph` (default graph): the GLOBAL_STEP collection's single
    entry, else the tensor "global_step:0", else None.

    Raises:
      TypeError: the global step is not an integer scalar.
    """
    graph = (graph or _graph.get_default_graph()).root
    found = graph.get_collection(GraphKeys.GLOBAL_STEP)
    if len(found) == 1:
        step = found[0]
    elif not found:
        try:
            step = graph.get_tensor_by_name("global_step:0")
        except KeyError:
            return None
    else:
        return None  # several: ambiguous, as TF (which logs an error)
    assert_global_step(step)
    return step


def create_global_step(graph=None):
    """Creates the int64 scalar variable "global_step" (zeros, not trainable), in the
    GLOBAL_VARIABLES and GLOBAL_STEP collections.

    Raises:
      ValueError: the graph already has a global step.
    """
    graph = (graph or _graph.get_default_graph()).root
    if get_global_step(graph) is not None:
        raise ValueError('"global_step" already exists.')
    with graph.as_default(), graph.name_scope(None):
        return get_variable(GraphKeys.GLOBAL_STEP, shape=[], dtype=dtypes.int64,
                            initializer=lambda shape, dtype=None, **kw: array_ops.zeros(shape, dtype),
                            trainable=False,
                            collections=[GraphKeys.GLOBAL_VARIABLES, GraphKeys.GLOBAL_STEP])


def get_or_create_global_step(graph=None):
    """The graph's global step, created (see `create_global_step`) if missing."""
    graph = (graph or _graph.get_default_graph()).root
    step = get_global_step(graph)
    if step is None:
        step = create_global_step(graph)
    return step
