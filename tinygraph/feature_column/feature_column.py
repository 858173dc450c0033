"""Feature columns (TF 1.x tf.feature_column): how raw features become model inputs.

Dense columns (numeric, bucketized, indicator, embedding) give a float32 [batch, n]
tensor; `input_layer` concatenates them (sorted by column name). Categorical columns
(identity, vocabulary list, bucketized) give int64 ids [batch, k], -1 meaning "no id";
`linear_model` looks up one weight row per id. tinygraph has no SparseTensor, so
categorical features are dense tensors of ids (or strings) of shape [batch] or [batch, k].

Variable names are TF's: input_layer/<col>_embedding/embedding_weights,
linear_model/<col>/weights, linear_model/bias_weights.
"""
import collections
import math

from ..framework import dtypes
from ..framework import graph as _graph
from ..framework.graph import GraphKeys
from ..ops import array_ops, init_ops, math_ops
from ..ops.variable_scope import get_variable, variable_scope

__all__ = ["numeric_column", "bucketized_column", "categorical_column_with_identity",
           "categorical_column_with_vocabulary_list", "indicator_column", "embedding_column",
           "input_layer", "linear_model"]


def _raw(features, key):
    if key not in features:
        raise ValueError("Feature {} is not in features dictionary.".format(key))
    return _graph.convert_to_tensor(features[key])


def _as_2d(t, what):
    """[batch] -> [batch, 1]; higher ranks flattened to [batch, n]."""
    ndims = t.shape.ndims
    if ndims == 0:
        raise ValueError("Feature (key: {}) cannot have rank 0. Given: {}".format(what, t))
    if ndims == 1:
        return array_ops.expand_dims(t, -1)
    if ndims is not None and ndims > 2:
        n = t.shape[1:].num_elements()
        return array_ops.reshape(t, [-1, n if n is not None else -1])
    return t


class _FeatureColumn:
    """Base: every column has a name; dense and categorical ones add their outputs."""
    _is_dense = False
    _is_categorical = False

    @property
    def _var_scope_name(self):
        return self.name


class _NumericColumn(_FeatureColumn, collections.namedtuple(
        "NumericColumn", ["key", "shape", "default_value", "dtype", "normalizer_fn"])):
    _is_dense = True

    @property
    def name(self):
        return self.key

    @property
    def _variable_shape(self):
        return self.shape

    def _dense(self, features):
        t = _raw(features, self.key)
        if not (t.dtype.is_floating or t.dtype.is_integer):
            raise ValueError("The corresponding Tensor of numerical column must be a number. "
                             "key: {}, dtype: {}".format(self.key, t.dtype.name))
        if self.normalizer_fn is not None:
            t = self.normalizer_fn(t)
        t = math_ops.cast(t, dtypes.float32)
        n = 1
        for d in self.shape:
            n *= d
        if t.shape.ndims == 1 and n != 1:
            raise ValueError("Feature (key: {}) has shape {} but numeric_column's shape is {}."
                             .format(self.key, t.shape, self.shape))
        t = _as_2d(t, self.key)
        if t.shape[1].value is not None and t.shape[1].value != n:
            raise ValueError("Feature (key: {}) has shape {} but numeric_column's shape is {}."
                             .format(self.key, t.shape, self.shape))
        return t

    def _dense_size(self):
        n = 1
        for d in self.shape:
            n *= d
        return n


