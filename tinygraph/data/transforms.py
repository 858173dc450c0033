"""Runtime values of the transformations that combine or re-sequence elements: zip,
take, skip, repeat, concatenate, map, filter, flat_map/interleave, cache (see runtime.py)."""
from ..backend import hostnp
from .runtime import (DatasetValue, ElementIterator, EndOfSequence, RandomAccessIterator,
                      block_rows, concat_blocks)


# -- element-wise combinations with random access ---------------------------------
class ZipValue(DatasetValue):
    def __init__(self, xp, children):
        super().__init__(xp)
        self.children = children
        lengths = [c.length for c in children]
        self.length = None if any(n is None for n in lengths) else min(lengths)

    def iterator(self):
        if self.length is not None:
            return RandomAccessIterator(self)
        return _ZipIterator(self.xp, [c.iterator() for c in self.children])

    def row(self, i):
        return [a for c in self.children for a in c.row(i)]

    def rows(self, indices):
        return [a for c in self.children for a in c.rows(indices)]

    def span(self, start, stop):
        return [a for c in self.children for a in c.span(start, stop)]


class _ZipIterator(ElementIterator):
    def __init__(self, xp, iterators):
        super().__init__(xp)
        self.iterators = iterators

    def next(self):
        return [a for it in self.iterators for a in it.next()]


class TakeValue(DatasetValue):
    def __init__(self, xp, child, count):
        super().__init__(xp)
        self.child, self.count = child, count
        if child.length is not None:
            self.length = child.length if count < 0 else min(count, child.length)

    def iterator(self):
        if self.length is not None:
            return RandomAccessIterator(self)
        return _TakeIterator(self.xp, self.child.iterator(), self.count)

    def row(self, i):
        return self.child.row(i)

    def rows(self, indices):
        return self.child.rows(indices)

    def span(self, start, stop):
        return self.child.span(start, stop)


class _TakeIterator(ElementIterator):
    def __init__(self, xp, inner, count):
        super().__init__(xp)
        self.inner, self.left = inner, count

    def next(self):
        if self.left == 0:
            raise EndOfSequence
        e = self.inner.next()
        if self.left > 0:
            self.left -= 1
        return e

    def next_many(self, n):
        if self.left == 0:
            raise EndOfSequence
        block = self.inner.next_many(n if self.left < 0 else min(n, self.left))
        if self.left > 0:
            self.left -= block_rows(block)
        return block


class SkipValue(DatasetValue):
    def __init__(self, xp, child, count):
        super().__init__(xp)
        self.child, self.count = child, count
        if child.length is not None:
            self.offset = child.length if count < 0 else min(count, child.length)
            self.length = child.length - self.offset

    def iterator(self):
        if self.length is not None:
            return RandomAccessIterator(self)
        return _SkipIterator(self.xp, self.child.iterator(), self.count)

    def row(self, i):
        return self.child.row(i + self.offset)

    def rows(self, indices):
        return self.child.rows(indices + self.offset)

    def span(self, start, stop):
        return self.child.span(start + self.offset, stop + self.offset)


class _SkipIterator(ElementIterator):
    def __init__(self, xp, inner, count):
        super().__init__(xp)
        self.inner, self.to_skip = inner, count

    def _skip(self):
        while self.to_skip != 0:
            self.inner.next()  # EndOfSequence ends the dataset too
            if self.to_skip > 0:
                self.to_skip -= 1

    def next(self):
        self._skip()
        return self.inner.next()

    def next_many(self, n):
        self._skip()
        return self.inner.next_many(n)


class RepeatValue(DatasetValue):
    """Dataset.repeat: a new iterator of the input per epoch (count < 0: forever)."""

    def __init__(self, xp, child, count):
        super().__init__(xp)
        self.child, self.count = child, count
        if child.length is not None and count >= 0:
            self.length = child.length * count

    def iterator(self):
        if self.length is not None:
            return RandomAccessIterator(self)
        return _RepeatIterator(self.xp, self.child, self.count)

    def row(self, i):
        return self.child.row(i % self.child.length)

    def rows(self, indices):
        return self.child.rows(indices % self.child.length)

    def span(self, start, stop):
        n = self.child.length
        if start // n == (stop - 1) // n:
            return self.child.span(start % n, (stop - 1) % n + 1)
        return self.rows(hostnp.arange(start, stop, dtype=hostnp.int64))


class _RepeatIterator(ElementIterator):
    def __init__(self, xp, value, count):
        super().__init__(xp)
        self.value, self.left = value, count
        self.inner = None if count == 0 else value.iterator()
        self.fresh = True  # the current epoch has produced nothing yet

    def _new_epoch(self):
        if self.fresh or self.left == 1:  # an empty input, or the last epoch is done
            self.inner = None
            raise EndOfSequence
        if self.left > 0:
            self.left -= 1
        self.inner, self.fresh = self.value.iterator(), True

    def next(self):
        while True:
            if self.inner is None:
                raise EndOfSequence
            try:
                e = self.inner.next()
                self.fresh = False
                return e
            except EndOfSequence:
                self._new_epoch()

    def next_many(self, n):
        blocks, got = [], 0
        while got < n:
            if self.inner is None:
                break
            try:
                b = self.inner.next_many(n - got)
            except EndOfSequence:
                try:
                    self._new_epoch()
                except EndOfSequence:
                    break
                continue
            self.fresh = False
            blocks.append(b)
            got += block_rows(b)
        if not blocks:
            raise EndOfSequence
        return concat_blocks(self.xp, blocks)


