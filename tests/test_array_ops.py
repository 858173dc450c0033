"""Array ops: values against numpy, static shapes, names, errors, gradients."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygraph as tf
from tinygraph.framework import errors

from op_cases.array_cases import CASES


def run(t, feed=None):
    with tf.Session() as s:
        return s.run(t, feed)


def ph(shape, dtype=tf.float32, name=None):
    return tf.placeholder(dtype, shape, name=name)


def arange(*shape, dtype=np.float32):
    return np.arange(int(np.prod(shape)), dtype=dtype).reshape(shape)


# -- numeric gradient check (float64 central differences) ---------------------------------------
def _dense(g):
    return None if g is None else tf.convert_to_tensor(g)


def _numeric(sess, f, xs, values, eps=1e-6):
    out = []
    for i, v in enumerate(values):
        g = np.zeros_like(v)
        for j in np.ndindex(*v.shape):
            up, down = [a.copy() for a in values], [a.copy() for a in values]
            up[i][j] += eps
            down[i][j] -= eps
            g[j] = (sess.run(f, dict(zip(xs, up))) - sess.run(f, dict(zip(xs, down)))) / (2 * eps)
        out.append(g)
    return out


def check_gradients(build, shapes, order=2, seed=0):
    """Compares tf.gradients of sum(w * build(xs)) (and its gradient) with finite differences."""
    rng = np.random.RandomState(seed)
    values = [rng.uniform(-2, 2, size=s) for s in shapes]
    with tf.Graph().as_default():
        xs = [tf.placeholder(tf.float64, s) for s in shapes]
        y = build(*xs)
        feed = dict(zip(xs, values))
        with tf.Session() as sess:
            y_shape = sess.run(y, feed).shape
        loss = tf.reduce_sum(y * rng.uniform(-1, 1, size=y_shape))
        grads = [_dense(g) for g in tf.gradients(loss, xs)]
        with tf.Session() as sess:
            got = sess.run(grads, feed)
            for g, n in zip(got, _numeric(sess, loss, xs, values)):
                np.testing.assert_allclose(g, n, rtol=1e-5, atol=1e-6)
            if order >= 2:
                h = tf.add_n([tf.reduce_sum(g * rng.uniform(-1, 1, size=s)) for g, s in zip(grads, shapes)])
                hg = [_dense(g) for g in tf.gradients(h, xs)]
                hg = [g if g is not None else tf.zeros_like(x) for g, x in zip(hg, xs)]
                for g, n in zip(sess.run(hg, feed), _numeric(sess, h, xs, values)):
                    np.testing.assert_allclose(g, n, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_op_case_gradients(case):
    check_gradients(case.build, case.shapes, order=case.order)


def test_every_differentiable_array_op_has_a_case():
    from tinygraph.framework.registry import NOT_DIFFERENTIABLE, gradient_of_type, registered_ops
    array_modules = {"tinygraph.ops." + m for m in (
        "array_creation_ops", "fill_ops", "shape_ops", "transpose_ops", "join_split_ops",
        "slicing_ops", "indexing_ops")}
    from op_cases.math_cases import CASES as MATH_CASES  # SumToShape, UnsortedSegmentSum
    covered = {c.op_type for c in CASES + MATH_CASES}
    mine = [t for t, d in registered_ops().items()
            if getattr(d.kernel, "__module__", None) in array_modules]
    assert len(mine) >= 37  # the array family (37 ops before the split), wherever it lives now
    missing = [t for t in mine if gradient_of_type(t) not in (None, NOT_DIFFERENTIABLE) and t not in covered]
    assert not missing
    assert all(gradient_of_type(t) is not None for t in mine)


# -- constants and fills ----------------------------------------------------------------------
def test_fill_zeros_ones():
    assert run(tf.fill([2, 3], 7)).tolist() == [[7] * 3] * 2
    z = tf.zeros([2, 3])
    assert z.op.name == "zeros" and z.dtype == tf.float32 and z.shape == [2, 3]
    o = tf.ones((4,), dtype=tf.int64, name="o")
    assert o.op.name == "o" and run(o).dtype == np.int64 and run(o).tolist() == [1] * 4
    assert run(tf.zeros([], tf.bool)).dtype == np.bool_
    big = tf.zeros([100, 100])  # large shapes become a Fill, not a big constant
    assert big.op.type == "Fill" and big.op.name == "zeros_2" and big.shape == [100, 100]
    n = ph([], tf.int32)
    dyn = tf.ones([n, 3])
    assert dyn.shape.as_list() == [None, 3]
    assert run(dyn, {n: 2}).shape == (2, 3)


def test_zeros_like_ones_like():
    x = ph([None, 3])
    z, o = tf.zeros_like(x), tf.ones_like(x, dtype=tf.int32)
    assert z.op.name == "zeros_like" and o.op.name == "ones_like"
    assert z.shape.as_list() == [None, 3] and o.dtype == tf.int32
    zv, ov = run([z, o], {x: np.ones((2, 3))})
    assert zv.tolist() == [[0] * 3] * 2 and ov.dtype == np.int32 and ov.sum() == 6


def test_range():
    r = tf.range(5)
    assert r.op.name == "range" and r.dtype == tf.int32 and r.shape == [5]
    np.testing.assert_array_equal(run(r), np.arange(5))
    np.testing.assert_array_equal(run(tf.range(10, 2, -3)), [10, 7, 4])
    f = tf.range(1, 2, 0.25)
    assert f.dtype == tf.float32 and f.shape == [4]
    np.testing.assert_allclose(run(f), [1, 1.25, 1.5, 1.75])
    assert tf.range(3, dtype=tf.float64).dtype == tf.float64
    assert tf.range(tf.constant(3, tf.int64)).dtype == tf.int64
    n = ph([], tf.int32)
    assert tf.range(n).shape.as_list() == [None]
    assert run(tf.range(n), {n: 3}).tolist() == [0, 1, 2]
    with pytest.raises(ValueError, match="Requires delta != 0"):
        tf.range(0, 5, 0)
    with pytest.raises(ValueError, match="Requires start <= limit when delta > 0"):
        tf.range(5, 1)
    with pytest.raises(errors.InvalidArgumentError, match="Requires start >= limit"):
        run(tf.range(0, n, -1), {n: 3})


def test_linspace():
    y = tf.linspace(0.0, 1.0, 5)
    assert y.op.type == "LinSpace" and y.shape == [5] and y.dtype == tf.float32
    np.testing.assert_allclose(run(y), np.linspace(0, 1, 5), rtol=1e-6)
    assert tf.lin_space is tf.linspace
    assert run(tf.linspace(2.0, 3.0, 1)).tolist() == [2.0]
    with pytest.raises(ValueError, match="Requires num > 0"):
        tf.linspace(0.0, 1.0, 0)


# -- shape, size, rank ------------------------------------------------------------------------
def test_shape_size_rank():
    x = ph([None, 3])
    v = np.zeros((4, 3), np.float32)
    s, n, r = tf.shape(x), tf.size(x), tf.rank(x)
    assert s.op.type == "Shape" and s.op.name == "Shape" and s.shape == [2]
    sv, nv, rv = run([s, n, r], {x: v})
    assert sv.tolist() == [4, 3] and nv == 12 and rv == 2 and sv.dtype == np.int32
    assert r.op.type == "Const"  # rank is static
    c = tf.zeros([2, 5])
    assert tf.shape(c).op.type == "Const" and run(tf.shape(c, out_type=tf.int64)).dtype == np.int64
    assert tf.size(c).op.type == "Const" and run(tf.size(c)) == 10
    u = ph(None)
    assert tf.rank(u).op.type == "Rank" and run(tf.rank(u), {u: np.zeros((1, 2, 3))}) == 3
    a, b = tf.shape_n([x, c])
    av, bv = run([a, b], {x: v})
    assert av.tolist() == [4, 3] and bv.tolist() == [2, 5]
    assert run(tf.shape_n([c])[0]).tolist() == [2, 5]


# -- reshape ----------------------------------------------------------------------------------
def test_reshape_values_and_shapes():
    x = ph([None, 3, 4])
    v = arange(2, 3, 4)
    assert tf.reshape(x, [-1, 12]).shape.as_list() == [None, 12]
    assert tf.reshape(x, [-1]).shape.as_list() == [None]
    np.testing.assert_array_equal(run(tf.reshape(x, [4, -1]), {x: v}), v.reshape(4, -1))
    y = ph([2, 3, 4])
    assert tf.reshape(y, [4, -1]).shape == [4, 6]
    assert tf.reshape(y, [tf.shape(y)[0], -1]).shape == [2, 12]  # folded through shape()[0]
    assert tf.reshape(x, [tf.shape(x)[0], 12]).shape.as_list() == [None, 12]
    assert tf.reshape(x, tf.TensorShape([6, 4])).shape == [6, 4]
    assert tf.reshape(ph(None), ph([3], tf.int32)).shape.as_list() == [None, None, None]


def test_reshape_errors():
    y = ph([2, 3, 4])
    with pytest.raises(ValueError, match=r"Cannot reshape a tensor with 24 elements to shape \[5,5\] "
                                         r"\(25 elements\) for 'Reshape'"):
        tf.reshape(y, [5, 5])
    with pytest.raises(ValueError, match="Dimension size must be evenly divisible by 5 but is 24"):
        tf.reshape(y, [5, -1])
    s = ph([2], tf.int32)
    with pytest.raises(errors.InvalidArgumentError):
        run(tf.reshape(y, s), {y: arange(2, 3, 4), s: [5, 5]})


# -- transpose --------------------------------------------------------------------------------
@given(st.permutations(range(4)))
def test_transpose_random_perms(perm):
    v = arange(2, 3, 4, 5)
    with tf.Graph().as_default():
        y = tf.transpose(tf.constant(v), perm)
        assert y.shape.as_list() == [v.shape[p] for p in perm]
        np.testing.assert_array_equal(run(y), v.transpose(perm))


def test_transpose_default_and_unknown():
    x = ph([None, 3, 4])
    t = tf.transpose(x)
    assert t.op.name == "transpose" and t.shape.as_list() == [4, 3, None]
    u = ph(None)
    tu = tf.transpose(u)
    v = arange(2, 3, 4)
    np.testing.assert_array_equal(run(tu, {u: v}), v.T)
    p = ph([3], tf.int32)
    assert tf.transpose(x, p).shape.as_list() == [None, None, None]
    np.testing.assert_array_equal(run(tf.transpose(x, p), {x: v, p: [1, 2, 0]}), v.transpose(1, 2, 0))
    g = tf.gradients(tf.reduce_sum(tf.transpose(x, p) * 2.0), x)[0]
    np.testing.assert_array_equal(run(g, {x: v, p: [1, 2, 0]}), np.full(v.shape, 2.0))
    with pytest.raises(ValueError, match="Dimension must be 3 but is 2 for 'Transpose'"):
        tf.transpose(x, [1, 0])
    with pytest.raises(ValueError, match="not a permutation"):
        tf.transpose(x, [0, 0, 1])
    assert run(tf.invert_permutation([2, 0, 1])).tolist() == [1, 2, 0]


# -- broadcast_to -----------------------------------------------------------------------------
def test_broadcast_to():
    y = tf.broadcast_to(tf.constant([[1], [2]]), [3, 2, 4])
    assert y.shape == [3, 2, 4]
    np.testing.assert_array_equal(run(y), np.broadcast_to([[1], [2]], (3, 2, 4)))
    assert tf.broadcast_to(ph([None, 1]), [5, 3]).shape == [5, 3]
    with pytest.raises(ValueError, match="Incompatible shapes"):
        tf.broadcast_to(tf.zeros([3]), [2, 4])


# -- concat / stack / unstack / split -----------------------------------------------------------
def test_concat():
    a, b = ph([None, 3]), ph([2, None])
    c = tf.concat([a, b], 0)
    assert c.op.name == "concat" and c.shape.as_list() == [None, 3]
    assert tf.concat([a, ph([4, 3])], -1).shape.as_list() == [4, 6]
    assert tf.concat([a, ph(None)], 1).shape.as_list() == [None, None]
    va, vb = arange(1, 3), arange(2, 3) + 10
    np.testing.assert_array_equal(run(c, {a: va, b: vb}), np.concatenate([va, vb]))
    assert tf.concat([a], 0).op.type == "Identity"
    with pytest.raises(ValueError, match="Dimension 1 in both shapes must be equal, but are 3 and 4"):
        tf.concat([ph([2, 3]), ph([2, 4])], 0)
    with pytest.raises(ValueError, match="Shape must be rank 1 but is rank 2"):
        tf.concat([ph([3]), ph([2, 3])], 0)
    with pytest.raises(ValueError, match="out of range"):
        tf.concat([ph([3]), ph([3])], 1)
    with pytest.raises(TypeError):
        tf.concat([ph([3]), ph([3], tf.int32)], 0)


def test_stack_unstack():
    x = ph([None, 3])
    s = tf.stack([x, x * 2.0], axis=-1)
    assert s.op.name == "stack" and s.shape.as_list() == [None, 3, 2]
    v = arange(2, 3)
    np.testing.assert_array_equal(run(s, {x: v}), np.stack([v, 2 * v], -1))
    assert tf.stack([1, 2, 3]).op.type == "Const"
    mixed = tf.stack([tf.constant(1.5), 2])
    assert mixed.dtype == tf.float32 and run(mixed).tolist() == [1.5, 2.0]
    parts = tf.unstack(x, axis=1)
    assert len(parts) == 3 and parts[0].shape.as_list() == [None]
    np.testing.assert_array_equal(run(parts[2], {x: v}), v[:, 2])
    with pytest.raises(ValueError, match="Cannot infer num"):
        tf.unstack(x)
    with pytest.raises(ValueError, match="axis = 3 not in"):
        tf.stack([x, x], axis=3)
    with pytest.raises(ValueError, match="must be equal"):
        tf.stack([ph([2]), ph([3])])


@given(st.integers(1, 4), st.integers(0, 2))
def test_split_even(num, axis):
    shape = [4, 4, 4]
    shape[axis] = 2 * num
    v = arange(*shape)
    with tf.Graph().as_default():
        parts = tf.split(tf.constant(v), num, axis=axis)
        assert len(parts) == num
        assert all(p.shape.as_list()[axis] == 2 for p in parts)
        for got, want in zip(run(parts), np.split(v, num, axis=axis)):
            np.testing.assert_array_equal(got, want)


def test_split_sizes():
    x = ph([None, 10])
    a, b, c = tf.split(x, [2, -1, 3], axis=1)
    assert [t.shape.as_list() for t in (a, b, c)] == [[None, 2], [None, 5], [None, 3]]
    assert a.op.type == "SplitV" and a.op.name == "split"
    v = arange(2, 10)
    for got, want in zip(run([a, b, c], {x: v}), np.split(v, [2, 7], axis=1)):
        np.testing.assert_array_equal(got, want)
    assert tf.split(ph([None]), 2)[0].shape.as_list() == [None]
    with pytest.raises(ValueError, match="evenly divisible by 3 but is 10"):
        tf.split(x, 3, axis=1)
    with pytest.raises(ValueError, match="Determined shape must either match"):
        tf.split(x, [2, 3], axis=1)
    with pytest.raises(ValueError, match="Only one dimensions can have a value of -1"):
        tf.split(x, [-1, -1], axis=1)
    with pytest.raises(ValueError, match="Cannot infer num"):
        tf.split(x, ph([None], tf.int32), axis=1)


# -- squeeze / expand_dims / tile -----------------------------------------------------------------
def test_squeeze_expand_dims():
    x = ph([1, None, 1, 3])
    assert tf.squeeze(x, [0, -2]).shape.as_list() == [None, 3]
    assert tf.squeeze(x, axis=0).shape.as_list() == [None, 1, 3]
    assert tf.squeeze(x).shape.dims is None  # the ? might be 1
    assert tf.squeeze(ph([1, 2, 1])).shape == [2]
    v = arange(1, 2, 1, 3)
    np.testing.assert_array_equal(run(tf.squeeze(x), {x: v}), v.reshape(2, 3))
    with pytest.raises(ValueError, match=r"Can not squeeze dim\[3\], expected a dimension of 1, got 3"):
        tf.squeeze(x, [3])
    with pytest.raises(ValueError, match="Tried to squeeze dim index 4"):
        tf.squeeze(x, [4])
    y = ph([None, 3])
    assert tf.expand_dims(y, 0).shape.as_list() == [1, None, 3]
    assert tf.expand_dims(y, -1).shape.as_list() == [None, 3, 1]
    assert tf.expand_dims(y, dim=1).shape.as_list() == [None, 1, 3]
    assert run(tf.expand_dims(y, -2), {y: arange(2, 3)}).shape == (2, 1, 3)
    with pytest.raises(ValueError, match="Tried to expand dim index 3"):
        tf.expand_dims(y, 3)
    with pytest.raises(ValueError, match="Must specify an axis"):
        tf.expand_dims(y)


def test_tile():
    x = ph([None, 3])
    t = tf.tile(x, [2, 2])
    assert t.shape.as_list() == [None, 6]
    v = arange(2, 3)
    np.testing.assert_array_equal(run(t, {x: v}), np.tile(v, (2, 2)))
    m = ph([2], tf.int32)
    g = tf.gradients(tf.reduce_sum(tf.tile(x, m)), x)[0]
    np.testing.assert_array_equal(run(g, {x: v, m: [3, 2]}), np.full((2, 3), 6.0))
    with pytest.raises(ValueError, match="for 'Tile'"):
        tf.tile(x, [1, 2, 3])


# -- pad --------------------------------------------------------------------------------------
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), min_size=2, max_size=2),
       st.sampled_from(["CONSTANT", "REFLECT", "SYMMETRIC"]))
def test_pad_modes_against_numpy(paddings, mode):
    v = arange(3, 4)
    with tf.Graph().as_default():
        y = tf.pad(tf.constant(v), [list(p) for p in paddings], mode=mode)
        want = np.pad(v, paddings, mode={"CONSTANT": "constant", "REFLECT": "reflect",
                                         "SYMMETRIC": "symmetric"}[mode])
        assert y.shape.as_list() == list(want.shape)
        np.testing.assert_array_equal(run(y), want)


def test_pad_details():
    x = ph([None, 3])
    y = tf.pad(x, [[1, 1], [0, 2]], constant_values=-1.0)
    assert y.op.type == "PadV2" and y.shape.as_list() == [None, 5]
    assert run(y, {x: np.ones((1, 3))})[0].tolist() == [-1.0] * 5
    assert tf.pad(x, [[1, 1], [0, 2]]).op.type == "Pad"
    assert tf.pad(x, [[1, 1], [0, 2]], mode="reflect").op.type == "MirrorPad"
    p = ph([2, 2], tf.int32)
    g = tf.gradients(tf.reduce_sum(tf.pad(x, p) * 3.0), x)[0]
    np.testing.assert_array_equal(run(g, {x: np.ones((2, 3)), p: [[1, 0], [2, 1]]}), np.full((2, 3), 3.0))
    with pytest.raises(ValueError, match="paddings must be less than the dimension size"):
        tf.pad(tf.zeros([2, 3]), [[0, 0], [3, 0]], "REFLECT")
    with pytest.raises(ValueError, match="no greater than the dimension size"):
        tf.pad(tf.zeros([2, 3]), [[0, 0], [4, 0]], "SYMMETRIC")
    with pytest.raises(ValueError, match="Unknown padding mode"):
        tf.pad(x, [[0, 0], [0, 0]], "WRAP")
    with pytest.raises(ValueError, match="rank of inputs"):
        tf.pad(x, [[0, 0]])


# -- gather / gather_nd / scatter_nd ----------------------------------------------------------------
@given(st.integers(0, 2), st.lists(st.integers(0, 2), min_size=1, max_size=4))
def test_gather_against_numpy(axis, ids):
    v = arange(3, 3, 3)
    with tf.Graph().as_default():
        y = tf.gather(tf.constant(v), ids, axis=axis)
        want = np.take(v, ids, axis=axis)
        assert y.shape.as_list() == list(want.shape)
        np.testing.assert_array_equal(run(y), want)


def test_gather_gradient_is_indexed_slices_accumulating_repeats():
    params = tf.constant(arange(4, 2))
    y = tf.gather(params, [[1, 3], [1, 1]])
    assert y.op.name == "GatherV2" and y.shape == [2, 2, 2]
    g = tf.gradients(tf.reduce_sum(y), params)[0]
    assert isinstance(g, tf.IndexedSlices)
    dense = run(tf.convert_to_tensor(g))
    np.testing.assert_array_equal(dense, [[0, 0], [3, 3], [0, 0], [1, 1]])
    g1 = tf.gradients(tf.reduce_sum(tf.gather(params, [1, 1, 0], axis=1)), params)[0]
    assert isinstance(g1, tf.Tensor) and g1.shape == [4, 2]
    np.testing.assert_array_equal(run(g1), [[1, 2]] * 4)
    x = ph([None, 3])
    assert tf.gather(x, ph([None], tf.int32)).shape.as_list() == [None, 3]
    with pytest.raises(ValueError, match="out of range"):
        tf.gather(x, [0], axis=2)


def test_gather_nd_scatter_nd():
    v = arange(2, 3, 4)
    idx = [[0, 1], [1, 2], [0, 1]]
    y = tf.gather_nd(tf.constant(v), idx)
    assert y.shape == [3, 4]
    np.testing.assert_array_equal(run(y), v[[0, 1, 0], [1, 2, 1]])
    assert tf.gather_nd(ph([None, 3]), ph([5, 1], tf.int32)).shape.as_list() == [5, 3]
    with pytest.raises(ValueError, match=r"indices.shape\[-1\] must be <= params.rank"):
        tf.gather_nd(ph([2, 3]), ph([5, 3], tf.int32))
    s = tf.scatter_nd([[1], [1], [0]], [1.0, 2.0, 3.0], [4])
    assert s.shape == [4] and run(s).tolist() == [3.0, 3.0, 0.0, 0.0]


# -- slice and __getitem__ ------------------------------------------------------------------------
def test_slice():
    x = ph([None, 5])
    y = tf.slice(x, [1, 2], [-1, 2])
    assert y.op.name == "Slice" and y.shape.as_list() == [None, 2]
    assert tf.slice(ph([4, 5]), [1, 2], [-1, -1]).shape == [3, 3]
    v = arange(4, 5)
    np.testing.assert_array_equal(run(y, {x: v}), v[1:, 2:4])
    with pytest.raises(ValueError, match=r"Expected size\[1\] in \[0, 3\], but got 4"):
        tf.slice(ph([4, 5]), [0, 2], [1, 4])
    with pytest.raises(ValueError, match="Shape must be rank"):
        tf.slice(x, [0], [1])


_index = st.one_of(
    st.integers(-3, 2),
    st.builds(slice, st.none() | st.integers(-4, 4), st.none() | st.integers(-4, 4),
              st.none() | st.sampled_from([1, 2, -1, -2, 3])),
    st.just(None), st.just(Ellipsis))


@given(st.lists(_index, min_size=1, max_size=4))
def test_getitem_matches_numpy(spec):
    if sum(s is Ellipsis for s in spec) > 1 or sum(isinstance(s, int) or isinstance(s, slice)
                                                   for s in spec) > 3:
        return
    v = arange(3, 4, 3)
    spec = tuple(spec)
    want = v[spec]
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [3, 4, 3])
        y = x[spec]
        assert y.op.type == "StridedSlice" and y.op.name == "strided_slice"
        assert y.shape.as_list() == list(want.shape)
        np.testing.assert_array_equal(run(y, {x: v}), want)
        u = tf.placeholder(tf.float32, [None, 4, None])
        yu = u[spec]
        assert yu.shape.is_compatible_with(want.shape)
        np.testing.assert_array_equal(run(yu, {u: v}), want)


def test_getitem_details():
    x = ph([None, 4, 5])
    v = arange(2, 4, 5)
    assert x[0].shape == [4, 5]
    assert x[:, -1].shape.as_list() == [None, 5]
    assert x[..., tf.newaxis, 1:4:2].shape.as_list() == [None, 4, 1, 2]
    assert x[:, ::-1].shape.as_list() == [None, 4, 5]
    i = tf.constant(2)
    y = x[1, i, -2:]
    assert y.shape == [2]
    np.testing.assert_array_equal(run(y, {x: v}), v[1, 2, -2:])
    j = ph([], tf.int32)
    np.testing.assert_array_equal(run(x[:, j], {x: v, j: 3}), v[:, 3])
    assert x[:, j].shape.as_list() == [None, 5]
    np.testing.assert_array_equal(run(x[...], {x: v}), v)
    s = tf.shape(x)
    assert s[1:].shape == [2]
    assert x[0][1][2].shape == []
    m = x[tf.constant([True, False])]
    np.testing.assert_array_equal(run(m, {x: v}), v[[True, False]])
    with pytest.raises(TypeError, match="Only integers, slices"):
        x[1.5]
    with pytest.raises(TypeError, match="Only integers, slices"):
        x[tf.constant([0, 1])]
    with pytest.raises(ValueError, match="Multiple ellipses"):
        x[..., 0, ...]
    with pytest.raises(ValueError, match="out of bounds"):
        x[:, 4]
    with pytest.raises(ValueError, match="strides"):
        x[::0]
    w = tf.Variable(v)
    assert w[0, 1:3].shape == [2, 5]


def test_getitem_gradient():
    x = ph([3, 4])
    y = x[1:, ::-2] * 3.0
    g = tf.gradients(tf.reduce_sum(y), x)[0]
    want = np.zeros((3, 4), np.float32)
    want[1:, ::-2] = 3.0
    np.testing.assert_array_equal(run(g, {x: np.ones((3, 4))}), want)


def test_strided_slice_function():
    x = tf.constant(arange(3, 4))
    y = tf.strided_slice(x, [0, 1], [2, 4], [1, 2])
    assert y.op.name == "StridedSlice" and y.shape == [2, 2]
    np.testing.assert_array_equal(run(y), arange(3, 4)[0:2, 1:4:2])
    z = tf.strided_slice(x, [1, 0], [0, 0], shrink_axis_mask=1, end_mask=2)
    np.testing.assert_array_equal(run(z), arange(3, 4)[1])


# -- reverse / reverse_sequence ------------------------------------------------------------------
@given(st.lists(st.integers(-3, 2), max_size=3, unique_by=lambda a: a % 3))
def test_reverse_against_numpy(axes):
    v = arange(2, 3, 4)
    with tf.Graph().as_default():
        y = tf.reverse(tf.constant(v), axes)
        np.testing.assert_array_equal(run(y), np.flip(v, axis=tuple(axes)) if axes else v)


def test_reverse_errors():
    with pytest.raises(ValueError, match="specified more than once"):
        tf.reverse(ph([2, 3]), [1, -1])
    with pytest.raises(ValueError, match="out of valid range"):
        tf.reverse(ph([2, 3]), [2])
    assert tf.reverse_v2 is tf.reverse


def _reverse_sequence_ref(v, lengths, seq_axis, batch_axis):
    out = v.copy()
    for b, n in enumerate(lengths):
        idx = [slice(None)] * v.ndim
        idx[batch_axis] = b
        row = v[tuple(idx)]
        sa = seq_axis - (seq_axis > batch_axis)
        part = np.flip(np.take(row, np.arange(n), axis=sa), axis=sa)
        sl = [slice(None)] * row.ndim
        sl[sa] = slice(0, n)
        new = row.copy()
        new[tuple(sl)] = part
        out[tuple(idx)] = new
    return out


@given(st.lists(st.integers(0, 4), min_size=3, max_size=3),
       st.sampled_from([(1, 0), (0, 1), (2, 0), (0, 2), (1, 2)]))
def test_reverse_sequence_against_reference(lengths, axes):
    seq_axis, batch_axis = axes
    shape = [2, 2, 2]
    shape[seq_axis], shape[batch_axis] = 4, 3
    v = arange(*shape)
    with tf.Graph().as_default():
        y = tf.reverse_sequence(tf.constant(v), lengths, seq_axis=seq_axis, batch_axis=batch_axis)
        assert y.shape == shape
        np.testing.assert_array_equal(run(y), _reverse_sequence_ref(v, lengths, seq_axis, batch_axis))


def test_reverse_sequence_names_and_errors():
    x = ph([3, None, 2])
    y = tf.reverse_sequence(x, [1, 2, 3], seq_dim=1, batch_dim=0)
    assert y.op.name == "ReverseSequence" and y.shape.as_list() == [3, None, 2]
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 3 and 2"):
        tf.reverse_sequence(x, [1, 2], seq_axis=1)
    with pytest.raises(ValueError, match="must not be equal"):
        tf.reverse_sequence(x, [1, 2, 3], seq_axis=0, batch_axis=0)


# -- one_hot ------------------------------------------------------------------------------------
def test_one_hot():
    y = tf.one_hot([0, 2, -1, 3], 3)
    assert y.op.name == "one_hot" and y.dtype == tf.float32 and y.shape == [4, 3]
    np.testing.assert_array_equal(run(y), [[1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0]])
    z = tf.one_hot([[1, 0]], 2, on_value=5, off_value=-1, axis=0)
    assert z.dtype == tf.int32 and z.shape == [2, 1, 2]
    np.testing.assert_array_equal(run(z), np.moveaxis(np.array([[[-1, 5], [5, -1]]]), -1, 0))
    assert tf.one_hot([1], 4, dtype=tf.float64).dtype == tf.float64
    assert tf.one_hot(ph([None], tf.int32), ph([], tf.int32)).shape.as_list() == [None, None]
    with pytest.raises(TypeError, match="does not match"):
        tf.one_hot([1], 2, on_value=1.0, off_value=0)
    with pytest.raises(TypeError, match="does not match dtype parameter"):
        tf.one_hot([1], 2, on_value=tf.constant(1.0), dtype=tf.int32)


# -- where --------------------------------------------------------------------------------------
def test_where_coordinates():
    c = ph([None, 3], tf.bool)
    w = tf.where(c)
    assert w.dtype == tf.int64 and w.shape.as_list() == [None, 2] and w.op.type == "Where"
    v = np.array([[True, False, True], [False, True, False]])
    np.testing.assert_array_equal(run(w, {c: v}), np.argwhere(v))


def test_where_select():
    x, y = ph([2, 3]), ph([2, 3])
    vx, vy = arange(2, 3), -arange(2, 3)
    full = np.array([[True, False, True], [False, False, True]])
    s = tf.where(full, x, y)
    assert s.op.name == "Select" and s.shape == [2, 3]
    np.testing.assert_array_equal(run(s, {x: vx, y: vy}), np.where(full, vx, vy))
    rows = tf.where([False, True], x, y)
    np.testing.assert_array_equal(run(rows, {x: vx, y: vy}), np.stack([vy[0], vx[1]]))
    np.testing.assert_array_equal(run(tf.where(True, x, y), {x: vx, y: vy}), vx)
    with pytest.raises(ValueError, match="Shapes must be equal rank"):
        tf.where(True, x, 1.0)  # TF1's where does not broadcast x and y
    g = tf.gradients(tf.reduce_sum(tf.where(full, x, y) * 2.0), [x, y])
    gx, gy = run(g, {x: vx, y: vy})
    np.testing.assert_array_equal(gx, 2.0 * full)
    np.testing.assert_array_equal(gy, 2.0 * ~full)
    with pytest.raises(ValueError, match="x and y must both be non-None"):
        tf.where(full, x)
    with pytest.raises(ValueError, match="Dimension 0 in both shapes must be equal, but are 3 and 2"):
        tf.where([True, False, True], x, y)
    with pytest.raises(ValueError, match="for 'Select'"):
        tf.where(tf.zeros([3, 2], tf.bool), x, y)
    with pytest.raises(TypeError):
        tf.where(full, x, ph([2, 3], tf.int32))


# -- masks --------------------------------------------------------------------------------------
def test_sequence_mask():
    m = tf.sequence_mask([1, 3, 0], 4)
    assert m.dtype == tf.bool and m.shape == [3, 4]
    np.testing.assert_array_equal(run(m), np.arange(4) < np.array([[1], [3], [0]]))
    n = tf.sequence_mask([[2], [1]], dtype=tf.float32)
    assert n.dtype == tf.float32 and n.shape.as_list() == [2, 1, None]
    np.testing.assert_array_equal(run(n), [[[1, 1]], [[1, 0]]])


def test_boolean_mask():
    x = ph([2, 3, None])
    v = arange(2, 3, 4)
    mask = np.array([[True, False, True], [False, False, True]])
    y = tf.boolean_mask(x, mask)
    assert y.shape.as_list() == [None, None]
    np.testing.assert_array_equal(run(y, {x: v}), v[mask])
    z = tf.boolean_mask(tf.constant(v), [True, False, True], axis=1)
    assert z.shape.as_list() == [2, None, 4]
    np.testing.assert_array_equal(run(z), v[:, [True, False, True]])
    g = tf.gradients(tf.reduce_sum(tf.boolean_mask(x, mask) * 2.0), x)[0]
    np.testing.assert_array_equal(run(tf.convert_to_tensor(g), {x: v}),
                                  2.0 * np.broadcast_to(mask[..., None], v.shape))
    with pytest.raises(ValueError, match="mask cannot be scalar"):
        tf.boolean_mask(x, True)
    with pytest.raises(ValueError, match="incompatible"):
        tf.boolean_mask(x, [True, False, True])


def test_boolean_mask_gradient_numeric():
    def build(x):
        y = tf.boolean_mask(x, [[True, False, True], [True, True, False]])
        return y * y
    check_gradients(build, [(2, 3, 2)], order=1)
