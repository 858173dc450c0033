"""Queue-based input pipelines (tf.train.*_input_producer, tf.train.batch and friends).

    filenames = tf.train.string_input_producer(["a.csv", "b.csv"], num_epochs=2)
    key, line = tf.TextLineReader(skip_header_lines=1).read(filenames)
    x, y = tf.decode_csv(line, record_defaults=[[0.0], [0]])
    x_batch, y_batch = tf.train.shuffle_batch([x, y], batch_size=32, capacity=500,
                                              min_after_dequeue=100)

Each function adds a queue and a QueueRunner (GraphKeys.QUEUE_RUNNERS) whose threads
`tf.train.start_queue_runners` starts; `num_epochs` counts passes in a local variable
(run `tf.local_variables_initializer()`), after which the pipeline ends with
OutOfRangeError. Ops are named as TF names them (`input_producer`, `batch`,
`shuffle_batch`, ...), and each queue adds a "fraction full" scalar summary.
"""
from ..framework import dtypes
from ..framework import graph as _graph
from ..framework.graph import GraphKeys
from ..framework.tensor_shape import TensorShape, as_shape
from ..ops import array_ops, math_ops
from ..ops.constant_op import constant
from ..ops.control_flow_ops import identity
from ..ops.data_flow_ops import FIFOQueue, PaddingFIFOQueue, RandomShuffleQueue
from ..ops.io_ops import matching_files
from ..ops.logging_ops import Assert
from ..ops.random_ops import random_shuffle
from ..ops.state_ops import count_up_to
from ..ops.variables import Variable
from ..summary import summary_ops
from .queue_runner import QueueRunner, add_queue_runner

__all__ = ["limit_epochs", "input_producer", "string_input_producer", "range_input_producer",
           "slice_input_producer", "match_filenames_once", "batch", "shuffle_batch",
           "batch_join", "shuffle_batch_join"]


def limit_epochs(tensor, num_epochs=None, name=None):
    """Returns `tensor` `num_epochs` times, then raises OutOfRangeError (tf.train.limit_epochs).

    Counts in a local variable `<name>/epochs` (initialize local variables first).

    Raises:
      ValueError: `num_epochs` is not positive.
    """
    if num_epochs is None:
        return tensor
    if num_epochs <= 0:
        raise ValueError("num_epochs must be > 0 not %d." % num_epochs)
    g = _graph.get_default_graph()
    with g.name_scope(name or "limit_epochs") as scope:
        epochs = Variable(constant(0, dtype=dtypes.int64), name="epochs", trainable=False,
                          collections=[GraphKeys.LOCAL_VARIABLES])
        counter = count_up_to(epochs, num_epochs)
        with g.control_dependencies([counter]):
            return identity(tensor, name=scope)


def input_producer(input_tensor, element_shape=None, num_epochs=None, shuffle=True, seed=None,
                   capacity=32, shared_name=None, summary_name=None, name=None, cancel_op=None):
    """A queue fed with the rows of `input_tensor`, epoch after epoch (tf.train.input_producer).

    Args:
      input_tensor: a tensor whose rows are the elements.
      element_shape: the shape of a row, if `input_tensor`'s is not fully known.
      num_epochs: how many passes (None: without end).
      shuffle: whether each pass takes the rows in a new random order.
      seed: an op seed for the shuffle.
      capacity: the queue's capacity.
      shared_name, name, cancel_op: as for the queue and its runner.
      summary_name: the name of a "fraction full" summary, if any.

    Returns:
      The FIFOQueue.

    Raises:
      ValueError: the row shape is not fully known.
    """
    g = _graph.get_default_graph()
    with g.name_scope(name or "input_producer"):
        input_tensor = _graph.convert_to_tensor(input_tensor, name="input_tensor")
        shape = input_tensor.shape[1:] if input_tensor.shape.dims is not None else TensorShape(None)
        element_shape = shape.merge_with(as_shape(element_shape) if element_shape is not None else TensorShape(None))
        if not element_shape.is_fully_defined():
            raise ValueError("Either `input_tensor` must have a fully defined shape or "
                             "`element_shape` must be specified")
        if shuffle:
            input_tensor = random_shuffle(input_tensor, seed=seed)
        input_tensor = limit_epochs(input_tensor, num_epochs)
        q = FIFOQueue(capacity=capacity, dtypes=[input_tensor.dtype], shapes=[element_shape],
                      shared_name=shared_name, name=name)
        enq = q.enqueue_many([input_tensor])
        add_queue_runner(QueueRunner(q, [enq], cancel_op=cancel_op))
        if summary_name is not None:
            size = math_ops.cast(q.size(), dtypes.float32)
            summary_ops.scalar(summary_name, size * (1.0 / capacity))
        return q


