"""Datasets read from files: TextLineDataset (lines) and CsvDataset (parsed CSV records).

Files are opened when the iterator first reaches them (in `sess.run`), so a missing
file raises NotFoundError from the `get_next` that needs it, as in TF.
"""
import gzip
import zlib

from ..backend import hostnp, to_host_small
from ..framework import dtypes, errors
from ..framework import graph as _graph
from ..framework.graph import Tensor
from ..ops.parsing_ops import CsvFormat, default_of
from . import runtime
from .dataset_ops import Dataset, _int64, dataset_op
from .structure import Spec

__all__ = ["TextLineDataset", "CsvDataset"]


def _names(filenames):
    a = to_host_small(filenames).reshape(-1).tolist()
    return [n.decode("utf-8") if isinstance(n, bytes) else str(n) for n in a]


def _compression(value):
    v = to_host_small(value).reshape(()).item()
    v = v.decode() if isinstance(v, bytes) else (v or "")
    if v not in ("", "GZIP", "ZLIB"):
        raise errors.InvalidArgumentError(None, None, "Unsupported compression_type: %s." % v)
    return v


def _lines(names, compression):
    """Yields the lines of the files in turn, without their line endings (\\n or \\r\\n)."""
    for name in names:
        try:
            if compression == "GZIP":
                f = gzip.open(name, "rb")
            elif compression == "ZLIB":
                with open(name, "rb") as raw:
                    data = zlib.decompress(raw.read())
                f = None
            else:
                f = open(name, "rb")
        except FileNotFoundError:
            raise errors.NotFoundError(None, None, "%s; No such file or directory" % name) from None
        except IsADirectoryError:
            raise errors.FailedPreconditionError(None, None, "%s; Is a directory" % name) from None
        if f is None:
            lines = data.split(b"\n")
            if lines and lines[-1] == b"":
                lines.pop()
            for line in lines:
                yield line[:-1] if line.endswith(b"\r") else line
            continue
        with f:
            for line in f:
                if line.endswith(b"\n"):
                    line = line[:-1]
                if line.endswith(b"\r"):
                    line = line[:-1]
                yield line


def _scalar_string(line):
    return hostnp.array(line, dtype=object)


class _LinesValue(runtime.DatasetValue):
    def __init__(self, xp, names, compression):
        super().__init__(xp)
        self.names, self.compression = names, compression

    def iterator(self):
        return _LinesIterator(self.xp, _lines(self.names, self.compression))


class _LinesIterator(runtime.ElementIterator):
    def __init__(self, xp, lines):
        super().__init__(xp)
        self.lines = lines

    def next(self):
        if self.lines is None:
            raise runtime.EndOfSequence
        try:
            return [_scalar_string(next(self.lines))]
        except StopIteration:
            self.lines = None
            raise runtime.EndOfSequence from None

    def next_many(self, n):
        got = []
        while len(got) < n and self.lines is not None:
            try:
                got.append(next(self.lines))
            except StopIteration:
                self.lines = None
        if not got:
            raise runtime.EndOfSequence
        a = hostnp.empty(len(got), dtype=object)
        a[:] = got
        return [a]


dataset_op("TextLineDataset", lambda op, ctx: (
    lambda names, comp, size: _LinesValue(ctx.xp, _names(names), _compression(comp))))


def _file_inputs(filenames, compression_type, buffer_size):
    names = filenames if isinstance(filenames, Tensor) else \
        _graph.convert_to_tensor(_as_bytes_array(filenames), dtype=dtypes.string, name="filenames")
    comp = _graph.convert_to_tensor(compression_type or "", dtype=dtypes.string, name="compression_type")
    size = _int64(buffer_size if buffer_size is not None else 256 * 1024, "buffer_size")
    return names, comp, size


def _as_bytes_array(filenames):
    if isinstance(filenames, (str, bytes)):
        filenames = [filenames]
    names = [f.encode("utf-8") if isinstance(f, str) else bytes(f) for f in filenames]
    a = hostnp.empty(len(names), dtype=object)
    a[:] = names
    return a


