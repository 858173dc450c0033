"""tf.data iterators: end of data, re-initialization, sessions, feeds, structure checks,
string handles, run-time errors, and training from an iterator."""
import threading
import time

import numpy as np
import pytest

import tinygraph as tf


def _drain(sess, t, feed_dict=None):
    out = []
    while True:
        try:
            out.append(sess.run(t, feed_dict))
        except tf.errors.OutOfRangeError:
            return out


def test_one_shot_end_of_sequence_is_sticky():
    n = tf.data.Dataset.range(3).make_one_shot_iterator().get_next()
    assert n.op.type == "IteratorGetNext" and n.dtype == tf.int64
    with tf.Session() as sess:
        assert [sess.run(n) for _ in range(3)] == [0, 1, 2]
        for _ in range(2):
            with pytest.raises(tf.errors.OutOfRangeError, match="End of sequence") as e:
                sess.run(n)
            assert e.value.op is n.op


def test_one_shot_iterator_has_no_initializer_and_refuses_placeholders():
    it = tf.data.Dataset.range(3).make_one_shot_iterator()
    with pytest.raises(ValueError, match="does not have an initializer"):
        it.initializer
    p = tf.placeholder(tf.float32, [None], name="xs")
    with pytest.raises(ValueError, match=r"Cannot capture a placeholder \(name:xs, type:Placeholder\) by value"):
        tf.data.Dataset.from_tensor_slices(p).map(lambda v: v * 2).make_one_shot_iterator()


def test_initializer_restarts_and_get_next_before_init_fails():
    it = tf.data.Dataset.range(4).make_initializable_iterator()
    n = it.get_next()
    assert it.initializer.type == "MakeIterator"
    assert it._iterator_resource.op.type == "IteratorV2" and it._iterator_resource.dtype == tf.resource
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match="iterator has not been initialized"):
            sess.run(n)
        sess.run(it.initializer)
        assert [sess.run(n), sess.run(n)] == [0, 1]
        sess.run(it.initializer)
        assert _drain(sess, n) == [0, 1, 2, 3]
        sess.run(it.initializer)
        assert sess.run(n) == 0


def test_two_sessions_iterate_independently():
    it = tf.data.Dataset.range(5).make_initializable_iterator()
    n = it.get_next()
    s1, s2 = tf.Session(), tf.Session()
    s1.run(it.initializer)
    s2.run(it.initializer)
    assert [s1.run(n) for _ in range(3)] == [0, 1, 2]
    assert s2.run(n) == 0
    assert s1.run(n) == 3
    s1.close()
    assert s2.run(n) == 1


def test_one_shot_state_is_per_session():
    n = tf.data.Dataset.range(3).make_one_shot_iterator().get_next()
    s1, s2 = tf.Session(), tf.Session()
    assert s1.run(n) == 0 and s1.run(n) == 1
    assert s2.run(n) == 0


def test_placeholder_dataset_fed_at_initializer():
    x = tf.placeholder(tf.float32, [None, 2])
    y = tf.placeholder(tf.int32, [None])
    ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(2)
    assert ds.output_shapes[0].as_list() == [None, 2]
    it = ds.make_initializable_iterator()
    xb, yb = it.get_next()
    a = np.arange(10, dtype=np.float32).reshape(5, 2)
    with tf.Session() as sess:
        sess.run(it.initializer, {x: a, y: np.arange(5)})
        got = _drain(sess, [xb, yb])
        np.testing.assert_array_equal(np.concatenate([g[0] for g in got]), a)
        assert [g[1].tolist() for g in got] == [[0, 1], [2, 3], [4]]
        sess.run(it.initializer, {x: a[:1] + 100, y: [7]})
        v = sess.run([xb, yb])
        np.testing.assert_array_equal(v[0], [[100., 101.]])
        with pytest.raises(tf.errors.InvalidArgumentError, match="You must feed a value for placeholder"):
            sess.run(it.initializer)


