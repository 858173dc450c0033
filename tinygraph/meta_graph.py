"""GraphDefs and MetaGraphs in TensorFlow's own protocol buffers (tensorboard's copies).

    saver.save(sess, "ckpt/model")                    # also writes ckpt/model.meta
    # later, in a process that has no model-building code:
    saver = tf.train.import_meta_graph("ckpt/model.meta")
    saver.restore(sess, "ckpt/model")
    train_op = tf.get_collection("train_op")[0]

How a tinygraph graph is written (`graph_to_proto`):

- One `NodeDef` per op: `name`, `op` (the type), `input` ("x", "x:1", "^ctrl"),
  `device`, and every attr as an `AttrValue`: DType -> `type`, TensorShape -> `shape`,
  bool/int/float/str -> `b`/`i`/`f`/`s`, numpy arrays -> `tensor` (a TensorProto),
  flat lists of one of those -> `list`, None -> an empty AttrValue. Each node also has
  TF's `_output_shapes` and `_output_types` (the static outputs), and `_tuple_attrs`
  names attrs that were tuples. TF's `T` is added where the op has no type attr
  (`_added_attrs` lists such). A `gradient_override_map` entry is TF's `_gradient_op_type`.
- `Assign`, `AssignAdd`, `AssignSub` name their variable as input 0, as TF does (TF's
  `ref` input); tinygraph keeps it in the `var` attr (`_ref_input` marks the node).
- Loop and cond bodies are sub-graphs. Each is a `FunctionDef` of `GraphDef.library`,
  as TF 2's functional While/If ops reference theirs: the attr (While's `cond`/`body`,
  If's `branches`) is a `func` AttrValue naming it; its `node_def` holds the body's ops
  with GraphDef-style input names (readable by tinygraph, not TF's function runtime);
  the signature lists the loop-variable inputs and the outputs (`ret`). The
  function's attrs record the rest: `_outer` (enclosing function, "" for the graph),
  `_name_prefix`, `_inputs`, `_outputs`, `_captures` (outer tensor, placeholder) pairs.
- Values an AttrValue has no field for are `func` AttrValues named with a leading "_":
  `_tensor` / `_operation` (graph, name) references, `_list` / `_tuple` / `_dict`
  containers (nested or mixed values), `_object` (a body's gradient records, field by field),
  `_bytes`, `_scalar` (numpy scalars).

A MetaGraphDef adds the collections (`CollectionDef`: Variables as `VariableDef` bytes,
Savers as `SaverDef` bytes, tensors and ops as `node_list` names, ints, floats, strings)
and the Saver's `SaverDef`. Binary `.meta` files written here end with a length record
(an unknown field TF ignores), so a truncated file is told from a complete one.
Never pickle: nothing read from a file can run code.
"""
import inspect
import math
import os
import re
import zlib
import warnings

from .backend import hostnp as np
from .control_flow.subgraph import Backward, SavedValues, SubGraph
from .data.dataset_ops import Dataset
from .data.functions import TracedFunction
from .data.structure import Spec
from .framework import dtypes, errors
from .framework import graph_def as _drawing
from .framework import graph as _graph
from .framework.graph import GraphKeys, Operation, Tensor
from .framework.registry import get_op_def, registered_ops
from .framework.tensor_shape import TensorShape
from .ops import variables as _variables

__all__ = ["export_meta_graph", "import_meta_graph_def", "read_meta_graph_file", "import_graph_def",
           "write_graph", "graph_to_proto", "variable_to_proto", "variable_from_proto"]

PRODUCER_VERSION = 27

# TF's DataType enum (tensorflow/core/framework/types.proto).
_ENUM = {"float32": 1, "float64": 2, "int32": 3, "uint8": 4, "int16": 5, "int8": 6, "string": 7,
         "complex64": 8, "int64": 9, "bool": 10, "bfloat16": 14, "uint16": 17, "complex128": 18,
         "float16": 19, "resource": 20, "variant": 21, "uint32": 22, "uint64": 23}
_REF_OFFSET = 100  # DT_FLOAT_REF = 101 ...

# Ops whose first TF input is the variable (`ref`); tinygraph keeps it in attr `var`.
_REF_FIRST = ("Assign", "AssignAdd", "AssignSub")
# TF op types tinygraph registers under another name (graphs written by TF).
_TF_ALIASES = {"AddV2": "Add"}

_VARIABLE_KEYS = (GraphKeys.GLOBAL_VARIABLES, GraphKeys.TRAINABLE_VARIABLES,
                  GraphKeys.LOCAL_VARIABLES, GraphKeys.MODEL_VARIABLES, GraphKeys.GLOBAL_STEP,
                  "moving_average_variables", "metric_variables", "concatenated_variables")

# A binary .meta written by tinygraph ends with two fields TF ignores: the length (1000,
# varint) and the CRC-32 (1001, fixed32) of the bytes before them.
_LENGTH_FIELD, _CRC_FIELD = 1000, 1001
_MARKER = "tinygraph"


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


# -- dtypes and tensors ----------------------------------------------------------------
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


# -- attr values -------------------------------------------------------------------------
_PLAIN_LIST = ((bool, "b"), (int, "i"), (float, "f"), (str, "s"), (dtypes.DType, "type"),
               (TensorShape, "shape"))


def _plain_list_field(values):
    """The ListValue field for a flat list of one plain type, or None."""
    for kind, field in _PLAIN_LIST:
        if all(type(v) is kind or (kind in (dtypes.DType, TensorShape) and isinstance(v, kind))
               for v in values):
            return field
    return None


# Plain-state objects in op attrs (gradient records, dataset functions and element specs),
# written field by field.
_OBJECT_CLASSES = {cls.__name__: cls for cls in (Backward, SavedValues, TracedFunction, Spec)}


def _object_classes():
    """The classes written field by field: the above, and datasets (a flat_map's result)."""
    classes, todo = dict(_OBJECT_CLASSES), [Dataset]
    while todo:
        cls = todo.pop()
        classes.setdefault(cls.__name__, cls)
        todo.extend(cls.__subclasses__())
    return classes


