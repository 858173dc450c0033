"""Variable scopes and `tf.get_variable`: named, shareable variables.

Each outermost graph keeps a store {full name: Variable} and a stack of
VariableScopes. `variable_scope("rnn")` pushes a scope named "<parent>/rnn" and
opens a name scope for the ops made inside; `get_variable("kernel")` then
creates (or, when the scope reuses, finds) "<scope>/kernel".
"""
import contextlib
import traceback

from ..framework import dtypes
from ..framework import graph as _graph
from ..framework.tensor_shape import as_shape
from . import init_ops
from .variables import Variable

__all__ = ["VariableScope", "variable_scope", "get_variable", "get_variable_scope", "AUTO_REUSE",
           "variable_op_scope"]


class _ReuseMode:
    def __repr__(self):
        return "tf.AUTO_REUSE"


AUTO_REUSE = _ReuseMode()


class VariableScope:
    """The settings in force for `get_variable`: a name prefix, reuse, defaults.

    Attributes:
      name: the full scope name ("" at the root).
      reuse: False/None, True, or AUTO_REUSE.
      initializer, regularizer, dtype: defaults for `get_variable` in this scope.
      original_name_scope: the name scope opened when this scope was first entered.
    """

    def __init__(self, reuse, name="", initializer=None, regularizer=None, caching_device=None,
                 partitioner=None, custom_getter=None, name_scope="", dtype=dtypes.float32,
                 use_resource=None, constraint=None):
        self._name = name
        self._reuse = reuse
        self._initializer = initializer
        self._regularizer = regularizer
        self._dtype = dtype
        self._custom_getter = custom_getter
        self._constraint = constraint
        self._name_scope = name_scope

    name = property(lambda self: self._name)
    reuse = property(lambda self: self._reuse)
    initializer = property(lambda self: self._initializer)
    regularizer = property(lambda self: self._regularizer)
    dtype = property(lambda self: self._dtype)
    custom_getter = property(lambda self: self._custom_getter)
    original_name_scope = property(lambda self: self._name_scope)
    caching_device = property(lambda self: None)
    partitioner = property(lambda self: None)
    use_resource = property(lambda self: False)
    constraint = property(lambda self: self._constraint)

    def reuse_variables(self):
        """From now on `get_variable` in this scope returns existing variables."""
        self._reuse = True

    def set_initializer(self, initializer):
        self._initializer = initializer

    def set_regularizer(self, regularizer):
        self._regularizer = regularizer

    def set_dtype(self, dtype):
        self._dtype = dtype

    def get_variable(self, var_store, name, shape=None, dtype=None, initializer=None,
                     regularizer=None, reuse=None, trainable=None, collections=None,
                     caching_device=None, partitioner=None, validate_shape=True,
                     use_resource=None, custom_getter=None, constraint=None, **kwargs):
        full_name = self._name + "/" + name if self._name else name
        if reuse is None:
            reuse = self._reuse
        if dtype is not None and initializer is not None and not callable(initializer):
            init_dtype = (_graph.convert_to_tensor(initializer).dtype
                          if _graph.is_tensor_like(initializer) else dtypes.dtype_of_value(initializer))
            if init_dtype != dtypes.as_dtype(dtype):
                raise ValueError("Initializer type '%s' and explicit dtype '%s' don't match."
                                 % (init_dtype.name, dtypes.as_dtype(dtype).name))
        if dtype is None:
            dtype = self._dtype
        if initializer is None:
            initializer = self._initializer
        if regularizer is None:
            regularizer = self._regularizer
        getter = custom_getter or self._custom_getter
        args = dict(name=full_name, shape=shape, dtype=dtype, initializer=initializer,
                    regularizer=regularizer, reuse=reuse, trainable=trainable,
                    collections=collections, validate_shape=validate_shape, constraint=constraint)
        if getter is not None:
            return getter(var_store.get_variable, **args)
        return var_store.get_variable(**args)

    def __repr__(self):
        return "<VariableScope %r reuse=%r>" % (self._name, self._reuse)


