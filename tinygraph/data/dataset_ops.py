"""tf.data.Dataset: a graph-level description of a sequence of elements.

Every Dataset is one graph op whose output is a variant tensor (TF's op types:
TensorSliceDataset, MapDataset, BatchDatasetV2, ...). Running that op in a session
gives a `runtime.DatasetValue` built from its inputs; an iterator (iterator_ops.py)
then draws elements from it. Building a dataset never runs anything, and every
transformation returns a new Dataset on top of the old one's op.
"""
import glob

from ..backend import host_scalar, hostnp, to_host_small
from ..framework import dtypes, errors
from ..framework import graph as _graph
from ..framework.graph import Tensor
from ..framework.registry import NotDifferentiable, register_op
from ..framework.tensor_shape import TensorShape, as_shape
from ..ops.cast_ops import cast
from ..ops.random_ops import get_seed
from ..ops.shape_utils import constant_value
from . import batching, iterator_ops, runtime, shuffling, structure, transforms
from .functions import TracedFunction
from .structure import Spec

__all__ = ["Dataset"]

AUTOTUNE = -1


# -- graph ops -------------------------------------------------------------------
def _variant_infer(attrs, *inputs):
    return [(dtypes.variant, TensorShape([]))]


def dataset_op(type_name, make):
    """Registers a dataset op whose kernel is make(op, ctx) -> fn(*input values) -> DatasetValue.

    Dataset ops are marked stateful: their values hold iteration machinery (and for
    `shuffle` seed state), so they are never folded or merged.
    """
    register_op(type_name, infer=_variant_infer, bind=make, stateful=True)(None)
    NotDifferentiable(type_name)


def _simple(cls):
    """Kernel maker for ops whose value is cls(xp, *inputs)."""
    return lambda op, ctx: (lambda *values: cls(ctx.xp, *values))


def _int(v):
    return int(host_scalar(v))


dataset_op("TensorSliceDataset", _simple(lambda xp, *c: runtime.SlicesValue(xp, c)))
dataset_op("TensorDataset", _simple(lambda xp, *c: runtime.TensorsValue(xp, c)))
dataset_op("RangeDataset", _simple(lambda xp, a, b, c: runtime.RangeValue(xp, _int(a), _int(b), _int(c))))
dataset_op("ZipDataset", _simple(lambda xp, *children: transforms.ZipValue(xp, list(children))))
dataset_op("ConcatenateDataset", _simple(transforms.ConcatenateValue))
dataset_op("TakeDataset", _simple(lambda xp, d, n: transforms.TakeValue(xp, d, _int(n))))
dataset_op("SkipDataset", _simple(lambda xp, d, n: transforms.SkipValue(xp, d, _int(n))))
dataset_op("RepeatDataset", _simple(lambda xp, d, n: transforms.RepeatValue(xp, d, _int(n))))
# Elements are made on demand in the calling thread: a prefetch buffer changes nothing.
dataset_op("PrefetchDataset", _simple(lambda xp, d, n: d))
dataset_op("CacheDataset", _simple(lambda xp, d, filename: transforms.CacheValue(xp, d)))
dataset_op("BatchDatasetV2", _simple(
    lambda xp, d, n, drop: batching.BatchValue(xp, d, _int(n), bool(host_scalar(drop)))))


def _shuffle_bind(op, ctx):
    a = op.attrs
    return lambda d, n: shuffling.ShuffleValue(ctx.xp, d, _int(n), a["seeds"],
                                             a["reshuffle_each_iteration"])


dataset_op("ShuffleDataset", _shuffle_bind)


def _padded_batch_bind(op, ctx):
    n_comp = op.attrs["n_components"]

    def make(d, n, *rest):  # shapes and padding values are small: read on the host
        shapes = [tuple(None if s < 0 else s for s in to_host_small(v).reshape(-1).tolist())
                  for v in rest[:n_comp]]
        pads = [to_host_small(v).reshape(()).item() for v in rest[n_comp:2 * n_comp]]
        return batching.PaddedBatchValue(ctx.xp, d, _int(n), shapes, pads, bool(host_scalar(rest[-1])))
    return make


dataset_op("PaddedBatchDatasetV2", _padded_batch_bind)


