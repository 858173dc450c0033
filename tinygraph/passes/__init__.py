"""Optimisation passes over a plan's steps (the kind of work TF's Grappler does).

Each pass is a function pass(steps, plan) -> steps, in a module of its own, switched
by its name in `tinygraph.config`; `run_passes` applies the ones that are on, in the
order below. A pass owns the facts it needs about op types (in-place forms, fresh
outputs, grouping keys), which op modules declare through its register functions.
With every pass off, the plan runs the kernels as bound: the reference behaviour.
"""
from .. import config
from .fold_constants import fold_constants
from .fuse_elementwise import fuse_elementwise
from .group_updates import group_optimizer_updates
from .inplace_updates import inplace_optimizer_updates

# (config name, pass), in the order they run: updates are bound in place before they
# are grouped; folding comes before fusion, which never overwrites a folded value.
PLAN_PASSES = (
    ("inplace_optimizer_updates", inplace_optimizer_updates),
    ("group_optimizer_updates", group_optimizer_updates),
    ("fold_constants", fold_constants),
    ("fuse_elementwise", fuse_elementwise),
)


def run_passes(steps, plan):
    """`steps` rewritten by every plan pass that is on."""
    for name, apply in PLAN_PASSES:
        if config.enabled(name):
            steps = apply(steps, plan)
    return steps
