"""tf.train.QueueRunner: threads that keep a queue filled by running its enqueue ops.

Each enqueue op gets a thread that calls `sess.run(enqueue_op)` until the input ends
(one of `queue_closed_exception_types`, OutOfRangeError by default: e.g. an input
producer's epoch limit, or a reader at the end of its last file). When the last thread
ends, the queue is closed, so its consumers drain it and then get OutOfRangeError. With
a Coordinator, another exception stops every thread and is re-raised by `coord.join`,
and a stop request cancels the queue, waking enqueues blocked on a full queue.
"""
import logging
import threading
import weakref

from ..framework import errors
from ..framework import graph as _graph
from ..framework.graph import GraphKeys
from ..session import BaseSession, get_default_session

__all__ = ["QueueRunner", "add_queue_runner", "start_queue_runners"]

_log = logging.getLogger("tinygraph")


class QueueRunner:
    """Holds a queue's enqueue ops and runs each in a thread (tf.train.QueueRunner).

    Args:
      queue: the queue.
      enqueue_ops: the ops to run, one thread each.
      close_op: run when the last thread ends (default `queue.close()`).
      cancel_op: run on a coordinator's stop (default
        `queue.close(cancel_pending_enqueues=True)`).
      queue_closed_exception_types: exceptions that end a thread quietly (default
        `(tf.errors.OutOfRangeError,)`).

    Raises:
      ValueError: `queue` or `enqueue_ops` is missing.
    """

    def __init__(self, queue=None, enqueue_ops=None, close_op=None, cancel_op=None,
                 queue_closed_exception_types=None, queue_runner_def=None, import_scope=None):
        if queue_runner_def is not None:
            raise ValueError("tinygraph builds QueueRunners from their queue and ops; "
                             "queue_runner_def is not supported")
        if not queue:
            raise ValueError("Queue is a required argument")
        if not enqueue_ops:
            raise ValueError("At least one enqueue op is required")
        self._queue = queue
        self._enqueue_ops = list(enqueue_ops)
        self._close_op = close_op if close_op is not None else queue.close()
        self._cancel_op = cancel_op if cancel_op is not None else queue.close(cancel_pending_enqueues=True)
        if queue_closed_exception_types is None:
            queue_closed_exception_types = (errors.OutOfRangeError,)
        elif not queue_closed_exception_types or not all(
                isinstance(t, type) and issubclass(t, errors.OpError) for t in queue_closed_exception_types):
            raise TypeError("queue_closed_exception_types, when provided, must be a tuple of "
                            "tf.error types, but saw: %s" % (queue_closed_exception_types,))
        self._queue_closed_exception_types = tuple(queue_closed_exception_types)
        self._lock = threading.Lock()
        self._runs_per_session = weakref.WeakKeyDictionary()
        self._exceptions_raised = []

    @property
    def queue(self):
        return self._queue

    @property
    def enqueue_ops(self):
        return self._enqueue_ops

    @property
    def close_op(self):
        return self._close_op

    @property
    def cancel_op(self):
        return self._cancel_op

    @property
    def queue_closed_exception_types(self):
        return self._queue_closed_exception_types

    @property
    def exceptions_raised(self):
        """Exceptions the threads raised without a coordinator to report them to."""
        return self._exceptions_raised

    @property
    def name(self):
        """The queue's name."""
        return self._queue.name

    def _run(self, sess, enqueue_op, coord=None):
        decremented = False
        try:
            while True:
                if coord and coord.should_stop():
                    break
                try:
                    sess.run(enqueue_op)
                except self._queue_closed_exception_types:
                    with self._lock:
                        self._runs_per_session[sess] -= 1
                        decremented = True
                        if self._runs_per_session[sess] == 0:
                            try:
                                sess.run(self._close_op)
                            except Exception as e:  # noqa: BLE001 - the queue may be gone
                                _log.debug("Ignored exception: %s", e)
                    return
        except Exception as e:  # noqa: BLE001 - reported to the coordinator, as TF does
            if coord:
                coord.request_stop(e)
            else:
                _log.error("Exception in QueueRunner: %s", e)
                with self._lock:
                    self._exceptions_raised.append(e)
                raise
        finally:
            if not decremented:
                with self._lock:
                    self._runs_per_session[sess] -= 1

    def _close_on_stop(self, sess, cancel_op, coord):
        coord.wait_for_stop()
        try:
            sess.run(cancel_op)
        except Exception as e:  # noqa: BLE001 - the session may be closed already
            _log.debug("Ignored exception: %s", e)

    def create_threads(self, sess, coord=None, daemon=False, start=False):
        """Makes (and optionally starts) one thread per enqueue op, plus, with a
        coordinator, one that cancels the queue when a stop is requested.

        Returns:
          The threads; an empty list if threads for `sess` are already running.
        """
        with self._lock:
            if self._runs_per_session.get(sess, 0) > 0:
                return []
            self._runs_per_session[sess] = len(self._enqueue_ops)
            self._exceptions_raised = []
        threads = [threading.Thread(target=self._run, args=(sess, op, coord),
                                    name="QueueRunnerThread-%s-%s" % (self.name, op.name))
                   for op in self._enqueue_ops]
        if coord:
            threads.append(threading.Thread(target=self._close_on_stop, args=(sess, self._cancel_op, coord),
                                            name="QueueRunnerThread-%s-close_on_stop" % self.name))
        for t in threads:
            if coord:
                coord.register_thread(t)
            if daemon:
                t.daemon = True
            if start:
                t.start()
        return threads


def add_queue_runner(qr, collection=GraphKeys.QUEUE_RUNNERS):
    """Adds `qr` to the graph collection that `start_queue_runners` starts."""
    _graph.add_to_collection(collection, qr)


def start_queue_runners(sess=None, coord=None, daemon=True, start=True,
                        collection=GraphKeys.QUEUE_RUNNERS):
    """Starts the threads of every QueueRunner in the graph's `collection`.

    Args:
      sess: the session (default: the default session).
      coord: an optional Coordinator.
      daemon: whether the threads are daemon threads.
      start: whether to start them.
      collection: the collection of QueueRunners.

    Returns:
      The list of threads.

    Raises:
      ValueError: no session was given and none is the default.
      TypeError: `sess` is not a Session.
    """
    if sess is None:
        sess = get_default_session()
        if not sess:
            raise ValueError("Cannot start queue runners: No default session is registered. Use "
                             "`with sess.as_default()` or pass an explicit session to "
                             "tf.start_queue_runners(sess=sess)")
    if not isinstance(sess, BaseSession) and not hasattr(sess, "_tf_sess"):
        raise TypeError("sess must be a `tf.Session` object. Given class: %s" % sess.__class__)
    graph = sess.graph
    threads = []
    for qr in graph.get_collection(collection):
        threads.extend(qr.create_threads(sess, coord=coord, daemon=daemon, start=start))
    return threads
