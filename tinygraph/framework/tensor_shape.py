"""TensorShape: a static shape whose rank or dimensions may be unknown (None)."""


def _dim_value(value):
    """`value` as a dimension: None (unknown) or an int >= 0, checked as TF 1.x's Dimension.

    Raises:
      ValueError: a negative value, a non-integral number (2.5), a non-numeric string.
      TypeError: a value int() cannot take.
    """
    if value is None:
        return None
    if isinstance(value, Dimension):
        return value.value
    v = int(value)
    if not isinstance(value, (str, bytes)) and v != value:
        raise ValueError("Ambiguous dimension: %s" % (value,))
    if v < 0:
        raise ValueError("Dimension %d must be >= 0" % v)
    return v


class Dimension:
    """One dimension: an int >= 0 or unknown (`value` is None). Compares like TF's.

    Raises:
      ValueError: a negative or non-integral value.
    """

    def __init__(self, value):
        self.value = _dim_value(value)

    def __int__(self):
        if self.value is None:
            raise TypeError("Cannot convert an unknown Dimension to an int")
        return self.value

    __index__ = __int__

    def __eq__(self, other):
        other = other.value if isinstance(other, Dimension) else other
        if self.value is None or other is None:
            return None
        return self.value == other

    def __hash__(self):
        return hash(self.value)

    def __repr__(self):
        return "Dimension(%r)" % self.value

    def __str__(self):
        return "?" if self.value is None else str(self.value)


class TensorShape:
    """A static shape: `dims` is a tuple of ints/None, or None for unknown rank."""

    def __init__(self, dims):
        if isinstance(dims, TensorShape):
            dims = dims.dims
        elif dims is not None:
            if isinstance(dims, (int, Dimension)):
                dims = [dims]
            dims = tuple(_dim_value(d) for d in dims)
        self.dims = dims

    @property
    def ndims(self):
        return None if self.dims is None else len(self.dims)

    rank = ndims

    def as_list(self):
        """The dims as a list of ints and None.

        Raises:
          ValueError: the rank is unknown.
        """
        if self.dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        return list(self.dims)

    def is_fully_defined(self):
        return self.dims is not None and all(d is not None for d in self.dims)

    def num_elements(self):
        if not self.is_fully_defined():
            return None
        n = 1
        for d in self.dims:
            n *= d
        return n

    def is_compatible_with(self, other):
        other = as_shape(other)
        if self.dims is None or other.dims is None:
            return True
        if len(self.dims) != len(other.dims):
            return False
        return all(a is None or b is None or a == b for a, b in zip(self.dims, other.dims))

    def merge_with(self, other):
        """The most specific shape compatible with both.

        Raises:
          ValueError: the shapes are incompatible.
        """
        other = as_shape(other)
        if not self.is_compatible_with(other):
            raise ValueError("Shapes %s and %s are not compatible" % (self, other))
        if self.dims is None:
            return other
        if other.dims is None:
            return self
        return TensorShape([a if a is not None else b for a, b in zip(self.dims, other.dims)])

    def most_specific_compatible_shape(self, other):
        """The most specific shape that both shapes are compatible with (used for loop invariants)."""
        other = as_shape(other)
        if self.dims is None or other.dims is None or len(self.dims) != len(other.dims):
            return TensorShape(None)
        return TensorShape([a if a == b else None for a, b in zip(self.dims, other.dims)])

    def assert_is_compatible_with(self, other):
        if not self.is_compatible_with(other):
            raise ValueError("Shapes %s and %s are incompatible" % (self, other))

    def assert_has_rank(self, rank):
        if self.dims is not None and len(self.dims) != rank:
            raise ValueError("Shape %s must have rank %d" % (self, rank))

    def with_rank(self, rank):
        self.assert_has_rank(rank)
        return self if self.dims is not None else TensorShape([None] * rank)

    def concatenate(self, other):
        other = as_shape(other)
        if self.dims is None or other.dims is None:
            return TensorShape(None)
        return TensorShape(self.dims + other.dims)

    def __len__(self):
        if self.dims is None:
            raise ValueError("Cannot take the length of a shape with unknown rank.")
        return len(self.dims)

    def __iter__(self):
        if self.dims is None:
            raise ValueError("Cannot iterate over a shape with unknown rank.")
        return iter(Dimension(d) for d in self.dims)

    def __getitem__(self, key):
        if self.dims is None:
            if isinstance(key, slice):
                return TensorShape(None)
            return Dimension(None)
        if isinstance(key, slice):
            return TensorShape(self.dims[key])
        return Dimension(self.dims[key])

    def __eq__(self, other):
        try:
            other = as_shape(other)
        except (TypeError, ValueError):
            return NotImplemented
        return self.dims == other.dims

    def __hash__(self):
        return hash(self.dims)

    def __bool__(self):
        return self.dims is not None

    def __repr__(self):
        if self.dims is None:
            return "TensorShape(None)"
        return "TensorShape([%s])" % ", ".join("Dimension(%s)" % d for d in self.dims)

    def __str__(self):
        if self.dims is None:
            return "<unknown>"
        if len(self.dims) == 1:
            return "(%s,)" % ("?" if self.dims[0] is None else self.dims[0])
        return "(%s)" % ", ".join("?" if d is None else str(d) for d in self.dims)

    def as_bracket_str(self):
        """TF's `[?,3]` spelling, used in feed error messages."""
        if self.dims is None:
            return "<unknown>"
        return "[%s]" % ",".join("?" if d is None else str(d) for d in self.dims)


def as_shape(shape):
    return shape if isinstance(shape, TensorShape) else TensorShape(shape)


def unknown_shape(ndims=None):
    return TensorShape(None if ndims is None else [None] * ndims)


def scalar():
    return TensorShape([])
