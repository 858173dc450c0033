"""Readers and files: tf.TextLineReader, tf.WholeFileReader, tf.FixedLengthRecordReader,
tf.read_file, tf.write_file, tf.matching_files.

A reader is a session-held resource, as a queue is. `reader.read(filename_queue)`
returns (key, value) string tensors: each run takes the next record of the current
file, and when that file is done dequeues the next filename from the queue (blocking
like any dequeue). Once the filename queue is closed and empty, a read raises
OutOfRangeError, which ends a queue runner's loop.

Files are read on the host: strings never live on a device.
"""
import glob
import os
import threading

from ..backend import host_scalar, hostnp as np
from ..framework import dtypes, errors
from ..framework import graph as _graph
from ..framework.registry import NotDifferentiable, register_op
from ..framework.tensor_shape import TensorShape

__all__ = ["ReaderBase", "TextLineReader", "WholeFileReader", "FixedLengthRecordReader",
           "read_file", "write_file", "matching_files"]

_HANDLE = (dtypes.resource, TensorShape([]))
_STRING = (dtypes.string, TensorShape([]))


def _open(filename, op):
    try:
        return open(filename, "rb")
    except FileNotFoundError:
        raise errors.NotFoundError(None, op, "%s; No such file or directory" % filename) from None
    except IsADirectoryError:
        raise errors.FailedPreconditionError(None, op, "%s; Is a directory" % filename) from None
    except PermissionError:
        raise errors.PermissionDeniedError(None, op, "%s; Permission denied" % filename) from None


def _text_lines(filename, attrs, op):
    skip = attrs["skip_header_lines"]
    with _open(filename, op) as f:
        for lineno, line in enumerate(f, 1):
            if lineno <= skip:
                continue
            if line.endswith(b"\n"):
                line = line[:-1]
            if line.endswith(b"\r"):
                line = line[:-1]
            yield ("%s:%d" % (filename, lineno)).encode(), line


def _whole_file(filename, attrs, op):
    with _open(filename, op) as f:
        contents = f.read()
    yield filename.encode(), contents


def _fixed_length_records(filename, attrs, op):
    header, record, footer = attrs["header_bytes"], attrs["record_bytes"], attrs["footer_bytes"]
    hop = attrs["hop_bytes"] or record
    with _open(filename, op) as f:
        data = f.read()
    end = len(data) - footer
    index, start = 0, header
    while start + record <= end:
        yield ("%s:%d" % (filename, index)).encode(), data[start:start + record]
        index += 1
        start += hop


class _Reader:
    """A reader held by a session: the current file's records and the counters."""

    def __init__(self, records_of, attrs):
        self.records_of = records_of
        self.attrs = attrs
        self.lock = threading.Lock()
        self.records = None
        self.produced = 0
        self.completed = 0

    def next_record(self, queue, op):
        """The next (key, value) record, dequeuing the next file from `queue` as needed."""
        while True:
            if self.records is None:
                with queue.cond:
                    (element,) = queue.take(1, op)
                name = element[0][()]
                name = name.decode() if isinstance(name, bytes) else str(name)
                self.records = self.records_of(name, self.attrs, op)
            try:
                record = next(self.records)
            except StopIteration:
                self.records = None
                self.completed += 1
                continue
            self.produced += 1
            return record

    def reset(self):
        self.records, self.produced, self.completed = None, 0, 0


_READERS = {"TextLineReaderV2": _text_lines, "WholeFileReaderV2": _whole_file,
            "FixedLengthRecordReaderV2": _fixed_length_records}


def _reader_bind(op, ctx):
    mgr = ctx.resources
    shared = op.attrs.get("shared_name") or ""
    key = ("reader", shared) if shared else op
    records_of = _READERS[op.type]
    return lambda: mgr.lookup_or_create(key, lambda prefix: _Reader(records_of, op.attrs))


for _type in _READERS:
    register_op(_type, infer=lambda attrs: [_HANDLE], bind=_reader_bind, stateful=True)(None)
    NotDifferentiable(_type)


def _read_bind(op, ctx):
    def read(reader, queue):
        with reader.lock:
            key, value = reader.next_record(queue, op)
        return np.asarray(key, dtype=object), np.asarray(value, dtype=object)
    return read