def _object_fields(obj):
    if hasattr(obj, "__dict__"):
        return dict(vars(obj))
    return {k: getattr(obj, k) for k in type(obj).__slots__}


class _Encoder:
    """Python attr values -> AttrValue protos, with the graph keys of sub-graphs."""

    def __init__(self, graph_keys, unserializable):
        self.graph_keys = graph_keys   # id(Graph) -> "" (the graph) or a function name
        self.unserializable = unserializable  # (op, attr) pairs left out

    def _ref(self, kind, graph, name):
        key = self.graph_keys.get(id(graph))
        if key is None:
            raise _Unexportable("a reference to %s %r of a graph outside the one exported"
                                % (kind, name))
        av = pb.attr_value_pb2.AttrValue()
        av.func.name = "_" + kind
        av.func.attr["graph"].s = key.encode("utf-8")
        av.func.attr["name"].s = name.encode("utf-8")
        return av

    def value(self, v, top=False):
        av = pb.attr_value_pb2.AttrValue()
        if v is None:
            return av
        if isinstance(v, bool):
            av.b = v
        elif isinstance(v, int) and not isinstance(v, np.integer):
            av.i = v
        elif isinstance(v, float):
            av.f = v
        elif isinstance(v, str):
            av.s = v.encode("utf-8")
        elif isinstance(v, bytes):
            av.func.name = "_bytes"
            av.func.attr["v"].s = v
        elif isinstance(v, dtypes.DType):
            av.type = datatype_enum(v)
        elif isinstance(v, TensorShape):
            av.shape.SetInParent()
            _set_shape(av.shape, v)
        elif isinstance(v, np.ndarray):
            av.tensor.CopyFrom(make_tensor_proto(v))
        elif isinstance(v, np.generic):
            av.func.name = "_scalar"
            av.func.attr["v"].tensor.CopyFrom(make_tensor_proto(np.asarray(v)))
        elif isinstance(v, Tensor):
            return self._ref("tensor", v.graph, v.name)
        elif isinstance(v, Operation):
            return self._ref("operation", v.graph, v.name)
        elif isinstance(v, SubGraph):
            key = self.graph_keys.get(id(v.graph))
            if not key:
                raise _Unexportable("a sub-graph outside the graph exported")
            av.func.name = key
        elif _object_classes().get(type(v).__name__) is type(v):
            av.func.name = "_object"
            av.func.attr["_class"].s = type(v).__name__.encode("utf-8")
            for k, x in _object_fields(v).items():
                av.func.attr[k].CopyFrom(self.value(x))
        elif isinstance(v, (list, tuple)):
            field = _plain_list_field(v) if top else None
            if top and (field is not None or not v):  # TF's ListValue; nested ones: containers
                av.list.SetInParent()
                for x in v:
                    if field == "type":
                        av.list.type.append(datatype_enum(x))
                    elif field == "shape":
                        _set_shape(av.list.shape.add(), x)
                    elif field == "s":
                        av.list.s.append(x.encode("utf-8"))
                    else:
                        getattr(av.list, field).append(x)
                return av
            av.func.name = "_tuple" if isinstance(v, tuple) else "_list"
            for i, x in enumerate(v):
                av.func.attr[str(i)].CopyFrom(self.value(x))
        elif isinstance(v, dict):
            av.func.name = "_dict"
            for i, (k, x) in enumerate(v.items()):
                av.func.attr["k%d" % i].CopyFrom(self.value(k))
                av.func.attr["v%d" % i].CopyFrom(self.value(x))
        else:
            raise _Unexportable("a %s" % type(v).__name__)
        return av


class _Unexportable(Exception):
    pass


# -- export: graph -> GraphDef proto -----------------------------------------------------------
def _function_name(owner, key, used):
    base = re.sub(r"[^A-Za-z0-9_]", "_", "%s_%s" % (owner.name, key)).lstrip("_") or "fn"
    name, i = base, 1
    while name in used:
        name = "%s_%d" % (base, i)
        i += 1
    used.add(name)
    return name


def _sub_graphs_of(value, key, found):
    """Appends (attr path, SubGraph) for the sub-graphs among an attr value."""
    if isinstance(value, SubGraph):
        found.append((key, value))
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            _sub_graphs_of(v, "%s_%d" % (key, i), found)
    elif _object_classes().get(type(value).__name__) is type(value):
        for k, v in _object_fields(value).items():
            _sub_graphs_of(v, "%s_%s" % (key, k), found)


def _discover(graph, graph_keys, owners, used, order, ops=None):
    """Gives every sub-graph below `graph` a function name (depth first, creation order)."""
    for op in graph.get_operations() if ops is None else ops:
        found = []
        for key, value in op.attrs.items():
            _sub_graphs_of(value, key, found)
        for key, sub in found:
            if id(sub.graph) in graph_keys:
                continue
            graph_keys[id(sub.graph)] = _function_name(op, key, used)
            owners[id(sub.graph)] = sub
            order.append(sub)
            _discover(sub.graph, graph_keys, owners, used, order)


def _tensor_ref_name(t):
    return t.op.name if t.value_index == 0 else "%s:%d" % (t.op.name, t.value_index)


