"""MetaGraph files: export_meta_graph / import_meta_graph_def, `.meta` files and write_graph.

A binary `.meta` written here is closed by its length and CRC-32 (two fields TF ignores),
a text one by a closing comment line, so a truncated or corrupted file is told from a
complete one.
"""
import os
import re
import zlib

from ..framework import errors
from ..framework import graph as _graph
from .export import _graph_def_proto, graph_to_proto
from .importer import _GraphState, _import_into
from .protos import pb
from .variables import _collection_def, _restore_collections


# A binary .meta written by tinygraph ends with two fields TF ignores: the length (1000,
# varint) and the CRC-32 (1001, fixed32) of the bytes before them.
_LENGTH_FIELD, _CRC_FIELD = 1000, 1001
_MARKER = "tinygraph"


def export_meta_graph(filename=None, meta_info_def=None, graph_def=None, saver_def=None,
                      collection_list=None, as_text=False, graph=None, export_scope=None,
                      clear_devices=False, clear_extraneous_savers=False, strip_default_attrs=False,
                      save_debug_info=False, **kwargs):
    """The MetaGraphDef of a graph, also written to `filename` if given (tf.train.export_meta_graph).

    Args:
      filename: optional path of the file to write.
      meta_info_def: optional `MetaInfoDef` proto.
      graph_def: optional GraphDef proto to use instead of the graph's.
      saver_def: optional `SaverDef` proto.
      collection_list: the collection keys to write (default all).
      as_text: write the text format instead of binary.
      graph: the Graph (default: the default graph).
      clear_devices: leave out device strings.
      export_scope, clear_extraneous_savers, strip_default_attrs, save_debug_info:
        accepted for TF compatibility (export_scope must be None).

    Returns:
      A `MetaGraphDef` proto.

    Raises:
      ValueError: export_scope is given.
    """
    if export_scope:
        raise ValueError("export_scope is not supported by tinygraph")
    graph = (graph or _graph.get_default_graph()).root
    mg = pb.meta_graph_pb2.MetaGraphDef()
    if meta_info_def is not None:
        mg.meta_info_def.CopyFrom(meta_info_def)
    mg.meta_info_def.function_aliases[_MARKER] = "MetaGraphDef"
    mg.graph_def.CopyFrom(_graph_def_proto(graph_def) if graph_def is not None else
                          graph_to_proto(graph, clear_devices=clear_devices))
    if saver_def is not None:
        mg.saver_def.CopyFrom(saver_def)
    var_protos = {}
    for key in (collection_list if collection_list is not None else graph.get_all_collection_keys()):
        if not isinstance(key, str):
            continue
        cd = _collection_def(key, graph.get_collection(key), graph, var_protos)
        if cd is not None:
            mg.collection_def[key].CopyFrom(cd)
    if filename:
        write_meta_graph_file(mg, filename, as_text)
    return mg


def _varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _tail(body):
    return (_varint(_LENGTH_FIELD << 3) + _varint(len(body)) + _varint(_CRC_FIELD << 3 | 5)
            + zlib.crc32(body).to_bytes(4, "little"))


def _tail_state(data):
    """None if binary `data` has no closing length and CRC; else whether they match."""
    head, crc_tag = _varint(_LENGTH_FIELD << 3), _varint(_CRC_FIELD << 3 | 5)
    for body_len in range(max(0, len(data) - 32), len(data)):
        rest = data[body_len:]
        if rest.startswith(head + _varint(body_len) + crc_tag) and \
                len(rest) == len(head) + len(_varint(body_len)) + len(crc_tag) + 4:
            return rest == _tail(data[:body_len])
    return None


def _text_closing(body):
    return b"# end of MetaGraphDef: %d bytes, crc32 %d\n" % (len(body), zlib.crc32(body))


def write_meta_graph_file(meta_graph_def, filename, as_text=False):
    """Writes a MetaGraphDef to `filename` (binary, closed by a length record, or text)."""
    if as_text:
        data = pb.text_format.MessageToString(meta_graph_def).encode("utf-8")
        data += _text_closing(data)
    else:
        data = meta_graph_def.SerializeToString()
        data += _tail(data)
    directory = os.path.dirname(filename)
    if directory:
        os.makedirs(directory, exist_ok=True)
    tmp = filename + ".tmp%d" % os.getpid()
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, filename)


