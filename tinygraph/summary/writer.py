"""tf.summary.FileWriter: TensorBoard event files, written by TensorBoard's own writer.

An event file (`events.out.tfevents.<time>.<host>`) is a sequence of `Event` protos:
a version header, then graphs (`graph_def`) and summaries (`summary`, with a step).
The records, their CRCs and the background flushing are TensorBoard's
`EventFileWriter`; this class turns tinygraph objects into its protos.
"""
import threading
import time

from .. import meta_graph as _meta_graph
from ..framework import graph as _graph
from .summary_ops import summary_pb2

__all__ = ["FileWriter", "FileWriterCache"]


def _event_modules():
    # tensorboard is imported when first needed (import tinygraph stays fast)
    summary_pb2()  # the install hint if tensorboard is missing
    from tensorboard.compat.proto import event_pb2
    from tensorboard.summary.writer.event_file_writer import EventFileWriter
    return event_pb2, EventFileWriter


class FileWriter:
    """Writes graphs and summaries to an event file in `logdir` for TensorBoard.

    Args:
      logdir: the directory (created if needed); run `tensorboard --logdir DIR`.
      graph: optional Graph to write at once (as `add_graph` does), and its MetaGraphDef.
      max_queue: events buffered before a write.
      flush_secs: how often buffered events are written, in seconds.
      graph_def: a GraphDef to write instead of `graph` (deprecated in TF too).
      filename_suffix: appended to the event file's name.
      session: not supported (TF's summary-ops-v2 writer); must be None.

    Raises:
      ValueError: `session` is given.

    Use as a context manager to close it at the end.
    """

    def __init__(self, logdir, graph=None, max_queue=10, flush_secs=120, graph_def=None,
                 filename_suffix=None, session=None):
        if session is not None:
            raise ValueError("FileWriter(session=...) is not supported by tinygraph")
        self._event_pb2, writer_cls = _event_modules()
        self._writer = writer_cls(logdir, max_queue_size=max_queue, flush_secs=flush_secs,
                                  filename_suffix=filename_suffix or "")
        self._closed = False
        if graph is not None or graph_def is not None:
            self.add_graph(graph, graph_def=graph_def)
            if isinstance(graph, _graph.Graph):  # as TF: the MetaGraph too (importable)
                self.add_meta_graph(_meta_graph.export_meta_graph(graph=graph))

    def get_logdir(self):
        """The directory the event file is in."""
        return self._writer.get_logdir()

    def _check_open(self):
        if self._closed:
            raise RuntimeError("FileWriter is closed (call reopen() first)")

    def add_event(self, event):
        """Writes an `Event` protocol buffer as is."""
        self._check_open()
        self._writer.add_event(event)

    def _add(self, step, **fields):
        event = self._event_pb2.Event(wall_time=time.time(), **fields)
        if step is not None:
            event.step = int(step)
        self.add_event(event)

    def add_summary(self, summary, global_step=None):
        """Writes a summary: the bytes `sess.run(summary_op)` returned, or a `Summary` proto.

        Args:
          summary: serialized Summary bytes (a 0-d string array works too) or a Summary.
          global_step: the step to record it at (the x axis of TensorBoard's curves).
        """
        if hasattr(summary, "dtype") and getattr(summary, "shape", None) == ():
            summary = summary[()]
        if isinstance(summary, bytes):
            proto = summary_pb2().Summary()
            proto.ParseFromString(summary)
            summary = proto
        self._add(global_step, summary=summary)

    def add_graph(self, graph, global_step=None, graph_def=None):
        """Writes a graph for TensorBoard's graphs tab.

        Args:
          graph: a Graph (its name scopes become the tab's collapsible boxes).
          global_step: optional step.
          graph_def: a GraphDef (tinygraph's or a proto) to write instead.

        Raises:
          ValueError: neither graph nor graph_def is given.
        """
        if graph is not None:
            graph_def = graph.as_graph_def(add_shapes=True)
        if graph_def is None:
            raise ValueError("You must pass either a graph or a graph_def to add_graph.")
        if hasattr(graph_def, "to_proto"):
            graph_def = graph_def.to_proto()
        self._add(global_step, graph_def=graph_def.SerializeToString())

    def add_meta_graph(self, meta_graph_def, global_step=None):
        """Writes a `MetaGraphDef` proto (e.g. from tf.train.export_meta_graph)."""
        self._add(global_step, meta_graph_def=meta_graph_def.SerializeToString())

    def add_session_log(self, session_log, global_step=None):
        """Writes a SessionLog proto (e.g. a restart marker)."""
        self._add(global_step, session_log=session_log)

    def flush(self):
        """Writes all pending events to disk."""
        self._check_open()
        self._writer.flush()

    def close(self):
        """Flushes and closes the event file; later writes raise until `reopen`."""
        if not self._closed:
            self._writer.close()
            self._closed = True

    def reopen(self):
        """Reopens a closed writer (a new event file in the same logdir)."""
        if self._closed:
            _, writer_cls = _event_modules()
            self._writer = writer_cls(self._writer.get_logdir())
            self._closed = False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


class FileWriterCache:
    """One FileWriter per log directory, shared by the code that asks for it (TF 1.x's cache)."""

    _cache = {}
    _lock = threading.RLock()

    @staticmethod
    def get(logdir):
        """The FileWriter of `logdir`, created (with the default graph) on first use."""
        with FileWriterCache._lock:
            writer = FileWriterCache._cache.get(logdir)
            if writer is None:
                writer = FileWriterCache._cache[logdir] = FileWriter(
                    logdir, graph=_graph.get_default_graph())
            return writer

    @staticmethod
    def clear():
        """Closes and forgets all cached writers."""
        with FileWriterCache._lock:
            for writer in FileWriterCache._cache.values():
                writer.close()
            FileWriterCache._cache.clear()