def _node_def(op, enc, clear_devices):
    nd = pb.node_def_pb2.NodeDef()
    nd.name, nd.op = op.name, op.type
    if not clear_devices and op.device:
        nd.device = op.device
    var = op.attrs.get("var")
    # input 0 is the variable itself, or in a loop/cond body its capture: then the inputs
    # already name it (and `var` stays an attr referring to the outer op)
    ref_input = op.type in _REF_FIRST and isinstance(var, Operation) and \
        not (op.inputs and (op.inputs[0].op is var or
                            op.graph._capture_map.get(id(var.outputs[0])) is op.inputs[0]))
    if ref_input:
        nd.input.append(var.name)
    nd.input.extend(_tensor_ref_name(t) for t in op.inputs)
    nd.input.extend("^" + c.name for c in op.control_inputs)
    tuples = []
    for key, value in op.attrs.items():
        if ref_input and key == "var":
            continue
        try:
            nd.attr[key].CopyFrom(enc.value(value, top=True))
        except _Unexportable as e:
            enc.unserializable.append((op, key, str(e)))
            nd.attr[key].func.name = "_unserializable"
            nd.attr[key].func.attr["type"].s = type(value).__name__.encode("utf-8")
            continue
        if isinstance(value, tuple) and nd.attr[key].WhichOneof("value") == "list":
            tuples.append(key)
    if ref_input:
        nd.attr["_ref_input"].b = True
    if getattr(op, "_gradient_override", None):  # gradient_override_map, under TF's attr name
        nd.attr["_gradient_op_type"].s = op._gradient_override.encode("utf-8")
    if tuples:
        nd.attr["_tuple_attrs"].list.s.extend(k.encode("utf-8") for k in tuples)
    added = []
    if "T" not in op.attrs and "dtype" not in op.attrs and (op.inputs or op.outputs):
        dt = (op.inputs or op.outputs)[0].dtype.base_dtype  # TF's usual type attr, for TF
        if datatype_enum(dt):
            nd.attr["T"].type = datatype_enum(dt)
            added.append("T")
    if added:
        nd.attr["_added_attrs"].list.s.extend(k.encode("utf-8") for k in added)
    shapes = nd.attr["_output_shapes"].list
    shapes.SetInParent()
    types = nd.attr["_output_types"].list
    types.SetInParent()
    for t in op.outputs:
        _set_shape(shapes.shape.add(), t.shape)
        types.type.append(datatype_enum(t.dtype))
    return nd


def graph_to_proto(graph=None, clear_devices=False, ops=None):
    """The GraphDef protocol buffer of `graph`, bodies as library functions (see module doc).

    Args:
      graph: a Graph (default: the default graph).
      clear_devices: leave out the ops' device strings.
      ops: optional list of the graph's ops to write (default: all).

    Returns:
      A `GraphDef` proto.
    """
    graph = (graph or _graph.get_default_graph()).root
    graph_keys, owners, order = {id(graph): ""}, {}, []
    _discover(graph, graph_keys, owners, set(), order, ops)
    enc = _Encoder(graph_keys, [])
    gd = pb.graph_pb2.GraphDef()
    gd.versions.producer = PRODUCER_VERSION
    for op in (graph.get_operations() if ops is None else ops):
        gd.node.add().CopyFrom(_node_def(op, enc, clear_devices))
    for sub in order:
        fd = gd.library.function.add()
        name = graph_keys[id(sub.graph)]
        fd.signature.name = name
        for i, t in enumerate(sub.inputs):
            arg = fd.signature.input_arg.add()
            arg.name, arg.type = "input_%d" % i, datatype_enum(t.dtype)
        for i, t in enumerate(sub.outputs):
            arg = fd.signature.output_arg.add()
            arg.name, arg.type = "output_%d" % i, datatype_enum(t.dtype)
            fd.ret[arg.name] = t.name
        for op in sub.graph.get_operations():
            fd.node_def.add().CopyFrom(_node_def(op, enc, clear_devices))
        outer = sub.graph.outer_graph
        fd.attr["_outer"].s = graph_keys[id(outer)].encode("utf-8")
        fd.attr["_name_prefix"].s = sub.graph._name_stack.encode("utf-8")
        extra = {"_" + k: v for k, v in vars(sub).items() if k != "graph"}
        extra["_captures"] = list(sub.captures)
        for key, value in extra.items():
            try:
                fd.attr[key].CopyFrom(enc.value(value))
            except _Unexportable as e:
                raise ValueError("Cannot export the body %s: its %s holds %s" % (name, key, e)) from None
    if enc.unserializable:
        warnings.warn("These op attrs cannot be written to a GraphDef and will not import: %s"
                      % ", ".join("%s.%s (%s)" % (op.name, k, why) for op, k, why in enc.unserializable))
    return gd


_drawing.register_serializer(lambda graph, ops: graph_to_proto(graph, ops=ops))


# -- import: GraphDef proto -> graph ----------------------------------------------------
class _Decoder:
    """AttrValue protos -> Python values, resolving references once all ops exist."""

    def __init__(self, lookup, subs):
        self.lookup = lookup  # (graph key, original name) -> Operation
        self.subs = subs      # function name -> SubGraph

    def _element(self, av, kind):
        key = av.func.attr["graph"].s.decode("utf-8")
        name = av.func.attr["name"].s.decode("utf-8")
        op_name, _, index = name.partition(":") if kind == "tensor" else (name, "", "")
        op = self.lookup(key, op_name)
        if kind == "operation":
            return op
        i = int(index or 0)
        if i >= len(op.outputs):
            raise ValueError("tensor %r does not exist: %s has %d outputs" % (name, op.name, len(op.outputs)))
        return op.outputs[i]

    def value(self, av, as_tuple=False):
        which = av.WhichOneof("value")
        if which is None:
            return None
        if which == "b":
            return bool(av.b)
        if which == "i":
            return int(av.i)
        if which == "f":
            return float(av.f)
        if which == "s":
            return av.s.decode("utf-8")
        if which == "type":
            return dtype_from_enum(av.type)
        if which == "shape":
            return _shape_from(av.shape)
        if which == "tensor":
            return tensor_from_proto(av.tensor)
        if which == "list":
            lv = av.list
            out = ([bool(x) for x in lv.b] or [int(x) for x in lv.i] or [float(x) for x in lv.f]
                   or [x.decode("utf-8") for x in lv.s] or [dtype_from_enum(x) for x in lv.type]
                   or [_shape_from(x) for x in lv.shape] or [tensor_from_proto(x) for x in lv.tensor])
            return tuple(out) if as_tuple else out
        if which == "placeholder":
            raise ValueError("attr placeholder %r is not bound" % av.placeholder)
        f = av.func
        name, attrs = f.name, f.attr
        if name == "_tensor":
            return self._element(av, "tensor")
        if name == "_operation":
            return self._element(av, "operation")
        if name in ("_list", "_tuple"):
            items = [self.value(attrs[str(i)]) for i in range(len(attrs))]
            return tuple(items) if name == "_tuple" else items
        if name == "_dict":
            n = len(attrs) // 2
            return {_hashable(self.value(attrs["k%d" % i])): self.value(attrs["v%d" % i]) for i in range(n)}
        if name == "_bytes":
            return bytes(attrs["v"].s)
        if name == "_scalar":
            return tensor_from_proto(attrs["v"].tensor)[()]
        if name == "_object":
            cls = _object_classes().get(attrs["_class"].s.decode("utf-8"))
            if cls is None:
                raise ValueError("unknown object class %r in an attr" % attrs["_class"].s)
            obj = cls.__new__(cls)
            for k, x in attrs.items():
                if k != "_class":
                    setattr(obj, k, self.value(x))
            return obj
        if name == "_unserializable":
            raise errors.UnimplementedError(None, None, "an attr of type %s was not written to the "
                                            "GraphDef and cannot be imported" % attrs["type"].s.decode())
        if name in self.subs:
            return self.subs[name]
        raise ValueError("the function %r is not in the GraphDef's library" % name)


