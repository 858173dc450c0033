"""tf.train.Coordinator: stop a set of threads together and report their exceptions.

    coord = tf.train.Coordinator()
    threads = tf.train.start_queue_runners(sess, coord)
    try:
        while not coord.should_stop():
            sess.run(train_op)
    except tf.errors.OutOfRangeError:
        pass
    finally:
        coord.request_stop()
    coord.join(threads)     # re-raises the first exception a thread reported
"""
import contextlib
import sys
import threading
import time

from ..framework import errors

__all__ = ["Coordinator"]


class Coordinator:
    """A stop flag shared by threads, with the first exception any of them reported.

    Args:
      clean_stop_exception_types: exception types that stop the threads without being
        re-raised by `join` (default: `tf.errors.OutOfRangeError`, the end of the input).
    """

    def __init__(self, clean_stop_exception_types=None):
        if clean_stop_exception_types is None:
            clean_stop_exception_types = (errors.OutOfRangeError,)
        self._clean_stop_exception_types = tuple(clean_stop_exception_types)
        self._lock = threading.Lock()
        self._stop_event = threading.Event()
        self._exc_info_to_raise = None
        self._joined = False
        self._registered_threads = set()

    def _filter_exception(self, ex):
        if isinstance(ex, tuple):
            ex2 = ex[1]
        else:
            ex2 = ex
        if isinstance(ex2, self._clean_stop_exception_types):
            return None  # a clean stop: not an error
        return ex

    def request_stop(self, ex=None):
        """Asks every thread to stop; records `ex` (an exception or an exc_info tuple) if
        it is the first one reported and not a clean-stop type.

        Raises:
          ValueError: `ex` is neither an exception nor an exc_info tuple.
        """
        with self._lock:
            ex = self._filter_exception(ex)
            if self._joined:
                # After join, a reported exception is raised in the reporting thread.
                if isinstance(ex, tuple):
                    raise ex[1].with_traceback(ex[2])
                if ex is not None:
                    raise ex
                return
            if not self._stop_event.is_set():
                if ex and self._exc_info_to_raise is None:
                    if isinstance(ex, tuple):
                        exc_info = ex
                    elif isinstance(ex, BaseException):
                        exc_info = (type(ex), ex, ex.__traceback__)
                    else:
                        raise ValueError("ex must be a tuple or sys.exc_info, got: %s" % (ex,))
                    if len(exc_info) != 3 or not exc_info[0] or not exc_info[1]:
                        raise ValueError("ex must be a tuple or sys.exc_info, got: %s" % (ex,))
                    self._exc_info_to_raise = exc_info
                self._stop_event.set()

    def clear_stop(self):
        """Clears the stop flag and the recorded exception, so the coordinator can be reused."""
        with self._lock:
            self._joined = False
            self._exc_info_to_raise = None
            self._stop_event.clear()

    def should_stop(self):
        """Whether a stop has been requested."""
        return self._stop_event.is_set()

    @contextlib.contextmanager
    def stop_on_exception(self):
        """Context manager: an exception raised inside requests a stop (and is recorded)."""
        try:
            yield
        except:  # noqa: E722 - TF's contract: every exception stops the threads
            self.request_stop(ex=sys.exc_info())

    def wait_for_stop(self, timeout=None):
        """Waits until a stop is requested or `timeout` seconds pass; True if stopped."""
        return self._stop_event.wait(timeout)

    def register_thread(self, thread):
        """Adds `thread` to those `join` waits for."""
        with self._lock:
            self._registered_threads.add(thread)

    def join(self, threads=None, stop_grace_period_secs=120, ignore_live_threads=False):
        """Waits for the threads to stop, then re-raises the first recorded exception.

        Waits until every thread has ended or a stop was requested; then gives the
        threads `stop_grace_period_secs` to end.

        Args:
          threads: the threads to wait for, besides the registered ones.
          stop_grace_period_secs: how long threads may run on after the stop request.
          ignore_live_threads: if True, threads still alive after the grace period are
            only logged, not an error.

        Raises:
          The first exception passed to `request_stop` (other than clean stops).
          RuntimeError: threads were still running after the grace period.
        """
        with self._lock:
            threads = set(threads or ()) | self._registered_threads
        while any(t.is_alive() for t in threads) and not self.wait_for_stop(1.0):
            pass
        wait_s = 0.001
        while any(t.is_alive() for t in threads) and stop_grace_period_secs >= 0.0:
            time.sleep(wait_s)
            stop_grace_period_secs -= wait_s
            wait_s = max(min(2 * wait_s, stop_grace_period_secs), 0.001)
        stragglers = [t.name for t in threads if t.is_alive()]
        with self._lock:
            self._joined = True
            self._registered_threads = set()
            if self._exc_info_to_raise:
                _, value, tb = self._exc_info_to_raise
                raise value.with_traceback(tb)
            if stragglers and not ignore_live_threads:
                raise RuntimeError("Coordinator stopped with threads still running: %s"
                                   % " ".join(stragglers))

    @property
    def joined(self):
        return self._joined

    def raise_requested_exception(self):
        """Re-raises the recorded exception, if any."""
        with self._lock:
            if self._exc_info_to_raise:
                _, value, tb = self._exc_info_to_raise
                raise value.with_traceback(tb)