class _VarStore:
    """All variables made by get_variable in one graph, by full name."""

    def __init__(self):
        self.vars = {}
        self.origins = {}

    def get_variable(self, name, shape=None, dtype=dtypes.float32, initializer=None,
                     regularizer=None, reuse=None, trainable=None, collections=None,
                     validate_shape=True, constraint=None, **kwargs):
        dtype = dtypes.as_dtype(dtype)
        if trainable is None:
            trainable = True
        if name in self.vars:
            if reuse is False or reuse is None:
                raise ValueError("Variable %s already exists, disallowed. Did you mean to set "
                                 "reuse=True or reuse=tf.AUTO_REUSE in VarScope? Originally "
                                 "defined at:\n\n%s" % (name, self.origins.get(name, "")))
            var = self.vars[name]
            if shape is not None and not as_shape(shape).is_compatible_with(var.shape):
                raise ValueError("Trying to share variable %s, but specified shape %s and found "
                                 "shape %s." % (name, as_shape(shape), var.shape))
            if dtype != var.dtype.base_dtype:
                raise ValueError("Trying to share variable %s, but specified dtype %s and found "
                                 "dtype %s." % (name, dtype.name, var.dtype.name))
            return var
        if reuse is True:
            raise ValueError("Variable %s does not exist, or was not created with tf.get_variable(). "
                             "Did you mean to set reuse=tf.AUTO_REUSE in VarScope?" % name)
        var = self._create(name, shape, dtype, initializer, trainable, collections, validate_shape,
                           constraint)
        self.vars[name] = var
        self.origins[name] = "".join(traceback.format_stack(limit=6)[:-3])
        if regularizer is not None:
            root = var.graph
            # As TF: the regularizer receives the Variable (so it may also assign to it).
            with root.as_default(), root.name_scope(name + "/Regularizer/"):
                loss = regularizer(var)
            if loss is not None:
                root.add_to_collection(_graph.GraphKeys.REGULARIZATION_LOSSES, loss)
        return var

    @staticmethod
    def _create(name, shape, dtype, initializer, trainable, collections, validate_shape, constraint):
        if initializer is None:
            if dtype.is_floating:
                initializer = init_ops.glorot_uniform_initializer()
            elif dtype.is_integer or dtype.is_bool:
                initializer = init_ops.zeros_initializer()
            else:
                raise ValueError("An initializer for variable %s of %s is required" % (name, dtype.name))
        if isinstance(initializer, type):  # a class such as tf.zeros_initializer
            initializer = initializer()
        if _graph.is_tensor_like(initializer) or not callable(initializer):
            if shape is not None:  # TF: a constant initializer carries its own shape
                raise ValueError("If initializer is a constant, do not specify shape.")
            init_value = initializer
            make = lambda: init_value  # noqa: E731
            dtype = None  # as TF: the variable takes the value's dtype
        else:
            if shape is None:
                raise ValueError("Shape of a new variable (%s) must be fully defined, but instead "
                                 "was %s." % (name, shape))
            shape = as_shape(shape)
            if not shape.is_fully_defined():
                raise ValueError("Shape of a new variable (%s) must be fully defined, but instead "
                                 "was %s." % (name, shape))

            def make():
                return initializer(shape.as_list(), dtype=dtype)
        root = _graph.get_default_graph().root
        with root.as_default(), root.name_scope(None):
            return Variable(make, trainable=trainable, collections=collections, name=name,
                            dtype=dtype, validate_shape=validate_shape, constraint=constraint,
                            shape=shape if validate_shape and callable(initializer) else None)


def _state(graph=None):
    root = (graph or _graph.get_default_graph()).root
    if root._var_scope_state is None:
        root._var_scope_state = {"store": _VarStore(), "stack": [VariableScope(False)],
                                 "counts": {}}
    return root._var_scope_state


def get_variable_scope():
    """The VariableScope in force."""
    return _state()["stack"][-1]


def get_variable(name, shape=None, dtype=None, initializer=None, regularizer=None,
                 trainable=None, collections=None, caching_device=None, partitioner=None,
                 validate_shape=True, use_resource=None, custom_getter=None, constraint=None,
                 synchronization=None, aggregation=None):
    """Gets an existing variable or creates a new one (tf.get_variable).

    Args:
      name: the name within the current variable scope.
      shape: the shape of a new variable.
      dtype: its dtype (default: the scope's, float32).
      initializer: an initializer object or callable(shape, dtype=...), a Tensor or a value.
        Default: the scope's initializer, else glorot_uniform for floats and zeros otherwise.
      regularizer: fn(tensor) -> loss added to REGULARIZATION_LOSSES.
      trainable: add it to TRAINABLE_VARIABLES (default True).

    Returns:
      The Variable.

    Raises:
      ValueError: creating a variable that exists in a non-reusing scope, reusing one that
        does not exist, or sharing one with another shape or dtype.
    """
    st = _state()
    return st["stack"][-1].get_variable(
        st["store"], name, shape=shape, dtype=dtype, initializer=initializer,
        regularizer=regularizer, trainable=trainable, collections=collections,
        validate_shape=validate_shape, custom_getter=custom_getter, constraint=constraint)