def _hashable(v):
    return tuple(v) if isinstance(v, list) else v


def _n_inputs(op_type):
    """How many inputs the op's shape function takes (None if any number)."""
    params = list(inspect.signature(get_op_def(op_type).infer).parameters.values())[1:]
    if any(p.kind is p.VAR_POSITIONAL for p in params):
        return None
    return len(params)


def _topological(nodes, where):
    """The NodeDefs ordered so that each follows its inputs (given order where it already does).

    Raises:
      ValueError: the inputs form a cycle.
    """
    by_name = {nd.name: nd for nd in nodes}
    state, order = {}, []
    for first in nodes:
        stack = [(first, False)]
        while stack:
            nd, done = stack.pop()
            if done:
                state[nd.name] = 2
                order.append(nd)
                continue
            st = state.get(nd.name)
            if st == 2:
                continue
            if st == 1:
                raise ValueError("The GraphDef%s has a cycle through node '%s'"
                                 % (" function " + where if where else "", nd.name))
            state[nd.name] = 1
            stack.append((nd, True))
            for s in reversed(nd.input):
                dep = by_name.get(_split_input(s)[0])
                if dep is not None and state.get(dep.name) != 2:
                    stack.append((dep, False))
    return order


def _split_input(name):
    """("op", index, is_control) of a NodeDef input string."""
    if name.startswith("^"):
        return name[1:], 0, True
    op, sep, index = name.rpartition(":")
    if sep and index.isdigit():
        return op, int(index), False
    return name, 0, False


