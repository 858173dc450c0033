"""Learning-rate schedules computed from the global step (tf.train.*_decay, TF 1.x).

Each returns a scalar tensor of the learning rate's dtype (float32 for Python floats),
to pass to an optimizer:

    global_step = tf.Variable(0, trainable=False, name="global_step")
    learning_rate = tf.train.exponential_decay(0.1, global_step, 10000, 0.1)
    train_op = tf.train.MomentumOptimizer(learning_rate, 0.9).minimize(loss, global_step)
"""
import math

from ..framework import graph as _graph
from ..ops import array_ops, math_ops
from ..ops.control_flow_ops import identity

__all__ = ["exponential_decay", "inverse_time_decay", "natural_exp_decay", "polynomial_decay",
           "piecewise_constant", "cosine_decay"]


def _check_step(global_step, fn):
    if global_step is None:
        raise ValueError("global_step is required for %s." % fn)


def _prepare(learning_rate, global_step, *others):
    lr = _graph.convert_to_tensor(learning_rate, name="learning_rate")
    dtype = lr.dtype
    return [lr, math_ops.cast(global_step, dtype)] + [math_ops.cast(o, dtype) for o in others]


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
    _check_step(global_step, "exponential_decay")
    with _graph.name_scope(name, "ExponentialDecay") as scope:
        lr, step, decay_steps, decay_rate = _prepare(learning_rate, global_step, decay_steps,
                                                     decay_rate)
        p = step / decay_steps
        if staircase:
            p = math_ops.floor(p)
        return math_ops.multiply(lr, math_ops.pow(decay_rate, p), name=scope)


def inverse_time_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                       name=None):
    """learning_rate / (1 + decay_rate * global_step / decay_steps) (tf.train.inverse_time_decay).

    With staircase, global_step / decay_steps is floored. Named "InverseTimeDecay".

    Raises:
      ValueError: `global_step` is None.
    """
    _check_step(global_step, "inverse_time_decay")
    with _graph.name_scope(name, "InverseTimeDecay") as scope:
        lr, step, decay_steps, decay_rate = _prepare(learning_rate, global_step, decay_steps,
                                                     decay_rate)
        p = step / decay_steps
        if staircase:
            p = math_ops.floor(p)
        denom = 1.0 + decay_rate * p
        return math_ops.truediv(lr, denom, name=scope)


def natural_exp_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                      name=None):
    """learning_rate * exp(-decay_rate * global_step / decay_steps) (tf.train.natural_exp_decay).

    With staircase, global_step / decay_steps is floored. Named "NaturalExpDecay".

    Raises:
      ValueError: `global_step` is None.
    """
    _check_step(global_step, "natural_exp_decay")
    with _graph.name_scope(name, "NaturalExpDecay") as scope:
        lr, step, decay_steps, decay_rate = _prepare(learning_rate, global_step, decay_steps,
                                                     decay_rate)
        p = step / decay_steps
        if staircase:
            p = math_ops.floor(p)
        return math_ops.multiply(lr, math_ops.exp(-decay_rate * p), name=scope)


def polynomial_decay(learning_rate, global_step, decay_steps, end_learning_rate=0.0001, power=1.0,
                     cycle=False, name=None):
    """(learning_rate - end) * (1 - step / decay_steps) ^ power + end (tf.train.polynomial_decay).

    Without cycle, step stops at decay_steps (the rate stays at end_learning_rate);
    with cycle, decay_steps grows to the next multiple of itself at or above the step
    (at least one), so the rate restarts.

    Raises:
      ValueError: `global_step` is None.
    """
    _check_step(global_step, "polynomial_decay")
    with _graph.name_scope(name, "PolynomialDecay") as scope:
        lr, step, decay_steps, end, power = _prepare(learning_rate, global_step, decay_steps,
                                                     end_learning_rate, power)
        if cycle:
            # step * (1 / decay_steps), not step / decay_steps: TF's graph optimizer runs the
            # division by a constant that way, and at exact multiples it rounds up (step 45
            # of 15 gives 4 cycles in float32); done the same here to give TF's numbers
            multiplier = array_ops.where(math_ops.equal(step, 0.0), 1.0,
                                         math_ops.ceil(step * math_ops.reciprocal(decay_steps)))
            decay_steps = decay_steps * multiplier
        else:
            step = math_ops.minimum(step, decay_steps)
        frac = step / decay_steps
        return math_ops.add(math_ops.multiply(lr - end, math_ops.pow(1.0 - frac, power)), end,
                            name=scope)


def piecewise_constant(x, boundaries, values, name=None):
    """values[0] while x <= boundaries[0], values[1] while x <= boundaries[1], ..., then
    values[-1] (tf.train.piecewise_constant).

    Args:
      x: a scalar tensor (the global step).
      boundaries: increasing numbers or scalar tensors, of x's type.
      values: one more value than boundaries, all of one type.
      name: the name scope (default "PiecewiseConstant").

    Raises:
      ValueError: len(values) != len(boundaries) + 1, or values of different types.
    """
    if len(boundaries) != len(values) - 1:
        raise ValueError("The length of boundaries should be 1 less than the length of values")
    with _graph.name_scope(name, "PiecewiseConstant") as scope:
        x = _graph.convert_to_tensor(x)
        bounds = [_graph.convert_to_tensor(b, dtype=x.dtype) if not _graph.is_tensor_like(b)
                  else _graph.convert_to_tensor(b) for b in boundaries]
        for b in bounds:
            if b.dtype.base_dtype != x.dtype.base_dtype:
                raise ValueError("Boundaries (%s) must have the same dtype as x (%s)."
                                 % (b.dtype.base_dtype.name, x.dtype.base_dtype.name))
        vals = [_graph.convert_to_tensor(v) for v in values]
        for v in vals[1:]:
            if v.dtype.base_dtype != vals[0].dtype.base_dtype:
                raise ValueError("Values must have elements all with the same dtype (%s vs %s)."
                                 % (vals[0].dtype.base_dtype.name, v.dtype.base_dtype.name))
        # from the last interval down: the first boundary at or above x picks its value
        result = vals[-1]
        for b, v in reversed(list(zip(bounds, vals[:-1]))):
            result = array_ops.where(math_ops.less_equal(x, b), v, result)
        return identity(result, name=scope)


def cosine_decay(learning_rate, global_step, decay_steps, alpha=0.0, name=None):
    """learning_rate * ((1 - alpha) * 0.5 * (1 + cos(pi * min(step, decay_steps) / decay_steps))
    + alpha) (tf.train.cosine_decay).

    Raises:
      ValueError: `global_step` is None.
    """
    _check_step(global_step, "cosine_decay")
    with _graph.name_scope(name, "CosineDecay") as scope:
        lr, step, decay_steps = _prepare(learning_rate, global_step, decay_steps)
        step = math_ops.minimum(step, decay_steps)
        cosine = 0.5 * (1.0 + math_ops.cos(math.pi * step / decay_steps))
        decayed = (1.0 - alpha) * cosine + alpha
        return math_ops.multiply(lr, decayed, name=scope)
