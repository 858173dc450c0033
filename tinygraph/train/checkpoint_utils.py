"""Reading checkpoints without a graph: tf.train.list_variables / load_variable."""
import os

from ..framework import errors
from . import saver as _saver

__all__ = ["list_variables", "load_variable"]


def _prefix(ckpt_dir_or_file):
    if os.path.isdir(ckpt_dir_or_file):
        prefix = _saver.latest_checkpoint(ckpt_dir_or_file)
        if prefix is None:
            raise ValueError("Couldn't find 'checkpoint' file or checkpoints in given directory %s"
                             % ckpt_dir_or_file)
        return prefix
    if not _saver.checkpoint_exists(ckpt_dir_or_file):
        raise errors.NotFoundError(None, None, "Unsuccessful TensorSliceReader constructor: Failed "
                                   "to find any matching files for %s" % ckpt_dir_or_file)
    return ckpt_dir_or_file


def list_variables(ckpt_dir_or_file):
    """[(name, shape)] of the variables in a checkpoint (or a directory's latest), sorted.

    Raises:
      ValueError: a directory without checkpoints. NotFoundError: no such checkpoint.
    """
    prefix = _prefix(ckpt_dir_or_file)
    with _saver._open_data(prefix) as data:
        return [(name, list(_saver._read_array(data, prefix, name).shape))
                for name in sorted(data.files)]


def load_variable(ckpt_dir_or_file, name):
    """The value (a numpy array) of variable `name` in a checkpoint.

    Raises:
      NotFoundError: no such checkpoint or no such variable in it.
    """
    if name.endswith(":0"):
        name = name[:-2]
    prefix = _prefix(ckpt_dir_or_file)
    with _saver._open_data(prefix) as data:
        if name not in data.files:
            raise errors.NotFoundError(None, None, "Key %s not found in checkpoint" % name)
        return _saver._read_array(data, prefix, name)