class TextLineDataset(Dataset):
    """The lines of one or more text files, as string scalars (tf.data.TextLineDataset).

    Line endings (\\n, \\r\\n) are stripped. Drop a CSV header with `.skip(1)` (one
    file) or a `filter`.

    Args:
      filenames: a file name, a list of them, or a string tensor.
      compression_type: None or "" (plain), "GZIP" or "ZLIB".
      buffer_size: accepted for TF compatibility.
    """

    def __init__(self, filenames, compression_type=None, buffer_size=None):
        names, comp, size = _file_inputs(filenames, compression_type, buffer_size)
        op = _graph.get_default_graph().create_op("TextLineDataset", [names, comp, size], {},
                                                  "TextLineDataset")
        super().__init__(op.outputs[0], Spec(dtypes.string, []))


# -- CSV -------------------------------------------------------------------------------
class _CsvValue(runtime.DatasetValue):
    def __init__(self, xp, names, compression, fmt, header):
        super().__init__(xp)
        self.names, self.compression, self.fmt, self.header = names, compression, fmt, header

    def iterator(self):
        def records():
            for name in self.names:
                lines = _lines([name], self.compression)
                if self.header:
                    next(lines, None)
                for line in lines:
                    yield line
        return _CsvIterator(self.xp, records(), self.fmt)


class _CsvIterator(runtime.ElementIterator):
    def __init__(self, xp, records, fmt):
        super().__init__(xp)
        self.records, self.fmt, self.index = records, fmt, 0

    def _parse(self, n):
        rows = []
        while len(rows) < n and self.records is not None:
            try:
                line = next(self.records)
            except StopIteration:
                self.records = None
                break
            self.index += 1
            rows.append(self.fmt.parse(line, self.index - 1))
        return rows

    def next(self):
        rows = self._parse(1)
        if not rows:
            raise runtime.EndOfSequence
        return self.fmt.columns(self.xp, rows, ())

    def next_many(self, n):
        rows = self._parse(n)
        if not rows:
            raise runtime.EndOfSequence
        return self.fmt.columns(self.xp, rows, (len(rows),))


def _csv_bind(op, ctx):
    a = op.attrs
    types = a["types"]

    def make(names, comp, size, header, *defaults):
        fmt = CsvFormat(types, [default_of(to_host_small(d), t) for d, t in zip(defaults, types)],
                        a["field_delim"], a["use_quote_delim"], a["na_value"], a["select_cols"])
        return _CsvValue(ctx.xp, _names(names), _compression(comp), fmt, bool(to_host_small(header)))
    return make


dataset_op("CSVDataset", _csv_bind)


class CsvDataset(Dataset):
    """The records of CSV files, one tuple of scalars per line (tf.data.experimental.CsvDataset).

    Args:
      filenames: a file name, a list of them, or a string tensor.
      record_defaults: per column, a DType (a required column) or a one-element default
        (its dtype is the column's).
      compression_type, buffer_size: as for TextLineDataset.
      header: skip the first line of each file.
      field_delim, use_quote_delim, na_value, select_cols: as in `tf.decode_csv`.

    Raises:
      ValueError: bad `select_cols` or `field_delim`.
      InvalidArgumentError (at run time): a malformed record, naming field and record.
    """

    def __init__(self, filenames, record_defaults, compression_type=None, buffer_size=None,
                 header=False, field_delim=",", use_quote_delim=True, na_value="", select_cols=None):
        names, comp, size = _file_inputs(filenames, compression_type, buffer_size)
        defaults = []
        for i, d in enumerate(record_defaults):
            if isinstance(d, dtypes.DType) or (isinstance(d, str) and d in ("float32", "float64",
                                                                            "int32", "int64", "string")):
                dt = dtypes.as_dtype(d)
                defaults.append(_graph.convert_to_tensor(
                    hostnp.zeros(0, dtype=dt.as_numpy_dtype), dtype=dt, name="record_default_%d" % i))
            else:
                defaults.append(_graph.convert_to_tensor(d, name="record_default_%d" % i))
        types = [t.dtype for t in defaults]
        CsvFormat(types, [None] * len(types), field_delim, use_quote_delim, na_value, select_cols)
        hdr = _graph.convert_to_tensor(bool(header), dtype=dtypes.bool_, name="header")
        attrs = {"types": types, "field_delim": field_delim, "use_quote_delim": bool(use_quote_delim),
                 "na_value": na_value,
                 "select_cols": None if select_cols is None else [int(c) for c in select_cols]}
        op = _graph.get_default_graph().create_op("CSVDataset", [names, comp, size, hdr] + defaults,
                                                  attrs, "CSVDataset")
        super().__init__(op.outputs[0], tuple(Spec(t, []) for t in types))