def numeric_column(key, shape=(1,), default_value=None, dtype=dtypes.float32, normalizer_fn=None):
    """A column of real values (tf.feature_column.numeric_column).

    Args:
      key: the feature's key in the features dict.
      shape: the shape of one example's value (default (1,)).
      default_value: accepted (dense inputs have no missing values).
      dtype: a float or integer dtype; the output is float32.
      normalizer_fn: applied to the raw tensor first.

    Returns:
      A NumericColumn.

    Raises:
      ValueError: key is not a string, shape has non-positive entries, or dtype is not numeric.
      TypeError: normalizer_fn is not callable.
    """
    if not isinstance(key, str):
        raise ValueError("key must be a string.")
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    for d in shape:
        if not isinstance(d, int) or d < 1:
            raise ValueError("shape dimensions must be greater than 0. shape: {}, key: {}".format(shape, key))
    dtype = dtypes.as_dtype(dtype)
    if not (dtype.is_floating or dtype.is_integer):
        raise ValueError("dtype must be convertible to float. dtype: {}, key: {}".format(dtype, key))
    if normalizer_fn is not None and not callable(normalizer_fn):
        raise TypeError("normalizer_fn must be a callable. Given: {}".format(normalizer_fn))
    return _NumericColumn(key, shape, default_value, dtype, normalizer_fn)


class _BucketizedColumn(_FeatureColumn, collections.namedtuple(
        "BucketizedColumn", ["source_column", "boundaries"])):
    _is_dense = True
    _is_categorical = True

    @property
    def name(self):
        return self.source_column.name + "_bucketized"

    @property
    def _num_buckets(self):
        return self.source_column._dense_size() * (len(self.boundaries) + 1)

    def _ids(self, features):
        x = self.source_column._dense(features)  # [batch, d]
        b = _graph.convert_to_tensor(list(self.boundaries), dtype=dtypes.float32)
        # bucket = how many boundaries are <= x (TF's Bucketize)
        bucket = math_ops.reduce_sum(math_ops.cast(
            math_ops.greater_equal(array_ops.expand_dims(x, -1), b), dtypes.int64), -1)
        d = self.source_column._dense_size()
        offsets = _graph.convert_to_tensor([i * (len(self.boundaries) + 1) for i in range(d)],
                                           dtype=dtypes.int64)
        return bucket + offsets

    def _dense(self, features):
        return _indicator(self._ids(features), self._num_buckets)

    def _dense_size(self):
        return self._num_buckets


def bucketized_column(source_column, boundaries):
    """Buckets a numeric column by `boundaries` (tf.feature_column.bucketized_column).

    Bucket i holds boundaries[i-1] <= x < boundaries[i]; as a dense input it is one-hot.

    Raises:
      ValueError: source_column is not a numeric_column, or boundaries are not sorted.
    """
    if not isinstance(source_column, _NumericColumn):
        raise ValueError("source_column must be a column generated with numeric_column(). "
                         "Given: {}".format(source_column))
    if len(source_column.shape) > 1:
        raise ValueError("source_column must be one-dimensional column. Given: {}".format(source_column))
    if not boundaries or not isinstance(boundaries, (list, tuple)):
        raise ValueError("boundaries must be a sorted list.")
    for i in range(len(boundaries) - 1):
        if boundaries[i] >= boundaries[i + 1]:
            raise ValueError("boundaries must be a sorted list.")
    return _BucketizedColumn(source_column, tuple(float(b) for b in boundaries))


class _IdentityCategoricalColumn(_FeatureColumn, collections.namedtuple(
        "IdentityCategoricalColumn", ["key", "number_buckets", "default_value"])):
    _is_categorical = True

    @property
    def name(self):
        return self.key

    @property
    def _num_buckets(self):
        return self.number_buckets

    def _ids(self, features):
        t = _raw(features, self.key)
        if not t.dtype.is_integer:
            raise ValueError("Invalid input, not integer. key: {} dtype: {}".format(self.key, t.dtype))
        ids = math_ops.cast(_as_2d(t, self.key), dtypes.int64)
        in_range = math_ops.logical_and(math_ops.greater_equal(ids, 0),
                                        math_ops.less(ids, self.number_buckets))
        fill = -1 if self.default_value is None else self.default_value
        return array_ops.where(in_range, ids, array_ops.ones_like(ids) * fill)


