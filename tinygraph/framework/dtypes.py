"""TF dtypes (tf.float32, ...) as thin wrappers around numpy dtypes."""
from ..backend import hostnp as np


class DType:
    """A tensor element type, e.g. `tf.float32`.

    Attributes:
      name: TF's name ("float32", "int32", "bool", ...).
      as_numpy_dtype: the numpy scalar type.
      is_floating, is_integer, is_bool: kind tests.
    """

    def __init__(self, name, np_type, base=None):
        self.name = name
        self.as_numpy_dtype = np_type
        self.np = np.dtype(np_type) if np_type is not None else None
        self._base = base  # for reference types ("float32_ref"): the value type
        self._ref = None

    @property
    def is_floating(self):
        return self.np is not None and self.np.kind == "f"

    @property
    def is_integer(self):
        return self.np is not None and self.np.kind in "iu"

    @property
    def is_bool(self):
        return self.np is not None and self.np.kind == "b"

    @property
    def is_unsigned(self):
        return self.np is not None and self.np.kind == "u"

    @property
    def base_dtype(self):
        """The value type: float32 for float32 and float32_ref."""
        return self._base if self._base is not None else self

    @property
    def is_ref_dtype(self):
        """Whether this is the type of a variable's reference (`float32_ref`)."""
        return self._base is not None

    @property
    def _as_ref(self):
        """The reference type of this type (what a VariableV2's output has, as in TF)."""
        return self if self._base is not None else self._ref

    @property
    def real_dtype(self):
        return self.base_dtype

    @property
    def size(self):
        return self.np.itemsize if self.np is not None else 0

    @property
    def min(self):
        return np.finfo(self.np).min if self.is_floating else np.iinfo(self.np).min

    @property
    def max(self):
        return np.finfo(self.np).max if self.is_floating else np.iinfo(self.np).max

    def __repr__(self):
        return "tf." + self.name

    def __eq__(self, other):
        if other is None:
            return False
        try:
            return self is as_dtype(other)
        except TypeError:
            return False

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(self.name)


float16 = DType("float16", np.float16)
float32 = DType("float32", np.float32)
float64 = DType("float64", np.float64)
int8 = DType("int8", np.int8)
int16 = DType("int16", np.int16)
int32 = DType("int32", np.int32)
int64 = DType("int64", np.int64)
uint8 = DType("uint8", np.uint8)
bool_ = DType("bool", np.bool_)
string = DType("string", np.object_)
variant = DType("variant", None)  # opaque values: TensorArrays, loop tapes
resource = DType("resource", None)  # handles of state a session holds: iterators, queues, readers
half, double = float16, float64

_ALL = [float16, float32, float64, int8, int16, int32, int64, uint8, bool_, string]
for _d in _ALL:  # float32_ref, ...: variables' reference types, equal only to themselves
    _d._ref = DType(_d.name + "_ref", _d.as_numpy_dtype, base=_d)
float32_ref, float64_ref, int32_ref, int64_ref = (float32._ref, float64._ref, int32._ref,
                                                  int64._ref)
_BY_NAME = {d.name: d for d in _ALL + [variant, resource] + [d._ref for d in _ALL]}
_BY_NAME.update(half=float16, double=float64, float=float32)
_BY_NP = {d.np: d for d in _ALL}


def as_dtype(value):
    """Converts a DType, a name, a numpy dtype or a Python type to a DType.

    Raises:
      TypeError: `value` names no supported dtype.
    """
    if isinstance(value, DType):
        return value
    if isinstance(value, str) and value in _BY_NAME:
        return _BY_NAME[value]
    if value is float:
        return float32
    if value is int:
        return int32
    if value is bool:
        return bool_
    try:
        npd = np.dtype(value)
    except TypeError:
        raise TypeError("Cannot convert %r to a tinygraph DType" % (value,)) from None
    if npd.kind in "US":
        return string
    if npd in _BY_NP:
        return _BY_NP[npd]
    raise TypeError("Unsupported dtype %r" % (value,))


def dtype_of_value(value):
    """The dtype TF gives a Python or numpy constant: floats -> float32, ints -> int32."""
    arr = np.asarray(value)
    if arr.dtype == np.float64 and not isinstance(value, np.ndarray) and not isinstance(value, np.floating):
        return float32
    if arr.dtype == np.int64 and not isinstance(value, np.ndarray) and not isinstance(value, np.integer):
        lo, hi = (arr.min(), arr.max()) if arr.size else (0, 0)
        return int32 if -2**31 <= lo and hi < 2**31 else int64
    return as_dtype(arr.dtype)
