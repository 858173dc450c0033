"""CSV parsing: tf.decode_csv (op DecodeCSV), and the record parser tf.data's CsvDataset shares.

Records are strings (host memory, as in TF); the parsed numeric columns are built on
the host and moved to the backend in one copy per column.
"""
import csv

from ..backend import hostnp, to_host_small
from ..framework import dtypes, errors
from ..framework import graph as _graph
from ..framework.registry import NotDifferentiable, register_op

__all__ = ["decode_csv"]

_TYPE_NAMES = {"float32": "float", "float64": "double"}


class CsvFormat:
    """How records are split and fields converted.

    Args:
      types: the DType of each output column.
      defaults: per output column, the default value, or None where the field is required.
      field_delim, use_quote_delim, na_value, select_cols: as in `decode_csv`.
    """

    def __init__(self, types, defaults, field_delim=",", use_quote_delim=True, na_value="",
                 select_cols=None):
        if len(field_delim) != 1:
            raise ValueError("field_delim should be only 1 char")
        self.types = list(types)
        self.defaults = list(defaults)
        self.delim = field_delim
        self.quote = use_quote_delim
        self.na_value = na_value
        self.select = None if select_cols is None else [int(c) for c in select_cols]
        if self.select is not None:
            if sorted(set(self.select)) != self.select:
                raise ValueError("select_cols is not strictly increasing.")
            if self.select and self.select[0] < 0:
                raise ValueError("select_cols contains negative values.")
            if len(self.select) != len(self.types):
                raise ValueError("Length of select_cols and record_defaults do not match.")

    def split(self, record, index):
        if isinstance(record, bytes):
            record = record.decode("utf-8")
        if record == "":
            return [""]
        try:
            reader = csv.reader([record], delimiter=self.delim, strict=True,
                                quotechar='"' if self.quote else None,
                                quoting=csv.QUOTE_MINIMAL if self.quote else csv.QUOTE_NONE)
            return next(reader)
        except csv.Error as e:
            raise errors.InvalidArgumentError(
                None, None, "Quoted field has to end with quote followed by delim or end "
                "(record %d: %s)" % (index, e)) from None

    def parse(self, record, index):
        """The converted fields of one record (Python values), in output-column order.

        Raises:
          InvalidArgumentError: a wrong number of fields, a missing required field, or a
            field that does not convert (TF's messages, naming field and record).
        """
        fields = self.split(record, index)
        n = len(self.types)
        if self.select is None:
            if len(fields) != n:
                raise errors.InvalidArgumentError(
                    None, None, "Expect %d fields but have %d in record %d" % (n, len(fields), index))
            chosen = list(enumerate(fields))
        else:
            if self.select and len(fields) <= self.select[-1]:
                raise errors.InvalidArgumentError(
                    None, None, "Expect %d fields but have %d in record %d"
                    % (self.select[-1] + 1, len(fields), index))
            chosen = [(c, fields[c]) for c in self.select]
        return [self._convert(f, k, col, index) for k, (col, f) in enumerate(chosen)]

    def _convert(self, field, k, col, index):
        dt = self.types[k]
        if field == "" or field == self.na_value:
            if self.defaults[k] is None:
                raise errors.InvalidArgumentError(
                    None, None, "Field %d is required but missing in record %d!" % (col, index))
            return self.defaults[k]
        if dt is dtypes.string:
            return field.encode("utf-8")
        try:
            return int(field) if dt.is_integer else float(field)
        except ValueError:
            raise errors.InvalidArgumentError(
                None, None, "Field %d in record %d is not a valid %s: %s"
                % (col, index, _TYPE_NAMES.get(dt.name, dt.name), field)) from None

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
        fmt = CsvFormat(types, [default_of(to_host_small(d), t) for d, t in zip(defaults, types)],
                        a["field_delim"], a["use_quote_delim"], a["na_value"], a["select_cols"])
        flat = records.reshape(-1)
        rows = [fmt.parse(r, i) for i, r in enumerate(flat.tolist())]
        cols = fmt.columns(xp, rows, records.shape)
        return cols[0] if len(cols) == 1 else cols
    return decode


register_op("DecodeCSV", infer=_decode_csv_infer, bind=_decode_csv_bind)(None)
NotDifferentiable("DecodeCSV")


def decode_csv(records, record_defaults, field_delim=",", use_quote_delim=True, name=None,
               na_value="", select_cols=None):
    """Converts CSV records to tensors, one per column (tf.decode_csv).

    Args:
      records: a string tensor; each element is one record (one line).
      record_defaults: one tensor (or list) per column: a one-element default, or an
        empty tensor for a required column; its dtype (float32, float64, int32, int64,
        string) is the column's.
      field_delim: the one-character field separator.
      use_quote_delim: if True, double quotes group fields containing the delimiter.
      name: the op name (default "DecodeCSV").
      na_value: a field equal to this is treated as missing.
      select_cols: sorted column indices to return (default all).

    Returns:
      A list of tensors shaped like `records`.

    Raises:
      ValueError: bad `field_delim` or `select_cols`.
      InvalidArgumentError (at run time): a record with the wrong number of fields, a
        missing required field, or a field that does not convert (message names the
        field and the record).
    """
    g = _graph.get_default_graph()
    with g.name_scope(name or "DecodeCSV") as scope:
        recs = _graph.convert_to_tensor(records, dtype=dtypes.string)
        defaults = []
        for i, d in enumerate(record_defaults):
            t = _graph.convert_to_tensor(d, name="record_default_%d" % i)
            if t.shape.ndims not in (None, 0, 1):
                raise ValueError("Shape must be at most rank 1 but is rank %d for record_defaults[%d]"
                                 % (t.shape.ndims, i))
            defaults.append(t)
        CsvFormat([t.dtype for t in defaults], [None] * len(defaults), field_delim, use_quote_delim,
                  na_value, select_cols)  # checks the attrs now, as TF's shape function does
        op = g.create_op("DecodeCSV", [recs] + defaults,
                         {"field_delim": field_delim, "use_quote_delim": bool(use_quote_delim),
                          "na_value": na_value,
                          "select_cols": None if select_cols is None else [int(c) for c in select_cols]},
                         name=scope)
    return list(op.outputs)
