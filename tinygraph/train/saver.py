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

    ckpt/model.ckpt-1000.meta  the MetaGraph (TF's MetaGraphDef proto, see
                               tinygraph/meta_graph/): `tf.train.import_meta_graph`
                               rebuilds the graph from it in a fresh process

TensorFlow's own `.index` / `.data-?????-of-?????` checkpoints cannot be read (nor can
TF read these). Restore parses the .npy members itself and refuses pickles and object
arrays: a checkpoint never runs code. Both files are written to a temporary name and
renamed over the old one (`os.replace` is atomic), so a crash mid-save leaves the
previous checkpoint intact.
"""
import io
import os
import tempfile
import time
import zipfile

from .. import meta_graph as _meta_graph
from ..backend import hostnp as np
from ..framework import dtypes, errors
from ..framework import graph as _graph
from ..framework.graph import GraphKeys
from ..ops import variables as _variables
from ..framework import dtypes
from ..ops.constant_op import constant, placeholder
from ..ops.control_flow_ops import group

__all__ = ["Saver", "latest_checkpoint", "get_checkpoint_state", "checkpoint_exists",
           "CheckpointState", "update_checkpoint_state", "export_meta_graph", "import_meta_graph",
           "write_graph"]

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


def _data_loss(path, what, exc=None):
    detail = " (%s: %s)" % (type(exc).__name__, exc) if exc is not None else ""
    return errors.DataLossError(None, None, "Unable to read checkpoint %s: %s%s. The file is "
                                "truncated, corrupted, or not a tinygraph checkpoint."
                                % (path, what, detail))


def _read_arrays(path, keys):
    """{key: array} for `keys` from the .npz at `path`, every byte checked.

    Each member is read whole (zipfile checks its CRC-32), its .npy header parsed and
    its size compared with what the header declares, before any array is made; sizes
    in the zip directory are checked against the file's size, so a corrupted field
    never makes us allocate what the file does not hold. Every failure of the file
    layer (zip, npy, I/O) becomes an OpError.

    Raises:
      NotFoundError: the file vanished, or it lacks one of `keys` (the first missing one).
      DataLossError: anything in the file is truncated, corrupted or not an array.
      ResourceExhaustedError: a (well-formed) value does not fit in memory.
    """
    what = "cannot open the file"
    try:
        with open(path, "rb") as f:
            disk_size = os.fstat(f.fileno()).st_size
            with zipfile.ZipFile(f) as zf:
                members = {}
                for info in zf.infolist():
                    if info.compress_size > disk_size or (
                            info.compress_type == zipfile.ZIP_STORED
                            and info.file_size != info.compress_size):
                        raise _data_loss(path, "member '%s' claims %d bytes in a file of %d"
                                         % (info.filename, info.file_size, disk_size))
                    if info.filename.endswith(".npy"):
                        members[info.filename[:-4]] = info
                out = {}
                for key in keys:
                    if key not in members:
                        raise errors.NotFoundError(None, None, _RESTORE_HINT + "Key %s not found in "
                                                   "checkpoint %s" % (key, path[:-len(_DATA_SUFFIX)]))
                    what = "cannot read variable '%s'" % key
                    out[key] = _parse_npy(zf.read(members[key]), path, key)
                return out
    except errors.OpError:
        raise
    except FileNotFoundError as e:
        raise errors.NotFoundError(None, None, "Unable to open checkpoint %s: %s" % (path, e)) from None
    except MemoryError as e:
        raise errors.ResourceExhaustedError(None, None, "OOM reading checkpoint %s: %s (%s)"
                                            % (path, what, e)) from None
    except Exception as e:  # noqa: BLE001 - any failure of the file layer is data loss
        # zipfile, zlib, struct and numpy's header parser raise a dozen classes here
        # (BadZipFile, NotImplementedError, zlib.error, EOFError, ValueError, ...)
        raise _data_loss(path, what, e) from None


def _parse_npy(raw, path, key):
    """The array stored in `raw`, the bytes of one .npy member (no pickles, no objects)."""
    buf = io.BytesIO(raw)
    version = np.lib.format.read_magic(buf)
    if version == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(buf)
    elif version == (2, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(buf)
    else:
        raise _data_loss(path, "variable '%s' has .npy format version %s" % (key, version))
    if dtype.hasobject:
        raise _data_loss(path, "variable '%s' holds Python objects" % key)
    if any(d < 0 for d in shape):
        raise _data_loss(path, "variable '%s' has a negative dimension %s" % (key, shape))
    count = 1
    for d in shape:
        count *= d
    data = raw[buf.tell():]
    if len(data) != count * dtype.itemsize:
        raise _data_loss(path, "variable '%s' of shape %s and dtype %s holds %d bytes, not %d"
                         % (key, list(shape), dtype, len(data), count * dtype.itemsize))
    value = np.frombuffer(data, dtype=dtype, count=count).reshape(shape, order="F" if fortran else "C")
    if not dtype.isnative:  # written on a machine of the other byte order
        value = value.astype(dtype.newbyteorder("="))
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
      saver_def: a `SaverDef` proto: use the restore ops it names (in the default graph,
        e.g. after `import_meta_graph`) instead of building new ones; `var_list` is ignored.
      reshape, sharded, restore_sequentially, builder, defer_build,
      write_version, pad_step_number, filename: accepted for TF compatibility.

    Raises:
      ValueError: there are no variables (and not allow_empty), or two have one name.
      TypeError: an entry of var_list is not a Variable.
    """

    def __init__(self, var_list=None, reshape=False, sharded=False, max_to_keep=5,
                 keep_checkpoint_every_n_hours=10000.0, name=None, restore_sequentially=False,
                 saver_def=None, builder=None, defer_build=False, allow_empty=False,
                 write_version=2, pad_step_number=False, save_relative_paths=False, filename=None):
        if saver_def is not None:
            self._init_from_saver_def(saver_def, pad_step_number, save_relative_paths)
            return
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
            # TF's SaverDef names the filename tensor: "save/Const:0", default "model"
            self._filename_tensor = constant("model" if filename is None else filename,
                                             dtype=dtypes.string, name="Const")
            for key, v in self._vars.items():
                ph = placeholder(v.dtype.base_dtype, v.shape, name="restore_value")
                ph.op.attrs["_checkpoint_key"] = key  # so a SaverDef brings the mapping back
                self._feeds[key] = ph
                assigns.append(_variables.assign(v, ph, validate_shape=v.shape.is_fully_defined()))
            self._restore_op = group(*assigns, name="restore_all")
        self._graph.add_to_collection(GraphKeys.SAVERS, self)

    def _init_from_saver_def(self, saver_def, pad_step_number, save_relative_paths):
        """Binds to the restore ops of an imported graph (Saver(saver_def=...))."""
        graph = _graph.get_default_graph().root
        if not saver_def.restore_op_name:
            raise ValueError("saver_def must specify the restore_op_name: %s" % saver_def)
        try:
            restore_op = graph.get_operation_by_name(saver_def.restore_op_name)
        except KeyError:
            raise ValueError("The SaverDef's restore op %r is not in the graph"
                             % saver_def.restore_op_name) from None
        variables = {}
        for key in (GraphKeys.GLOBAL_VARIABLES, GraphKeys.LOCAL_VARIABLES, "saveable_objects"):
            for v in graph.get_collection(key):
                if isinstance(v, _variables.Variable):
                    variables.setdefault(v.op, v)
        self._vars, self._feeds = {}, {}
        for assign in restore_op.control_inputs:
            var_op = assign.attrs.get("var") or (assign.inputs[0].op if len(assign.inputs) > 1 else None)
            if assign.type != "Assign" or var_op is None or not assign.inputs:
                raise ValueError("%s is not a tinygraph restore op (it runs %s)" % (restore_op.name, assign.name))
            ph = assign.inputs[-1]
            key = ph.op.attrs.get("_checkpoint_key", var_op.name)
            if var_op not in variables:  # e.g. renamed by an import, as TF allows
                variables[var_op] = _meta_graph.variable_from_graph(var_op)
            self._vars[key], self._feeds[key] = variables[var_op], ph
        self._restore_op = restore_op
        self._max_to_keep = saver_def.max_to_keep
        hours = saver_def.keep_checkpoint_every_n_hours or 10000.0
        self._keep_every_s = hours * 3600.0
        self._next_keep_time = time.time() + self._keep_every_s
        self._save_relative_paths = save_relative_paths
        self._pad_step_number = pad_step_number
        self._last = []
        self._graph = graph
        self._filename_tensor = None
        self._saver_def = saver_def

    @property
    def saver_def(self):
        """This Saver's `SaverDef` proto."""
        return self.as_saver_def()

    def as_saver_def(self):
        """This Saver as TF's `SaverDef` proto (what a MetaGraph stores).

        tinygraph saves from Python: `filename_tensor_name` and `save_tensor_name` both
        name the filename constant; `restore_op_name` is the op that assigns the values.
        """
        sd = _meta_graph.pb.saver_pb2.SaverDef()
        if getattr(self, "_saver_def", None) is not None:
            sd.CopyFrom(self._saver_def)
        else:
            sd.filename_tensor_name = self._filename_tensor.name
            sd.save_tensor_name = self._filename_tensor.name
            sd.restore_op_name = self._restore_op.name
            sd.version = sd.V2
        sd.max_to_keep = self._max_to_keep or 0
        sd.keep_checkpoint_every_n_hours = self._keep_every_s / 3600.0
        return sd

    def to_proto(self, export_scope=None):
        """The SaverDef proto (tf.train.Saver.to_proto)."""
        return self.as_saver_def()

    @staticmethod
    def from_proto(saver_def, import_scope=None):
        """A Saver for the restore ops a SaverDef names (tf.train.Saver.from_proto)."""
        if import_scope:
            sd = type(saver_def)()
            sd.CopyFrom(saver_def)
            for field in ("filename_tensor_name", "save_tensor_name", "restore_op_name"):
                value = getattr(sd, field)
                if value:
                    setattr(sd, field, import_scope + "/" + value)
            saver_def = sd
        return Saver(saver_def=saver_def)

    def export_meta_graph(self, filename=None, collection_list=None, as_text=False,
                          export_scope=None, clear_devices=False, clear_extraneous_savers=False,
                          strip_default_attrs=False, save_debug_info=False):
        """Writes the graph with this Saver's SaverDef (tf.train.Saver.export_meta_graph).

        Returns:
          The `MetaGraphDef` proto.
        """
        return _meta_graph.export_meta_graph(filename=filename, saver_def=self.as_saver_def(),
                                             collection_list=collection_list, as_text=as_text,
                                             graph=self._graph, export_scope=export_scope,
                                             clear_devices=clear_devices)

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
          meta_graph_suffix: the MetaGraph file is `<prefix>.<meta_graph_suffix>`.
          write_meta_graph: write the MetaGraph (the graph, its collections and this
            Saver's SaverDef) next to the values, as TF does by default.
          strip_default_attrs, save_debug_info: accepted for TF compatibility.

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
        if write_meta_graph:
            self.export_meta_graph(prefix + "." + meta_graph_suffix)
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
          NotFoundError: the checkpoint lacks a variable (named in the message), or
            its file vanished.
          InvalidArgumentError: a saved value's shape or dtype differs from its variable's.
          DataLossError: the file is truncated, corrupted, pickled or not a checkpoint.
          ResourceExhaustedError: a value does not fit in memory.
          On any of these, every variable keeps the value it had.
        """
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        if not checkpoint_exists(save_path):
            if os.path.isfile(save_path + ".index"):
                raise ValueError("%s is a TensorFlow checkpoint (.index/.data files); tinygraph "
                                 "reads only its own .npz checkpoints." % save_path)
            raise ValueError("The passed save_path is not a valid checkpoint: %s" % save_path)
        # Read and check everything first: a failure leaves every variable as it was.
        values = _read_arrays(save_path + _DATA_SUFFIX, list(self._vars))
        feed = {}
        for key, v in self._vars.items():
            value = values[key]
            want = v.dtype.as_numpy_dtype
            if value.dtype != np.dtype(want):
                raise errors.InvalidArgumentError(
                    None, None, _RESTORE_HINT + "tensor_name = %s; expected dtype %s does not "
                    "equal original dtype %s" % (key, v.dtype.base_dtype.name, _dtype_name(value.dtype)))
            if not v.shape.is_compatible_with(value.shape):
                raise errors.InvalidArgumentError(
                    None, None, _RESTORE_HINT + "Assign requires shapes of both tensors to match. "
                    "lhs shape= %s rhs shape= %s (variable %s)" % (
                        _bracket(v.shape.as_list()), _bracket(value.shape), key))
            feed[self._feeds[key]] = value
        if self._restore_op is not None:
            sess.run(self._restore_op, feed_dict=feed)



def _bracket(dims):
    return "[%s]" % ",".join(str(d) for d in dims)


def _dtype_name(np_dtype):
    try:
        return dtypes.as_dtype(np_dtype).name
    except (TypeError, ValueError, KeyError):
        return str(np_dtype)



# -- MetaGraphs ------------------------------------------------------------------------------
def export_meta_graph(filename=None, meta_info_def=None, graph_def=None, saver_def=None,
                      collection_list=None, as_text=False, graph=None, export_scope=None,
                      clear_devices=False, clear_extraneous_savers=False, strip_default_attrs=False,
                      save_debug_info=False, **kwargs):
    """The MetaGraphDef of a graph, written to `filename` if given (tf.train.export_meta_graph).

    Args:
      filename: optional path of the file to write.
      meta_info_def: optional `MetaInfoDef` proto.
      graph_def: optional GraphDef to write instead of the graph's.
      saver_def: optional `SaverDef` proto (import_meta_graph then returns a Saver for it).
      collection_list: the collection keys to write (default: all).
      as_text: write the text format instead of binary.
      graph: the Graph (default: the default graph).
      clear_devices: leave out device strings.
      export_scope, clear_extraneous_savers, strip_default_attrs, save_debug_info:
        accepted for TF compatibility (export_scope must be None).

    Returns:
      A `MetaGraphDef` proto.
    """
    return _meta_graph.export_meta_graph(
        filename=filename, meta_info_def=meta_info_def, graph_def=graph_def, saver_def=saver_def,
        collection_list=collection_list, as_text=as_text, graph=graph, export_scope=export_scope,
        clear_devices=clear_devices)


# what decoding a file's inconsistent content raises (MemoryError: absurd sizes)
_NOT_A_META_GRAPH = (ValueError, KeyError, IndexError, TypeError, AttributeError, UnicodeDecodeError,
                     OverflowError, MemoryError)


def import_meta_graph(meta_graph_or_file, clear_devices=False, import_scope=None, **kwargs):
    """Rebuilds a saved graph in the default graph (tf.train.import_meta_graph).

    Creates the graph's ops (loop and cond bodies included), its collections (the
    Variables become Variable objects again, in GLOBAL_VARIABLES / TRAINABLE_VARIABLES),
    and a Saver for its SaverDef. All or nothing: on any error the default graph is
    unchanged. Without `import_scope`, names already in the graph are made unique
    ("x" -> "x_1") while collections are restored by their saved names, as TF does.

    Args:
      meta_graph_or_file: a `MetaGraphDef` proto or the path of a `.meta` file.
      clear_devices: leave out the saved device strings.
      import_scope: optional name scope prefixed to all imported names.
      **kwargs: `input_map` ({saved tensor name: Tensor}) and
        `restore_collections_predicate` (key -> bool), as in TF.

    Returns:
      A Saver for the saved SaverDef; else a new Saver if there are variables; else None.

    Raises:
      NotFoundError: the file does not exist, or an op type is not registered.
      DataLossError: the file is truncated, corrupted or not a MetaGraph.
      PermissionDeniedError, FailedPreconditionError: the file may not be read, or is a directory.
      ValueError: a MetaGraphDef proto passed in is inconsistent.
    """
    from_file = not isinstance(meta_graph_or_file, _meta_graph.pb.meta_graph_pb2.MetaGraphDef)
    if from_file:
        mg = _meta_graph.read_meta_graph_file(meta_graph_or_file)
    else:
        mg = meta_graph_or_file
    graph = _graph.get_default_graph().root
    state = _meta_graph._GraphState(graph)

    def saver_from_def(sd, scope):
        graph.add_to_collection(GraphKeys.SAVERS, Saver.from_proto(sd, scope or None))
    try:
        scope = _meta_graph.import_meta_graph_def(
            mg, clear_devices=clear_devices, import_scope=import_scope,
            input_map=kwargs.get("input_map"), saver_from_def=saver_from_def,
            restore_collections_predicate=kwargs.get("restore_collections_predicate", lambda key: True))
        if mg.HasField("saver_def"):
            return Saver.from_proto(mg.saver_def, scope or None)
        if _variables.global_variables(scope or None):
            return Saver()
        return None
    except _NOT_A_META_GRAPH as e:
        state.restore()
        if not from_file:
            raise
        raise errors.DataLossError(None, None, "%s is not a valid MetaGraph (%s: %s)"
                                   % (meta_graph_or_file, type(e).__name__, e)) from None
    except BaseException:
        state.restore()
        raise


def write_graph(graph_or_graph_def, logdir, name, as_text=True):
    """Writes a graph's GraphDef proto to `logdir/name` (tf.train.write_graph).

    Args:
      graph_or_graph_def: a Graph or a GraphDef.
      logdir: the directory (created if needed).
      name: the file name.
      as_text: the text format (default) or binary.

    Returns:
      The path written.
    """
    return _meta_graph.write_graph(graph_or_graph_def, logdir, name, as_text)
