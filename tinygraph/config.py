"""Switches for the graph-level optimisations (the kind TF's Grappler performs).

Each pass leaves results unchanged up to float rounding; tests run with each one on
and off. Read when a graph is built or a plan is compiled, so set them first:

    tinygraph.config.set_optimizations(merge_output_projection=False)
    with tinygraph.config.optimizations(batch_loop_weight_gradients=False): ...

The environment variable TINYGRAPH_PASSES sets the switches at import: `none` turns
every one off (CI runs the whole suite so), `default` (or unset) keeps DEFAULTS, and a
comma-separated list of names turns on exactly those.
"""
import contextlib
import os

DEFAULTS = {
    # WhileGrad: sum a captured weight's per-iteration gradient a_t^T @ g_t (or the
    # bias gradient sum(g_t)) as one matmul (one sum) over all iterations. Off by
    # default: on the 2-core machines measured (benchmarks/README.md) copying every
    # iteration's rows into one buffer cost about what the fewer calls saved.
    "batch_loop_weight_gradients": False,
    # WhileGrad: stop the backward loop once every carried gradient is below
    # `vanished_gradient_threshold` (what is left cannot change a float32 sum).
    "stop_vanished_gradients": True,
    # While loops: compute the input half x_t @ K[:n] of an RNN cell's concat([x_t, h]) @ K
    # for all steps before the loop, as one matmul (see control_flow/loop_passes.py).
    "hoist_input_projections": True,
    # dynamic_rnn: apply OutputProjectionWrapper's projection once to all steps after
    # the loop instead of once per step inside it.
    "merge_output_projection": True,
    # Plans: steps whose inputs are all constants are computed once, when the plan is
    # compiled, and the generated code assigns their values instead of calling kernels.
    "fold_constants": True,
    # Plans: a chain of elementwise ops runs in one buffer: the first op allocates, each
    # next one writes its result over its input when nothing else reads that input.
    "fuse_elementwise": True,
    # Optimizer updates (ApplyAdam, ...) write into the variable and slot buffers instead
    # of allocating new ones, where no value read from those buffers is still needed.
    "inplace_optimizer_updates": True,
    # Optimizer updates of one type sharing their hyperparameters run as one step: the
    # variables and slots live in one flat buffer each, and each formula is one call.
    "group_optimizer_updates": True,
    # While loops: instead of saving every iteration's activations for the gradient, keep
    # the loop state every `loop_checkpoint_every` iterations and recompute the rest during
    # the backward pass: memory grows like the square root of the length, gradients are
    # identical, the forward loop runs twice. Off by default.
    "recompute_loop_activations": False,
}

vanished_gradient_threshold = 1e-30

# The checkpoint spacing of recompute_loop_activations; None: ceil(sqrt(iteration bound)).
loop_checkpoint_every = None



def _from_environment(value):
    """The switches that TINYGRAPH_PASSES=`value` asks for (see the module docstring).

    Raises:
      ValueError: an unknown name in the list.
    """
    value = (value or "default").strip()
    if value == "default":
        return dict(DEFAULTS)
    names = set() if value == "none" else {n.strip() for n in value.split(",") if n.strip()}
    unknown = names - set(DEFAULTS)
    if unknown:
        raise ValueError("TINYGRAPH_PASSES: unknown optimisation %s; known: none, default, %s"
                         % (", ".join(sorted(unknown)), ", ".join(sorted(DEFAULTS))))
    return {k: k in names for k in DEFAULTS}


_options = _from_environment(os.environ.get("TINYGRAPH_PASSES"))


def enabled(name):
    """Whether optimisation `name` is on."""
    return _options[name]


def set_optimizations(**flags):
    """Turns optimisations on or off by name.

    Raises:
      KeyError: an unknown optimisation name.
    """
    for k, v in flags.items():
        if k not in _options:
            raise KeyError("Unknown optimisation %r; known: %s" % (k, ", ".join(sorted(_options))))
        _options[k] = bool(v)


def get_optimizations():
    """A copy of the current switches."""
    return dict(_options)


@contextlib.contextmanager
def optimizations(**flags):
    """Context manager: sets the given switches, restores the previous ones on exit."""
    saved = dict(_options)
    set_optimizations(**flags)
    try:
        yield
    finally:
        _options.clear()
        _options.update(saved)