def _generator_bind(op, ctx):
    specs, generator, xp = op.attrs["specs"], op.attrs["generator"], ctx.xp
    flat = structure.flatten(specs)

    def convert(value):
        try:
            leaves = _flatten_up_to(specs, value)
        except (ValueError, TypeError):
            raise errors.InvalidArgumentError(
                None, op, "TypeError: `generator` yielded an element that did not match the "
                "expected structure. The expected structure was %s, but the yielded element "
                "was %s." % (structure.types_of(specs), value)) from None
        out = []
        for v, s in zip(leaves, flat):
            try:
                a = _text_as_bytes(v) if s.dtype is dtypes.string else v
                a = hostnp.asarray(a, dtype=s.dtype.as_numpy_dtype)
            except (TypeError, ValueError):
                raise errors.InvalidArgumentError(
                    None, op, "TypeError: `generator` yielded an element that could not be "
                    "converted to the expected type. The expected type was %s, but the yielded "
                    "element was %s." % (s.dtype.name, v)) from None
            if not s.shape.is_compatible_with(a.shape):
                raise errors.InvalidArgumentError(
                    None, op, "TypeError: `generator` yielded an element of shape %s where an "
                    "element of shape %s was expected." % (tuple(a.shape), s.shape))
            out.append(a if s.dtype is dtypes.string else xp.asarray(a))
        return out

    def make(*args):
        host_args = [to_host_small(a) for a in args]
        host_args = [a[()] if a.ndim == 0 else a for a in host_args]
        return runtime.GeneratorValue(xp, lambda: (convert(e) for e in generator(*host_args)))
    return make


dataset_op("GeneratorDataset", _generator_bind)


def _function_bind(kind):
    def bind(op, ctx):
        traced = op.attrs["predicate" if kind == "filter" else "f"]
        call = traced.bind(ctx)
        a = op.attrs
        xp = ctx.xp

        def make(d, *captured):
            if kind == "map":
                return transforms.MapValue(xp, d, lambda e: call(e, captured))
            if kind == "filter":
                return transforms.FilterValue(xp, d, lambda e: bool(host_scalar(call(e, captured)[0])))
            cycle, block = a.get("cycle_length", 1), a.get("block_length", 1)
            return transforms.FlatMapValue(xp, d, lambda e: call(e, captured)[0], cycle, block)
        return make
    return bind


dataset_op("MapDataset", _function_bind("map"))
dataset_op("FilterDataset", _function_bind("filter"))
dataset_op("FlatMapDataset", _function_bind("flat_map"))
dataset_op("InterleaveDataset", _function_bind("interleave"))


def _make_dataset(op_type, inputs, specs, attrs=None, name=None):
    g = _graph.get_default_graph()
    op = g.create_op(op_type, [_graph.convert_to_tensor(t) for t in inputs], attrs or {},
                     name or op_type)
    return DatasetV1Adapter(op.outputs[0], specs)


def _int64(value, name):
    return _graph.convert_to_tensor(value, dtype=dtypes.int64, name=name) \
        if not isinstance(value, Tensor) else _cast_int64(value)


def _cast_int64(t):
    return t if t.dtype is dtypes.int64 else cast(t, dtypes.int64)


def _static_bool(value):
    if isinstance(value, Tensor):
        v = constant_value(value)
        return None if v is None else bool(v)
    return bool(value)


def _text_as_bytes(v):
    """Python/numpy text as an object array of bytes (TF's strings are bytes)."""
    if not isinstance(v, (str, list, hostnp.ndarray)):
        return v
    try:
        a = hostnp.asarray(v)
    except (TypeError, ValueError):
        return v
    if a.dtype.kind == "U" or (a.dtype.kind == "O" and a.size and isinstance(a.flat[0], str)):
        out = hostnp.empty(a.shape, dtype=object)
        out.flat[:] = [x.encode("utf-8") if isinstance(x, str) else x for x in a.flat]
        return out
    return v


def _to_tensor_nest(tensors, name):
    """Converts a nest of values (tuples/dicts; lists and arrays are values) to tensors."""
    count = [0]

    def convert(v):
        if isinstance(v, Tensor):
            return v
        count[0] += 1
        return _graph.convert_to_tensor(_text_as_bytes(v), name="component_%d" % (count[0] - 1))
    with _graph.name_scope(name):
        return structure.normalize(tensors, convert)


