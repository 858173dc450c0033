"""The Optimizer base class (tf.train.Optimizer) and the stateful update ops it emits.

An optimizer turns a loss into a training op in two steps:

1. `compute_gradients` calls `tf.gradients` for the trainable variables;
2. `apply_gradients` creates the slot variables (Adam's m and v, ...), then one
   update op per variable (ApplyAdam, ...), then groups them into the train op.

Update ops are ordinary graph ops: each has the variable (and its slots) as attrs
and the hyperparameters and the gradient as inputs; its `bind` reads the current
buffers from the session and stores new ones. Each optimizer writes its formula once,
with an `out` parameter; two plan passes (tinygraph/passes/) use it to make updates
cheap: `inplace_optimizer_updates` writes into the buffers instead of allocating new
ones, where the plan shows that no value read from them earlier in the run is still
needed, and `group_optimizer_updates` runs the updates of all variables as one step on
flat buffers (see `_bind_group`).
"""
from ..backend import hostnp as np
from ..framework import dtypes, errors
from ..framework import graph as _graph
from ..framework.graph import GraphKeys
from ..framework.indexed_slices import IndexedSlices
from ..framework.registry import NotDifferentiable, register_op
from ..gradients import gradients
from ..passes.group_updates import register_group
from ..passes.inplace_updates import register_in_place_update
from ..ops import array_ops, control_flow_ops, math_ops
from ..ops.variables import Variable, assign_add

__all__ = ["Optimizer"]

_VALID_DTYPES = (dtypes.float16, dtypes.float32, dtypes.float64)


