"""tf.TensorArray: a list of tensors that a while loop can read and write per step.

At run time a TensorArray is a `TensorArrayValue` (a dict from index to array)
passed between ops as an opaque `variant` tensor. Writes update it in place and
return it, as TF's TensorArray resource does; the returned handle orders later
reads after the write.

Gradients flow as TensorArrays too: the gradient of a handle is a TensorArrayValue
of gradients, where a missing index means zero. Several gradient contributions to
one handle are summed index by index (`+` on TensorArrayValue), so AddN and the
While op's accumulators work on them unchanged.
"""
from ..framework import dtypes, errors
from ..framework import graph as _graph
from ..framework.graph import op_output
from ..framework.registry import NotDifferentiable, register_gradient, register_op
from ..framework.tensor_shape import TensorShape, as_shape, unknown_shape
from ..ops.control_flow_ops import no_op

__all__ = ["TensorArray"]


class TensorArrayValue:
    """The run-time value of a TensorArray: `items` maps index -> array.

    Attributes:
      size: the number of elements (grows when dynamic_size).
      dynamic_size: whether writes past `size` grow it.
      element_shape: a static TensorShape used to make zeros for unwritten entries.
    """

    __slots__ = ("items", "size", "dynamic_size", "element_shape")

    def __init__(self, size=0, dynamic_size=False, element_shape=None, items=None):
        self.items = {} if items is None else items
        self.size = size
        self.dynamic_size = dynamic_size
        self.element_shape = element_shape

    @property
    def nbytes(self):
        return sum(int(getattr(a, "nbytes", 0)) for a in self.items.values())

    def zeros(self, xp, dtype):
        """Zeros shaped like an element (from a written element or the static shape)."""
        for a in self.items.values():
            return xp.zeros(a.shape, dtype=a.dtype)
        if self.element_shape is not None and self.element_shape.is_fully_defined():
            return xp.zeros(self.element_shape.as_list(), dtype=dtype)
        raise errors.InvalidArgumentError(
            None, None, "TensorArray has no written element and an unknown element shape: "
            "cannot make zeros for an unwritten index")

    def element(self, xp, index, dtype):
        a = self.items.get(index)
        return a if a is not None else self.zeros(xp, dtype)

    def __add__(self, other):
        if other is None or isinstance(other, (int, float)) and other == 0:
            return self
        out = TensorArrayValue(max(self.size, other.size), self.dynamic_size,
                               self.element_shape or other.element_shape, dict(self.items))
        out += other
        return out

    __radd__ = __add__

    def __iadd__(self, other):
        for i, a in other.items.items():
            mine = self.items.get(i)
            self.items[i] = a if mine is None else mine + a
        self.size = max(self.size, other.size)
        return self

    def copy(self):
        return TensorArrayValue(self.size, self.dynamic_size, self.element_shape, dict(self.items))

    def __repr__(self):
        return "<TensorArrayValue size=%d written=%d>" % (self.size, len(self.items))


_HANDLE = (dtypes.variant, TensorShape([]))


def _check_index(op, ta, i):
    if i < 0:
        raise errors.InvalidArgumentError(None, op, "Tried to access index %d of a TensorArray" % i)
    if i >= ta.size:
        if not ta.dynamic_size:
            raise errors.InvalidArgumentError(
                None, op, "Tried to write to index %d but array is not resizeable and size is: %d"
                % (i, ta.size))
        ta.size = i + 1


@register_op("AddNVariant", infer=lambda attrs, *xs: [_HANDLE])
def _add_n_variant_kernel(xp, attrs, *values):
    """Sums TensorArray gradients index by index (tf.gradients' aggregation for variants)."""
    total = values[0].copy()
    for v in values[1:]:
        total += v
    return total


@register_gradient("AddNVariant")
def _add_n_variant_grad(op, grad):
    return [grad] * len(op.inputs)


# -- creation ------------------------------------------------------------------------------
@register_op("TensorArrayV3", infer=lambda attrs, size: [_HANDLE])
def _ta_new_kernel(xp, attrs, size):
    return TensorArrayValue(int(size), attrs["dynamic_size"], attrs["element_shape"])


NotDifferentiable("TensorArrayV3")