def string_input_producer(string_tensor, num_epochs=None, shuffle=True, seed=None, capacity=32,
                          shared_name=None, name=None, cancel_op=None):
    """A queue of strings (usually filenames) for a reader (tf.train.string_input_producer).

    Raises:
      ValueError: `string_tensor` is empty (also at run time, as InvalidArgumentError).
    """
    not_null_err = "string_input_producer requires a non-null input tensor"
    if not isinstance(string_tensor, _graph.Tensor) and not len(string_tensor):
        raise ValueError(not_null_err)
    g = _graph.get_default_graph()
    with g.name_scope(name or "input_producer") as scope:
        string_tensor = _graph.convert_to_tensor(string_tensor, dtype=dtypes.string)
        check = Assert(math_ops.greater(array_ops.size(string_tensor), 0), [not_null_err])
        with g.control_dependencies([check]):
            string_tensor = identity(string_tensor)
        return input_producer(string_tensor, shuffle=shuffle, seed=seed, capacity=capacity,
                              shared_name=shared_name, name=scope, num_epochs=num_epochs,
                              summary_name="fraction_of_%d_full" % capacity, cancel_op=cancel_op)


def range_input_producer(limit, num_epochs=None, shuffle=True, seed=None, capacity=32,
                         shared_name=None, name=None):
    """A queue of the integers 0 .. limit-1, epoch after epoch (tf.train.range_input_producer)."""
    g = _graph.get_default_graph()
    with g.name_scope(name or "input_producer") as scope:
        range_tensor = array_ops.range(limit)
        return input_producer(range_tensor, [], num_epochs, shuffle, seed, capacity, shared_name,
                              "fraction_of_%d_full" % capacity, scope)


def slice_input_producer(tensor_list, num_epochs=None, shuffle=True, seed=None, capacity=32,
                         shared_name=None, name=None):
    """One row of each tensor in `tensor_list` per run, the same row for all
    (tf.train.slice_input_producer).

    Returns:
      A list of tensors, one row of each input.

    Raises:
      ValueError: `tensor_list` is empty.
    """
    g = _graph.get_default_graph()
    with g.name_scope(name or "input_producer"):
        tensor_list = [_graph.convert_to_tensor(t) for t in tensor_list]
        if not tensor_list:
            raise ValueError("Expected at least one tensor in slice_input_producer().")
        range_size = array_ops.shape(tensor_list[0])[0]
        queue = range_input_producer(range_size, num_epochs=num_epochs, shuffle=shuffle, seed=seed,
                                     capacity=capacity, shared_name=shared_name)
        index = queue.dequeue()
        return [array_ops.gather(t, index) for t in tensor_list]


def match_filenames_once(pattern, name=None):
    """A local variable holding the files that match `pattern`, listed once at
    initialization (tf.train.match_filenames_once)."""
    g = _graph.get_default_graph()
    with g.name_scope(name or "matching_filenames") as scope:
        return Variable(matching_files(pattern), trainable=False, validate_shape=False,
                        name=scope.rstrip("/"), collections=[GraphKeys.LOCAL_VARIABLES])


# -- batching ---------------------------------------------------------------------
def _as_tensor_list(tensors):
    if isinstance(tensors, dict):
        return [tensors[k] for k in sorted(tensors)]
    if isinstance(tensors, (list, tuple)):
        return list(tensors)
    return [tensors]


def _as_original_type(original, dequeued):
    if isinstance(original, dict):
        if len(original) == 1:
            dequeued = [dequeued]
        return {k: dequeued[i] for i, k in enumerate(sorted(original))}
    return dequeued


def _validate(tensor_list, what):
    tensor_list = [_graph.convert_to_tensor(t) for t in tensor_list]
    if not tensor_list:
        raise ValueError("Expected at least one tensor in %s()." % what)
    return tensor_list


def _shapes(tensor_lists, shapes, enqueue_many, dynamic_pad):
    if shapes is None:
        shapes = []
        for t in tensor_lists[0]:
            s = t.shape
            if enqueue_many:
                s = s[1:] if s.dims is not None else TensorShape(None)
            shapes.append(s)
        for tl in tensor_lists[1:]:
            for i, t in enumerate(tl):
                s = t.shape[1:] if enqueue_many and t.shape.dims is not None else t.shape
                shapes[i] = shapes[i].merge_with(s)
    else:
        shapes = [as_shape(s) for s in shapes]
    for s in shapes:
        if dynamic_pad:
            if s.dims is None:
                raise ValueError("All shapes must have a defined rank when dynamic_pad=True: %s" % shapes)
        elif not s.is_fully_defined():
            raise ValueError("All shapes must be fully defined: %s" % shapes)
    return shapes