class ConcatenateValue(DatasetValue):
    def __init__(self, xp, first, second):
        super().__init__(xp)
        self.first, self.second = first, second

    def iterator(self):
        return _ConcatenateIterator(self.xp, [self.first, self.second])


class _ConcatenateIterator(ElementIterator):
    def __init__(self, xp, values):
        super().__init__(xp)
        self.values = list(values)
        self.inner = self.values.pop(0).iterator()

    def next(self):
        while True:
            try:
                return self.inner.next()
            except EndOfSequence:
                if not self.values:
                    raise
                self.inner = self.values.pop(0).iterator()


# -- functions over elements --------------------------------------------------------
class MapValue(DatasetValue):
    """Dataset.map: fn(element) -> element, run by the traced function's plan."""

    def __init__(self, xp, child, fn):
        super().__init__(xp)
        self.child, self.fn = child, fn

    def iterator(self):
        return _MapIterator(self.xp, self.child.iterator(), self.fn)


class _MapIterator(ElementIterator):
    def __init__(self, xp, inner, fn):
        super().__init__(xp)
        self.inner, self.fn = inner, fn

    def next(self):
        return self.fn(self.inner.next())


class FilterValue(DatasetValue):
    """Dataset.filter: the elements for which pred(element) is true."""

    def __init__(self, xp, child, pred):
        super().__init__(xp)
        self.child, self.pred = child, pred

    def iterator(self):
        return _FilterIterator(self.xp, self.child.iterator(), self.pred)


class _FilterIterator(ElementIterator):
    def __init__(self, xp, inner, pred):
        super().__init__(xp)
        self.inner, self.pred = inner, pred

    def next(self):
        while True:
            e = self.inner.next()
            if self.pred(e):
                return e


class FlatMapValue(DatasetValue):
    """flat_map and interleave: fn(element) -> DatasetValue, its elements in turn.

    With cycle_length c and block_length b (interleave), c input elements are open at
    once and b elements are taken from each in turn; flat_map is c = b = 1.
    """

    def __init__(self, xp, child, fn, cycle_length=1, block_length=1):
        super().__init__(xp)
        self.child, self.fn = child, fn
        self.cycle_length, self.block_length = max(1, cycle_length), max(1, block_length)

    def iterator(self):
        return _InterleaveIterator(self.xp, self.child.iterator(), self.fn, self.cycle_length,
                                   self.block_length)


class _InterleaveIterator(ElementIterator):
    def __init__(self, xp, inner, fn, cycle_length, block_length):
        super().__init__(xp)
        self.inner, self.fn = inner, fn
        self.cycle = [None] * cycle_length
        self.block_length = block_length
        self.pos, self.taken = 0, 0
        self.input_done = False

    def _open(self, k):
        if self.input_done:
            return False
        try:
            e = self.inner.next()
        except EndOfSequence:
            self.input_done = True
            return False
        self.cycle[k] = self.fn(e).iterator()
        return True

    def next(self):
        while True:
            if self.input_done and all(it is None for it in self.cycle):
                raise EndOfSequence
            k = self.pos
            if self.cycle[k] is None and not self._open(k):
                self._advance()
                continue
            try:
                e = self.cycle[k].next()
            except EndOfSequence:
                self.cycle[k] = None
                self._advance()
                continue
            self.taken += 1
            if self.taken >= self.block_length:
                self._advance()
            return e

    def _advance(self):
        self.taken = 0
        self.pos = (self.pos + 1) % len(self.cycle)


# -- caching ---------------------------------------------------------------------
class CacheValue(DatasetValue):
    """Dataset.cache() in memory: the first complete pass is recorded, later ones replay it."""

    def __init__(self, xp, child):
        super().__init__(xp)
        self.child = child
        self.cached = None

    def iterator(self):
        if self.cached is not None:
            return _ListIterator(self.xp, self.cached)
        return _RecordingIterator(self)


class _ListIterator(ElementIterator):
    def __init__(self, xp, elements):
        super().__init__(xp)
        self.elements, self.pos = elements, 0

    def next(self):
        if self.pos >= len(self.elements):
            raise EndOfSequence
        self.pos += 1
        return self.elements[self.pos - 1]


class _RecordingIterator(ElementIterator):
    def __init__(self, value):
        super().__init__(value.xp)
        self.value = value
        self.inner = value.child.iterator()
        self.seen = []

    def next(self):
        try:
            e = self.inner.next()
        except EndOfSequence:
            if self.seen is not None and self.value.cached is None:
                self.value.cached = self.seen
            self.seen = None
            raise
        if self.seen is not None:
            self.seen.append(e)
        return e