# -- the Dataset class -------------------------------------------------------------
class Dataset:
    """A sequence of elements, each a nest (tuples, dicts) of tensors (tf.data.Dataset).

    Datasets are built with the static constructors (`from_tensor_slices`, `range`,
    ...) and transformed with methods that return new datasets; an Iterator reads them
    in a session.

    Attributes:
      output_types, output_shapes, output_classes: the element structure, as nests of
        DTypes, TensorShapes and classes (tf.Tensor).
    """

    def __init__(self, variant_tensor, specs):
        self._variant_tensor = variant_tensor
        self._specs = specs

    # -- structure --------------------------------------------------------------
    @property
    def output_types(self):
        return structure.types_of(self._specs)

    @property
    def output_shapes(self):
        return structure.shapes_of(self._specs)

    @property
    def output_classes(self):
        return structure.classes_of(self._specs)

    def _flat_specs(self):
        return structure.flatten(self._specs)

    def __repr__(self):
        return "<%s shapes: %s, types: %s>" % (type(self).__name__, self.output_shapes, self.output_types)

    def __iter__(self):
        raise RuntimeError("dataset.__iter__() is only supported when eager execution is "
                           "enabled; use dataset.make_one_shot_iterator() in graph mode.")

    # -- sources ----------------------------------------------------------------
    @staticmethod
    def from_tensors(tensors):
        """A dataset of one element, `tensors` (a nest of tensors, arrays or values)."""
        t = _to_tensor_nest(tensors, "tensors")
        return _make_dataset("TensorDataset", structure.flatten(t), structure.specs_of(t))

    @staticmethod
    def from_tensor_slices(tensors):
        """A dataset of the slices of `tensors` along their first dimension.

        Args:
          tensors: a nest (tuples, dicts) of tensors, numpy arrays or nested lists; a
            placeholder here is fed when the iterator's initializer runs.

        Raises:
          ValueError: a component is a scalar, or the components' first dimensions differ.
        """
        t = _to_tensor_nest(tensors, "tensors")
        flat = structure.flatten(t)
        dim0 = TensorShape([None])
        for c in flat:
            if c.shape.ndims == 0:
                raise ValueError("Unbatching a tensor is only supported for rank >= 1")
            if c.shape.dims is not None:
                d = c.shape.dims[0]
                if dim0.dims[0] is not None and d is not None and d != dim0.dims[0]:
                    raise ValueError("Dimensions %d and %d are not compatible" % (dim0.dims[0], d))
                if d is not None:
                    dim0 = TensorShape([d])
        specs = structure.map_structure(
            lambda c: Spec(c.dtype, c.shape[1:] if c.shape.dims is not None else TensorShape(None)), t)
        return _make_dataset("TensorSliceDataset", flat, specs)

    @staticmethod
    def from_generator(generator, output_types, output_shapes=None, args=None):
        """A dataset of the elements a Python generator yields (tf.data.Dataset.from_generator).

        `generator(*args)` is called each time an iterator starts (the values of the
        tensors in `args`, if any); each yielded element is converted to
        `output_types` and checked against `output_shapes` in the `get_next` that
        takes it.

        Raises:
          TypeError: `generator` is not callable.
          InvalidArgumentError (at run time): an element of another structure, type or
            shape (TF's messages).
        """
        if not callable(generator):
            raise TypeError("`generator` must be callable.")
        specs = structure.specs_from(output_types, output_shapes)
        arg_tensors = [_graph.convert_to_tensor(a) for a in (args or ())]
        return _make_dataset("GeneratorDataset", arg_tensors, specs,
                             {"generator": generator, "specs": specs})

    @staticmethod
    def range(*args):
        """Dataset.range(stop), range(start, stop) or range(start, stop, step): int64 scalars.

        Raises:
          ValueError: not 1 to 3 arguments.
        """
        if len(args) == 1:
            start, stop, step = 0, args[0], 1
        elif len(args) == 2:
            (start, stop), step = args, 1
        elif len(args) == 3:
            start, stop, step = args
        else:
            raise ValueError("Invalid arguments to RangeDataset: %s" % (args,))
        with _graph.name_scope("range"):
            ins = [_int64(start, "start"), _int64(stop, "stop"), _int64(step, "step")]
        return _make_dataset("RangeDataset", ins, Spec(dtypes.int64, []))

    @staticmethod
    def zip(datasets):
        """The elements of `datasets` (a nest of Datasets) side by side, as that nest.

        Raises:
          TypeError: a leaf of `datasets` is not a Dataset.
        """
        flat = structure.flatten(datasets)
        for d in flat:
            if not isinstance(d, Dataset):
                raise TypeError("The argument to `Dataset.zip()` must be a (nested) structure "
                                "of `Dataset` objects.")
        specs = structure.pack(datasets, [d._specs for d in flat])
        return _make_dataset("ZipDataset", [d._variant_tensor for d in flat], specs)

    @staticmethod
    def list_files(file_pattern, shuffle=None, seed=None):
        """The file names matching `file_pattern` (a glob), as string scalars.

        Matched when the graph is built, shuffled unless `shuffle` is False.

        Raises:
          InvalidArgumentError: nothing matches (TF's message).
        """
        patterns = [file_pattern] if isinstance(file_pattern, (str, bytes)) else list(file_pattern)
        names = sorted(n for p in patterns for n in glob.glob(p if isinstance(p, str) else p.decode()))
        if not names:
            raise errors.InvalidArgumentError(None, None, "Expected 'file_pattern' to match at "
                                              "least one file, but no files matched.")
        ds = Dataset.from_tensor_slices(hostnp.array([n.encode() for n in names], dtype=object))
        if shuffle is None or shuffle:
            ds = ds.shuffle(len(names), seed=seed)
        return ds

    # -- transformations -----------------------------------------------------------
    def _unary(self, op_type, extra, specs=None, attrs=None):
        return _make_dataset(op_type, [self._variant_tensor] + list(extra),
                             self._specs if specs is None else specs, attrs)

    def apply(self, transformation_func):
        """Returns transformation_func(self), which must be a Dataset."""
        ds = transformation_func(self)
        if not isinstance(ds, Dataset):
            raise TypeError("`transformation_func` must return a Dataset. Got %r." % (ds,))
        return ds

    def concatenate(self, dataset):
        """This dataset's elements, then `dataset`'s.

        Raises:
          TypeError: the element types differ; ValueError: the structures differ.
        """
        structure.assert_same_structure(self._specs, dataset._specs)
        a, b = self._flat_specs(), dataset._flat_specs()
        if any(x.dtype != y.dtype for x, y in zip(a, b)):
            raise TypeError("Two datasets to concatenate have different types %s and %s"
                            % (self.output_types, dataset.output_types))
        specs = structure.pack(self._specs, [Spec(x.dtype, x.shape.most_specific_compatible_shape(y.shape))
                                             for x, y in zip(a, b)])
        return _make_dataset("ConcatenateDataset", [self._variant_tensor, dataset._variant_tensor], specs)

    def take(self, count):
        """At most `count` elements (-1: all)."""
        return self._unary("TakeDataset", [_int64(count, "count")])

    def skip(self, count):
        """All but the first `count` elements (-1: none)."""
        return self._unary("SkipDataset", [_int64(count, "count")])

    def repeat(self, count=None):
        """The elements `count` times over (None or -1: forever); each pass re-iterates the input."""
        return self._unary("RepeatDataset", [_int64(-1 if count is None else count, "count")])

    def prefetch(self, buffer_size):
        """Accepted for TF compatibility: elements are produced on demand in `sess.run`."""
        return self._unary("PrefetchDataset", [_int64(buffer_size, "buffer_size")])

    def cache(self, filename=""):
        """Keeps the elements of the first complete pass in memory; later passes replay them.

        Raises:
          NotImplementedError: `filename` is not empty (a file cache is not supported).
        """
        if filename not in ("", b"") and not isinstance(filename, Tensor):
            raise NotImplementedError("tinygraph's Dataset.cache keeps elements in memory only; "
                                      "got filename=%r" % (filename,))
        return self._unary("CacheDataset", [_graph.convert_to_tensor("", dtype=dtypes.string)])

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=None):
        """Randomly shuffles the elements through a buffer of `buffer_size` elements.

        Args:
          buffer_size: the buffer's size; the dataset's length or more shuffles fully.
          seed: the op seed, combined with the graph seed as `tf.set_random_seed` says.
          reshuffle_each_iteration: if True (default), each pass (each `repeat` epoch)
            draws a new order; same seeds give the same sequence of orders.
        """
        seeds = get_seed(seed)
        attrs = {"seeds": None if seeds[0] is None else (int(seeds[0]), int(seeds[1])),
                 "reshuffle_each_iteration": True if reshuffle_each_iteration is None
                 else bool(reshuffle_each_iteration)}
        return self._unary("ShuffleDataset", [_int64(buffer_size, "buffer_size")], attrs=attrs)

    def batch(self, batch_size, drop_remainder=False):
        """Stacks `batch_size` consecutive elements into one.

        The static first dimension is None, or `batch_size` when `drop_remainder` is True
        (the last, smaller batch is then dropped).
        """
        n = _int64(batch_size, "batch_size")
        drop = _graph.convert_to_tensor(drop_remainder, dtype=dtypes.bool_, name="drop_remainder") \
            if not isinstance(drop_remainder, Tensor) else drop_remainder
        static_drop = _static_bool(drop_remainder)
        size = constant_value(n)
        dim = int(size) if static_drop and size is not None else None
        specs = structure.map_structure(
            lambda s: Spec(s.dtype, TensorShape([dim]).concatenate(s.shape)), self._specs)
        return self._unary("BatchDatasetV2", [n, drop], specs)

    def padded_batch(self, batch_size, padded_shapes=None, padding_values=None, drop_remainder=False):
        """Batches elements, padding each component to `padded_shapes`.

        Args:
          batch_size: elements per batch.
          padded_shapes: a nest like the element of shapes (None or -1 dims: pad to the
            batch's largest); default: every dim padded to the largest.
          padding_values: a nest of scalars (default 0, or b"" for strings).
          drop_remainder: drop the last, smaller batch.

        Raises:
          ValueError: a padded shape's rank differs from the component's, or is smaller.
        """
        flat = self._flat_specs()
        if padded_shapes is None:
            shapes = [TensorShape([None] * s.shape.ndims) for s in flat]
        else:
            shapes = [_padded_shape(p) for p in _flatten_up_to(self._specs, padded_shapes)]
        if padding_values is None:
            pads = [b"" if s.dtype is dtypes.string else 0 for s in flat]
        else:
            pads = _flatten_up_to(self._specs, padding_values)
        for s, p in zip(flat, shapes):
            if s.shape.ndims is not None and p.ndims != s.shape.ndims:
                raise ValueError("The padded shape %s is not compatible with the corresponding "
                                 "input component shape %s." % (p, s.shape))
            if s.shape.dims is not None and any(a is not None and b is not None and b < a
                                                for a, b in zip(s.shape.dims, p.dims)):
                raise ValueError("The padded shape %s is not compatible with the corresponding "
                                 "input component shape %s." % (p, s.shape))
        n = _int64(batch_size, "batch_size")
        static_drop = _static_bool(drop_remainder)
        size = constant_value(n)
        dim = int(size) if static_drop and size is not None else None
        inputs = [n]
        inputs += [_graph.convert_to_tensor([-1 if d is None else d for d in p.dims], dtype=dtypes.int64,
                                            name="padded_shapes") for p in shapes]
        inputs += [_graph.convert_to_tensor(v, dtype=s.dtype, name="padding_values")
                   for v, s in zip(pads, flat)]
        inputs.append(drop_remainder if isinstance(drop_remainder, Tensor) else
                      _graph.convert_to_tensor(bool(drop_remainder), dtype=dtypes.bool_, name="drop_remainder"))
        specs = structure.pack(self._specs, [Spec(s.dtype, TensorShape([dim]).concatenate(p))
                                             for s, p in zip(flat, shapes)])
        return self._unary("PaddedBatchDatasetV2", inputs, specs, attrs={"n_components": len(flat)})

    def map(self, map_func, num_parallel_calls=None):
        """Applies `map_func` to each element.

        The function is traced once into a sub-graph, called with the element's
        components (a tuple is unpacked into arguments; a dict is one argument) and
        may return a nest of tensors (a list counts as a tuple). `num_parallel_calls`
        is accepted; elements are mapped one after the other.
        """
        traced = TracedFunction(map_func, self._specs, "map")
        result = traced.convert_result()
        captures = traced.finish(structure.flatten(result))
        specs = structure.specs_of(result)
        return self._unary("MapDataset", captures, specs, attrs={"f": traced, "use_inter_op_parallelism": True})

    def filter(self, predicate):
        """The elements for which `predicate` (traced like a map function) is true.

        Raises:
          ValueError: `predicate` does not return a scalar tf.bool tensor.
        """
        traced = TracedFunction(predicate, self._specs, "filter")
        result = traced.convert_result()
        if structure.is_nested(result) or result.dtype is not dtypes.bool_ or result.shape.ndims not in (0, None):
            what = result if structure.is_nested(result) else \
                "TensorSpec(shape=%s, dtype=tf.%s, name=None)" % (result.shape, result.dtype.name)
            raise ValueError("Invalid `predicate`. `predicate` must return a `tf.bool` scalar "
                             "tensor, but its return type is %s." % (what,))
        captures = traced.finish([result])
        return self._unary("FilterDataset", captures, attrs={"predicate": traced})

    def _traced_dataset_fn(self, map_func, kind):
        traced = TracedFunction(map_func, self._specs, kind)
        ds = traced.result
        if not isinstance(ds, Dataset):
            raise TypeError("`map_func` must return a `Dataset` object. Got %s" % type(ds))
        captures = traced.finish([ds._variant_tensor])
        return traced, captures, ds._specs

    def flat_map(self, map_func):
        """Maps each element to a Dataset (`map_func`) and chains those datasets' elements."""
        traced, captures, specs = self._traced_dataset_fn(map_func, "flat_map")
        return self._unary("FlatMapDataset", captures, specs, attrs={"f": traced})

    def interleave(self, map_func, cycle_length=AUTOTUNE, block_length=1, num_parallel_calls=None):
        """Like flat_map, taking `block_length` elements in turn from `cycle_length` open datasets.

        TF picks a machine-dependent cycle length for AUTOTUNE (the default) and None;
        here it is 1 (elements are made one after another in any case).
        """
        traced, captures, specs = self._traced_dataset_fn(map_func, "interleave")
        cycle = 1 if cycle_length in (None, AUTOTUNE) else int(cycle_length)
        return self._unary("InterleaveDataset", captures, specs,
                           attrs={"f": traced, "cycle_length": cycle, "block_length": int(block_length)})

    # -- iterators ------------------------------------------------------------------
    def make_one_shot_iterator(self):
        """An Iterator that starts at first use and cannot be re-initialized.

        Raises:
          ValueError: the dataset depends on a placeholder (use an initializable iterator).
        """
        return iterator_ops.make_one_shot_iterator(self)

    def make_initializable_iterator(self, shared_name=None):
        """An Iterator whose `initializer` (re)starts it; run it with any feeds it needs."""
        return iterator_ops.make_initializable_iterator(self, shared_name)