class _Import:
    """One all-or-nothing import of a GraphDef proto into `graph` (see import_graph_def)."""

    def __init__(self, graph, graph_def, prefix, input_map, clear_devices, uniquify):
        self.graph, self.gd, self.prefix = graph, graph_def, prefix
        # {("op", index): Tensor}; "x" means "x:0", as in TF
        self.input_map = {_split_input(k)[:2]: v for k, v in (input_map or {}).items()}
        self.clear_devices, self.uniquify = clear_devices, uniquify
        self.ops = {}        # (graph key, original name) -> new Operation
        self.subs = {}       # function name -> SubGraph
        self.created = []    # (Graph, Operation) in creation order, for the rollback
        self.node_of = {}    # id(Operation) -> (its NodeDef, written by TF?)

    # -- checks before anything changes ---------------------------------------------
    def check(self):
        known = registered_ops()
        fns = {f.signature.name: f for f in self.gd.library.function}
        for nd in self._all_nodes():
            op_type = self._type(nd)
            if op_type not in known:
                raise errors.NotFoundError(None, None, "Op type not registered '%s' in binary "
                                           "running in this process (node '%s'). Make sure the "
                                           "Op and Kernel are registered in the binary running "
                                           "in this process." % (nd.op, nd.name))
        for f in fns.values():
            outer = f.attr["_outer"].s.decode("utf-8") if "_outer" in f.attr else ""
            if outer and outer not in fns:
                raise ValueError("function %s: enclosing function %r missing" % (f.signature.name, outer))
        for nd in self._all_nodes():
            if not _graph._VALID_OP_NAME.match(nd.name):
                raise ValueError("Node '%s': Node name contains invalid characters" % nd.name)
        names = set()
        for nd in self.gd.node:
            if nd.name in names:
                raise ValueError("Node '%s' is not unique" % nd.name)
            names.add(nd.name)
        for op_name, index in self.input_map:
            if op_name not in names:
                raise ValueError("Attempted to map inputs that were not found in graph_def: [%s:%d]"
                                 % (op_name, index))
        self.fns = fns

    def _all_nodes(self):
        yield from self.gd.node
        for f in self.gd.library.function:
            yield from f.node_def

    @staticmethod
    def _type(nd):
        return nd.op if nd.op in registered_ops() or nd.op not in _TF_ALIASES else _TF_ALIASES[nd.op]

    # -- building -----------------------------------------------------------------
    def run(self):
        self.check()
        self._make_sub_graphs()
        self._create_nodes("", self.graph, self.gd.node)
        for name, f in self.fns.items():
            self._create_nodes(name, self.subs[name].graph, f.node_def)
        self._decode_attrs()
        self._fill_sub_graphs()

    def _new_name(self, name):
        full = self.prefix + name if self.prefix else name
        g = self.graph
        if self.uniquify and full in g._ops_by_name:
            base, i = full, 1
            while full in g._ops_by_name or full.lower() in g._names_in_use:
                full = "%s_%d" % (base, i)
                i += 1
        elif full in g._ops_by_name:
            raise ValueError("Cannot import node '%s': the graph already has an op of that name" % full)
        return full

    def _make_sub_graphs(self):
        pending = dict(self.fns)
        while pending:
            progressed = False
            for name, f in list(pending.items()):
                outer_key = f.attr["_outer"].s.decode("utf-8") if "_outer" in f.attr else ""
                if outer_key and outer_key not in self.subs:
                    continue
                outer = self.graph if not outer_key else self.subs[outer_key].graph
                prefix = f.attr["_name_prefix"].s.decode("utf-8") if "_name_prefix" in f.attr else ""
                sub = SubGraph.__new__(SubGraph)
                sub.graph = _graph.Graph(outer_graph=outer, name_prefix=self.prefix + prefix)
                sub.inputs, sub.outputs = [], []
                self.subs[name] = sub
                del pending[name]
                progressed = True
            if not progressed:
                raise ValueError("the library's functions enclose each other in a cycle")

    def _create_nodes(self, key, graph, nodes):
        by_name = {}
        dec = _Decoder(self._lookup, self.subs)
        for nd in _topological(nodes, key):
            op_type = self._type(nd)
            foreign = "_output_types" not in nd.attr  # written by TF, not tinygraph
            ref_input = op_type in _REF_FIRST and ("_ref_input" in nd.attr or
                                                   (foreign and _n_inputs(op_type) == len(nd.input) - 1))
            ref_kept = op_type in _REF_FIRST and foreign and _n_inputs(op_type) == len(nd.input)
            inputs, control = [], []
            for s in nd.input:
                op_name, index, is_control = _split_input(s)
                if key == "" and not is_control and (op_name, index) in self.input_map:
                    inputs.append(graph._own(_graph.convert_to_tensor(self.input_map[(op_name, index)])))
                    continue
                src = by_name.get(op_name)
                if src is None:
                    raise ValueError("Node '%s': Unknown input node '%s'" % (nd.name, s))
                if is_control:
                    control.append(src)
                else:
                    if index >= len(src.outputs):
                        raise ValueError("Node '%s': input '%s' names output %d of an op with %d outputs"
                                         % (nd.name, s, index, len(src.outputs)))
                    inputs.append(src.outputs[index])
            attrs = {}
            if (ref_input or ref_kept) and not inputs:
                raise ValueError("Node '%s' (%s) has no variable input" % (nd.name, nd.op))
            if ref_input:
                attrs["var"] = inputs.pop(0).op
            elif ref_kept:
                attrs["var"] = inputs[0].op
            name = self._new_name(nd.name) if key == "" else (self.prefix + nd.name if self.prefix else nd.name)
            if foreign:
                for k, av in nd.attr.items():
                    if not k.startswith("_"):
                        attrs[k] = dec.value(av)
                try:
                    specs = get_op_def(op_type).infer(attrs, *[_graph.value_view(t) for t in inputs])
                except Exception as e:  # a node TF wrote that tinygraph's op cannot take
                    raise ValueError("Node '%s' (%s): %s: %s" % (nd.name, nd.op, type(e).__name__, e)) from None
                shapes = nd.attr["_output_shapes"].list.shape if "_output_shapes" in nd.attr else []
                if len(shapes) == len(specs):
                    specs = [(dt, sh.merge_with(_shape_from(p)) if sh.is_compatible_with(_shape_from(p)) else sh)
                             for (dt, sh), p in zip(specs, shapes)]
            else:
                types = nd.attr["_output_types"].list.type
                shapes = nd.attr["_output_shapes"].list.shape
                if len(types) != len(shapes):
                    raise ValueError("Node '%s': %d output types but %d shapes" % (nd.name, len(types), len(shapes)))
                specs = [(dtype_from_enum(t, " (node %s)" % nd.name), _shape_from(s)) for t, s in zip(types, shapes)]
            op = self._add_op(graph, op_type, name, inputs, attrs, specs, control,
                              "" if self.clear_devices else nd.device)
            if "_gradient_op_type" in nd.attr:
                op._gradient_override = nd.attr["_gradient_op_type"].s.decode("utf-8")
            self.node_of[id(op)] = (nd, foreign)
            by_name[nd.name] = op
            self.ops[(key, nd.name)] = op

    def _add_op(self, graph, op_type, name, inputs, attrs, specs, control, device):
        if graph._finalized:
            raise RuntimeError("Graph is finalized and cannot be modified.")
        op = _graph.Operation(graph, op_type, name, inputs, attrs, specs, control, device)
        op._gradient_override = None
        graph._ops.append(op)
        graph._ops_by_name[name] = op
        key = name.lower()
        graph._names_in_use[key] = max(graph._names_in_use.get(key, 0), 1)
        self.created.append((graph, op))
        return op

    def _lookup(self, key, name):
        op = self.ops.get((key, name))
        if op is None:
            raise ValueError("the GraphDef refers to %r%s, which it does not define"
                             % (name, " in function %s" % key if key else ""))
        return op

    def _decode_attrs(self):
        dec = _Decoder(self._lookup, self.subs)
        for _, op in self.created:
            nd, foreign = self.node_of[id(op)]
            if foreign:
                continue
            tuples = {s.decode("utf-8") for s in nd.attr["_tuple_attrs"].list.s} if "_tuple_attrs" in nd.attr else set()
            added = {s.decode("utf-8") for s in nd.attr["_added_attrs"].list.s} if "_added_attrs" in nd.attr else set()
            for k, av in nd.attr.items():
                if k in ("_output_shapes", "_output_types", "_tuple_attrs", "_added_attrs", "_ref_input",
                         "_gradient_op_type") \
                        or k in added:
                    continue
                op.attrs[k] = dec.value(av, as_tuple=k in tuples)

    def _fill_sub_graphs(self):
        dec = _Decoder(self._lookup, self.subs)
        for name, f in self.fns.items():
            sub = self.subs[name]
            for k, av in f.attr.items():
                if k in ("_outer", "_name_prefix"):
                    continue
                if k == "_captures":
                    sub.graph.captures.extend(dec.value(av))
                else:
                    setattr(sub, k[1:], dec.value(av))
        for sub in self.subs.values():  # capture maps, once every body's captures are known
            g = sub.graph
            for outer_t, inner in g.captures:
                src = outer_t
                g._capture_map[id(src)] = inner
                while src.graph.outer_graph is not None:  # the tensors it stands for further out
                    back = [o for o, i in src.graph.captures if i is src]
                    if not back:
                        break
                    src = back[0]
                    g._capture_map[id(src)] = inner

    def rollback(self):
        for graph, op in reversed(self.created):
            if graph._ops and graph._ops[-1] is op:
                graph._ops.pop()
            elif op in graph._ops:
                graph._ops.remove(op)
            graph._ops_by_name.pop(op.name, None)
            for t in op.inputs:
                if op in t._consumers:
                    t._consumers.remove(op)


