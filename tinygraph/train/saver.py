"""tf.train.Saver: checkpoints of variable values, with TF 1.x's file naming.

    saver = tf.train.Saver(max_to_keep=5)
    saver.save(sess, "ckpt/model.ckpt", global_step=1000)   # -> "ckpt/model.ckpt-1000"
    saver.restore(sess, tf.train.latest_checkpoint("ckpt"))

On disk, for the prefix "ckpt/model.ckpt-1000":

    ckpt/model.ckpt-1000.npz   the values: a NumPy .npz (zip of .npy files), one entry
                               per variable, keyed by its checkpoint name (the op name,
                               e.g. "rnn/basic_rnn_cell/kernel")
    ckpt/checkpoint            TF's text state file: model_checkpoint_path (the newest)
                               and all_model_checkpoint_paths (the ones kept, oldest first)

TensorFlow's own `.index` / `.data-?????-of-?????` checkpoints cannot be read (nor can
TF read these). Files are loaded with `allow_pickle=False`: a checkpoint never runs
code. Both files are written to a temporary name and renamed over the old one
(`os.replace` is atomic), so a crash mid-save leaves the previous checkpoint intact.
"""
import os
import tempfile
import time
import zipfile

from ..backend import hostnp as np
from ..framework import dtypes, errors
from ..framework import graph as _graph
from ..framework.graph import GraphKeys
from ..ops import variables as _variables
from ..ops.constant_op import placeholder
from ..ops.control_flow_ops import group

__all__ = ["Saver", "latest_checkpoint", "get_checkpoint_state", "checkpoint_exists",
           "CheckpointState", "update_checkpoint_state"]

_DATA_SUFFIX = ".npz"
_STATE_FILE = "checkpoint"
_RESTORE_HINT = ("Restoring from checkpoint failed. This is most likely due to a mismatch "
                 "between the current graph and the graph from the checkpoint. Please ensure "
                 "that you have not altered the graph expected based on the checkpoint. "
                 "Original error:\n\n")


# -- the state file ------------------------------------------------------------------
class CheckpointState:
    """The parsed `checkpoint` file (TF's CheckpointState proto).

    Attributes:
      model_checkpoint_path: the newest checkpoint prefix.
      all_model_checkpoint_paths: the prefixes still kept, oldest first.
    """

    def __init__(self, model_checkpoint_path="", all_model_checkpoint_paths=()):
        self.model_checkpoint_path = model_checkpoint_path
        self.all_model_checkpoint_paths = list(all_model_checkpoint_paths)

    def __repr__(self):
        return _state_text(self).rstrip()


def _quote(s):
    return '"%s"' % s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _unquote(s):
    s = s.strip()
    if len(s) < 2 or s[0] != '"' or s[-1] != '"':
        raise ValueError("expected a quoted string, got %r" % s)
    out, i, body = [], 0, s[1:-1]
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            out.append({"n": "\n", "t": "\t"}.get(nxt, nxt))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _state_text(state):
    lines = ["model_checkpoint_path: %s" % _quote(state.model_checkpoint_path)]
    lines += ["all_model_checkpoint_paths: %s" % _quote(p) for p in state.all_model_checkpoint_paths]
    return "\n".join(lines) + "\n"


def _parse_state(text):
    state = CheckpointState()
    for line in text.splitlines():
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise ValueError("bad line %r" % line)
        key = key.strip()
        if key == "model_checkpoint_path":
            state.model_checkpoint_path = _unquote(value)
        elif key == "all_model_checkpoint_paths":
            state.all_model_checkpoint_paths.append(_unquote(value))
        # other fields (timestamps written by newer TFs) are ignored
    return state


def _atomic_write(path, write):
    """Calls write(binary file) on a temporary file next to `path`, then renames it to `path`."""
    directory = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(prefix=os.path.basename(path) + ".tempstate", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)  # atomic: readers see the old file or the new one, never half
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def update_checkpoint_state(save_dir, model_checkpoint_path, all_model_checkpoint_paths=None,
                            latest_filename=None):
    """Writes the `checkpoint` state file of `save_dir` (atomically).

    Args:
      save_dir: the directory of the state file.
      model_checkpoint_path: the newest checkpoint prefix.
      all_model_checkpoint_paths: the prefixes kept (the newest is appended if missing).
      latest_filename: the state file's name (default "checkpoint").
    """
    paths = list(all_model_checkpoint_paths or [])
    if not paths or paths[-1] != model_checkpoint_path:
        paths = [p for p in paths if p != model_checkpoint_path] + [model_checkpoint_path]
    text = _state_text(CheckpointState(model_checkpoint_path, paths)).encode("utf-8")
    _atomic_write(os.path.join(save_dir, latest_filename or _STATE_FILE), lambda f: f.write(text))


