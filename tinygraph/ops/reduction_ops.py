"""Reductions: tf.reduce_sum/mean/max/min/prod/any/all/logsumexp, count_nonzero, norm,
argmax/argmin, cumsum/cumprod, add_n/accumulate_n.
"""
from ..backend import host_ints, hostnp as np
from ..framework import dtypes, errors, graph as _graph
from ..framework.graph import op_output
from ..framework.registry import NotDifferentiable, register_gradient, register_op
from ..framework.tensor_shape import TensorShape
from ..passes.aliasing import mark_fresh_output
from ..passes.fuse_elementwise import register_inplace
from .array_creation_ops import ones_like
from .binary_ops import add, clip_by_value, maximum
from .cast_ops import cast
from .comparison_ops import equal, not_equal
from .control_flow_ops import identity, stop_gradient
from .math_helpers import _BOOL, _FLOATS, _NUMERIC, _check_dtype, _scope, _trunc_div
from .shape_ops import broadcast_to, reshape, shape
from .shape_utils import constant_value
from .unary_ops import abs, exp, log, sqrt

__all__ = ["reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod", "reduce_any",
           "reduce_all", "reduce_logsumexp", "count_nonzero", "argmax", "argmin",
           "cumsum", "cumprod", "add_n", "accumulate_n", "norm"]


# -- reductions ----------------------------------------------------------------------------------
def _reduction_axes_attr(x, axis, op_type="reduction"):
    """`axis` (None, an int, a list, or a constant tensor) as a tuple of axes, or None for all.

    With a known rank the axes are checked, made non-negative and sorted.
    """
    if axis is None:
        return None
    if _graph.is_tensor_like(axis):
        value = constant_value(_graph.convert_to_tensor(axis))
        if value is None:
            raise NotImplementedError("tinygraph needs reduction axes known when the graph is "
                                      "built; got the computed tensor %s" % axis)
        axis = value
    arr = np.asarray(axis)
    if arr.size and arr.dtype.kind not in "iu":
        raise TypeError("Value passed to parameter 'reduction_indices' has DataType %s not in list "
                        "of allowed values: int32, int64" % arr.dtype)
    axes = [int(a) for a in arr.reshape(-1)]
    nd = x.shape.ndims
    if nd is None:
        return tuple(axes)
    for a in axes:
        if not -nd <= a < nd:
            raise ValueError("Invalid reduction dimension %d for input with %d dimensions. for "
                             "'%s' (op: '%s') with input shapes: %s"
                             % (a, nd, op_type, op_type, x.shape.as_bracket_str()))
    return tuple(sorted(set(a % nd for a in axes)))


def _reduce_infer_for(op_type, allowed):
    def infer(attrs, x):
        _check_dtype(op_type, x, allowed, "input")
        axes, keep = attrs["axis"], attrs["keepdims"]
        dims = x.shape.dims
        if axes is None and not keep:
            return [(x.dtype, TensorShape([]))]
        if dims is None:
            return [(x.dtype, TensorShape(None))]
        if axes is None:
            return [(x.dtype, TensorShape([1] * len(dims)))]
        if keep:
            return [(x.dtype, TensorShape([1 if i in axes else d for i, d in enumerate(dims)]))]
        return [(x.dtype, TensorShape([d for i, d in enumerate(dims) if i not in axes]))]
    return infer


def _register_reduction(op_type, kernel, allowed=_NUMERIC):
    register_op(op_type, infer=_reduce_infer_for(op_type, allowed))(kernel)


def _mean_kernel(xp, attrs, x):
    axes, keep = attrs["axis"], attrs["keepdims"]
    if x.dtype.kind not in "iu":
        if x.size == 0:  # NaN for every mean over an empty axis (TF), without numpy's warning
            return xp.full(_reduced_shape(attrs, x), np.nan, dtype=x.dtype)
        return xp.mean(x, axis=axes, keepdims=keep)
    total = xp.sum(x, axis=axes, keepdims=keep, dtype=x.dtype)
    count = x.size // (total.size or 1)
    return _trunc_div(total, xp.asarray(count or 1, dtype=x.dtype))  # C integer division


_register_reduction("Sum", lambda xp, attrs, x: xp.sum(
    x, axis=attrs["axis"], keepdims=attrs["keepdims"], dtype=x.dtype))
