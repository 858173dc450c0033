"""tf.gradients: reverse-mode autodiff that builds the gradient as more graph ops.

The walk:
1. find the ops *between* xs and ys: reachable backward from ys and forward from xs;
2. visit them in reverse creation order (a valid reverse topological order, since an
   op's consumers are always created after it), so an op is visited only when every
   gradient flowing into its outputs is known;
3. sum the gradients arriving at each output (one AddN), call the op type's registered
   builder under the name scope `gradients/<op>_grad`, and pass the returned input
   gradients on.
Builders emit graph ops, never arrays, so gradients of gradients work.
"""
from .framework import dtypes
from .framework import graph as _graph
from .framework.graph import Tensor
from .framework.indexed_slices import IndexedSlices
from .framework.registry import NOT_DIFFERENTIABLE, get_gradient_function
from .ops import array_ops, math_ops

__all__ = ["gradients", "hessians", "AggregationMethod", "UnconnectedGradients"]


class AggregationMethod:
    ADD_N = 0
    DEFAULT = ADD_N
    EXPERIMENTAL_TREE = 1
    EXPERIMENTAL_ACCUMULATE_N = 2


class UnconnectedGradients:
    NONE = "none"
    ZERO = "zero"


def _backpropagatable(t):
    # variant tensors carry TensorArrays, whose gradients are TensorArrays of gradients
    return t.dtype.is_floating or t.dtype is dtypes.variant


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _as_tensor_or_slices(x):
    if isinstance(x, (Tensor, IndexedSlices)):
        return x
    return _graph.convert_to_tensor(x)


def _between_ops(ys, xs, stop_ops):
    """Ops on some path from an x to a y (in the graph of the ys)."""
    graph = ys[0].graph
    forward = set()
    stack = [x.op for x in xs if x.graph is graph]
    while stack:
        op = stack.pop()
        if op in forward:
            continue
        forward.add(op)
        if op in stop_ops and op not in {x.op for x in xs}:
            continue
        for t in op.outputs:
            stack.extend(c for c in t._consumers if c not in forward)
    between = set()
    stack = [y.op for y in ys]
    while stack:
        op = stack.pop()
        if op in between or op not in forward:
            continue
        between.add(op)
        stack.extend(t.op for t in op.inputs)
    return between


def aggregate(grads, name=None):
    """Sums a list of gradient contributions (Tensors and IndexedSlices) with one op."""
    grads = [g for g in grads if g is not None]
    if not grads:
        return None
    if len(grads) == 1:
        return grads[0]
    if all(isinstance(g, IndexedSlices) for g in grads):
        return IndexedSlices(array_ops.concat([g.values for g in grads], 0),
                             array_ops.concat([g.indices for g in grads], 0),
                             grads[0].dense_shape)
    if all(isinstance(g, Tensor) and g.dtype is dtypes.variant for g in grads):
        # TensorArray gradients: the op is registered by control_flow/tensor_array.py
        return grads[0].graph.create_op("AddNVariant", grads, {}, name or "AddN").outputs[0]
    dense = [_graph.convert_to_tensor(g) if isinstance(g, IndexedSlices) else g for g in grads]
    return math_ops.add_n(dense, name=name)


def _zeros_for(t):
    return array_ops.zeros_like(t)


def _check_shape(op, x, g):
    gshape = g.dense_shape_static() if hasattr(g, "dense_shape_static") else (
        g.shape if isinstance(g, Tensor) else None)
    if gshape is not None and not x.shape.is_compatible_with(gshape):
        raise ValueError("Gradient of op '%s' (type %s) for input %s has shape %s, which is "
                         "incompatible with the input's shape %s"
                         % (op.name, op.type, x.name, gshape, x.shape))


