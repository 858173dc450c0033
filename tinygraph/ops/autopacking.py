"""Lists of tensors where a tensor is expected: packed into one tensor, as TF's
`convert_to_tensor` does (its "autopacking" conversion of lists and tuples).

    outputs = [cell_output_t for each step]              # a Python list of [batch, n]
    tf.transpose(outputs, perm=[1, 0, 2])                # packed: Pack op "packed"

Nested lists pack level by level; Python numbers and arrays among the tensors become
constants of the tensors' dtype. Lists without a tensor are left to the constant
conversion.
"""
from ..framework import graph as _graph
from .constant_op import constant
from .join_split_ops import stack

__all__ = []


def _first_dtype(value):
    """The base dtype of the first tensor in a nested list, or None."""
    for elem in value:
        if _graph.is_tensor_like(elem):
            return _graph.convert_to_tensor(elem).dtype.base_dtype
        if isinstance(elem, (list, tuple)):
            found = _first_dtype(elem)
            if found is not None:
                return found
    return None


def _pack(value, dtype, name):
    must_pack = False
    converted = []
    with _graph.name_scope(name) as scope:
        for i, elem in enumerate(value):
            if _graph.is_tensor_like(elem):
                t = _graph.convert_to_tensor(elem)
                if t.dtype.base_dtype != dtype:
                    raise TypeError("Cannot convert a list containing a tensor of dtype %s to %s "
                                    "(Tensor is: %r)" % (t.dtype.name, dtype.name, t))
                converted.append(t)
                must_pack = True
            elif isinstance(elem, (list, tuple)):
                inner = _pack(elem, dtype, str(i))
                must_pack = must_pack or isinstance(inner, _graph.Tensor)
                converted.append(inner)
            else:
                converted.append(elem)
        if not must_pack:
            return converted
        tensors = [c if isinstance(c, _graph.Tensor) else constant(c, dtype=dtype, name=str(i))
                   for i, c in enumerate(converted)]
        return stack(tensors, name=scope)


def _autopacking_conversion(value, dtype=None, name=None):
    inferred = _first_dtype(value)
    if inferred is None:
        return NotImplemented  # no tensor inside: an ordinary constant
    if dtype is None:
        dtype = inferred
    return _pack(value, dtype, name or "packed")


_graph.register_tensor_conversion_function((list, tuple), _autopacking_conversion)