_register_reduction("Prod", lambda xp, attrs, x: xp.prod(
    x, axis=attrs["axis"], keepdims=attrs["keepdims"], dtype=x.dtype))
_register_reduction("Mean", _mean_kernel)


def _reduced_shape(attrs, x):
    axes = range(x.ndim) if attrs["axis"] is None else [a % x.ndim for a in attrs["axis"]]
    if attrs["keepdims"]:
        return tuple(1 if i in axes else d for i, d in enumerate(x.shape))
    return tuple(d for i, d in enumerate(x.shape) if i not in axes)


def _extreme_kernel(reduce, identity_of):
    """Max/Min; over an empty axis the result is the reduction's identity, as in TF
    (-inf / +inf for floats, the dtype's lowest / highest value for integers)."""
    def kernel(xp, attrs, x):
        if x.size == 0:
            return xp.full(_reduced_shape(attrs, x), identity_of(x.dtype), dtype=x.dtype)
        return reduce(xp)(x, axis=attrs["axis"], keepdims=attrs["keepdims"])
    return kernel


def _lowest(dtype):
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def _highest(dtype):
    return np.inf if dtype.kind == "f" else np.iinfo(dtype).max


_register_reduction("Max", _extreme_kernel(lambda xp: xp.max, _lowest))
_register_reduction("Min", _extreme_kernel(lambda xp: xp.min, _highest))
_register_reduction("Any", lambda xp, attrs, x: xp.any(x, axis=attrs["axis"], keepdims=attrs["keepdims"]),
                    _BOOL)
_register_reduction("All", lambda xp, attrs, x: xp.all(x, axis=attrs["axis"], keepdims=attrs["keepdims"]),
                    _BOOL)
NotDifferentiable("Any")
NotDifferentiable("All")


mark_fresh_output("Sum", "Mean", "Prod")  # their kernels always return new arrays


def _kept_dims_shape(x, axes):
    """x's shape with the reduced axes set to 1: a list if static, else a tensor."""
    dims = x.shape.dims
    if dims is not None and all(d is not None for d in dims):
        return [1 if axes is None or i in axes else d for i, d in enumerate(dims)]
    return op_output("ReducedShape", [shape(x)], {"axis": axes})


@register_op("ReducedShape", infer=lambda attrs, s: [(s.dtype, s.shape)])
def _reduced_shape_kernel(xp, attrs, s):
    axes = attrs["axis"]
    n = len(s)
    out = [1 if axes is None or i in [a % n for a in axes] else d for i, d in enumerate(host_ints(s))]
    return xp.asarray(out, dtype=s.dtype)


NotDifferentiable("ReducedShape")


def _grad_with_kept_dims(op, grad):
    """`grad` of a reduction, reshaped so it broadcasts against the reduced input."""
    if op.attrs["keepdims"]:
        return grad
    return reshape(grad, _kept_dims_shape(op.inputs[0], op.attrs["axis"]))


@register_gradient("Sum")
def _sum_grad(op, grad):
    return [broadcast_to(_grad_with_kept_dims(op, grad), shape(op.inputs[0]))]


@register_gradient("Mean")
def _mean_grad(op, grad):
    sum_grad = _sum_grad(op, grad)[0]
    x, y = op.inputs[0], op.outputs[0]
    if x.shape.is_fully_defined() and y.shape.is_fully_defined():
        factor = x.shape.num_elements() // max(y.shape.num_elements(), 1)
        return [sum_grad / max(factor, 1)]
    factor = reduce_prod(shape(x)) // maximum(reduce_prod(shape(y)), 1)
    return [sum_grad / cast(maximum(factor, 1), sum_grad.dtype)]


def _min_or_max_grad(op, grad):
    # The gradient is shared equally among the elements equal to the result (ties), as TF.
    x, y = op.inputs[0], op.outputs[0]
    axes = op.attrs["axis"]
    if not op.attrs["keepdims"]:
        y = reshape(y, _kept_dims_shape(x, axes))
    grad = _grad_with_kept_dims(op, grad)
    indicators = cast(equal(y, x), grad.dtype)
    num_selected = reduce_sum(indicators, axes, keepdims=True)
    return [indicators / num_selected * grad]


register_gradient("Max")(_min_or_max_grad)
register_gradient("Min")(_min_or_max_grad)


