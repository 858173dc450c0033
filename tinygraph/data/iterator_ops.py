"""tf.data iterators: a resource held by the session, read with IteratorGetNext.

The graph holds the iterator's *handle* (op IteratorV2 or OneShotIterator, a
resource tensor); its *state* lives in the session (`RunContext.resources`, keyed by
the handle), like variable values, so two sessions on one graph iterate
independently. `MakeIterator` (the initializer) runs the dataset's ops and puts a
fresh iteration state there; `IteratorGetNext` takes the next element from it and
raises OutOfRangeError at the end. All of them run in `sess.run` like other ops.
"""
import threading

from ..backend import hostnp
from ..framework import dtypes, errors
from ..framework import graph as _graph
from ..framework.registry import NotDifferentiable, register_op
from ..framework.tensor_shape import TensorShape
from ..executor import Plan
from . import structure
from .runtime import EndOfSequence

__all__ = ["Iterator", "make_one_shot_iterator", "make_initializable_iterator"]

_HANDLE = [(dtypes.resource, TensorShape([]))]


def _handle_infer(attrs, *inputs):
    return list(_HANDLE)


def _key(op):
    """The name of an iterator's state in a session (also its string handle)."""
    shared = op.attrs.get("shared_name") or ""
    return "iterator/shared/" + shared if shared else "iterator/" + op.name


class _State:
    """An iteration state in the session, with the lock that serializes its get_next calls."""

    __slots__ = ("iterator", "lock")

    def __init__(self, iterator):
        self.iterator = iterator
        self.lock = threading.Lock()


def _iterator_bind(op, ctx):
    key = _key(op)
    return lambda: key


register_op("IteratorV2", infer=_handle_infer, bind=_iterator_bind, stateful=True)(None)


def _one_shot_bind(op, ctx):
    key, resources, plan = _key(op), ctx.resources, []

    def handle():
        if key not in resources:  # made at first use, from the dataset's ops
            if not plan:
                plan.append(Plan([op.attrs["dataset"]], [], [], ctx))
            resources[key] = _State(plan[0].run([])[0].iterator())
        return key
    return handle


register_op("OneShotIterator", infer=_handle_infer, bind=_one_shot_bind, stateful=True)(None)


def _make_iterator_bind(op, ctx):
    resources = ctx.resources

    def make(dataset, handle):
        resources[handle] = _State(dataset.iterator())
    return make


register_op("MakeIterator", infer=lambda attrs, *inputs: [], bind=_make_iterator_bind,
            stateful=True)(None)


def _get_next_bind(op, ctx):
    resources = ctx.resources
    expected = [t.shape.dims for t in op.outputs]
    single = len(op.outputs) == 1

    def get_next(handle):
        state = resources.get(handle)
        if state is None:
            raise errors.FailedPreconditionError(
                None, op, "GetNext() failed because the iterator has not been initialized. Ensure "
                "that you have run the initializer operation for this iterator before getting the "
                "next element.\n\t [[node %s]]" % op.name)
        try:
            with state.lock:  # one element per get_next, also from several threads
                values = state.iterator.next()
        except EndOfSequence:
            raise errors.OutOfRangeError(None, op, "End of sequence\n\t [[node %s]]" % op.name) from None
        for i, (v, dims) in enumerate(zip(values, expected)):
            if dims is not None and (len(v.shape) != len(dims) or
                                     any(d is not None and d != s for d, s in zip(dims, v.shape))):
                raise errors.InvalidArgumentError(
                    None, op, "Incompatible shapes at component %d: expected %s but got %s.\n\t "
                    "[[node %s]]" % (i, TensorShape(dims).as_bracket_str(),
                                     TensorShape(v.shape).as_bracket_str(), op.name))
        return values[0] if single else values
    return get_next


register_op("IteratorGetNext", infer=None, bind=_get_next_bind, stateful=True)(None)


def _to_string_bind(op, ctx):
    return lambda handle: hostnp.array(handle.encode(), dtype=object)


register_op("IteratorToStringHandle", infer=lambda attrs, h: [(dtypes.string, TensorShape([]))],
            bind=_to_string_bind, stateful=True)(None)


def _from_string_bind(op, ctx):
    def handle(s):
        v = s.reshape(()).item() if hasattr(s, "reshape") else s
        return v.decode() if isinstance(v, bytes) else str(v)
    return handle


register_op("IteratorFromStringHandleV2", infer=_handle_infer, bind=_from_string_bind,
            stateful=True)(None)

for _t in ("IteratorV2", "OneShotIterator", "MakeIterator", "IteratorGetNext",
           "IteratorToStringHandle", "IteratorFromStringHandleV2"):
    NotDifferentiable(_t)


