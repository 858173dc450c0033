"""Summary ops: ScalarSummary, HistogramSummary, MergeSummary.

Each op's output is a scalar string tensor holding a serialized `Summary` protocol
buffer (TensorBoard's own proto, from the `tensorboard` package), as in
TF 1.x: `sess.run(merged)` gives bytes that `FileWriter.add_summary` writes.
Summaries are host ops (TF runs them on the CPU too): their kernels read their
input to host memory and build the proto there.
"""
import re

from ..backend import hostnp as np
from ..framework import dtypes, errors
from ..framework import graph as _graph
from ..framework.graph import GraphKeys
from ..framework.registry import NotDifferentiable, register_op
from ..framework.tensor_shape import TensorShape

__all__ = ["scalar", "histogram", "merge", "merge_all"]

_INSTALL_HINT = ("tf.summary needs the `tensorboard` package, a dependency of tinygraph that "
                 "is missing from this environment: pip install tensorboard")


def summary_pb2():
    """TensorBoard's summary proto module.

    Raises:
      ImportError: the `tensorboard` package is missing (with how to install it).
    """
    try:  # tensorboard is imported when a summary is first built or written
        from tensorboard.compat.proto import summary_pb2 as pb
    except ImportError as e:
        raise ImportError(_INSTALL_HINT) from e
    return pb


def _string_output(attrs, *inputs):
    return [(dtypes.string, TensorShape([]))]


def _as_string_tensor(serialized):
    return np.array(serialized, dtype=object)  # a 0-d host string tensor, as TF returns bytes


# TF's default histogram buckets: +-1e-12 * 1.1**k up to 1e20, and 0 in the middle.
def _default_bucket_limits():
    pos = []
    v = 1e-12
    while v < 1e20:
        pos.append(v)
        v *= 1.1
    return [-x for x in reversed(pos)] + [0.0] + pos + [np.finfo(np.float64).max]


_BUCKET_LIMITS = np.array(_default_bucket_limits())


def histogram_proto(values):
    """A HistogramProto of `values` (a numpy array) with TF's default buckets.

    Runs of empty buckets are merged into one, as TF does, so the proto stays small.
    """
    pb = summary_pb2()
    v = np.asarray(values, dtype=np.float64).reshape(-1)
    h = pb.HistogramProto()
    if v.size == 0:
        return h
    h.min, h.max, h.num = float(v.min()), float(v.max()), float(v.size)
    h.sum, h.sum_squares = float(v.sum()), float(np.dot(v, v))
    # bucket i holds limits[i-1] <= x < limits[i]
    counts = np.bincount(np.searchsorted(_BUCKET_LIMITS, v, side="right"), minlength=len(_BUCKET_LIMITS))
    limits, buckets = [], []
    for limit, count in zip(_BUCKET_LIMITS, counts[:len(_BUCKET_LIMITS)]):
        if count == 0 and buckets and buckets[-1] == 0:
            limits[-1] = float(limit)  # widen the previous empty bucket
            continue
        limits.append(float(limit))
        buckets.append(float(count))
    while buckets and buckets[-1] == 0:  # trailing empties tell nothing
        limits.pop()
        buckets.pop()
    h.bucket_limit.extend(limits)
    h.bucket.extend(buckets)
    return h


def _scalar_bind(op, ctx):
    pb, tag, to_host = summary_pb2(), op.attrs["tag"], ctx.backend.to_host

    def run(value):
        v = np.asarray(to_host(value))
        if v.shape != ():
            raise errors.InvalidArgumentError(
                None, op, "tags and values not the same shape: [] != %s (tag '%s')"
                % (TensorShape(v.shape).as_bracket_str(), tag))
        s = pb.Summary()
        s.value.add(tag=tag, simple_value=float(v))
        return _as_string_tensor(s.SerializeToString())
    return run


def _histogram_bind(op, ctx):
    pb, tag, to_host = summary_pb2(), op.attrs["tag"], ctx.backend.to_host

    def run(values):
        v = np.asarray(to_host(values))
        if v.size and not np.all(np.isfinite(v)):
            raise errors.InvalidArgumentError(None, op, "Nan in summary histogram for: %s" % tag)
        s = pb.Summary()
        s.value.add(tag=tag, histo=histogram_proto(v))
        return _as_string_tensor(s.SerializeToString())
    return run


