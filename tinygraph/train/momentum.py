"""Momentum (tf.train.MomentumOptimizer).

    accum = momentum * accum + grad
    var -= lr * accum                                  (classic)
    var -= lr * grad + lr * momentum * accum           (Nesterov)
"""
from ..framework import graph as _graph
from .optimizer import (Optimizer, apply_op, cast_like, check_dense_grad, check_indices,
                        register_apply_op, unique_rows)

__all__ = ["MomentumOptimizer"]


def _step(xp, var, accum, lr, momentum, grad, nesterov, out=None):
    """(new var, new accum); written into out = [var, accum] buffers when given."""
    var_out, accum_out = out or (None, None)
    accum = xp.multiply(accum, momentum, out=accum_out)
    accum += grad
    if nesterov:  # var - (grad * lr + accum * momentum * lr)
        step = grad * lr
        t = accum * momentum
        t *= lr
        step += t
    else:
        step = accum * lr
    return xp.subtract(var, step, out=var_out), accum


def _momentum(nesterov):
    def update(xp, var, slots, lr, grad, momentum, out=None):
        check_dense_grad(var, grad)
        new_var, accum = _step(xp, var, slots[0], lr, momentum, grad, nesterov, out)
        return new_var, [accum]
    return update


def _sparse_momentum(nesterov):
    def update(xp, var, slots, lr, values, indices, momentum):
        check_indices(xp, var, indices)
        values, rows = unique_rows(xp, values, indices)
        new_var, accum = var.copy(), slots[0].copy()
        new_var[rows], accum[rows] = _step(xp, var[rows], accum[rows], lr, momentum, values, nesterov)
        return new_var, [accum]
    return update


register_apply_op("ApplyMomentum", _momentum(False), grad_index=1)
register_apply_op("ApplyNesterovMomentum", _momentum(True), grad_index=1)
register_apply_op("SparseApplyMomentum", _sparse_momentum(False), grad_index=None)
register_apply_op("SparseApplyNesterovMomentum", _sparse_momentum(True), grad_index=None)


class MomentumOptimizer(Optimizer):
    """Optimizer that implements the Momentum algorithm.

    Args:
      learning_rate: a float, scalar Tensor or callable.
      momentum: a float or scalar Tensor.
      use_locking: accepted for TF compatibility.
      name: name scope of the update ops (default "Momentum").
      use_nesterov: use Nesterov momentum.

    The slot "momentum" (variable "<var>/Momentum") holds the accumulator, zeros at first.
    Sparse (IndexedSlices) gradients update only the rows they touch, after summing
    repeated indices.
    """

    def __init__(self, learning_rate, momentum, use_locking=False, name="Momentum",
                 use_nesterov=False):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._momentum = momentum
        self._use_nesterov = use_nesterov

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "momentum", self._name)

    def _prepare(self):
        lr = self._call_if_callable(self._learning_rate)
        momentum = self._call_if_callable(self._momentum)
        self._learning_rate_tensor = _graph.convert_to_tensor(lr, name="learning_rate")
        self._momentum_tensor = _graph.convert_to_tensor(momentum, name="momentum")

    def _apply_dense(self, grad, var):
        op_type = "ApplyNesterovMomentum" if self._use_nesterov else "ApplyMomentum"
        return apply_op(op_type, var, [self.get_slot(var, "momentum")],
                        [cast_like(self._learning_rate_tensor, var), grad,
                         cast_like(self._momentum_tensor, var)], name="ApplyMomentum").op

    def _apply_sparse(self, grad, var):
        op_type = "SparseApplyNesterovMomentum" if self._use_nesterov else "SparseApplyMomentum"
        return apply_op(op_type, var, [self.get_slot(var, "momentum")],
                        [cast_like(self._learning_rate_tensor, var), grad.values, grad.indices,
                         cast_like(self._momentum_tensor, var)], name="SparseApplyMomentum").op