def get_checkpoint_state(checkpoint_dir, latest_filename=None):
    """The CheckpointState of `checkpoint_dir` (tf.train.get_checkpoint_state).

    Relative paths in the file are taken relative to `checkpoint_dir`.

    Args:
      checkpoint_dir: the directory holding the state file.
      latest_filename: the state file's name (default "checkpoint").

    Returns:
      A CheckpointState, or None if there is no state file or it cannot be parsed.

    Raises:
      ValueError: the state file names no checkpoint.
    """
    path = os.path.join(checkpoint_dir, latest_filename or _STATE_FILE)
    try:
        with open(path, "r", encoding="utf-8") as f:
            state = _parse_state(f.read())
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not state.model_checkpoint_path:
        raise ValueError("Invalid checkpoint state loaded from " + checkpoint_dir)

    def fix(p):
        return p if os.path.isabs(p) else os.path.join(checkpoint_dir, p)
    state.model_checkpoint_path = fix(state.model_checkpoint_path)
    state.all_model_checkpoint_paths = [fix(p) for p in state.all_model_checkpoint_paths]
    return state


def checkpoint_exists(checkpoint_prefix):
    """True if a tinygraph checkpoint with this prefix exists (tf.train.checkpoint_exists)."""
    return os.path.isfile(checkpoint_prefix + _DATA_SUFFIX)


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """The prefix of the newest checkpoint in `checkpoint_dir`, or None (tf.train.latest_checkpoint).

    Args:
      checkpoint_dir: the directory holding the `checkpoint` state file.
      latest_filename: the state file's name (default "checkpoint").
    """
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state and checkpoint_exists(state.model_checkpoint_path):
        return state.model_checkpoint_path
    return None