def categorical_column_with_identity(key, num_buckets, default_value=None):
    """Integer ids used as they are (tf.feature_column.categorical_column_with_identity).

    Ids outside [0, num_buckets) become `default_value`, or count as no id if it is None
    (TF drops negative ids and fails on too large ones; here both are dropped).

    Raises:
      ValueError: num_buckets < 1 or default_value out of range.
    """
    if not isinstance(key, str):
        raise ValueError("key must be a string.")
    if num_buckets < 1:
        raise ValueError("num_buckets {} < 1, column_name {}".format(num_buckets, key))
    if default_value is not None and not 0 <= default_value < num_buckets:
        raise ValueError("default_value {} not in range [0, {}), column_name {}"
                         .format(default_value, num_buckets, key))
    return _IdentityCategoricalColumn(key, num_buckets, default_value)


class _VocabularyListCategoricalColumn(_FeatureColumn, collections.namedtuple(
        "VocabularyListCategoricalColumn", ["key", "vocabulary_list", "dtype", "default_value"])):
    _is_categorical = True

    @property
    def name(self):
        return self.key

    @property
    def _num_buckets(self):
        return len(self.vocabulary_list)

    def _ids(self, features):
        t = _raw(features, self.key)
        if (t.dtype == dtypes.string) != (self.dtype == dtypes.string):
            raise ValueError("Column dtype and SparseTensors dtype must be compatible. key: {}, "
                             "column dtype: {}, tensor dtype: {}".format(self.key, self.dtype, t.dtype))
        t = _as_2d(t, self.key)
        vocab = _graph.convert_to_tensor(list(self.vocabulary_list), dtype=t.dtype)
        match = math_ops.equal(array_ops.expand_dims(t, -1), vocab)  # [batch, k, V]
        found = math_ops.reduce_any(match, -1)
        index = math_ops.argmax(math_ops.cast(match, dtypes.int32), -1, output_type=dtypes.int64)
        return array_ops.where(found, index, array_ops.ones_like(index) * self.default_value)


def categorical_column_with_vocabulary_list(key, vocabulary_list, dtype=None, default_value=-1,
                                            num_oov_buckets=0):
    """Maps strings or integers to their index in `vocabulary_list`.

    Values not in the list get `default_value` (-1: no id).

    Raises:
      ValueError: an empty or duplicated vocabulary, or num_oov_buckets > 0 (not supported:
        tinygraph has no string hashing).
    """
    if not vocabulary_list:
        raise ValueError("vocabulary_list {} must be non-empty, column_name: {}".format(vocabulary_list, key))
    if len(set(vocabulary_list)) != len(vocabulary_list):
        raise ValueError("Duplicate keys in vocabulary_list {}, column_name: {}".format(vocabulary_list, key))
    if num_oov_buckets:
        raise ValueError("num_oov_buckets > 0 is not supported by tinygraph (no string hashing).")
    vocab_dtype = dtypes.string if isinstance(vocabulary_list[0], str) else dtypes.int64
    dtype = vocab_dtype if dtype is None else dtypes.as_dtype(dtype)
    if (dtype == dtypes.string) != (vocab_dtype == dtypes.string):
        raise ValueError("dtype {} and vocabulary dtype {} do not match, column_name: {}"
                         .format(dtype, vocab_dtype, key))
    return _VocabularyListCategoricalColumn(key, tuple(vocabulary_list), dtype, default_value)


def _indicator(ids, num_buckets):
    """[batch, k] ids (-1: none) -> [batch, num_buckets] counts."""
    valid = math_ops.cast(math_ops.greater_equal(ids, 0), dtypes.float32)
    safe = array_ops.where(math_ops.greater_equal(ids, 0), ids, array_ops.zeros_like(ids))
    hot = array_ops.one_hot(safe, num_buckets, dtype=dtypes.float32)
    return math_ops.reduce_sum(hot * array_ops.expand_dims(valid, -1), 1)