# -- write / read ---------------------------------------------------------------------------
def _write_bind(op, ctx):
    def write(ta, index, value):
        i = int(index)
        _check_index(op, ta, i)
        ta.items[i] = value
        return ta
    return write


register_op("TensorArrayWriteV3", infer=lambda attrs, h, i, v: [_HANDLE], bind=_write_bind)(None)  # bound: see bind


def _read_bind(op, ctx):
    xp, dtype = ctx.xp, op.attrs["dtype"].as_numpy_dtype

    def read(ta, index):
        i = int(index)
        a = ta.items.get(i)
        if a is None:
            if i >= ta.size and not ta.dynamic_size:
                raise errors.InvalidArgumentError(
                    None, op, "Tried to read from index %d but array size is: %d" % (i, ta.size))
            if not op.attrs.get("zeros_if_missing"):
                raise errors.InvalidArgumentError(
                    None, op, "Could not read from TensorArray index %d because it has not yet been "
                    "written to." % i)
            return ta.zeros(xp, dtype)
        return a
    return read


register_op("TensorArrayReadV3", infer=lambda attrs, h, i: [(attrs["dtype"], attrs["element_shape"])],
             bind=_read_bind)(None)  # bound: see bind


@register_op("TensorArrayFromItem", infer=lambda attrs, i, v: [_HANDLE])
def _ta_from_item_kernel(xp, attrs, index, value):
    i = int(index)
    return TensorArrayValue(i + 1, True, None, {i: value})


NotDifferentiable("TensorArrayFromItem")


@register_gradient("TensorArrayWriteV3")
def _ta_write_grad(op, grad):
    if grad is None:
        return [None, None, None]
    value = op.inputs[2]
    read = op_output("TensorArrayReadV3", [grad, op.inputs[1]],
                     {"dtype": value.dtype, "element_shape": value.shape, "zeros_if_missing": True},
                     "read")
    return [grad, None, read]


@register_gradient("TensorArrayReadV3")
def _ta_read_grad(op, grad):
    return [op_output("TensorArrayFromItem", [op.inputs[1], grad], {}, "from_item"), None]


# -- whole-array ops ------------------------------------------------------------------------
def _stacked_shape(attrs, n=None):
    es = attrs["element_shape"]
    if es.dims is None:
        return TensorShape(None)
    return TensorShape([n] + list(es.dims))


def _stack_bind(op, ctx):
    xp, dtype = ctx.xp, op.attrs["dtype"].as_numpy_dtype

    def stack(ta):
        if ta.size == 0:
            es = op.attrs["element_shape"]
            if es.is_fully_defined():
                return xp.zeros([0] + es.as_list(), dtype=dtype)
            raise errors.InvalidArgumentError(None, op, "Tried to stack an empty TensorArray with "
                                              "unknown element shape")
        return xp.stack([ta.element(xp, i, dtype) for i in range(ta.size)])
    return stack


register_op("TensorArrayStackV3", infer=lambda attrs, h: [(attrs["dtype"], _stacked_shape(attrs))],
             bind=_stack_bind)(None)  # bound: see bind


@register_op("TensorArrayFromRows", infer=lambda attrs, v: [_HANDLE])
def _ta_from_rows_kernel(xp, attrs, value):
    return TensorArrayValue(value.shape[0], False, None, {i: value[i] for i in range(value.shape[0])})


NotDifferentiable("TensorArrayFromRows")


@register_gradient("TensorArrayStackV3")
def _ta_stack_grad(op, grad):
    return [op_output("TensorArrayFromRows", [grad], {}, "from_rows")]


def _unstack_bind(op, ctx):
    def unstack(ta, value):
        n = value.shape[0]
        if n > ta.size:
            if not ta.dynamic_size:
                raise errors.InvalidArgumentError(
                    None, op, "Tried to unstack %d elements into a TensorArray of size %d" % (n, ta.size))
            ta.size = n
        for i in range(n):
            ta.items[i] = value[i]
        return ta
    return unstack


register_op("TensorArrayUnstack", infer=lambda attrs, h, v: [_HANDLE], bind=_unstack_bind)(None)  # bound: see bind


def _grad_stack_bind(op, ctx):
    xp = ctx.xp

    def stack_like(grad_ta, value):
        rows = [grad_ta.items.get(i) for i in range(value.shape[0])]
        return xp.stack([r if r is not None else xp.zeros(value.shape[1:], dtype=value.dtype)
                         for r in rows]) if rows else xp.zeros_like(value)
    return stack_like


