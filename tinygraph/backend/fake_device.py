"""A device-like backend for tests: NumPy underneath, CuPy's rules on top.

It needs no GPU. Its arrays (`DeviceArray`) hold a numpy array but behave like
``cupy.ndarray`` where host and device meet:

- ``np.asarray(a)``, ``a.__array__()``, ``a.tolist()`` raise TypeError, as CuPy does
  ("Implicit conversion to a NumPy array is not allowed...");
- mixing a device array with a host ``numpy.ndarray`` in an operation raises TypeError;
- ``bool(a)``, ``int(a)``, ``float(a)`` work on one-element arrays only (a small read
  that CuPy also allows; it is counted in ``transfers.small_reads_count``);
- every copy is counted in the backend's TransferCounter: ``to_device``/``to_host``
  (the session's feeds and fetches) and ``xp.asarray(host_array)`` inside a kernel
  count as array copies; ``xp.asarray(python_ints)`` (a shape vector) as a small
  write; one-element reads as small reads; swap_memory copies apart.

Its array module ``xp`` wraps numpy's functions so that they take and return
DeviceArrays. Random streams are numpy's, so values equal the NumPy backend's.
Choose it with ``TINYGRAPH_BACKEND=fakedevice`` to run the test suite "on a device".
"""
import types

import numpy as np

from .core import Backend, TransferCounter, register_host_reader

__all__ = ["DeviceArray", "FakeDeviceBackend", "xp", "TRANSFERS"]

_IMPLICIT = ("Implicit conversion to a NumPy array is not allowed. "
             "Please use `.get()` to construct a NumPy array explicitly.")

# One fake device per process (like one GPU): every backend instance shares the counter.
TRANSFERS = TransferCounter()


def _host_resident(a):
    # Strings and Python objects never live on a device (TF keeps them in host memory).
    return a.dtype.kind in "OSUV"


def _unwrap(v, allow_host=False):
    """Device arrays -> their numpy buffer (recursively); host arrays refused like CuPy."""
    t = type(v)
    if t is DeviceArray:
        return v._a
    if t is list or t is tuple:
        return t(_unwrap(x, allow_host) for x in v)
    if t is dict:
        return {k: _unwrap(x, allow_host) for k, x in v.items()}
    if isinstance(v, np.ndarray) and not allow_host and not _host_resident(v):
        raise TypeError("Unsupported type %s: a host numpy array cannot be mixed with device "
                        "arrays (copy it with xp.asarray first)" % type(v))
    return v


def _wrap(v):
    """numpy results -> DeviceArrays (numpy scalars become 0-d arrays, as in CuPy)."""
    t = type(v)
    if t is np.ndarray:
        return v if _host_resident(v) else DeviceArray(v)
    if isinstance(v, np.generic) and not isinstance(v, (np.str_, np.bytes_, np.object_)):
        return DeviceArray(np.asarray(v))
    if t is tuple or t is list:
        return t(_wrap(x) for x in v)
    if isinstance(v, tuple) and hasattr(v, "_fields"):  # e.g. linalg.qr's QRResult
        return t(*[_wrap(x) for x in v])
    return v


def _upload(v):
    """xp.asarray(host value) inside a kernel: an implicit host->device copy, counted."""
    if isinstance(v, np.ndarray) and not isinstance(v, DeviceArray):
        if _host_resident(v):
            return v
        TRANSFERS.count_to_device(v.nbytes)
        return v
    if isinstance(v, (list, tuple)) and any(type(x) is DeviceArray for x in v):
        return type(v)(_unwrap(x) for x in v)  # device pieces: stacked on the device
    if isinstance(v, (list, tuple, int, float, bool, complex, np.generic)):
        TRANSFERS.count_small_write(np.asarray(v).nbytes)  # Python values (a shape) uploaded
    return v


def _scalar_read(a, what):
    if a._a.size != 1:
        if what == "bool":
            raise ValueError("The truth value of an array with more than one element is "
                             "ambiguous. Use a.any() or a.all()")
        raise TypeError("only size-1 arrays can be converted to Python scalars")
    TRANSFERS.count_small_read(a._a.itemsize)
    return a._a.reshape(())[()]


