"""tf.data.experimental: the CSV helpers and small transformations TF 1.x code uses."""
import collections
import csv
import glob

from ..framework import dtypes
from ..ops.constant_op import constant
from .dataset_ops import AUTOTUNE
from .readers import CsvDataset

__all__ = ["AUTOTUNE", "CsvDataset", "make_csv_dataset", "shuffle_and_repeat"]


def shuffle_and_repeat(buffer_size, count=None, seed=None):
    """A transformation for `Dataset.apply`: shuffle(buffer_size, seed) then repeat(count)."""
    def apply(dataset):
        return dataset.shuffle(buffer_size, seed).repeat(count)
    return apply


def _infer_type(values):
    """TF's column type inference: the first of int32, int64, float32, float64, string
    that holds every (non-missing) value."""
    order = [dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64, dtypes.string]
    best = 0
    for v in values:
        if v == "":
            continue
        while best < 4:
            t = order[best]
            try:
                if t.is_integer:
                    n = int(v)
                    if t is dtypes.int32 and not -2 ** 31 <= n < 2 ** 31:
                        raise ValueError
                else:
                    x = float(v)
                    if t is dtypes.float32 and abs(x) > 3.4e38:
                        raise ValueError
                break
            except ValueError:
                best += 1
    return order[best]


def _zero_default(dtype):
    if dtype is dtypes.string:
        return constant([""], dtype=dtypes.string)
    return constant([0], dtype=dtype)


def _read_rows(files, header, delim, quote, limit):
    rows, names = [], None
    for name in files:
        with open(name, newline="") as f:
            reader = csv.reader(f, delimiter=delim, quotechar='"' if quote else None,
                                quoting=csv.QUOTE_MINIMAL if quote else csv.QUOTE_NONE)
            for i, row in enumerate(reader):
                if i == 0 and header:
                    names = names or row
                    continue
                rows.append(row)
                if len(rows) >= limit:
                    return names, rows
    return names, rows


def make_csv_dataset(file_pattern, batch_size, column_names=None, column_defaults=None,
                     label_name=None, select_columns=None, field_delim=",", use_quote_delim=True,
                     na_value="", header=True, num_epochs=None, shuffle=True,
                     shuffle_buffer_size=10000, shuffle_seed=None, prefetch_buffer_size=None,
                     num_parallel_reads=1, sloppy=False, num_rows_for_inference=100,
                     compression_type=None, ignore_errors=False):
    """Batches of (features dict, label) read from CSV files (tf.data.experimental.make_csv_dataset).

    Column names come from the header line unless given; column types from
    `column_defaults`, else inferred from the first `num_rows_for_inference` rows
    (int32, int64, float32, float64 or string), both read when the graph is built.

    Args:
      file_pattern: a glob pattern or a list of file names.
      batch_size: records per batch (the last batch may be smaller).
      label_name: the column returned apart as the label (None: features only).
      select_columns: the names or indices of the columns to keep.
      num_epochs: passes over the data (None: forever).
      shuffle, shuffle_buffer_size, shuffle_seed: shuffling of the records.

    Returns:
      A Dataset of (OrderedDict name -> [batch] tensor, label tensor), or of the dict
      alone when label_name is None.

    Raises:
      ValueError: no file matches, the names cannot be determined, or label_name or a
        selected column is not a column.
    """
    patterns = [file_pattern] if isinstance(file_pattern, str) else list(file_pattern)
    files = sorted(n for p in patterns for n in (glob.glob(p) or [p]))
    if not files:
        raise ValueError("No files match %r." % (file_pattern,))
    if compression_type:
        raise ValueError("make_csv_dataset: compression_type is not supported here; use CsvDataset")
    header_names, rows = _read_rows(files, header, field_delim, use_quote_delim, num_rows_for_inference)
    if column_names is None:
        if not header:
            raise ValueError("Cannot infer column names without a header line.")
        column_names = header_names
    column_names = list(column_names)
    if len(set(column_names)) != len(column_names):
        raise ValueError("Cannot have duplicate column names.")
    if select_columns is not None:
        idx = sorted(c if isinstance(c, int) else column_names.index(c) if c in column_names else -1
                     for c in select_columns)
        if -1 in idx:
            raise ValueError("select_columns %s must be a subset of column_names %s"
                             % (select_columns, column_names))
    else:
        idx = list(range(len(column_names)))
    names = [column_names[i] for i in idx]
    if label_name is not None and label_name not in names:
        raise ValueError("`label_name` provided must be one of the columns: %s. Received: %s."
                         % (names, label_name))
    if column_defaults is not None:
        defaults = list(column_defaults)
        if len(defaults) != len(names):
            raise ValueError("The number of column_defaults must equal the number of selected columns.")
    else:
        # inferred columns are optional: a missing field reads as 0, 0.0 or b"" (as TF)
        defaults = [_zero_default(_infer_type([r[i] if i < len(r) else "" for r in rows])) for i in idx]
    ds = CsvDataset(files, defaults, header=header, field_delim=field_delim,
                    use_quote_delim=use_quote_delim, na_value=na_value,
                    select_cols=idx if select_columns is not None else None)
    if shuffle:
        ds = ds.shuffle(shuffle_buffer_size, shuffle_seed)
    ds = ds.repeat(num_epochs).batch(batch_size)

    def to_dict(*columns):
        features = collections.OrderedDict(zip(names, columns))
        if label_name is None:
            return features
        label = features.pop(label_name)
        return features, label
    ds = ds.map(to_dict)
    return ds.prefetch(prefetch_buffer_size or 1)

