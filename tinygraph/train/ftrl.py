"""FTRL-Proximal (tf.train.FtrlOptimizer), as TF 1.x's ApplyFtrlV2 kernel computes it.

    accum_new = accum + g^2
    linear += g_s - (accum_new^-p - accum^-p) / lr * var      (g_s = g + 2 * l2_shrinkage * var)
    var = (sign(linear) * l1 - linear) / (accum_new^-p / lr + 2 * l2)  if |linear| > l1 else 0
    accum = accum_new                                          (p = learning_rate_power)
"""
from ..framework import graph as _graph
from .optimizer import (Optimizer, apply_op, cast_like, check_dense_grad, check_indices,
                        register_apply_op, unique_rows)

__all__ = ["FtrlOptimizer"]


def _ftrl_formula(xp, var, accum, linear, grad, lr, l1, l2, l2_shrinkage, lr_power):
    new_accum = accum + grad * grad
    shrunk = grad + 2.0 * l2_shrinkage * var
    # (hyperparameters stay device arrays: no branching on their values)
    new_pow, old_pow = xp.power(new_accum, -lr_power), xp.power(accum, -lr_power)
    new_linear = linear + shrunk - (new_pow - old_pow) / lr * var
    x = l1 * xp.sign(new_linear) - new_linear
    y = new_pow / lr + 2.0 * l2
    new_var = xp.where(xp.abs(new_linear) > l1, x / y, xp.zeros_like(var)).astype(var.dtype)
    return new_var, new_accum.astype(var.dtype), new_linear.astype(var.dtype)


def _ftrl(xp, var, slots, lr, l1, l2, l2_shrinkage, lr_power, grad, out=None):
    check_dense_grad(var, grad)
    new_var, accum, linear = _ftrl_formula(xp, var, slots[0], slots[1], grad, lr, l1, l2,
                                           l2_shrinkage, lr_power)
    if out:
        for buf, value in zip(out, (new_var, accum, linear)):
            if buf is not None:
                buf[...] = value
        return out[0] if out[0] is not None else new_var, [out[1] if out[1] is not None else accum,
                                                           out[2] if out[2] is not None else linear]
    return new_var, [accum, linear]


def _sparse_ftrl(xp, var, slots, lr, l1, l2, l2_shrinkage, lr_power, values, indices):
    check_indices(xp, var, indices)
    values, rows = unique_rows(xp, values, indices)
    new_var, accum, linear = var.copy(), slots[0].copy(), slots[1].copy()
    v, a, li = _ftrl_formula(xp, var[rows], accum[rows], linear[rows], values, lr, l1, l2,
                             l2_shrinkage, lr_power)
    new_var[rows], accum[rows], linear[rows] = v, a, li
    return new_var, [accum, linear]


register_apply_op("ApplyFtrlV2", _ftrl)
register_apply_op("SparseApplyFtrlV2", _sparse_ftrl, grad_index=None)


class FtrlOptimizer(Optimizer):
    """Optimizer that implements the FTRL-Proximal algorithm (tf.train.FtrlOptimizer).

    Args:
      learning_rate: a float, scalar Tensor or callable.
      learning_rate_power: must be <= 0 (-0.5: the usual FTRL step size).
      initial_accumulator_value: starting value of the "accum" slots; must be >= 0.
      l1_regularization_strength, l2_regularization_strength,
      l2_shrinkage_regularization_strength: must be >= 0.
      use_locking: accepted for TF compatibility.
      name: name scope of the update ops (default "Ftrl").
      accum_name, linear_name: slot variable names (default: `name`).

    The slots are "accum" ("<var>/Ftrl") and "linear" ("<var>/Ftrl_1").

    Raises:
      ValueError: a hyperparameter is out of range.
    """

    def __init__(self, learning_rate, learning_rate_power=-0.5, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 use_locking=False, name="Ftrl", accum_name=None, linear_name=None,
                 l2_shrinkage_regularization_strength=0.0):
        super().__init__(use_locking, name)
        if initial_accumulator_value < 0.0:
            raise ValueError("initial_accumulator_value %f needs to be positive or zero"
                             % initial_accumulator_value)
        if learning_rate_power > 0.0:
            raise ValueError("learning_rate_power %f needs to be negative or zero" % learning_rate_power)
        for what, v in (("l1_regularization_strength", l1_regularization_strength),
                        ("l2_regularization_strength", l2_regularization_strength),
                        ("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength)):
            if v < 0.0:
                raise ValueError("%s %f needs to be positive or zero" % (what, v))
        self._learning_rate = learning_rate
        self._learning_rate_power = learning_rate_power
        self._initial_accumulator_value = initial_accumulator_value
        self._l1, self._l2 = l1_regularization_strength, l2_regularization_strength
        self._l2_shrinkage = l2_shrinkage_regularization_strength
        self._accum_name, self._linear_name = accum_name, linear_name

    def _create_slots(self, var_list):
        for v in var_list:
            self._get_or_make_slot(v, self._initial_accumulator_value, "accum",
                                   self._accum_name or self._name)
            self._zeros_slot(v, "linear", self._linear_name or self._name)

    def _prepare(self):
        lr = self._call_if_callable(self._learning_rate)
        self._learning_rate_tensor = _graph.convert_to_tensor(lr, name="learning_rate")
        self._hyper = [_graph.convert_to_tensor(x, name=n) for x, n in (
            (self._l1, "l1_regularization_strength"), (self._l2, "l2_regularization_strength"),
            (self._l2_shrinkage, "l2_shrinkage_regularization_strength"),
            (self._learning_rate_power, "learning_rate_power"))]

    def _inputs(self, var):
        return [cast_like(self._learning_rate_tensor, var)] + [cast_like(h, var) for h in self._hyper]

    def _apply_dense(self, grad, var):
        slots = [self.get_slot(var, "accum"), self.get_slot(var, "linear")]
        return apply_op("ApplyFtrlV2", var, slots, self._inputs(var) + [grad]).op

    def _apply_sparse(self, grad, var):
        slots = [self.get_slot(var, "accum"), self.get_slot(var, "linear")]
        return apply_op("SparseApplyFtrlV2", var, slots,
                        self._inputs(var) + [grad.values, grad.indices]).op
