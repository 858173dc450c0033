"""TF's protocol buffers (tensorboard's copies), DataType numbers, shapes and TensorProtos.

The proto modules load on first use; `datatype_enum` / `dtype_from_enum` map DTypes to
TF's DataType numbers, `make_tensor_proto` / `tensor_from_proto` convert host arrays.
"""
import math

from ..backend import hostnp as np
from ..framework import dtypes
from ..framework.tensor_shape import TensorShape


PRODUCER_VERSION = 27

# TF's DataType enum (tensorflow/core/framework/types.proto).
_ENUM = {"float32": 1, "float64": 2, "int32": 3, "uint8": 4, "int16": 5, "int8": 6, "string": 7,
         "complex64": 8, "int64": 9, "bool": 10, "bfloat16": 14, "uint16": 17, "complex128": 18,
         "float16": 19, "resource": 20, "variant": 21, "uint32": 22, "uint64": 23}
_REF_OFFSET = 100  # DT_FLOAT_REF = 101 ...


class _Protos:
    """TensorBoard's proto modules, imported on first use (keeps `import tinygraph` fast)."""

    def __getattr__(self, name):
        from google.protobuf import message, text_format
        from tensorboard.compat.proto import (attr_value_pb2, function_pb2, graph_pb2,
                                              meta_graph_pb2, node_def_pb2, saver_pb2,
                                              tensor_pb2, variable_pb2)
        for mod in (attr_value_pb2, function_pb2, graph_pb2, meta_graph_pb2, node_def_pb2,
                    saver_pb2, tensor_pb2, variable_pb2):
            self.__dict__[mod.__name__.rsplit(".", 1)[1]] = mod
        self.__dict__["text_format"] = text_format
        self.__dict__["DecodeError"] = message.DecodeError
        return self.__dict__[name]


pb = _Protos()

# TF's proto classes under their TF names (tf.GraphDef, ...), from tensorboard's copies.
PROTO_CLASSES = {"GraphDef": ("graph_pb2", "GraphDef"), "MetaGraphDef": ("meta_graph_pb2", "MetaGraphDef"),
                 "NodeDef": ("node_def_pb2", "NodeDef"), "AttrValue": ("attr_value_pb2", "AttrValue")}


def proto_class(name):
    """The protocol buffer class TF calls `name` (a key of PROTO_CLASSES)."""
    module, cls = PROTO_CLASSES[name]
    return getattr(getattr(pb, module), cls)


def datatype_enum(dtype):
    """TF's DataType number of a DType: DT_FLOAT_REF (101) for float32_ref; 0 if TF has none."""
    number = _ENUM.get(dtype.base_dtype.name, 0)
    return number + _REF_OFFSET if number and dtype.is_ref_dtype else number


def dtype_from_enum(number, where=""):
    """The DType of a TF DataType number (reference types map to their base type).

    Raises:
      ValueError: the number is not a type tinygraph has.
    """
    number = int(number)
    ref = number > _REF_OFFSET
    if ref:
        number -= _REF_OFFSET
    for name, n in _ENUM.items():
        if n == number:
            try:
                dt = dtypes.as_dtype(name)
            except (TypeError, ValueError, KeyError):
                break
            return dt._as_ref if ref else dt
    raise ValueError("DataType %d%s is not supported by tinygraph" % (number, where))


def _set_shape(proto, shape):
    shape = shape if isinstance(shape, TensorShape) else TensorShape(shape)
    if shape.dims is None:
        proto.unknown_rank = True
        return
    for d in shape.as_list():
        proto.dim.add().size = -1 if d is None else int(d)


def _shape_from(proto):
    if proto.unknown_rank:
        return TensorShape(None)
    return TensorShape([None if d.size < 0 else int(d.size) for d in proto.dim])


def make_tensor_proto(array):
    """A TensorProto of a host numpy array (numbers as raw little-endian bytes, strings listed)."""
    array = np.asarray(array)
    proto = pb.tensor_pb2.TensorProto()
    if array.dtype.kind in "OSU":
        proto.dtype = _ENUM["string"]
        proto.string_val.extend(v if isinstance(v, bytes) else str(v).encode("utf-8")
                                for v in array.reshape(-1).tolist())
    else:
        dt = dtypes.as_dtype(array.dtype)
        proto.dtype = datatype_enum(dt)
        proto.tensor_content = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<"),
                                                                  copy=False).tobytes()
    _set_shape(proto.tensor_shape, TensorShape(list(array.shape)))
    return proto


_VAL_FIELDS = {"float32": "float_val", "float64": "double_val", "int32": "int_val", "uint8": "int_val",
               "int16": "int_val", "int8": "int_val", "int64": "int64_val", "bool": "bool_val",
               "float16": "half_val", "uint32": "uint32_val", "uint64": "uint64_val",
               "uint16": "int_val"}


def tensor_from_proto(proto):
    """The host numpy array of a TensorProto (TF's repeated-last-value rule for short lists).

    Raises:
      ValueError: unknown dtype, or content that does not fit the shape.
    """
    dt = dtype_from_enum(proto.dtype)
    shape = _shape_from(proto.tensor_shape).as_list()
    if any(d is None for d in shape):
        raise ValueError("a constant tensor must have a fully defined shape, got %s" % shape)
    size = math.prod(shape)
    if dt is dtypes.string:
        vals = list(proto.string_val)
        flat = np.empty(len(vals), dtype=object)
        flat[:] = vals
    elif proto.tensor_content:
        np_dt = np.dtype(dt.as_numpy_dtype).newbyteorder("<")
        if len(proto.tensor_content) != size * np_dt.itemsize:
            raise ValueError("tensor_content holds %d bytes, %d expected for shape %s"
                             % (len(proto.tensor_content), size * np_dt.itemsize, shape))
        return np.frombuffer(proto.tensor_content, dtype=np_dt).astype(dt.as_numpy_dtype).reshape(shape)
    else:
        field = _VAL_FIELDS.get(dt.name)
        if field is None:
            raise ValueError("cannot read a %s TensorProto" % dt.name)
        vals = list(getattr(proto, field))
        if field == "half_val":
            flat = np.array(vals, dtype=np.uint16).view(np.float16)
        else:
            flat = np.array(vals, dtype=dt.as_numpy_dtype)
    if len(flat) == size:
        return flat.reshape(shape)
    if len(flat) == 0 or len(flat) > size:
        if size == 0 and len(flat) == 0:
            return flat.reshape(shape)
        raise ValueError("the TensorProto has %d values for shape %s" % (len(flat), shape))
    out = np.empty(size, dtype=flat.dtype)
    out[:len(flat)] = flat
    out[len(flat):] = flat[-1]  # TF repeats the last value
    return out.reshape(shape)