def test_map_captures_placeholder_evaluated_at_initializer():
    scale = tf.placeholder(tf.int64, [])
    it = tf.data.Dataset.range(3).map(lambda v: v * scale).make_initializable_iterator()
    n = it.get_next()
    with tf.Session() as sess:
        sess.run(it.initializer, {scale: 10})
        assert _drain(sess, n) == [0, 10, 20]
        sess.run(it.initializer, {scale: -1})
        assert _drain(sess, n) == [0, -1, -2]


def test_map_dict_element_is_one_argument_and_tuple_is_unpacked():
    ds = tf.data.Dataset.from_tensor_slices({"a": np.array([1., 2.], np.float32), "b": np.array([3, 4])})
    seen = []
    mapped = ds.map(lambda d: (seen.append(sorted(d)), d["a"] * 2.0)[1])
    assert seen == [["a", "b"]]  # traced once, at graph-building time
    n = mapped.make_one_shot_iterator().get_next()
    pairs = tf.data.Dataset.from_tensor_slices((np.array([1, 2]), np.array([5, 6]))).map(lambda p, q: p + q)
    m = pairs.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        assert _drain(sess, n) == [2.0, 4.0]
        assert _drain(sess, m) == [6, 8]
    assert len(seen) == 1


def test_output_structure_properties():
    ds = tf.data.Dataset.from_tensor_slices(({"img": np.zeros((4, 3, 2), np.float32)}, np.zeros(4, np.int32)))
    assert ds.output_types == ({"img": tf.float32}, tf.int32)
    assert ds.output_classes == ({"img": tf.Tensor}, tf.Tensor)
    assert ds.output_shapes[0]["img"].as_list() == [3, 2]
    b = ds.batch(2)
    assert b.output_shapes[0]["img"].as_list() == [None, 3, 2]
    assert ds.batch(2, drop_remainder=True).output_shapes[1].as_list() == [2]
    it = b.make_initializable_iterator()
    assert it.output_types == b.output_types
    feats, label = it.get_next()
    assert feats["img"].shape.as_list() == [None, 3, 2] and label.dtype == tf.int32
    assert tf.data.get_output_shapes(b)[1].as_list() == [None]


def test_from_tensor_slices_rejects_bad_components():
    with pytest.raises(ValueError, match="Dimensions 3 and 4 are not compatible"):
        tf.data.Dataset.from_tensor_slices((np.zeros(3), np.zeros(4)))
    with pytest.raises(ValueError, match="rank >= 1"):
        tf.data.Dataset.from_tensor_slices(np.float32(1.0))


def test_from_structure_switches_datasets():
    train = tf.data.Dataset.from_tensor_slices(np.arange(6, dtype=np.float32)).batch(4)
    valid = tf.data.Dataset.from_tensor_slices(np.arange(100, 103, dtype=np.float32)).batch(4)
    it = tf.data.Iterator.from_structure(train.output_types, train.output_shapes)
    n = it.get_next()
    train_init, valid_init = it.make_initializer(train), it.make_initializer(valid)
    with tf.Session() as sess:
        sess.run(train_init)
        assert sess.run(n).tolist() == [0, 1, 2, 3]
        sess.run(valid_init)
        assert [v.tolist() for v in _drain(sess, n)] == [[100, 101, 102]]
        sess.run(train_init)
        assert [v.tolist() for v in _drain(sess, n)] == [[0, 1, 2, 3], [4, 5]]