class _GraphState:
    """What an import may change in the root graph, to put back if it fails."""

    def __init__(self, graph):
        self.graph = graph
        self.n_ops = len(graph._ops)
        self.names = dict(graph._names_in_use)
        self.collections = {k: list(v) for k, v in graph._collections.items()}

    def restore(self):
        g = self.graph
        for op in g._ops[self.n_ops:]:
            g._ops_by_name.pop(op.name, None)
            for t in op.inputs:
                if op in t._consumers:
                    t._consumers.remove(op)
        del g._ops[self.n_ops:]
        g._names_in_use.clear()
        g._names_in_use.update(self.names)
        g._collections.clear()
        g._collections.update(self.collections)


def _import_into(graph, graph_def, prefix, input_map, clear_devices, uniquify):
    imp = _Import(graph, graph_def, prefix, input_map, clear_devices, uniquify)
    try:
        imp.run()
    except BaseException:
        imp.rollback()
        raise
    return imp


def _graph_def_proto(graph_def):
    if isinstance(graph_def, _drawing.GraphDef):
        if graph_def.source is None:
            raise TypeError("this GraphDef was not made by Graph.as_graph_def()")
        graph, ops = graph_def.source
        return graph_to_proto(graph, ops=ops)
    if isinstance(graph_def, pb.graph_pb2.GraphDef):
        return graph_def
    if hasattr(graph_def, "SerializeToString") and type(graph_def).__name__ == "GraphDef":
        return pb.graph_pb2.GraphDef.FromString(graph_def.SerializeToString())  # another GraphDef class
    raise TypeError("graph_def must be a GraphDef proto: %s" % type(graph_def).__name__)


def import_graph_def(graph_def, input_map=None, return_elements=None, name=None, op_dict=None,
                     producer_op_list=None):
    """Imports the graph from `graph_def` into the default graph (tf.import_graph_def).

    All of it or nothing: if any node cannot be imported the default graph is unchanged.

    Args:
      graph_def: a `GraphDef` proto (or what `Graph.as_graph_def()` returns).
      input_map: {tensor name in graph_def: Tensor} replacing those tensors' uses.
      return_elements: names of ops or tensors ("op", "op:0") in graph_def to return.
      name: prefix of the imported names (default "import", made unique); "" for none,
        in which case names already in the graph are made unique ("x" -> "x_1"), as TF does.
      op_dict, producer_op_list: accepted for TF compatibility.

    Returns:
      The imported Operations/Tensors of `return_elements`, or None.

    Raises:
      TypeError: graph_def is not a GraphDef.
      ValueError: graph_def is inconsistent, a key of input_map or a return element
        names no node of it.
      NotFoundError: a node's op type is not registered.
    """
    gd = _graph_def_proto(graph_def)
    graph = _graph.get_default_graph()
    for el in return_elements or ():
        op_name, _, _ = _split_input(el)
        if not any(n.name == op_name for n in gd.node):
            raise ValueError("Requested return %s '%s' not found in graph def"
                             % ("tensor" if ":" in el else "node", el))
    state = _GraphState(graph)
    with graph.name_scope(None if name == "" else (name or "import")) as scope:
        prefix = scope
    try:
        imp = _import_into(graph, gd, prefix, input_map, False, uniquify=not prefix)
    except BaseException:
        state.restore()
        raise
    if return_elements is None:
        return None
    out = []
    for el in return_elements:
        op_name, index, _ = _split_input(el)
        op = imp.ops[("", op_name)]
        out.append(op.outputs[index] if ":" in el else op)
    return out


# -- variables and savers in collections ----------------------------------------------------
def variable_to_proto(v, export_scope=None):
    """The `VariableDef` proto of a Variable (names of its ops and tensors)."""
    vd = pb.variable_pb2.VariableDef()
    vd.variable_name = v.name
    vd.initializer_name = v.initializer.name
    vd.snapshot_name = v.value().name
    vd.initial_value_name = v.initial_value.name
    vd.trainable = v.trainable
    return vd


def variable_from_proto(vd, graph=None, import_scope=None):
    """A Variable of `graph` rebuilt from the ops a `VariableDef` names (tf.Variable(variable_def=)).

    Raises:
      ValueError: the graph lacks one of the named ops.
    """
    graph = graph or _graph.get_default_graph()
    scope = (import_scope + "/") if import_scope else ""

    def el(name):
        return graph.as_graph_element(scope + name) if name else None
    v = _variables.Variable.__new__(_variables.Variable)
    v._variable_op = el(vd.variable_name).op
    v._initializer_op = el(vd.initializer_name)
    v._snapshot = el(vd.snapshot_name)
    v._initial_value = el(vd.initial_value_name) if vd.initial_value_name else \
        v._initializer_op.inputs[-1]
    v._trainable = bool(vd.trainable)
    v.constraint = None
    return v


def variable_from_graph(var_op):
    """A Variable object for a VariableV2 op that no collection holds (e.g. renamed on import)."""
    graph = var_op.graph
    v = _variables.Variable.__new__(_variables.Variable)
    v._variable_op = var_op
    reads = [c for c in var_op.outputs[0].consumers() if c.type == "Identity"]
    v._snapshot = reads[0].outputs[0] if reads else var_op.outputs[0]
    inits = [op for op in graph.get_operations() if op.type == "Assign" and
             (op.attrs.get("var") is var_op or (len(op.inputs) > 1 and op.inputs[0].op is var_op))]
    v._initializer_op = inits[0] if inits else None
    v._initial_value = inits[0].inputs[-1] if inits else None
    v._trainable = False
    v.constraint = None
    return v