def _prod_of_others(x, axes):
    """For each element of x, the product of the other elements reduced together with it.

    Built from exclusive cumulative products (no division, so zeros are fine), one axis
    at a time: the others along the first axis, times the full products of the other
    slices along the remaining axes.
    """
    if axes is None:
        if x.shape.ndims is None:  # flatten: one group holding every element
            return reshape(_prod_of_others(reshape(x, [-1]), (0,)), shape(x))
        axes = tuple(range(x.shape.ndims))
    if not axes:
        return ones_like(x)
    a = axes[0]
    out = cumprod(x, a, exclusive=True) * cumprod(x, a, exclusive=True, reverse=True)
    if len(axes) > 1:
        out = out * _prod_of_others(reduce_prod(x, a, keepdims=True), axes[1:])
    return out


@register_gradient("Prod")
def _prod_grad(op, grad):
    return [_grad_with_kept_dims(op, grad) * _prod_of_others(op.inputs[0], op.attrs["axis"])]


def _reduction_args(axis, keepdims, reduction_indices, keep_dims):
    """Resolves TF 1.x's deprecated aliases: (axis, keepdims)."""
    if reduction_indices is not None:
        if axis is not None:
            raise ValueError("Can't specify both 'axis' and 'reduction_indices'.")
        axis = reduction_indices
    if keep_dims is not None:
        if keepdims is not None:
            raise ValueError("Cannot specify both 'keepdims' and 'keep_dims'.")
        keepdims = keep_dims
    return axis, bool(keepdims)


def _reduce(op_type, input_tensor, axis, keepdims, name, reduction_indices, keep_dims):
    axis, keepdims = _reduction_args(axis, keepdims, reduction_indices, keep_dims)
    with _scope(name, op_type) as scope:
        x = _graph.convert_to_tensor(input_tensor, name="input_tensor")
        attrs = {"axis": _reduction_axes_attr(x, axis, op_type), "keepdims": keepdims}
        return op_output(op_type, [x], attrs, name=scope)


_REDUCE_DOC = """{what} of elements across dimensions of a tensor (tf.{fn}).

    Args:
      input_tensor: the tensor to reduce ({kind}).
      axis: the dimensions to reduce: an int, a list of ints (negative counts from
        the end), or None (the default) for all of them.
      keepdims: if true, keep the reduced dimensions with length 1.
      name: a name for the op (default "{op}").
      reduction_indices: the deprecated name of `axis`.
      keep_dims: the deprecated name of `keepdims`.

    Returns:
      The reduced tensor, of the input's dtype.

    Raises:
      ValueError: an axis is out of range, or both a name and its deprecated alias are given.
      TypeError: the input's dtype is not allowed.
    """


def _reducer(op_type, fn, what, kind="numeric"):
    def reduce(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
               keep_dims=None):
        return _reduce(op_type, input_tensor, axis, keepdims, name, reduction_indices, keep_dims)
    reduce.__name__ = reduce.__qualname__ = fn
    reduce.__doc__ = _REDUCE_DOC.format(what=what, fn=fn, kind=kind, op=op_type)
    return reduce


reduce_sum = _reducer("Sum", "reduce_sum", "The sum")
reduce_mean = _reducer("Mean", "reduce_mean", "The mean (integer inputs: truncated)")
reduce_prod = _reducer("Prod", "reduce_prod", "The product")
reduce_max = _reducer("Max", "reduce_max", "The maximum")
reduce_min = _reducer("Min", "reduce_min", "The minimum")
reduce_any = _reducer("Any", "reduce_any", "The logical OR", "bool")
reduce_all = _reducer("All", "reduce_all", "The logical AND", "bool")


def reduce_logsumexp(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
                     keep_dims=None):
    """log(sum(exp(x))) across dimensions, computed without overflow (tf.reduce_logsumexp).

    Arguments as for `reduce_sum`. The max is subtracted before exp and added back;
    it is treated as a constant for the gradient, which is exact.
    """
    axis, keepdims = _reduction_args(axis, keepdims, reduction_indices, keep_dims)
    with _scope(name, "ReduceLogSumExp"):
        x = _graph.convert_to_tensor(input_tensor, name="input_tensor")
        _check_dtype("ReduceLogSumExp", x, _FLOATS, "input_tensor")
        raw_max = reduce_max(x, axis, keepdims=True)
        # An infinite max would give inf - inf = nan; the largest finite value gives the
        # right +-inf result instead.
        finite = x.dtype.as_numpy_dtype
        my_max = stop_gradient(clip_by_value(raw_max, float(np.finfo(finite).min),
                                             float(np.finfo(finite).max)))
        result = log(reduce_sum(exp(x - my_max), axis, keepdims=keepdims))
        if not keepdims:
            my_max = reshape(my_max, shape(result))
        return add(result, my_max)


