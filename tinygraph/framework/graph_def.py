"""Graph.as_graph_def(): the graph as a list of NodeDefs, as TF's GraphDef proto lists it.

Each node has TF's fields: `name`, `op` (the type), `input` ("x", "x:1" for a second
output, "^x" for a control input), `device` and `attr`. Loop and cond bodies are
sub-graphs here, not TF 1.x's Enter/Exit/Merge/Switch nodes: their ops are listed
too, under the loop's name scope, and each captured outer tensor becomes an input
of the body placeholder standing for it, so drawings show what flows into a loop.

`GraphDef.to_proto()` converts this drawing to TensorBoard's GraphDef proto, which is
what `tf.summary.FileWriter` writes. The faithful GraphDef, with loop and cond bodies as
library functions, that `tf.import_graph_def` and `tf.train.write_graph` read and write
is built by `tinygraph.meta_graph` (from the graph this drawing was made of).
"""
from ..backend import hostnp
from . import dtypes as _dtypes
from .tensor_shape import TensorShape

# TF's DataType enum values (tensorflow/core/framework/types.proto).
_DATATYPE_ENUM = {"float32": 1, "float64": 2, "int32": 3, "uint8": 4, "int16": 5, "int8": 6,
                  "string": 7, "int64": 9, "bool": 10, "float16": 19, "variant": 21}


def datatype_enum(dtype):
    """TF's DataType enum number of a DType (0, DT_INVALID, if unknown)."""
    return _DATATYPE_ENUM.get(dtype.base_dtype.name, 0)  # a GraphDef holds no ref types


class NodeDef:
    """One node of a GraphDef.

    Attributes:
      name, op, device: strings.
      input: input names ("op", "op:1", "^control_op").
      attr: dict of Python values (DType, TensorShape, int, float, bool, str, lists,
        numpy arrays for constants).
      sub_graph: the name of the loop/cond op whose body holds it ("" for the graph itself).
      output_shapes: the static TensorShape of each output.
    """

    def __init__(self, name, op, inputs, device="", attr=None, sub_graph="", output_shapes=()):
        self.name = name
        self.op = op
        self.input = list(inputs)
        self.device = device
        self.attr = dict(attr or {})
        self.sub_graph = sub_graph
        self.output_shapes = list(output_shapes)

    def __repr__(self):
        return "NodeDef(name=%r, op=%r, input=%r)" % (self.name, self.op, self.input)


class GraphDef:
    """The nodes of a graph, sub-graph bodies included (a GraphDef-like structure).

    Attributes:
      node: list of NodeDef in creation order (a body's nodes follow its loop op's).
      versions: {"producer": int}.
      source: (Graph, its ops when drawn) for `tf.import_graph_def` / `write_graph`, or None.
    """

    def __init__(self, nodes, versions=None, source=None):
        self.node = list(nodes)
        self.versions = dict(versions or {"producer": 27})
        self.source = source

    def to_proto(self, add_shapes=True):
        """This graph as TensorBoard's `GraphDef` protocol buffer.

        Args:
          add_shapes: add each node's `_output_shapes` attr (TensorBoard shows them on edges).

        """
        from tensorboard.compat.proto import graph_pb2
        proto = graph_pb2.GraphDef()
        proto.versions.producer = self.versions.get("producer", 27)
        for n in self.node:
            nd = proto.node.add()
            nd.name, nd.op, nd.device = n.name, n.op, n.device
            nd.input.extend(n.input)
            for key, value in n.attr.items():
                _set_attr(nd.attr[key], value)
            if add_shapes:
                for s in n.output_shapes:
                    _set_shape(nd.attr["_output_shapes"].list.shape.add(), s)
        return proto

    def SerializeToString(self):  # noqa: N802 - the proto method's name
        """The binary GraphDef proto that `tf.import_graph_def` reads back (as TF's).

        That is the faithful GraphDef of the graph drawn (bodies as library functions),
        built by the serializer tinygraph.meta_graph registers; without a source graph,
        this drawing's proto.
        """
        if self.source is not None and _serializer is not None:
            graph, ops = self.source
            return _serializer(graph, ops).SerializeToString()
        return self.to_proto().SerializeToString()

    def __repr__(self):
        return "<GraphDef %d nodes>" % len(self.node)


# fn(graph, ops) -> GraphDef proto; registered by tinygraph.meta_graph (a higher layer)
_serializer = None


def register_serializer(fn):
    """Installs the function that builds the faithful GraphDef proto of a graph."""
    global _serializer
    _serializer = fn


