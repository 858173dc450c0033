"""The op registry: one entry per op type, holding its forward kernel, its static
shape/dtype inference and its gradient builder.

    @register_op("Tanh", infer=same_as_input)
    def tanh_kernel(xp, attrs, x):
        return xp.tanh(x)

    @register_gradient("Tanh")
    def _tanh_grad(op, grad):
        return [grad * (1 - op.outputs[0] * op.outputs[0])]

Kernels receive the backend's array module `xp`, the op's attrs dict and the input
arrays; they return one array (single-output ops) or a sequence (other ops).
Ops that need the session (variables, random streams, loops) define `bind`, which
returns the callable the executor runs: bind(op, ctx) -> fn(*arrays); such ops may
register no kernel at all: `register_op("VariableV2", infer=..., bind=...)(None)`.

What the optimisation passes need to know about an op type (in-place forms, fresh
outputs) is declared to the passes themselves (tinygraph/passes/).
"""


class OpDef:
    """Everything the library knows about one op type.

    Attributes:
      type: the op type name, e.g. "MatMul".
      kernel: kernel(xp, attrs, *arrays) -> array or sequence of arrays.
      infer: infer(attrs, *input_tensors) -> list of (dtype, shape) for the outputs.
      bind: optional bind(op, ctx) -> fn(*arrays); replaces the default binding of kernel.
      stateful: True if the op reads or writes session state (never folded or merged).
      grad: the gradient builder (see RegisterGradient).
      ref_inputs: the input positions taking a variable by reference (TF's `Ref(T)`
        inputs, as input 0 of Assign): the executor neither reads the variable for them
        nor passes them to the kernel.

    What optimisation passes know about an op type (in-place forms, fresh outputs,
    grouping keys) is kept by the passes themselves (tinygraph/passes/).
    """

    __slots__ = ("type", "kernel", "infer", "bind", "stateful", "ref_inputs")

    def __init__(self, type_name, kernel, infer, bind=None, stateful=False):
        self.type = type_name
        self.kernel = kernel
        self.infer = infer
        self.bind = bind
        self.stateful = stateful
        self.ref_inputs = ()

    @property
    def grad(self):
        """The gradient builder, NOT_DIFFERENTIABLE, or None when none is registered."""
        return _GRADS.get(self.type)

    def __repr__(self):
        return "<OpDef %s>" % self.type


NOT_DIFFERENTIABLE = "not differentiable"

_OPS = {}


def register_op(type_name, infer, bind=None, stateful=False):
    """Decorator: registers `kernel` as the forward computation of `type_name`.

    Raises:
      KeyError: `type_name` is already registered.
    """
    def deco(kernel):
        if type_name in _OPS:
            raise KeyError("Op type %r is already registered" % type_name)
        _OPS[type_name] = OpDef(type_name, kernel, infer, bind, stateful)
        return kernel
    return deco


def get_op_def(type_name):
    """The OpDef of `type_name`.

    Raises:
      KeyError: no such op type.
    """
    try:
        return _OPS[type_name]
    except KeyError:
        raise KeyError("No op type %r is registered" % type_name) from None


def registered_ops():
    """A dict from op type to OpDef, for tools and tests that walk every op."""
    return dict(_OPS)


class RegisterGradient:
    """Decorator registering a gradient builder for an op type (as `tf.RegisterGradient`).

        @tf.RegisterGradient("MyOp")
        def _my_op_grad(op, grad): ...

    The builder gets the forward Operation and one gradient per output (None for
    outputs nothing depends on) and returns one gradient Tensor (or None) per input.
    Registering a type twice raises KeyError, as in TF.
    """

    def __init__(self, op_type):
        if not isinstance(op_type, str):
            raise TypeError("op_type must be a string")
        self._op_type = op_type

    def __call__(self, fn):
        if self._op_type in _GRADS:
            raise KeyError("Registering two gradient with name '%s'!" % self._op_type)
        _GRADS[self._op_type] = fn
        return fn


register_gradient = RegisterGradient

# Gradient builders by op type; kept apart from _OPS so user code may register either first.
_GRADS = {}


def NotDifferentiable(op_type):
    """Declares that `op_type` has no gradient (tf.NotDifferentiable): its inputs get None."""
    if not isinstance(op_type, str):
        raise TypeError("op_type must be a string")
    _GRADS[op_type] = NOT_DIFFERENTIABLE


NoGradient = NotDifferentiable


def gradient_of_type(op_type):
    """The builder registered for `op_type`, NOT_DIFFERENTIABLE, or None."""
    return _GRADS.get(op_type)


def get_gradient_function(op):
    """The gradient builder of `op` (or NOT_DIFFERENTIABLE).

    A mapping set with `Graph.gradient_override_map` wins.

    Raises:
      LookupError: no gradient is registered for the op's type.
    """
    key = getattr(op, "_gradient_override", None) or op.type
    fn = _GRADS.get(key)
    if fn is None:
        raise LookupError("No gradient defined for operation '%s' (op type: %s)" % (op.name, op.type))
    return fn
