"""Checks and converts a `feed_dict` before anything runs, as TF 1.x's Session does.

`convert_feeds(graph, feed_dict)` is the one place where feeds are validated: it
flattens tuple keys (`{(a, b): (va, vb)}`), resolves each key to a Tensor, refuses
Tensor values, checks Python ints for overflow and precision loss in the feed's dtype,
converts each value with `numpy.asarray(value, dtype)` and checks its shape. Every
failure raises the class TF raises for the same misuse (TypeError, ValueError,
OverflowError), before the graph or the session's state is touched.

A tensor fed twice (say as an object and by its name) keeps the value given last, as
in TF; feeds come back in a canonical order, so one signature has one plan whatever
order the dict lists them in.
"""
import collections.abc
import warnings

from .backend import hostnp as np
from .framework import nest
from .framework.graph import Operation, Tensor


def convert_feeds(graph, feed_dict):
    """Validates `feed_dict` and converts its values to host arrays.

    Args:
      graph: the Graph the session runs.
      feed_dict: None, or a mapping from feed keys (Tensors, tensor names as str or
        bytes, tensor-like objects, tuples of them) to values (numpy arrays, Python
        scalars, strings, nested lists; a tuple of values for a tuple key).

    Returns:
      (tensors, arrays): the fed Tensors, each once, ordered by graph position, and
      their values as numpy arrays of the tensors' dtypes.

    Raises:
      TypeError: `feed_dict` is not a mapping; a key is not a tensor of this graph; a
        value is a Tensor or cannot be converted to the tensor's dtype; a Python int
        that the dtype cannot hold exactly.
      ValueError: a tuple key and its value differ in structure, a tensor appears in
        two tuple keys, a value of the wrong shape or that numpy cannot convert.
      OverflowError: a Python int or float too large for any C integer or double.
    """
    fed = {}
    if type(feed_dict) is dict and all(type(k) is Tensor and k.graph is graph for k in feed_dict):
        # the usual feed_dict ({placeholder: array}): no tuple keys, no names to resolve
        for t, value in feed_dict.items():
            fed[t] = convert_value(t, value)
        if len(fed) < 2:
            return list(fed), list(fed.values())
        tensors = sorted(fed, key=lambda t: (t.op._id, t.value_index))
        return tensors, [fed[t] for t in tensors]
    for key, value in _flatten_dict_items(feed_dict):
        if hasattr(key, "_feed_components"):  # IndexedSlices-like keys take a tuple
            for k, v in zip(key._feed_components(), value):
                t = feed_tensor(graph, k)
                fed[t] = convert_value(t, v)
            continue
        t = feed_tensor(graph, key)
        fed[t] = convert_value(t, value)
    tensors = sorted(fed, key=lambda t: (t.op._id, t.value_index))
    return tensors, [fed[t] for t in tensors]


def _flatten_dict_items(feed_dict):
    """[(key, value)] with tuple keys paired element-wise with their values
    (TF's `nest.flatten_dict_items`)."""
    if feed_dict is None:
        return []
    if not isinstance(feed_dict, collections.abc.Mapping):
        if isinstance(feed_dict, (list, tuple, str, bytes, int, float)) and not feed_dict:
            return []  # TF skips a falsy feed_dict before looking at its type
        raise TypeError("FlattenDictItems: 'dict' must be a dictionary or collection.Mapping type "
                        "object, instead of '%s'." % type(feed_dict).__name__)
    items, seen = [], set()

    def add(k, v):
        if _hashable(k) and k in seen:
            raise ValueError("Cannot flatten dict because this key is not unique: %s" % (k,))
        seen.add(k)
        items.append((k, v))
    for key, value in feed_dict.items():
        if nest.is_sequence(key):
            keys, values = nest.flatten(key), nest.flatten(value)
            if len(keys) != len(values):
                raise ValueError("Could not flatten dictionary. Key had %d elements, but value had "
                                 "%d elements. Key: %s, value: %s."
                                 % (len(keys), len(values), keys, values))
            for k, v in zip(keys, values):
                add(k, v)
        else:
            add(key, value)
    return items


def _hashable(k):
    try:
        hash(k)
    except TypeError:
        return False
    return True


def feed_tensor(graph, key):
    """The Tensor of `graph` that feed key `key` (a Tensor, a name, a tensor-like) names.

    Raises:
      TypeError: any key that is not a tensor of `graph` (TF's class for all of them).
    """
    if isinstance(key, (bytes, bytearray)):
        try:
            key = bytes(key).decode("utf-8")
        except UnicodeDecodeError as e:
            raise TypeError("Cannot interpret feed_dict key as Tensor: %s" % e) from None
    if isinstance(key, str) and ":" not in key:
        # TF's own wording for an op name where a tensor is wanted
        what = ("refers to an Operation" if _has_op(graph, key)
                else "looks like an (invalid) Operation name")
        raise TypeError("Cannot interpret feed_dict key as Tensor: The name %r %s, not a Tensor. "
                        "Tensor names must be of the form \"<op_name>:<output_index>\"." % (key, what))
    try:
        t = graph.as_graph_element(key, allow_tensor=True, allow_operation=False)
    except (TypeError, ValueError, KeyError) as e:
        raise TypeError("Cannot interpret feed_dict key as Tensor: %s"
                        % (e.args[0] if e.args else e)) from None
    if not isinstance(t, Tensor):
        raise TypeError("Cannot interpret feed_dict key as Tensor: Can not convert a %s into a "
                        "Tensor." % type(key).__name__)
    return t


