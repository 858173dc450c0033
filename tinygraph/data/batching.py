"""Runtime values of batch and padded_batch (see runtime.py)."""
from ..framework import errors
from .runtime import DatasetValue, ElementIterator, EndOfSequence, array_module, block_rows


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
            mod = array_module(self.xp, parts[0])
            batch = mod.full((len(parts),) + target, pad, dtype=parts[0].dtype)
            for i, p in enumerate(parts):
                batch[(i,) + tuple(slice(0, s) for s in p.shape)] = p
            out.append(batch)
        return out