def _merge_bind(op, ctx):
    pb = summary_pb2()

    def run(*serialized):
        out, seen = pb.Summary(), set()
        for item in serialized:
            part = pb.Summary()
            part.ParseFromString(item[()] if isinstance(item, np.ndarray) else item)
            for value in part.value:
                if value.tag in seen:
                    raise errors.InvalidArgumentError(
                        None, op, "Duplicate tag %s found in summary inputs" % value.tag)
                seen.add(value.tag)
                out.value.add().CopyFrom(value)
        return _as_string_tensor(out.SerializeToString())
    return run


for _type, _bind in (("ScalarSummary", _scalar_bind), ("HistogramSummary", _histogram_bind),
                     ("MergeSummary", _merge_bind)):
    register_op(_type, infer=_string_output, bind=_bind, stateful=True)(None)
    NotDifferentiable(_type)


def _clean_tag(name):
    return re.sub(r"[^-/\w\.]", "_", name).lstrip("/") if name else name


def _summary_op(op_type, name, tensor, collections, family):
    summary_pb2()  # fail at graph build, with the hint, if tensorboard is missing
    graph = _graph.get_default_graph()
    tensor = _graph.convert_to_tensor(tensor)
    name = _clean_tag(name)
    family = _clean_tag(family)
    base = name if not family else "%s/%s" % (family, name)
    with graph.name_scope(base) as scope:
        tag = scope.rstrip("/") if not family else "%s/%s" % (family, scope.rstrip("/"))
        out = graph.create_op(op_type, [tensor], {"tag": tag}, name=scope).outputs[0]
    graph.root.add_to_collections(collections if collections is not None else [GraphKeys.SUMMARIES], out)
    return out


def scalar(name, tensor, collections=None, family=None):
    """A summary of one scalar value: a point of a curve in TensorBoard's scalars tab.

    Args:
      name: the summary's name; its tag is the op's full name (with the name scope).
      tensor: a real numeric scalar Tensor.
      collections: graph collections to add the op to (default [GraphKeys.SUMMARIES]).
      family: optional prefix of the tag, grouping curves in one TensorBoard section.

    Returns:
      A scalar string Tensor: a serialized Summary protocol buffer.
    """
    return _summary_op("ScalarSummary", name, tensor, collections, family)


def histogram(name, values, collections=None, family=None):
    """A histogram summary of `values` (TensorBoard's histograms and distributions tabs).

    Args:
      name: the summary's name; its tag is the op's full name.
      values: a real numeric Tensor of any shape.
      collections: graph collections (default [GraphKeys.SUMMARIES]).
      family: optional tag prefix.

    Returns:
      A scalar string Tensor: a serialized Summary protocol buffer. Running it raises
      InvalidArgumentError if `values` holds a NaN or infinity.
    """
    return _summary_op("HistogramSummary", name, values, collections, family)


def merge(inputs, collections=None, name=None):
    """Merges summaries into one serialized Summary (tf.summary.merge).

    Args:
      inputs: a list of string Tensors holding serialized Summaries.
      collections: graph collections to add the merged summary to (default none).
      name: the name scope (default "Merge").

    Returns:
      A scalar string Tensor. Running it raises InvalidArgumentError on a duplicate tag.
    """
    summary_pb2()
    graph = _graph.get_default_graph()
    inputs = [_graph.convert_to_tensor(t) for t in inputs]
    with graph.name_scope(name or "Merge"):
        out = graph.create_op("MergeSummary", inputs, {}, name="MergeSummary").outputs[0]
    if collections:
        graph.root.add_to_collections(collections, out)
    return out


def merge_all(key=GraphKeys.SUMMARIES, scope=None, name=None):
    """Merges all summaries of collection `key` (tf.summary.merge_all).

    Args:
      key: the collection (default GraphKeys.SUMMARIES).
      scope: optional regex filtering the summaries by name.
      name: the name scope of the merge op.

    Returns:
      A scalar string Tensor, or None if the collection is empty.
    """
    summaries = _graph.get_collection(key, scope)
    if not summaries:
        return None
    return merge(summaries, name=name)