def _has_op(graph, name):
    try:
        graph.as_graph_element(name, allow_tensor=False, allow_operation=True)
    except (KeyError, ValueError, TypeError):
        return False
    return True


def convert_value(t, value):
    """`value` as a numpy array of `t`'s dtype and a shape `t` accepts.

    Raises:
      TypeError: `value` is a Tensor, Variable or Operation; a Python int that `t`'s
        dtype cannot hold exactly (TF: "Type of feed value ... is not compatible");
        numpy cannot convert `value` (sets, generators, complex numbers to reals, ...).
      ValueError: numpy cannot convert `value` (bad strings, ragged lists), or its
        shape does not fit `t`'s static shape.
      OverflowError: a Python number beyond every C integer or double.
    """
    if isinstance(value, Tensor) or hasattr(value, "_as_graph_element"):
        raise TypeError("The value of a feed cannot be a tf.Tensor object. Acceptable feed "
                        "values include Python scalars, strings, lists, numpy ndarrays, or "
                        "TensorHandles. For reference, the tensor object was %s which was "
                        "passed to the feed with key %s." % (value, t))
    if isinstance(value, Operation):
        raise TypeError("Cannot feed value for Tensor '%s' of dtype %s: an Operation (%s) is not "
                        "a value" % (t.name, t.dtype.name, value.name))
    np_dtype = t.dtype.as_numpy_dtype
    if type(value) is np.ndarray and value.dtype == np_dtype:
        # already right: numpy would return it as it is, with nothing to warn about
        if not _fits(t.shape.dims, value.shape):
            raise ValueError("Cannot feed value of shape %r for Tensor %r, which has shape %r"
                             % (tuple(value.shape), t.name, str(t.shape)))
        return value
    if isinstance(value, int) and np_dtype is not None:
        _check_python_int(t, np_dtype, value)
    try:
        with warnings.catch_warnings():
            # numpy warns on lossy casts (complex to real, overflow to inf) that TF does silently
            warnings.simplefilter("ignore")
            with np.errstate(all="ignore"):
                arr = np.asarray(value, dtype=np_dtype)
    except (TypeError, ValueError, OverflowError) as e:
        # numpy's class (TF lets it through; subclasses such as UnicodeDecodeError become
        # their base), naming the tensor
        cls = next(c for c in (OverflowError, TypeError, ValueError) if isinstance(e, c))
        raise cls("Cannot feed value of type %s for Tensor '%s' of dtype %s: %s"
                  % (type(value).__name__, t.name, t.dtype.name, e)) from None
    if not _fits(t.shape.dims, arr.shape):
        raise ValueError("Cannot feed value of shape %r for Tensor %r, which has shape %r"
                         % (tuple(arr.shape), t.name, str(t.shape)))
    return arr


def _fits(dims, shape):
    """Whether an array of `shape` fits the static dims (None: unknown rank or size)."""
    if dims is None:
        return True
    if len(dims) != len(shape):
        return False
    for want, got in zip(dims, shape):
        if want is not None and want != got:
            return False
    return True


def _check_python_int(t, np_dtype, value):
    """TF's check of a Python int feed: `np_dtype(value) == value` or TypeError, and
    OverflowError where no C long holds it (numpy 1.x semantics, kept under numpy 2)."""
    kind = np.dtype(np_dtype).kind
    if kind in "iub":
        limit = 2 ** 64 if np_dtype is np.uint64 else 2 ** 63
        if not -2 ** 63 <= value < limit:
            raise OverflowError("Python int too large to convert to C long (feeding %d to Tensor "
                                "'%s' of dtype %s)" % (value, t.name, t.dtype.name))
        if kind == "b":
            fits = value in (0, 1)
        else:
            info = np.iinfo(np_dtype)
            fits = info.min <= value <= info.max
    elif kind == "f":
        as_float = float(value)  # OverflowError beyond a double, as TF
        # numpy 1.x compared np.float64(v) with v as doubles: float64 feeds never fail
        with np.errstate(all="ignore"):
            fits = np_dtype is np.float64 or float(np_dtype(as_float)) == as_float
    elif kind == "O":  # strings: TF compares str(value) with value
        fits = False
    else:
        fits = True
    if not fits:
        raise TypeError("Type of feed value %s with type %s is not compatible with Tensor type %s. "
                        "Try explicitly setting the type of the feed tensor to a larger type "
                        "(e.g. int64). (Tensor '%s' of dtype %s)"
                        % (value, type(value), _tf_type_name(np_dtype), t.name, t.dtype.name))


def _tf_type_name(np_dtype):
    """How TF (numpy 1.x) prints the numpy type of a dtype."""
    if np_dtype is np.object_:
        return "<class 'object'>"  # TF's tf.string.as_numpy_dtype is `object`
    if np_dtype is np.bool_:
        return "<class 'numpy.bool_'>"
    return str(np_dtype)
