"""Parsing records: tf.decode_csv and tf.decode_raw.

Records are strings, which live on the host; the parsed numbers are uploaded to the
backend once, as a feed is.
"""
import re

from ..backend import hostnp as np
from ..backend import to_host_small
from ..framework import dtypes, errors
from ..framework import graph as _graph
from ..framework.registry import NotDifferentiable, register_op
from ..framework.tensor_shape import TensorShape

__all__ = ["decode_csv", "decode_raw"]

_CSV_TYPES = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64, dtypes.string)
_INT = re.compile(rb"^\s*[+-]?\d+\s*$")
_TYPE_WORD = {dtypes.float32: "float", dtypes.float64: "double", dtypes.int32: "int32",
              dtypes.int64: "int64"}
_INT_RANGE = {dtypes.int32: (-2**31, 2**31 - 1), dtypes.int64: (-2**63, 2**63 - 1)}


def _split_record(record, delim, use_quote, op, index):
    """The fields of one CSV record, with TF's quoting rules (RFC 4180)."""
    if not use_quote:
        return record.split(delim)
    fields, i, n = [], 0, len(record)
    while True:
        if i < n and record[i:i + 1] == b'"':
            i += 1
            value = bytearray()
            while True:
                if i >= n:
                    raise errors.InvalidArgumentError(
                        None, op, "Quoted field has to end with quote followed by delim or end")
                c = record[i:i + 1]
                if c == b'"':
                    if record[i + 1:i + 2] == b'"':  # "" is an escaped quote
                        value += b'"'
                        i += 2
                        continue
                    i += 1
                    break
                value += c
                i += 1
            if i < n and record[i:i + 1] != delim:
                raise errors.InvalidArgumentError(
                    None, op, "Quote inside a string has to be escaped by another quote")
            fields.append(bytes(value))
        else:
            j = record.find(delim, i)
            j = n if j < 0 else j
            field = record[i:j]
            if b'"' in field:
                raise errors.InvalidArgumentError(
                    None, op, "Unquoted fields cannot have quotes/CRLFs inside")
            fields.append(field)
            i = j
        if i >= n:
            return fields
        i += 1  # past the delimiter
        if i == n:
            fields.append(b"")
            return fields


def _parse_field(text, dtype, default, col, index, op):
    if dtype == dtypes.string:
        return text
    if dtype in _INT_RANGE:
        lo, hi = _INT_RANGE[dtype]
        if _INT.match(text):
            value = int(text)
            if lo <= value <= hi:
                return value
    else:
        try:
            return float(text)
        except ValueError:
            pass
    raise errors.InvalidArgumentError(
        None, op, "Field %d in record %d is not a valid %s: %s"
        % (col, index, _TYPE_WORD[dtype], text.decode(errors="replace")))


def _decode_csv_bind(op, ctx):
    attrs, xp = op.attrs, ctx.xp
    delim, use_quote, na_value = attrs["field_delim"].encode(), attrs["use_quote_delim"], attrs["na_value"].encode()
    out_types, select = attrs["OUT_TYPE"], attrs["select_cols"]

    def decode(records, *defaults):
        # the defaults are read on the host: an explicit, counted small copy
        host_defaults = [np.asarray(to_host_small(d)).reshape(-1) for d in defaults]
        flat = np.asarray(records, dtype=object).reshape(-1)
        columns = [[] for _ in out_types]
        for index, record in enumerate(flat):
            record = record if isinstance(record, bytes) else str(record).encode()
            fields = _split_record(record, delim, use_quote, op, index)
            if select:
                if len(fields) <= select[-1]:
                    raise errors.InvalidArgumentError(
                        None, op, "Expect %d fields but have %d in record %d"
                        % (select[-1] + 1, len(fields), index))
                fields = [fields[c] for c in select]
            elif len(fields) != len(out_types):
                raise errors.InvalidArgumentError(
                    None, op, "Expect %d fields but have %d in record %d"
                    % (len(out_types), len(fields), index))
            for col, (text, dtype) in enumerate(zip(fields, out_types)):
                if text == b"" or (na_value and text == na_value):
                    if host_defaults[col].size == 0:
                        raise errors.InvalidArgumentError(
                            None, op, "Field %d is required but missing in record %d!" % (col, index))
                    columns[col].append(host_defaults[col][0])
                else:
                    columns[col].append(_parse_field(text, dtype, host_defaults[col], col, index, op))
        shape = np.shape(records)
        outputs = []
        for values, dtype in zip(columns, out_types):
            if dtype == dtypes.string:
                arr = np.empty(len(values), dtype=object)
                arr[:] = values
                outputs.append(arr.reshape(shape))
            else:
                outputs.append(xp.asarray(np.asarray(values, dtype=dtype.as_numpy_dtype).reshape(shape)))
        return outputs[0] if len(outputs) == 1 else outputs
    return decode


def _decode_csv_infer(attrs, records, *defaults):
    return [(t, records.shape) for t in attrs["OUT_TYPE"]]


register_op("DecodeCSV", infer=_decode_csv_infer, bind=_decode_csv_bind)(None)  # bound: see bind
NotDifferentiable("DecodeCSV")


