"""User functions of `map`, `filter`, `flat_map` and `interleave`, traced once.

The function is called once, at graph-building time, on placeholders standing for
one element's components, inside a SubGraph (as while_loop bodies are). The dataset
op then takes the outer tensors the function captured as extra inputs, and runs the
sub-graph's Plan once per element.
"""
from ..executor import Plan
from ..framework import graph as _graph
from ..control_flow.subgraph import SubGraph
from . import structure


class TracedFunction:
    """A traced dataset function.

    Attributes:
      sub: the SubGraph (inputs: one placeholder per element component).
      result: the function's return value with tensors of the sub-graph (a nest).
      captured: the outer tensors it uses, in order (the dataset op's extra inputs).

    `graph`, `inputs` and `captures` are the sub-graph's, so graph tools (GraphDef
    export, TensorBoard) show the function's body as they show loop bodies.
    """

    def __init__(self, fn, specs, kind):
        outer = _graph.get_default_graph()
        self.sub = SubGraph(outer, outer.unique_name("Dataset_" + kind) + "/")
        g = self.sub.graph
        with g.as_default():
            flat = [self.sub.add_input(s.dtype, s.shape, "arg%d" % i)
                    for i, s in enumerate(structure.flatten(specs))]
            args = structure.pack(specs, flat)
            # TF unpacks a plain tuple into positional arguments; anything else is one.
            result = fn(*args) if type(args) is tuple else fn(args)
            if isinstance(result, list):  # a returned list is a tuple of components
                result = tuple(result)
            self.result = result
        self.captured = []

    @property
    def graph(self):
        return self.sub.graph

    @property
    def inputs(self):
        return self.sub.inputs

    @property
    def captures(self):
        return self.sub.captures

    def finish(self, leaves):
        """Records the flat output tensors (of this sub-graph) and returns the captures."""
        self.sub.outputs = [self.sub.graph._own(t) for t in leaves]
        self.captured = [outer for outer, _ in self.sub.captures]
        return self.captured

    def convert_result(self):
        """The result as a nest of sub-graph tensors (Python values become constants)."""
        g = self.sub.graph
        with g.as_default():
            return structure.normalize(self.result, lambda v: g._own(_graph.convert_to_tensor(v)))

    def bind(self, ctx):
        """fn(flat element arrays, captured arrays) -> output arrays; compiled on first use."""
        sub = self.sub
        feeds = list(sub.inputs) + [inner for _, inner in sub.captures]
        cache = []

        def call(element, captured):
            if not cache:
                cache.append(Plan(sub.outputs, feeds, [], ctx))
            return cache[0].run(list(element) + list(captured))
        return call