def _read_up_to_bind(op, ctx):
    def read_up_to(reader, queue, num_records):
        n = host_scalar(num_records)
        keys, values = [], []
        with reader.lock:
            while len(keys) < n:
                try:
                    key, value = reader.next_record(queue, op)
                except errors.OutOfRangeError:
                    if keys:
                        break
                    raise
                keys.append(key)
                values.append(value)
        out_keys, out_values = np.empty(len(keys), dtype=object), np.empty(len(values), dtype=object)
        out_keys[:], out_values[:] = keys, values
        return out_keys, out_values
    return read_up_to


def _counter_bind(field):
    def bind(op, ctx):
        xp = ctx.xp

        def count(reader):
            with reader.lock:
                return xp.asarray(getattr(reader, field), dtype=xp.int64)
        return count
    return bind


def _reset_bind(op, ctx):
    def reset(reader):
        with reader.lock:
            reader.reset()
        return ()
    return reset


_VEC = (dtypes.string, TensorShape([None]))
_INT64 = (dtypes.int64, TensorShape([]))
register_op("ReaderReadV2", infer=lambda attrs, r, q: [_STRING, _STRING], bind=_read_bind,
            stateful=True)(None)
register_op("ReaderReadUpToV2", infer=lambda attrs, r, q, n: [_VEC, _VEC], bind=_read_up_to_bind,
            stateful=True)(None)
register_op("ReaderNumRecordsProducedV2", infer=lambda attrs, r: [_INT64],
            bind=_counter_bind("produced"), stateful=True)(None)
register_op("ReaderNumWorkUnitsCompletedV2", infer=lambda attrs, r: [_INT64],
            bind=_counter_bind("completed"), stateful=True)(None)
register_op("ReaderResetV2", infer=lambda attrs, r: [], bind=_reset_bind, stateful=True)(None)
for _type in ("ReaderReadV2", "ReaderReadUpToV2", "ReaderNumRecordsProducedV2",
              "ReaderNumWorkUnitsCompletedV2", "ReaderResetV2"):
    NotDifferentiable(_type)


def _queue_ref(queue):
    return queue.queue_ref if hasattr(queue, "queue_ref") else _graph.convert_to_tensor(queue)


class ReaderBase:
    """Base class of readers (tf.ReaderBase): outputs the records of the files it is given.

    Args:
      reader_ref: the reader op's resource handle.
      supports_serialize: False: tinygraph readers do not serialize their state.
    """

    def __init__(self, reader_ref, supports_serialize=False):
        self._reader_ref = reader_ref
        self._supports_serialize = supports_serialize

    @property
    def reader_ref(self):
        return self._reader_ref

    @property
    def supports_serialize(self):
        return self._supports_serialize

    def _create(self, op_type, inputs, name):
        return _graph.get_default_graph().create_op(op_type, [self._reader_ref] + inputs, {},
                                                    name or op_type)

    def read(self, queue, name=None):
        """The next record: a (key, value) pair of string scalars.

        Args:
          queue: a queue of filenames (or its handle).
          name: the op name.

        Raises (at run time):
          OutOfRangeError: the queue is closed and every file has been read.
          NotFoundError: a file does not exist.
        """
        op = self._create("ReaderReadV2", [_queue_ref(queue)], name)
        return op.outputs[0], op.outputs[1]

    def read_up_to(self, queue, num_records, name=None):
        """Up to `num_records` records: (keys, values) string vectors."""
        n = _graph.convert_to_tensor(num_records, dtype=dtypes.int64, name="num_records")
        op = self._create("ReaderReadUpToV2", [_queue_ref(queue), n], name)
        return op.outputs[0], op.outputs[1]

    def num_records_produced(self, name=None):
        """How many records this reader has produced (an int64 scalar)."""
        return self._create("ReaderNumRecordsProducedV2", [], name).outputs[0]

    def num_work_units_completed(self, name=None):
        """How many files this reader has finished (an int64 scalar)."""
        return self._create("ReaderNumWorkUnitsCompletedV2", [], name).outputs[0]

    def reset(self, name=None):
        """An op that returns the reader to its initial state."""
        return self._create("ReaderResetV2", [], name)


def _reader_op(op_type, attrs, name):
    attrs = dict(attrs, shared_name="", container="")
    return _graph.get_default_graph().create_op(op_type, [], attrs, name or op_type).outputs[0]


class TextLineReader(ReaderBase):
    """A reader whose records are the lines of its files (tf.TextLineReader).

    Keys are "<filename>:<line number>" (from 1); values are the lines without their
    line ending.

    Args:
      skip_header_lines: how many lines to skip at the start of each file.
      name: the reader op's name.
    """

    def __init__(self, skip_header_lines=None, name=None):
        super().__init__(_reader_op("TextLineReaderV2", {"skip_header_lines": int(skip_header_lines or 0)}, name))