class Optimizer:
    """Base class for optimizers (tf.train.Optimizer).

    Subclasses implement `_create_slots`, `_prepare`, `_apply_dense` and
    `_apply_sparse` (and `_finish` when they update state once per step, as Adam does).

    Args:
      use_locking: accepted for TF compatibility (updates never race here).
      name: the name scope of the ops `apply_gradients` creates.

    Raises:
      ValueError: `name` is empty.
    """

    GATE_NONE = 0
    GATE_OP = 1
    GATE_GRAPH = 2

    def __init__(self, use_locking, name):
        if not name:
            raise ValueError("Must specify the optimizer name")
        self._use_locking = use_locking
        self._name = name
        self._slots = {}  # slot name -> {variable op: slot Variable}
        self._non_slot_dict = {}  # (name, graph) -> Variable

    def get_name(self):
        return self._name

    # -- the public API ---------------------------------------------------------------
    def minimize(self, loss, global_step=None, var_list=None, gate_gradients=GATE_OP,
                 aggregation_method=None, colocate_gradients_with_ops=False, name=None,
                 grad_loss=None):
        """Adds ops that update `var_list` to minimize `loss`: compute + apply gradients.

        Args:
          loss: a scalar Tensor to minimize.
          global_step: optional integer Variable, incremented by one after the updates.
          var_list: the Variables to update (default: TRAINABLE_VARIABLES).
          gate_gradients, aggregation_method, colocate_gradients_with_ops: as in TF.
          name: name of the returned op (default: the optimizer's name).
          grad_loss: optional gradient of `loss` (default ones).

        Returns:
          The Operation that applies the updates.

        Raises:
          ValueError: no variable has a gradient, or there are no variables.
        """
        grads_and_vars = self.compute_gradients(
            loss, var_list=var_list, gate_gradients=gate_gradients,
            aggregation_method=aggregation_method,
            colocate_gradients_with_ops=colocate_gradients_with_ops, grad_loss=grad_loss)
        if not [v for g, v in grads_and_vars if g is not None]:
            raise ValueError("No gradients provided for any variable, check your graph for ops "
                             "that do not support gradients, between variables %s and loss %s."
                             % ([str(v) for _, v in grads_and_vars], loss))
        return self.apply_gradients(grads_and_vars, global_step=global_step, name=name)

    def compute_gradients(self, loss, var_list=None, gate_gradients=GATE_OP,
                          aggregation_method=None, colocate_gradients_with_ops=False,
                          grad_loss=None):
        """Gradients of `loss` for the variables in `var_list`.

        The executor runs one op at a time, so every gating mode gives the same result.

        Args:
          loss: a Tensor (or a callable returning one).
          var_list: Variables (default: TRAINABLE_VARIABLES).
          gate_gradients: GATE_NONE, GATE_OP or GATE_GRAPH.
          grad_loss: optional gradient of `loss`.

        Returns:
          A list of (gradient, variable) pairs; the gradient is a Tensor, an
          IndexedSlices, or None when `loss` does not depend on the variable.

        Raises:
          ValueError: bad `gate_gradients`, no variables, or a non-float loss or variable.
          TypeError: an entry of `var_list` is not a Variable.
        """
        if callable(loss):
            loss = loss()
        if gate_gradients not in (Optimizer.GATE_NONE, Optimizer.GATE_OP, Optimizer.GATE_GRAPH):
            raise ValueError("gate_gradients must be one of: Optimizer.GATE_NONE, "
                             "Optimizer.GATE_OP, Optimizer.GATE_GRAPH.  Not %s" % gate_gradients)
        loss = _graph.convert_to_tensor(loss)
        self._assert_valid_dtypes([loss])
        if grad_loss is not None:
            self._assert_valid_dtypes([_graph.convert_to_tensor(grad_loss)])
        if var_list is None:
            var_list = _graph.get_collection(GraphKeys.TRAINABLE_VARIABLES)
        else:
            var_list = list(_flatten(var_list))
        if not var_list:
            raise ValueError("No variables to optimize.")
        for v in var_list:
            if not isinstance(v, Variable):
                raise TypeError("Trying to optimize unsupported type %r" % (v,))
        # The variable's own output (not its `read` snapshot): every read of it counts.
        grads = gradients(loss, [v._ref() for v in var_list],
                          grad_ys=None if grad_loss is None else [grad_loss],
                          aggregation_method=aggregation_method,
                          colocate_gradients_with_ops=colocate_gradients_with_ops)
        grads_and_vars = list(zip(grads, var_list))
        self._assert_valid_dtypes([v for g, v in grads_and_vars if g is not None])
        return grads_and_vars

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """Adds the update ops for (gradient, variable) pairs.

        Args:
          grads_and_vars: (gradient, Variable) pairs as from `compute_gradients`;
            pairs with a None gradient are skipped.
          global_step: optional Variable incremented by one after all updates ran.
          name: name of the returned op (default: the optimizer's name).

        Returns:
          The Operation applying the updates (the global step increment if given);
          it is also added to the TRAIN_OP collection.

        Raises:
          TypeError: a gradient is not a Tensor, IndexedSlices or None.
          ValueError: the list is empty, or every gradient is None.
        """
        grads_and_vars = tuple(grads_and_vars)
        if not grads_and_vars:
            raise ValueError("No variables provided.")
        converted = []
        for g, v in grads_and_vars:
            if g is not None and not isinstance(g, IndexedSlices):
                try:
                    g = _graph.convert_to_tensor(g)
                except (TypeError, ValueError):
                    raise TypeError("Gradient must be convertible to a Tensor or IndexedSlices, "
                                    "or None: %s" % (g,)) from None
            if not isinstance(v, Variable):
                raise TypeError("Trying to optimize unsupported type %r" % (v,))
            converted.append((g, v))
        var_list = [v for g, v in converted if g is not None]
        if not var_list:
            raise ValueError("No gradients provided for any variable: %s."
                             % ([str(v) for _, v in converted],))
        self._create_slots(var_list)
        update_ops = []
        with _graph.name_scope(name, self._name) as scope:
            self._prepare()
            for grad, var in converted:
                if grad is None:
                    continue
                with _graph.name_scope("update_" + var.op.name):
                    if isinstance(grad, IndexedSlices):
                        update_ops.append(self._apply_sparse_duplicate_indices(grad, var))
                    else:
                        update_ops.append(self._apply_dense(grad, var))
                    if var.constraint is not None:  # as TF: project after the update,
                        with _graph.control_dependencies([update_ops[-1]]):  # on a fresh read
                            update_ops[-1] = var.assign(var.constraint(var.read_value())).op
            if global_step is None:
                apply_updates = self._finish(update_ops, scope)
            else:
                with _graph.control_dependencies([self._finish(update_ops, "update")]):
                    apply_updates = assign_add(global_step, 1, name=scope).op
        train_ops = _graph.get_collection_ref(GraphKeys.TRAIN_OP)
        if apply_updates not in train_ops:
            train_ops.append(apply_updates)
        return apply_updates

    def get_slot(self, var, name):
        """The slot variable `name` (e.g. "m") created for `var`, or None."""
        named = self._slots.get(name)
        if not named:
            return None
        return named.get(var.op)

    def get_slot_names(self):
        """The sorted names of the slots this optimizer creates (e.g. ["m", "v"])."""
        return sorted(self._slots)

    def variables(self):
        """The optimizer's variables in the default graph (slots, beta powers), sorted by name."""
        g = _graph.get_default_graph().root
        out = [v for (n, graph), v in self._non_slot_dict.items() if graph is g]
        for named in self._slots.values():
            out.extend(v for v in named.values() if v.graph is g)
        return sorted(out, key=lambda v: v.name)

    # -- hooks for subclasses ------------------------------------------------------------
    def _create_slots(self, var_list):
        """Creates the slot variables of `var_list` (default: none)."""

    def _prepare(self):
        """Converts the hyperparameters to tensors, inside the optimizer's name scope."""

    def _apply_dense(self, grad, var):
        raise NotImplementedError()

    def _apply_sparse_duplicate_indices(self, grad, var):
        """Applies an IndexedSlices gradient; the sparse kernels sum repeated indices first."""
        return self._apply_sparse(grad, var)

    def _apply_sparse(self, grad, var):
        raise NotImplementedError()

    def _finish(self, update_ops, name_scope):
        """Groups the update ops into one op named `name_scope`."""
        return control_flow_ops.group(*update_ops, name=name_scope)

    # -- helpers ------------------------------------------------------------------------
    @staticmethod
    def _call_if_callable(param):
        return param() if callable(param) else param

    @staticmethod
    def _assert_valid_dtypes(tensors):
        for t in tensors:
            if t.dtype.base_dtype not in _VALID_DTYPES:
                raise ValueError("Invalid type %r for %s, expected: %s."
                                 % (t.dtype, t.name, list(_VALID_DTYPES)))

    def _slot_dict(self, slot_name):
        return self._slots.setdefault(slot_name, {})

    def _get_or_make_slot(self, var, value, slot_name, op_name):
        """The slot `slot_name` of `var`, created filled with `value` on first use.

        Its variable is named "<var op name>/<op_name>" (made unique: Adam, Adam_1),
        is not trainable and lives in GLOBAL_VARIABLES, as TF's slots.
        """
        named = self._slot_dict(slot_name)
        if var.op not in named:
            named[var.op] = _create_slot(var, value, op_name)
        return named[var.op]

    def _zeros_slot(self, var, slot_name, op_name):
        return self._get_or_make_slot(var, 0.0, slot_name, op_name)

    def _create_non_slot_variable(self, initial_value, name, colocate_with):
        """A variable shared by all of this optimizer's updates (e.g. Adam's beta1_power)."""
        key = (name, colocate_with.graph)
        v = self._non_slot_dict.get(key)
        if v is None:
            v = Variable(initial_value, name=name, trainable=False)
            self._non_slot_dict[key] = v
        return v

    def _get_non_slot_variable(self, name, graph=None):
        return self._non_slot_dict.get((name, (graph or _graph.get_default_graph()).root))