register_op("TensorArrayGradStack", infer=lambda attrs, g, v: [(v.dtype, v.shape)], bind=_grad_stack_bind)(None)  # bound: see bind


NotDifferentiable("TensorArrayGradStack")


@register_gradient("TensorArrayUnstack")
def _ta_unstack_grad(op, grad):
    if grad is None:
        return [None, None]
    value = op.inputs[1]
    return [grad, op_output("TensorArrayGradStack", [grad, value], {}, "stack")]


def _gather_bind(op, ctx):
    xp, dtype = ctx.xp, op.attrs["dtype"].as_numpy_dtype

    def gather(ta, indices):
        return xp.stack([ta.element(xp, int(i), dtype) for i in indices.reshape(-1)])
    return gather


register_op("TensorArrayGatherV3",
             infer=lambda attrs, h, idx: [(attrs["dtype"], TensorShape(
                 [idx.shape.dims[0] if idx.shape.dims else None]).concatenate(attrs["element_shape"]))],
             bind=_gather_bind)(None)  # bound: see bind


@register_op("TensorArrayFromScatter", infer=lambda attrs, idx, v: [_HANDLE])
def _ta_from_scatter_kernel(xp, attrs, indices, value):
    items = {}
    for k, i in enumerate(indices.reshape(-1)):
        i = int(i)
        items[i] = value[k] if i not in items else items[i] + value[k]
    return TensorArrayValue(max(items) + 1 if items else 0, True, None, items)


NotDifferentiable("TensorArrayFromScatter")


@register_gradient("TensorArrayGatherV3")
def _ta_gather_grad(op, grad):
    return [op_output("TensorArrayFromScatter", [op.inputs[1], grad], {}, "from_scatter"), None]


def _scatter_bind(op, ctx):
    def scatter(ta, indices, value):
        for k, i in enumerate(indices.reshape(-1)):
            i = int(i)
            _check_index(op, ta, i)
            ta.items[i] = value[k]
        return ta
    return scatter


register_op("TensorArrayScatterV3", infer=lambda attrs, h, idx, v: [_HANDLE], bind=_scatter_bind)(None)  # bound: see bind


def _grad_gather_bind(op, ctx):
    xp = ctx.xp

    def gather_like(grad_ta, indices, value):
        zero = xp.zeros(value.shape[1:], dtype=value.dtype)
        return xp.stack([grad_ta.items.get(int(i), zero) for i in indices.reshape(-1)])
    return gather_like


register_op("TensorArrayGradGather", infer=lambda attrs, g, idx, v: [(v.dtype, v.shape)],
             bind=_grad_gather_bind)(None)  # bound: see bind


NotDifferentiable("TensorArrayGradGather")


@register_gradient("TensorArrayScatterV3")
def _ta_scatter_grad(op, grad):
    if grad is None:
        return [None, None, None]
    return [grad, None, op_output("TensorArrayGradGather", [grad, op.inputs[1], op.inputs[2]], {},
                                  "gather")]


def _concat_bind(op, ctx):
    xp, dtype = ctx.xp, op.attrs["dtype"].as_numpy_dtype

    def concat(ta):
        parts = [ta.element(xp, i, dtype) for i in range(ta.size)]
        lengths = xp.asarray([p.shape[0] for p in parts], dtype="int64")
        return xp.concatenate(parts, axis=0), lengths
    return concat


register_op("TensorArrayConcatV3",
            infer=lambda attrs, h: [(attrs["dtype"], TensorShape([None]).concatenate(
                attrs["element_shape"][1:] if attrs["element_shape"].dims else TensorShape(None))),
                (dtypes.int64, TensorShape([None]))],
            bind=_concat_bind)(None)  # bound: see bind


@register_op("TensorArrayFromSplit", infer=lambda attrs, v, lengths: [_HANDLE])
def _ta_from_split_kernel(xp, attrs, value, lengths):
    items, start = {}, 0
    for i, n in enumerate(lengths.reshape(-1)):
        n = int(n)
        items[i] = value[start:start + n]
        start += n
    return TensorArrayValue(len(items), False, None, items)