def _collection_def(key, items, graph, var_protos):
    """The CollectionDef of a collection, or None (with a warning) if TF could not write it."""
    cd = pb.meta_graph_pb2.CollectionDef()
    if not items:
        return None
    try:
        if all(isinstance(x, _variables.Variable) for x in items):
            for v in items:
                cd.bytes_list.value.append(var_protos.setdefault(id(v), variable_to_proto(v).SerializeToString()))
        elif key == GraphKeys.SAVERS and all(hasattr(x, "as_saver_def") for x in items):
            cd.bytes_list.value.extend(x.as_saver_def().SerializeToString() for x in items)
        elif all(isinstance(x, (Tensor, Operation, _variables.Variable)) for x in items):
            for x in items:
                if x.graph is not graph:
                    raise ValueError("%s is not an element of the graph exported" % x.name)
                cd.node_list.value.append(x.name)
        elif all(isinstance(x, bool) for x in items) or not all(type(x) is type(items[0]) for x in items):
            raise TypeError("items of mixed or unsupported types")
        elif isinstance(items[0], int):
            cd.int64_list.value.extend(items)
        elif isinstance(items[0], float):
            cd.float_list.value.extend(items)
        elif isinstance(items[0], (str, bytes)):
            cd.bytes_list.value.extend(x.encode("utf-8") if isinstance(x, str) else x for x in items)
        else:
            raise TypeError("unsupported item type %s" % type(items[0]).__name__)
    except (TypeError, ValueError, AttributeError) as e:
        warnings.warn("Issue encountered when serializing %s: %s. Type is unsupported, or the types "
                      "of the items don't match field type in CollectionDef." % (key, e))
        return None
    return cd


def export_meta_graph(filename=None, meta_info_def=None, graph_def=None, saver_def=None,
                      collection_list=None, as_text=False, graph=None, export_scope=None,
                      clear_devices=False, clear_extraneous_savers=False, strip_default_attrs=False,
                      save_debug_info=False, **kwargs):
    """The MetaGraphDef of a graph, also written to `filename` if given (tf.train.export_meta_graph).

    Args:
      filename: optional path of the file to write.
      meta_info_def: optional `MetaInfoDef` proto.
      graph_def: optional GraphDef proto to use instead of the graph's.
      saver_def: optional `SaverDef` proto.
      collection_list: the collection keys to write (default all).
      as_text: write the text format instead of binary.
      graph: the Graph (default: the default graph).
      clear_devices: leave out device strings.
      export_scope, clear_extraneous_savers, strip_default_attrs, save_debug_info:
        accepted for TF compatibility (export_scope must be None).

    Returns:
      A `MetaGraphDef` proto.

    Raises:
      ValueError: export_scope is given.
    """
    if export_scope:
        raise ValueError("export_scope is not supported by tinygraph")
    graph = (graph or _graph.get_default_graph()).root
    mg = pb.meta_graph_pb2.MetaGraphDef()
    if meta_info_def is not None:
        mg.meta_info_def.CopyFrom(meta_info_def)
    mg.meta_info_def.function_aliases[_MARKER] = "MetaGraphDef"
    mg.graph_def.CopyFrom(_graph_def_proto(graph_def) if graph_def is not None else
                          graph_to_proto(graph, clear_devices=clear_devices))
    if saver_def is not None:
        mg.saver_def.CopyFrom(saver_def)
    var_protos = {}
    for key in (collection_list if collection_list is not None else graph.get_all_collection_keys()):
        if not isinstance(key, str):
            continue
        cd = _collection_def(key, graph.get_collection(key), graph, var_protos)
        if cd is not None:
            mg.collection_def[key].CopyFrom(cd)
    if filename:
        write_meta_graph_file(mg, filename, as_text)
    return mg


def _varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _tail(body):
    return (_varint(_LENGTH_FIELD << 3) + _varint(len(body)) + _varint(_CRC_FIELD << 3 | 5)
            + zlib.crc32(body).to_bytes(4, "little"))


def _tail_state(data):
    """None if binary `data` has no closing length and CRC; else whether they match."""
    head, crc_tag = _varint(_LENGTH_FIELD << 3), _varint(_CRC_FIELD << 3 | 5)
    for body_len in range(max(0, len(data) - 32), len(data)):
        rest = data[body_len:]
        if rest.startswith(head + _varint(body_len) + crc_tag) and \
                len(rest) == len(head) + len(_varint(body_len)) + len(crc_tag) + 4:
            return rest == _tail(data[:body_len])
    return None


def _text_closing(body):
    return b"# end of MetaGraphDef: %d bytes, crc32 %d\n" % (len(body), zlib.crc32(body))


def write_meta_graph_file(meta_graph_def, filename, as_text=False):
    """Writes a MetaGraphDef to `filename` (binary, closed by a length record, or text)."""
    if as_text:
        data = pb.text_format.MessageToString(meta_graph_def).encode("utf-8")
        data += _text_closing(data)
    else:
        data = meta_graph_def.SerializeToString()
        data += _tail(data)
    directory = os.path.dirname(filename)
    if directory:
        os.makedirs(directory, exist_ok=True)
    tmp = filename + ".tmp%d" % os.getpid()
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, filename)


