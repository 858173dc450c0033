"""`tf.estimator`: Estimator, EstimatorSpec, ModeKeys, RunConfig, input functions, canned models."""
from .estimator import Estimator
from .model_fn import EstimatorSpec, ModeKeys
from .run_config import RunConfig
from . import inputs
from ..train.basic_session_run_hooks import (CheckpointSaverHook, CheckpointSaverListener,
                                              FeedFnHook, FinalOpsHook, LoggingTensorHook,
                                              NanLossDuringTrainingError, NanTensorHook,
                                              StepCounterHook, StopAtStepHook, SummarySaverHook)
from ..train.session_run_hook import SessionRunArgs, SessionRunContext, SessionRunHook, SessionRunValues
from .canned import DNNClassifier, DNNRegressor, LinearClassifier, LinearRegressor

__all__ = ["Estimator", "EstimatorSpec", "ModeKeys", "RunConfig", "inputs", "DNNClassifier", "DNNRegressor",
           "LinearClassifier", "LinearRegressor",
           # tf.estimator re-exports the hooks of tf.train, as TF does
           "CheckpointSaverHook", "CheckpointSaverListener", "FeedFnHook", "FinalOpsHook",
           "LoggingTensorHook", "NanLossDuringTrainingError", "NanTensorHook", "StepCounterHook",
           "StopAtStepHook", "SummarySaverHook", "SessionRunArgs", "SessionRunContext",
           "SessionRunHook", "SessionRunValues"]
