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

The modules, in layer order (each imports only those above it):

- `protos`: TF's proto modules (`pb`, `proto_class`), DataType numbers, TensorProtos.
- `attr_values`: attr values <-> AttrValue protos (`_Encoder`, `_Decoder`).
- `export`: graph -> GraphDef (`graph_to_proto`).
- `importer`: GraphDef -> graph (`import_graph_def`).
- `variables`: VariableDefs and CollectionDefs.
- `files`: `export_meta_graph`, `import_meta_graph_def`, `.meta` files, `write_graph`.
"""
from .protos import (PRODUCER_VERSION, PROTO_CLASSES, datatype_enum, dtype_from_enum,
                     make_tensor_proto, pb, proto_class, tensor_from_proto)
# The private names below are used by train/saver.py and tests/test_meta_graph.py.
from .attr_values import _Decoder, _Encoder
from .export import _discover, graph_to_proto
from .importer import _GraphState, import_graph_def
from .variables import variable_from_graph, variable_from_proto, variable_to_proto
from .files import (export_meta_graph, import_meta_graph_def, read_meta_graph_file,
                    write_graph, write_meta_graph_file)

__all__ = ["export_meta_graph", "import_meta_graph_def", "read_meta_graph_file", "import_graph_def",
           "write_graph", "graph_to_proto", "variable_to_proto", "variable_from_proto"]