def _flatten(x):
    if isinstance(x, (list, tuple)):
        for y in x:
            yield from _flatten(y)
    else:
        yield x


def _create_slot(var, value, op_name):
    root = var.graph
    shape, dtype = var.shape, var.dtype.base_dtype

    def initial():
        if shape.is_fully_defined():
            return array_ops.fill(shape.as_list(), np.asarray(value, dtype.as_numpy_dtype))
        return array_ops.ones_like(var.initialized_value()) * np.asarray(value, dtype.as_numpy_dtype)
    with root.as_default(), root.name_scope(None):
        return Variable(initial, trainable=False, name=var.op.name + "/" + op_name,
                        validate_shape=shape.is_fully_defined())


def cast_like(t, var):
    """`t` (a hyperparameter tensor) cast to the dtype of `var`."""
    return math_ops.cast(t, var.dtype.base_dtype)


# -- the stateful update ops ------------------------------------------------------------------
def _apply_infer(attrs, *inputs):
    var = attrs["var"].outputs[0]
    return [(var.dtype.base_dtype, var.shape)]


def _read(store, op, var_op):
    try:
        return store[var_op]
    except KeyError:
        raise errors.FailedPreconditionError(
            None, op, "Attempting to use uninitialized value %s\n\t [[node %s]]"
            % (var_op.name, op.name)) from None


