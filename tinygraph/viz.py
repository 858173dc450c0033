"""Graph drawings: a graph (or the part some fetches need) as Graphviz DOT, SVG or PNG.

    from tinygraph import viz
    dot = viz.to_dot(tf.get_default_graph(), fetches=[loss])   # a DOT string
    viz.render(dot, "model.svg")                               # needs Graphviz's `dot`

Name scopes become nested boxes (DOT clusters), a loop's body is drawn inside the
box of its While op, and every gradient scope (`gradients/...`, also inside loop
bodies) is collapsed to one node by default, so the forward model stays readable;
pass `collapse_gradients=False` to see the gradient graph op by op.
"""
import re
import shutil
import subprocess

from .executor import prune
from .framework.graph import Operation, get_default_graph
from .framework.graph_def import _sub_graphs

__all__ = ["to_dot", "render", "dot_available"]

_GRADIENT_SCOPE = re.compile(r"^gradients(_\d+)?$")
_STYLE = {  # op type -> node attributes
    "VariableV2": 'shape=box, style="rounded,filled", fillcolor="#cfe2f3"',
    "Placeholder": 'shape=box, style=filled, fillcolor="#fff2cc"',
    "While": 'shape=box, style="filled,bold", fillcolor="#f4cccc"',
    "WhileGrad": 'shape=box, style="filled,bold", fillcolor="#f4cccc"',
    "Const": 'shape=plaintext, fontcolor="#777777"',
}
_DEFAULT_STYLE = 'shape=ellipse, style=filled, fillcolor="#f3f3f3"'
_COLLAPSED_STYLE = 'shape=folder, style=filled, fillcolor="#d9ead3"'


def _quote(s):
    return '"%s"' % s.replace("\\", "\\\\").replace('"', '\\"')


def _shape_label(shape):
    if shape.dims is None:
        return "?"
    return "\u00d7".join("?" if d is None else str(d) for d in shape.dims) or "scalar"


def _collapsed_prefix(name, collapse):
    """The prefix of `name` that is drawn as one node, or None."""
    parts = name.split("/")
    for i in range(len(parts)):
        prefix = "/".join(parts[:i + 1])
        if i < len(parts) - 1 and (prefix in collapse or
                                   (None in collapse and _GRADIENT_SCOPE.match(parts[i]))):
            return prefix
    return None


def _needed_nodes(graph, fetches, nodes):
    """Names of the nodes needed for `fetches` (loop bodies of needed loops included)."""
    tensors, targets = [], []
    for f in fetches:
        el = graph.as_graph_element(f, allow_tensor=True, allow_operation=True)
        (targets if isinstance(el, Operation) else tensors).append(el)
    kept_ops = prune(tensors, targets, set())
    keep = {op.name for op in kept_ops}
    stack = list(kept_ops)
    while stack:  # loop and cond bodies: the ops their outputs need, or all if differentiated
        op = stack.pop()
        differentiated = any(o.attrs.get("forward") is op for t in op.outputs for o in t.consumers()
                             if o.name in keep)
        for sub in _sub_graphs(op):
            body_ops = sub.graph.get_operations() if differentiated else prune(sub.outputs, [], set())
            for b in body_ops:
                keep.add(b.name)
                stack.append(b)
    # as_graph_def renames capture placeholders; keep those feeding kept body ops
    for n in nodes:
        if n.sub_graph and n.sub_graph in keep and n.op == "Placeholder" and "/capture/" in n.name:
            keep.add(n.name)
    return keep


