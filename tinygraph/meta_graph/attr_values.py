"""Op attr values <-> TF `AttrValue` protos: the encoder (export) and decoder (import).

Values an AttrValue has no field for are `func` AttrValues named with a leading "_"
(see the package docstring).
"""
from ..backend import hostnp as np
from ..control_flow.subgraph import Backward, SavedValues, SubGraph
from ..data.dataset_ops import Dataset
from ..data.functions import TracedFunction
from ..data.structure import Spec
from ..framework import dtypes, errors
from ..framework.graph import Operation, Tensor
from ..framework.tensor_shape import TensorShape
from .protos import (_set_shape, _shape_from, datatype_enum, dtype_from_enum, make_tensor_proto, pb,
                     tensor_from_proto)


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
