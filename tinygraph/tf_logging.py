"""`tf.logging`: TF 1.x's logging functions, on Python's `logging` module.

    tf.logging.set_verbosity(tf.logging.INFO)
    tf.logging.info("step %d: loss %.3f", step, loss)   # INFO:tinygraph:step 3: loss 0.250

Messages go to the "tinygraph" logger; the default verbosity is WARN, as in TF. When the
root logger has no handlers, the first message installs one on stderr with TF's
"LEVEL:name:message" format (as TF does, so configured applications log only once).
"""
import logging as _logging
import sys as _sys
import threading as _threading

__all__ = ["DEBUG", "INFO", "WARN", "ERROR", "FATAL", "debug", "info", "warn", "warning",
           "error", "fatal", "log", "log_if", "log_every_n", "log_first_n", "vlog",
           "get_verbosity", "set_verbosity", "flush", "get_logger", "TaskLevelStatusMessage"]

DEBUG = _logging.DEBUG
INFO = _logging.INFO
WARN = _logging.WARN
ERROR = _logging.ERROR
FATAL = _logging.FATAL

_logger = None
_lock = _threading.Lock()
_counts = {}


def get_logger():
    """The "tinygraph" logger (WARN by default), created on first use."""
    global _logger
    if _logger is not None:
        return _logger
    with _lock:
        if _logger is None:
            logger = _logging.getLogger("tinygraph")
            if logger.level == _logging.NOTSET:
                logger.setLevel(WARN)
            if not _logging.getLogger().handlers and not logger.handlers:
                handler = _logging.StreamHandler(_sys.stderr)
                handler.setFormatter(_logging.Formatter(_logging.BASIC_FORMAT, None))
                logger.addHandler(handler)
            _logger = logger
    return _logger


def log(level, msg, *args, **kwargs):
    """Logs `msg % args` at `level`."""
    get_logger().log(level, msg, *args, **kwargs)


def debug(msg, *args, **kwargs):
    get_logger().debug(msg, *args, **kwargs)


def info(msg, *args, **kwargs):
    get_logger().info(msg, *args, **kwargs)


def warn(msg, *args, **kwargs):
    get_logger().warning(msg, *args, **kwargs)


warning = warn


def error(msg, *args, **kwargs):
    get_logger().error(msg, *args, **kwargs)


def fatal(msg, *args, **kwargs):
    get_logger().fatal(msg, *args, **kwargs)


def vlog(level, msg, *args, **kwargs):
    get_logger().log(level, msg, *args, **kwargs)


def log_if(level, msg, condition, *args):
    """Logs `msg % args` at `level` if `condition`."""
    if condition:
        log(level, msg, *args)


def _caller_key():
    frame = _sys._getframe(3)
    return frame.f_code.co_filename, frame.f_lineno


def _count_call():
    key = _caller_key()
    with _lock:
        n = _counts.get(key, 0)
        _counts[key] = n + 1
    return n


def log_every_n(level, msg, n, *args):
    """Logs on the 1st, (n+1)th, (2n+1)th, ... call from the same line."""
    count = _count_call()
    log_if(level, msg, not count % n, *args)


def log_first_n(level, msg, n, *args):
    """Logs on the first `n` calls from the same line."""
    count = _count_call()
    log_if(level, msg, count < n, *args)


def get_verbosity():
    """The logger's threshold level (WARN unless set)."""
    return get_logger().getEffectiveLevel()


def set_verbosity(v):
    """Sets the threshold: messages below level `v` (e.g. tf.logging.INFO) are dropped."""
    get_logger().setLevel(v)


def flush():
    for handler in get_logger().handlers:
        handler.flush()


def TaskLevelStatusMessage(msg):  # noqa: N802 - TF's name
    error(msg)
