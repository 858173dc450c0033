"""Plain gradient descent: var -= learning_rate * grad (tf.train.GradientDescentOptimizer)."""
from ..framework import graph as _graph
from .optimizer import Optimizer, apply_op, cast_like, check_dense_grad, check_indices, register_apply_op

__all__ = ["GradientDescentOptimizer"]


def _sgd(xp, var, slots, lr, grad, out=None):
    check_dense_grad(var, grad)
    return xp.subtract(var, lr * grad, out=out[0] if out else None), []


def _sparse_sgd(xp, var, slots, lr, values, indices):
    # Repeated indices accumulate, as a scatter-add would.
    check_indices(xp, var, indices)
    new = var.copy()
    xp.add.at(new, indices.reshape(-1), -(lr * values))
    return new, []


register_apply_op("ApplyGradientDescent", _sgd)
register_apply_op("SparseApplyGradientDescent", _sparse_sgd, grad_index=None)


class GradientDescentOptimizer(Optimizer):
    """Optimizer that implements the gradient descent algorithm.

    Args:
      learning_rate: a float, a scalar Tensor (e.g. a placeholder) or a callable.
      use_locking: accepted for TF compatibility.
      name: name scope of the update ops (default "GradientDescent").
    """

    def __init__(self, learning_rate, use_locking=False, name="GradientDescent"):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._learning_rate_tensor = None

    def _prepare(self):
        lr = self._call_if_callable(self._learning_rate)
        self._learning_rate_tensor = _graph.convert_to_tensor(lr, name="learning_rate")

    def _apply_dense(self, grad, var):
        return apply_op("ApplyGradientDescent", var, [],
                        [cast_like(self._learning_rate_tensor, var), grad]).op

    def _apply_sparse_duplicate_indices(self, grad, var):
        return apply_op("SparseApplyGradientDescent", var, [],
                        [cast_like(self._learning_rate_tensor, var), grad.values, grad.indices]).op
