"""Graph, Operation and Tensor: the static computation graph.

A Graph holds Operations in creation order. Because an op's inputs always exist
before the op, creation order is a topological order; the executor relies on it.

Sub-graphs (the bodies of while loops and conds) are Graphs with an `outer_graph`.
When an op in a sub-graph uses a tensor of an enclosing graph, the sub-graph
*captures* it: it makes a placeholder standing for the outer value and records
the pair in `captures`, so the loop op can take the outer tensor as an input.
"""
import contextlib
import re

from . import dtypes as _dtypes
from .graph_def import as_graph_def as _as_graph_def
from .registry import get_op_def
from .tensor_shape import TensorShape, as_shape  # noqa: F401 - TensorShape is re-exported


class Tensor:
    """A symbolic handle to one output of an Operation.

    Attributes:
      op: the Operation that produces it.
      value_index: which output of `op` it is.
      dtype: its DType.
      name: "op_name:value_index".
      graph: the Graph of `op`.
      shape: its static TensorShape (dims may be None).
    """

    # Keep numpy from treating tensors as arrays in `ndarray + tensor`.
    __array_priority__ = 100

    def __init__(self, op, value_index, dtype, shape):
        self.op = op
        self.value_index = value_index
        self.dtype = dtype
        self._shape = as_shape(shape)
        self._consumers = []

    @property
    def name(self):
        return "%s:%d" % (self.op.name, self.value_index)

    @property
    def graph(self):
        return self.op.graph

    @property
    def device(self):
        return self.op.device

    @property
    def shape(self):
        return self._shape

    def get_shape(self):
        """Returns the static TensorShape."""
        return self._shape

    def set_shape(self, shape):
        """Refines the static shape.

        Raises:
          ValueError: `shape` is incompatible with the current static shape.
        """
        self._shape = self._shape.merge_with(as_shape(shape))

    def consumers(self):
        """The Operations that take this tensor as an input."""
        return list(self._consumers)

    def eval(self, feed_dict=None, session=None):
        """Computes this tensor in `session` (default: the default session).

        Raises:
          ValueError: no session is given and none is the default.
        """
        return _session_for_eval(self.graph, session, "tensor").run(self, feed_dict=feed_dict)

    def __repr__(self):
        return "<tf.Tensor '%s' shape=%s dtype=%s>" % (self.name, self._shape, self.dtype.name)

    def __str__(self):
        return 'Tensor("%s", shape=%s, dtype=%s)' % (self.name, self._shape, self.dtype.name)

    def __hash__(self):
        return id(self)

    def __eq__(self, other):
        return self is other

    def __bool__(self):
        raise TypeError("Using a `tf.Tensor` as a Python `bool` is not allowed. "
                        "Use `if t is not None:` instead of `if t:` to test if a tensor is defined, "
                        "and use TensorFlow ops such as tf.cond to execute subgraphs "
                        "conditioned on the value of a tensor.")

    def __iter__(self):
        dims = self._shape.dims
        if dims is None or not dims or dims[0] is None:
            raise TypeError("Tensor objects are only iterable when the first dimension is known "
                            "(tensor %s has shape %s)." % (self.name, self._shape))
        for i in range(dims[0]):
            yield self[i]

    def __len__(self):
        dims = self._shape.dims
        if dims is None or not dims or dims[0] is None:
            raise TypeError("len is not well defined for tensor %s of shape %s" % (self.name, self._shape))
        return dims[0]


def value_view(t):
    """`t` as the ops reading it see it: a variable's reference (float32_ref) is read as
    its value type (float32), as TF dereferences ref inputs of ordinary ops."""
    if not t.dtype.is_ref_dtype:
        return t
    view = Tensor.__new__(Tensor)
    view.__dict__.update(t.__dict__)
    view.dtype = t.dtype.base_dtype
    return view


