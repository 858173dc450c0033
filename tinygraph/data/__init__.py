"""tf.data: input pipelines as graph ops, read by iterators held in the session.

    dataset = tf.data.Dataset.from_tensor_slices((X, y)).shuffle(1000).batch(50)
    iterator = dataset.make_initializable_iterator()
    X_batch, y_batch = iterator.get_next()
    ...
    sess.run(iterator.initializer)
    while True:
        try:
            sess.run(training_op)   # draws the next batch
        except tf.errors.OutOfRangeError:
            break

Modules: structure (element nests); runtime (what a dataset is in the session: the
iteration protocol and the sources), transforms, batching, shuffling (the values of
the transformations); dataset_ops (Dataset and its graph ops); functions (traced
map/filter functions); iterator_ops (Iterator, the session resource); readers (text
and CSV files); experimental (tf.data.experimental).
"""
from . import experimental
from .dataset_ops import Dataset
from .iterator_ops import (Iterator, get_output_classes, get_output_shapes, get_output_types,
                           make_initializable_iterator, make_one_shot_iterator)
from .readers import TextLineDataset

__all__ = ["Dataset", "Iterator", "TextLineDataset", "experimental", "make_one_shot_iterator",
           "make_initializable_iterator", "get_output_types", "get_output_shapes",
           "get_output_classes"]
