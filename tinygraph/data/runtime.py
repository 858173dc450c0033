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
"""
from ..backend import hostnp
from ..framework import errors


class EndOfSequence(Exception):
    """Raised by `ElementIterator.next` when no element is left."""


def _host(a):
    return a.dtype.kind in "OSU"


def _mod(xp, a):
    return hostnp if _host(a) else xp


def stack(xp, arrays):
    """Stacks equal-shaped arrays along a new first axis."""
    return _mod(xp, arrays[0]).stack(arrays)


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
    return [_mod(xp, parts[0]).concatenate(parts) for parts in zip(*blocks)]


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


# -- batching ---------------------------------------------------------------------
class BatchValue(DatasetValue):
    def __init__(self, xp, child, batch_size, drop_remainder):
        super().__init__(xp)
        if batch_size <= 0:
            raise errors.InvalidArgumentError(None, None, "Batch size must be greater than zero.")
        self.child, self.batch_size, self.drop_remainder = child, batch_size, drop_remainder

    def iterator(self):
        return _BatchIterator(self.xp, self.child.iterator(), self.batch_size, self.drop_remainder)


class _BatchIterator(ElementIterator):
    def __init__(self, xp, inner, batch_size, drop_remainder):
        super().__init__(xp)
        self.inner, self.batch_size, self.drop = inner, batch_size, drop_remainder
        self.done = False

    def next(self):
        if self.done:
            raise EndOfSequence
        block = self.inner.next_many(self.batch_size)
        if block_rows(block) < self.batch_size:
            self.done = True
            if self.drop:
                raise EndOfSequence
        return block


class PaddedBatchValue(DatasetValue):
    """padded_batch: each component padded to `shapes` (None dims: the batch's largest)."""

    def __init__(self, xp, child, batch_size, shapes, pad_values, drop_remainder):
        super().__init__(xp)
        if batch_size <= 0:
            raise errors.InvalidArgumentError(None, None, "Batch size must be greater than zero.")
        self.child, self.batch_size, self.drop_remainder = child, batch_size, drop_remainder
        self.shapes, self.pad_values = shapes, pad_values

    def iterator(self):
        return _PaddedBatchIterator(self)


class _PaddedBatchIterator(ElementIterator):
    def __init__(self, value):
        super().__init__(value.xp)
        self.value = value
        self.inner = value.child.iterator()
        self.done = False

    def next(self):
        v = self.value
        if self.done:
            raise EndOfSequence
        elements = []
        while len(elements) < v.batch_size:
            try:
                elements.append(self.inner.next())
            except EndOfSequence:
                self.done = True
                break
        if not elements or (v.drop_remainder and len(elements) < v.batch_size):
            raise EndOfSequence
        out = []
        for c, (want, pad) in enumerate(zip(v.shapes, v.pad_values)):
            parts = [e[c] for e in elements]
            rank = parts[0].ndim
            if any(p.ndim != rank for p in parts) or len(want) != rank:
                raise errors.InvalidArgumentError(
                    None, None, "All elements in a batch must have the same rank as the padded "
                    "shape for component%d: expected rank %d but got element with rank %d"
                    % (c, len(want), next(p.ndim for p in parts if p.ndim != len(want))))
            target = tuple(max(p.shape[d] for p in parts) if w is None else w
                           for d, w in enumerate(want))
            if any(p.shape[d] > target[d] for p in parts for d in range(rank)):
                raise errors.DataLossError(
                    None, None, "Attempted to pad to a smaller size than the input element.")
            mod = _mod(self.xp, parts[0])
            batch = mod.full((len(parts),) + target, pad, dtype=parts[0].dtype)
            for i, p in enumerate(parts):
                batch[(i,) + tuple(slice(0, s) for s in p.shape)] = p
            out.append(batch)
        return out


# -- shuffling ---------------------------------------------------------------------
class ShuffleValue(DatasetValue):
    """Dataset.shuffle: a buffer of `buffer_size` elements, each output drawn at random.

    Each iterator (each epoch under `repeat`) gets the generator seeded from (seed,
    seed2, n) where n counts the iterators made from this value when
    reshuffle_each_iteration is set, else 0; no seeds: a fresh random stream.
    """

    def __init__(self, xp, child, buffer_size, seeds, reshuffle):
        super().__init__(xp)
        if buffer_size <= 0:
            raise errors.InvalidArgumentError(None, None, "buffer_size must be greater than zero.")
        self.child, self.buffer_size, self.seeds, self.reshuffle = child, buffer_size, seeds, reshuffle
        self.epochs = 0

    def _rng(self):
        n = self.epochs if self.reshuffle else 0
        self.epochs += 1
        if self.seeds is None:
            return hostnp.random.RandomState()
        seed = int(hostnp.random.SeedSequence(list(self.seeds) + [n]).generate_state(1)[0])
        return hostnp.random.RandomState(seed)

    def iterator(self):
        if self.child.length is not None:
            return _IndexShuffleIterator(self.xp, self.child, self.buffer_size, self._rng())
        return _BufferShuffleIterator(self.xp, self.child.iterator(), self.buffer_size, self._rng())


def _draw(buf, uniforms, pull):
    """The buffer shuffle: each output is a uniformly drawn buffer entry, replaced by the
    next input (`pull()`, None at the end of the input) or, after the end, removed."""
    out = []
    for u in uniforms:
        fill = len(buf)
        if fill == 0:
            break
        j = int(u * fill)
        out.append(buf[j])
        nxt = pull()
        if nxt is not None:
            buf[j] = nxt
        else:
            buf[j] = buf[-1]
            buf.pop()
    return out


class _IndexShuffleIterator(ElementIterator):
    """Shuffles indices into a random-access input: no element is copied until output.

    The buffer algorithm of `_draw`, computed for blocks of CHUNK draws at once while
    the input lasts (a draw that hits a slot refilled earlier in the block gets that
    refill), then, once the input is exhausted, the remaining buffer in one random
    permutation (the same distribution as drawing from it one by one). The drawn
    indices wait in a queue; the order does not depend on how many elements each
    `next_many` asks for, nor on CHUNK.
    """

    CHUNK = 1024

    def __init__(self, xp, value, buffer_size, rng):
        super().__init__(xp)
        self.value, self.rng = value, rng
        self.size = min(buffer_size, value.length)
        self.next_in = self.size
        self.buf = hostnp.arange(self.size, dtype=hostnp.int64)
        self.queue, self.queue_pos = hostnp.zeros(0, dtype=hostnp.int64), 0
        self.drained = False  # the final permutation is in the queue

    def _block(self, n):
        """n draws while the buffer is full and the input has at least n more elements."""
        slots = (self.rng.random_sample(n) * self.size).astype(hostnp.int64)
        refill = hostnp.arange(self.next_in, self.next_in + n, dtype=hostnp.int64)
        out = self.buf[slots]
        ordered = hostnp.sort(slots)
        if n > 1 and (ordered[1:] == ordered[:-1]).any():
            order = hostnp.argsort(slots, kind="stable")
            ordered = slots[order]
            again = ordered[1:] == ordered[:-1]  # same slot as the previous draw in slot order
            out[order[1:][again]] = refill[order[:-1][again]]
            last = hostnp.append(~again, True)  # the last draw of each slot refills it
            self.buf[ordered[last]] = refill[order[last]]
        else:  # no slot drawn twice: every draw reads the buffer as it was
            self.buf[slots] = refill
        self.next_in += n
        return out

    def _pick(self, n):
        """The next (up to) n indices, None at the end."""
        have = len(self.queue) - self.queue_pos
        if have < n and not self.drained:
            parts = [self.queue[self.queue_pos:]]
            while have < n and not self.drained:
                if self.next_in < self.value.length:
                    block = self._block(min(max(n, self.CHUNK), self.value.length - self.next_in))
                else:
                    block = self.rng.permutation(self.buf)
                    self.buf, self.drained = None, True
                parts.append(block)
                have += len(block)
            self.queue, self.queue_pos = hostnp.concatenate(parts), 0
        got = self.queue[self.queue_pos:self.queue_pos + n]
        self.queue_pos += len(got)
        return got if len(got) else None

    def next(self):
        idx = self._pick(1)
        if idx is None:
            raise EndOfSequence
        return self.value.row(int(idx[0]))

    def next_many(self, n):
        idx = self._pick(n)
        if idx is None:
            raise EndOfSequence
        return self.value.rows(idx)


class _BufferShuffleIterator(ElementIterator):
    def __init__(self, xp, inner, buffer_size, rng):
        super().__init__(xp)
        self.inner, self.rng, self.size = inner, rng, buffer_size
        self.buf = None
        self.input_done = False

    def _pull(self):
        if self.input_done:
            return None
        try:
            return self.inner.next()
        except EndOfSequence:
            self.input_done = True
            return None

    def _pick(self, n):
        if self.buf is None:
            self.buf = []
            while len(self.buf) < self.size:
                e = self._pull()
                if e is None:
                    break
                self.buf.append(e)
        if not self.buf:
            return []
        return _draw(self.buf, self.rng.random_sample(n).tolist(), self._pull)

    def next(self):
        picked = self._pick(1)
        if not picked:
            raise EndOfSequence
        return picked[0]

    def next_many(self, n):
        picked = self._pick(n)
        if not picked:
            raise EndOfSequence
        return batch_elements(self.xp, picked)


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