class Operation:
    """A node of the graph: an op type applied to input tensors.

    Attributes:
      type: the op type (a key of the op registry).
      name: the unique name within its graph.
      inputs: the input Tensors.
      control_inputs: Operations that must run before this one.
      outputs: the output Tensors.
      graph: the Graph it belongs to.
      device: the device string recorded by `tf.device` ("" if none).
      attrs: a dict of the op's attributes.
    """

    def __init__(self, graph, op_type, name, inputs, attrs, output_specs, control_inputs, device):
        self.graph = graph
        self.type = op_type
        self.name = name
        self.inputs = list(inputs)
        self.attrs = attrs
        self.control_inputs = list(control_inputs)
        self.device = device
        self._id = graph._next_id()
        self.outputs = [Tensor(self, i, dt, sh) for i, (dt, sh) in enumerate(output_specs)]
        self.op_def = get_op_def(op_type)
        for t in self.inputs:
            t._consumers.append(self)

    def get_attr(self, name):
        """Returns the attribute `name`.

        Raises:
          ValueError: the op has no such attribute.
        """
        if name not in self.attrs:
            raise ValueError("Operation '%s' has no attr named '%s'." % (self.name, name))
        return self.attrs[name]

    def values(self):
        return tuple(self.outputs)

    def run(self, feed_dict=None, session=None):
        """Runs this operation in `session` (default: the default session)."""
        _session_for_eval(self.graph, session, "operation").run(self, feed_dict=feed_dict)

    def _add_control_input(self, op):
        if op not in self.control_inputs:
            self.control_inputs.append(op)

    def __repr__(self):
        return "<tf.Operation '%s' type=%s>" % (self.name, self.type)


# Tensor-like objects (Variables, IndexedSlices, ...) register how they become Tensors.
_conversion_functions = []
_constant_factory = None


def register_tensor_conversion_function(base_type, conversion_func):
    """Makes `convert_to_tensor` accept instances of `base_type`.

    Args:
      base_type: a class (or a tuple of classes).
      conversion_func: fn(value, dtype=None, name=None) -> Tensor, or NotImplemented to
        leave the value to the next function (or to the constant conversion).
    """
    _conversion_functions.append((base_type, conversion_func))


def set_constant_factory(factory):
    """Installs fn(value, dtype, name) -> Tensor used for Python and numpy values."""
    global _constant_factory
    _constant_factory = factory


def convert_to_tensor(value, dtype=None, name=None, preferred_dtype=None):
    """Converts a Tensor, Variable, Python or numpy value to a Tensor.

    Args:
      value: the object to convert.
      dtype: if given, the required DType.
      name: name for a new constant.
      preferred_dtype: dtype to use for Python values when `dtype` is None.

    Raises:
      ValueError: `value` is a Tensor of another dtype than `dtype`.
      TypeError: `value` cannot be converted.
    """
    dtype = None if dtype is None else _dtypes.as_dtype(dtype).base_dtype
    if isinstance(value, Tensor):
        if dtype is not None and value.dtype.base_dtype != dtype:
            raise ValueError("Tensor conversion requested dtype %s for Tensor with dtype %s: %r"
                             % (dtype.name, value.dtype.name, value))
        return value
    for base, fn in _conversion_functions:
        if isinstance(value, base):
            result = fn(value, dtype=dtype, name=name)
            if result is not NotImplemented:  # NotImplemented: not this function's case
                return result
    if isinstance(value, Operation):
        raise TypeError("Can't convert Operation '%s' to Tensor (target dtype=%s, name=%s)"
                        % (value.name, dtype, name))
    if dtype is None and preferred_dtype is not None:
        try:
            return _constant_factory(value, _dtypes.as_dtype(preferred_dtype), name)
        except (TypeError, ValueError):
            pass
    return _constant_factory(value, dtype, name)


def is_tensor_like(value):
    """A Tensor or a registered tensor-like object (Variable, ...); lists never are, even
    though lists of tensors convert (autopacking)."""
    if isinstance(value, Tensor):
        return True
    return not isinstance(value, (list, tuple)) and \
        any(isinstance(value, b) for b, _ in _conversion_functions)


_VALID_OP_NAME = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\-/>]*$")
_VALID_SCOPE_NAME = re.compile(r"^[A-Za-z0-9_.\-/>]*$")