def count_nonzero(input_tensor, axis=None, keepdims=None, dtype=dtypes.int64, name=None,
                  reduction_indices=None, keep_dims=None):
    """The number of nonzero (or True, or non-empty) elements across dimensions (tf.count_nonzero).

    Arguments as for `reduce_sum`, plus `dtype`: the result's dtype (default int64).
    Floats are compared with zero exactly.
    """
    with _scope(name, "count_nonzero"):
        x = _graph.convert_to_tensor(input_tensor, name="input_tensor")
        zero = _graph.convert_to_tensor(np.zeros((), x.dtype.as_numpy_dtype) if x.dtype != dtypes.string
                                        else np.array("", dtype=object), dtype=x.dtype, name="zeros")
        nonzero = cast(not_equal(x, zero), dtypes.int64)
        counts = reduce_sum(nonzero, axis, keepdims, reduction_indices=reduction_indices,
                            keep_dims=keep_dims)
        return cast(counts, dtype)


# -- argmax / argmin -----------------------------------------------------------------------------
def _arg_infer_for(op_type):
    def infer(attrs, x):
        _check_dtype(op_type, x, _NUMERIC, "input")
        dims = x.shape.dims
        if dims is None:
            return [(attrs["output_type"], TensorShape(None))]
        return [(attrs["output_type"], TensorShape([d for i, d in enumerate(dims) if i != attrs["axis"]]))]
    return infer


def _check_arg_axis(x, axis):
    if x.shape[axis] == 0:
        raise errors.InvalidArgumentError(None, None, "Reduction axis %d is empty in shape [%s]"
                                          % (axis, ",".join(str(d) for d in x.shape)))


@register_op("ArgMax", infer=_arg_infer_for("ArgMax"))
def _argmax_kernel(xp, attrs, x):
    _check_arg_axis(x, attrs["axis"])
    return xp.argmax(x, axis=attrs["axis"]).astype(attrs["output_type"].as_numpy_dtype)


@register_op("ArgMin", infer=_arg_infer_for("ArgMin"))
def _argmin_kernel(xp, attrs, x):
    _check_arg_axis(x, attrs["axis"])
    return xp.argmin(x, axis=attrs["axis"]).astype(attrs["output_type"].as_numpy_dtype)


NotDifferentiable("ArgMax")
NotDifferentiable("ArgMin")


def _static_axis(x, axis, op_type):
    """An int axis (or scalar constant tensor) checked against x's rank; non-negative if known."""
    if _graph.is_tensor_like(axis):
        value = constant_value(_graph.convert_to_tensor(axis))
        if value is None:
            raise NotImplementedError("tinygraph needs the axis of %s known when the graph is built"
                                      % op_type)
        axis = value
    axis = int(axis)
    nd = x.shape.ndims
    if nd is None:
        return axis
    if not -nd <= axis < nd:
        raise ValueError("Expected axis in the range [%d, %d), but got %d for '%s' (op: '%s') "
                         "with input shapes: %s" % (-nd, nd, axis, op_type, op_type,
                                                    x.shape.as_bracket_str()))
    return axis % nd


def _arg_reduce(op_type, input, axis, name, dimension, output_type):  # noqa: A002
    if dimension is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'dimension'")
        axis = dimension
    output_type = dtypes.as_dtype(output_type)
    if output_type not in (dtypes.int32, dtypes.int64):
        raise TypeError("output_type must be int32 or int64, got %s" % output_type.name)
    with _scope(name, op_type) as scope:
        x = _graph.convert_to_tensor(input, name="input")
        attrs = {"axis": _static_axis(x, 0 if axis is None else axis, op_type),
                 "output_type": output_type}
        return op_output(op_type, [x], attrs, name=scope)


