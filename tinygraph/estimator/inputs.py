"""tf.estimator.inputs: numpy_input_fn.

As in TF 1.x, the input_fn builds a queue (a RandomShuffleQueue when shuffling, else a
FIFOQueue) fed by QueueRunner threads that slice the arrays in Python and feed the
slices to an enqueue_many op; the features are `dequeue_up_to(batch_size)` (or
`dequeue_many` when num_epochs is None), so the last batch of the data may be short and
the end of the data raises OutOfRangeError, which ends Estimator.train/evaluate/predict.
"""
import collections
import random
import threading

from ..backend import hostnp
from ..framework import dtypes
from ..framework import errors
from ..ops.constant_op import placeholder
from ..ops.data_flow_ops import FIFOQueue, RandomShuffleQueue
from ..train.queue_runner import QueueRunner, add_queue_runner

__all__ = ["numpy_input_fn"]

_TARGET_KEY = "__target_key__"
_DIRECT_NP_INPUT = "__direct_np_input__"


class _Feeder:
    """Hands out consecutive row-index chunks over `num_epochs` epochs (shared by threads)."""

    def __init__(self, n, chunk, num_epochs, random_start, seed):
        self._n, self._chunk, self._lock = n, chunk, threading.Lock()
        self._pos = random.Random(seed).randrange(n) if random_start else 0
        self._left = None if num_epochs is None else n * num_epochs

    def next_indices(self):
        """A list of row indices, or None once the epochs are used up."""
        with self._lock:
            size = self._chunk if self._left is None else min(self._chunk, self._left)
            if size <= 0:
                return None
            rows = [(self._pos + j) % self._n for j in range(size)]
            self._pos = (self._pos + size) % self._n
            if self._left is not None:
                self._left -= size
            return rows


class _FeedingQueueRunner(QueueRunner):
    """A QueueRunner whose threads run the enqueue op with feeds from a Python feeder."""

    def __init__(self, queue, enqueue_ops, feed_fns):
        super().__init__(queue=queue, enqueue_ops=enqueue_ops)
        self._feed_fns = dict(zip(enqueue_ops, feed_fns))

    def _run(self, sess, enqueue_op, coord=None):
        feed_fn = self._feed_fns[enqueue_op]
        try:
            while not (coord and coord.should_stop()):
                feed = feed_fn()
                if feed is None:
                    break  # the data is used up
                try:
                    sess.run(enqueue_op, feed_dict=feed)
                except self._queue_closed_exception_types + (errors.CancelledError,):
                    break  # closed, or cancelled when the Coordinator stopped
        except Exception as e:  # noqa: BLE001 - reported to the coordinator, as TF does
            if coord:
                coord.request_stop(e)
            else:
                raise
        finally:
            with self._lock:
                self._runs_per_session[sess] -= 1
                last = self._runs_per_session[sess] == 0
            if last:
                try:
                    sess.run(self._close_op)
                except errors.OpError:
                    pass  # the session may be closed already


def _validate_and_convert_features(x):
    if isinstance(x, dict):
        if not x:
            raise ValueError("x cannot be an empty dict")
        return collections.OrderedDict(sorted(x.items(), key=lambda t: t[0]))
    if isinstance(x, hostnp.ndarray):
        if x.size == 0:
            raise ValueError("x cannot be an empty array")
        return collections.OrderedDict([(_DIRECT_NP_INPUT, x)])
    raise TypeError("x must be a dict or array; got {}".format(type(x).__name__))


