"""The CuPy backend: the same kernels on a CUDA GPU (``TINYGRAPH_BACKEND=cupy``).

Variables and intermediates live in device memory. The session copies feeds in
once per run (``to_device``) and fetches out (``to_host``); both are counted in
``backend.transfers``. String and object tensors stay in host memory, as in TF.

Random ops draw from ``cupy.random.RandomState(seed)``: seeded runs repeat on the
GPU, but the numbers differ from the NumPy backend's streams.

swap_memory: a saved loop value is copied to pinned host memory on a separate
CUDA stream as the forward loop pushes it (the device buffer is released once the
copy is done), and copied back on that stream one iteration ahead of the backward
loop (``prefetch_from_host``), so copies overlap compute.
"""
import collections

import numpy as np

from .core import Backend, TransferCounter, register_host_reader

__all__ = ["CupyBackend", "import_cupy"]

_INSTALL_HINT = 'pip install -e ".[gpu]"'


def import_cupy():
    """Imports cupy and checks for a CUDA device.

    Returns:
      The cupy module.

    Raises:
      RuntimeError: cupy is not installed, cannot load its CUDA libraries, or finds no
        CUDA device; the message says which.
    """
    try:
        import cupy  # optional: imported only when a session starts on the cupy backend
    except ImportError as e:
        if getattr(e, "name", None) == "cupy":
            raise RuntimeError("tinygraph backend 'cupy': cupy is not installed (%s)"
                               % _INSTALL_HINT) from None
        raise RuntimeError("tinygraph backend 'cupy': cupy is installed but cannot be imported "
                           "(%s); check the CUDA libraries (%s)" % (e, _INSTALL_HINT)) from None
    try:
        n = cupy.cuda.runtime.getDeviceCount()
    except Exception as e:  # CUDARuntimeError, or the driver library is missing
        raise RuntimeError("tinygraph backend 'cupy': no CUDA device (%s: %s)"
                           % (type(e).__name__, e)) from None
    if n < 1:
        raise RuntimeError("tinygraph backend 'cupy': no CUDA device (cupy sees 0 GPUs)")
    return cupy


class _Pinned:
    """A saved value swapped to pinned host memory, and its way back."""

    __slots__ = ("host", "copied", "device", "ready")

    def __init__(self, host, copied):
        self.host = host  # pinned numpy array
        self.copied = copied  # event: the device->host copy is done
        self.device = None  # the prefetched device array, once asked for
        self.ready = None  # event: the host->device copy is done

    @property
    def nbytes(self):
        return self.host.nbytes


def _host_resident(a):
    return a.dtype.kind in "OSUV"


class CupyBackend(Backend):
    """Kernels run on the current CUDA device through CuPy.

    Attributes:
      xp: the cupy module.
      transfers: a TransferCounter shared by this process's CuPy backends.
      swap_stream: the CUDA stream that carries swap_memory copies.
    """

    name = "cupy"
    is_device = True
    _transfers = TransferCounter()  # one GPU per process

    def __init__(self):
        cupy = import_cupy()
        import cupyx  # ships with cupy; imported with it, on first use
        self._cupy = cupy
        self._cupyx = cupyx
        self.xp = cupy
        self.transfers = CupyBackend._transfers
        self.swap_stream = cupy.cuda.Stream(non_blocking=True)
        self._in_flight = collections.deque()  # (event, device array) kept alive until copied
        register_host_reader(cupy.ndarray, self._small_read)

    def to_device(self, host_array):
        host_array = np.asarray(host_array)
        if _host_resident(host_array):
            return host_array
        self.transfers.count_to_device(host_array.nbytes)
        return self._cupy.asarray(host_array)

    def to_host(self, array):
        if isinstance(array, self._cupy.ndarray):
            self.transfers.count_to_host(array.nbytes)
            return self._cupy.asnumpy(array)
        return array  # host-resident values (strings), None, TensorArray values

    def _small_read(self, array):
        self.transfers.count_small_read(array.nbytes)
        return self._cupy.asnumpy(array)

    def to_host_pinned(self, array):
        if not isinstance(array, self._cupy.ndarray):
            return array
        cupy = self._cupy
        self._release_copied()
        host = self._cupyx.empty_pinned(array.shape, array.dtype)
        # The swap stream must wait until the compute stream has produced `array`.
        produced = cupy.cuda.get_current_stream().record()
        self.swap_stream.wait_event(produced)
        array.get(stream=self.swap_stream, out=host)  # async: `host` is pinned
        copied = self.swap_stream.record()
        self._in_flight.append((copied, array))  # free the device buffer only once copied
        self.transfers.count_swap_out(array.nbytes)
        return _Pinned(host, copied)

    def _release_copied(self):
        while self._in_flight and self._in_flight[0][0].done:
            self._in_flight.popleft()

    def prefetch_from_host(self, pinned):
        if not isinstance(pinned, _Pinned) or pinned.device is not None:
            return
        cupy = self._cupy
        self.swap_stream.wait_event(pinned.copied)
        pinned.device = cupy.empty(pinned.host.shape, pinned.host.dtype)
        pinned.device.set(pinned.host, stream=self.swap_stream)
        pinned.ready = self.swap_stream.record()
        self.transfers.count_swap_in(pinned.nbytes)

    def from_host_pinned(self, pinned):
        if not isinstance(pinned, _Pinned):
            return pinned
        self.prefetch_from_host(pinned)
        self._cupy.cuda.get_current_stream().wait_event(pinned.ready)
        device, pinned.device = pinned.device, None
        return device

    def random_state(self, seed):
        return self._cupy.random.RandomState(seed)

    def memory_pool_stats(self):
        """(used_bytes, total_bytes) of CuPy's default device memory pool."""
        pool = self._cupy.get_default_memory_pool()
        return pool.used_bytes(), pool.total_bytes()
