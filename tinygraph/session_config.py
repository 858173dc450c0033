"""Session configuration: `tf.ConfigProto`, `tf.GPUOptions`, ... and what a Session does
with them.

The messages are TensorFlow's own (`tensorboard.compat.proto.config_pb2`), loaded on
first use so that `import tinygraph` stays fast. A Session honours:

  intra_op_parallelism_threads  the threads the math uses: the BLAS thread pool (through
                                threadpoolctl) while the Session runs; 0 or no config:
                                one thread on a busy machine, else the library's own
                                (see blas_threads and benchmarks/blas_threads.py)
  log_device_placement          prints "op: (type): device" for the ops of each new plan
  allow_soft_placement, inter_op_parallelism_threads, gpu_options.allow_growth,
  device_count                  accepted; tinygraph runs every op on its one backend, one
                                op at a time, and CuPy's memory pool grows as needed
"""
import importlib
import os
import sys
import threading

__all__ = ["PROTO_NAMES", "proto_class", "check_config", "BlasThreads", "DEFAULT_BLAS_THREADS",
           "blas_controller", "NO_LIMIT", "machine_busy"]

PROTO_NAMES = ("ConfigProto", "GPUOptions", "GraphOptions", "OptimizerOptions")

# Measured with benchmarks/blas_threads.py (MLP 784-300-100-10, batches 50 and 200) and
# benchmarks/run.py on the 2-core development machine: loaded, one BLAS thread was 5-35x
# faster than two; quiet, two were faster (W3's wide LSTM 1.4x); see docs/session_config.md.
DEFAULT_BLAS_THREADS = 1

_config_pb2 = None
_controller = None
_libs = None


def _pb2():
    global _config_pb2
    if _config_pb2 is None:  # on first use: protobuf costs ~0.1 s to import
        _config_pb2 = importlib.import_module("tensorboard.compat.proto.config_pb2")
    return _config_pb2


def proto_class(name):
    """The TF message class `name` ("ConfigProto", "GPUOptions", ...).

    Raises:
      ImportError: tensorboard (which ships TF's protos) is not installed.
    """
    return getattr(_pb2(), name)


def check_config(config):
    """Returns `config` (a ConfigProto or None).

    Raises:
      TypeError: `config` is something else, as TF's Session raises.
    """
    if config is None:
        return None
    if not isinstance(config, _pb2().ConfigProto):
        raise TypeError("config must be a tf.ConfigProto, but got %s" % type(config))
    return config


def blas_threads(config):
    """The BLAS thread count a Session with `config` uses, or None: the library's own.

    `intra_op_parallelism_threads` > 0 is used as given. 0 or no config lets the system
    pick, as in TF: DEFAULT_BLAS_THREADS when the machine is busy as the session is
    made (a load average of at least one per core), else the library's own pool, which
    is then left alone (no cost per run).

    Raises:
      ValueError: a negative count.
    """
    n = 0 if config is None else int(config.intra_op_parallelism_threads)
    if n < 0:
        raise ValueError("intra_op_parallelism_threads must be >= 0, got %d" % n)
    if n:
        return n
    return DEFAULT_BLAS_THREADS if machine_busy() else None


def machine_busy():
    """Whether the 1-minute load average is at least the number of cores."""
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # not on every platform
        return False
    return load >= (os.cpu_count() or 1)


def blas_controller():
    """The threadpoolctl controller of the BLAS libraries loaded when a session first ran
    (numpy's, which the kernels use), made on first use: importing threadpoolctl and
    scanning the libraries takes ~50 ms."""
    global _controller
    if _controller is None:
        _controller = importlib.import_module("threadpoolctl").ThreadpoolController()
    return _controller


def _blas_libs():
    """The BLAS libraries' threadpoolctl controllers (found once)."""
    global _libs
    if _libs is None:
        _libs = [lib for lib in blas_controller().lib_controllers if lib.user_api == "blas"]
    return _libs


class BlasThreads:
    """Limits the BLAS pools to `n` threads while a run is under way.

    `limit()` sets the pools and returns what `restore(saved)` puts back; the saved
    counts are the caller's, so runs in several threads never restore each other's.
    Only pools whose count differs are touched (two C calls each; threadpoolctl's
    generic `limit` costs several microseconds per run). Also a context manager.
    """

    def __init__(self, n):
        self.n = n
        self._stack = threading.local()

    def limit(self):
        saved = []
        for lib in _blas_libs():
            old = lib.get_num_threads()
            if old != self.n:
                lib.set_num_threads(self.n)
                saved.append((lib, old))
        return saved

    @staticmethod
    def restore(saved):
        for lib, old in saved:
            lib.set_num_threads(old)

    def __enter__(self):
        stack = self._stack.__dict__.setdefault("saved", [])
        stack.append(self.limit())
        return self

    def __exit__(self, *exc):
        self.restore(self._stack.saved.pop())
        return False


class _NoLimit:
    """The BLAS pools left as they are (a Session whose system-picked count is the library's)."""

    @staticmethod
    def limit():
        return ()

    @staticmethod
    def restore(saved):
        pass


NO_LIMIT = _NoLimit()


def log_placement(plan, device):
    """Prints each op of a new plan with its device, as log_device_placement does in TF."""
    for op in plan.ops:
        print("%s: (%s): %s" % (op.name, op.type, device), file=sys.stderr)