def _enqueue_data(data, capacity, shuffle, num_threads, enqueue_size, num_epochs, seed=None):
    """The queue of (row index, *arrays) fed by a _FeedingQueueRunner; returns the queue."""
    arrays = [hostnp.asarray(v) for v in data.values()]
    types = [dtypes.int64] + [dtypes.as_dtype(a.dtype) for a in arrays]
    shapes = [()] + [tuple(a.shape[1:]) for a in arrays]
    if shuffle:
        queue = RandomShuffleQueue(capacity, max(int(capacity / 4), 1), dtypes=types,
                                   shapes=shapes, seed=seed)
    else:
        queue = FIFOQueue(capacity, dtypes=types, shapes=shapes)
    n = arrays[0].shape[0]
    feeder = _Feeder(n, enqueue_size, num_epochs, shuffle, seed)
    enqueue_ops, feed_fns = [], []
    for _ in range(max(1, num_threads)):
        phs = [placeholder(t, (None,) + s) for t, s in zip(types, shapes)]
        enqueue_ops.append(queue.enqueue_many(phs))

        def feed_fn(phs=phs):
            rows = feeder.next_indices()
            if rows is None:
                return None
            idx = hostnp.asarray(rows, dtype=hostnp.int64)
            return dict(zip(phs, [idx] + [a[idx] for a in arrays]))
        feed_fns.append(feed_fn)
    add_queue_runner(_FeedingQueueRunner(queue, enqueue_ops, feed_fns))
    return queue


def numpy_input_fn(x, y=None, batch_size=128, num_epochs=1, shuffle=None, queue_capacity=1000,
                   num_threads=1):
    """An input_fn feeding dicts of numpy arrays to a model (tf.estimator.inputs.numpy_input_fn).

    Args:
      x: a dict {feature name: array} or one array (then features is one Tensor).
      y: None, an array, or a dict of arrays (labels), all of x's length.
      batch_size: rows per batch (the last may be smaller).
      num_epochs: passes over the data; None repeats forever.
      shuffle: required bool: whether to shuffle (through a RandomShuffleQueue).
      queue_capacity: the queue's size.
      num_threads: feeding threads (they share one cursor, so each epoch is exact).

    Returns:
      A function returning (features, labels), or features if y is None.

    Raises:
      ValueError: shuffle is not a bool, x or y is empty, keys are duplicated, or the
        lengths differ (raised by the returned function, as TF).
      TypeError: x is neither a dict nor an array.
    """
    if not isinstance(shuffle, bool):
        raise ValueError("shuffle must be provided explicitly as a bool, not %s" % shuffle)

    def input_fn():
        data = _validate_and_convert_features(x)
        feature_keys = list(data.keys())
        if y is None:
            target_keys = None
        elif isinstance(y, dict):
            if not y:
                raise ValueError("y cannot be empty dict, use None instead.")
            ordered_y = collections.OrderedDict(sorted(y.items(), key=lambda t: t[0]))
            target_keys = list(ordered_y.keys())
            duplicate = set(feature_keys) & set(target_keys)
            if duplicate:
                raise ValueError("{} duplicate keys are found in both x and y: {}"
                                 .format(len(duplicate), duplicate))
            data.update(ordered_y)
        else:
            target_keys = _TARGET_KEY
            if target_keys in data:
                raise ValueError("The key %s is reserved for y" % _TARGET_KEY)
            data[target_keys] = y
        if len({hostnp.asarray(v).shape[0] for v in data.values()}) != 1:
            shapes_x = {k: data[k].shape for k in feature_keys}
            if target_keys is None:
                shape_y = None
            elif isinstance(target_keys, str):
                shape_y = hostnp.asarray(y).shape
            else:
                shape_y = {k: data[k].shape for k in target_keys}
            raise ValueError("Length of tensors in x and y is mismatched. All elements in x and y "
                             "must have the same length.\nShapes in x: {}\nShapes in y: {}\n"
                             .format(shapes_x, shape_y))
        queue = _enqueue_data(data, queue_capacity, shuffle, num_threads, batch_size, num_epochs)
        batch = (queue.dequeue_many(batch_size) if num_epochs is None
                 else queue.dequeue_up_to(batch_size))
        batch = list(batch)[1:]  # drop the row index
        if isinstance(x, hostnp.ndarray):
            features = batch[0]
        else:
            features = dict(zip(feature_keys, batch[:len(feature_keys)]))
        if target_keys is None:
            return features
        if isinstance(target_keys, str):
            return features, batch[-1]
        return features, dict(zip(target_keys, batch[-len(target_keys):]))
    return input_fn
