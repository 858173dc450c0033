"""Learning-rate schedules computed from the global step."""
from ..framework import graph as _graph
from ..ops import math_ops

__all__ = ["exponential_decay"]


def exponential_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                      name=None):
    """learning_rate * decay_rate ^ (global_step / decay_steps) (tf.train.exponential_decay).

    Args:
      learning_rate: a float or scalar Tensor, the initial rate.
      global_step: an integer scalar Variable or Tensor.
      decay_steps: a positive number of steps.
      decay_rate: the decay per `decay_steps` steps.
      staircase: if True, the exponent is floored (the rate drops in steps).
      name: name of the result (default "ExponentialDecay").

    Raises:
      ValueError: `global_step` is None.
    """
    if global_step is None:
        raise ValueError("global_step is required for exponential_decay.")
    with _graph.name_scope(name, "ExponentialDecay") as scope:
        learning_rate = _graph.convert_to_tensor(learning_rate, name="learning_rate")
        dtype = learning_rate.dtype
        decay_steps = math_ops.cast(decay_steps, dtype)
        decay_rate = math_ops.cast(decay_rate, dtype)
        p = math_ops.cast(global_step, dtype) / decay_steps
        if staircase:
            p = math_ops.floor(p)
        return math_ops.multiply(learning_rate, math_ops.pow(decay_rate, p), name=scope)
