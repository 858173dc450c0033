"""Deterministic tf.data pipelines, written once for both TF and tinygraph.

`pipelines(tf, np)` builds each dataset with the given `tf` module (TensorFlow's
compat.v1 or tinygraph), so the golden values that make_golden.py records
with real TF and the values tests/test_data_golden.py reads with tinygraph come
from the same code.
"""


def pipelines(tf, np):
    D = tf.data.Dataset
    X = np.arange(24, dtype=np.float32).reshape(6, 4)
    y = np.arange(6, dtype=np.int64) * 10
    return {
        "batch_remainder": D.from_tensor_slices(np.arange(10)).batch(4),
        "batch_drop_remainder": D.from_tensor_slices(np.arange(10)).batch(4, drop_remainder=True),
        "tuple_batch": D.from_tensor_slices((X, y)).batch(4),
        "dict_batch": D.from_tensor_slices({"a": np.arange(6).reshape(3, 2), "b": [1., 2., 3.]}).batch(2),
        "padded_batch_none": D.range(7).map(lambda x: tf.fill(tf.reshape(tf.cast(x, tf.int32), [1]), x))
                              .padded_batch(3, padded_shapes=[None]),
        "padded_batch_fixed": D.range(5).map(lambda x: tf.fill(tf.reshape(tf.cast(x, tf.int32), [1]), x))
                               .padded_batch(2, padded_shapes=[4],
                                             padding_values=tf.constant(-1, tf.int64)),
        "padded_batch_rank2": D.range(4).map(
            lambda x: tf.fill(tf.stack([2, tf.cast(x, tf.int32)]), tf.cast(x, tf.float32)))
            .padded_batch(3, padded_shapes=[3, None], drop_remainder=True),
        "repeat_take_batch": D.range(3).repeat(3).take(7).batch(2),
        "take_repeat_batch": D.range(10).take(3).repeat(2).batch(4),
        "skip_filter": D.range(20).skip(3).filter(lambda x: tf.equal(x % 3, 0)),
        "take_all_skip_none": D.range(4).take(-1).skip(0),
        "skip_all": D.range(4).skip(-1).repeat(3),
        "zip_batch": D.zip((D.range(5), D.range(5).map(lambda x: x * x))).batch(2),
        "interleave": D.range(4).interleave(lambda x: D.from_tensors(x).repeat(3),
                                            cycle_length=2, block_length=2),
        "flat_map": D.range(5).flat_map(lambda x: D.range(x)),
        "nested_map": D.from_tensor_slices((X, (y, y + 1))).map(
            lambda a, bc: (a + tf.cast(bc[0], tf.float32), bc[1])),
        "map_list_result": D.range(3).map(lambda x: [x, tf.stack([x, x])]),
        "concatenate": D.range(3).concatenate(D.range(10, 12)),
        "cache_repeat": D.range(4).cache().repeat(2),
        "range_step": D.range(10, 0, -3),
        "from_tensors_repeat_batch": D.from_tensors(np.array([1., 2.], np.float32)).repeat(3).batch(2),
        "batch_then_map": D.range(7).batch(3).map(lambda b: tf.reduce_sum(b)),
        "strings": D.from_tensor_slices(np.array([b"a", b"bb", b"ccc"], dtype=object)).batch(2),
        "shuffle_buffer_1": D.range(6).shuffle(1).batch(6),
    }
