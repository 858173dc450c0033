"""Export: a tinygraph graph -> a GraphDef proto (`graph_to_proto`), bodies as library functions."""
import re
import warnings

from ..control_flow.subgraph import SubGraph
from ..framework import graph_def as _drawing
from ..framework import graph as _graph
from ..framework.graph import Operation
from .attr_values import _Encoder, _object_classes, _object_fields, _Unexportable
from .protos import PRODUCER_VERSION, _set_shape, datatype_enum, pb


# Ops whose first TF input is the variable (`ref`); tinygraph keeps it in attr `var`.
_REF_FIRST = ("Assign", "AssignAdd", "AssignSub")


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
