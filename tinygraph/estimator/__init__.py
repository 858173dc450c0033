"""`tf.estimator`: Estimator, EstimatorSpec, ModeKeys, RunConfig, input functions, canned models."""
from .estimator import Estimator
from .model_fn import EstimatorSpec, ModeKeys
from .run_config import RunConfig
from . import inputs
from .canned import DNNClassifier, DNNRegressor, LinearClassifier, LinearRegressor

__all__ = ["Estimator", "EstimatorSpec", "ModeKeys", "RunConfig", "inputs", "DNNClassifier", "DNNRegressor",
           "LinearClassifier", "LinearRegressor"]