class DeviceArray:
    """An array "in device memory": a numpy buffer behind CuPy's host/device rules.

    Attributes:
      shape, dtype, ndim, size, nbytes, itemsize, strides: metadata (free, no copy).
    """

    __slots__ = ("_a",)
    __array_priority__ = 1000  # numpy defers binary operators to us
    __hash__ = None

    def __init__(self, a):
        self._a = a

    # -- refused implicit conversions --------------------------------------------
    def __array__(self, *args, **kwargs):
        raise TypeError(_IMPLICIT)

    def tolist(self):
        raise TypeError(_IMPLICIT)

    def __iter__(self):
        if self._a.ndim == 0:
            raise TypeError("iteration over a 0-d array")
        return (DeviceArray(row) if isinstance(row, np.ndarray) else _wrap(row) for row in self._a)

    # -- explicit copies and small reads ------------------------------------------
    def get(self, stream=None, out=None):
        """Copies the array to the host (a counted device->host copy), as cupy's `get`."""
        TRANSFERS.count_to_host(self._a.nbytes)
        if out is not None:
            out[...] = self._a
            return out
        return self._a.copy()

    def set(self, arr, stream=None):
        """Copies a host array into this one (a counted host->device copy), as cupy's `set`."""
        TRANSFERS.count_to_device(arr.nbytes)
        self._a[...] = arr

    def item(self, *args):
        """A Python scalar: a small counted read."""
        if args:
            TRANSFERS.count_small_read(self._a.itemsize)
            return self._a.item(*args)
        return _scalar_read(self, "item").item()

    def __bool__(self):
        return bool(_scalar_read(self, "bool"))

    def __int__(self):
        return int(_scalar_read(self, "int"))

    def __float__(self):
        return float(_scalar_read(self, "float"))

    def __complex__(self):
        return complex(_scalar_read(self, "complex"))

    def __index__(self):
        if self._a.ndim != 0 or self._a.dtype.kind not in "iub":
            raise TypeError("only integer scalar arrays can be converted to a scalar index")
        return int(_scalar_read(self, "index"))

    # -- numpy protocol: numpy functions on device arrays stay on the device ----------
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        out = kwargs.get("out")
        try:
            ins = _unwrap(inputs)
            if out is not None:
                kwargs["out"] = _unwrap(out)
            if "where" in kwargs:
                kwargs["where"] = _unwrap(kwargs["where"])
        except TypeError:
            return NotImplemented  # a host array in the mix: refused, as CuPy does
        if any(isinstance(x, (list, tuple)) for x in ins):
            return NotImplemented  # CuPy's ufuncs take arrays and scalars only
        result = getattr(ufunc, method)(*ins, **kwargs)
        if out is not None:  # in place: hand back the caller's own DeviceArray(s)
            return out[0] if isinstance(out, tuple) and len(out) == 1 else out
        return _wrap(result)

    def __array_function__(self, func, types_, args, kwargs):
        impl = getattr(func, "_implementation", func)
        try:
            a, k = _unwrap(args), _unwrap(kwargs)
        except TypeError:
            return NotImplemented
        return _wrap(impl(*a, **k))

    # -- metadata -------------------------------------------------------------------
    @property
    def shape(self):
        return self._a.shape

    @property
    def dtype(self):
        return self._a.dtype

    @property
    def ndim(self):
        return self._a.ndim

    @property
    def size(self):
        return self._a.size

    @property
    def nbytes(self):
        return self._a.nbytes

    @property
    def itemsize(self):
        return self._a.itemsize

    @property
    def strides(self):
        return self._a.strides

    @property
    def T(self):
        return DeviceArray(self._a.T)

    @property
    def real(self):
        return DeviceArray(self._a.real)

    @property
    def imag(self):
        return DeviceArray(self._a.imag)

    def __len__(self):
        return len(self._a)

    def __getattr__(self, name):
        # Methods (reshape, astype, sum, copy, ...): numpy's, on device arrays.
        if name.startswith("__"):
            raise AttributeError(name)  # never expose __array_interface__ and friends
        attr = getattr(self._a, name)
        if callable(attr):
            def method(*args, **kwargs):
                return _wrap(attr(*_unwrap(args), **_unwrap(kwargs)))
            method.__name__ = name
            return method
        return _wrap(attr)

    # -- indexing -------------------------------------------------------------------
    def __getitem__(self, key):
        return _wrap(self._a[_index(key)])

    def __setitem__(self, key, value):
        if isinstance(value, np.ndarray) and not isinstance(value, DeviceArray):
            TRANSFERS.count_to_device(value.nbytes)  # CuPy copies the host value over
        else:
            value = _unwrap(value)
        self._a[_index(key)] = value

    def __copy__(self):
        return DeviceArray(self._a.copy())

    def __deepcopy__(self, memo):
        return DeviceArray(self._a.copy())

    def __reduce__(self):
        raise TypeError("DeviceArray cannot be pickled; copy it to the host with .get() first")

    def __repr__(self):
        return "device_array(%s)" % np.array2string(self._a, separator=", ")

    __str__ = __repr__

    def __format__(self, spec):
        return format(self._a, spec) if self._a.ndim == 0 else repr(self)


