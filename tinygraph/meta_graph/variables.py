"""Variables and collections in a MetaGraphDef: `VariableDef` protos and `CollectionDef`s."""
import warnings

from ..framework import graph as _graph
from ..framework.graph import GraphKeys, Operation, Tensor
from ..ops import variables as _variables
from .protos import pb


_VARIABLE_KEYS = (GraphKeys.GLOBAL_VARIABLES, GraphKeys.TRAINABLE_VARIABLES,
                  GraphKeys.LOCAL_VARIABLES, GraphKeys.MODEL_VARIABLES, GraphKeys.GLOBAL_STEP,
                  "moving_average_variables", "metric_variables", "concatenated_variables")


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
