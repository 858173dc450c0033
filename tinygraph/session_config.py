"""Session configuration: `tf.ConfigProto`, `tf.GPUOptions`, ... and what a Session does
with them.

The messages are TensorFlow's own (`tensorboard.compat.proto.config_pb2`), loaded on
first use so that `import tinygraph` stays fast. A Session honours:

  intra_op_parallelism_threads  the threads the math uses: the BLAS thread pool (through
                                threadpoolctl) while the Session runs; 0 or no config:
                                DEFAULT_BLAS_THREADS (see benchmarks/blas_threads.py)
  log_device_placement          prints "op: (type): device" for the ops of each new plan
  allow_soft_placement, inter_op_parallelism_threads, gpu_options.allow_growth,
  device_count                  accepted; tinygraph runs every op on its one backend, one
                                op at a time, and CuPy's memory pool grows as needed
"""
import importlib
import sys

__all__ = ["PROTO_NAMES", "proto_class", "check_config", "BlasThreads", "DEFAULT_BLAS_THREADS",
           "blas_controller"]

PROTO_NAMES = ("ConfigProto", "GPUOptions", "GraphOptions", "OptimizerOptions")

# Measured with benchmarks/blas_threads.py (MLP 784-300-100-10, batches 50 and 200) on the
# 2-core development machine, loaded and quieter: one BLAS thread was as fast or faster
# than the library default (two) at every batch; see docs/session_config.md.
DEFAULT_BLAS_THREADS = 1

_config_pb2 = None
_controller = None


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
    """The BLAS thread count a Session with `config` uses."""
    n = 0 if config is None else int(config.intra_op_parallelism_threads)
    if n < 0:
        raise ValueError("intra_op_parallelism_threads must be >= 0, got %d" % n)
    return n or DEFAULT_BLAS_THREADS


def blas_controller():
    """The threadpoolctl controller of the BLAS libraries loaded when a session first ran
    (numpy's, which the kernels use), made on first use: importing threadpoolctl and
    scanning the libraries takes ~50 ms."""
    global _controller
    if _controller is None:
        _controller = importlib.import_module("threadpoolctl").ThreadpoolController()
    return _controller


class BlasThreads:
    """Context manager limiting the BLAS pool to `n` threads, restoring it on exit."""

    def __init__(self, n):
        self.n = n
        self._limiter = None

    def __enter__(self):
        self._limiter = blas_controller().limit(limits=self.n, user_api="blas")
        return self

    def __exit__(self, *exc):
        limiter, self._limiter = self._limiter, None
        if limiter is not None:
            limiter.restore_original_limits()
        return False


def log_placement(plan, device):
    """Prints each op of a new plan with its device, as log_device_placement does in TF."""
    for op in plan.ops:
        print("%s: (%s): %s" % (op.name, op.type, device), file=sys.stderr)
