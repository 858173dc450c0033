"""Runtime values of shuffle: an index buffer over random-access inputs, an element
buffer over the others (see runtime.py)."""
from ..backend import hostnp
from ..framework import errors
from .runtime import DatasetValue, ElementIterator, EndOfSequence, batch_elements


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
