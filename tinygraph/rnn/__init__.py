"""Recurrent networks: cells, cell wrappers, static_rnn (one cell per step) and
dynamic_rnn (one While op)."""
from .cells import *  # noqa: F401,F403
from .wrappers import *  # noqa: F401,F403
from .static_rnn import *  # noqa: F401,F403
from .dynamic_rnn import *  # noqa: F401,F403
