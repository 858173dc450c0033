"""`tf.estimator`: Estimator, EstimatorSpec, ModeKeys, RunConfig, input functions, canned models."""
from .estimator import Estimator
from .model_fn import EstimatorSpec, ModeKeys
from .run_config import RunConfig
from . import inputs

__all__ = ["Estimator", "EstimatorSpec", "ModeKeys", "RunConfig", "inputs"]