def gradients(ys, xs, grad_ys=None, name="gradients", colocate_gradients_with_ops=False,
              gate_gradients=False, aggregation_method=None, stop_gradients=None,
              unconnected_gradients=UnconnectedGradients.NONE):
    """Symbolic derivatives of sum(ys) with respect to each x in xs (tf.gradients).

    Args:
      ys: a Tensor or list of Tensors to differentiate.
      xs: a Tensor, Variable, or list of them.
      grad_ys: optional gradients of ys (same structure); default ones.
      name: the name scope of the gradient ops ("gradients").
      stop_gradients: Tensors through which no gradient flows (treated as constants).
      unconnected_gradients: "none" (default; unconnected xs get None) or "zero".

    Returns:
      A list with one gradient per x: a Tensor, an IndexedSlices, or None.

    Raises:
      LookupError: an op on the path has no registered gradient.
      ValueError: a builder returned the wrong number or shape of gradients, or
        grad_ys does not match ys.
    """
    ys = [_graph.convert_to_tensor(y) for y in _as_list(ys)]
    xs = [_as_tensor_or_slices(x) for x in _as_list(xs)]
    if grad_ys is None:
        grad_ys = [None] * len(ys)
    else:
        grad_ys = _as_list(grad_ys)
        if len(grad_ys) != len(ys):
            raise ValueError("Passed %d grad_ys for %d ys" % (len(grad_ys), len(ys)))
    stop_ops = {_graph.convert_to_tensor(t).op for t in _as_list(stop_gradients or [])}
    if not ys:  # nothing to differentiate: every x is unconnected (TF: [] for no xs)
        return [_zeros_for(x) if unconnected_gradients == UnconnectedGradients.ZERO
                and isinstance(x, Tensor) else None for x in xs]
    graph = ys[0].graph
    with graph.as_default(), graph.name_scope(name):
        grads = {}
        for i, (y, gy) in enumerate(zip(ys, grad_ys)):
            if gy is None:
                if not y.dtype.is_floating:
                    continue
                gy = array_ops.ones_like(y, name="grad_ys_%d" % i)
            else:
                gy = _as_tensor_or_slices(gy)
                if isinstance(gy, Tensor) and not y.shape.is_compatible_with(gy.shape):
                    raise ValueError("Incompatible shapes between op input and calculated input "
                                     "gradient for %s: %s vs %s" % (y.name, y.shape, gy.shape))
            grads.setdefault(y, []).append(gy)
        between = _between_ops(ys, xs, stop_ops)
        x_set = set(x for x in xs if isinstance(x, Tensor))
        for op in sorted(between, key=lambda o: o._id, reverse=True):
            if op in stop_ops:
                continue
            out_grads = [aggregate(grads.get(t, [])) for t in op.outputs]
            for t, g in zip(op.outputs, out_grads):
                if g is not None:
                    grads[t] = [g]  # summed once: an x among the outputs reuses the sum
            if all(g is None for g in out_grads):
                continue
            if not any(_backpropagatable(t) and t.op in between for t in op.inputs):
                continue
            grad_fn = get_gradient_function(op)
            if grad_fn is NOT_DIFFERENTIABLE:
                continue
            out_grads = [g if g is not None or not t.dtype.is_floating else _zeros_for(t)
                         for t, g in zip(op.outputs, out_grads)]
            with graph.name_scope(op.name + "_grad"):
                in_grads = grad_fn(op, *out_grads)
            in_grads = _as_list(in_grads) if in_grads is not None else [None] * len(op.inputs)
            if len(in_grads) != len(op.inputs):
                raise ValueError("Num gradients %d generated for op %s do not match num inputs %d"
                                 % (len(in_grads), op.name, len(op.inputs)))
            for x, g in zip(op.inputs, in_grads):
                if g is None or not _backpropagatable(x):
                    continue
                if x.op not in between and x not in x_set:
                    continue
                if isinstance(g, Tensor):
                    _check_shape(op, x, g)
                grads.setdefault(x, []).append(g)
        result = []
        for x in xs:
            g = aggregate(grads.get(x, [])) if isinstance(x, Tensor) else None
            if g is None and unconnected_gradients == UnconnectedGradients.ZERO:
                g = _zeros_for(x)
            result.append(g)
        return result


def hessians(ys, xs, name="hessians", colocate_gradients_with_ops=False, gate_gradients=False,
             aggregation_method=None):
    """The Hessian of sum(ys) with respect to each x: a tensor of shape x.shape + x.shape.

    Raises:
      ValueError: an x does not have a fully defined static shape.
    """
    xs = [_graph.convert_to_tensor(x) for x in _as_list(xs)]
    out = []
    with _graph.name_scope(name):
        for x, g in zip(xs, gradients(ys, xs)):
            if g is None:
                out.append(None)
                continue
            if not x.shape.is_fully_defined():
                raise ValueError("hessians needs a fully defined shape for %s, got %s" % (x.name, x.shape))
            n = x.shape.num_elements()
            flat = array_ops.reshape(g, [-1])
            rows = []
            for i in range(n):
                gi = gradients(flat[i], x)[0]
                rows.append(array_ops.zeros_like(x) if gi is None else gi)
            out.append(array_ops.reshape(array_ops.stack(rows), x.shape.as_list() + x.shape.as_list()))
    return out

