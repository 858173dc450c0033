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


# -- reductions and normalisations over empty axes -------------------------------------
def _empty(np, dtype="float32", shape=(0, 3)):
    return np.zeros(shape, dtype)


def _reduction_case(fn_name, dtype, axis, keepdims=False):
    def fn(tf, np):
        x = tf.placeholder(getattr(tf, dtype), [None, 3], name="x")
        return _run(tf, getattr(tf, fn_name)(x, axis=axis, keepdims=keepdims), {x: _empty(np, dtype)})
    fn.__name__ = "empty_%s_%s_axis%s%s" % (fn_name, dtype, axis, "_keep" if keepdims else "")
    CASES[fn.__name__] = fn


for _fn, _dtypes in [("reduce_max", ["float32", "float16", "int32", "int64", "uint8"]),
                     ("reduce_min", ["float32", "float64", "int32", "uint8"]),
                     ("reduce_logsumexp", ["float32", "float64"]),
                     ("reduce_mean", ["float32", "float64", "int32"]),
                     ("reduce_prod", ["float32", "int32"]),
                     ("reduce_sum", ["float32", "int32"]),
                     ("reduce_all", ["bool"]), ("reduce_any", ["bool"])]:
    for _dt in _dtypes:
        for _axis in (0, 1, None):
            _reduction_case(_fn, _dt, _axis)
    _reduction_case(_fn, _dtypes[0], 0, keepdims=True)
    _reduction_case(_fn, _dtypes[0], None, keepdims=True)


def _reduction_grad_case(fn_name, axis):
    def fn(tf, np):
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        y = tf.reduce_sum(getattr(tf, fn_name)(x, axis=axis))
        return _run(tf, [y, tf.gradients(y, x)[0]], {x: _empty(np)})
    fn.__name__ = "empty_grad_%s_axis%s" % (fn_name, axis)
    CASES[fn.__name__] = fn


for _fn in ["reduce_max", "reduce_min", "reduce_logsumexp", "reduce_mean", "reduce_prod",
            "reduce_sum"]:
    for _axis in (0, 1, None):
        _reduction_grad_case(_fn, _axis)


def _normalisation_case(fn_name, shape, axis=-1):
    def fn(tf, np):
        x = tf.placeholder(tf.float32, [None if d == 0 else d for d in shape], name="x")
        y = getattr(tf.nn, fn_name)(x, axis=axis)
        return _run(tf, [y, tf.gradients(tf.reduce_sum(y * 1.5), x)[0]], {x: _empty(np, shape=shape)})
    fn.__name__ = "empty_%s_%s_axis%d" % (fn_name, "x".join(map(str, shape)), axis)
    CASES[fn.__name__] = fn


for _fn in ["softmax", "log_softmax"]:
    _normalisation_case(_fn, (0, 3))
    _normalisation_case(_fn, (3, 0))
    _normalisation_case(_fn, (0, 3), axis=0)


@case
def empty_argmax_over_the_empty_axis(tf, np):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    return _run(tf, tf.argmax(x, axis=0), {x: _empty(np)})


@case
def empty_argmin_over_the_empty_axis(tf, np):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    return _run(tf, tf.argmin(x, axis=0), {x: _empty(np)})


@case
def empty_argmax_of_an_empty_batch(tf, np):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    return _run(tf, tf.argmax(x, axis=1), {x: _empty(np)})


@case
def empty_batch_cross_entropies(tf, np):
    logits = tf.placeholder(tf.float32, [None, 3], name="logits")
    labels = tf.placeholder(tf.int32, [None], name="labels")
    sparse = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    dense = tf.nn.softmax_cross_entropy_with_logits_v2(labels=tf.one_hot(labels, 3), logits=logits)
    loss = tf.reduce_mean(sparse) + tf.reduce_sum(dense)
    return _run(tf, [sparse, dense, loss, tf.gradients(tf.reduce_sum(sparse) + tf.reduce_sum(dense),
                                                      logits)[0]],
                {logits: _empty(np), labels: np.zeros(0, np.int32)})