def register_apply_op(op_type, update, grad_index=-1):
    """Registers a stateful update op whose kernel is `update`.

    Args:
      op_type: e.g. "ApplyAdam".
      update: update(xp, var, slots, *inputs) -> (new_var, new_slots), computing on the
        current arrays of the variable and its slots (a list) and the op's inputs. Dense
        updates (see grad_index) take `out`, a list of buffers [var, *slots] to write the
        results into (what `inplace_optimizer_updates` and `group_optimizer_updates` pass
        to update in place), or None to return new arrays: one formula for both paths.
      grad_index: the position of the gradient among the inputs, for dense update ops
        (None for sparse ones); the others are the hyperparameters. Dense ops of one type
        whose hyperparameter tensors are the same may be grouped (`group_optimizer_updates`).

    The op's output is the variable's new value. It has no gradient.
    """
    register_op(op_type, infer=_apply_infer, bind=lambda op, ctx: _bind_update(op, ctx, update, False),
                stateful=True)(None)
    NotDifferentiable(op_type)
    if grad_index is None:
        return

    def group_key(op):
        hyper = tuple(t for k, t in enumerate(op.inputs) if k != grad_index % len(op.inputs))
        return (op.type, hyper, op.attrs["var"].outputs[0].dtype, len(op.attrs["slots"])), op.attrs["var"]
    register_in_place_update(op_type, lambda op: [op.attrs["var"]] + list(op.attrs["slots"]),
                             lambda op, ctx: _bind_update(op, ctx, update, True))
    register_group(op_type, group_key, lambda ops, ctx: _bind_group(ops, ctx, update, grad_index))


def _bind_update(op, ctx, update, in_place):
    """The kernel of one update op: new arrays for the variable and its slots, or (in_place)
    the results written into their buffers."""
    store, xp, lock = ctx.variables, ctx.xp, ctx.update_lock
    var_op, slot_ops = op.attrs["var"], op.attrs["slots"]

    def run(*inputs):
        with lock:  # read and write the variable and its slots as one
            var = _read(store, op, var_op)
            slots = [_read(store, op, s) for s in slot_ops]
            # (0-d variables: their temporaries would be numpy scalars, not buffers)
            if in_place and var.ndim and all(x.dtype == var.dtype for x in slots):
                update(xp, var, slots, *inputs, out=[var] + slots)
                ctx.variables_version += 1
                return var
            new_var, new_slots = update(xp, var, slots, *inputs)
            store[var_op] = new_var.astype(var.dtype, copy=False)
            for s, value in zip(slot_ops, new_slots):
                store[s] = value.astype(var.dtype, copy=False)
            return store[var_op]
    return run