def read_meta_graph_file(filename):
    """The MetaGraphDef in `filename` (binary or text).

    Raises:
      NotFoundError: no such file.
      PermissionDeniedError: the file may not be read.
      FailedPreconditionError: the path is a directory.
      DataLossError: the file cannot be read or parsed, is truncated or corrupted.
    """
    try:
        with open(filename, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise errors.NotFoundError(None, None, "File does not exist. Received: %s." % filename) from None
    except PermissionError as e:
        raise errors.PermissionDeniedError(None, None, "Cannot read MetaGraph file %s: %s" % (filename, e)) from None
    except IsADirectoryError:
        raise errors.FailedPreconditionError(None, None, "%s is a directory, not a MetaGraph file"
                                             % filename) from None
    except OSError as e:
        raise errors.DataLossError(None, None, "Cannot read MetaGraph file %s: %s" % (filename, e)) from None
    tail = _tail_state(data)
    if tail is False:
        raise errors.DataLossError(None, None, "MetaGraph file %s is corrupted (its closing length "
                                   "and CRC-32 do not match its content)" % filename)
    mg = pb.meta_graph_pb2.MetaGraphDef()
    try:
        mg.ParseFromString(data)
        binary = True
    except Exception:  # protobuf's DecodeError and friends: try the text format
        binary = False
    if binary and (tail or _MARKER in mg.meta_info_def.function_aliases):
        if not tail:
            raise errors.DataLossError(None, None, "MetaGraph file %s is truncated (its closing "
                                       "length and CRC-32 are missing)" % filename)
        return mg
    if binary and len(mg.graph_def.node):
        return mg  # written by TensorFlow
    try:
        mg = pb.meta_graph_pb2.MetaGraphDef()
        pb.text_format.Merge(data.decode("utf-8"), mg)
    except Exception as e:  # text_format raises ParseError and others: all mean corrupt data
        raise errors.DataLossError(None, None, "Cannot parse MetaGraph file %s: it is neither a "
                                   "binary nor a text MetaGraphDef (%s: %s)"
                                   % (filename, type(e).__name__, str(e)[:200])) from None
    if _MARKER in mg.meta_info_def.function_aliases:
        m = re.search(rb"# end of MetaGraphDef: \d+ bytes, crc32 \d+\n?$", data)
        if not m or data[m.start():].rstrip(b"\n") != _text_closing(data[:m.start()]).rstrip(b"\n"):
            raise errors.DataLossError(None, None, "MetaGraph file %s is truncated (its closing "
                                       "line is missing or wrong)" % filename)
    elif not len(mg.graph_def.node):
        raise errors.DataLossError(None, None, "MetaGraph file %s holds no graph: it is corrupted "
                                   "or not a MetaGraphDef" % filename)
    return mg


def import_meta_graph_def(meta_graph_def, clear_devices=False, import_scope=None, input_map=None,
                          restore_collections_predicate=lambda key: True, saver_from_def=None):
    """Imports a MetaGraphDef's graph and collections into the default graph, all or nothing.

    Args:
      meta_graph_def: a MetaGraphDef proto.
      clear_devices: leave out the saved device strings.
      import_scope: optional name scope for the imported names (made unique).
      input_map: {saved tensor name: Tensor}.
      restore_collections_predicate: key -> whether to restore that collection.
      saver_from_def: fn(SaverDef proto, scope) adding a Saver for the `savers` collection.

    Returns:
      The scope the names were put under ("" for none).
    """
    graph = _graph.get_default_graph().root
    scope = graph.unique_name(import_scope or "", mark_as_used=False) if import_scope else ""
    state = _GraphState(graph)
    prefix = ""
    if import_scope:
        with graph.name_scope(import_scope) as s:
            prefix = s
    try:
        _import_into(graph, meta_graph_def.graph_def, prefix, input_map, clear_devices,
                     uniquify=not prefix)
        _restore_collections(graph, meta_graph_def, scope, restore_collections_predicate, saver_from_def)
    except BaseException:
        state.restore()
        raise
    return scope


def _restore_collections(graph, mg, scope, predicate, saver_from_def):
    prefix = scope + "/" if scope else ""
    keys = sorted(mg.collection_def)
    if GraphKeys.TRAINABLE_VARIABLES in keys:  # first, as TF does
        keys.remove(GraphKeys.TRAINABLE_VARIABLES)
        keys.insert(0, GraphKeys.TRAINABLE_VARIABLES)
    if GraphKeys.SAVERS in keys:  # last: a Saver needs the Variables it restores
        keys.remove(GraphKeys.SAVERS)
        keys.append(GraphKeys.SAVERS)
    rebuilt = {}
    for key in keys:
        if not predicate(key):
            continue
        cd = mg.collection_def[key]
        kind = cd.WhichOneof("kind")
        if kind is None:
            continue
        if kind == "node_list":
            for name in cd.node_list.value:
                graph.add_to_collection(key, graph.as_graph_element(prefix + name))
        elif kind == "int64_list":
            for x in cd.int64_list.value:
                graph.add_to_collection(key, int(x))
        elif kind == "float_list":
            for x in cd.float_list.value:
                graph.add_to_collection(key, float(x))
        elif kind == "bytes_list" and (key in _VARIABLE_KEYS or _looks_like_variable_defs(cd)):
            for raw in cd.bytes_list.value:
                v = rebuilt.get(raw)
                if v is None:
                    vd = pb.variable_pb2.VariableDef.FromString(raw)
                    v = rebuilt[raw] = variable_from_proto(vd, graph, scope or None)
                graph.add_to_collection(key, v)
        elif kind == "bytes_list" and key == GraphKeys.SAVERS and saver_from_def is not None:
            for raw in cd.bytes_list.value:
                sd = pb.saver_pb2.SaverDef.FromString(raw)
                saver_from_def(sd, scope)
        elif kind == "bytes_list":
            for x in cd.bytes_list.value:
                try:
                    graph.add_to_collection(key, prefix + x.decode("utf-8"))
                except UnicodeDecodeError:
                    graph.add_to_collection(key, x)


def _looks_like_variable_defs(cd):
    try:
        return all(pb.variable_pb2.VariableDef.FromString(raw).snapshot_name.endswith(":0")
                   for raw in cd.bytes_list.value) and len(cd.bytes_list.value) > 0
    except (pb.DecodeError, ValueError, RuntimeError):
        return False


def write_graph(graph_or_graph_def, logdir, name, as_text=True):
    """Writes a graph's GraphDef proto to `logdir/name` (tf.train.write_graph).

    Args:
      graph_or_graph_def: a Graph or a GraphDef.
      logdir: the directory (created if needed).
      name: the file name.
      as_text: write the text format (default) instead of binary.

    Returns:
      The path of the file written.
    """
    if isinstance(graph_or_graph_def, _graph.Graph):
        gd = graph_to_proto(graph_or_graph_def)
    else:
        gd = _graph_def_proto(graph_or_graph_def)
    os.makedirs(logdir, exist_ok=True)
    path = os.path.join(logdir, name)
    data = pb.text_format.MessageToString(gd).encode("utf-8") if as_text else gd.SerializeToString()
    with open(path, "wb") as f:
        f.write(data)
    return path