def _index(key):
    t = type(key)
    if t is DeviceArray:
        return key._a
    if t is tuple:
        return tuple(_index(k) for k in key)
    if isinstance(key, np.ndarray) and key.dtype.kind in "iub":
        TRANSFERS.count_to_device(key.nbytes)  # CuPy uploads a host index array
    elif t is list:
        return [_index(k) for k in key]
    return key


def _binary(ufunc):
    def op(self, other):
        return ufunc(self, other)
    return op


def _reflected(ufunc):
    def op(self, other):
        return ufunc(other, self)
    return op


def _inplace(ufunc):
    def op(self, other):
        ufunc(self, other, out=(self,))
        return self
    return op


for _name, _uf in [("add", np.add), ("sub", np.subtract), ("mul", np.multiply),
                   ("truediv", np.true_divide), ("floordiv", np.floor_divide), ("mod", np.remainder),
                   ("pow", np.power), ("matmul", np.matmul), ("and", np.bitwise_and),
                   ("or", np.bitwise_or), ("xor", np.bitwise_xor), ("lshift", np.left_shift),
                   ("rshift", np.right_shift)]:
    setattr(DeviceArray, "__%s__" % _name, _binary(_uf))
    setattr(DeviceArray, "__r%s__" % _name, _reflected(_uf))
    setattr(DeviceArray, "__i%s__" % _name, _inplace(_uf))
for _name, _uf in [("lt", np.less), ("le", np.less_equal), ("gt", np.greater),
                   ("ge", np.greater_equal), ("eq", np.equal), ("ne", np.not_equal)]:
    setattr(DeviceArray, "__%s__" % _name, _binary(_uf))
for _name, _uf in [("neg", np.negative), ("pos", np.positive), ("abs", np.absolute),
                   ("invert", np.invert)]:
    setattr(DeviceArray, "__%s__" % _name, lambda self, _uf=_uf: _uf(self))