NotDifferentiable("TensorArrayFromSplit")


@register_gradient("TensorArrayConcatV3")
def _ta_concat_grad(op, grad, lengths_grad=None):
    return [op_output("TensorArrayFromSplit", [grad, op.outputs[1]], {}, "from_split")]


def _split_bind(op, ctx):
    def split(ta, value, lengths):
        start = 0
        for i, n in enumerate(lengths.reshape(-1)):
            n = int(n)
            _check_index(op, ta, i)
            ta.items[i] = value[start:start + n]
            start += n
        return ta
    return split


register_op("TensorArraySplitV3", infer=lambda attrs, h, v, lengths: [_HANDLE], bind=_split_bind)(None)  # bound: see bind


def _grad_concat_bind(op, ctx):
    xp = ctx.xp

    def concat_like(grad_ta, value, lengths):
        parts, start = [], 0
        for i, n in enumerate(lengths.reshape(-1)):
            n = int(n)
            g = grad_ta.items.get(i)
            parts.append(g if g is not None else xp.zeros_like(value[start:start + n]))
            start += n
        return xp.concatenate(parts, axis=0)
    return concat_like


register_op("TensorArrayGradConcat", infer=lambda attrs, g, v, lengths: [(v.dtype, v.shape)],
             bind=_grad_concat_bind)(None)  # bound: see bind


NotDifferentiable("TensorArrayGradConcat")


@register_gradient("TensorArraySplitV3")
def _ta_split_grad(op, grad):
    if grad is None:
        return [None, None, None]
    return [grad, op_output("TensorArrayGradConcat", [grad, op.inputs[1], op.inputs[2]], {},
                            "concat"), None]


@register_op("TensorArraySizeV3", infer=lambda attrs, h: [(dtypes.int32, TensorShape([]))])
def _ta_size_kernel(xp, attrs, ta):
    return xp.asarray(ta.size, dtype="int32")


NotDifferentiable("TensorArraySizeV3")