@contextlib.contextmanager
def variable_scope(name_or_scope, default_name=None, values=None, initializer=None,
                   regularizer=None, caching_device=None, partitioner=None, custom_getter=None,
                   reuse=None, dtype=None, use_resource=None, constraint=None,
                   auxiliary_name_scope=True):
    """Opens a variable scope and a name scope (tf.variable_scope).

    Args:
      name_or_scope: a name or a VariableScope to re-enter.
      default_name: used (made unique: "dense", "dense_1", ...) when name_or_scope is None.
      reuse: True, tf.AUTO_REUSE, or None (inherit). A reusing parent makes children reuse.
      initializer, regularizer, dtype, custom_getter, constraint: defaults for get_variable.
      auxiliary_name_scope: if False, no name scope is opened.

    Yields:
      The new VariableScope.

    Raises:
      ValueError: both name_or_scope and default_name are None.
    """
    if name_or_scope is None and default_name is None:
        raise TypeError("If default_name is None then name_or_scope is required")
    graph = _graph.get_default_graph()
    for v in values or ():
        if isinstance(v, _graph.Tensor):
            graph = v.graph
            break
    st = _state(graph)
    parent = st["stack"][-1]
    if isinstance(name_or_scope, VariableScope):
        full = name_or_scope.name
        # As TF: a fresh (uniquified) name scope named after the last component.
        name_scope_name = full.split("/")[-1]
        inherit = name_or_scope
    else:
        if name_or_scope is not None:
            base = name_or_scope
        else:
            prefix = parent.name + "/" + default_name if parent.name else default_name
            n = st["counts"].get(prefix, 0)
            st["counts"][prefix] = n + 1
            base = default_name if n == 0 else "%s_%d" % (default_name, n)
        full = parent.name + "/" + base if parent.name else base
        name_scope_name = base
        inherit = parent
    if reuse is False:
        new_reuse = False
    elif parent.reuse is True or parent.reuse is AUTO_REUSE and reuse is None:
        new_reuse = parent.reuse
    elif reuse is not None:
        new_reuse = reuse
    else:
        new_reuse = inherit.reuse if isinstance(name_or_scope, VariableScope) else parent.reuse
    if parent.reuse is True:
        new_reuse = True
    if auxiliary_name_scope and name_scope_name:
        ns_cm = graph.name_scope(name_scope_name)
    else:  # stay in the current name scope
        ns_cm = contextlib.nullcontext(graph._name_stack)
    with ns_cm as opened:
        scope = VariableScope(
            new_reuse, name=full,
            initializer=initializer if initializer is not None else inherit.initializer,
            regularizer=regularizer if regularizer is not None else inherit.regularizer,
            custom_getter=custom_getter if custom_getter is not None else inherit.custom_getter,
            name_scope=opened if isinstance(opened, str) else name_scope_name,
            dtype=dtype if dtype is not None else inherit.dtype,
            constraint=constraint if constraint is not None else inherit.constraint)
        if isinstance(name_or_scope, VariableScope):
            scope._name_scope = name_or_scope.original_name_scope
        st["stack"].append(scope)
        try:
            yield scope
        finally:
            st["stack"].pop()
            if not isinstance(name_or_scope, VariableScope):
                # As TF: leaving a scope resets the default-name counts below it, so
                # re-entering "rnn" with a new cell reuses "rnn/basic_rnn_cell" (and clashes).
                for key in st["counts"]:
                    if key.startswith(full + "/"):
                        st["counts"][key] = 0


def variable_op_scope(values, name_or_scope, default_name=None, **kwargs):
    """Deprecated TF alias of `variable_scope(name_or_scope, default_name, values)`."""
    return variable_scope(name_or_scope, default_name=default_name, values=values, **kwargs)
