"""Variables: graph handles to state that lives in each Session.

A `tf.Variable` named "Wx" adds three ops, as TF 1.x does:
  Wx          (VariableV2)  its value in the running session; output dtype float32_ref
  Wx/Assign   (Assign)      the initializer: inputs [Wx:0, initial_value]
  Wx/read     (Identity)    the snapshot that other ops read (plain float32)
Assign, AssignAdd and AssignSub take the variable by reference as input 0 (the
executor does not read it; see OpDef.ref_inputs) and the value as input 1.
Variables are always created in the outermost graph, even when made inside a
while-loop body (the body then captures `Wx/read`).
"""
from ..backend import hostnp
from ..framework import dtypes, errors
from ..framework import graph as _graph
from ..framework.graph import GraphKeys, Tensor, _session_for_eval
from ..framework.registry import NotDifferentiable, get_op_def, register_op
from ..framework.tensor_shape import TensorShape, as_shape
from .cast_ops import cast
from .control_flow_ops import group, identity, no_op

__all__ = ["Variable", "global_variables", "trainable_variables", "local_variables",
           "model_variables", "variables_initializer", "global_variables_initializer",
           "local_variables_initializer", "initialize_all_variables", "assign", "assign_add",
           "assign_sub", "is_variable_initialized", "report_uninitialized_variables",
           "all_variables", "moving_average_variables"]


def _var_infer(attrs):
    return [(dtypes.as_dtype(attrs["dtype"]).base_dtype._as_ref, attrs["shape"])]  # float32_ref


def _var_bind(op, ctx):
    store = ctx.variables

    def read():
        try:
            return store[op]
        except KeyError:
            raise errors.FailedPreconditionError(
                None, op, "Attempting to use uninitialized value %s\n\t [[node %s]]" % (op.name, op.name)) from None
    return read


register_op("VariableV2", infer=_var_infer, bind=_var_bind, stateful=True)(None)  # bound: see bind


NotDifferentiable("VariableV2")


def _assign_infer(attrs, ref, value):
    return [(value.dtype.base_dtype,
             attrs["var"].outputs[0].shape if attrs.get("validate_shape", True) else value.shape)]


def _check_assign_shape(op, var_op, new):
    want = var_op.outputs[0].shape
    if want.dims is not None and not want.is_compatible_with(new.shape):
        raise errors.InvalidArgumentError(
            None, op, "Assign requires shapes of both tensors to match. lhs shape= %s rhs shape= %s"
            % (want.as_bracket_str(), TensorShape(new.shape).as_bracket_str()))


def _assign_bind(op, ctx):
    store, var_op, validate = ctx.variables, op.attrs["var"], op.attrs.get("validate_shape", True)
    xp = ctx.xp

    def assign(value):
        if validate:
            _check_assign_shape(op, var_op, value)
        new = xp.array(value, copy=True)  # the variable owns its buffer
        store[var_op] = new
        return new
    return assign


def _update_bind(sign):
    def bind(op, ctx):
        store, var_op = ctx.variables, op.attrs["var"]

        def update(delta):
            try:
                old = store[var_op]
            except KeyError:
                raise errors.FailedPreconditionError(
                    None, op, "Attempting to use uninitialized value %s" % var_op.name) from None
            new = old + delta if sign > 0 else old - delta
            if new.shape != old.shape:
                raise errors.InvalidArgumentError(
                    None, op, "%s: the update of shape %s does not match variable %s of shape %s"
                    % (op.type, list(delta.shape), var_op.name, list(old.shape)))
            store[var_op] = new.astype(old.dtype, copy=False)
            return store[var_op]
        return update
    return bind


for _type, _bind in (("Assign", _assign_bind), ("AssignAdd", _update_bind(+1)),
                     ("AssignSub", _update_bind(-1))):
    register_op(_type, infer=_assign_infer, bind=_bind, stateful=True)(None)
    get_op_def(_type).ref_inputs = (0,)
    NotDifferentiable(_type)