class WholeFileReader(ReaderBase):
    """A reader whose one record per file is (filename, contents) (tf.WholeFileReader)."""

    def __init__(self, name=None):
        super().__init__(_reader_op("WholeFileReaderV2", {}, name))


class FixedLengthRecordReader(ReaderBase):
    """A reader of fixed-length binary records (tf.FixedLengthRecordReader).

    Args:
      record_bytes: the length of each record.
      header_bytes, footer_bytes: bytes skipped at the start and end of each file.
      hop_bytes: the distance between record starts (default `record_bytes`).
      name: the reader op's name.
      encoding: None; compressed files ("ZLIB", "GZIP") are not supported.

    Raises:
      ValueError: an encoding other than None, or a non-positive record length.
    """

    def __init__(self, record_bytes, header_bytes=None, footer_bytes=None, hop_bytes=None,
                 name=None, encoding=None):
        if encoding:
            raise ValueError("FixedLengthRecordReader: encoding %r is not supported by tinygraph "
                             "(decompress the files first)" % (encoding,))
        if int(record_bytes) <= 0:
            raise ValueError("record_bytes must be > 0, got %d" % record_bytes)
        attrs = {"record_bytes": int(record_bytes), "header_bytes": int(header_bytes or 0),
                 "footer_bytes": int(footer_bytes or 0), "hop_bytes": int(hop_bytes or 0)}
        super().__init__(_reader_op("FixedLengthRecordReaderV2", attrs, name))


# -- whole files ------------------------------------------------------------------
def _read_file_bind(op, ctx):
    def read(filename):
        name = filename[()]
        name = name.decode() if isinstance(name, bytes) else str(name)
        with _open(name, op) as f:
            return np.asarray(f.read(), dtype=object)
    return read


def _write_file_bind(op, ctx):
    def write(filename, contents):
        name = filename[()]
        name = name.decode() if isinstance(name, bytes) else str(name)
        data = contents[()]
        try:
            with open(name, "wb") as f:
                f.write(data if isinstance(data, bytes) else str(data).encode())
        except FileNotFoundError:
            raise errors.NotFoundError(None, op, "%s; No such file or directory" % name) from None
        return ()
    return write


def _matching_files_bind(op, ctx):
    def match(pattern):
        found = []
        for p in np.asarray(pattern, dtype=object).reshape(-1):
            p = p.decode() if isinstance(p, bytes) else str(p)
            found.extend(sorted(glob.glob(p)))
        out = np.empty(len(found), dtype=object)
        out[:] = [os.fsencode(f) for f in found]
        return out
    return match


# Stateful: they touch the file system, so they run whenever asked (never folded).
register_op("ReadFile", infer=lambda attrs, f: [_STRING], bind=_read_file_bind, stateful=True)(None)
register_op("WriteFile", infer=lambda attrs, f, c: [], bind=_write_file_bind, stateful=True)(None)
register_op("MatchingFiles", infer=lambda attrs, p: [_VEC], bind=_matching_files_bind,
            stateful=True)(None)
for _type in ("ReadFile", "WriteFile", "MatchingFiles"):
    NotDifferentiable(_type)


def read_file(filename, name=None):
    """The contents of the file `filename` (tf.read_file).

    Raises (at run time):
      NotFoundError: no such file.
    """
    f = _graph.convert_to_tensor(filename, dtype=dtypes.string, name="filename")
    return _graph.get_default_graph().create_op("ReadFile", [f], {}, name or "ReadFile").outputs[0]


def write_file(filename, contents, name=None):
    """An op that writes the string `contents` to the file `filename` (tf.write_file)."""
    g = _graph.get_default_graph()
    f = _graph.convert_to_tensor(filename, dtype=dtypes.string, name="filename")
    c = _graph.convert_to_tensor(contents, dtype=dtypes.string, name="contents")
    return g.create_op("WriteFile", [f, c], {}, name or "WriteFile")


def matching_files(pattern, name=None):
    """The sorted filenames that match the glob `pattern` (tf.matching_files)."""
    p = _graph.convert_to_tensor(pattern, dtype=dtypes.string, name="pattern")
    return _graph.get_default_graph().create_op("MatchingFiles", [p], {}, name or "MatchingFiles").outputs[0]