def _set_shape(proto, shape):
    shape = TensorShape(shape) if not isinstance(shape, TensorShape) else shape
    if shape.dims is None:
        proto.unknown_rank = True
        return
    for d in shape.dims:
        proto.dim.add().size = -1 if d is None else int(d)


def _set_attr(proto, value):
    """Fills an AttrValue proto from a Python value (others become their repr)."""
    if isinstance(value, _dtypes.DType):
        proto.type = datatype_enum(value)
    elif isinstance(value, TensorShape):
        _set_shape(proto.shape, value)
    elif isinstance(value, bool):
        proto.b = value
    elif isinstance(value, int):
        proto.i = value
    elif isinstance(value, float):
        proto.f = value
    elif isinstance(value, str):
        proto.s = value.encode("utf-8")
    elif isinstance(value, hostnp.ndarray):
        from tensorboard.util import tensor_util
        proto.tensor.CopyFrom(tensor_util.make_tensor_proto(value))
    elif isinstance(value, (list, tuple)) and all(isinstance(v, bool) for v in value) and value:
        proto.list.b.extend(value)
    elif isinstance(value, (list, tuple)) and all(isinstance(v, int) for v in value):
        proto.list.i.extend(value)
    elif isinstance(value, (list, tuple)) and all(isinstance(v, float) for v in value):
        proto.list.f.extend(value)
    else:
        proto.s = repr(value).encode("utf-8")


def _attr_value(value):
    """The attr as a plain value for a NodeDef, or None to leave it out (op refs, bodies)."""
    if isinstance(value, (_dtypes.DType, TensorShape, bool, int, float, str)):
        return value
    if isinstance(value, hostnp.ndarray):
        return value if value.size <= 16 else None  # small constants only, as TensorBoard shows
    if isinstance(value, (list, tuple)) and all(isinstance(v, (bool, int, float)) for v in value):
        return list(value)
    return None


def _tensor_name(t, rename):
    name = rename.get(t.op, t.op.name)
    return name if t.value_index == 0 else "%s:%d" % (name, t.value_index)


def _sub_graphs(op):
    """The sub-graph objects (loop and cond bodies) among `op`'s attrs."""
    found = []
    for value in op.attrs.values():
        for v in (value if isinstance(value, (list, tuple)) else [value]):
            if hasattr(v, "graph") and hasattr(v, "captures") and hasattr(v, "inputs"):
                found.append(v)
    return found


def as_graph_def(graph, add_shapes=False):
    """Builds the GraphDef of `graph` (see the module docstring).

    Args:
      graph: a Graph.
      add_shapes: accepted for TF compatibility (shapes are always recorded in
        `NodeDef.output_shapes`; `to_proto` writes them as `_output_shapes`).
    """
    nodes, rename, used, seen_graphs = [], {}, set(), set()

    def unique(name):
        base, i = name, 1
        while name in used:
            name = "%s_%d" % (base, i)
            i += 1
        used.add(name)
        return name

    def add_graph(g, owner, captures):
        for op in g.get_operations():
            name = op.name
            if owner is not None and not name.startswith(owner.name + "/"):
                # capture placeholders are named "capture/<outer op>": one flat box per loop
                name = owner.name + "/" + name.replace("/", "_").replace("capture_", "capture/", 1)
            rename[op] = unique(name)
        for op in g.get_operations():
            inputs = [_tensor_name(t, rename) for t in op.inputs]
            if op in captures:  # show the outer tensor flowing into the body
                inputs.append(_tensor_name(captures[op], rename))
            inputs += ["^" + rename.get(c, c.name) for c in op.control_inputs]
            attr = {}
            for key, value in op.attrs.items():
                v = _attr_value(value)
                if v is not None and not key.startswith("_"):
                    attr[key] = v
            if "T" not in attr and "dtype" not in attr and (op.inputs or op.outputs):
                attr["T"] = (op.inputs or op.outputs)[0].dtype  # TF's usual type attr
            nodes.append(NodeDef(rename[op], op.type, inputs, op.device or "", attr,
                                 owner.name if owner is not None else "",
                                 [t.shape for t in op.outputs]))
            for sub in _sub_graphs(op):
                if id(sub.graph) in seen_graphs:
                    continue
                seen_graphs.add(id(sub.graph))
                add_graph(sub.graph, op, {inner.op: outer for outer, inner in sub.captures})

    add_graph(graph, None, {})
    return GraphDef(nodes, source=(graph, graph.get_operations()))
