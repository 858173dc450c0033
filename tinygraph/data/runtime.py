"""What a dataset is while a session runs: host-side objects that produce elements.

A dataset op's kernel returns a `DatasetValue` (the value of its variant tensor): a
description bound to the session's arrays. `DatasetValue.iterator()` makes a fresh
`ElementIterator` over it; the iterator resource of a session holds one. An element
is a flat list of arrays (one per component, see structure.py).

Two access paths keep batching cheap:

- `ElementIterator.next_many(n)`: up to n elements already stacked along a new first
  axis. Sources answer it with one slice or gather, so `batch` never stacks element
  by element where the data is already an array;
- random access (`DatasetValue.length` not None, `row`, `rows`, `span`): datasets
  whose element i is known without iterating (tensor slices, range, zip, take, skip
  and finite repeat of those). `shuffle` over them keeps a buffer of *indices*, not
  of elements, and a batch of shuffled elements is one gather per component.

Strings (object arrays) always stay in host memory, as in TF; everything else uses
the backend's array module `xp`.

This module holds the protocol and the sources; transforms.py, batching.py and
shuffling.py hold the values of the transformations.
"""
from ..backend import hostnp
from ..framework import errors


class EndOfSequence(Exception):
    """Raised by `ElementIterator.next` when no element is left."""


def _host(a):
    return a.dtype.kind in "OSU"


def array_module(xp, a):
    """hostnp for strings (they stay in host memory), else the backend's `xp`."""
    return hostnp if _host(a) else xp


def stack(xp, arrays):
    """Stacks equal-shaped arrays along a new first axis."""
    return array_module(xp, arrays[0]).stack(arrays)


def batch_elements(xp, elements):
    """One block (stacked components) from a list of elements.

    Raises:
      InvalidArgumentError: the elements of a component differ in shape (TF's message).
    """
    first = elements[0]
    out = []
    for c in range(len(first)):
        shape = first[c].shape
        for e in elements[1:]:
            if e[c].shape != shape:
                raise errors.InvalidArgumentError(
                    None, None, "Cannot add tensor to the batch: number of elements does not "
                    "match. Shapes are: [tensor]: %s, [batch]: %s"
                    % (_brackets(e[c].shape), _brackets(shape)))
        out.append(stack(xp, [e[c] for e in elements]))
    return out


def _brackets(shape):
    return "[%s]" % ",".join(str(d) for d in shape)


def concat_blocks(xp, blocks):
    if len(blocks) == 1:
        return blocks[0]
    return [array_module(xp, parts[0]).concatenate(parts) for parts in zip(*blocks)]


def block_rows(block):
    return block[0].shape[0]


class ElementIterator:
    """The iteration state over one dataset value."""

    def __init__(self, xp):
        self.xp = xp

    def next(self):
        """The next element (a list of arrays).

        Raises:
          EndOfSequence: no element is left (and on every later call).
        """
        raise NotImplementedError

    def next_many(self, n):
        """Up to `n` next elements, stacked; fewer only where the sequence ends.

        Raises:
          EndOfSequence: no element is left.
        """
        elements = []
        for _ in range(n):
            try:
                elements.append(self.next())
            except EndOfSequence:
                break
        if not elements:
            raise EndOfSequence
        return batch_elements(self.xp, elements)


class DatasetValue:
    """A dataset bound to a session's arrays: a factory of ElementIterators.

    Attributes:
      xp: the backend's array module.
      length: the number of elements if the dataset has random access, else None.
    """

    length = None

    def __init__(self, xp):
        self.xp = xp

    def iterator(self):
        """A fresh iterator from the first element."""
        if self.length is not None:
            return RandomAccessIterator(self)
        raise NotImplementedError

    # random access (only where `length` is not None)
    def row(self, i):
        """Element i."""
        raise NotImplementedError

    def rows(self, indices):
        """The elements at `indices` (a host int64 array), stacked."""
        raise NotImplementedError

    def span(self, start, stop):
        """Elements start..stop-1, stacked."""
        return self.rows(hostnp.arange(start, stop, dtype=hostnp.int64))


class RandomAccessIterator(ElementIterator):
    def __init__(self, value):
        super().__init__(value.xp)
        self.value = value
        self.pos = 0

    def next(self):
        if self.pos >= self.value.length:
            raise EndOfSequence
        self.pos += 1
        return self.value.row(self.pos - 1)

    def next_many(self, n):
        start = self.pos
        stop = min(start + n, self.value.length)
        if stop <= start:
            raise EndOfSequence
        self.pos = stop
        return self.value.span(start, stop)


# -- sources ---------------------------------------------------------------------------
class SlicesValue(DatasetValue):
    """Dataset.from_tensor_slices: element i is row i of every component."""

    def __init__(self, xp, components):
        super().__init__(xp)
        self.components = list(components)
        self.length = int(self.components[0].shape[0])

    def row(self, i):
        return [c[i, ...] for c in self.components]

    def rows(self, indices):
        out = []
        dev = None
        for c in self.components:
            if _host(c):
                out.append(hostnp.take(c, indices, axis=0))
            else:
                if dev is None:
                    dev = self.xp.asarray(indices)  # the batch's indices: one small upload
                out.append(self.xp.take(c, dev, axis=0))
        return out

    def span(self, start, stop):
        return [c[start:stop] for c in self.components]


class TensorsValue(DatasetValue):
    """Dataset.from_tensors: one element."""

    length = 1

    def __init__(self, xp, components):
        super().__init__(xp)
        self.components = list(components)

    def row(self, i):
        return list(self.components)

    def rows(self, indices):
        return [stack(self.xp, [c] * len(indices)) for c in self.components]


class RangeValue(DatasetValue):
    """Dataset.range: int64 scalars start, start + step, ... below stop."""

    def __init__(self, xp, start, stop, step):
        super().__init__(xp)
        if step == 0:
            raise errors.InvalidArgumentError(None, None, "step must be a non-zero integer.")
        self.range = range(start, stop, step)
        self.length = len(self.range)

    def row(self, i):
        return [self.xp.asarray(self.range[i], dtype=hostnp.int64)]

    def rows(self, indices):
        r = self.range
        return [self.xp.asarray(r.start + r.step * indices)]

    def span(self, start, stop):
        r = self.range
        return [self.xp.arange(r[start], r[start] + r.step * (stop - start), r.step, dtype=hostnp.int64)]


class GeneratorValue(DatasetValue):
    """Elements made by a Python callable returning an iterator of element lists."""

    def __init__(self, xp, make):
        super().__init__(xp)
        self.make = make

    def iterator(self):
        return _PyIterator(self.xp, self.make())


class _PyIterator(ElementIterator):
    def __init__(self, xp, it):
        super().__init__(xp)
        self.it = it

    def next(self):
        if self.it is None:
            raise EndOfSequence
        try:
            return next(self.it)
        except StopIteration:
            self.it = None
            raise EndOfSequence from None
