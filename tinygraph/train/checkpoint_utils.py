"""Reading checkpoints without a graph: tf.train.list_variables / load_variable."""
import os
import zipfile

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


def _read_all(prefix):
    """{name: array} of every variable in the checkpoint `prefix` (checked by the Saver's reader)."""
    path = prefix + _saver._DATA_SUFFIX
    try:
        with zipfile.ZipFile(path) as zf:
            keys = [n[:-4] for n in zf.namelist() if n.endswith(".npy")]
    except (OSError, zipfile.BadZipFile) as e:
        raise _saver._data_loss(path, "cannot open the file", e) from None
    return _saver._read_arrays(path, keys)


def list_variables(ckpt_dir_or_file):
    """[(name, shape)] of the variables in a checkpoint (or a directory's latest), sorted.

    Raises:
      ValueError: a directory without checkpoints. NotFoundError: no such checkpoint.
      DataLossError: the file is corrupted.
    """
    arrays = _read_all(_prefix(ckpt_dir_or_file))
    return [(name, list(arrays[name].shape)) for name in sorted(arrays)]


def load_variable(ckpt_dir_or_file, name):
    """The value (a numpy array) of variable `name` in a checkpoint.

    Raises:
      NotFoundError: no such checkpoint or no such variable in it.
    """
    if name.endswith(":0"):
        name = name[:-2]
    arrays = _read_all(_prefix(ckpt_dir_or_file))
    if name not in arrays:
        raise errors.NotFoundError(None, None, "Key %s not found in checkpoint" % name)
    return arrays[name]