def argmax(input, axis=None, name=None, dimension=None, output_type=dtypes.int64):  # noqa: A002
    """The index of the largest value along `axis` (tf.argmax); the first one at ties.

    Args:
      input: a numeric Tensor.
      axis: the axis to reduce (default 0, as TF 1.x); may be negative.
      name: a name for the op (default "ArgMax").
      dimension: the deprecated name of `axis`.
      output_type: int64 (default) or int32.

    Raises:
      ValueError: `axis` is out of range.
    """
    return _arg_reduce("ArgMax", input, axis, name, dimension, output_type)


def argmin(input, axis=None, name=None, dimension=None, output_type=dtypes.int64):  # noqa: A002
    """The index of the smallest value along `axis` (tf.argmin). See `argmax`."""
    return _arg_reduce("ArgMin", input, axis, name, dimension, output_type)


# -- scans: cumsum, cumprod ----------------------------------------------------------------------
def _scan_kernel(scan, identity):
    def kernel(xp, attrs, x):
        axis = attrs["axis"]
        y = xp.moveaxis(x, axis, 0)
        if attrs["reverse"]:
            y = y[::-1]
        out = getattr(xp, scan)(y, axis=0, dtype=x.dtype)
        if attrs["exclusive"]:  # shift by one, starting from the identity
            out = xp.concatenate([xp.full_like(out[:1], identity), out[:-1]], axis=0)
        if attrs["reverse"]:
            out = out[::-1]
        return xp.moveaxis(out, 0, axis)
    return kernel


def _scan_infer_for(op_type):
    def infer(attrs, x):
        _check_dtype(op_type, x, _NUMERIC)
        if x.shape.ndims == 0:
            raise ValueError("Shape must be at least rank 1 but is rank 0 for '%s'" % op_type)
        return [(x.dtype, x.shape)]
    return infer


register_op("Cumsum", infer=_scan_infer_for("Cumsum"))(_scan_kernel("cumsum", 0))
register_op("Cumprod", infer=_scan_infer_for("Cumprod"))(_scan_kernel("cumprod", 1))


@register_gradient("Cumsum")
def _cumsum_grad(op, grad):
    a = op.attrs
    return [cumsum(grad, a["axis"], exclusive=a["exclusive"], reverse=not a["reverse"])]


@register_gradient("Cumprod")
def _cumprod_grad(op, grad):
    # As TF: divides by x, so it is not defined where x == 0.
    a, x = op.attrs, op.inputs[0]
    prod = cumprod(x, a["axis"], exclusive=a["exclusive"], reverse=a["reverse"])
    out = cumsum(prod * grad, a["axis"], exclusive=a["exclusive"], reverse=not a["reverse"])
    return [out / x]


def _scan(op_type, x, axis, exclusive, reverse, name):
    with _scope(name, op_type) as scope:
        x = _graph.convert_to_tensor(x, name="x")
        attrs = {"axis": _static_axis(x, axis, op_type), "exclusive": bool(exclusive),
                 "reverse": bool(reverse)}
        return op_output(op_type, [x], attrs, name=scope)


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """Cumulative sum along `axis` (tf.cumsum).

    Args:
      x: a numeric Tensor of rank >= 1.
      axis: the axis (default 0); may be negative.
      exclusive: if true, element i excludes x[i]: [a, b, c] -> [0, a, a + b].
      reverse: if true, sum from the end: [a, b, c] -> [a + b + c, b + c, c].
      name: a name for the op (default "Cumsum").

    Raises:
      ValueError: `axis` is out of range, or x is a scalar.
    """
    return _scan("Cumsum", x, axis, exclusive, reverse, name)


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    """Cumulative product along `axis` (tf.cumprod); exclusive starts from 1. See `cumsum`."""
    return _scan("Cumprod", x, axis, exclusive, reverse, name)


# -- sums of lists -------------------------------------------------------------------------------
def _add_n_infer_for(op_type):
    def infer(attrs, *xs):
        _check_dtype(op_type, xs[0], _NUMERIC, "inputs")
        shape = xs[0].shape
        for x in xs[1:]:
            if x.dtype != xs[0].dtype:
                raise TypeError("All inputs to '%s' must have the same dtype, got %s and %s"
                                % (op_type, xs[0].dtype.name, x.dtype.name))
            if not shape.is_compatible_with(x.shape):
                raise ValueError("Shapes %s and %s are not compatible for '%s'"
                                 % (shape, x.shape, op_type))
            shape = shape.merge_with(x.shape)
        if "shape" in attrs:
            shape = shape.merge_with(attrs["shape"])
        return [(xs[0].dtype, shape)]
    return infer