def test_make_initializer_structure_and_dtype_mismatches():
    it = tf.data.Iterator.from_structure(tf.int64, tf.TensorShape([]))
    with pytest.raises(TypeError, match="Expected output types tf.int64 but got dataset with output types tf.float32"):
        it.make_initializer(tf.data.Dataset.from_tensor_slices(np.array([1., 2.], np.float32)))
    with pytest.raises(ValueError, match="don't have the same nested structure"):
        it.make_initializer(tf.data.Dataset.from_tensor_slices((np.array([1]), np.array([2]))))
    with pytest.raises(TypeError, match="Expected output shapes compatible with"):
        it.make_initializer(tf.data.Dataset.from_tensors(np.arange(3)))
    n_ops = len(tf.get_default_graph().get_operations())
    assert it.make_initializer(tf.data.Dataset.range(2)).type == "MakeIterator"
    assert len(tf.get_default_graph().get_operations()) > n_ops


def test_string_handle_feeds_which_iterator_runs():
    a = tf.data.Dataset.range(3).make_one_shot_iterator()
    b = tf.data.Dataset.range(10, 13).make_initializable_iterator()
    handle = tf.placeholder(tf.string, [])
    it = tf.data.Iterator.from_string_handle(handle, a.output_types, a.output_shapes)
    n = it.get_next()
    with tf.Session() as sess:
        ha, hb = sess.run([a.string_handle(), b.string_handle()])
        assert isinstance(ha, bytes) and ha != hb
        sess.run(b.initializer)
        assert sess.run(n, {handle: ha}) == 0
        assert sess.run(n, {handle: hb}) == 10
        assert sess.run(n, {handle: ha}) == 1


def test_shared_name_shares_state():
    ds = tf.data.Dataset.range(5)
    a = ds.make_initializable_iterator(shared_name="shared_it")
    b = ds.make_initializable_iterator(shared_name="shared_it")
    c = ds.make_initializable_iterator()
    with tf.Session() as sess:
        sess.run([a.initializer, c.initializer])
        assert sess.run(a.get_next()) == 0
        assert sess.run(b.get_next()) == 1
        assert sess.run(c.get_next()) == 0


def test_map_failure_names_op_and_iterator_recovers():
    ds = tf.data.Dataset.from_tensor_slices(np.array([4, 3, 4], np.int32)).map(
        lambda v: tf.reshape(tf.range(v), [2, 2], name="to_square"))
    it = ds.make_initializable_iterator()
    n = it.get_next()
    with tf.Session() as sess:
        sess.run(it.initializer)
        assert sess.run(n).shape == (2, 2)
        with pytest.raises(tf.errors.InvalidArgumentError, match="to_square") as e:
            sess.run(n)
        assert "Reshape" in str(e.value)
        # TF moves on to the next element; re-initializing restarts cleanly
        np.testing.assert_array_equal(sess.run(n), [[0, 1], [2, 3]])
        sess.run(it.initializer)
        assert sess.run(n).shape == (2, 2)


def test_map_result_checked_against_static_shape():
    ds = tf.data.Dataset.from_tensor_slices(np.array([2, 3], np.int32)).map(lambda v: tf.range(v))
    ds = ds.map(lambda r: tf.placeholder_with_default(r, [2]))
    n = ds.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        assert sess.run(n).tolist() == [0, 1]
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"Incompatible shapes at component 0: expected \[2\] but got \[3\]"):
            sess.run(n)


def test_batch_of_unequal_elements_fails_with_tf_message():
    ds = tf.data.Dataset.range(4).map(lambda v: tf.fill(tf.reshape(tf.cast(v % 3, tf.int32), [1]), v)).batch(2)
    n = ds.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"Cannot add tensor to the batch: number of elements does not match. "
                                 r"Shapes are: \[tensor\]: \[1\], \[batch\]: \[0\]"):
            sess.run(n)


def test_padded_batch_too_small_and_bad_shapes():
    ds = tf.data.Dataset.range(5).map(lambda v: tf.fill(tf.reshape(tf.cast(v, tf.int32), [1]), v))
    n = ds.padded_batch(2, padded_shapes=[2]).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        assert sess.run(n).tolist() == [[0, 0], [1, 0]]
        with pytest.raises(tf.errors.DataLossError, match="pad to a smaller size"):
            sess.run(n)
    with pytest.raises(ValueError, match="not compatible"):
        ds.padded_batch(2, padded_shapes=[2, 2])


