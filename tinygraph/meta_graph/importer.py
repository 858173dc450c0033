"""Import: a GraphDef proto -> ops of a tinygraph graph (`import_graph_def`), all or nothing."""
import inspect

from ..control_flow.subgraph import SubGraph
from ..framework import errors
from ..framework import graph as _graph
from ..framework.registry import get_op_def, registered_ops
from .attr_values import _Decoder
from .export import _REF_FIRST, _graph_def_proto
from .protos import _shape_from, dtype_from_enum


# TF op types tinygraph registers under another name (graphs written by TF).
_TF_ALIASES = {"AddV2": "Add"}


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