def _add_n_kernel(xp, attrs, *xs):
    out = xs[0] + xs[1] if len(xs) > 1 else xp.array(xs[0], copy=True)
    for x in xs[2:]:
        out += x
    return out


register_op("AddN", infer=_add_n_infer_for("AddN"))(_add_n_kernel)
register_op("AccumulateNV2", infer=_add_n_infer_for("AccumulateNV2"))(_add_n_kernel)


@register_gradient("AddN")
def _add_n_grad(op, grad):
    return [grad] * len(op.inputs)


register_gradient("AccumulateNV2")(_add_n_grad)


# In-place form (for the fuse_elementwise pass): the sum is written into one input's buffer.
def _add_n_inplace(xp, attrs, pos, *xs):
    out = xs[pos]
    if len(xs) > 1:
        xp.add(xs[0], xs[1], out=out)
    for x in xs[2:]:
        out += x
    return out


register_inplace("AddN", (0, 1))(_add_n_inplace)
register_inplace("AccumulateNV2", (0, 1))(_add_n_inplace)


def _list_inputs(inputs):
    if not inputs or not isinstance(inputs, (list, tuple)):
        raise ValueError("inputs must be a list of at least one Tensor with the same dtype and shape")
    return [_graph.convert_to_tensor(x) for x in inputs]


def add_n(inputs, name=None):
    """Adds a list of tensors of the same shape and dtype elementwise (tf.add_n).

    IndexedSlices are made dense first.

    Raises:
      ValueError: `inputs` is not a non-empty list, or the shapes differ.
      TypeError: the dtypes differ.
    """
    xs = _list_inputs(inputs)
    if len(xs) == 1:
        if name:
            return identity(xs[0], name=name)
        return xs[0]
    return op_output("AddN", xs, name=name)


def accumulate_n(inputs, shape=None, tensor_dtype=None, name=None):
    """Adds a list of tensors elementwise (tf.accumulate_n): add_n with optional checks.

    Args:
      inputs: a list of Tensors of the same shape and dtype.
      shape: the expected shape of the inputs (optional).
      tensor_dtype: the expected dtype of the inputs (optional).
      name: a name for the op.

    Raises:
      ValueError: `inputs` is not a non-empty list, the dtypes or shapes differ.
      TypeError: `tensor_dtype` is not the inputs' dtype.
    """
    xs = _list_inputs(inputs)
    if not all(x.dtype == xs[0].dtype for x in xs):
        raise ValueError("inputs must be a list of at least one Tensor with the same dtype and shape")
    static = TensorShape(None) if shape is None else TensorShape(shape)
    for x in xs:
        static = static.merge_with(x.shape)
    if tensor_dtype is not None and dtypes.as_dtype(tensor_dtype) != xs[0].dtype:
        raise TypeError("tensor_dtype is %s, but input is of type %s" % (
            dtypes.as_dtype(tensor_dtype).name, xs[0].dtype.name))
    if len(xs) == 1:
        if name:
            return identity(xs[0], name=name)
        return xs[0]
    return op_output("AccumulateNV2", xs, {"shape": static}, name=name)


# -- operators on Tensor -------------------------------------------------------------------------
def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None, keep_dims=None):  # noqa: A002
    """The vector norm of `tensor` over `axis` (all entries if None) (tf.norm).

    Args:
      ord: "euclidean" / "fro" / 2 (square root of the sum of squares), 1 (sum of absolute
        values) or numpy.inf (largest absolute value).
      axis: an int or None.
      keepdims: keep the reduced axes with length 1.

    Raises:
      ValueError: an unsupported `ord`.
    """
    keepdims = bool(keep_dims if keepdims is None else keepdims)
    with _scope(name, "norm") as scope:
        x = _graph.convert_to_tensor(tensor)
        if ord in ("euclidean", "fro", 2, 2.0):
            return sqrt(reduce_sum(x * x, axis=axis, keepdims=keepdims), name=scope)
        if ord in (1, 1.0):
            return reduce_sum(abs(x), axis=axis, keepdims=keepdims, name=scope)
        if ord == float("inf"):
            return reduce_max(abs(x), axis=axis, keepdims=keepdims, name=scope)
        raise ValueError("'ord' must be a supported vector norm, got %s." % (ord,))
