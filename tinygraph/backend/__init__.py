"""Array backends: the only place that imports an array library.

Kernels never import numpy or cupy; they receive ``xp``, the array module of
the active backend. The session moves feeds in with ``to_device`` and fetches
out with ``to_host``; nothing else crosses between host and device.

Choose a backend with ``tinygraph.set_backend(name)`` or the environment
variable ``TINYGRAPH_BACKEND`` (read at import time).
"""
import os

import numpy as hostnp  # host arrays: feeds, fetches, dtype handling

__all__ = ["Backend", "set_backend", "get_backend", "available_backends", "hostnp"]


class Backend:
    """An array module plus the two copies that cross the host/device line.

    Attributes:
      name: the backend's name ("numpy", "cupy", ...).
      xp: the array module kernels call (numpy-compatible API).
      is_device: True when arrays live outside host memory.
    """

    name = "numpy"
    is_device = False

    def __init__(self):
        self.xp = hostnp
        self.transfers = TransferCounter()

    def to_device(self, host_array):
        """Returns `host_array` (a numpy array) as an array of this backend."""
        return host_array

    def to_host(self, array):
        """Returns `array` as a numpy array (a copy only where the device needs one)."""
        return array

    def to_host_pinned(self, array):
        """Copies a saved value to host memory (the swap_memory policy)."""
        return array

    def from_host_pinned(self, host_array):
        """Brings a swapped value back (the swap_memory policy)."""
        return host_array

    def random_state(self, seed):
        """A random generator for one random op, seeded with `seed` (None: fresh)."""
        return hostnp.random.RandomState(seed)

    def __repr__(self):
        return "<tinygraph backend %r>" % self.name


class TransferCounter:
    """Counts host<->device copies: number and bytes, each way."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.to_device_count = 0
        self.to_device_bytes = 0
        self.to_host_count = 0
        self.to_host_bytes = 0

    def as_dict(self):
        return dict(to_device_count=self.to_device_count, to_device_bytes=self.to_device_bytes,
                    to_host_count=self.to_host_count, to_host_bytes=self.to_host_bytes)


_FACTORIES = {}


def register_backend(name, factory):
    """Makes `factory()` (returning a Backend) selectable as `name`."""
    _FACTORIES[name] = factory


def available_backends():
    """The names that `set_backend` accepts (whether or not they can start here)."""
    return sorted(_FACTORIES)


register_backend("numpy", Backend)

_active = None


def set_backend(name):
    """Selects the array backend used by sessions created from now on.

    Args:
      name: "numpy" (default) or another registered backend name.

    Returns:
      The Backend object.

    Raises:
      ValueError: `name` is not a known backend.
      RuntimeError: the backend is known but cannot start here (e.g. no CuPy or no GPU).
    """
    global _active
    if name not in _FACTORIES:
        raise ValueError("Unknown tinygraph backend %r; known backends: %s"
                         % (name, ", ".join(available_backends())))
    _active = _FACTORIES[name]()
    return _active


def get_backend():
    """Returns the active Backend, starting the one named by TINYGRAPH_BACKEND on first use."""
    if _active is None:
        set_backend(os.environ.get("TINYGRAPH_BACKEND", "numpy") or "numpy")
    return _active
