"""Array backends: the only place that imports an array library.

Kernels never import numpy or cupy; they receive ``xp``, the array module of
the active backend. The session moves feeds in with ``to_device`` and fetches
out with ``to_host``; nothing else crosses between host and device.

Choose a backend with ``tinygraph.set_backend(name)`` or the environment
variable ``TINYGRAPH_BACKEND`` (read when the first session starts):

- "numpy" (default): host arrays, no copies at all;
- "cupy": CuPy on a CUDA GPU (``pip install -e ".[gpu]"``), see cupy_backend.py;
- "fakedevice": numpy behind CuPy's host/device rules, counting every copy; it needs
  no GPU and lets the tests check device discipline (see fake_device.py).
"""
import os

from .core import (Backend, TransferCounter, host_ints, host_scalar, hostnp,  # noqa: F401
                   register_host_reader, to_host_small)
from .cupy_backend import CupyBackend
from .fake_device import FakeDeviceBackend

__all__ = ["Backend", "TransferCounter", "set_backend", "get_backend", "available_backends",
           "register_backend", "register_host_reader", "to_host_small", "host_scalar",
           "host_ints", "hostnp"]


_FACTORIES = {}


def register_backend(name, factory):
    """Makes `factory()` (returning a Backend) selectable as `name`."""
    _FACTORIES[name] = factory


def available_backends():
    """The names that `set_backend` accepts (whether or not they can start here)."""
    return sorted(_FACTORIES)


register_backend("numpy", Backend)
register_backend("fakedevice", FakeDeviceBackend)
register_backend("cupy", CupyBackend)  # imports cupy only when a session starts on it

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
