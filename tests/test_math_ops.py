"""Tests of the math op family: values against numpy, dtypes, static shapes, names,
errors and the TF conventions of the gradients (ties, kinks, zeros)."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygraph as tf
from tinygraph.ops import math_ops


def run(fetches, feed_dict=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed_dict=feed_dict)


def values(shape, seed, domain="real", dtype=np.float64):
    rng = np.random.RandomState(seed)
    if domain == "positive":
        return rng.uniform(0.2, 3.0, shape).astype(dtype)
    if domain == "unit":
        return rng.uniform(-0.9, 0.9, shape).astype(dtype)
    if domain == "nonzero":
        return (rng.uniform(0.2, 3.0, shape) * rng.choice([-1, 1], shape)).astype(dtype)
    return rng.uniform(-3.0, 3.0, shape).astype(dtype)


shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4)
seeds = st.integers(0, 2 ** 31 - 1)


def _np_sigmoid(x):
    return 1 / (1 + np.exp(-x))


# -- elementwise unary ----------------------------------------------------------------------
UNARY = [
    (tf.negative, np.negative, "real"),
    (tf.abs, np.abs, "real"),
    (tf.sign, np.sign, "real"),
    (tf.square, np.square, "real"),
    (tf.sqrt, np.sqrt, "positive"),
    (tf.rsqrt, lambda x: 1 / np.sqrt(x), "positive"),
    (tf.exp, np.exp, "real"),
    (tf.log, np.log, "positive"),
    (tf.log1p, np.log1p, "unit"),
    (tf.sin, np.sin, "real"),
    (tf.cos, np.cos, "real"),
    (tf.tanh, np.tanh, "real"),
    (tf.sigmoid, _np_sigmoid, "real"),
    (tf.reciprocal, lambda x: 1 / x, "nonzero"),
    (tf.floor, np.floor, "real"),
    (tf.ceil, np.ceil, "real"),
    (tf.round, np.round, "real"),
]


@pytest.mark.parametrize("fn,ref,domain", UNARY, ids=[u[0].__name__ for u in UNARY])
@given(shape=shapes, seed=seeds)
def test_unary_matches_numpy(fn, ref, domain, shape, seed):
    tf.reset_default_graph()
    x = values(shape, seed, domain)
    p = tf.placeholder(tf.float64, shape)
    y = fn(p)
    assert y.dtype == tf.float64
    assert y.shape.as_list() == list(shape)
    np.testing.assert_allclose(run(y, {p: x}), ref(x), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("fn,ref,domain", UNARY, ids=[u[0].__name__ for u in UNARY])
def test_unary_float32_keeps_dtype_and_unknown_dims(fn, ref, domain):
    p = tf.placeholder(tf.float32, [None, 3])
    y = fn(p)
    assert y.dtype == tf.float32 and y.shape.as_list() == [None, 3]
    x = values((2, 3), 0, domain, np.float32)
    out = run(y, {p: x})
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, ref(x), rtol=1e-6, atol=1e-6)


def test_unary_op_names_and_types():
    x = tf.constant([1.0, 2.0])
    for fn, op_type in ((tf.negative, "Neg"), (tf.abs, "Abs"), (tf.sqrt, "Sqrt"), (tf.exp, "Exp"),
                        (tf.sigmoid, "Sigmoid"), (tf.tanh, "Tanh"), (tf.reciprocal, "Reciprocal")):
        y = fn(x)
        assert y.op.type == op_type and y.op.name == op_type
    assert tf.exp(x, name="e").op.name == "e"
    assert tf.exp(x).op.name == "Exp_1"


def test_round_is_bankers_and_identity_on_integers():
    x = tf.constant([0.5, 1.5, 2.5, -0.5, -1.5, 2.3, -2.7])
    np.testing.assert_array_equal(run(tf.round(x)), [0, 2, 2, -0, -2, 2, -3])
    i = tf.constant([1, 2])
    assert tf.round(i) is i


def test_sigmoid_is_stable_for_large_inputs():
    x = tf.constant([-1000.0, -30.0, 0.0, 30.0, 1000.0], tf.float32)
    out = run(tf.sigmoid(x))
    assert np.all(np.isfinite(out))
    np.testing.assert_allclose(out, [0, _np_sigmoid(-30.0), 0.5, 1, 1], rtol=1e-6)


def test_integer_unary_ops():
    x = tf.constant([-3, 0, 2])
    np.testing.assert_array_equal(run(tf.abs(x)), [3, 0, 2])
    np.testing.assert_array_equal(run(tf.sign(x)), [-1, 0, 1])
    np.testing.assert_array_equal(run(tf.square(x)), [9, 0, 4])
    np.testing.assert_array_equal(run(-x), [3, 0, -2])
    # C division: 1 / -3 == 0 (not -1)
    np.testing.assert_array_equal(run(tf.reciprocal(tf.constant([1, -1, 2, -3]))), [1, -1, 0, 0])
    assert tf.abs(x).dtype == tf.int32


def test_is_finite_nan_inf():
    x = tf.constant([1.0, np.inf, -np.inf, np.nan])
    f, n, i = run([tf.is_finite(x), tf.is_nan(x), tf.is_inf(x)])
    np.testing.assert_array_equal(f, [True, False, False, False])
    np.testing.assert_array_equal(n, [False, False, False, True])
    np.testing.assert_array_equal(i, [False, True, True, False])


@pytest.mark.parametrize("fn", [tf.sqrt, tf.exp, tf.log, tf.sigmoid, tf.tanh, tf.floor, tf.is_nan])
def test_float_only_ops_reject_integers(fn):
    with pytest.raises(TypeError, match="int32"):
        fn(tf.constant([1, 2]))


def test_numeric_ops_reject_bool():
    b = tf.constant([True, False])
    for fn in (tf.negative, tf.abs, tf.square):
        with pytest.raises(TypeError):
            fn(b)
    with pytest.raises(TypeError):
        tf.add(b, b)


# -- elementwise binary ---------------------------------------------------------------------
BINARY = [
    (tf.add, np.add, "real"),
    (tf.subtract, np.subtract, "real"),
    (tf.multiply, np.multiply, "real"),
    (tf.divide, np.divide, "nonzero"),
    (tf.truediv, np.divide, "nonzero"),
    (tf.realdiv, np.divide, "nonzero"),
    (tf.div, np.divide, "nonzero"),
    (tf.floordiv, np.floor_divide, "nonzero"),
    (tf.floor_div, np.floor_divide, "nonzero"),
    (tf.floormod, np.mod, "nonzero"),
    (tf.mod, np.mod, "nonzero"),
    (tf.pow, np.power, "positive"),
    (tf.squared_difference, lambda x, y: (x - y) ** 2, "real"),
    (tf.maximum, np.maximum, "real"),
    (tf.minimum, np.minimum, "real"),
]


@pytest.mark.parametrize("fn,ref,domain", BINARY, ids=[b[0].__name__ for b in BINARY])
@given(shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=4), seed=seeds)
def test_binary_broadcasting_matches_numpy(fn, ref, domain, shapes, seed):
    tf.reset_default_graph()
    (sx, sy), s_out = shapes.input_shapes, shapes.result_shape
    x, y = values(sx, seed, domain), values(sy, seed + 1, domain)
    px, py = tf.placeholder(tf.float64, sx), tf.placeholder(tf.float64, sy)
    z = fn(px, py)
    assert z.dtype == tf.float64
    assert z.shape.as_list() == list(s_out)
    np.testing.assert_allclose(run(z, {px: x, py: y}), ref(x, y), rtol=1e-12, atol=1e-12)


COMPARISONS = [(tf.equal, np.equal), (tf.not_equal, np.not_equal), (tf.less, np.less),
               (tf.less_equal, np.less_equal), (tf.greater, np.greater),
               (tf.greater_equal, np.greater_equal)]


@pytest.mark.parametrize("fn,ref", COMPARISONS, ids=[c[0].__name__ for c in COMPARISONS])
@given(shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=4), seed=seeds)
def test_comparisons_match_numpy(fn, ref, shapes, seed):
    tf.reset_default_graph()
    (sx, sy) = shapes.input_shapes
    rng = np.random.RandomState(seed)
    x, y = rng.randint(0, 3, sx).astype(np.int32), rng.randint(0, 3, sy).astype(np.int32)
    px, py = tf.placeholder(tf.int32, sx), tf.placeholder(tf.int32, sy)
    z = fn(px, py)
    assert z.dtype == tf.bool and z.shape.as_list() == list(shapes.result_shape)
    np.testing.assert_array_equal(run(z, {px: x, py: y}), ref(x, y))


def test_equal_on_bool_and_strings():
    a = tf.constant([True, False])
    np.testing.assert_array_equal(run(tf.equal(a, True)), [True, False])
    s = tf.constant(["a", "b"])
    np.testing.assert_array_equal(run(tf.not_equal(s, "a")), [False, True])
    with pytest.raises(TypeError):
        tf.less(a, a)


def test_logical_ops():
    a = tf.constant([True, True, False, False])
    b = tf.constant([True, False, True, False])
    xor = tf.logical_xor(a, b)
    out = run([tf.logical_and(a, b), tf.logical_or(a, b), xor, tf.logical_not(a)])
    np.testing.assert_array_equal(out[0], [True, False, False, False])
    np.testing.assert_array_equal(out[1], [True, True, True, False])
    np.testing.assert_array_equal(out[2], [False, True, True, False])
    np.testing.assert_array_equal(out[3], [False, False, True, True])
    assert xor.op.name == "LogicalXor" and xor.op.type == "LogicalAnd"
    with pytest.raises(TypeError):
        tf.logical_and(tf.constant([1.0]), tf.constant([0.0]))


def test_integer_division_semantics():
    x = tf.constant([7, -7, 7, -7])
    y = tf.constant([2, 2, -2, -2])
    fd, fm, rd, dv = run([x // y, x % y, tf.realdiv(x, y), tf.div(x, y)])
    np.testing.assert_array_equal(fd, [3, -4, -4, 3])       # floor
    np.testing.assert_array_equal(fm, [1, 1, -1, -1])       # sign of the divisor
    np.testing.assert_array_equal(rd, [3, -3, -3, 3])       # C truncation
    np.testing.assert_array_equal(dv, [3, -4, -4, 3])       # TF1 div floors integers
    assert fd.dtype == np.int32 and rd.dtype == np.int32
    assert tf.div(x, y).op.type == "FloorDiv" and tf.div(1.0, tf.constant(2.0)).op.type == "RealDiv"


def test_float_floormod_and_floordiv():
    x = tf.constant([5.5, -5.5])
    np.testing.assert_allclose(run(x % 2.0), [1.5, 0.5])
    np.testing.assert_allclose(run(x // 2.0), [2.0, -3.0])


@pytest.mark.parametrize("dtype,want", [(tf.int32, tf.float64), (tf.int64, tf.float64),
                                        (tf.int16, tf.float32), (tf.int8, tf.float32),
                                        (tf.uint8, tf.float32), (tf.float32, tf.float32),
                                        (tf.float16, tf.float16)])
def test_truediv_result_dtype(dtype, want):
    x = tf.constant([3, 4], dtype=dtype)
    y = x / tf.constant([2, 8], dtype=dtype)
    assert y.dtype == want and y.op.name == "truediv" and y.op.type == "RealDiv"
    np.testing.assert_allclose(run(y), [1.5, 0.5])


def test_integer_pow_and_negative_exponent_error():
    x = tf.constant([2, 3])
    np.testing.assert_array_equal(run(x ** 2), [4, 9])
    with pytest.raises(tf.errors.InvalidArgumentError):
        run(tf.pow(x, -1))


def test_scalar_mul():
    x = tf.constant([[1.0, 2.0]])
    np.testing.assert_allclose(run(tf.scalar_mul(3, x)), [[3.0, 6.0]])
    slices = tf.IndexedSlices(tf.constant([[1.0, 2.0]]), tf.constant([1]), tf.constant([3, 2]))
    scaled = tf.scalar_mul(2.0, slices)
    assert isinstance(scaled, tf.IndexedSlices)
    np.testing.assert_allclose(run(scaled.values), [[2.0, 4.0]])
    with pytest.raises(ValueError, match="Only scalar multiply"):
        tf.scalar_mul(tf.constant([1.0, 2.0]), x)


def test_clip_by_value():
    x = tf.constant([-2.0, -1.0, 0.0, 1.0, 2.0])
    y = tf.clip_by_value(x, -1.0, 1.0)
    assert y.op.name == "clip_by_value"
    np.testing.assert_allclose(run(y), [-1, -1, 0, 1, 1])
    # bounds may be tensors broadcasting to t's shape, but must not grow it
    lo = tf.constant([0.0, 0.0, 0.0, 0.0, 5.0])
    np.testing.assert_allclose(run(tf.clip_by_value(x, lo, 10.0)), [0, 0, 0, 1, 5])
    with pytest.raises(ValueError):
        tf.clip_by_value(tf.constant(1.0), tf.zeros([2]), 3.0)


# -- dtype rules -----------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [tf.float16, tf.float32, tf.float64, tf.int8, tf.int16,
                                   tf.int32, tf.int64, tf.uint8])
def test_python_scalars_take_the_tensor_dtype(dtype):
    x = tf.constant([1, 2], dtype=dtype)
    for y in (x + 1, 1 + x, x * 2, 2 * x, x - 1, 3 - x, tf.maximum(x, 1), tf.add(2, x)):
        assert y.dtype == dtype
    np.testing.assert_array_equal(run(3 - x), np.array([2, 1], dtype=dtype.as_numpy_dtype))


def test_mismatched_dtypes_raise_type_error():
    f, i = tf.constant([1.0]), tf.constant([1])
    for fn in (tf.add, tf.subtract, tf.multiply, tf.maximum, tf.equal, tf.pow, tf.matmul):
        with pytest.raises(TypeError, match="does not match"):
            fn(f, i)
    with pytest.raises(TypeError):
        f + i
    with pytest.raises(TypeError):
        tf.constant([1.0], tf.float64) * f
    with pytest.raises(TypeError):  # 1.5 is not an int32
        i + 1.5


def test_integer_sum_and_mean_keep_dtype():
    x = tf.constant([[1, 2], [3, -8]])
    s, m, p = run([tf.reduce_sum(x, 0), tf.reduce_mean(x, 1), tf.reduce_prod(x)])
    assert s.dtype == np.int32 and m.dtype == np.int32 and p.dtype == np.int32
    np.testing.assert_array_equal(s, [4, -6])
    np.testing.assert_array_equal(m, [1, -2])  # truncated toward zero, as TF
    assert p == -48
    u = tf.constant([200, 100], tf.uint8)
    assert run(tf.reduce_sum(u)).dtype == np.uint8


def test_cast():
    f = tf.constant([-1.7, -0.2, 0.0, 0.5, 2.9])
    out = run([tf.cast(f, tf.int32), tf.cast(f, tf.bool), tf.to_int64(f), tf.to_double(f)])
    np.testing.assert_array_equal(out[0], [-1, 0, 0, 0, 2])  # truncation
    np.testing.assert_array_equal(out[1], [True, True, False, True, True])
    assert out[2].dtype == np.int64 and out[3].dtype == np.float64
    b = tf.constant([True, False])
    np.testing.assert_array_equal(run(tf.cast(b, tf.float32)), [1.0, 0.0])
    np.testing.assert_array_equal(run(tf.to_float(tf.constant([3]))), [3.0])
    assert tf.cast(f, tf.float32) is f
    assert tf.cast(f, tf.int32).op.name == "Cast_3"  # after the three earlier casts named Cast
    assert tf.to_float(b).op.name == "ToFloat_1"
    assert tf.to_int32(f).op.name == "ToInt32"
    with pytest.raises(TypeError):
        tf.cast(f, tf.string)


def test_cast_gradient_between_floats_only():
    x = tf.placeholder(tf.float32, [2])
    y = tf.cast(x, tf.float64) * 3.0
    g = tf.gradients(y, x)[0]
    assert g.dtype == tf.float32
    np.testing.assert_allclose(run(g, {x: [1.0, 2.0]}), [3.0, 3.0])
    i = tf.placeholder(tf.int32, [2])
    assert tf.gradients(tf.cast(i, tf.float32) * 2.0, i) == [None]


# -- static shapes ---------------------------------------------------------------------------
def test_broadcast_static_shapes_with_unknown_dims():
    a = tf.placeholder(tf.float32, [None, 3])
    b = tf.placeholder(tf.float32, [4, 1, 1])
    assert (a + b).shape.as_list() == [4, None, 3]
    assert (a * tf.placeholder(tf.float32, None)).shape.dims is None
    assert tf.less(a, 1.0).shape.as_list() == [None, 3]
    assert (a + tf.placeholder(tf.float32, [None, None])).shape.as_list() == [None, 3]


def test_incompatible_static_shapes_raise_value_error():
    a, b = tf.placeholder(tf.float32, [2, 3]), tf.placeholder(tf.float32, [4])
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 3 and 4 for 'Add'"):
        tf.add(a, b)
    with pytest.raises(ValueError):
        a * b
    with pytest.raises(ValueError):
        tf.equal(a, b)


def test_runtime_shape_mismatch_is_invalid_argument():
    a, b = tf.placeholder(tf.float32, [None]), tf.placeholder(tf.float32, [None])
    with pytest.raises(tf.errors.InvalidArgumentError):
        run(a + b, {a: np.ones(2), b: np.ones(3)})


# -- matmul and tensordot ----------------------------------------------------------------------
@pytest.mark.parametrize("ta,tb", [(False, False), (True, False), (False, True), (True, True)])
def test_matmul_transposes(ta, tb):
    rng = np.random.RandomState(0)
    a, b = rng.randn(2, 3), rng.randn(3, 4)
    a_in, b_in = (a.T if ta else a), (b.T if tb else b)
    y = tf.matmul(tf.constant(a_in), tf.constant(b_in), transpose_a=ta, transpose_b=tb)
    assert y.shape.as_list() == [2, 4]
    np.testing.assert_allclose(run(y), a @ b)


def test_matmul_batch_and_broadcast_shapes():
    rng = np.random.RandomState(1)
    a, b = rng.randn(5, 2, 3), rng.randn(3, 4)
    y = tf.matmul(tf.constant(a), tf.constant(b))
    assert y.shape.as_list() == [5, 2, 4]
    np.testing.assert_allclose(run(y), a @ b)
    p = tf.placeholder(tf.float32, [None, 2, 3])
    assert tf.matmul(p, tf.placeholder(tf.float32, [None, 3, 7])).shape.as_list() == [None, 2, 7]
    assert tf.matmul(p, tf.placeholder(tf.float32, None)).shape.dims is None


def test_matmul_errors():
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 3 and 2"):
        tf.matmul(tf.zeros([2, 3]), tf.zeros([2, 2]))
    with pytest.raises(ValueError, match="rank"):
        tf.matmul(tf.zeros([3]), tf.zeros([3, 2]))
    with pytest.raises(TypeError):
        tf.matmul(tf.zeros([2, 2]), tf.zeros([2, 2], tf.float64))
    with pytest.raises(ValueError):
        tf.matmul(tf.zeros([2, 2]), tf.zeros([2, 2]), transpose_a=True, adjoint_a=True)


def test_matmul_names():
    a, b = tf.zeros([2, 2]), tf.zeros([2, 2])
    y = a @ b  # TF 1.x names the operator's op "matmul" (type MatMul)
    assert y.op.name == "matmul" and y.op.type == "MatMul"
    assert tf.matmul(a, b).op.name == "MatMul_1"  # unique names ignore case, as in TF
    assert tf.matmul(a, b, name="mm").op.name == "mm"


def test_matmul_gradient_with_batch_broadcast_and_unknown_dims():
    rng = np.random.RandomState(2)
    a_val, b_val = rng.randn(4, 2, 3), rng.randn(3, 5)
    a, b = tf.placeholder(tf.float64, [None, 2, 3]), tf.placeholder(tf.float64, [3, None])
    ga, gb = tf.gradients(tf.reduce_sum(tf.matmul(a, b)), [a, b])
    out_a, out_b = run([ga, gb], {a: a_val, b: b_val})
    np.testing.assert_allclose(out_a, np.ones((4, 2, 5)) @ b_val.T)
    np.testing.assert_allclose(out_b, np.einsum("kij,kil->jl", a_val, np.ones((4, 2, 5))))


def test_tensordot_int_axes():
    rng = np.random.RandomState(3)
    a, b = rng.randn(2, 3, 4), rng.randn(3, 4, 5)
    y = tf.tensordot(tf.constant(a), tf.constant(b), 2)
    assert y.shape.as_list() == [2, 5] and y.op.name == "Tensordot"
    np.testing.assert_allclose(run(y), np.tensordot(a, b, 2))
    y0 = tf.tensordot(tf.constant(a), tf.constant(b), 0)
    assert y0.shape.as_list() == [2, 3, 4, 3, 4, 5]
    np.testing.assert_allclose(run(y0), np.tensordot(a, b, 0))


def test_tensordot_unknown_dims():
    rng = np.random.RandomState(4)
    a_val, w_val = rng.randn(2, 7, 3), rng.randn(3, 4)
    a = tf.placeholder(tf.float64, [None, None, 3])
    y = tf.tensordot(a, tf.constant(w_val), [[2], [0]])
    assert y.shape.as_list() == [None, None, 4]
    np.testing.assert_allclose(run(y, {a: a_val}), np.tensordot(a_val, w_val, [[2], [0]]))
    g = tf.gradients(tf.reduce_sum(y), a)[0]
    np.testing.assert_allclose(run(g, {a: a_val}), np.broadcast_to(w_val.sum(1), (2, 7, 3)))


def test_tensordot_axes_needing_transposes():
    rng = np.random.RandomState(5)
    a, b = rng.randn(3, 2, 4), rng.randn(5, 4, 3)
    y = tf.tensordot(tf.constant(a), tf.constant(b), [[0, -1], [2, 1]])
    assert y.shape.as_list() == [2, 5]
    np.testing.assert_allclose(run(y), np.tensordot(a, b, [[0, 2], [2, 1]]))


def test_tensordot_errors():
    a, b = tf.zeros([2, 3]), tf.zeros([4, 2])
    with pytest.raises(ValueError):
        tf.tensordot(a, b, 1)  # 3 != 4
    with pytest.raises(ValueError):
        tf.tensordot(a, b, 3)
    with pytest.raises(ValueError):
        tf.tensordot(a, b, [[0, 1], [0]])


# -- reductions ---------------------------------------------------------------------------------
@st.composite
def shape_and_axis(draw):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
    nd = len(shape)
    kind = draw(st.sampled_from(["none", "int", "list"]))
    if kind == "none":
        axis = None
    elif kind == "int":
        axis = draw(st.integers(-nd, nd - 1))
    else:
        axis = draw(st.lists(st.integers(-nd, nd - 1), max_size=nd, unique_by=lambda a: a % nd))
    return shape, axis


def _np_axis(axis, nd):
    if axis is None:
        return None
    return tuple(a % nd for a in ([axis] if isinstance(axis, int) else axis))


def _np_logsumexp(x, axis, keepdims):
    m = np.max(x, axis=axis, keepdims=True)
    out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis) if axis != () else out


REDUCTIONS = [(tf.reduce_sum, np.sum), (tf.reduce_mean, np.mean), (tf.reduce_max, np.max),
              (tf.reduce_min, np.min), (tf.reduce_prod, np.prod),
              (tf.reduce_logsumexp, _np_logsumexp)]


@pytest.mark.parametrize("fn,ref", REDUCTIONS, ids=[r[0].__name__ for r in REDUCTIONS])
@given(sa=shape_and_axis(), keepdims=st.booleans(), seed=seeds)
def test_reductions_match_numpy(fn, ref, sa, keepdims, seed):
    tf.reset_default_graph()
    shape, axis = sa
    x = values(shape, seed)
    p = tf.placeholder(tf.float64, shape)
    y = fn(p, axis=axis, keepdims=keepdims)
    want = ref(x, axis=_np_axis(axis, len(shape)), keepdims=keepdims)
    assert y.dtype == tf.float64
    assert y.shape.as_list() == list(np.shape(want))
    np.testing.assert_allclose(run(y, {p: x}), want, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("fn,ref", [(tf.reduce_any, np.any), (tf.reduce_all, np.all)])
@given(sa=shape_and_axis(), keepdims=st.booleans(), seed=seeds)
def test_bool_reductions_match_numpy(fn, ref, sa, keepdims, seed):
    tf.reset_default_graph()
    shape, axis = sa
    x = np.random.RandomState(seed).rand(*shape) < 0.5
    p = tf.placeholder(tf.bool, shape)
    y = fn(p, axis, keepdims=keepdims)
    want = ref(x, axis=_np_axis(axis, len(shape)), keepdims=keepdims)
    assert y.dtype == tf.bool and y.shape.as_list() == list(np.shape(want))
    np.testing.assert_array_equal(run(y, {p: x}), want)


def test_reduction_static_shapes_with_unknown_dims_and_rank():
    p = tf.placeholder(tf.float32, [None, 3, None])
    assert tf.reduce_sum(p, 1).shape.as_list() == [None, None]
    assert tf.reduce_mean(p, [0, -1], keepdims=True).shape.as_list() == [1, 3, 1]
    assert tf.reduce_max(p).shape.as_list() == []
    assert tf.reduce_max(p, keepdims=True).shape.as_list() == [1, 1, 1]
    u = tf.placeholder(tf.float32, None)
    assert tf.reduce_sum(u).shape.as_list() == []  # axis=None always gives a scalar
    assert tf.reduce_sum(u, 1).shape.dims is None
    np.testing.assert_allclose(run(tf.reduce_sum(u, -1), {u: np.ones((2, 3))}), [3, 3])


def test_reduction_aliases_and_errors():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    assert tf.reduce_sum(x).op.name == "Sum" and tf.reduce_mean(x, name="m").op.name == "m"
    a, b, c = run([tf.reduce_sum(x, reduction_indices=[0]), tf.reduce_sum(x, 1, keep_dims=True),
                   tf.reduce_sum(x, tf.constant(1))])
    np.testing.assert_allclose(a, [4, 6])
    np.testing.assert_allclose(b, [[3], [7]])
    np.testing.assert_allclose(c, [3, 7])
    np.testing.assert_allclose(run(tf.reduce_sum(x, [])), [[1, 2], [3, 4]])
    with pytest.raises(ValueError, match="Invalid reduction dimension 2"):
        tf.reduce_sum(x, 2)
    with pytest.raises(ValueError, match="Invalid reduction dimension -3"):
        tf.reduce_mean(x, [-3])
    with pytest.raises(ValueError):
        tf.reduce_sum(x, axis=0, reduction_indices=0)
    with pytest.raises(ValueError):
        tf.reduce_sum(x, keepdims=True, keep_dims=True)
    with pytest.raises(TypeError):
        tf.reduce_sum(tf.constant([True]))
    with pytest.raises(TypeError):
        tf.reduce_any(x)


@pytest.mark.filterwarnings("ignore:divide by zero")
def test_reduce_logsumexp_is_stable():
    x = tf.constant([[1000.0, 1000.0], [-1000.0, -np.inf]])
    out = run(tf.reduce_logsumexp(x, 1))
    np.testing.assert_allclose(out, [1000 + np.log(2), -1000])
    inf = run(tf.reduce_logsumexp(tf.constant([-np.inf, -np.inf])))
    assert inf == -np.inf


def test_count_nonzero():
    x = tf.constant([[0, 1, 0], [1, 1, 0]])
    a, b, c = run([tf.count_nonzero(x), tf.count_nonzero(x, 0), tf.count_nonzero(x, 1, keepdims=True)])
    assert a == 3 and a.dtype == np.int64
    np.testing.assert_array_equal(b, [1, 2, 0])
    np.testing.assert_array_equal(c, [[1], [2]])
    assert run(tf.count_nonzero(tf.constant([0.0, 1e-30, -2.0]), dtype=tf.int32)) == 2
    assert run(tf.count_nonzero(tf.constant([True, False, True]))) == 2
    assert run(tf.count_nonzero(tf.constant(["", "a", " "]))) == 2


def test_argmax_argmin():
    x = np.array([[1, 5, 5], [7, 0, 7]], np.float32)
    t = tf.constant(x)
    m0 = tf.argmax(t)  # TF1: axis None means 0
    assert m0.dtype == tf.int64 and m0.shape.as_list() == [3] and m0.op.name == "ArgMax"
    out = run([m0, tf.argmax(t, 1), tf.argmin(t, -1), tf.argmax(t, dimension=1, output_type=tf.int32)])
    np.testing.assert_array_equal(out[0], [1, 0, 1])
    np.testing.assert_array_equal(out[1], [1, 0])  # first index at ties
    np.testing.assert_array_equal(out[2], [0, 1])
    assert out[3].dtype == np.int32
    assert tf.argmin(tf.placeholder(tf.float32, [None, 4]), 1).shape.as_list() == [None]
    with pytest.raises(ValueError):
        tf.argmax(t, 2)
    with pytest.raises(TypeError):
        tf.argmax(t, output_type=tf.float32)
    assert tf.gradients(tf.cast(tf.argmax(t, 1), tf.float32), t) == [None]


@pytest.mark.parametrize("exclusive", [False, True])
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("axis", [0, 1, -1])
def test_cumsum_cumprod(exclusive, reverse, axis):
    x = np.arange(1, 7, dtype=np.float64).reshape(2, 3)

    def ref(scan, identity):
        y = np.flip(x, axis) if reverse else x
        out = scan(y, axis=axis)
        if exclusive:
            first = np.full_like(np.take(out, [0], axis=axis), identity)
            out = np.concatenate([first, np.delete(out, -1, axis=axis)], axis=axis)
        return np.flip(out, axis) if reverse else out
    s = tf.cumsum(x, axis, exclusive=exclusive, reverse=reverse)
    p = tf.cumprod(x, axis, exclusive=exclusive, reverse=reverse)
    assert s.shape.as_list() == [2, 3]
    out_s, out_p = run([s, p])
    np.testing.assert_allclose(out_s, ref(np.cumsum, 0))
    np.testing.assert_allclose(out_p, ref(np.cumprod, 1))


def test_cumsum_examples_and_dtype():
    x = tf.constant([1, 2, 3])
    assert tf.cumsum(x).op.name == "Cumsum"
    a, b, c = run([tf.cumsum(x), tf.cumsum(x, exclusive=True), tf.cumsum(x, reverse=True)])
    np.testing.assert_array_equal(a, [1, 3, 6])
    np.testing.assert_array_equal(b, [0, 1, 3])
    np.testing.assert_array_equal(c, [6, 5, 3])
    assert a.dtype == np.int32
    with pytest.raises(ValueError):
        tf.cumsum(tf.constant(1.0))


def test_add_n_and_accumulate_n():
    xs = [tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0]), tf.constant([5.0, 6.0])]
    np.testing.assert_allclose(run(tf.add_n(xs)), [9, 12])
    np.testing.assert_allclose(run(tf.accumulate_n(xs)), [9, 12])
    assert tf.add_n(xs).op.type == "AddN" and tf.accumulate_n(xs).op.type == "AccumulateNV2"
    assert tf.add_n(xs[:1]) is xs[0]
    assert tf.add_n(xs[:1], name="one").op.name == "one"
    with pytest.raises(ValueError):
        tf.add_n([])
    with pytest.raises(ValueError):
        tf.add_n([tf.zeros([2]), tf.zeros([3])])
    with pytest.raises(TypeError):
        tf.add_n([tf.zeros([2]), tf.zeros([2], tf.int32)])
    with pytest.raises(ValueError):
        tf.accumulate_n(xs, shape=[3])
    with pytest.raises(TypeError):
        tf.accumulate_n(xs, tensor_dtype=tf.int32)


def test_unsorted_segment_sum():
    data = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    y = tf.unsorted_segment_sum(data, [0, 2, 0], 3)
    assert y.shape.as_list() == [3, 2]
    np.testing.assert_allclose(run(y), [[6, 8], [0, 0], [3, 4]])


# -- operators ---------------------------------------------------------------------------------
def test_operator_overloads_values_and_names():
    a = tf.constant([6.0, -3.0])
    b = tf.constant([4.0, 2.0])
    cases = [(a + b, "add", [10, -1]), (a - b, "sub", [2, -5]), (a * b, "mul", [24, -6]),
             (a / b, "truediv", [1.5, -1.5]), (a // b, "floordiv", [1, -2]),
             (a % b, "mod", [2, 1]), (b ** a, "pow", [4096, 0.125]),
             (2 + a, "add_1", [8, -1]), (2 - a, "sub_1", [-4, 5]), (2 * a, "mul_1", [12, -6]),
             (3 / a, "truediv_1", [0.5, -1]), (7 // b, "floordiv_1", [1, 3]),
             (7 % b, "mod_1", [3, 1]), (2 ** b, "pow_1", [16, 4]), (-a, "Neg", [-6, 3]),
             (abs(a), "Abs", [6, 3])]
    got = run([c[0] for c in cases])
    for (t, name, want), g in zip(cases, got):
        assert t.op.name == name
        np.testing.assert_allclose(g, want)


def test_operator_constants_are_named_like_tf():
    a = tf.placeholder(tf.float32, [2])
    y = a + 1
    assert y.op.inputs[1].op.name == "add/y"
    z = 1 - a
    assert z.op.inputs[0].op.name == "sub/x"


def test_comparison_and_logical_operators():
    a = tf.constant([1, 2, 3])
    assert (a < 2).op.name == "Less" and (a >= 2).op.type == "GreaterEqual"
    out = run([a < 2, a <= 2, a > 2, a >= 2, 2 < a])
    np.testing.assert_array_equal(out[0], [True, False, False])
    np.testing.assert_array_equal(out[1], [True, True, False])
    np.testing.assert_array_equal(out[2], [False, False, True])
    np.testing.assert_array_equal(out[3], [False, True, True])
    np.testing.assert_array_equal(out[4], [False, False, True])
    p, q = tf.constant([True, True, False]), tf.constant([True, False, False])
    r = [p & q, p | q, p ^ q, ~p, True & q, False | q, True ^ q]
    got = run(r)
    np.testing.assert_array_equal(got[0], [True, False, False])
    np.testing.assert_array_equal(got[1], [True, True, False])
    np.testing.assert_array_equal(got[2], [False, True, False])
    np.testing.assert_array_equal(got[3], [False, False, True])
    np.testing.assert_array_equal(got[4], [True, False, False])
    np.testing.assert_array_equal(got[5], [True, False, False])
    np.testing.assert_array_equal(got[6], [False, True, True])
    assert [t.op.name for t in r[:4]] == ["and", "or", "xor", "LogicalNot"]


def test_matmul_operator_and_numpy_operands():
    a = tf.constant([[1.0, 2.0]])
    m = np.array([[1.0], [1.0]], np.float32)
    np.testing.assert_allclose(run(a @ m), [[3.0]])
    np.testing.assert_allclose(run(m @ a), [[1, 2], [1, 2]])
    np.testing.assert_allclose(run(np.float32(2) * a), [[2, 4]])


def test_tensors_hash_by_identity():
    a = tf.constant(1.0)
    b = tf.constant(1.0)
    assert a == a and not (a == b) and a != b
    assert len({a, b}) == 2


def test_operator_returns_not_implemented_for_foreign_types():
    class Other:
        def __radd__(self, other):
            return "other"
    assert tf.constant(1.0) + Other() == "other"


def test_variables_use_the_operators():
    v = tf.Variable([1.0, 2.0])
    y = 2 * v + 1
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(y), [3, 5])


# -- gradients: TF's conventions ------------------------------------------------------------
def grads(y, xs, feed):
    return run(tf.gradients(y, xs), feed)


def test_maximum_minimum_ties_go_to_x():
    x, y = tf.placeholder(tf.float64, [3]), tf.placeholder(tf.float64, [3])
    feed = {x: [1.0, 2.0, 3.0], y: [2.0, 2.0, 2.0]}
    gx, gy = grads(tf.maximum(x, y), [x, y], feed)
    np.testing.assert_array_equal(gx, [0, 1, 1])
    np.testing.assert_array_equal(gy, [1, 0, 0])
    gx, gy = grads(tf.minimum(x, y), [x, y], feed)
    np.testing.assert_array_equal(gx, [1, 1, 0])
    np.testing.assert_array_equal(gy, [0, 0, 1])


def test_maximum_gradient_broadcasts():
    x = tf.placeholder(tf.float64, [2, 3])
    g = grads(tf.maximum(x, 0.0), [x], {x: [[-1, 0, 1], [2, -2, 0]]})[0]
    np.testing.assert_array_equal(g, [[0, 1, 1], [1, 0, 1]])


def test_reduce_max_min_ties_share_the_gradient():
    x = tf.placeholder(tf.float64, [2, 3])
    feed = {x: [[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]]}
    np.testing.assert_allclose(grads(tf.reduce_max(x, 1), [x], feed)[0],
                               [[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]])
    np.testing.assert_allclose(grads(tf.reduce_min(x, 1, keepdims=True), [x], feed)[0],
                               [[1, 0, 0], [1 / 3, 1 / 3, 1 / 3]])
    np.testing.assert_allclose(grads(tf.reduce_max(x), [x], feed)[0], [[0, 0.5, 0.5], [0, 0, 0]])


def test_abs_sign_and_clip_gradients():
    x = tf.placeholder(tf.float64, [5])
    feed = {x: [-2.0, -1.0, 0.0, 1.0, 2.0]}
    np.testing.assert_array_equal(grads(tf.abs(x), [x], feed)[0], [-1, -1, 0, 1, 1])
    np.testing.assert_array_equal(grads(tf.sign(x), [x], feed)[0], [0, 0, 0, 0, 0])
    # the clip gradient passes where lo <= x <= hi, bounds included
    np.testing.assert_array_equal(grads(tf.clip_by_value(x, -1.0, 1.0), [x], feed)[0],
                                  [0, 1, 1, 1, 0])


def test_pow_gradient_at_zero_base():
    x, y = tf.placeholder(tf.float64, [2]), tf.placeholder(tf.float64, [2])
    gx, gy = grads(tf.pow(x, y), [x, y], {x: [0.0, 2.0], y: [2.0, 3.0]})
    np.testing.assert_allclose(gx, [0.0, 12.0])
    np.testing.assert_allclose(gy, [0.0, 8 * np.log(2)])  # 0, not nan, at x = 0


def test_reduce_prod_gradient_with_zeros():
    x = tf.placeholder(tf.float64, [2, 3])
    val = np.array([[2.0, 0.0, 3.0], [0.0, 0.0, 5.0]])
    g = grads(tf.reduce_prod(x, 1), [x], {x: val})[0]
    np.testing.assert_allclose(g, [[0, 6, 0], [0, 0, 0]])
    g_all = grads(tf.reduce_prod(x), [x], {x: np.array([[1.0, 2.0, 3.0], [4.0, 0.0, 1.0]])})[0]
    np.testing.assert_allclose(g_all, [[0, 0, 0], [0, 24, 0]])


def test_reduction_gradients_with_unknown_shapes():
    x = tf.placeholder(tf.float64, None)
    val = np.arange(6, dtype=np.float64).reshape(2, 3) + 1
    for y, want in ((tf.reduce_mean(x, 1), np.full((2, 3), 1 / 3)),
                    (tf.reduce_sum(x), np.ones((2, 3))),
                    (tf.reduce_prod(x, -1), val.prod(1, keepdims=True) / val),
                    (tf.reduce_max(x, 0), [[0, 0, 0], [1, 1, 1]])):
        np.testing.assert_allclose(grads(y, [x], {x: val})[0], want)


def test_second_order_gradients_of_smooth_ops():
    x = tf.placeholder(tf.float64, [3])
    val = np.array([-0.7, 0.2, 1.3])
    for fn, d2 in ((tf.tanh, lambda v: -2 * np.tanh(v) * (1 - np.tanh(v) ** 2)),
                   (tf.sigmoid, lambda v: _np_sigmoid(v) * (1 - _np_sigmoid(v)) * (1 - 2 * _np_sigmoid(v))),
                   (tf.exp, np.exp), (tf.sin, lambda v: -np.sin(v)),
                   (lambda t: tf.sqrt(t + 2.0), lambda v: -0.25 * (v + 2) ** -1.5),
                   (lambda t: tf.reciprocal(t + 2.0), lambda v: 2 * (v + 2) ** -3.0)):
        g = tf.gradients(fn(x), x)[0]
        h = tf.gradients(g, x)[0]
        np.testing.assert_allclose(run(h, {x: val}), d2(val), rtol=1e-10)


def test_hessian_of_a_small_model():
    w = tf.placeholder(tf.float64, [2])
    loss = tf.reduce_sum(tf.square(w)) + tf.reduce_prod(w) * 3.0
    h = tf.hessians(loss, w)[0]
    np.testing.assert_allclose(run(h, {w: [0.5, -1.0]}), [[2, 3], [3, 2]])


def test_no_gradient_through_comparisons_and_rounding():
    x = tf.placeholder(tf.float32, [2])
    for y in (tf.floor(x), tf.ceil(x), tf.round(x), x // 2.0, tf.cast(x > 0, tf.float32)):
        assert tf.gradients(y, x) == [None]


def test_gradients_accept_indexed_slices_upstream():
    # The gradient of a gather arrives as IndexedSlices; math gradients must handle it.
    x = tf.placeholder(tf.float64, [3, 2])
    y = tf.gather(tf.tanh(x) * 2.0, [0, 2])
    val = np.arange(6, dtype=np.float64).reshape(3, 2) / 6
    g = grads(tf.reduce_sum(y), [x], {x: val})[0]
    want = 2 * (1 - np.tanh(val) ** 2) * np.array([[1], [0], [1]])
    np.testing.assert_allclose(g, want)


# -- the tf namespace ----------------------------------------------------------------------------
def test_every_public_name_is_in_the_tf_namespace():
    for name in math_ops.__all__:
        assert getattr(tf, name) is getattr(math_ops, name), name