@case
def empty_batch_moments(tf, np):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    return _run(tf, list(tf.nn.moments(x, axes=[0])), {x: _empty(np)})


@case
def empty_batch_dynamic_rnn_with_sequence_length(tf, np):
    X = tf.placeholder(tf.float32, [None, 4, 2], name="X")
    L = tf.placeholder(tf.int32, [None], name="L")
    cell = tf.nn.rnn_cell.BasicRNNCell(3)
    out, st = tf.nn.dynamic_rnn(cell, X, sequence_length=L, dtype=tf.float32)
    loss = tf.reduce_mean(out) + tf.reduce_max(st)
    grads = tf.gradients(tf.reduce_sum(out) + tf.reduce_sum(st), [X] + tf.trainable_variables())
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got = sess.run([out, st, loss] + grads, {X: np.zeros((0, 4, 2), np.float32),
                                                 L: np.zeros(0, np.int32)})
    return got


@case
def empty_batch_lstm_training_step(tf, np):
    X = tf.placeholder(tf.float32, [None, 4, 2], name="X")
    L = tf.placeholder(tf.int32, [None], name="L")
    cell = tf.nn.rnn_cell.BasicLSTMCell(3)
    out, st = tf.nn.dynamic_rnn(cell, X, sequence_length=L, dtype=tf.float32)
    loss = tf.reduce_sum(out) + tf.reduce_sum(st.h)
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        before = sess.run(tf.trainable_variables())
        sess.run(train, {X: np.zeros((0, 4, 2), np.float32), L: np.zeros(0, np.int32)})
        after = sess.run(tf.trainable_variables())
    return [np.array([np.array_equal(a, b) for a, b in zip(before, after)])]


# -- graph building: empty lists, negative dims, non-convertible objects ---------------
def _shape_of(t):
    return [-1 if d is None else d for d in t.shape.as_list()]


def _const_x(tf, np):
    return tf.constant(np.ones((2, 3), np.float32))


def _building_case(name, build):
    CASES["build_" + name] = lambda tf, np: build(tf, np)


def _run_all(tf, fetch, feed_dict=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetch, feed_dict)


def _shape_default(tf, np, value):
    return tf.placeholder_with_default(np.array(value, np.int32), [len(value)])


