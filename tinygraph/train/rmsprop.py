"""RMSProp (tf.train.RMSPropOptimizer), as TF 1.x's ApplyRMSProp:

    ms = decay * ms + (1 - decay) * g^2
    mom = momentum * mom + lr * g / sqrt(ms + epsilon)
    var -= mom

Centered: mg = decay * mg + (1 - decay) * g and the denominator is
sqrt(ms - mg^2 + epsilon). The ms slot starts at ONES, as in TF 1.x.
"""
from ..framework import graph as _graph
from .optimizer import (Optimizer, apply_op, cast_like, check_dense_grad, check_indices,
                        register_apply_op, unique_rows)

__all__ = ["RMSPropOptimizer"]


def _step(xp, var, ms, mom, mg, lr, decay, momentum, epsilon, g, out=None):
    """(var, ms, mom, mg) after one step; written into out = [var, ms, mom, mg] when given."""
    var_out, ms_out, mom_out, mg_out = out or (None, None, None, None)
    t = xp.multiply(g, g, out=xp.empty_like(var))  # an array even for 0-d variables
    t -= ms
    t *= 1 - decay
    ms = xp.add(ms, t, out=ms_out)  # ms + (g^2 - ms) * (1 - decay)
    if mg is None:
        denom = ms + epsilon
    else:
        xp.subtract(g, mg, out=t)
        t *= 1 - decay
        mg = xp.add(mg, t, out=mg_out)
        denom = ms - mg * mg
        denom += epsilon
    step = lr * g
    step /= xp.sqrt(denom)
    mom = xp.multiply(mom, momentum, out=mom_out)
    mom += step  # mom * momentum + lr * g / sqrt(denom)
    return xp.subtract(var, mom, out=var_out), ms, mom, mg


def _rmsprop(centered):
    def update(xp, var, slots, lr, decay, momentum, epsilon, grad, out=None):
        check_dense_grad(var, grad)
        ms, mom = slots[0], slots[-1]
        mg = slots[1] if centered else None
        if out is not None:  # [var, ms, (mg,) mom] -> _step's order
            out = [out[0], out[1], out[-1], out[2] if centered else None]
        var, ms, mom, mg = _step(xp, var, ms, mom, mg, lr, decay, momentum, epsilon, grad, out)
        return var, [ms, mg, mom] if centered else [ms, mom]
    return update


def _sparse_rmsprop(centered):
    def update(xp, var, slots, lr, decay, momentum, epsilon, values, indices):
        check_indices(xp, var, indices)
        values, rows = unique_rows(xp, values, indices)
        new = [var.copy()] + [s.copy() for s in slots]
        ms, mom = slots[0][rows], slots[-1][rows]
        mg = slots[1][rows] if centered else None
        v, ms, mom, mg = _step(xp, var[rows], ms, mom, mg, lr, decay, momentum, epsilon, values)
        for buf, rows_value in zip(new, [v, ms, mg, mom] if centered else [v, ms, mom]):
            buf[rows] = rows_value
        return new[0], new[1:]
    return update


register_apply_op("ApplyRMSProp", _rmsprop(False))
register_apply_op("ApplyCenteredRMSProp", _rmsprop(True))
register_apply_op("SparseApplyRMSProp", _sparse_rmsprop(False), grad_index=None)
register_apply_op("SparseApplyCenteredRMSProp", _sparse_rmsprop(True), grad_index=None)


class RMSPropOptimizer(Optimizer):
    """Optimizer that implements the RMSProp algorithm.

    Args:
      learning_rate: a float, scalar Tensor or callable.
      decay: discounting factor for the history of squared gradients.
      momentum: a float or scalar Tensor.
      epsilon: small value added inside the square root.
      use_locking: accepted for TF compatibility.
      centered: normalize by the estimated variance instead of the second moment.
      name: name scope of the update ops (default "RMSProp").

    Slots: "rms" ("<var>/RMSProp", ones at first), "mg" when centered, and "momentum"
    (zeros), in that creation order ("<var>/RMSProp_1", ...). Sparse gradients update
    only the rows they touch (after summing repeated indices).
    """

    def __init__(self, learning_rate, decay=0.9, momentum=0.0, epsilon=1e-10, use_locking=False,
                 centered=False, name="RMSProp"):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._decay = decay
        self._momentum = momentum
        self._epsilon = epsilon
        self._centered = centered

    def _create_slots(self, var_list):
        for v in var_list:
            self._get_or_make_slot(v, 1.0, "rms", self._name)
            if self._centered:
                self._zeros_slot(v, "mg", self._name)
            self._zeros_slot(v, "momentum", self._name)

    def _prepare(self):
        c = self._call_if_callable
        self._learning_rate_tensor = _graph.convert_to_tensor(c(self._learning_rate), name="learning_rate")
        self._decay_tensor = _graph.convert_to_tensor(c(self._decay), name="decay")
        self._momentum_tensor = _graph.convert_to_tensor(c(self._momentum), name="momentum")
        self._epsilon_tensor = _graph.convert_to_tensor(c(self._epsilon), name="epsilon")

    def _slots_of(self, var):
        names = ["rms", "mg", "momentum"] if self._centered else ["rms", "momentum"]
        return [self.get_slot(var, n) for n in names]

    def _hyper(self, var):
        return [cast_like(t, var) for t in (self._learning_rate_tensor, self._decay_tensor,
                                            self._momentum_tensor, self._epsilon_tensor)]

    def _apply_dense(self, grad, var):
        op_type = "ApplyCenteredRMSProp" if self._centered else "ApplyRMSProp"
        return apply_op(op_type, var, self._slots_of(var), self._hyper(var) + [grad]).op

    def _apply_sparse(self, grad, var):
        op_type = "SparseApplyCenteredRMSProp" if self._centered else "SparseApplyRMSProp"
        return apply_op(op_type, var, self._slots_of(var),
                        self._hyper(var) + [grad.values, grad.indices]).op
