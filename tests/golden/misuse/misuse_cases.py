"""Misuse and edge cases, engine-agnostic: each case is `fn(tf, np)` on a fresh default
graph and either returns a value (numpy arrays, scalars, lists of them) or raises.

`make_misuse.py` (here) runs them with real TensorFlow (tf.compat.v1 graph mode) and writes
what happened to `misuse.json`; tests/test_misuse_golden.py runs them on tinygraph and
compares: the same exception class, or the same value (dtype and shape included).
Cases use only the TF 1.x public API.
"""
import collections
import warnings

CASES = collections.OrderedDict()


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def _run(tf, fetch, feed_dict):
    with tf.Session() as sess:
        return sess.run(fetch, feed_dict)


# -- feeds: one placeholder, one value ------------------------------------------------
def _feed_case(name, dtype, shape, make_value):
    def fn(tf, np):
        p = tf.placeholder(getattr(tf, dtype), shape, name="p")
        return _run(tf, p, {p: make_value(tf, np, p)})
    fn.__name__ = "feed_" + name
    CASES[fn.__name__] = fn


def _subclass(np, a):
    cls = type("Sub", (np.ndarray,), {})
    return a.view(cls)


def _matrix(np, a):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        return np.matrix(a)


def _read_only(np, a):
    a = np.array(a)
    a.flags.writeable = False
    return a