DeviceArray.__divmod__ = lambda self, other: (self // other, self % other)


# -- the array module ------------------------------------------------------------------

# Functions that take host data and copy it to the device (as cupy.asarray does).
_CREATION = frozenset(["asarray", "array", "asanyarray", "ascontiguousarray", "asfortranarray"])


class _DeviceNumpy(types.ModuleType):
    """`xp` of the fake device: numpy's names, taking and returning DeviceArrays."""

    def __init__(self, module, name):
        super().__init__(name)
        self._module = module

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        attr = getattr(self._module, name)
        if isinstance(attr, types.ModuleType):
            value = _DeviceNumpy(attr, "%s.%s" % (self.__name__, name))
        elif name == "ndarray":
            value = DeviceArray
        elif isinstance(attr, type) or not callable(attr):
            value = attr  # dtypes, scalar types, constants (pi, newaxis, inf)
        elif name in _CREATION:
            value = _creation(attr)
        elif name == "asnumpy":
            value = asnumpy
        else:
            value = _device_function(attr, isinstance(attr, np.ufunc))
        setattr(self, name, value)  # cache: __getattr__ runs once per name
        return value


def _device_function(fn, is_ufunc):
    if is_ufunc:
        return _DeviceUfunc(fn)

    def call(*args, **kwargs):
        return _wrap(fn(*_unwrap(args), **_unwrap(kwargs)))
    call.__name__ = getattr(fn, "__name__", "function")
    call.__doc__ = getattr(fn, "__doc__", None)
    call.__wrapped__ = fn
    return call


class _DeviceUfunc:
    """A numpy ufunc on device arrays, with its methods (at, reduce, outer, ...)."""

    def __init__(self, ufunc):
        self._ufunc = ufunc
        self.__name__ = ufunc.__name__
        self.__wrapped__ = ufunc
        self.nin, self.nout = ufunc.nin, ufunc.nout

    def __call__(self, *args, **kwargs):
        for a in args:
            if isinstance(a, (list, tuple)):
                raise TypeError("Unsupported type %s" % type(a))  # as CuPy's ufuncs
        out = kwargs.get("out")
        res = self._ufunc(*_unwrap(args), **_unwrap(kwargs))
        if out is not None:
            return out[0] if isinstance(out, tuple) and len(out) == 1 else out
        return _wrap(res)

    def at(self, a, indices, b=None):
        if type(a) is not DeviceArray:
            raise TypeError("Unsupported type %s" % type(a))
        args = (_index(indices),) if b is None else (_index(indices), _unwrap(b))
        self._ufunc.at(a._a, *args)

    def __getattr__(self, name):  # reduce, accumulate, reduceat, outer
        method = getattr(self._ufunc, name)
        if not callable(method):
            return method

        def call(*args, **kwargs):
            return _wrap(method(*_unwrap(args), **_unwrap(kwargs)))
        return call

    def __repr__(self):
        return "<device ufunc %r>" % self.__name__


def _creation(fn):
    def call(obj, *args, **kwargs):
        if type(obj) is DeviceArray:
            res = fn(obj._a, *args, **kwargs)
            return obj if res is obj._a else _wrap(res)
        return _wrap(fn(_upload(obj), *args, **_unwrap(kwargs)))
    call.__name__ = fn.__name__
    call.__wrapped__ = fn
    return call


def asnumpy(a, stream=None):
    """Copies a device array to the host (counted), as cupy.asnumpy."""
    if type(a) is DeviceArray:
        return a.get()
    return np.asarray(a)


xp = _DeviceNumpy(np, "tinygraph.backend.fake_device.xp")
xp.asnumpy = asnumpy


class _DeviceRandomState:
    """numpy's RandomState whose draws land on the device (same streams as NumPy)."""

    def __init__(self, seed):
        self._rs = np.random.RandomState(seed)

    def __getattr__(self, name):
        attr = getattr(self._rs, name)
        if not callable(attr):
            return attr

        def draw(*args, **kwargs):
            return _wrap(attr(*_unwrap(args), **_unwrap(kwargs)))
        return draw


class _Pinned:
    """A swapped-out value in (fake) pinned host memory."""

    __slots__ = ("host", "prefetched")

    def __init__(self, host):
        self.host = host
        self.prefetched = False

    @property
    def nbytes(self):
        return self.host.nbytes


class FakeDeviceBackend(Backend):
    """The device-like test backend (TINYGRAPH_BACKEND=fakedevice). See the module doc."""

    name = "fakedevice"
    is_device = True

    def __init__(self):
        self.xp = xp
        self.transfers = TRANSFERS
        self.prefetch_hits = 0  # swapped values asked for early, before the backward loop read them

    def to_device(self, host_array):
        host_array = np.asarray(host_array)
        if _host_resident(host_array):
            return host_array
        TRANSFERS.count_to_device(host_array.nbytes)
        return DeviceArray(host_array.copy())

    def to_host(self, array):
        if type(array) is DeviceArray:
            return array.get()
        if isinstance(array, np.ndarray) and not _host_resident(array):
            raise TypeError("fakedevice: a kernel produced a host numpy array (%s %s) where a "
                            "device array was expected" % (array.dtype, array.shape))
        return array  # strings/objects (host-resident), None, TensorArray values

    def to_host_pinned(self, array):
        if type(array) is not DeviceArray:
            return array
        TRANSFERS.count_swap_out(array.nbytes)
        return _Pinned(array._a.copy())

    def prefetch_from_host(self, host_array):
        if type(host_array) is _Pinned:
            host_array.prefetched = True

    def from_host_pinned(self, host_array):
        if type(host_array) is not _Pinned:
            return host_array
        TRANSFERS.count_swap_in(host_array.nbytes)
        if host_array.prefetched:
            self.prefetch_hits += 1
            host_array.prefetched = False
        return DeviceArray(host_array.host.copy())

    def random_state(self, seed):
        return _DeviceRandomState(seed)


def _read(array):
    """The host reader for DeviceArrays (see backend.to_host_small)."""
    TRANSFERS.count_small_read(array.nbytes)
    return array._a.copy()


register_host_reader(DeviceArray, _read)