# -- the data file ---------------------------------------------------------------------
def _write_arrays(f, arrays):
    """Writes {name: numpy array} to the binary file `f` as an .npz (no pickles)."""
    with zipfile.ZipFile(f, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
        for key, value in arrays.items():
            with zf.open(key + ".npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, np.asarray(value), allow_pickle=False)


def _data_loss(path, what, exc):
    return errors.DataLossError(None, None, "Unable to read checkpoint %s: %s (%s: %s). The file is "
                                "truncated, corrupted, or not a tinygraph checkpoint."
                                % (path, what, type(exc).__name__, exc))


def _open_data(prefix):
    path = prefix + _DATA_SUFFIX
    try:
        return np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as e:
        raise _data_loss(path, "cannot open the file", e) from None


def _read_array(data, prefix, key):
    try:
        value = data[key]
    except KeyError:
        raise
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, RuntimeError) as e:
        raise _data_loss(prefix + _DATA_SUFFIX, "cannot read variable '%s'" % key, e) from None
    if value.dtype.hasobject:  # unreachable with allow_pickle=False, but never trust a file
        raise _data_loss(prefix + _DATA_SUFFIX, "variable '%s' holds Python objects" % key,
                         ValueError("object array"))
    return value


# -- the Saver -------------------------------------------------------------------------
def _saveables(var_list):
    """{checkpoint name: Variable} from None, a list or a dict (TF's rules)."""
    if var_list is None:
        var_list = _variables.global_variables() + _graph.get_collection("saveable_objects")
    if isinstance(var_list, dict):
        items = list(var_list.items())
    else:
        items = []
        for v in var_list:
            if not isinstance(v, _variables.Variable):
                raise TypeError("Variable to save is not a Variable: %s" % (v,))
            items.append((v.op.name, v))
        names = [n for n, _ in items]
        for n in names:
            if names.count(n) > 1:
                raise ValueError("At least two variables have the same name: %s" % n)
    out = {}
    for name, v in items:
        if not isinstance(v, _variables.Variable):
            raise TypeError("Variable to save is not a Variable: %s" % (v,))
        if not isinstance(name, str):
            raise TypeError("The names of a var_list dict must be strings, got %r" % (name,))
        out[name] = v
    return out


class Saver:
    """Saves and restores variables (tf.train.Saver).

    Args:
      var_list: the variables to save: None (all global variables, which include
        optimizer slots and the global step), a list of Variables (saved under their
        op names) or a dict {checkpoint name: Variable}.
      max_to_keep: how many recent checkpoints to keep; older ones are deleted.
        None or 0 keeps all files (the state file then lists only the newest).
      keep_checkpoint_every_n_hours: additionally keep one checkpoint per this many hours.
      name: the name scope of the restore ops (default "save").
      allow_empty: if True, a Saver with no variables is allowed (and does nothing).
      save_relative_paths: write paths relative to the checkpoint directory in the
        state file, so the directory can be moved.
      reshape, sharded, restore_sequentially, saver_def, builder, defer_build,
      write_version, pad_step_number, filename: accepted for TF compatibility.

    Raises:
      ValueError: there are no variables (and not allow_empty), or two have one name.
      TypeError: an entry of var_list is not a Variable.
    """

    def __init__(self, var_list=None, reshape=False, sharded=False, max_to_keep=5,
                 keep_checkpoint_every_n_hours=10000.0, name=None, restore_sequentially=False,
                 saver_def=None, builder=None, defer_build=False, allow_empty=False,
                 write_version=2, pad_step_number=False, save_relative_paths=False, filename=None):
        self._vars = _saveables(var_list)
        if not self._vars and not allow_empty:
            raise ValueError("No variables to save")
        self._max_to_keep = max_to_keep
        self._keep_every_s = keep_checkpoint_every_n_hours * 3600.0
        self._next_keep_time = time.time() + self._keep_every_s
        self._save_relative_paths = save_relative_paths
        self._pad_step_number = pad_step_number
        self._last = []  # (prefix, timestamp), oldest first
        self._graph = _graph.get_default_graph().root
        # Restore = feed the loaded values into placeholders and run one group of Assigns,
        # built now (as TF builds its restore ops) so a finalized graph still restores.
        self._feeds = {}
        assigns = []
        with self._graph.as_default(), self._graph.name_scope(name or "save"):
            for key, v in self._vars.items():
                ph = placeholder(v.dtype, v.shape, name="restore_value")
                self._feeds[key] = ph
                assigns.append(_variables.assign(v, ph, validate_shape=v.shape.is_fully_defined()))
            self._restore_op = group(*assigns, name="restore_all") if assigns else None
        self._graph.add_to_collection(GraphKeys.SAVERS, self)

    # -- bookkeeping --------------------------------------------------------------
    @property
    def last_checkpoints(self):
        """The prefixes of the checkpoints this Saver still keeps, oldest first."""
        return [p for p, _ in self._last]

    def set_last_checkpoints(self, last_checkpoints):
        """Sets the list of kept checkpoint prefixes (e.g. when resuming)."""
        self._last = [(p, time.time()) for p in last_checkpoints]

    def set_last_checkpoints_with_time(self, last_checkpoints_with_time):
        """Sets the kept checkpoints as (prefix, timestamp) pairs."""
        self._last = [(p, t) for p, t in last_checkpoints_with_time]

    def recover_last_checkpoints(self, checkpoint_paths):
        """Keeps those of `checkpoint_paths` that still exist (after a restart)."""
        self.set_last_checkpoints([p for p in checkpoint_paths if checkpoint_exists(p)])

    def _record(self, prefix):
        """Adds `prefix` as the newest checkpoint and deletes those past max_to_keep."""
        self._last = [(p, t) for p, t in self._last if p != prefix] + [(prefix, time.time())]
        if not self._max_to_keep:
            return
        while len(self._last) > self._max_to_keep:
            old, stamp = self._last.pop(0)
            if stamp > self._next_keep_time:  # keep one every n hours, forever
                self._next_keep_time += self._keep_every_s
                continue
            for suffix in (_DATA_SUFFIX, ".meta"):
                if os.path.exists(old + suffix):
                    os.remove(old + suffix)

    # -- save and restore -------------------------------------------------------------
    def save(self, sess, save_path, global_step=None, latest_filename=None,
             meta_graph_suffix="meta", write_meta_graph=True, write_state=True,
             strip_default_attrs=False, save_debug_info=False):
        """Saves the variables' current values (tf.train.Saver.save).

        Args:
          sess: the Session holding the values.
          save_path: the checkpoint prefix, e.g. "ckpt/model.ckpt".
          global_step: an int, or an integer Variable/Tensor evaluated in `sess`;
            if given, "-<step>" is appended to the prefix.
          latest_filename: the state file's name (default "checkpoint").
          write_state: if False, the state file and `last_checkpoints` are untouched.
          meta_graph_suffix, write_meta_graph, strip_default_attrs, save_debug_info:
            accepted for TF compatibility; no MetaGraph is written.

        Returns:
          The checkpoint prefix written (pass it to `restore`), or None with no variables.

        Raises:
          ValueError: the parent directory does not exist, or latest_filename has a path.
          TypeError: `sess` is not a Session.
          FailedPreconditionError: a variable is not initialized.
        """
        if latest_filename is None:
            latest_filename = _STATE_FILE
        if os.path.split(latest_filename)[0]:
            raise ValueError("'latest_filename' must not contain path components")
        if not hasattr(sess, "run"):
            raise TypeError("'sess' must be a Session; %s" % (sess,))
        if global_step is not None:
            if not isinstance(global_step, (int, np.integer)):
                global_step = int(sess.run(global_step))
            fmt = "%s-%08d" if self._pad_step_number else "%s-%d"
            prefix = fmt % (save_path, global_step)
        else:
            prefix = save_path
        save_dir = os.path.dirname(prefix)
        if save_dir and not os.path.isdir(save_dir):
            raise ValueError("Parent directory of {} doesn't exist, can't save.".format(save_path))
        if not self._vars:
            return None
        names = list(self._vars)
        values = sess.run([self._vars[n] for n in names])
        arrays = {n: np.asarray(v) for n, v in zip(names, values)}
        _atomic_write(prefix + _DATA_SUFFIX, lambda f: _write_arrays(f, arrays))
        if write_state:
            self._record(prefix)
            kept = self.last_checkpoints if self._max_to_keep else [prefix]
            if self._save_relative_paths:
                kept = [os.path.relpath(p, save_dir or ".") for p in kept]
            else:
                kept = [os.path.abspath(p) for p in kept]
            update_checkpoint_state(save_dir or ".", kept[-1], kept, latest_filename)
        return prefix

    def restore(self, sess, save_path):
        """Loads the saved values into the variables (tf.train.Saver.restore).

        All values are read and checked before any variable changes.

        Args:
          sess: the Session to restore into.
          save_path: a checkpoint prefix, as returned by `save` or `latest_checkpoint`.

        Raises:
          ValueError: `save_path` is None or no checkpoint has this prefix (TF's own
            .index/.data checkpoints included: tinygraph cannot read them).
          NotFoundError: the checkpoint lacks a variable (named in the message).
          InvalidArgumentError: a saved value's shape or dtype differs from its variable's.
          DataLossError: the file is truncated, corrupted, pickled or not a checkpoint.
        """
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        if not checkpoint_exists(save_path):
            if os.path.isfile(save_path + ".index"):
                raise ValueError("%s is a TensorFlow checkpoint (.index/.data files); tinygraph "
                                 "reads only its own .npz checkpoints." % save_path)
            raise ValueError("The passed save_path is not a valid checkpoint: %s" % save_path)
        feed = {}
        with _open_data(save_path) as data:
            stored = set(data.files)
            for key, v in self._vars.items():
                if key not in stored:
                    raise errors.NotFoundError(None, None, _RESTORE_HINT + "Key %s not found in "
                                               "checkpoint %s" % (key, save_path))
                value = _read_array(data, save_path, key)
                want = v.dtype.as_numpy_dtype
                if value.dtype != np.dtype(want):
                    raise errors.InvalidArgumentError(
                        None, None, _RESTORE_HINT + "tensor_name = %s; expected dtype %s does not "
                        "equal original dtype %s" % (key, v.dtype.name, _dtype_name(value.dtype)))
                if not v.shape.is_compatible_with(value.shape):
                    raise errors.InvalidArgumentError(
                        None, None, _RESTORE_HINT + "Assign requires shapes of both tensors to match. "
                        "lhs shape= %s rhs shape= %s (variable %s)" % (
                            _bracket(v.shape.as_list()), _bracket(value.shape), key))
                feed[self._feeds[key]] = value
        if self._restore_op is not None:
            sess.run(self._restore_op, feed_dict=feed)

    def as_saver_def(self):
        raise NotImplementedError("tinygraph has no SaverDef protos")


def _bracket(dims):
    return "[%s]" % ",".join(str(d) for d in dims)


def _dtype_name(np_dtype):
    try:
        return dtypes.as_dtype(np_dtype).name
    except (TypeError, ValueError, KeyError):
        return str(np_dtype)