def _initialized_bind(op, ctx):
    store, var_op, xp = ctx.variables, op.attrs["var"], ctx.xp
    return lambda: xp.asarray(var_op in store)


register_op("IsVariableInitialized", infer=lambda attrs: [(dtypes.bool_, TensorShape([]))],
             bind=_initialized_bind, stateful=True)(None)  # bound: see bind


NotDifferentiable("IsVariableInitialized")


def _initialized_value_bind(op, ctx):
    store, var_op = ctx.variables, op.attrs["var"]
    return lambda initial: store.get(var_op, initial)


register_op("InitializedValue", infer=lambda attrs, init: [(init.dtype, init.shape)],
             bind=_initialized_value_bind, stateful=True)(None)  # bound: see bind


# Its value is a variable's, not a function of its input once initialized (as TF's cond).
NotDifferentiable("InitializedValue")


def _paren(shape):
    """A static shape as TF prints it in messages: (3,), (2, 3), (None, 3)."""
    dims = shape.as_list()
    return "(%s)" % ("%s," % dims[0] if len(dims) == 1 else ", ".join(str(d) for d in dims))


class Variable:
    """A variable: a tensor whose value persists across `Session.run` calls (tf.Variable).

    Args:
      initial_value: a Tensor, a Python/numpy value, or a callable returning one.
      trainable: if True, added to TRAINABLE_VARIABLES (what optimizers train).
      collections: collection keys (default [GLOBAL_VARIABLES]).
      validate_shape: if False, the variable may take values of other shapes.
      name: the op name (default "Variable"), made unique in the current name scope.
      dtype: if given, `initial_value` is converted to it.
      shape: the variable's static shape, if not the initial value's: it must be
        compatible with it; unknown dims let the variable take other sizes there.

    Raises:
      ValueError: no initial value; one of unknown shape while validate_shape is True
        and no `shape` is given; one whose shape does not fit `shape`. Nothing is added
        to the graph's collections then.
    """

    # Like Tensor: lets `ndarray + variable` use the variable's reflected operators.
    __array_priority__ = 100

    def __init__(self, initial_value=None, trainable=True, collections=None, validate_shape=True,
                 caching_device=None, name=None, variable_def=None, dtype=None,
                 expected_shape=None, import_scope=None, constraint=None, use_resource=None,
                 synchronization=None, aggregation=None, shape=None):
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        root = _graph.get_default_graph().root
        self._trainable = bool(trainable)
        self.constraint = constraint
        with root.as_default(), root.control_dependencies(None):
            with root.name_scope(name or "Variable") as scope:
                base_name = scope[:-1]
                if callable(initial_value):
                    initial_value = initial_value()
                init = _graph.convert_to_tensor(initial_value, dtype=dtype, name="initial_value") \
                    if not isinstance(initial_value, Tensor) else initial_value
                if dtype is not None and init.dtype != dtypes.as_dtype(dtype):
                    init = cast(init, dtype)
                if shape is not None:
                    var_shape = as_shape(shape)
                    if not init.shape.is_compatible_with(var_shape):
                        raise ValueError(
                            "In this `tf.Variable` creation, the initial value's shape (%s) is not "
                            "compatible with the explicitly supplied `shape` argument (%s)."
                            % (_paren(init.shape), var_shape.as_list() if var_shape.dims is not None
                               else None))
                    # a declared shape with unknown dims takes values of any fitting shape
                    validate_shape = validate_shape and var_shape.is_fully_defined()
                else:
                    var_shape = init.shape
                    if validate_shape and not var_shape.is_fully_defined():
                        raise ValueError("initial_value must have a shape specified: %s" % init)
                    if not validate_shape:
                        var_shape = TensorShape(None)
                self._variable_op = root.create_op(
                    "VariableV2", [], {"dtype": init.dtype, "shape": var_shape}, name=base_name + "/",
                    output_specs=[(init.dtype._as_ref, var_shape)])
                self._initial_value = init
                self._initializer_op = root.create_op(
                    "Assign", [self._variable_op.outputs[0], init],
                    {"var": self._variable_op, "validate_shape": validate_shape}, name="Assign")
                self._snapshot = root.create_op("Identity", [self._variable_op.outputs[0]], {},
                                                name="read").outputs[0]
        if collections is None:
            collections = [GraphKeys.GLOBAL_VARIABLES]
        collections = list(collections)
        if self._trainable and GraphKeys.TRAINABLE_VARIABLES not in collections:
            collections.append(GraphKeys.TRAINABLE_VARIABLES)
        root.add_to_collections(collections, self)

    # -- identity -------------------------------------------------------------
    @property
    def name(self):
        return self._variable_op.name + ":0"

    @property
    def op(self):
        return self._variable_op

    @property
    def graph(self):
        return self._variable_op.graph

    @property
    def dtype(self):
        """The reference type, e.g. float32_ref (`dtype.base_dtype` is float32), as in TF."""
        return self._variable_op.outputs[0].dtype

    @property
    def shape(self):
        return self._variable_op.outputs[0].shape

    def get_shape(self):
        return self.shape

    @property
    def device(self):
        return self._variable_op.device

    @property
    def trainable(self):
        return self._trainable

    @property
    def initializer(self):
        """The op that assigns the initial value."""
        return self._initializer_op

    @property
    def initial_value(self):
        return self._initial_value

    def _as_graph_element(self):
        return self._variable_op.outputs[0]

    def _ref(self):
        return self._variable_op.outputs[0]

    def value(self):
        """The snapshot tensor (`<name>/read:0`) other ops read."""
        return self._snapshot

    def read_value(self):
        """A fresh read of the variable (an Identity op)."""
        return identity(self._variable_op.outputs[0], name="read")

    def initialized_value(self):
        """The variable's value if initialized, else its initial value (for initializing others)."""
        root = self.graph
        with root.as_default(), root.control_dependencies(None):
            return root.create_op("InitializedValue", [self._initial_value], {"var": self._variable_op},
                                  name=self._variable_op.name + "/initialized_value").outputs[0]

    # -- running ------------------------------------------------------------------
    def eval(self, session=None):
        """The variable's value in `session` (default: the default session)."""
        return self._snapshot.eval(session=session)

    def load(self, value, session=None):
        """Writes `value` into the variable in `session` without adding ops to the graph."""
        sess = _session_for_eval(self.graph, session, "operation")
        sess.run(self._initializer_op, {self._initial_value: value})

    # -- updates ------------------------------------------------------------------
    def assign(self, value, use_locking=False, name=None, read_value=True):
        """An op writing `value` into the variable; its output is the new value."""
        return assign(self, value, name=name)

    def assign_add(self, delta, use_locking=False, name=None, read_value=True):
        return assign_add(self, delta, name=name)

    def assign_sub(self, delta, use_locking=False, name=None, read_value=True):
        return assign_sub(self, delta, name=name)

    def set_shape(self, shape):
        self._variable_op.outputs[0].set_shape(shape)

    def __repr__(self):
        return "<tf.Variable '%s' shape=%s dtype=%s>" % (self.name, self.shape, self.dtype.name)

    def __hash__(self):
        return id(self)

    def __eq__(self, other):
        return self is other

    def __iter__(self):
        return iter(self._snapshot)

    def __len__(self):
        return len(self._snapshot)