class DatasetV1Adapter(Dataset):
    """The Dataset made by a transformation (TF 1.x's name for the wrapper class)."""


def _padded_shape(p):
    if isinstance(p, Tensor):
        v = constant_value(p)
        if v is None:
            raise ValueError("padded_shapes must be known when the graph is built")
        p = [int(x) for x in hostnp.asarray(v).reshape(-1)]
    dims = as_shape(p).dims
    if dims is None:
        raise ValueError("padded_shapes must have a known rank")
    return TensorShape([None if d is None or d < 0 else d for d in dims])


def _flatten_up_to(specs, values):
    """The entries of `values` at the leaves of the Spec nest `specs`."""
    if not structure.is_nested(specs):
        return [values]
    try:
        structure.assert_same_structure(structure.map_structure(lambda s: 0, specs),
                                        _shallow(specs, values))
    except (ValueError, TypeError, KeyError):
        raise ValueError("The two structures don't have the same nested structure.\n\n"
                         "First structure: %s\n\nSecond structure: %s" % (specs, values)) from None
    out = []
    for s, v in zip(structure._children(specs), structure._children(values)):
        out.extend(_flatten_up_to(s, v))
    return out


def _shallow(specs, values):
    if not structure.is_nested(specs):
        return 0
    return structure._rebuild(specs, [_shallow(s, v) for s, v in
                                      zip(structure._children(specs), structure._children(values))]) \
        if len(structure._children(specs)) == len(structure._children(values)) else values
