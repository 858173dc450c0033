"""`tinygraph.testing`: tools to test gradients, public so users can check their own ops.

* `compute_gradient`, `compute_gradient_error`: TF 1.x's Jacobian checker.
* `check_gradients`, `GradientChecker`: projected central differences in float64, with
  dtype-keyed tolerances, second-order checks and kink reports.
* `tinygraph.testing.strategies` (needs hypothesis): shapes, broadcastable shape pairs,
  arrays away from kinks, and small random graphs of differentiable ops.
"""
from .gradient_checker import (KINK_PATTERNS, TOLERANCES, GradientChecker, GradientCheckResult,
                               check_gradients, compute_gradient, compute_gradient_error)

__all__ = ["compute_gradient", "compute_gradient_error", "check_gradients", "GradientChecker",
           "GradientCheckResult", "TOLERANCES", "KINK_PATTERNS"]