class Graph:
    """A TensorFlow computation, as a graph of Operations.

    Attributes:
      seed: the graph-level random seed (`tf.set_random_seed`), or None.
      outer_graph: the enclosing Graph for loop/cond bodies, else None.
      captures: for sub-graphs, a list of (outer Tensor, inner placeholder Tensor).
    """

    def __init__(self, outer_graph=None, name_prefix=""):
        self._ops = []
        self._ops_by_name = {}
        self._names_in_use = {}
        self._name_stack = name_prefix
        self._collections = {}
        self._control_dependencies_stack = []
        self._device_stack = []
        self._gradient_override_map = {}
        self._finalized = False
        self._id_counter = 0
        self.seed = None
        self.outer_graph = outer_graph
        self.captures = []
        self._capture_map = {}
        # variable scopes live on the outermost graph (see variable_scope.py)
        self._var_scope_state = None

    # -- identity -------------------------------------------------------------------
    @property
    def root(self):
        """The outermost graph (self unless this is a loop or cond body)."""
        g = self
        while g.outer_graph is not None:
            g = g.outer_graph
        return g

    def is_ancestor_of(self, other):
        g = other
        while g is not None:
            if g is self:
                return True
            g = g.outer_graph
        return False

    def _next_id(self):
        self._id_counter += 1
        return self._id_counter

    @property
    def finalized(self):
        return self._finalized

    def finalize(self):
        """Makes the graph read-only: adding an op raises RuntimeError."""
        self._finalized = True

    def _unsafe_unfinalize(self):
        self._finalized = False

    @property
    def graph_def_versions(self):
        return {"producer": 0}

    # -- default graph --------------------------------------------------------------
    @contextlib.contextmanager
    def as_default(self):
        """Context manager making this graph the default graph."""
        _default_graph_stack.append(self)
        try:
            yield self
        finally:
            _default_graph_stack.pop()

    # -- names -------------------------------------------------------------------
    def get_name_scope(self):
        return self._name_stack.rstrip("/")

    def unique_name(self, name, mark_as_used=True):
        """Returns `name` prefixed by the current name scope and made unique (`_1`, `_2`...)."""
        if self._name_stack:
            name = self._name_stack + name
        key = name.lower()
        i = self._names_in_use.get(key, 0)
        if mark_as_used:
            self._names_in_use[key] = i + 1
        if i > 0:
            base_key = key
            while key in self._names_in_use:
                key = "%s_%d" % (base_key, i)
                i += 1
            if mark_as_used:
                self._names_in_use[key] = 1
            name = "%s_%d" % (name, i - 1)
        return name

    @contextlib.contextmanager
    def name_scope(self, name):
        """Opens a name scope (see `tf.name_scope`). Yields the scope string ending in '/'."""
        old = self._name_stack
        if name is None or name == "":
            new = ""
        elif name.endswith("/"):
            if not _VALID_SCOPE_NAME.match(name):
                raise ValueError("'%s' is not a valid scope name" % name)
            new = name
        else:
            if not _VALID_SCOPE_NAME.match(name):
                raise ValueError("'%s' is not a valid scope name" % name)
            new = self.unique_name(name) + "/"
        self._name_stack = new
        try:
            yield new
        finally:
            self._name_stack = old

    # -- creating ops -------------------------------------------------------------
    def create_op(self, op_type, inputs, attrs=None, name=None, output_specs=None):
        """Adds an Operation of registered type `op_type` and returns it.

        Inputs from enclosing graphs are captured. Output dtypes and shapes come
        from the op's inference function unless `output_specs` is given.

        Raises:
          RuntimeError: the graph is finalized.
          ValueError: an input belongs to an unrelated graph.
        """
        if self._finalized:
            raise RuntimeError("Graph is finalized and cannot be modified.")
        attrs = {} if attrs is None else attrs
        inputs = [self._own(t) for t in inputs]
        opdef = get_op_def(op_type)
        if output_specs is None:
            # Reading a variable's reference gives its value type (float32_ref -> float32).
            output_specs = opdef.infer(attrs, *[value_view(t) for t in inputs])
            if op_type != "VariableV2":  # only a variable's own output is a reference
                output_specs = [(dt.base_dtype, sh) for dt, sh in output_specs]
        if name and name.endswith("/"):
            name = name[:-1]  # a scope name: use it exactly (TF's convention)
        else:
            name = self.unique_name(name or op_type)
        if not _VALID_OP_NAME.match(name):
            raise ValueError("'%s' is not a valid node name" % name)
        control = []
        for deps in self._control_dependencies_stack:
            for d in deps:
                if d.graph is self and d not in control:
                    control.append(d)
        device = "" if not self._device_stack or callable(self._device_stack[-1]) \
            else self._device_stack[-1]
        op = Operation(self, op_type, name, inputs, attrs, output_specs, control, device)
        if self._device_stack and any(callable(d) for d in self._device_stack):
            op.device = self._device_for(op)
        # gradient_override_map applies to the ops created inside it (as TF records it)
        op._gradient_override = self._gradient_override_map.get(op_type)
        self._ops.append(op)
        self._ops_by_name[name] = op
        return op

    def _own(self, t):
        """Returns `t` as a tensor of this graph, capturing it from an enclosing graph."""
        if t.graph is self:
            return t
        if t.graph.is_ancestor_of(self):
            return self.capture(t)
        raise ValueError("Tensor %s must be from the same graph as the op being created (graph %r)."
                         % (t, self))

    def capture(self, outer_tensor):
        """Returns the placeholder standing for `outer_tensor` in this sub-graph."""
        inner = self._capture_map.get(id(outer_tensor))
        if inner is not None:
            return inner
        source = outer_tensor
        if self.outer_graph is not outer_tensor.graph:
            source = self.outer_graph.capture(outer_tensor)
        saved_stack, saved_deps = self._name_stack, self._control_dependencies_stack
        self._name_stack, self._control_dependencies_stack = "", []
        try:
            op = self.create_op("Placeholder", [], {"dtype": source.dtype, "shape": source.shape},
                                name="capture/" + source.op.name.replace(":", "_"),
                                output_specs=[(source.dtype, source.shape)])
        finally:
            self._name_stack, self._control_dependencies_stack = saved_stack, saved_deps
        inner = op.outputs[0]
        self.captures.append((source, inner))
        self._capture_map[id(outer_tensor)] = inner
        self._capture_map[id(source)] = inner
        return inner

    # -- control dependencies and devices --------------------------------------------
    @contextlib.contextmanager
    def control_dependencies(self, control_inputs):
        """Ops created inside run after `control_inputs` (None clears the enclosing ones)."""
        if control_inputs is None:
            saved = self._control_dependencies_stack
            self._control_dependencies_stack = []
            try:
                yield
            finally:
                self._control_dependencies_stack = saved
            return
        ops = []
        for c in control_inputs:
            if hasattr(c, "_as_control_op"):
                c = c._as_control_op()
            elif hasattr(c, "_as_graph_element"):  # a Variable: depend on its op, as TF
                c = c._as_graph_element()
            if isinstance(c, Tensor):
                c = c.op
            if not isinstance(c, Operation):
                raise TypeError("Control input must be Operation or Tensor: %r" % (c,))
            ops.append(c)
        self._control_dependencies_stack.append(ops)
        try:
            yield
        finally:
            self._control_dependencies_stack.pop()

    def _device_for(self, op):
        """The device of a new op: each string in the device stack replaces the one before
        it, each function maps the op (holding the device so far) to its device, as TF."""
        device = ""
        for entry in self._device_stack:
            if callable(entry):
                op.device = device
                found = entry(op)
                device = "" if found is None else (
                    found.to_string() if hasattr(found, "to_string") else str(found))
            else:
                device = entry
        return device

    @contextlib.contextmanager
    def device(self, device_name_or_function):
        """Records a device on the ops created inside (placement is the backend's business).

        Args:
          device_name_or_function: a device string ("" or None: no device), or a function
            fn(op) -> device string (as replica_device_setter and multi-GPU code pass),
            called for every op created inside.
        """
        device_name = device_name_or_function
        self._device_stack.append(device_name if callable(device_name) else (device_name or ""))
        try:
            yield
        finally:
            self._device_stack.pop()

    @contextlib.contextmanager
    def gradient_override_map(self, op_type_map):
        """Makes ops of the given types use another type's registered gradient."""
        saved = dict(self._gradient_override_map)
        self._gradient_override_map.update(op_type_map)
        try:
            yield
        finally:
            self._gradient_override_map = saved


    def as_graph_def(self, from_version=None, add_shapes=False):
        """The graph as a GraphDef-like structure (see framework/graph_def.py).

        Args:
          from_version: accepted for TF compatibility.
          add_shapes: accepted for TF compatibility (shapes are always recorded).

        Returns:
          A `graph_def.GraphDef`: `.node` lists NodeDefs (name, op, input, device, attr),
          loop and cond bodies included; `.to_proto()` gives TensorBoard's GraphDef proto.
        """
        return _as_graph_def(self, add_shapes=add_shapes)

    # -- lookup ---------------------------------------------------------------------
    def get_operations(self):
        """The list of Operations, in creation order."""
        return list(self._ops)

    def get_operation_by_name(self, name):
        """Returns the Operation called `name`.

        Raises:
          KeyError: no such operation.
        """
        op = self._ops_by_name.get(name)
        if op is None:
            raise KeyError("The name '%s' refers to an Operation not in the graph." % name)
        return op

    def get_tensor_by_name(self, name):
        """Returns the Tensor called `name` ("op:index")."""
        return self.as_graph_element(name, allow_tensor=True, allow_operation=False)

    def as_graph_element(self, obj, allow_tensor=True, allow_operation=True):
        """Returns the Tensor or Operation that `obj` (an object or a name) stands for.

        Raises:
          ValueError: `obj` belongs to another graph, or names the wrong kind of element.
          KeyError: the name is not in the graph.
          TypeError: `obj` cannot be a graph element.
        """
        if hasattr(obj, "_as_graph_element"):
            obj = obj._as_graph_element()
        if isinstance(obj, str):
            if ":" in obj:
                if not allow_tensor:
                    raise ValueError("Name %s appears to refer to a Tensor, not a Operation." % obj)
                op_name, index = obj.rsplit(":", 1)
                try:
                    index = int(index)
                except ValueError:
                    raise ValueError("The name %r looks a like a Tensor name, but is not a valid one. "
                                     "Tensor names must be of the form \"<op_name>:<output_index>\"." % obj) from None
                op = self._ops_by_name.get(op_name)
                if op is None:
                    raise KeyError("The name %r refers to a Tensor which does not exist. The operation, "
                                   "%r, does not exist in the graph." % (obj, op_name))
                if index >= len(op.outputs):
                    raise KeyError("The name %r refers to a Tensor which does not exist. The operation, "
                                   "%r, exists but only has %d outputs." % (obj, op_name, len(op.outputs)))
                return op.outputs[index]
            op = self._ops_by_name.get(obj)
            if op is None:
                raise KeyError("The name %r refers to an Operation not in the graph." % obj)
            if not allow_operation:
                raise ValueError("The name %r refers to an Operation, not a Tensor. Tensor names must be "
                                 "of the form \"<op_name>:<output_index>\"." % obj)
            return op
        if isinstance(obj, Tensor) and allow_tensor:
            if obj.graph is not self:
                raise ValueError("Tensor %s is not an element of this graph." % obj)
            return obj
        if isinstance(obj, Operation) and allow_operation:
            if obj.graph is not self:
                raise ValueError("Operation %r is not an element of this graph." % obj)
            return obj
        raise TypeError("Can not convert a %s into a %s." % (type(obj).__name__,
                        "Tensor or Operation" if allow_tensor and allow_operation else
                        ("Tensor" if allow_tensor else "Operation")))

    # -- collections ------------------------------------------------------------------
    def add_to_collection(self, name, value):
        self._collections.setdefault(name, []).append(value)

    def add_to_collections(self, names, value):
        for n in ([names] if isinstance(names, str) else names):
            self.add_to_collection(n, value)

    def get_collection(self, name, scope=None):
        """A copy of collection `name`, filtered to items whose name starts with `scope`."""
        items = list(self._collections.get(name, []))
        if scope is None:
            return items
        pattern = re.compile(scope)
        return [i for i in items if hasattr(i, "name") and pattern.match(i.name)]

    def get_collection_ref(self, name):
        return self._collections.setdefault(name, [])

    def get_all_collection_keys(self):
        return list(self._collections)

    def clear_collection(self, name):
        self._collections.pop(name, None)

    def __repr__(self):
        kind = "sub-graph" if self.outer_graph is not None else "Graph"
        return "<tinygraph %s with %d ops at 0x%x>" % (kind, len(self._ops), id(self))


