"""Static shape and value helpers used by op builders at graph-construction time.

`constant_value` and `partial_shape_from_tensor` live in framework/tensor_util.py (the
framework's IndexedSlices needs them too); they are importable from here as well.
"""
from ..framework.tensor_shape import TensorShape, as_shape
from ..framework.tensor_util import constant_value, partial_shape_from_tensor  # noqa: F401


def broadcast_static(a, b):
    """The static broadcast of two TensorShapes (None dims stay unknown).

    Raises:
      ValueError: the known dims cannot broadcast.
    """
    a, b = as_shape(a), as_shape(b)
    if a.dims is None or b.dims is None:
        return TensorShape(None)
    da, db = list(a.dims), list(b.dims)
    n = max(len(da), len(db))
    da = [1] * (n - len(da)) + da
    db = [1] * (n - len(db)) + db
    out = []
    for x, y in zip(da, db):
        if x == 1:
            out.append(y)
        elif y == 1:
            out.append(x)
        elif x is None:
            out.append(y)
        elif y is None:
            out.append(x)
        elif x == y:
            out.append(x)
        else:
            raise ValueError("Dimensions must be equal, but are %d and %d for shapes %s and %s"
                             % (x, y, a, b))
    return TensorShape(out)


def normalize_axis(axis, ndims):
    """`axis` (int, possibly negative) as a non-negative int when the rank is known."""
    if ndims is None:
        return axis
    if not -ndims <= axis < max(ndims, 1):
        raise ValueError("axis %d is out of range for a tensor of rank %d" % (axis, ndims))
    return axis % ndims if ndims else 0