for _name, _dtype, _shape, _value in [
    ("float_list", "float32", [None, 3], lambda tf, np, p: [[1, 2, 3]]),
    ("object_array_numbers", "float32", [None, 3], lambda tf, np, p: np.array([[1, 2, 3]], dtype=object)),
    ("object_array_strings", "float32", [None, 3], lambda tf, np, p: np.array([["a", "b", "c"]], dtype=object)),
    ("object_array_with_set", "float32", [None, 3], lambda tf, np, p: np.array([[{1}, 1, 1]], dtype=object)),
    ("object_array_with_none", "float32", [None, 3], lambda tf, np, p: np.array([[None, 1, 1]], dtype=object)),
    ("set", "float32", [None], lambda tf, np, p: {1, 2, 3}),
    ("generator", "float32", [None], lambda tf, np, p: (i for i in range(3))),
    ("dict_value", "float32", [None], lambda tf, np, p: {"a": 1}),
    ("python_complex", "float32", [], lambda tf, np, p: 1 + 2j),
    ("python_complex_real", "float32", [], lambda tf, np, p: 1 + 0j),
    ("list_of_complex", "float32", [None], lambda tf, np, p: [1j, 1.0]),
    ("complex_array", "float32", [None], lambda tf, np, p: np.ones(3, np.complex64)),
    ("operation_value", "float32", [], lambda tf, np, p: tf.no_op()),
    ("tensor_value", "float32", [], lambda tf, np, p: tf.constant(1.0)),
    ("int32_2pow31", "int32", [], lambda tf, np, p: 2 ** 31),
    ("int32_min_minus_1", "int32", [], lambda tf, np, p: -2 ** 31 - 1),
    ("int32_max", "int32", [], lambda tf, np, p: 2 ** 31 - 1),
    ("int32_2pow70", "int32", [], lambda tf, np, p: 2 ** 70),
    ("int32_from_np_int64_big", "int32", [], lambda tf, np, p: np.int64(2 ** 40)),
    ("int32_from_float", "int32", [], lambda tf, np, p: 1.5),
    ("int32_from_nan", "int32", [], lambda tf, np, p: float("nan")),
    ("int32_from_inf", "int32", [], lambda tf, np, p: float("inf")),
    ("int32_from_str", "int32", [], lambda tf, np, p: "12"),
    ("int32_from_bad_str", "int32", [], lambda tf, np, p: "1.5"),
    ("int32_from_true", "int32", [], lambda tf, np, p: True),
    ("int8_128", "int8", [], lambda tf, np, p: 128),
    ("uint8_256", "uint8", [], lambda tf, np, p: 256),
    ("uint8_minus_1", "uint8", [], lambda tf, np, p: -1),
    ("uint8_2pow64", "uint8", [], lambda tf, np, p: 2 ** 64),
    ("uint8_np_array_300", "uint8", [], lambda tf, np, p: np.array(300)),
    ("uint8_np_int8_minus_1", "uint8", [], lambda tf, np, p: np.int8(-1)),
    ("int64_2pow63", "int64", [], lambda tf, np, p: 2 ** 63),
    ("int64_min_minus_1", "int64", [], lambda tf, np, p: -2 ** 63 - 1),
    ("float32_2pow24_plus_1", "float32", [], lambda tf, np, p: 2 ** 24 + 1),
    ("float32_2pow24", "float32", [], lambda tf, np, p: 2 ** 24),
    ("float32_2pow200", "float32", [], lambda tf, np, p: 2 ** 200),
    ("float32_2pow2000", "float32", [], lambda tf, np, p: 2 ** 2000),
    ("float32_list_2pow24_plus_1", "float32", [None], lambda tf, np, p: [2 ** 24 + 1]),
    ("float32_np_int64_2pow24_plus_1", "float32", [], lambda tf, np, p: np.int64(2 ** 24 + 1)),
    ("float32_1e40", "float32", [], lambda tf, np, p: 1e40),
    ("float32_true", "float32", [], lambda tf, np, p: True),
    ("float32_none", "float32", [], lambda tf, np, p: None),
    ("float32_str", "float32", [], lambda tf, np, p: "1.5"),
    ("float32_bad_str", "float32", [], lambda tf, np, p: "a"),
    ("float32_bytes", "float32", [], lambda tf, np, p: b"1.5"),
    ("float32_bad_bytes", "float32", [], lambda tf, np, p: b"abc"),
    ("float16_2049", "float16", [], lambda tf, np, p: 2049),
    ("float16_2048", "float16", [], lambda tf, np, p: 2048),
    ("float16_70000", "float16", [], lambda tf, np, p: 70000),
    ("float64_2pow53_plus_1", "float64", [], lambda tf, np, p: 2 ** 53 + 1),
    ("float64_2pow2000", "float64", [], lambda tf, np, p: 2 ** 2000),
    ("bool_1", "bool", [], lambda tf, np, p: 1),
    ("bool_0", "bool", [], lambda tf, np, p: 0),
    ("bool_2", "bool", [], lambda tf, np, p: 2),
    ("bool_minus_1", "bool", [], lambda tf, np, p: -1),
    ("bool_str", "bool", [], lambda tf, np, p: "a"),
    ("string_int", "string", [], lambda tf, np, p: 3),
    ("string_str", "string", [], lambda tf, np, p: "abc"),
    ("wrong_shape", "float32", [None, 3], lambda tf, np, p: np.ones((2, 4))),
    ("wrong_rank", "float32", [None, 3], lambda tf, np, p: np.ones(3)),
    ("scalar_for_matrix", "float32", [None, 3], lambda tf, np, p: np.float32(1)),
    ("list_for_scalar", "float32", [], lambda tf, np, p: [1.0]),
    ("ragged", "float32", [None, 3], lambda tf, np, p: [[1, 2, 3], [1, 2]]),
    ("empty_list", "float32", [None, 3], lambda tf, np, p: []),
    ("empty_batch", "float32", [None, 3], lambda tf, np, p: np.zeros((0, 3))),
    ("read_only", "float32", [None, 3], lambda tf, np, p: _read_only(np, np.ones((2, 3), np.float32))),
    ("non_contiguous", "float32", [None, 2], lambda tf, np, p: np.arange(12, dtype=np.float32).reshape(3, 4)[:, ::2]),
    ("transposed", "float32", [None, 3], lambda tf, np, p: np.arange(6, dtype=np.float32).reshape(3, 2).T),
    ("big_endian", "float32", [None], lambda tf, np, p: np.arange(4, dtype=">f4")),
    ("big_endian_f8", "float32", [None], lambda tf, np, p: np.arange(4, dtype=">f8")),
    ("big_endian_int", "int32", [None], lambda tf, np, p: np.arange(4, dtype=">i4")),
    ("subclass", "float32", [None], lambda tf, np, p: _subclass(np, np.arange(3, dtype=np.float32))),
    ("matrix", "float32", [None, 3], lambda tf, np, p: _matrix(np, np.ones((2, 3)))),
    ("masked", "float32", [None, 3], lambda tf, np, p: np.ma.array(np.ones((2, 3)), mask=[[1, 0, 0], [0, 0, 0]])),
    ("float16_array", "float32", [None], lambda tf, np, p: np.ones(3, np.float16)),
    ("memoryview", "float32", [None], lambda tf, np, p: memoryview(np.arange(3, dtype=np.float32))),
    ("bytearray_for_string_scalar", "string", [], lambda tf, np, p: bytearray(b"ab")),
    ("fraction", "float32", [], lambda tf, np, p: __import__("fractions").Fraction(1, 2)),
    ("decimal", "float32", [], lambda tf, np, p: __import__("decimal").Decimal("1.5")),
]:
    _feed_case(_name, _dtype, _shape, _value)