class Iterator:
    """Reads the elements of a Dataset in a session (tf.data.Iterator).

    Made by `dataset.make_one_shot_iterator()`, `dataset.make_initializable_iterator()`,
    `Iterator.from_structure(...)` or `Iterator.from_string_handle(...)`.
    """

    def __init__(self, iterator_resource, initializer, specs):
        self._iterator_resource = iterator_resource
        self._initializer = initializer
        self._specs = specs

    @staticmethod
    def from_structure(output_types, output_shapes=None, shared_name=None, output_classes=None):
        """An uninitialized iterator for elements of this structure; `make_initializer(ds)`
        points it at any dataset of that structure (train and validation sets, say).

        Args:
          output_types: a nest of DTypes.
          output_shapes: a matching nest of shapes (default: unknown).
          shared_name: iterators with the same name share their state in a session.
        """
        specs = structure.specs_from(output_types, output_shapes)
        g = _graph.get_default_graph()
        op = g.create_op("IteratorV2", [], {"shared_name": shared_name or "", "container": "",
                                            "specs": specs}, "Iterator")
        return Iterator(op.outputs[0], None, specs)

    @staticmethod
    def from_string_handle(string_handle, output_types, output_shapes=None, output_classes=None):
        """An iterator standing for the one whose `string_handle()` value is fed here.

        Args:
          string_handle: a scalar string tensor (usually a placeholder).
        """
        specs = structure.specs_from(output_types, output_shapes)
        t = _graph.convert_to_tensor(string_handle, dtype=dtypes.string)
        op = _graph.get_default_graph().create_op("IteratorFromStringHandleV2", [t], {"specs": specs},
                                                  "IteratorFromStringHandleV2")
        return Iterator(op.outputs[0], None, specs)

    @property
    def initializer(self):
        """The op that (re)starts this iterator at the first element of its dataset.

        Raises:
          ValueError: this iterator has no initializer (one-shot, from_structure).
        """
        if self._initializer is None:
            raise ValueError("Iterator does not have an initializer.")
        return self._initializer

    @property
    def output_types(self):
        return structure.types_of(self._specs)

    @property
    def output_shapes(self):
        return structure.shapes_of(self._specs)

    @property
    def output_classes(self):
        return structure.classes_of(self._specs)

    def make_initializer(self, dataset, name=None):
        """An op that starts this iterator on `dataset`.

        Raises:
          TypeError: the dataset's element types (or shapes) do not match the iterator's.
          ValueError: the element structures differ.
        """
        ds_specs = dataset._specs
        structure.assert_same_structure(self.output_types, dataset.output_types)
        mine, theirs = structure.flatten(self._specs), structure.flatten(ds_specs)
        if any(a.dtype != b.dtype for a, b in zip(mine, theirs)):
            raise TypeError("Expected output types %r but got dataset with output types %r."
                            % (self.output_types, dataset.output_types))
        if any(not a.shape.is_compatible_with(b.shape) for a, b in zip(mine, theirs)):
            raise TypeError("Expected output shapes compatible with %r but got dataset with output "
                            "shapes %r." % (self.output_shapes, dataset.output_shapes))
        g = _graph.get_default_graph()
        return g.create_op("MakeIterator", [dataset._variant_tensor, self._iterator_resource], {},
                           name or "MakeIterator")

    def get_next(self, name=None):
        """The next element (a nest of tensors); running it moves the iterator on.

        At the end, `sess.run` raises tf.errors.OutOfRangeError ("End of sequence"); before
        initialization, FailedPreconditionError.
        """
        flat = structure.flatten(self._specs)
        g = _graph.get_default_graph()
        op = g.create_op("IteratorGetNext", [self._iterator_resource], {"specs": self._specs},
                         name or "IteratorGetNext", output_specs=[(s.dtype, s.shape) for s in flat])
        return structure.pack(self._specs, op.outputs)

    def string_handle(self, name=None):
        """A scalar string tensor naming this iterator, to feed `from_string_handle`."""
        g = _graph.get_default_graph()
        return g.create_op("IteratorToStringHandle", [self._iterator_resource], {},
                           name or "IteratorToStringHandle").outputs[0]


def _depends_on_placeholder(t):
    seen, stack = set(), [t.op]
    while stack:
        op = stack.pop()
        if op in seen:
            continue
        seen.add(op)
        if op.type == "Placeholder":
            return op
        stack.extend(x.op for x in op.inputs)  # a function's captures are inputs too
    return None


def make_one_shot_iterator(dataset):
    """An Iterator over `dataset` that initializes itself at first use (tf.data.make_one_shot_iterator).

    Raises:
      ValueError: the dataset depends on a placeholder (TF's message).
    """
    ph = _depends_on_placeholder(dataset._variant_tensor)
    if ph is not None:
        raise ValueError("Cannot capture a placeholder (name:%s, type:Placeholder) by value." % ph.name)
    g = _graph.get_default_graph()
    op = g.create_op("OneShotIterator", [], {"dataset": dataset._variant_tensor, "shared_name": "",
                                             "specs": dataset._specs}, "OneShotIterator")
    return Iterator(op.outputs[0], None, dataset._specs)


def make_initializable_iterator(dataset, shared_name=None):
    """An Iterator over `dataset` with an `initializer` op (tf.data.make_initializable_iterator)."""
    it = Iterator.from_structure(dataset.output_types, dataset.output_shapes, shared_name)
    it._initializer = it.make_initializer(dataset)
    return it


def get_output_types(obj):
    return obj.output_types


def get_output_shapes(obj):
    return obj.output_shapes


def get_output_classes(obj):
    return obj.output_classes