def _combine(weights, ids, combiner):
    """Looks up a row of `weights` per id and combines over the k ids of an example."""
    valid_b = math_ops.greater_equal(ids, 0)
    valid = math_ops.cast(valid_b, dtypes.float32)
    safe = array_ops.where(valid_b, ids, array_ops.zeros_like(ids))
    rows = array_ops.gather(weights, safe) * array_ops.expand_dims(valid, -1)  # [batch, k, d]
    total = math_ops.reduce_sum(rows, 1)
    if combiner == "sum":
        return total
    count = math_ops.reduce_sum(valid, 1, keepdims=True)
    if combiner == "mean":
        return total / math_ops.maximum(count, 1.0)
    return total / math_ops.maximum(math_ops.sqrt(count), 1.0)  # sqrtn


class _IndicatorColumn(_FeatureColumn, collections.namedtuple("IndicatorColumn", ["categorical_column"])):
    _is_dense = True

    @property
    def name(self):
        return self.categorical_column.name + "_indicator"

    def _dense(self, features):
        return _indicator(self.categorical_column._ids(features), self.categorical_column._num_buckets)

    def _dense_size(self):
        return self.categorical_column._num_buckets


def indicator_column(categorical_column):
    """A multi-hot dense representation of a categorical column (tf.feature_column.indicator_column)."""
    if not getattr(categorical_column, "_is_categorical", False):
        raise ValueError("categorical_column must be a categorical column. Given: {}".format(categorical_column))
    return _IndicatorColumn(categorical_column)


class _EmbeddingColumn(_FeatureColumn, collections.namedtuple(
        "EmbeddingColumn", ["categorical_column", "dimension", "combiner", "initializer",
                            "ckpt_to_load_from", "tensor_name_in_ckpt", "max_norm", "trainable"])):
    _is_dense = True

    @property
    def name(self):
        return self.categorical_column.name + "_embedding"

    def _dense(self, features, trainable=True):
        weights = get_variable("embedding_weights",
                               [self.categorical_column._num_buckets, self.dimension],
                               dtype=dtypes.float32, initializer=self.initializer,
                               trainable=self.trainable and trainable)
        return _combine(weights, self.categorical_column._ids(features), self.combiner)

    def _dense_size(self):
        return self.dimension


def embedding_column(categorical_column, dimension, combiner="mean", initializer=None,
                     ckpt_to_load_from=None, tensor_name_in_ckpt=None, max_norm=None, trainable=True):
    """A dense, learned embedding of a categorical column (tf.feature_column.embedding_column).

    The variable is "<scope>/<categorical name>_embedding/embedding_weights" of shape
    [num_buckets, dimension], initialised by default from a truncated normal with
    stddev 1/sqrt(dimension); an example's ids are combined by "mean", "sum" or "sqrtn".

    Raises:
      ValueError: dimension < 1, an unknown combiner, a non-callable initializer, or
        ckpt_to_load_from/max_norm (not supported).
    """
    if dimension is None or dimension < 1:
        raise ValueError("Invalid dimension {}.".format(dimension))
    if combiner not in ("mean", "sqrtn", "sum"):
        raise ValueError("combiner must be one of 'mean', 'sqrtn' or 'sum'. Given: {}".format(combiner))
    if initializer is not None and not callable(initializer):
        raise ValueError("initializer must be callable if specified. Embedding of column_name: {}"
                         .format(categorical_column.name))
    if ckpt_to_load_from is not None or max_norm is not None:
        raise ValueError("ckpt_to_load_from and max_norm are not supported by tinygraph.")
    if initializer is None:
        initializer = init_ops.truncated_normal_initializer(mean=0.0, stddev=1 / math.sqrt(dimension))
    return _EmbeddingColumn(categorical_column, dimension, combiner, initializer, ckpt_to_load_from,
                            tensor_name_in_ckpt, max_norm, trainable)