def to_dot(graph=None, fetches=None, collapse_gradients=True, collapse=(), hide_constants=True,
           show_shapes=True, rankdir="BT", title=None):
    """The graph as Graphviz DOT text.

    Args:
      graph: a Graph (default: the default graph).
      fetches: optional Tensors/Operations/Variables (or names): draw only the ops
        they need, as `Session.run` would prune them.
      collapse_gradients: draw each gradient scope ("gradients", "gradients_1", also
        inside loop bodies) as one node.
      collapse: further name scopes (e.g. ["Adam"]) to draw as one node each.
      hide_constants: leave out Const ops (their values are not drawn anyway).
      show_shapes: label edges with the static shape of the tensor they carry.
      rankdir: Graphviz direction: "BT" (inputs at the bottom, as TensorBoard), "LR", ...
      title: optional caption.

    Returns:
      A string in the DOT language (render it with `render` or the `dot` program).
    """
    graph = graph if graph is not None else get_default_graph()
    if fetches is not None and not isinstance(fetches, (list, tuple)):
        fetches = [fetches]
    gdef = graph.as_graph_def()
    nodes = gdef.node
    keep = _needed_nodes(graph, fetches, nodes) if fetches is not None else None
    collapse_set = set(collapse) | ({None} if collapse_gradients else set())
    by_name = {n.name: n for n in nodes}

    node_id, members = {}, {}  # node name -> DOT id;  collapsed prefix -> member count
    drawn = []
    for n in nodes:
        if keep is not None and n.name not in keep:
            continue
        if hide_constants and n.op == "Const":
            continue
        prefix = _collapsed_prefix(n.name, collapse_set)
        if prefix is not None:
            node_id[n.name] = prefix
            members[prefix] = members.get(prefix, 0) + 1
            continue
        node_id[n.name] = n.name
        drawn.append(n)

    # the scope tree: scope -> (child scopes, node lines)
    tree = {"": [set(), []]}

    def scope_entry(scope):
        if scope not in tree:
            tree[scope] = [set(), []]
            parent = scope.rsplit("/", 1)[0] if "/" in scope else ""
            scope_entry(parent)[0].add(scope)
        return tree[scope]

    def home(name):
        # A node also named like a scope ("rnn/while" with "rnn/while/...") sits inside it.
        if name in scopes_with_children:
            return name
        return name.rsplit("/", 1)[0] if "/" in name else ""

    scopes_with_children = set()
    for name in list(node_id.values()):
        parts = name.split("/")
        for i in range(1, len(parts)):
            scopes_with_children.add("/".join(parts[:i]))

    for n in drawn:
        label = n.name.rsplit("/", 1)[-1]
        if n.op not in ("VariableV2", "Placeholder") or label == n.op:
            label = "%s\\n%s" % (label, n.op) if label != n.op else n.op
        scope_entry(home(n.name))[1].append(
            "%s [label=%s, %s];" % (_quote(n.name), _quote(label).replace("\\\\n", "\\n"),
                                    _STYLE.get(n.op, _DEFAULT_STYLE)))
    for prefix, count in members.items():
        label = "%s\\n(%d ops)" % (prefix.rsplit("/", 1)[-1], count)
        scope_entry(home(prefix))[1].append(
            "%s [label=%s, %s];" % (_quote(prefix), _quote(label).replace("\\\\n", "\\n"), _COLLAPSED_STYLE))

    edges, seen = [], set()
    for n in nodes:
        dst = node_id.get(n.name)
        if dst is None:
            continue
        for inp in n.input:
            control = inp.startswith("^")
            src_name = inp.lstrip("^").split(":")[0]
            index = int(inp.split(":")[1]) if ":" in inp and not control else 0
            src = node_id.get(src_name)
            if src is None or src == dst or (src, dst, control) in seen:
                continue
            seen.add((src, dst, control))
            attrs = []
            if control:
                attrs.append('style=dashed, color="#999999"')
            elif show_shapes:
                shapes = by_name[src_name].output_shapes
                if index < len(shapes):
                    attrs.append("label=%s" % _quote(_shape_label(shapes[index])))
            edges.append("%s -> %s%s;" % (_quote(src), _quote(dst),
                                          " [%s]" % ", ".join(attrs) if attrs else ""))

    lines = ["digraph G {",
             '  graph [rankdir=%s, newrank=true, fontname="Helvetica", fontsize=11%s];'
             % (rankdir, ", label=%s, labelloc=t" % _quote(title) if title else ""),
             '  node [fontname="Helvetica", fontsize=10];',
             '  edge [fontname="Helvetica", fontsize=8, color="#555555"];']

    def emit(scope, depth):
        children, node_lines = tree[scope]
        pad = "  " * depth
        for line in node_lines:
            lines.append(pad + line)
        for child in sorted(children):
            label = child.rsplit("/", 1)[-1]
            while not tree[child][1] and len(tree[child][0]) == 1:  # fold a chain of scopes
                child = next(iter(tree[child][0]))
                label += "/" + child.rsplit("/", 1)[-1]
            lines.append("%ssubgraph %s {" % (pad, _quote("cluster_" + child)))
            lines.append('%s  label=%s; style="rounded"; color="#aaaaaa";' % (pad, _quote(label)))
            emit(child, depth + 1)
            lines.append(pad + "}")

    emit("", 1)
    lines += ["  " + e for e in edges]
    lines.append("}")
    return "\n".join(lines) + "\n"


def dot_available():
    """True if Graphviz's `dot` program is on the PATH."""
    return shutil.which("dot") is not None


def render(dot_source, path, format=None, timeout=60):  # noqa: A002 - Graphviz's word
    """Renders DOT text to an image file with Graphviz's `dot` program.

    Args:
      dot_source: DOT text (from `to_dot`).
      path: the output file; its extension picks the format unless `format` is given.
      format: "svg", "png", "pdf", ... (Graphviz's -T argument).
      timeout: seconds to wait for `dot`.

    Returns:
      `path`.

    Raises:
      RuntimeError: Graphviz is not installed, or `dot` failed (its message included).
    """
    exe = shutil.which("dot")
    if exe is None:
        raise RuntimeError("Graphviz's `dot` program is not installed (e.g. apt-get install "
                           "graphviz); to_dot() output can still be saved and rendered elsewhere.")
    fmt = format or (path.rsplit(".", 1)[-1] if "." in path else "svg")
    proc = subprocess.run([exe, "-T" + fmt, "-o", path], input=dot_source.encode("utf-8"),
                          capture_output=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError("dot failed: %s" % proc.stderr.decode("utf-8", "replace").strip()[:500])
    return path
