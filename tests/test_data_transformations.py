"""Transformations whose behaviour is about state or graph-building checks: cache,
list_files + interleave of files, apply, shuffle_and_repeat, zip/concatenate checks."""
import numpy as np
import pytest

import tinygraph as tf


def _drain(sess, t):
    out = []
    while True:
        try:
            out.append(sess.run(t))
        except tf.errors.OutOfRangeError:
            return out


def test_cache_replays_the_first_pass():
    ds = tf.data.Dataset.range(4).map(lambda v: tf.random_uniform([])).cache().repeat(3)
    it = ds.make_initializable_iterator()
    n = it.get_next()
    with tf.Session() as sess:
        sess.run(it.initializer)
        vals = np.array(_drain(sess, n)).reshape(3, 4)
        np.testing.assert_array_equal(vals[0], vals[1])
        np.testing.assert_array_equal(vals[0], vals[2])
        sess.run(it.initializer)  # a new dataset value: a new cache
        again = np.array(_drain(sess, n)).reshape(3, 4)
    assert not np.array_equal(vals[0], again[0])
    with pytest.raises(NotImplementedError, match="in memory only"):
        tf.data.Dataset.range(3).cache("/tmp/cachefile")


def test_list_files_interleave_text_lines(tmp_path):
    for k in range(3):
        (tmp_path / ("part%d.csv" % k)).write_text("h\n%d0\n%d1\n" % (k, k))
    files = tf.data.Dataset.list_files(str(tmp_path / "part*.csv"), shuffle=False)
    ds = files.interleave(lambda f: tf.data.TextLineDataset(f).skip(1), cycle_length=2)
    n = ds.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        assert _drain(sess, n) == [b"00", b"10", b"01", b"11", b"20", b"21"]
    with pytest.raises(tf.errors.InvalidArgumentError, match="no files matched"):
        tf.data.Dataset.list_files(str(tmp_path / "none*.csv"))


def test_apply_and_shuffle_and_repeat():
    ds = tf.data.Dataset.range(5).apply(tf.data.experimental.shuffle_and_repeat(5, count=2, seed=3))
    n = ds.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        got = _drain(sess, n)
    assert sorted(got[:5]) == sorted(got[5:]) == [0, 1, 2, 3, 4]
    with pytest.raises(TypeError, match="must return a Dataset"):
        tf.data.Dataset.range(3).apply(lambda d: 3)


def test_zip_and_concatenate_checks():
    with pytest.raises(TypeError, match="structure of `Dataset` objects"):
        tf.data.Dataset.zip((tf.data.Dataset.range(3), np.arange(3)))
    with pytest.raises(TypeError, match="different types"):
        tf.data.Dataset.range(3).concatenate(tf.data.Dataset.from_tensor_slices(np.zeros(3, np.float32)))
    d = tf.data.Dataset.zip({"a": tf.data.Dataset.range(2), "b": tf.data.Dataset.range(5, 7)})
    n = d.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        assert [(e["a"], e["b"]) for e in _drain(sess, n)] == [(0, 5), (1, 6)]


def test_zip_of_unequal_lengths_stops_at_the_shortest():
    d = tf.data.Dataset.zip((tf.data.Dataset.range(5), tf.data.Dataset.range(3).map(lambda v: v * 2)))
    n = d.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        assert [tuple(e) for e in _drain(sess, n)] == [(0, 0), (1, 2), (2, 4)]


def test_dataset_graph_ops_and_sub_graph_in_graph_def():
    ds = tf.data.Dataset.range(3).map(lambda v: v * 2, num_parallel_calls=4).batch(2).prefetch(1)
    it = ds.make_initializable_iterator()
    types = [op.type for op in tf.get_default_graph().get_operations()]
    for t in ("RangeDataset", "MapDataset", "BatchDatasetV2", "PrefetchDataset", "IteratorV2", "MakeIterator"):
        assert t in types
    names = [node.name for node in tf.get_default_graph().as_graph_def().node]
    assert any(name.startswith("MapDataset/") for name in names)  # the traced body is shown
    assert it.initializer.inputs[0] is ds._variant_tensor


def test_from_generator_values_and_errors():
    def gen():
        for i in range(3):
            yield (i, [i] * i)
    ds = tf.data.Dataset.from_generator(gen, (tf.int64, tf.int32), (tf.TensorShape([]), tf.TensorShape([None])))
    assert ds.output_types == (tf.int64, tf.int32)
    it = ds.make_initializable_iterator()
    a, b = it.get_next()
    with tf.Session() as sess:
        for _ in range(2):  # each initializer run calls the generator again
            sess.run(it.initializer)
            got = _drain(sess, [a, b])
            assert [(x, y.tolist()) for x, y in got] == [(0, []), (1, [1]), (2, [2, 2])]
            assert got[1][1].dtype == np.int32

    def bad_type():
        yield (1, [1])
        yield (2, "x")

    def bad_shape():
        yield [1, 2]
        yield [1, 2, 3]
    n = tf.data.Dataset.from_generator(bad_type, (tf.int64, tf.int32)).make_one_shot_iterator().get_next()
    m = tf.data.Dataset.from_generator(bad_shape, tf.int64, [2]).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        assert sess.run(n)[0] == 1
        with pytest.raises(tf.errors.InvalidArgumentError, match="expected type was int32, but the yielded element was x"):
            sess.run(n)
        assert sess.run(m).tolist() == [1, 2]
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"element of shape \(3,\) where an element of shape"):
            sess.run(m)
    with pytest.raises(TypeError, match="must be callable"):
        tf.data.Dataset.from_generator([1, 2], tf.int64)


def test_python_strings_become_bytes():
    n = tf.data.Dataset.from_tensor_slices(["a", "bc"]).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        assert _drain(sess, n) == [b"a", b"bc"]