def read_meta_graph_file(filename):
    """The MetaGraphDef in `filename` (binary or text).

    Raises:
      NotFoundError: no such file.
      PermissionDeniedError: the file may not be read.
      FailedPreconditionError: the path is a directory.
      DataLossError: the file cannot be read or parsed, is truncated or corrupted.
    """
    try:
        with open(filename, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise errors.NotFoundError(None, None, "File does not exist. Received: %s." % filename) from None
    except PermissionError as e:
        raise errors.PermissionDeniedError(None, None, "Cannot read MetaGraph file %s: %s" % (filename, e)) from None
    except IsADirectoryError:
        raise errors.FailedPreconditionError(None, None, "%s is a directory, not a MetaGraph file"
                                             % filename) from None
    except OSError as e:
        raise errors.DataLossError(None, None, "Cannot read MetaGraph file %s: %s" % (filename, e)) from None
    tail = _tail_state(data)
    if tail is False:
        raise errors.DataLossError(None, None, "MetaGraph file %s is corrupted (its closing length "
                                   "and CRC-32 do not match its content)" % filename)
    mg = pb.meta_graph_pb2.MetaGraphDef()
    try:
        mg.ParseFromString(data)
        binary = True
    except Exception:  # protobuf's DecodeError and friends: try the text format
        binary = False
    if binary and (tail or _MARKER in mg.meta_info_def.function_aliases):
        if not tail:
            raise errors.DataLossError(None, None, "MetaGraph file %s is truncated (its closing "
                                       "length and CRC-32 are missing)" % filename)
        return mg
    if binary and len(mg.graph_def.node):
        return mg  # written by TensorFlow
    try:
        mg = pb.meta_graph_pb2.MetaGraphDef()
        pb.text_format.Merge(data.decode("utf-8"), mg)
    except Exception as e:  # text_format raises ParseError and others: all mean corrupt data
        raise errors.DataLossError(None, None, "Cannot parse MetaGraph file %s: it is neither a "
                                   "binary nor a text MetaGraphDef (%s: %s)"
                                   % (filename, type(e).__name__, str(e)[:200])) from None
    if _MARKER in mg.meta_info_def.function_aliases:
        m = re.search(rb"# end of MetaGraphDef: \d+ bytes, crc32 \d+\n?$", data)
        if not m or data[m.start():].rstrip(b"\n") != _text_closing(data[:m.start()]).rstrip(b"\n"):
            raise errors.DataLossError(None, None, "MetaGraph file %s is truncated (its closing "
                                       "line is missing or wrong)" % filename)
    elif not len(mg.graph_def.node):
        raise errors.DataLossError(None, None, "MetaGraph file %s holds no graph: it is corrupted "
                                   "or not a MetaGraphDef" % filename)
    return mg


def import_meta_graph_def(meta_graph_def, clear_devices=False, import_scope=None, input_map=None,
                          restore_collections_predicate=lambda key: True, saver_from_def=None):
    """Imports a MetaGraphDef's graph and collections into the default graph, all or nothing.

    Args:
      meta_graph_def: a MetaGraphDef proto.
      clear_devices: leave out the saved device strings.
      import_scope: optional name scope for the imported names (made unique).
      input_map: {saved tensor name: Tensor}.
      restore_collections_predicate: key -> whether to restore that collection.
      saver_from_def: fn(SaverDef proto, scope) adding a Saver for the `savers` collection.

    Returns:
      The scope the names were put under ("" for none).
    """
    graph = _graph.get_default_graph().root
    scope = graph.unique_name(import_scope or "", mark_as_used=False) if import_scope else ""
    state = _GraphState(graph)
    prefix = ""
    if import_scope:
        with graph.name_scope(import_scope) as s:
            prefix = s
    try:
        _import_into(graph, meta_graph_def.graph_def, prefix, input_map, clear_devices,
                     uniquify=not prefix)
        _restore_collections(graph, meta_graph_def, scope, restore_collections_predicate, saver_from_def)
    except BaseException:
        state.restore()
        raise
    return scope


def write_graph(graph_or_graph_def, logdir, name, as_text=True):
    """Writes a graph's GraphDef proto to `logdir/name` (tf.train.write_graph).

    Args:
      graph_or_graph_def: a Graph or a GraphDef.
      logdir: the directory (created if needed).
      name: the file name.
      as_text: write the text format (default) instead of binary.

    Returns:
      The path of the file written.
    """
    if isinstance(graph_or_graph_def, _graph.Graph):
        gd = graph_to_proto(graph_or_graph_def)
    else:
        gd = _graph_def_proto(graph_or_graph_def)
    os.makedirs(logdir, exist_ok=True)
    path = os.path.join(logdir, name)
    data = pb.text_format.MessageToString(gd).encode("utf-8") if as_text else gd.SerializeToString()
    with open(path, "wb") as f:
        f.write(data)
    return path
