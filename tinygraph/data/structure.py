"""The structure of a dataset element: nested tuples and dicts of tensor specs.

tf.data nests only tuples (and namedtuples) and dicts; a list is a value, converted to
one tensor, as in TF 1.x. Dict entries flatten in sorted key order. A dataset keeps
its element structure as such a nest with a `Spec` (dtype and static shape) per leaf;
its graph ops and its runtime values see the leaves flat.
"""
import collections

from ..framework import dtypes, nest
from ..framework.nest import _children, _rebuild  # noqa: F401 - the element walkers dataset_ops uses
from ..framework.graph import Tensor
from ..framework.tensor_shape import TensorShape, as_shape


class Spec:
    """The dtype and static shape of one component of a dataset element."""

    __slots__ = ("dtype", "shape")

    def __init__(self, dtype, shape):
        self.dtype = dtypes.as_dtype(dtype)
        self.shape = as_shape(shape)

    def __repr__(self):
        return "Spec(dtype=%s, shape=%s)" % (self.dtype.name, self.shape)


def is_nested(x):
    """True for the containers tf.data walks into: tuples and mappings (not lists)."""
    return isinstance(x, (tuple, collections.abc.Mapping))


def flatten(structure):
    """The leaves of `structure`, depth first, dict entries in sorted key order."""
    return nest.flatten(structure, is_nested)


def pack(structure, flat):
    """Rebuilds `structure` with the leaves taken in order from `flat`.

    Raises:
      ValueError: the number of leaves differs.
    """
    return nest.pack_sequence_as(structure, flat, is_nested)


def map_structure(fn, structure):
    return pack(structure, [fn(x) for x in flatten(structure)])


def _signature(s):
    if not is_nested(s):
        return None
    if isinstance(s, collections.abc.Mapping):
        return ("dict", tuple(sorted(s)), tuple(_signature(s[k]) for k in sorted(s)))
    return (len(s), tuple(_signature(c) for c in s))


def _shallow_signature(s):
    if not is_nested(s):
        return None
    if isinstance(s, collections.abc.Mapping):
        return ("dict", tuple(sorted(s)))
    return len(s)


def assert_same_structure(first, second):
    """Raises ValueError (TF's message) if the two nests differ."""
    if _signature(first) != _signature(second):
        raise ValueError("The two structures don't have the same nested structure.\n\n"
                         "First structure: %s\n\nSecond structure: %s" % (first, second))


def normalize(element, convert):
    """`element` with every leaf converted by `convert` (lists are leaves)."""
    if isinstance(element, collections.abc.Mapping):
        items = [(k, normalize(element[k], convert)) for k in element]
        return type(element)(items) if type(element) is not dict else dict(items)
    if isinstance(element, tuple):
        parts = [normalize(c, convert) for c in element]
        return type(element)(*parts) if hasattr(element, "_fields") else tuple(parts)
    return convert(element)


def specs_of(tensors):
    """The Spec nest of a nest of tensors."""
    return map_structure(lambda t: Spec(t.dtype, t.shape), tensors)


def types_of(specs):
    return map_structure(lambda s: s.dtype, specs)


def shapes_of(specs):
    return map_structure(lambda s: s.shape, specs)


def classes_of(specs):
    return map_structure(lambda s: Tensor, specs)


def specs_from(output_types, output_shapes=None):
    """A Spec nest from TF's (output_types, output_shapes) pair (shapes default unknown).

    The shapes are read up to the structure of the types, so a shape may be written as
    a tuple or list of dims.

    Raises:
      ValueError: the two nests differ.
    """
    def up_to(types, shapes):
        if not is_nested(types):
            return Spec(types, TensorShape(None) if shapes is None else as_shape(shapes))
        if shapes is None:
            return _rebuild(types, [up_to(t, None) for t in _children(types)])
        if _shallow_signature(types) != _shallow_signature(shapes):
            raise ValueError("The two structures don't have the same nested structure.\n\n"
                             "First structure: %s\n\nSecond structure: %s" % (types, shapes))
        return _rebuild(types, [up_to(t, s) for t, s in zip(_children(types), _children(shapes))])
    return up_to(output_types, output_shapes)
