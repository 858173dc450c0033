"""Adam (tf.train.AdamOptimizer), with TF 1.x's exact update:

    lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g^2
    var -= lr_t * m / (sqrt(v) + epsilon)

beta1^t and beta2^t live in two non-trainable variables, "beta1_power" and
"beta2_power", that start at beta1 and beta2 and are multiplied by them after
each step's updates.
"""
from ..framework import graph as _graph
from ..ops import control_flow_ops
from .optimizer import (Optimizer, apply_op, cast_like, check_dense_grad, check_indices,
                        register_apply_op, unique_rows)

__all__ = ["AdamOptimizer"]


def _adam(xp, var, slots, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad, out=None):
    check_dense_grad(var, grad)
    m, v = slots
    var_out, m_out, v_out = out or (None, None, None)
    alpha = lr * xp.sqrt(1 - beta2_power) / (1 - beta1_power)
    t = xp.subtract(grad, m, out=xp.empty_like(var))  # an array even for 0-d variables
    t *= 1 - beta1
    m = xp.add(m, t, out=m_out)  # m + (grad - m) * (1 - beta1)
    xp.multiply(grad, grad, out=t)
    t -= v
    t *= 1 - beta2
    v = xp.add(v, t, out=v_out)  # v + (grad^2 - v) * (1 - beta2)
    step = m * alpha
    xp.sqrt(v, out=t)
    t += epsilon
    step /= t
    return xp.subtract(var, step, out=var_out), [m, v]


def _sparse_adam(xp, var, slots, beta1_power, beta2_power, lr, beta1, beta2, epsilon, values,
                 indices):
    # TF 1.x's AdamOptimizer._apply_sparse: m and v decay everywhere, the (summed)
    # gradient rows are added at their indices, then every row of var moves.
    check_indices(xp, var, indices)
    values, rows = unique_rows(xp, values, indices)
    m, v = slots
    alpha = lr * xp.sqrt(1 - beta2_power) / (1 - beta1_power)
    m = m * beta1
    m[rows] += values * (1 - beta1)
    v = v * beta2
    v[rows] += (values * values) * (1 - beta2)
    return var - alpha * m / (xp.sqrt(v) + epsilon), [m, v]


register_apply_op("ApplyAdam", _adam)
register_apply_op("SparseApplyAdam", _sparse_adam, grad_index=None)


class AdamOptimizer(Optimizer):
    """Optimizer that implements the Adam algorithm (Kingma and Ba, 2014), as TF 1.x.

    Args:
      learning_rate: a float, scalar Tensor or callable.
      beta1: decay rate of the first moment estimates.
      beta2: decay rate of the second moment estimates.
      epsilon: added to sqrt(v) (not to the bias-corrected estimate), as TF does.
      use_locking: accepted for TF compatibility.
      name: name scope of the update ops (default "Adam").

    Slots "m" and "v" are the variables "<var>/Adam" and "<var>/Adam_1" (zeros at first).
    IndexedSlices gradients follow TF 1.x's sparse update: m and v decay in every row,
    the gradient is added only at its (deduplicated) rows, and every row of the variable
    moves.
    """

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 use_locking=False, name="Adam"):
        super().__init__(use_locking, name)
        self._lr = learning_rate
        self._beta1 = beta1
        self._beta2 = beta2
        self._epsilon = epsilon
        self._lr_t = self._beta1_t = self._beta2_t = self._epsilon_t = None

    def _get_beta_accumulators(self):
        graph = _graph.get_default_graph().root
        return (self._get_non_slot_variable("beta1_power", graph=graph),
                self._get_non_slot_variable("beta2_power", graph=graph))

    def _create_slots(self, var_list):
        first_var = min(var_list, key=lambda x: x.name)
        self._create_non_slot_variable(self._beta1, "beta1_power", first_var)
        self._create_non_slot_variable(self._beta2, "beta2_power", first_var)
        for v in var_list:
            self._zeros_slot(v, "m", self._name)
            self._zeros_slot(v, "v", self._name)

    def _prepare(self):
        c = self._call_if_callable
        self._lr_t = _graph.convert_to_tensor(c(self._lr), name="learning_rate")
        self._beta1_t = _graph.convert_to_tensor(c(self._beta1), name="beta1")
        self._beta2_t = _graph.convert_to_tensor(c(self._beta2), name="beta2")
        self._epsilon_t = _graph.convert_to_tensor(c(self._epsilon), name="epsilon")

    def _hyper(self, var):
        beta1_power, beta2_power = self._get_beta_accumulators()
        return [cast_like(t, var) for t in (beta1_power, beta2_power, self._lr_t, self._beta1_t,
                                            self._beta2_t, self._epsilon_t)]

    def _apply_dense(self, grad, var):
        slots = [self.get_slot(var, "m"), self.get_slot(var, "v")]
        return apply_op("ApplyAdam", var, slots, self._hyper(var) + [grad]).op

    def _apply_sparse(self, grad, var):
        slots = [self.get_slot(var, "m"), self.get_slot(var, "v")]
        return apply_op("SparseApplyAdam", var, slots,
                        self._hyper(var) + [grad.values, grad.indices]).op

    def _finish(self, update_ops, name_scope):
        # The beta powers advance once per step, after every variable was updated.
        with _graph.control_dependencies(update_ops):
            beta1_power, beta2_power = self._get_beta_accumulators()
            update_beta1 = beta1_power.assign(beta1_power * self._beta1_t)
            update_beta2 = beta2_power.assign(beta2_power * self._beta2_t)
        return control_flow_ops.group(*(list(update_ops) + [update_beta1, update_beta2]),
                                      name=name_scope)