def test_filter_predicate_must_be_scalar_bool():
    with pytest.raises(ValueError, match="must return a `tf.bool` scalar tensor"):
        tf.data.Dataset.range(3).filter(lambda v: v)


def test_repeat_empty_dataset_ends():
    n = tf.data.Dataset.range(0).repeat().make_one_shot_iterator().get_next()
    m = tf.data.Dataset.range(3).filter(lambda v: v > 5).repeat().make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        for t in (n, m):
            with pytest.raises(tf.errors.OutOfRangeError):
                sess.run(t)


def test_infinite_repeat_keeps_going_and_batches_across_epochs():
    n = tf.data.Dataset.from_tensor_slices(np.arange(3)).repeat().batch(5).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        got = np.concatenate([sess.run(n) for _ in range(30)])
    np.testing.assert_array_equal(got, np.tile(np.arange(3), 50))


def test_map_random_op_draws_per_element():
    ds = tf.data.Dataset.range(4).map(lambda v: tf.random_uniform([], seed=3) + tf.cast(v, tf.float32) * 0)
    n = ds.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        vals = [sess.run(n) for _ in range(4)]
    assert len(set(vals)) == 4 and all(0 <= v < 1 for v in vals)


def test_training_from_an_iterator():
    rng = np.random.RandomState(0)
    X = rng.randn(200, 3).astype(np.float32)
    w_true = np.array([[1.5], [-2.0], [0.5]], np.float32)
    y = X @ w_true + 0.25
    tf.set_random_seed(1)
    ds = tf.data.Dataset.from_tensor_slices((X, y)).shuffle(200).repeat(20).batch(20)
    it = ds.make_one_shot_iterator()
    xb, yb = it.get_next()
    w = tf.Variable(tf.zeros([3, 1]), name="w")
    b = tf.Variable(0.0, name="b")
    loss = tf.reduce_mean(tf.square(tf.matmul(xb, w) + b - yb))
    gx, gw = tf.gradients(loss, [xb, w])
    assert gx is not None and gx.shape.as_list() == [None, 3]
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        steps = 0
        while True:
            try:
                sess.run(train)
            except tf.errors.OutOfRangeError:
                break
            steps += 1
        assert steps == 200
        np.testing.assert_allclose(sess.run(w), w_true, atol=1e-3)
        np.testing.assert_allclose(sess.run(b), 0.25, atol=1e-3)
    # the gradient with respect to the batch is the usual one (batch and gradient in one run)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(w.assign(w_true * 2))
        xv, yv, gxv = sess.run([xb, yb, gx])
        want = 2.0 / len(xv) * (xv @ (w_true * 2) - yv) @ (w_true * 2).T
        np.testing.assert_allclose(gxv, want, rtol=1e-5, atol=1e-6)


def test_from_structure_reads_shapes_up_to_the_types():
    it = tf.data.Iterator.from_structure((tf.int64, {"a": tf.float32}), ((), {"a": (None, 3)}))
    assert it.output_shapes[0].as_list() == [] and it.output_shapes[1]["a"].as_list() == [None, 3]
    with pytest.raises(ValueError, match="same nested structure"):
        tf.data.Iterator.from_structure((tf.int64, tf.int64), ([],))


def test_get_next_from_several_threads_hands_out_each_element_once():
    def slow():  # a Python generator may not be entered by two threads at once
        for i in range(400):
            time.sleep(0.0002)
            yield i
    n = tf.data.Dataset.from_generator(slow, tf.int64).map(lambda v: v + 0) \
        .make_one_shot_iterator().get_next()
    sess = tf.Session()
    seen, errors = [], []

    def pull():
        try:
            for _ in range(100):
                seen.append(int(sess.run(n)))
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)
    threads = [threading.Thread(target=pull) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors and sorted(seen) == list(range(400))