def _bind_group(ops, ctx, update, grad_index):
    """One step running the update ops `ops` (same type and hyperparameters) at once.

    The variables live in one flat buffer (store entries are views into it), so do
    their slots; each step copies the gradients into one flat buffer and runs the
    update once on the flat arrays: one call per formula instead of one per variable.
    Where something replaced a variable's buffer (an Assign, a restore), the buffers are
    packed again first.
    """
    store, xp, lock = ctx.variables, ctx.xp, ctx.update_lock
    owners = [[op.attrs["var"]] + list(op.attrs["slots"]) for op in ops]
    n_inputs = len(ops[0].inputs)
    gi = grad_index % n_inputs
    packed = {}  # "views": per op, the views of [var, *slots]; "flat": [var, *slots] flat; "grad"

    def pack(values):
        sizes = [int(v[0].size) for v in values]
        offsets = [0]
        for n in sizes:
            offsets.append(offsets[-1] + n)
        dtype = values[0][0].dtype
        flat = [xp.empty(offsets[-1], dtype) for _ in values[0]]
        views = []
        for k, (vals, names) in enumerate(zip(values, owners)):
            row = []
            for j, (value, var_op) in enumerate(zip(vals, names)):
                view = flat[j][offsets[k]:offsets[k + 1]].reshape(value.shape)
                xp.copyto(view, value)
                store[var_op] = view
                row.append(view)
            views.append(row)
        grad = xp.empty(offsets[-1], dtype)
        packed.update(views=views, flat=flat, grad=grad,
                      grad_views=[grad[offsets[k]:offsets[k + 1]].reshape(values[k][0].shape)
                                  for k in range(len(ops))])

    def run(*inputs):
        with lock:  # the flat buffers are shared by every thread running this step
            values = [[_read(store, op, v) for v in names] for op, names in zip(ops, owners)]
            views = packed.get("views")
            if views is None or any(a is not b for va, vb in zip(values, views) for a, b in zip(va, vb)):
                pack(values)
            for k, op in enumerate(ops):
                grad = inputs[k * n_inputs + gi]
                if grad.shape != values[k][0].shape:
                    raise errors.InvalidArgumentError(
                        None, op, "var and grad do not have the same shape%s %s"
                        % (list(values[k][0].shape), list(grad.shape)))
                xp.copyto(packed["grad_views"][k], grad)
            args = list(inputs[:n_inputs])
            args[gi] = packed["grad"]
            var, slots = packed["flat"][0], packed["flat"][1:]
            update(xp, var, slots, *args, out=packed["flat"])
            ctx.variables_version += 1
        return ()
    return run


def apply_op(op_type, var, slots, inputs, name=None):
    """Creates an update op of `op_type` for Variable `var` and its slot Variables.

    Returns:
      The op's output Tensor (the new value of `var`).
    """
    g = _graph.get_default_graph()
    tensors = [_graph.convert_to_tensor(x) for x in inputs]
    attrs = {"var": var.op, "slots": [s.op for s in slots], "use_locking": False}
    return g.create_op(op_type, tensors, attrs, name=name or op_type).outputs[0]


def check_dense_grad(var, grad):
    """Raises ValueError (the executor reports InvalidArgumentError) on a shape clash."""
    if var.shape != grad.shape:
        raise ValueError("var and grad do not have the same shape%s %s"
                         % (list(var.shape), list(grad.shape)))


def unique_rows(xp, values, indices):
    """Sums the rows of `values` that share an index: (summed values, unique indices)."""
    indices = indices.reshape(-1)
    unique, inverse = xp.unique(indices, return_inverse=True)
    summed = xp.zeros((unique.shape[0],) + tuple(values.shape[1:]), dtype=values.dtype)
    xp.add.at(summed, inverse.reshape(-1), values)
    return summed, unique


def check_indices(xp, var, indices):
    if indices.size and (int(indices.min()) < 0 or int(indices.max()) >= var.shape[0]):
        raise ValueError("indices out of range [0, %d)" % var.shape[0])
