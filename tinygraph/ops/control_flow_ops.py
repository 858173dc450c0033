"""Ordering and grouping ops: no_op, group, tuple, identity, stop_gradient, check_numerics."""
from ..framework import errors
from ..framework import graph as _graph
from ..framework.registry import NotDifferentiable, register_gradient, register_op

__all__ = ["no_op", "group", "tuple", "identity", "stop_gradient", "check_numerics",
           "control_dependencies", "with_dependencies"]

_builtin_tuple = tuple


@register_op("NoOp", infer=lambda attrs: [])
def _noop_kernel(xp, attrs):
    return ()


NotDifferentiable("NoOp")


def no_op(name=None):
    """An op that does nothing; useful as a target with control inputs."""
    return _graph.get_default_graph().create_op("NoOp", [], {}, name or "NoOp")


def group(*inputs, **kwargs):
    """An op that runs all of `inputs` (ops or tensors) and has no output (tf.group).

    Args:
      *inputs: Operations or Tensors (nested lists allowed).
      name: optional op name.
    """
    name = kwargs.pop("name", None)
    if kwargs:
        raise TypeError("Unknown keyword arguments: %s" % ", ".join(kwargs))
    flat = []

    def add(x):
        if isinstance(x, (list, _builtin_tuple)):
            for y in x:
                add(y)
        elif x is not None:
            flat.append(x)
    add(inputs)
    g = _graph.get_default_graph()
    with g.control_dependencies(flat):
        return no_op(name=name or "group_deps")


def _same_infer(attrs, x):
    return [(x.dtype, x.shape)]


@register_op("Identity", infer=_same_infer)
def _identity_kernel(xp, attrs, x):
    return x


@register_gradient("Identity")
def _identity_grad(op, grad):
    return [grad]


def identity(input, name=None):  # noqa: A002
    """Returns a tensor with the same value as `input` (tf.identity)."""
    x = _graph.convert_to_tensor(input)
    return _graph.get_default_graph().create_op("Identity", [x], {}, name or "Identity").outputs[0]


@register_op("StopGradient", infer=_same_infer)
def _stop_gradient_kernel(xp, attrs, x):
    return x


NotDifferentiable("StopGradient")


def stop_gradient(input, name=None):  # noqa: A002
    """The value of `input`, through which no gradient flows (tf.stop_gradient)."""
    x = _graph.convert_to_tensor(input)
    return _graph.get_default_graph().create_op("StopGradient", [x], {}, name or "StopGradient").outputs[0]


def _check_numerics_bind(op, ctx):
    xp, message = ctx.xp, op.attrs["message"]

    def check(x):
        if not bool(xp.all(xp.isfinite(x))):
            kind = "Inf and NaN" if bool(xp.any(xp.isnan(x))) and bool(xp.any(xp.isinf(x))) else (
                "NaN" if bool(xp.any(xp.isnan(x))) else "Inf")
            raise errors.InvalidArgumentError(None, op, "%s : Tensor had %s values\n\t [[node %s]]"
                                              % (message, kind, op.name))
        return x
    return check


@register_op("CheckNumerics", infer=_same_infer, bind=_check_numerics_bind)
def _check_numerics_kernel(xp, attrs, x):
    return x


@register_gradient("CheckNumerics")
def _check_numerics_grad(op, grad):
    return [check_numerics(grad, "Not a number (NaN) or infinity (Inf) values detected in gradient. "
                           + op.attrs["message"])]


def check_numerics(tensor, message, name=None):
    """Passes `tensor` through, raising InvalidArgumentError at run time if it holds NaN or Inf."""
    x = _graph.convert_to_tensor(tensor)
    return _graph.get_default_graph().create_op("CheckNumerics", [x], {"message": message},
                                                name or "CheckNumerics").outputs[0]


def tuple(tensors, name=None, control_inputs=None):  # noqa: A001 - TF's name
    """Returns tensors with the same values, each available only after all are computed.

    Raises:
      ValueError: `tensors` holds no tensor.
    """
    if not any(t is not None for t in tensors):
        raise ValueError("'tensors' must have at least one Tensor. Received: %s." % (list(tensors),))
    g = _graph.get_default_graph()
    with g.name_scope(name or "tuple"):
        deps = [t for t in tensors if t is not None] + list(control_inputs or [])
        gate = group(*deps)
        out = []
        for t in tensors:
            if t is None:
                out.append(None)
                continue
            out.append(with_dependencies([gate], t))
        return out


def with_dependencies(dependencies, output_tensor, name=None):
    """`output_tensor`'s value, computed only after `dependencies` ran."""
    g = _graph.get_default_graph()
    with g.control_dependencies(dependencies):
        return identity(output_tensor, name=name or "control_dependency")


control_dependencies = _graph.control_dependencies
