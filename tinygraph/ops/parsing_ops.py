"""Parsing records: tf.decode_csv (op DecodeCSV) and tf.decode_raw, and the CSV record
parser that tf.data's CsvDataset shares (CsvFormat).

Records are strings (host memory, as in TF); the parsed numeric columns are built on the
host and moved to the backend in one copy per column.
"""
import re

from ..backend import hostnp, to_host_small
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


def _parse_field(text, dtype, col, index, op):
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


class CsvFormat:
    """How records are split and fields converted (TF's rules: RFC 4180 quoting, int32
    range checks, TF's messages naming field and record).

    Args:
      types: the DType of each output column.
      defaults: per output column, the default value, or None where the field is required.
      field_delim, use_quote_delim, na_value, select_cols: as in `decode_csv`.
      op: the op reported in errors (None for a dataset's own records).

    Raises:
      ValueError: bad `field_delim` or `select_cols`.
    """

    def __init__(self, types, defaults, field_delim=",", use_quote_delim=True, na_value="",
                 select_cols=None, op=None):
        if len(field_delim) != 1:
            raise ValueError("field_delim should be only 1 char")
        self.types = list(types)
        self.defaults = list(defaults)
        self.delim = field_delim.encode()
        self.quote = use_quote_delim
        self.na_value = na_value.encode() if isinstance(na_value, str) else na_value
        self.op = op
        self.select = None if select_cols is None else [int(c) for c in select_cols]
        if self.select is not None:
            if sorted(set(self.select)) != self.select:
                raise ValueError("select_cols is not strictly increasing.")
            if self.select and self.select[0] < 0:
                raise ValueError("select_cols contains negative values.")
            if len(self.select) != len(self.types):
                raise ValueError("Length of select_cols and record_defaults do not match.")

    def split(self, record, index):
        if not isinstance(record, bytes):
            record = str(record).encode("utf-8")
        return _split_record(record, self.delim, self.quote, self.op, index)

    def parse(self, record, index):
        """The converted fields of one record (Python values), in output-column order.

        Raises:
          InvalidArgumentError: a wrong number of fields, a missing required field, or a
            field that does not convert.
        """
        fields = self.split(record, index)
        n = len(self.types)
        if self.select is None:
            if len(fields) != n:
                raise errors.InvalidArgumentError(
                    None, self.op, "Expect %d fields but have %d in record %d" % (n, len(fields), index))
            chosen = list(enumerate(fields))
        else:
            if self.select and len(fields) <= self.select[-1]:
                raise errors.InvalidArgumentError(
                    None, self.op, "Expect %d fields but have %d in record %d"
                    % (self.select[-1] + 1, len(fields), index))
            chosen = [(c, fields[c]) for c in self.select]
        out = []
        for k, (col, text) in enumerate(chosen):
            if text == b"" or (self.na_value and text == self.na_value):
                if self.defaults[k] is None:
                    raise errors.InvalidArgumentError(
                        None, self.op, "Field %d is required but missing in record %d!" % (col, index))
                out.append(self.defaults[k])
            else:
                out.append(_parse_field(text, self.types[k], col, index, self.op))
        return out

    def columns(self, xp, rows, shape):
        """Per output column, an array of `shape` from parsed rows."""
        out = []
        for k, dt in enumerate(self.types):
            vals = [r[k] for r in rows]
            if dt is dtypes.string:
                a = hostnp.empty(len(vals), dtype=object)
                a[:] = vals
                out.append(a.reshape(shape))
            else:
                out.append(xp.asarray(hostnp.array(vals, dtype=dt.as_numpy_dtype).reshape(shape)))
        return out


def default_of(value, dt):
    """A record default (a host array of 0 or 1 element) as a Python value, None if empty."""
    a = hostnp.asarray(value).reshape(-1)
    if a.size == 0:
        return None
    v = a[0]
    if dt is dtypes.string:
        return v if isinstance(v, bytes) else str(v).encode("utf-8")
    return v.item() if hasattr(v, "item") else v


def _decode_csv_infer(attrs, records, *defaults):
    return [(d.dtype, records.shape) for d in defaults]


def _decode_csv_bind(op, ctx):
    a = op.attrs
    types = [t.dtype for t in op.inputs[1:]]
    xp = ctx.xp

    def decode(records, *defaults):
        # the defaults are read on the host: an explicit, counted small copy
        fmt = CsvFormat(types, [default_of(to_host_small(d), t) for d, t in zip(defaults, types)],
                        a["field_delim"], a["use_quote_delim"], a["na_value"], a["select_cols"], op)
        flat = hostnp.asarray(records, dtype=object).reshape(-1)
        rows = [fmt.parse(r, i) for i, r in enumerate(flat.tolist())]
        cols = fmt.columns(xp, rows, hostnp.shape(records))
        return cols[0] if len(cols) == 1 else cols
    return decode


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
        # checks the attrs now, as TF's shape function does
        CsvFormat([t.dtype for t in defaults], [None] * len(defaults), field_delim, use_quote_delim,
                  na_value, select_cols)
        attrs = {"field_delim": field_delim, "use_quote_delim": bool(use_quote_delim),
                 "na_value": na_value,
                 "select_cols": None if select_cols is None else [int(c) for c in select_cols]}
        op = graph.create_op("DecodeCSV", [recs] + defaults, attrs, scope)
    return list(op.outputs)


def _decode_raw_bind(op, ctx):
    out_type, little, xp = op.attrs["out_type"], op.attrs["little_endian"], ctx.xp
    dt = hostnp.dtype(out_type.as_numpy_dtype).newbyteorder("<" if little else ">")

    def decode(records):
        flat = hostnp.asarray(records, dtype=object).reshape(-1)
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
            rows.append(hostnp.frombuffer(r, dtype=dt).astype(out_type.as_numpy_dtype))
        count = (width or 0) // dt.itemsize
        host = hostnp.stack(rows) if rows else hostnp.zeros((0, count), dtype=out_type.as_numpy_dtype)
        return xp.asarray(host.reshape(tuple(hostnp.shape(records)) + (count,)))
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