def _delegate(method):
    def f(self, *args):
        return getattr(self._snapshot, method)(*args)
    f.__name__ = method
    return f


for _m in ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__",
           "__rtruediv__", "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__pow__",
           "__rpow__", "__matmul__", "__rmatmul__", "__neg__", "__abs__", "__lt__", "__le__",
           "__gt__", "__ge__", "__and__", "__rand__", "__or__", "__ror__", "__xor__", "__rxor__",
           "__invert__", "__getitem__"):
    setattr(Variable, _m, _delegate(_m))


def _variable_to_tensor(v, dtype=None, name=None):
    t = v.value()
    if dtype is not None and t.dtype != dtype.base_dtype:
        raise ValueError("Incompatible type conversion requested to type '%s' for variable of type '%s'"
                         % (dtype.name, t.dtype.name))
    return t


_graph.register_tensor_conversion_function(Variable, _variable_to_tensor)


def _var_op_of(ref):
    if isinstance(ref, Variable):
        return ref._variable_op
    if isinstance(ref, Tensor) and ref.op.type == "VariableV2":
        return ref.op
    raise TypeError("Expected a Variable, got %r" % (ref,))


def _update(op_type, ref, value, name, validate_shape=True):
    var_op = _var_op_of(ref)
    g = _graph.get_default_graph()
    v = _graph.convert_to_tensor(value, dtype=var_op.outputs[0].dtype.base_dtype)
    want = var_op.outputs[0].shape
    if validate_shape and not want.is_compatible_with(v.shape):
        raise ValueError("Shapes %s and %s are incompatible" % (want, v.shape))
    return g.create_op(op_type, [var_op.outputs[0], v], {"var": var_op, "validate_shape": validate_shape},
                       name=name or op_type).outputs[0]


