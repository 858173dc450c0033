"""Nested structures (tuples, lists, namedtuples, dicts) of tensors: flatten and rebuild.

Loop variables and RNN states are such structures; the While op sees them flat.
"""
import collections


def _is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(x, "_fields")


def is_sequence(x):
    """True for the containers that nest walks into (not strings)."""
    return isinstance(x, (list, tuple, collections.abc.Mapping)) and not isinstance(x, str)


def _children(x):
    if isinstance(x, collections.abc.Mapping):
        return [x[k] for k in sorted(x)]
    return list(x)


def flatten(structure, is_nested=is_sequence):
    """The leaves of `structure`, depth first (dict entries in sorted key order).

    `is_nested` says which values are containers (tf.data's nest leaves lists alone).
    """
    if not is_nested(structure):
        return [structure]
    out = []
    for c in _children(structure):
        out.extend(flatten(c, is_nested))
    return out


def _rebuild(template, children):
    if isinstance(template, collections.abc.Mapping):
        keys = sorted(template)
        if type(template) is dict:
            return dict(zip(keys, children))
        # an OrderedDict keeps its own key order; values follow their keys (as in TF)
        by_key = dict(zip(keys, children))
        return type(template)((k, by_key[k]) for k in template)
    if _is_namedtuple(template):
        return type(template)(*children)
    if isinstance(template, tuple):
        return tuple(children)
    return list(children)


def pack_sequence_as(structure, flat_sequence, is_nested=is_sequence):
    """Rebuilds `structure` with the leaves taken in order from `flat_sequence`.

    Raises:
      ValueError: the number of leaves differs.
    """
    flat = list(flat_sequence)
    n = len(flatten(structure, is_nested))
    if n != len(flat):
        raise ValueError("Structure had %d elements, but flat_sequence had %d elements. "
                         "Structure: %s." % (n, len(flat), structure))
    it = iter(flat)

    def build(s):
        if not is_nested(s):
            return next(it)
        return _rebuild(s, [build(c) for c in _children(s)])
    return build(structure)


def map_structure(fn, *structures):
    """Applies `fn` leaf-wise over structures of the same shape."""
    assert_same_structure(*structures)
    flats = [flatten(s) for s in structures]
    return pack_sequence_as(structures[0], [fn(*leaves) for leaves in zip(*flats)])


def assert_same_structure(*structures):
    """Raises ValueError if the structures do not nest the same way."""
    first = structures[0]
    for other in structures[1:]:
        if _signature(first) != _signature(other):
            raise ValueError("The two structures don't have the same nested structure.\n\n"
                             "First structure: %s\n\nSecond structure: %s" % (first, other))


def _signature(s):
    if not is_sequence(s):
        return None
    if isinstance(s, collections.abc.Mapping):
        return ("dict", tuple(sorted(s)), tuple(_signature(s[k]) for k in sorted(s)))
    return (len(s), tuple(_signature(c) for c in s))
