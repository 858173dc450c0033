"""IndexedSlices: a sparse gradient (rows `indices` of a dense tensor hold `values`).

`gather`/`embedding_lookup` gradients are IndexedSlices, as in TF. Repeated indices
mean the rows add up; `tf.convert_to_tensor` densifies with a scatter-add (the
conversion is registered by ops/indexing_ops.py, next to unsorted_segment_sum).
"""
from .tensor_util import partial_shape_from_tensor


class IndexedSlices:
    """Rows of a tensor of shape `dense_shape`: dense[indices[i]] += values[i].

    Attributes:
      values: Tensor [n, ...] of the row values.
      indices: int Tensor [n] of row numbers (may repeat).
      dense_shape: int Tensor, the shape of the dense tensor (or None).
    """

    def __init__(self, values, indices, dense_shape=None):
        self.values = values
        self.indices = indices
        self.dense_shape = dense_shape

    @property
    def dtype(self):
        return self.values.dtype

    @property
    def graph(self):
        return self.values.graph

    @property
    def name(self):
        return self.values.name

    @property
    def op(self):
        return self.values.op

    @property
    def shape(self):
        if self.dense_shape is None:
            return self.values.shape
        return partial_shape_from_tensor(self.dense_shape)

    def get_shape(self):
        return self.shape

    def _fetch_components(self):
        parts = [self.values, self.indices]
        if self.dense_shape is not None:
            parts.append(self.dense_shape)
        return parts

    def _fetch_rebuild(self, vals):
        return IndexedSlicesValue(*vals) if len(vals) == 3 else IndexedSlicesValue(vals[0], vals[1], None)

    def __repr__(self):
        return "IndexedSlices(indices=%s, values=%s, dense_shape=%s)" % (
            self.indices, self.values, self.dense_shape)


class IndexedSlicesValue:
    """The fetched value of an IndexedSlices (numpy arrays)."""

    def __init__(self, values, indices, dense_shape):
        self.values = values
        self.indices = indices
        self.dense_shape = dense_shape

    def __iter__(self):
        return iter((self.values, self.indices, self.dense_shape))

    def __repr__(self):
        return "IndexedSlicesValue(values=%r, indices=%r, dense_shape=%r)" % (
            self.values, self.indices, self.dense_shape)