def assign(ref, value, validate_shape=None, use_locking=None, name=None):
    """Writes `value` into variable `ref`; returns the new value (tf.assign).

    Raises:
      ValueError: the static shapes differ (with validate_shape).
    """
    return _update("Assign", ref, value, name, validate_shape is not False)


def assign_add(ref, value, use_locking=None, name=None):
    """Adds `value` to variable `ref`; returns the new value (tf.assign_add)."""
    return _update("AssignAdd", ref, value, name)


def assign_sub(ref, value, use_locking=None, name=None):
    """Subtracts `value` from variable `ref`; returns the new value (tf.assign_sub)."""
    return _update("AssignSub", ref, value, name)


def global_variables(scope=None):
    """The variables of GLOBAL_VARIABLES, optionally filtered by a name-scope regex."""
    return _graph.get_collection(GraphKeys.GLOBAL_VARIABLES, scope)


all_variables = global_variables


def trainable_variables(scope=None):
    """The variables of TRAINABLE_VARIABLES, in creation order."""
    return _graph.get_collection(GraphKeys.TRAINABLE_VARIABLES, scope)


def local_variables(scope=None):
    return _graph.get_collection(GraphKeys.LOCAL_VARIABLES, scope)


def model_variables(scope=None):
    return _graph.get_collection(GraphKeys.MODEL_VARIABLES, scope)


def moving_average_variables(scope=None):
    return _graph.get_collection("moving_average_variables", scope)


def variables_initializer(var_list, name="init"):
    """One op that runs the initializers of `var_list`."""
    if not var_list:
        return no_op(name=name)
    return group(*[v.initializer for v in var_list], name=name)


def global_variables_initializer():
    """An op (named "init") initializing every global variable."""
    return variables_initializer(global_variables(), name="init")


initialize_all_variables = global_variables_initializer


def local_variables_initializer():
    return variables_initializer(local_variables(), name="init")


def is_variable_initialized(variable):
    """A bool tensor: whether `variable` holds a value in the running session."""
    var_op = _var_op_of(variable)
    g = _graph.get_default_graph()
    return g.create_op("IsVariableInitialized", [], {"var": var_op},
                       name="IsVariableInitialized").outputs[0]


def report_uninitialized_variables(var_list=None, name="report_uninitialized_variables"):
    """A string tensor with the names of the uninitialized variables of `var_list`."""
    var_list = global_variables() if var_list is None else var_list
    g = _graph.get_default_graph()
    return g.create_op("ReportUninitialized", [], {"vars": [_var_op_of(v) for v in var_list]},
                       name=name).outputs[0]


def _report_bind(op, ctx):
    store, var_ops = ctx.variables, op.attrs["vars"]
    # as TF: the names as UTF-8 bytes
    return lambda: hostnp.array([v.name.encode("utf-8") for v in var_ops if v not in store],
                                dtype=object)


register_op("ReportUninitialized", infer=lambda attrs: [(dtypes.string, TensorShape([None]))],
            bind=_report_bind, stateful=True)(None)
NotDifferentiable("ReportUninitialized")