for _name, _build in [
    ("concat_empty_list", lambda tf, np: tf.concat([], 0)),
    ("concat_empty_tuple", lambda tf, np: tf.concat((), 0)),
    ("concat_one", lambda tf, np: _run(tf, tf.concat([_const_x(tf, np)], 0), None)),
    ("gradients_of_nothing", lambda tf, np: tf.gradients([], [])),
    ("gradients_of_nothing_wrt_x", lambda tf, np: tf.gradients([], [_const_x(tf, np)])),
    ("gradients_wrt_nothing", lambda tf, np: tf.gradients(_const_x(tf, np) * 2.0, [])),
    ("reshape_minus2", lambda tf, np: tf.reshape(_const_x(tf, np), [-2, -3])),
    ("reshape_minus2_of_unknown", lambda tf, np: tf.reshape(tf.placeholder(tf.float32, [None, 3]),
                                                            [-2, 3])),
    ("reshape_minus1_minus1", lambda tf, np: _shape_of(tf.reshape(_const_x(tf, np), [-1, -1]))),
    ("reshape_minus2_at_run", lambda tf, np: _run(tf, tf.reshape(_const_x(tf, np),
                                                                 _shape_default(tf, np, [-2, 3])), None)),
    ("reshape_two_unknown_at_run", lambda tf, np: _run(tf, tf.reshape(
        _const_x(tf, np), _shape_default(tf, np, [-1, -1])), None)),
    ("reshape_float_dim", lambda tf, np: tf.reshape(_const_x(tf, np), [2, 1.5])),
    ("reshape_string_dim", lambda tf, np: tf.reshape(_const_x(tf, np), ["a"])),
    ("placeholder_minus3", lambda tf, np: tf.placeholder(tf.float32, [-3, 3])),
    ("placeholder_minus1", lambda tf, np: tf.placeholder(tf.float32, [-1, 3])),
    ("tensorshape_minus2", lambda tf, np: tf.TensorShape([-2])),
    ("constant_object", lambda tf, np: tf.constant(object())),
    ("constant_set", lambda tf, np: tf.constant({1, 2})),
    ("constant_none", lambda tf, np: tf.constant(None)),
    ("constant_list_with_none", lambda tf, np: tf.constant([1, None])),
    ("constant_number_and_string", lambda tf, np: tf.constant([1, "a"])),
    ("constant_generator", lambda tf, np: tf.constant(i for i in range(3))),
    ("constant_dict", lambda tf, np: tf.constant({"a": 1})),
    ("constant_operation", lambda tf, np: tf.constant(tf.no_op())),
    ("constant_ragged", lambda tf, np: tf.constant([[1, 2], [3]])),
    ("constant_strings", lambda tf, np: _run(tf, tf.constant(["a", b"b"]), None)),
    ("constant_object_array_of_ints", lambda tf, np: tf.constant(np.array([1, 2], dtype=object))),
    ("constant_list_float_to_int", lambda tf, np: tf.constant([1.5], dtype=tf.int32)),
    ("constant_array_float_to_int", lambda tf, np: _run(tf, tf.constant(np.array([1.5, -2.5]),
                                                                         dtype=tf.int32), None)),
    ("constant_fills_with_the_last", lambda tf, np: _run(tf, tf.constant([1, 2], shape=[2, 2]), None)),
    ("constant_fills_floats", lambda tf, np: _run(tf, tf.constant([1.0, 2.0], shape=[3]), None)),
    ("constant_empty_list_shape", lambda tf, np: _run(tf, tf.constant([], shape=[3]), None)),
    ("constant_too_many", lambda tf, np: tf.constant([1, 2, 3], shape=[2])),
    ("constant_verify_shape", lambda tf, np: tf.constant([1, 2], shape=[2, 2], verify_shape=True)),
    ("constant_negative_shape", lambda tf, np: tf.constant(1.0, shape=[-1])),
    ("convert_object", lambda tf, np: tf.convert_to_tensor(object())),
    ("add_object", lambda tf, np: _const_x(tf, np) + object()),
    ("unstack_empty", lambda tf, np: tf.unstack(tf.zeros((0, 3)))),
    ("zeros_minus1", lambda tf, np: tf.zeros([-1, 3])),
    ("zeros_minus2", lambda tf, np: tf.zeros([-2, 3])),
    ("fill_minus1", lambda tf, np: tf.fill([-1], 1.0)),
    ("fill_minus2", lambda tf, np: tf.fill([-2], 1.0)),
    ("fill_negative_at_run", lambda tf, np: _run(tf, tf.fill(_shape_default(tf, np, [-1]), 1.0), None)),
    ("broadcast_to_minus2", lambda tf, np: tf.broadcast_to(tf.ones([3]), [-2, 3])),
    ("tile_negative", lambda tf, np: _shape_of(tf.tile(_const_x(tf, np), [-1, 1]))),
    ("tile_negative_at_run", lambda tf, np: _run(tf, tf.tile(_const_x(tf, np),
                                                             _shape_default(tf, np, [-1, 1])), None)),
    ("variable_shape_mismatch", lambda tf, np: tf.Variable(np.zeros(3), shape=[4])),
    ("variable_callable_shape_mismatch", lambda tf, np: tf.Variable(lambda: np.zeros(3), shape=[4])),
    ("variable_shape_unknown_dim", lambda tf, np: (lambda v: [_shape_of(v), _run_all(tf, v)])(
        tf.Variable(np.arange(3.0), shape=[None]))),
    ("variable_shape_negative", lambda tf, np: tf.Variable(np.zeros(3), shape=[-2])),
    ("variable_object", lambda tf, np: tf.Variable(object())),
    ("variable_ragged", lambda tf, np: tf.Variable([[1, 2], [3]])),
    ("variable_float_to_int", lambda tf, np: tf.Variable(1.5, dtype=tf.int32)),
    ("get_variable_negative_shape", lambda tf, np: tf.get_variable("v", [-2])),
    ("get_variable_constant_initializer_and_shape",
     lambda tf, np: tf.get_variable("v", [4], initializer=tf.constant(np.zeros(3)))),
]:
    _building_case(_name, _build)