# -- the Python object ---------------------------------------------------------------------
class TensorArray:
    """A size-`size` array of tensors of one dtype, for use in loops (tf.TensorArray).

    Args:
      dtype: the element dtype.
      size: the number of elements (int or int32 scalar tensor).
      dynamic_size: if True, writes past the end grow the array.
      clear_after_read: accepted for compatibility (reads never clear here).
      element_shape: the static shape of each element, if known.
      infer_shape: if True, the element shape is refined from writes.
      name: the op name.

    Every write-like method returns a new TensorArray object to use from then on,
    as in TF 1.x.
    """

    def __init__(self, dtype, size=None, dynamic_size=None, clear_after_read=None,
                 tensor_array_name=None, handle=None, flow=None, infer_shape=True,
                 element_shape=None, colocate_with_first_write_call=True, name=None):
        self._dtype = dtypes.as_dtype(dtype)
        self._dynamic_size = bool(dynamic_size)
        self._infer_shape = infer_shape
        # shared with every TensorArray derived from this one (as TF shares it)
        self._element_shape = [as_shape(element_shape) if element_shape is not None else unknown_shape()]
        if handle is not None or flow is not None:
            self._handle = flow if flow is not None else handle
            return
        if size is None:
            raise ValueError("Size must be provided if handle is not provided")
        g = _graph.get_default_graph()
        size_t = _graph.convert_to_tensor(size, dtype=dtypes.int32)
        self._handle = g.create_op("TensorArrayV3", [size_t],
                                   {"dtype": self._dtype, "dynamic_size": self._dynamic_size,
                                    "element_shape": self._element_shape[0]},
                                   name or tensor_array_name or "TensorArray").outputs[0]

    @classmethod
    def _like(cls, template, handle):
        ta = cls.__new__(cls)
        ta._dtype = template._dtype
        ta._dynamic_size = template._dynamic_size
        ta._infer_shape = template._infer_shape
        ta._element_shape = template._element_shape
        ta._handle = handle
        return ta

    @property
    def dtype(self):
        return self._dtype

    @property
    def handle(self):
        return self._handle

    @property
    def flow(self):
        """The tensor that orders this array's reads after its writes (the handle here)."""
        return self._handle

    @property
    def element_shape(self):
        return self._element_shape[0]

    def _merge_element_shape(self, shape):
        if self._infer_shape:
            self._element_shape[0] = self._element_shape[0].merge_with(shape)

    def identity(self):
        return TensorArray._like(self, self._handle)

    def read(self, index, name=None):
        """The element at `index`."""
        g = _graph.get_default_graph()
        i = _graph.convert_to_tensor(index, dtype=dtypes.int32)
        return g.create_op("TensorArrayReadV3", [self._handle, i],
                           {"dtype": self._dtype, "element_shape": self.element_shape},
                           name or "TensorArrayReadV3").outputs[0]

    def write(self, index, value, name=None):
        """Writes `value` at `index`; returns the TensorArray to use afterwards.

        Raises:
          ValueError: `value`'s shape clashes with earlier writes.
        """
        g = _graph.get_default_graph()
        v = _graph.convert_to_tensor(value, dtype=self._dtype)
        self._merge_element_shape(v.shape)
        i = _graph.convert_to_tensor(index, dtype=dtypes.int32)
        h = g.create_op("TensorArrayWriteV3", [self._handle, i, v], {}, name or "TensorArrayWrite").outputs[0]
        return TensorArray._like(self, h)

    def stack(self, name=None):
        """All elements stacked along a new first axis (unwritten ones are zeros)."""
        g = _graph.get_default_graph()
        return g.create_op("TensorArrayStackV3", [self._handle],
                           {"dtype": self._dtype, "element_shape": self.element_shape},
                           name or "TensorArrayStack").outputs[0]

    def gather(self, indices, name=None):
        """The elements at `indices`, stacked."""
        g = _graph.get_default_graph()
        idx = _graph.convert_to_tensor(indices, dtype=dtypes.int32)
        return g.create_op("TensorArrayGatherV3", [self._handle, idx],
                           {"dtype": self._dtype, "element_shape": self.element_shape},
                           name or "TensorArrayGather").outputs[0]

    def unstack(self, value, name=None):
        """Writes value[i] at index i for every row of `value`."""
        g = _graph.get_default_graph()
        v = _graph.convert_to_tensor(value, dtype=self._dtype)
        if v.shape.dims is not None:
            self._merge_element_shape(TensorShape(v.shape.dims[1:]))
        h = g.create_op("TensorArrayUnstack", [self._handle, v], {}, name or "TensorArrayUnstack").outputs[0]
        return TensorArray._like(self, h)

    def scatter(self, indices, value, name=None):
        """Writes value[k] at indices[k]."""
        g = _graph.get_default_graph()
        v = _graph.convert_to_tensor(value, dtype=self._dtype)
        if v.shape.dims is not None:
            self._merge_element_shape(TensorShape(v.shape.dims[1:]))
        idx = _graph.convert_to_tensor(indices, dtype=dtypes.int32)
        h = g.create_op("TensorArrayScatterV3", [self._handle, idx, v], {},
                        name or "TensorArrayScatter").outputs[0]
        return TensorArray._like(self, h)

    def concat(self, name=None):
        """All elements concatenated along their first axis."""
        g = _graph.get_default_graph()
        return g.create_op("TensorArrayConcatV3", [self._handle],
                           {"dtype": self._dtype, "element_shape": self.element_shape},
                           name or "TensorArrayConcat").outputs[0]

    def split(self, value, lengths, name=None):
        """Splits `value` along axis 0 into pieces of `lengths`, one per element."""
        g = _graph.get_default_graph()
        v = _graph.convert_to_tensor(value, dtype=self._dtype)
        ln = _graph.convert_to_tensor(lengths, dtype=dtypes.int64)
        h = g.create_op("TensorArraySplitV3", [self._handle, v, ln], {}, name or "TensorArraySplit").outputs[0]
        return TensorArray._like(self, h)

    def size(self, name=None):
        """The number of elements, as an int32 scalar tensor."""
        g = _graph.get_default_graph()
        return g.create_op("TensorArraySizeV3", [self._handle], {}, name or "TensorArraySize").outputs[0]

    def close(self, name=None):
        """Accepted for compatibility; returns a no-op."""
        return no_op(name=name or "TensorArrayClose")

    def __repr__(self):
        return "<tf.TensorArray dtype=%s element_shape=%s>" % (self._dtype.name, self.element_shape)
