"""Adagrad (tf.train.AdagradOptimizer): accum += g^2; var -= lr * g / sqrt(accum)."""
from ..framework import graph as _graph
from .optimizer import (Optimizer, apply_op, cast_like, check_dense_grad, check_indices,
                        register_apply_op, unique_rows)

__all__ = ["AdagradOptimizer"]


def _adagrad(xp, var, slots, lr, grad, out=None):
    check_dense_grad(var, grad)
    var_out, accum_out = out or (None, None)
    t = xp.multiply(grad, grad, out=xp.empty_like(var))  # an array even for 0-d variables
    accum = xp.add(slots[0], t, out=accum_out)
    step = lr * grad
    xp.sqrt(accum, out=t)
    step /= t  # lr * grad / sqrt(accum)
    return xp.subtract(var, step, out=var_out), [accum]


def _sparse_adagrad(xp, var, slots, lr, values, indices):
    check_indices(xp, var, indices)
    values, rows = unique_rows(xp, values, indices)
    new_var, accum = var.copy(), slots[0].copy()
    accum[rows] += values * values
    new_var[rows] -= lr * values / xp.sqrt(accum[rows])
    return new_var, [accum]


register_apply_op("ApplyAdagrad", _adagrad)
register_apply_op("SparseApplyAdagrad", _sparse_adagrad, grad_index=None)


class AdagradOptimizer(Optimizer):
    """Optimizer that implements the Adagrad algorithm.

    Args:
      learning_rate: a float, scalar Tensor or callable.
      initial_accumulator_value: starting value of the accumulators; must be positive.
      use_locking: accepted for TF compatibility.
      name: name scope of the update ops (default "Adagrad").

    The slot "accumulator" is the variable "<var>/Adagrad". Sparse gradients update only
    the rows they touch (after summing repeated indices).

    Raises:
      ValueError: `initial_accumulator_value` is not positive.
    """

    def __init__(self, learning_rate, initial_accumulator_value=0.1, use_locking=False,
                 name="Adagrad"):
        if initial_accumulator_value <= 0.0:
            raise ValueError("initial_accumulator_value must be positive: %s" % initial_accumulator_value)
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial_accumulator_value = initial_accumulator_value

    def _create_slots(self, var_list):
        for v in var_list:
            self._get_or_make_slot(v, self._initial_accumulator_value, "accumulator", self._name)

    def _prepare(self):
        lr = self._call_if_callable(self._learning_rate)
        self._learning_rate_tensor = _graph.convert_to_tensor(lr, name="learning_rate")

    def _apply_dense(self, grad, var):
        return apply_op("ApplyAdagrad", var, [self.get_slot(var, "accumulator")],
                        [cast_like(self._learning_rate_tensor, var), grad]).op

    def _apply_sparse(self, grad, var):
        return apply_op("SparseApplyAdagrad", var, [self.get_slot(var, "accumulator")],
                        [cast_like(self._learning_rate_tensor, var), grad.values, grad.indices]).op