def _failed_then_initializer(make_bad):
    def fn(tf, np):
        try:
            make_bad(tf, np)
        except (TypeError, ValueError):
            pass
        else:
            raise AssertionError("the bad construction was accepted")
        v = tf.Variable(np.arange(3, dtype=np.float32), name="good")
        out = tf.reduce_sum(v * 2.0)
        return [_run_all(tf, [v, out]), np.array(len(tf.global_variables()))]
    return fn


for _name, _bad in [
    ("variable_shape_mismatch", lambda tf, np: tf.Variable(np.zeros(3), shape=[4])),
    ("variable_object", lambda tf, np: tf.Variable(object())),
    ("variable_shape_negative", lambda tf, np: tf.Variable(np.zeros(3), shape=[-2])),
    ("get_variable_negative_shape", lambda tf, np: tf.get_variable("bad", [-2])),
    ("dynamic_rnn_int32", lambda tf, np: tf.nn.dynamic_rnn(
        tf.nn.rnn_cell.BasicLSTMCell(3), tf.placeholder(tf.int32, [None, 4, 2]), dtype=tf.int32)),
    ("placeholder_minus3", lambda tf, np: tf.placeholder(tf.float32, [-3])),
    ("concat_empty", lambda tf, np: tf.concat([], 0)),
]:
    CASES["build_after_failed_%s_initializer_works" % _name] = _failed_then_initializer(_bad)


def _rnn_case(cell, dtype, state_dtype=None):
    def fn(tf, np):
        make = {"basic": tf.nn.rnn_cell.BasicRNNCell, "lstm": tf.nn.rnn_cell.BasicLSTMCell,
                "gru": tf.nn.rnn_cell.GRUCell, "lstm_full": tf.nn.rnn_cell.LSTMCell}[cell]
        x = tf.placeholder(getattr(tf, dtype), [None, 4, 2])
        out, _ = tf.nn.dynamic_rnn(make(3), x, dtype=getattr(tf, state_dtype or dtype))
        return [np.array(out.dtype.name)]
    CASES["build_dynamic_rnn_%s_%s%s" % (cell, dtype, "_state_" + state_dtype if state_dtype else "")] = fn


for _cell in ["basic", "lstm", "gru", "lstm_full"]:
    _rnn_case(_cell, "int32")
_rnn_case("basic", "bool")
_rnn_case("basic", "float64")
_rnn_case("basic", "int32", "float32")
_rnn_case("basic", "float32", "int32")


@case
def build_cell_call_on_int32(tf, np):
    return tf.nn.rnn_cell.BasicRNNCell(3)(tf.placeholder(tf.int32, [None, 2]), tf.zeros([1, 3], tf.int32))


@case
def build_cell_call_with_int32_state(tf, np):
    return tf.nn.rnn_cell.GRUCell(3)(tf.placeholder(tf.float32, [None, 2]), tf.zeros([1, 3], tf.int32))


@case
def build_static_rnn_int32(tf, np):
    return tf.nn.static_rnn(tf.nn.rnn_cell.BasicRNNCell(3), [tf.placeholder(tf.int32, [None, 2])],
                            dtype=tf.int32)


@case
def build_multi_rnn_cell_of_nothing(tf, np):
    return tf.nn.rnn_cell.MultiRNNCell([])


# -- found after the first sweep: initial values, shapes, layer inputs ------------------
@case
def build_get_variable_initializer_of_wrong_shape(tf, np):
    return tf.get_variable("v", [2, 3], initializer=lambda *a, **k: tf.zeros([3]))


@case
def build_random_normal_shape_below_minus_one(tf, np):
    return tf.random_normal([-2, 3])


@case
def build_dense_on_int32_inputs(tf, np):
    return tf.layers.dense(tf.placeholder(tf.int32, [None, 3]), 2)


@case
def build_tuple_of_nothing(tf, np):
    return tf.tuple([])
