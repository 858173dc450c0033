"""`tf.train`: optimizers, the global step, learning-rate schedules and checkpoints."""
from .optimizer import Optimizer
from .gradient_descent import GradientDescentOptimizer
from .momentum import MomentumOptimizer
from .adam import AdamOptimizer
from .rmsprop import RMSPropOptimizer
from .adagrad import AdagradOptimizer
from .training_util import (assert_global_step, create_global_step, get_global_step,
                            get_or_create_global_step, global_step)
from .learning_rate_decay import exponential_decay
from .learning_rate_decay import (cosine_decay, inverse_time_decay, natural_exp_decay,  # noqa: F401
                                  piecewise_constant, polynomial_decay)
from .saver import *  # noqa: F401,F403 - Saver, latest_checkpoint, ...
from . import saver as _saver
from .coordinator import Coordinator
from .queue_runner import QueueRunner, add_queue_runner, start_queue_runners
from .input import (batch, batch_join, input_producer, limit_epochs, match_filenames_once,
                    range_input_producer, shuffle_batch, shuffle_batch_join, slice_input_producer,
                    string_input_producer)
from . import queue_runner
from .session_run_hook import SessionRunArgs, SessionRunContext, SessionRunHook, SessionRunValues
from .basic_session_run_hooks import (CheckpointSaverHook, CheckpointSaverListener, FeedFnHook,
                                      FinalOpsHook, LoggingTensorHook, NanLossDuringTrainingError,
                                      NanTensorHook, SecondOrStepTimer, StepCounterHook,
                                      StopAtStepHook, SummarySaverHook)
from .monitored_session import (ChiefSessionCreator, MonitoredSession, MonitoredTrainingSession,
                                Scaffold, SessionCreator, SingularMonitoredSession)
from .ftrl import FtrlOptimizer
from .checkpoint_utils import list_variables, load_variable

__all__ = ["Optimizer", "GradientDescentOptimizer", "MomentumOptimizer", "AdamOptimizer",
           "RMSPropOptimizer", "AdagradOptimizer", "global_step", "get_global_step",
           "create_global_step", "get_or_create_global_step", "assert_global_step",
           "exponential_decay", "Coordinator", "QueueRunner", "add_queue_runner",
           "start_queue_runners", "queue_runner", "batch", "batch_join", "shuffle_batch",
           "shuffle_batch_join", "input_producer", "limit_epochs", "match_filenames_once",
           "range_input_producer", "slice_input_producer", "string_input_producer",
           "SessionRunArgs", "SessionRunContext", "SessionRunHook", "SessionRunValues",
           "CheckpointSaverHook", "CheckpointSaverListener", "FeedFnHook", "FinalOpsHook",
           "LoggingTensorHook", "NanLossDuringTrainingError", "NanTensorHook", "SecondOrStepTimer",
           "StepCounterHook", "StopAtStepHook", "SummarySaverHook", "ChiefSessionCreator",
           "MonitoredSession", "MonitoredTrainingSession", "Scaffold", "SessionCreator",
           "SingularMonitoredSession", "FtrlOptimizer", "list_variables", "load_variable"] + list(_saver.__all__)
__all__ += ["inverse_time_decay", "natural_exp_decay", "polynomial_decay", "piecewise_constant",
            "cosine_decay"]