def _batch(tensors_list, batch_size, capacity, enqueue_many, shapes, dynamic_pad,
           allow_smaller_final_batch, shared_name, name, default_name, num_threads=1,
           min_after_dequeue=None, seed=None, original=None):
    g = _graph.get_default_graph()
    with g.name_scope(name or default_name) as scope:
        lists = [_validate(_as_tensor_list(t), default_name) for t in tensors_list]
        dts = [t.dtype for t in lists[0]]
        for tl in lists[1:]:
            if [t.dtype for t in tl] != dts:
                raise TypeError("All tensor lists passed to %s must have the same dtypes" % default_name)
        shape_list = _shapes(lists, shapes, enqueue_many, dynamic_pad)
        if min_after_dequeue is None:
            queue_cls = PaddingFIFOQueue if dynamic_pad else FIFOQueue
            queue = queue_cls(capacity=capacity, dtypes=dts, shapes=shape_list, shared_name=shared_name)
        else:
            queue = RandomShuffleQueue(capacity=capacity, min_after_dequeue=min_after_dequeue,
                                       seed=seed, dtypes=dts, shapes=shape_list, shared_name=shared_name)
        enqueue = queue.enqueue_many if enqueue_many else queue.enqueue
        # one list: one op run by num_threads threads; a join: one op (and thread) per list
        enqueue_ops = [enqueue(tl) for tl in lists]
        if len(enqueue_ops) == 1:
            enqueue_ops = enqueue_ops * num_threads
        add_queue_runner(QueueRunner(queue, enqueue_ops))
        size = math_ops.cast(queue.size(), dtypes.float32)
        if min_after_dequeue is None:
            summary_ops.scalar("fraction_of_%d_full" % capacity, size * (1.0 / capacity))
        else:
            over = math_ops.maximum(0.0, size - min_after_dequeue) * (1.0 / (capacity - min_after_dequeue))
            summary_ops.scalar("fraction_over_%d_of_%d_full" % (min_after_dequeue, capacity - min_after_dequeue),
                               over)
        if allow_smaller_final_batch:
            dequeued = queue.dequeue_up_to(batch_size, name=scope)
        else:
            dequeued = queue.dequeue_many(batch_size, name=scope)
        return _as_original_type(original if original is not None else tensors_list[0], dequeued)


def batch(tensors, batch_size, num_threads=1, capacity=32, enqueue_many=False, shapes=None,
          dynamic_pad=False, allow_smaller_final_batch=False, shared_name=None, name=None):
    """Batches `tensors` through a FIFOQueue filled by `num_threads` threads (tf.train.batch).

    Args:
      tensors: a tensor, a list or a dict of tensors (one example, or many with
        `enqueue_many`).
      batch_size: the number of examples per batch.
      num_threads: how many threads enqueue.
      capacity: the queue's capacity.
      enqueue_many: whether each tensor's first dimension indexes examples.
      shapes: the example shapes, if the tensors' are not fully known.
      dynamic_pad: pad examples of varying shape to the batch's largest (PaddingFIFOQueue).
      allow_smaller_final_batch: let the last batch be smaller instead of dropping it.
      shared_name, name: the queue's shared name and the scope's name.

    Returns:
      The batched tensors, in the structure of `tensors` (a single tensor for a list of
      one, as TF returns).

    Raises:
      ValueError: no tensors, or shapes that are not fully known.
    """
    return _batch([tensors], batch_size, capacity, enqueue_many, shapes, dynamic_pad,
                  allow_smaller_final_batch, shared_name, name, "batch", num_threads=num_threads)


def batch_join(tensors_list, batch_size, capacity=32, enqueue_many=False, shapes=None,
               dynamic_pad=False, allow_smaller_final_batch=False, shared_name=None, name=None):
    """As `batch`, with one enqueuing thread per tensor list of `tensors_list`."""
    return _batch(list(tensors_list), batch_size, capacity, enqueue_many, shapes, dynamic_pad,
                  allow_smaller_final_batch, shared_name, name, "batch_join")


def _check_shuffle_capacity(capacity, min_after_dequeue):
    if capacity <= min_after_dequeue:
        raise ValueError("capacity (%d) must be larger than min_after_dequeue (%d)"
                         % (capacity, min_after_dequeue))


def shuffle_batch(tensors, batch_size, capacity, min_after_dequeue, num_threads=1, seed=None,
                  enqueue_many=False, shapes=None, allow_smaller_final_batch=False,
                  shared_name=None, name=None):
    """Batches examples in a random order through a RandomShuffleQueue (tf.train.shuffle_batch).

    Args: as `batch`, and
      min_after_dequeue: how many examples stay in the queue after a dequeue (the
        size of the pool the shuffle draws from).
      seed: an op seed for the shuffle.
    """
    _check_shuffle_capacity(capacity, min_after_dequeue)
    return _batch([tensors], batch_size, capacity, enqueue_many, shapes, False,
                  allow_smaller_final_batch, shared_name, name, "shuffle_batch",
                  num_threads=num_threads, min_after_dequeue=min_after_dequeue, seed=seed)


def shuffle_batch_join(tensors_list, batch_size, capacity, min_after_dequeue, seed=None,
                       enqueue_many=False, shapes=None, allow_smaller_final_batch=False,
                       shared_name=None, name=None):
    """As `shuffle_batch`, with one enqueuing thread per tensor list of `tensors_list`."""
    _check_shuffle_capacity(capacity, min_after_dequeue)
    return _batch(list(tensors_list), batch_size, capacity, enqueue_many, shapes, False,
                  allow_smaller_final_batch, shared_name, name, "shuffle_batch_join",
                  min_after_dequeue=min_after_dequeue, seed=seed)
