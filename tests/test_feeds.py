"""Feed validation (tinygraph/feeds.py): TF's classes and messages, named tensors,
one value per tensor, one plan per signature; the session is intact afterwards.
The classes of many more cases are pinned against real TF in test_misuse_golden.py."""
import numpy as np
import pytest

import tinygraph as tf


@pytest.fixture
def model():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.Variable(np.full((3, 2), 2.0, np.float32), name="W")
    out = tf.matmul(x, w)
    sess = tf.Session()
    sess.run(w.initializer)
    yield sess, x, out, w
    sess.close()


def _intact(sess, x, out, w):
    np.testing.assert_allclose(sess.run(out, {x: np.ones((2, 3))}), np.full((2, 2), 6.0))
    np.testing.assert_array_equal(sess.run(w), np.full((3, 2), 2.0))


def test_python_int_that_does_not_fit_names_tf_type_and_tensor(model):
    sess, x, out, w = model
    i = tf.placeholder(tf.int32, [], name="i")
    with pytest.raises(TypeError) as info:
        sess.run(i, {i: 2 ** 31})
    assert str(info.value).startswith(
        "Type of feed value 2147483648 with type <class 'int'> is not compatible with Tensor type "
        "<class 'numpy.int32'>. Try explicitly setting the type of the feed tensor to a larger type "
        "(e.g. int64).")
    assert "'i:0'" in str(info.value)
    f = tf.placeholder(tf.float32, [], name="f")
    with pytest.raises(TypeError, match="Type of feed value 16777217 .* <class 'numpy.float32'>"):
        sess.run(f, {f: 2 ** 24 + 1})
    assert sess.run(f, {f: 2 ** 24}) == 2 ** 24
    b = tf.placeholder(tf.bool, [], name="b")
    with pytest.raises(TypeError, match=r"<class 'numpy.bool_'>"):
        sess.run(b, {b: 2})
    with pytest.raises(OverflowError, match="Python int too large to convert to C long"):
        sess.run(i, {i: 2 ** 70})
    _intact(sess, x, out, w)


def test_numpy_conversion_errors_keep_their_class_and_name_the_tensor(model):
    sess, x, out, w = model
    for value, cls, text in [({1, 2, 3}, TypeError, "set"), ([[1j, 1, 1]], TypeError, "complex"),
                             ([["a", "b", "c"]], ValueError, "could not convert string to float"),
                             ((i for i in range(3)), TypeError, "generator"),
                             ([[1, 2, 3], [1]], ValueError, "inhomogeneous")]:
        with pytest.raises(cls) as info:
            sess.run(out, {x: value})
        assert "Tensor 'x:0' of dtype float32" in str(info.value) and text in str(info.value)
    with pytest.raises(TypeError, match="Tensor 'x:0' of dtype float32: an Operation"):
        sess.run(out, {x: out.op})
    _intact(sess, x, out, w)


def test_bad_keys_are_type_errors_with_tfs_wording(model):
    sess, x, out, w = model
    cases = {"nope:0": "The name 'nope:0' refers to a Tensor which does not exist. The operation, "
                       "'nope', does not exist in the graph.",
             "nope": "The name 'nope' looks like an (invalid) Operation name, not a Tensor.",
             "x": "The name 'x' refers to an Operation, not a Tensor.",
             3: "Can not convert a int into a Tensor."}
    for key, text in cases.items():
        with pytest.raises(TypeError) as info:
            sess.run(out, {key: 1.0})
        assert str(info.value).startswith("Cannot interpret feed_dict key as Tensor: " + text)
    with pytest.raises(TypeError, match="^FlattenDictItems: 'dict' must be a dictionary or "
                       "collection.Mapping type object, instead of 'list'.$"):
        sess.run(out, [(x, np.ones((1, 3)))])
    _intact(sess, x, out, w)


def test_same_tensor_twice_keeps_the_last_value(model):
    sess, x, out, w = model
    a = np.ones((1, 3), np.float32)
    np.testing.assert_allclose(sess.run(out, {x: a, "x:0": 2 * a}), [[12.0, 12.0]])
    np.testing.assert_allclose(sess.run(out, {"x:0": 2 * a, x: a}), [[6.0, 6.0]])
    np.testing.assert_allclose(sess.run(out, {b"x:0": a}), [[6.0, 6.0]])
    with pytest.raises(ValueError, match="^Cannot flatten dict because this key is not unique: "
                       r"Tensor\(\"x:0\""):
        sess.run(out, {(x,): (a,), x: a})
    _intact(sess, x, out, w)


def test_tuple_keys_pair_with_their_values(model):
    sess, x, out, w = model
    s = tf.placeholder(tf.float32, [], name="s")
    got = sess.run([out, s * 1.0], {(x, s): (np.ones((1, 3)), 5.0)})
    np.testing.assert_allclose(got[0], [[6.0, 6.0]])
    assert got[1] == 5.0
    with pytest.raises(ValueError, match="^Could not flatten dictionary. Key had 2 elements, but "
                       "value had 1 elements."):
        sess.run(out, {(x, s): (np.ones((1, 3)),)})
    _intact(sess, x, out, w)


def test_one_plan_whatever_order_the_feeds_come_in(model):
    sess, x, out, w = model
    s = tf.placeholder(tf.float32, [], name="s")
    y = out * s
    a = np.ones((1, 3))
    sess.run(y, {x: a, s: 1.0})
    n = len(sess._plans)
    np.testing.assert_allclose(sess.run(y, {s: 2.0, x: a}), [[12.0, 12.0]])
    assert len(sess._plans) == n


def test_python_ints_in_lists_beyond_the_dtype_raise_overflow(model):
    # numpy 2 refuses these (numpy 1, under TF 1.x, wrapped them with a DeprecationWarning)
    sess, x, out, w = model
    i = tf.placeholder(tf.int32, [None], name="iv")
    with pytest.raises(OverflowError, match="Tensor 'iv:0' of dtype int32"):
        sess.run(i, {i: [2 ** 31]})
    _intact(sess, x, out, w)


def test_feeds_never_alias_the_callers_array(model):
    sess, x, out, w = model
    a = np.ones((1, 3), np.float32)
    got = sess.run(x, {x: a})
    got[...] = 7.0
    assert a[0, 0] == 1.0
    v = tf.Variable(np.zeros((1, 3), np.float32))
    sess.run(v.initializer)
    sess.run(tf.assign(v, x), {x: a})
    sess.run(tf.assign_add(v, x), {x: a})
    np.testing.assert_array_equal(a, np.ones((1, 3)))
    np.testing.assert_array_equal(sess.run(v), np.full((1, 3), 2.0))
