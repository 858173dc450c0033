"""tf.contrib: the TF 1.x contrib modules the book uses (rnn, legacy_seq2seq, layers)."""
from . import rnn  # noqa: F401
from . import legacy_seq2seq  # noqa: F401
from . import layers  # noqa: F401
from . import framework  # noqa: F401

__all__ = ["rnn", "legacy_seq2seq", "layers", "framework"]