# -- feeds: keys and the feed_dict itself ----------------------------------------------
def _xy(tf, np):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    return x, x * 2.0, np.ones((2, 3), np.float32)


@case
def feed_same_tensor_twice(tf, np):
    x, y, a = _xy(tf, np)
    return _run(tf, y, {x: a, "x:0": a * 3})


@case
def feed_dict_is_a_list(tf, np):
    x, y, a = _xy(tf, np)
    return _run(tf, y, [(x, a)])


@case
def feed_dict_is_an_int(tf, np):
    x, y, a = _xy(tf, np)
    return _run(tf, y, 3)


@case
def feed_dict_is_an_empty_list(tf, np):
    x, y, a = _xy(tf, np)
    return _run(tf, y, [])


@case
def feed_unknown_tensor_name(tf, np):
    x, y, a = _xy(tf, np)
    return _run(tf, y, {"nope:0": a})


@case
def feed_unknown_op_name(tf, np):
    x, y, a = _xy(tf, np)
    return _run(tf, y, {"nope": a})


@case
def feed_op_name(tf, np):
    x, y, a = _xy(tf, np)
    return _run(tf, y, {"x": a})


@case
def feed_output_index_out_of_range(tf, np):
    x, y, a = _xy(tf, np)
    return _run(tf, y, {"x:1": a})


@case
def feed_bytes_name(tf, np):
    x, y, a = _xy(tf, np)
    return _run(tf, y, {b"x:0": a})


@case
def feed_int_key(tf, np):
    x, y, a = _xy(tf, np)
    return _run(tf, y, {3: a})


@case
def feed_none_key(tf, np):
    x, y, a = _xy(tf, np)
    return _run(tf, y, {None: a})


@case
def feed_tuple_key(tf, np):
    x, y, a = _xy(tf, np)
    s = tf.placeholder(tf.float32, [], name="s")
    return _run(tf, [y, s * 1.0], {(x, s): (a, 2.0)})


@case
def feed_nested_tuple_key_list_value(tf, np):
    x, y, a = _xy(tf, np)
    s = tf.placeholder(tf.float32, [], name="s")
    i = tf.placeholder(tf.int32, [], name="i")
    return _run(tf, [y, s * 1.0, i * 1], {((x, s), i): [[a, 2.0], 3]})


@case
def feed_tuple_key_short_value(tf, np):
    x, y, a = _xy(tf, np)
    s = tf.placeholder(tf.float32, [], name="s")
    return _run(tf, y, {(x, s): (a,)})


@case
def feed_tuple_key_repeated(tf, np):
    x, y, a = _xy(tf, np)
    return _run(tf, y, {(x, x): (a, a)})


@case
def feed_tuple_key_and_plain_key(tf, np):
    x, y, a = _xy(tf, np)
    return _run(tf, y, {(x,): (a,), x: a})


@case
def feed_key_of_another_graph(tf, np):
    x, y, a = _xy(tf, np)
    with tf.Graph().as_default():
        z = tf.placeholder(tf.float32, [], name="z")
    return _run(tf, y, {z: 1.0, x: a})


@case
def feed_an_intermediate_tensor(tf, np):
    x, y, a = _xy(tf, np)
    z = y + 1.0
    return _run(tf, z, {y: a})


@case
def feed_missing(tf, np):
    x, y, a = _xy(tf, np)
    return _run(tf, y, None)
