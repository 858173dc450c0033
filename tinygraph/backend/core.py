"""What every array backend builds on: the Backend interface (the numpy one), the
transfer counter, and the explicit small host reads kernels may make.
"""
import numpy as hostnp  # host arrays: feeds, fetches, dtype handling

__all__ = ["Backend", "TransferCounter", "register_host_reader", "to_host_small", "host_scalar",
           "host_ints", "hostnp"]


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

    def prefetch_from_host(self, host_array):
        """Starts bringing a swapped value back early (the backward loop reads it next)."""

    def random_state(self, seed):
        """A random generator for one random op, seeded with `seed` (None: fresh)."""
        return hostnp.random.RandomState(seed)

    def __repr__(self):
        return "<tinygraph backend %r>" % self.name


class TransferCounter:
    """Counts host<->device copies: number and bytes, each way.

    Attributes:
      to_device_count, to_device_bytes: uploads (feeds, constants, `xp.asarray(host)`).
      to_host_count, to_host_bytes: downloads (fetches, `.get()`).
      small_reads_count, small_reads_bytes: small reads a kernel needs on the host (a loop
        predicate, a TensorArray index, a shape vector): `int(a)`, `bool(a)`, `host_ints`.
      small_writes_count, small_writes_bytes: small uploads of values a kernel computed on
        the host from Python ints (a shape vector: `xp.asarray(x.shape)`).
      swap_out_count, swap_out_bytes, swap_in_count, swap_in_bytes: swap_memory copies
        of saved loop values (to pinned host memory and back), counted apart.
    """

    _FIELDS = ("to_device_count", "to_device_bytes", "to_host_count", "to_host_bytes",
               "small_reads_count", "small_reads_bytes", "small_writes_count",
               "small_writes_bytes", "swap_out_count", "swap_out_bytes",
               "swap_in_count", "swap_in_bytes")

    def __init__(self):
        self.reset()

    def reset(self):
        for f in self._FIELDS:
            setattr(self, f, 0)

    def count_to_device(self, nbytes):
        self.to_device_count += 1
        self.to_device_bytes += int(nbytes)

    def count_to_host(self, nbytes):
        self.to_host_count += 1
        self.to_host_bytes += int(nbytes)

    def count_small_read(self, nbytes):
        self.small_reads_count += 1
        self.small_reads_bytes += int(nbytes)

    def count_small_write(self, nbytes):
        self.small_writes_count += 1
        self.small_writes_bytes += int(nbytes)

    def array_copies(self):
        """(uploads, downloads) of whole arrays: everything but small reads/writes and swaps."""
        return self.to_device_count, self.to_host_count

    def count_swap_out(self, nbytes):
        self.swap_out_count += 1
        self.swap_out_bytes += int(nbytes)

    def count_swap_in(self, nbytes):
        self.swap_in_count += 1
        self.swap_in_bytes += int(nbytes)

    def as_dict(self):
        return {f: getattr(self, f) for f in self._FIELDS}

    def __repr__(self):
        return "TransferCounter(%s)" % ", ".join("%s=%d" % kv for kv in self.as_dict().items())


# -- small explicit host reads -------------------------------------------------------
# Kernels get only `xp`; a few need a small value on the host (a loop predicate, a
# shape vector fed as a tensor). These helpers make that read explicit and, on a
# device backend, counted. Device backends register a reader for their array type.
_HOST_READERS = {}


def register_host_reader(array_type, reader):
    """`reader(array)` -> numpy array: an explicit, counted small copy to the host."""
    _HOST_READERS[array_type] = reader


def to_host_small(x):
    """`x` (a small backend array, numpy value or Python value) as a numpy array."""
    reader = _HOST_READERS.get(type(x))
    if reader is not None:
        return reader(x)
    return hostnp.asarray(x)


def host_scalar(x):
    """A one-element array as a Python scalar (bool, int or float): a small host read."""
    if isinstance(x, (bool, int, float)):
        return x
    return to_host_small(x).reshape(()).item()


def host_ints(x):
    """An int scalar or vector (a shape, a size, axes) as a tuple of Python ints."""
    if isinstance(x, (list, tuple)):
        return tuple(int(v) for v in x)
    return tuple(int(v) for v in to_host_small(x).reshape(-1))