# -- the default graph ---------------------------------------------------------------
_global_default_graph = Graph()
_default_graph_stack = []


def get_default_graph():
    """Returns the innermost graph made default by `as_default`, else the global default."""
    if _default_graph_stack:
        return _default_graph_stack[-1]
    return _global_default_graph


def reset_default_graph():
    """Clears the default graph stack and makes a fresh global default graph.

    Raises:
      AssertionError: called inside a `with graph.as_default():` block.
    """
    global _global_default_graph
    if _default_graph_stack:
        raise AssertionError("Do not use tf.reset_default_graph() to clear nested graphs. "
                             "If you need a cleared graph, exit the nesting and create a new graph.")
    _global_default_graph = Graph()


# -- the default session ---------------------------------------------------------------
# Kept here, below the session layer, because Tensor.eval and Operation.run use it;
# session.py pushes and pops sessions on this stack.
_default_session_stack = []


def get_default_session():
    """The innermost session made default by `with sess:` / `sess.as_default()`, or None."""
    return _default_session_stack[-1] if _default_session_stack else None


def _session_for_eval(graph, session, what):
    if session is None:
        session = get_default_session()
        if session is None:
            if what == "tensor":
                raise ValueError("Cannot evaluate tensor using `eval()`: No default session is "
                                 "registered. Use `with sess.as_default()` or pass an explicit "
                                 "session to `eval(session=sess)`")
            raise ValueError("Cannot execute operation using `run()`: No default session is "
                             "registered. Use `with sess.as_default():` or pass an explicit "
                             "session to `run(session=sess)`")
    if session.graph is not graph:
        raise ValueError("Cannot use the given session to %s: the %s's graph is different from "
                         "the session's graph." % ("evaluate tensor" if what == "tensor" else
                                                   "execute operation", what))
    return session


