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

__all__ = ["Optimizer", "GradientDescentOptimizer", "MomentumOptimizer", "AdamOptimizer",
           "RMSPropOptimizer", "AdagradOptimizer", "global_step", "get_global_step",
           "create_global_step", "get_or_create_global_step", "assert_global_step",
           "exponential_decay"] + list(_saver.__all__)
__all__ += ["inverse_time_decay", "natural_exp_decay", "polynomial_decay", "piecewise_constant",
            "cosine_decay"]