def _check_columns(feature_columns):
    if isinstance(feature_columns, _FeatureColumn):
        feature_columns = [feature_columns]
    feature_columns = list(feature_columns)
    if not feature_columns:
        raise ValueError("feature_columns must not be empty.")
    names = [c.name for c in feature_columns]
    for n in names:
        if names.count(n) > 1:
            raise ValueError("Duplicate feature column name found for columns: {}".format(n))
    return sorted(feature_columns, key=lambda c: c.name)


def input_layer(features, feature_columns, weight_collections=None, trainable=True,
                cols_to_vars=None, cols_to_output_tensors=None):
    """The dense input of a model: the columns' outputs concatenated (tf.feature_column.input_layer).

    Args:
      features: a dict {key: Tensor}.
      feature_columns: dense columns (numeric, bucketized, indicator, embedding).
      trainable: whether embedding variables are trainable.
      cols_to_vars, cols_to_output_tensors: optional dicts filled with each column's
        variables and output.

    Returns:
      A float32 Tensor [batch, sum of the columns' sizes], columns sorted by name.

    Raises:
      ValueError: a column is not dense, columns are empty or duplicated, or a feature is missing.
    """
    columns = _check_columns(feature_columns)
    for c in columns:
        if not c._is_dense:
            raise ValueError("Items of feature_columns must be a _DenseColumn. You can wrap a "
                             "categorical column with an embedding_column or indicator_column. "
                             "Given: {}".format(c))
    with variable_scope(None, default_name="input_layer", values=list(features.values())):
        outputs = []
        for c in columns:
            with variable_scope(None, default_name=c._var_scope_name):
                before = set(_graph.get_collection(GraphKeys.GLOBAL_VARIABLES))
                out = c._dense(features, trainable) if isinstance(c, _EmbeddingColumn) else c._dense(features)
                out = array_ops.reshape(out, [-1, c._dense_size()])
                if cols_to_vars is not None:
                    cols_to_vars[c] = [v for v in _graph.get_collection(GraphKeys.GLOBAL_VARIABLES)
                                       if v not in before]
                if cols_to_output_tensors is not None:
                    cols_to_output_tensors[c] = out
                outputs.append(out)
        return array_ops.concat(outputs, 1)


def linear_model(features, feature_columns, units=1, sparse_combiner="sum",
                 weight_collections=None, trainable=True, cols_to_vars=None):
    """A linear prediction from the columns (tf.feature_column.linear_model).

    Each dense column gets weights [size, units], each categorical column weights
    [num_buckets, units] (one row per id, combined by sparse_combiner), all zeros at
    first, under "linear_model/<column name>/weights"; plus "linear_model/bias_weights".

    Returns:
      A float32 Tensor [batch, units].

    Raises:
      ValueError: columns are empty or duplicated, or a feature is missing.
    """
    columns = _check_columns(feature_columns)
    with variable_scope(None, default_name="linear_model", values=list(features.values())):
        sums = []
        for c in columns:
            with variable_scope(None, default_name=c._var_scope_name):
                if c._is_categorical:
                    w = get_variable("weights", [c._num_buckets, units], dtype=dtypes.float32,
                                     initializer=init_ops.zeros_initializer(), trainable=trainable)
                    sums.append(_combine(w, c._ids(features), sparse_combiner))
                else:
                    w = get_variable("weights", [c._dense_size(), units], dtype=dtypes.float32,
                                     initializer=init_ops.zeros_initializer(), trainable=trainable)
                    x = c._dense(features, trainable) if isinstance(c, _EmbeddingColumn) else c._dense(features)
                    sums.append(math_ops.matmul(array_ops.reshape(x, [-1, c._dense_size()]), w))
                if cols_to_vars is not None:
                    cols_to_vars[c] = [w]
        bias = get_variable("bias_weights", [units], dtype=dtypes.float32,
                            initializer=init_ops.zeros_initializer(), trainable=trainable)
        if cols_to_vars is not None:
            cols_to_vars["bias"] = [bias]
        total = sums[0] if len(sums) == 1 else math_ops.add_n(sums)
        return math_ops.add(total, bias, name="weighted_sum")