def decode_csv(records, record_defaults, field_delim=",", use_quote_delim=True, name=None,
               na_value="", select_cols=None):
    """Parses CSV records into one tensor per column (tf.decode_csv).

    Args:
      records: a string tensor; each element is one record (line).
      record_defaults: one default per column, each a scalar or a length-0/1 list: its
        dtype (float32, float64, int32, int64, string) is the column's; an empty list
        makes the column required.
      field_delim: the one-character field separator.
      use_quote_delim: whether double quotes delimit fields (RFC 4180).
      name: the op name.
      na_value: a string read as a missing value.
      select_cols: optional sorted column indices to keep.

    Returns:
      A list of tensors shaped like `records`, one per column.

    Raises:
      ValueError: a default is not a scalar or a length-0/1 vector, `select_cols` is not
        sorted, or its length differs from `record_defaults`.
      TypeError: a default's dtype is not one of those above.
      InvalidArgumentError (at run time): a record has the wrong number of fields, a
        field does not parse, or a required field is missing.
    """
    graph = _graph.get_default_graph()
    if len(field_delim) != 1:
        raise ValueError("field_delim should be only 1 char")
    if select_cols is not None:
        select_cols = [int(c) for c in select_cols]
        if any(b <= a for a, b in zip(select_cols, select_cols[1:])) or (select_cols and select_cols[0] < 0):
            raise ValueError("select_cols is not strictly increasing.")
        if len(select_cols) != len(record_defaults):
            raise ValueError("Length of select_cols and record_defaults do not match.")
    with graph.name_scope(name or "DecodeCSV") as scope:
        recs = _graph.convert_to_tensor(records, dtype=dtypes.string, name="records")
        defaults = []
        for i, d in enumerate(record_defaults):
            t = _graph.convert_to_tensor(d, name="record_defaults_%d" % i)
            if t.dtype not in _CSV_TYPES:
                raise TypeError("Value passed to parameter 'record_defaults' has DataType %s not in "
                                "list of allowed values: float, double, int32, int64, string" % t.dtype.name)
            dims = t.shape.dims
            if dims is not None and (len(dims) > 1 or (len(dims) == 1 and dims[0] is not None and dims[0] > 1)):
                raise ValueError(
                    "Shape of a default must be a length-0 or length-1 vector, or a scalar. for "
                    "'%s' (op: 'DecodeCSV') with input shapes: %s." % (
                        scope.rstrip("/"), ", ".join([recs.shape.as_bracket_str()] +
                                                     [x.shape.as_bracket_str() for x in defaults + [t]])))
            defaults.append(t)
        attrs = {"OUT_TYPE": [t.dtype for t in defaults], "field_delim": field_delim,
                 "use_quote_delim": bool(use_quote_delim), "na_value": na_value,
                 "select_cols": select_cols or []}
        op = graph.create_op("DecodeCSV", [recs] + defaults, attrs, scope)
    return list(op.outputs)


def _decode_raw_bind(op, ctx):
    out_type, little, xp = op.attrs["out_type"], op.attrs["little_endian"], ctx.xp
    dt = np.dtype(out_type.as_numpy_dtype).newbyteorder("<" if little else ">")

    def decode(records):
        flat = np.asarray(records, dtype=object).reshape(-1)
        width = None
        rows = []
        for i, r in enumerate(flat):
            if len(r) % dt.itemsize:
                raise errors.InvalidArgumentError(
                    None, op, "Input to DecodeRaw has length %d that is not a multiple of %d, the "
                    "size of %s" % (len(r), dt.itemsize, out_type.name))
            if width is None:
                width = len(r)
            elif len(r) != width:
                raise errors.InvalidArgumentError(
                    None, op, "DecodeRaw requires input strings to all be the same size, but "
                    "element %d has size %d != %d" % (i, len(r), width))
            rows.append(np.frombuffer(r, dtype=dt).astype(out_type.as_numpy_dtype))
        count = (width or 0) // dt.itemsize
        host = np.stack(rows) if rows else np.zeros((0, count), dtype=out_type.as_numpy_dtype)
        return xp.asarray(host.reshape(tuple(np.shape(records)) + (count,)))
    return decode


register_op("DecodeRaw", infer=lambda attrs, r: [(attrs["out_type"], TensorShape(r.shape.as_list() + [None])
                                                  if r.shape.dims is not None else TensorShape(None))],
            bind=_decode_raw_bind)(None)  # bound: see bind
NotDifferentiable("DecodeRaw")


def decode_raw(bytes, out_type, little_endian=True, name=None):  # noqa: A002 - TF's name
    """Reinterprets the bytes of each string as a vector of `out_type` (tf.decode_raw).

    Args:
      bytes: a string tensor; all elements must have the same length.
      out_type: the element dtype (uint8, int16, int32, int64, float16, float32, float64).
      little_endian: the byte order of the data.
      name: the op name.

    Returns:
      A tensor of shape `bytes.shape + [length / out_type.size]`.
    """
    t = _graph.convert_to_tensor(bytes, dtype=dtypes.string, name="bytes")
    attrs = {"out_type": dtypes.as_dtype(out_type), "little_endian": bool(little_endian)}
    return _graph.get_default_graph().create_op("DecodeRaw", [t], attrs, name or "DecodeRaw").outputs[0]