def name_scope(name, default_name=None, values=None):
    """Context manager opening a name scope in the default graph (or the graph of `values`).

    Args:
      name: the scope name; None uses `default_name`. A name ending in '/' is reused as is.
      default_name: used when `name` is None.
      values: tensors whose graph is used.

    Yields:
      The scope string, ending in '/'.
    """
    n = name if name is not None else default_name
    graph = get_default_graph()
    for v in values or ():
        if isinstance(v, Tensor):
            graph = v.graph
            break
    if n is None and name is None and default_name is None:
        return graph.name_scope(None)
    return graph.name_scope(n)


def control_dependencies(control_inputs):
    """`tf.control_dependencies`: ops created inside run after `control_inputs`."""
    return get_default_graph().control_dependencies(control_inputs)


def device(device_name_or_function):
    """`tf.device`: records a device string, or a function op -> device string, on the ops
    created inside."""
    return get_default_graph().device(device_name_or_function)


def add_to_collection(name, value):
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names, value):
    get_default_graph().add_to_collections(names, value)


def get_collection(key, scope=None):
    return get_default_graph().root.get_collection(key, scope)


def get_collection_ref(key):
    return get_default_graph().root.get_collection_ref(key)


class GraphKeys:
    """Standard collection names."""
    GLOBAL_VARIABLES = "variables"
    LOCAL_VARIABLES = "local_variables"
    MODEL_VARIABLES = "model_variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    SUMMARIES = "summaries"
    QUEUE_RUNNERS = "queue_runners"
    TRAIN_OP = "train_op"
    UPDATE_OPS = "update_ops"
    LOSSES = "losses"
    REGULARIZATION_LOSSES = "regularization_losses"
    GLOBAL_STEP = "global_step"
    INIT_OP = "init_op"
    SAVERS = "savers"
    VARIABLES = GLOBAL_VARIABLES
    METRIC_VARIABLES = "metric_variables"
    LOCAL_INIT_OP = "local_init_op"
    READY_OP = "ready_op"
    READY_FOR_LOCAL_INIT_OP = "ready_for_local_init_op"
    SUMMARY_OP = "summary_op"


def op_output(op_type, inputs, attrs=None, name=None):
    """Creates an op of `op_type` in the default graph and returns its first output.

    This is how the op modules build their ops. Inputs are converted with
    `convert_to_tensor` (so IndexedSlices gradients arrive dense); `name` defaults to
    the op type, made unique.
    """
    tensors = [convert_to_tensor(x) for x in inputs]
    return get_default_graph().create_op(op_type, tensors, attrs, name).outputs[0]
