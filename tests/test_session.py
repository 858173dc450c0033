"""Sessions: fetch structures, feeds, default sessions, plan caching and pruning."""
import collections

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygraph as tf

Pair = collections.namedtuple("Pair", "first second")


@pytest.fixture
def xy():
    x = tf.placeholder(tf.float32, [None, 3], name="X")
    y = tf.reduce_sum(tf.multiply(x, 2.0), name="y")
    return x, y


# -- construction and lifetime ---------------------------------------------------------
def test_session_defaults_to_default_graph_and_accepts_config():
    g = tf.get_default_graph()
    sess = tf.Session()
    assert sess.graph is g
    sess2 = tf.Session(graph=None, config=None)
    assert sess2.graph is g
    other = tf.Graph()
    assert tf.Session(graph=other).graph is other


def test_session_on_another_graph():
    g = tf.Graph()
    with g.as_default():
        c = tf.constant([1.0, 2.0])
    with tf.Session(graph=g) as sess:
        np.testing.assert_array_equal(sess.run(c), [1.0, 2.0])
    with pytest.raises(ValueError, match="is not an element of this graph"):
        tf.Session().run(c)


def test_context_manager_sets_default_and_closes():
    c = tf.constant(3.0)
    assert tf.get_default_session() is None
    with tf.Session() as sess:
        assert tf.get_default_session() is sess
        assert c.eval() == 3.0
    assert tf.get_default_session() is None
    with pytest.raises(RuntimeError, match="^Attempted to use a closed Session.$"):
        sess.run(c)


def test_as_default_does_not_close():
    c = tf.constant(3.0)
    sess = tf.Session()
    with sess.as_default() as entered:
        assert entered is sess
        assert tf.get_default_session() is sess
    assert tf.get_default_session() is None
    assert sess.run(c) == 3.0


def test_default_session_stack_nests():
    s1, s2 = tf.Session(), tf.Session()
    with s1.as_default():
        with s2.as_default():
            with s1.as_default():
                assert tf.get_default_session() is s1
            assert tf.get_default_session() is s2
        assert tf.get_default_session() is s1
    assert tf.get_default_session() is None


def test_interactive_session_installs_itself():
    c = tf.constant(5.0)
    sess = tf.InteractiveSession()
    try:
        assert tf.get_default_session() is sess
        assert c.eval() == 5.0
    finally:
        sess.close()
    assert tf.get_default_session() is None
    with pytest.raises(RuntimeError, match="closed Session"):
        sess.run(c)


def test_close_is_idempotent():
    sess = tf.Session()
    sess.close()
    sess.close()
    with pytest.raises(RuntimeError, match="Attempted to use a closed Session."):
        sess.run(tf.constant(1.0))


# -- fetches -----------------------------------------------------------------------------
def test_fetch_tensor_returns_numpy_values():
    a = tf.constant([[1.0, 2.0]])
    s = tf.constant(2.5)
    i = tf.constant(3)
    with tf.Session() as sess:
        va, vs, vi = sess.run(a), sess.run(s), sess.run(i)
    assert isinstance(va, np.ndarray) and va.dtype == np.float32 and va.shape == (1, 2)
    assert isinstance(vs, np.float32) and vs == 2.5  # 0-d tensors come back as numpy scalars
    assert isinstance(vi, np.int32) and vi == 3


def test_fetch_operation_returns_none():
    v = tf.Variable(1.0)
    with tf.Session() as sess:
        assert sess.run(v.initializer) is None
        assert sess.run(tf.no_op()) is None


def test_fetch_by_name():
    x = tf.placeholder(tf.float32, [2], name="X")
    tf.add(x, 1.0, name="plus")
    v = tf.Variable(2.0, name="v")
    tf.global_variables_initializer()
    with tf.Session() as sess:
        assert sess.run("init") is None  # an op name fetches the op
        np.testing.assert_allclose(sess.run("plus:0", feed_dict={"X:0": [1.0, 2.0]}), [2.0, 3.0])
        assert sess.run(v) == 2.0  # a Variable fetches its value
        assert sess.run("v:0") == 2.0


def test_fetch_nested_structures_keep_their_shape():
    a, b, c = tf.constant(1.0), tf.constant([2.0]), tf.constant(3)
    fetches = {"a": a, "list": [b, (c, Pair(a, [b]))], "pair": Pair(first=c, second={"op": tf.no_op()})}
    with tf.Session() as sess:
        out = sess.run(fetches)
    assert set(out) == {"a", "list", "pair"}
    assert out["a"] == 1.0
    assert isinstance(out["list"], list) and isinstance(out["list"][1], tuple)
    np.testing.assert_array_equal(out["list"][0], [2.0])
    assert out["list"][1][0] == 3
    inner = out["list"][1][1]
    assert isinstance(inner, Pair) and inner.first == 1.0
    np.testing.assert_array_equal(inner.second[0], [2.0])
    assert isinstance(out["pair"], Pair) and out["pair"].first == 3
    assert out["pair"].second == {"op": None}


def test_fetch_ordered_dict_keeps_type_and_order():
    a, b = tf.constant(1.0), tf.constant(2.0)
    d = collections.OrderedDict([("z", a), ("a", b)])
    with tf.Session() as sess:
        out = sess.run(d)
    assert isinstance(out, collections.OrderedDict)
    assert list(out.items()) == [("z", 1.0), ("a", 2.0)]


def test_fetch_same_tensor_twice_and_empty():
    a = tf.constant([1.0, 2.0])
    with tf.Session() as sess:
        x, y = sess.run([a, a])
        assert sess.run([]) == [] and sess.run(()) == ()
    np.testing.assert_array_equal(x, y)
    x[0] = 100.0  # two fetches are two copies
    assert y[0] == 1.0


def test_bad_fetches():
    with tf.Session() as sess:
        with pytest.raises(TypeError, match="Fetch argument None has invalid type"):
            sess.run(None)
        with pytest.raises(TypeError, match="Fetch argument 3 has invalid type"):
            sess.run(3)
        with pytest.raises(ValueError, match="Fetch argument 'nope:0' cannot be interpreted as a Tensor"):
            sess.run("nope:0")


def test_fetched_arrays_are_copies():
    v = tf.Variable(np.array([1.0, 2.0], np.float32))
    r = v.value() * 1.0
    with tf.Session() as sess:
        sess.run(v.initializer)
        got = sess.run(v)
        got[0] = 99.0
        np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])
        snap = sess.run(v.value())
        snap[:] = 0.0
        np.testing.assert_array_equal(sess.run(r), [1.0, 2.0])


# -- feeds -----------------------------------------------------------------------------
def test_feed_keys_as_tensors_or_names(xy):
    x, y = xy
    val = np.arange(6, dtype=np.float32).reshape(2, 3)
    with tf.Session() as sess:
        assert sess.run(y, {x: val}) == pytest.approx(2 * val.sum())
        assert sess.run(y, {"X:0": val}) == pytest.approx(2 * val.sum())
        with pytest.raises(TypeError, match="Cannot interpret feed_dict key as Tensor"):
            sess.run(y, {"X": val})  # an op name is not a tensor
        with pytest.raises(TypeError, match="Cannot interpret feed_dict key as Tensor"):
            sess.run(y, {"nope:0": val})  # TF: TypeError for every bad key


def test_feed_values_nested_lists_scalars_and_casts(xy):
    x, y = xy
    s = tf.placeholder(tf.float32, [], name="s")
    i = tf.placeholder(tf.int32, [None], name="i")
    with tf.Session() as sess:
        assert sess.run(y, {x: [[1, 2, 3]]}) == pytest.approx(12.0)  # nested Python list of ints
        assert sess.run(tf.add(s, 1.0), {s: np.float64(2.5)}) == pytest.approx(3.5)
        assert sess.run(tf.add(s, 1.0), {s: 2}) == pytest.approx(3.0)
        got = sess.run(x, {x: np.ones((2, 3), np.float64)})  # float64 cast to the float32 placeholder
        assert got.dtype == np.float32
        ints = sess.run(i, {i: np.array([1, 2], np.int64)})
        assert ints.dtype == np.int32


def test_feed_a_tensor_value_is_rejected(xy):
    x, y = xy
    with tf.Session() as sess:
        with pytest.raises(TypeError, match="The value of a feed cannot be a tf.Tensor object"):
            sess.run(y, {x: tf.constant(np.ones((1, 3), np.float32))})


def test_fetch_a_fed_tensor_returns_the_feed(xy):
    x, _ = xy
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(x, {x: [[1, 2, 3]]}), [[1, 2, 3]])


def test_placeholder_with_default():
    d = tf.placeholder_with_default(tf.constant([1.0, 2.0]), [None], name="d")
    out = tf.multiply(d, 10.0)
    assert d.shape.as_list() == [None]
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(out), [10.0, 20.0])
        np.testing.assert_allclose(sess.run(out, {d: [5.0, 6.0, 7.0]}), [50.0, 60.0, 70.0])
    with pytest.raises(ValueError):
        tf.placeholder_with_default(tf.constant([1.0, 2.0]), [3])


# -- Operation.run / Tensor.eval / make_callable -------------------------------------------
def test_operation_run_and_tensor_eval_with_feeds():
    x = tf.placeholder(tf.float32, [2])
    v = tf.Variable([0.0, 0.0])
    upd = tf.assign(v, x)
    with tf.Session() as sess:
        sess.run(v.initializer)
        upd.op.run(feed_dict={x: [3.0, 4.0]})
        np.testing.assert_array_equal(v.eval(), [3.0, 4.0])
        np.testing.assert_array_equal(tf.add(x, 1.0).eval(feed_dict={x: [1.0, 1.0]}), [2.0, 2.0])
    other = tf.Session()
    other.run(v.initializer)
    upd.op.run(feed_dict={x: [7.0, 8.0]}, session=other)
    np.testing.assert_array_equal(other.run(v), [7.0, 8.0])


def test_make_callable(xy):
    x, y = xy
    with tf.Session() as sess:
        f = sess.make_callable(y, [x])
        assert f(np.ones((2, 3))) == pytest.approx(12.0)
        assert f([[1, 1, 1]]) == pytest.approx(6.0)
        g = sess.make_callable([y, tf.no_op()], feed_list=[x])
        val, none = g(np.ones((1, 3)))
        assert val == pytest.approx(6.0) and none is None
        const = sess.make_callable(tf.constant(4.0))
        assert const() == 4.0
        with pytest.raises(TypeError):
            f()


# -- plans: caching, pruning, freeing ---------------------------------------------------
def test_plans_are_cached_per_signature(xy):
    x, y = xy
    z = tf.add(y, 1.0)
    with tf.Session() as sess:
        for _ in range(3):
            sess.run(y, {x: np.ones((1, 3))})
        assert len(sess._plans) == 1
        sess.run(y, {x: np.ones((5, 3))})  # another batch size: same plan
        assert len(sess._plans) == 1
        sess.run([y, z], {x: np.ones((1, 3))})
        assert len(sess._plans) == 2
        sess.run(y, {"X:0": np.ones((1, 3))})  # a name resolves to the same tensor
        assert len(sess._plans) == 2
        plan = sess.plan_for(y, {x: np.ones((1, 3))})
        assert plan is next(iter(sess._plans.values()))


def test_plan_prunes_to_what_fetches_need():
    a = tf.placeholder(tf.float32, name="a")
    b = tf.placeholder(tf.float32, name="b")
    ya = tf.multiply(a, 2.0, name="ya")
    tf.multiply(b, 2.0, name="yb")
    with tf.Session() as sess:
        # b is unfed but not needed: no error
        assert sess.run(ya, {a: 3.0}) == 6.0
        names = [op.name for op in sess.plan_for(ya, {a: 3.0}).ops]
    assert "b" not in names and "yb" not in names and "a" not in names  # fed: its op does not run
    assert len(names) == 2 and names[-1] == "ya"  # the constant 2.0, then ya


def test_fed_tensor_cuts_the_graph():
    upstream = tf.placeholder(tf.float32, [None, 2], name="upstream")
    h = tf.tanh(upstream, name="h")
    out = tf.reduce_sum(tf.multiply(h, 3.0), name="out")
    with tf.Session() as sess:
        # `upstream` is never fed: feeding h means neither it nor tanh run
        assert sess.run(out, {h: np.ones((4, 2))}) == pytest.approx(24.0)
        plan = sess.plan_for(out, {h: np.ones((4, 2))})
        assert [op.name for op in plan.ops if op.type in ("Placeholder", "Tanh")] == []
        with pytest.raises(tf.errors.InvalidArgumentError, match="placeholder tensor 'upstream'"):
            sess.run(out)


def test_plan_frees_intermediates_after_last_use():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    h = tf.tanh(x, name="h")
    y = tf.multiply(h, 2.0, name="y")
    z = tf.reduce_sum(y, name="z")
    w = tf.add(h, y, name="w")
    with tf.Session() as sess:
        plan = sess.plan_for([z, w], {x: np.ones((1, 3))})
        text = plan.describe()
    assert text.splitlines()[0] == "Plan: 5 ops, 6 slots; feeds ['x:0']; fetches ['z:0', 'w:0']"
    steps = {op.name: (ins, out, frees) for _, ins, out, frees, op in plan.steps}
    h_slot, y_slot = plan.slot_of[h], plan.slot_of[y]
    # h is read by y and w: freed after w, its last reader, not after y
    assert h_slot not in steps["y"][2] and h_slot in steps["w"][2]
    assert y_slot in steps["w"][2]
    # fetched values and feeds are never freed
    for _, _, frees in steps.values():
        assert plan.slot_of[z] not in frees and plan.slot_of[w] not in frees
        assert plan.slot_of[x] not in frees
    for line in text.splitlines()[1:]:
        assert "in=" in line and "out=" in line and "free=" in line


def _check_free_invariants(plan):
    """Each slot written by a step and not fetched is freed exactly once, after its last reader."""
    keep = set(plan.fetch_slots) | set(plan.feed_slots)
    freed_at, last_read, written = {}, {}, set()
    for i, (_, ins, out, frees, _) in enumerate(plan.steps):
        for s in ins:
            last_read[s] = i
        written.update([out] if isinstance(out, int) else [o for o in out if o is not None])
        for s in frees:
            assert s not in freed_at, "slot %d freed twice" % s
            freed_at[s] = i
    for s in written - keep:
        assert s in freed_at, "slot %d never freed" % s
        assert freed_at[s] >= last_read.get(s, -1)
    assert not keep & set(freed_at)


@given(st.lists(st.tuples(st.sampled_from(["add", "mul", "tanh"]), st.integers(0, 50),
                          st.integers(0, 50)), min_size=1, max_size=12),
       st.integers(1, 3))
def test_random_graphs_free_every_intermediate_once(recipe, n_fetch):
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, [2], name="x")
        nodes = [x]
        refs = [lambda v: v]
        for kind, i, j in recipe:
            a, b = nodes[i % len(nodes)], nodes[j % len(nodes)]
            fa, fb = refs[i % len(refs)], refs[j % len(refs)]
            if kind == "add":
                nodes.append(tf.add(a, b))
                refs.append(lambda v, fa=fa, fb=fb: fa(v) + fb(v))
            elif kind == "mul":
                nodes.append(tf.multiply(a, b))
                refs.append(lambda v, fa=fa, fb=fb: fa(v) * fb(v))
            else:
                nodes.append(tf.tanh(a))
                refs.append(lambda v, fa=fa: np.tanh(fa(v)))
        fetches = nodes[-n_fetch:]
        val = np.array([0.3, -0.2])
        with tf.Session() as sess:
            got = sess.run(fetches, {x: val})
            _check_free_invariants(sess.plan_for(fetches, {x: val}))
        for g, f in zip(got, refs[-n_fetch:]):
            np.testing.assert_allclose(g, f(val), rtol=1e-12)


def test_plan_describe_lists_every_step():
    a = tf.constant(1.0, name="a")
    b = tf.add(a, a, name="b")
    with tf.Session() as sess:
        plan = sess.plan_for(b)
    lines = plan.describe().splitlines()
    assert lines[0].startswith("Plan: 2 ops")
    assert lines[1].split()[:2] == ["a", "Const"]
    assert lines[2].split()[:2] == ["b", "Add"]
    assert repr(plan) == "<Plan 2 ops>"


# -- state lives in the session ----------------------------------------------------------
def test_two_sessions_hold_separate_variable_values():
    v = tf.Variable(0.0, name="counter")
    inc = tf.assign_add(v, 1.0)
    s1, s2 = tf.Session(), tf.Session()
    s1.run(v.initializer)
    s2.run(v.initializer)
    for _ in range(3):
        s1.run(inc)
    s2.run(inc)
    assert s1.run(v) == 3.0 and s2.run(v) == 1.0
    s1.close()
    assert s2.run(v) == 1.0
    with pytest.raises(tf.errors.FailedPreconditionError):
        tf.Session().run(v)


def test_run_returns_consistent_results_after_many_calls(xy):
    x, y = xy
    with tf.Session() as sess:
        vals = [sess.run(y, {x: np.full((2, 3), k, np.float32)}) for k in range(5)]
    assert vals == [pytest.approx(12.0 * k) for k in range(5)]


def test_run_options_and_metadata_are_accepted(xy):
    x, y = xy
    md = tf.RunMetadata()
    opts = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
    with tf.Session() as sess:
        assert sess.run(y, {x: np.ones((1, 3))}, options=opts, run_metadata=md) == pytest.approx(6.0)
    types = [s[1] for s in md.step_stats]
    assert "Mul" in types and "Sum" in types
    assert md.loop_stats["loop_iterations"] == 0


def test_feeding_a_variable_replaces_its_value_for_one_run():
    v = tf.Variable([1.0, 2.0])
    doubled = tf.multiply(v, 2.0)
    with tf.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_array_equal(sess.run(doubled, {v: [10.0, 20.0]}), [20.0, 40.0])
        np.testing.assert_array_equal(sess.run(doubled), [2.0, 4.0])  # the stored value is untouched


def test_old_session_keeps_working_after_reset_default_graph():
    v = tf.Variable(3.0)
    y = tf.multiply(v, 2.0)
    sess = tf.Session()
    sess.run(v.initializer)
    tf.reset_default_graph()
    assert sess.run(y) == 6.0 and y.graph is sess.graph
    assert tf.get_default_graph() is not sess.graph


@given(st.lists(st.integers(0, 4), max_size=3), st.data())
def test_feeds_of_any_shape_match_numpy(shape, data):
    with tf.Graph().as_default():
        known = [data.draw(st.booleans()) for _ in shape]
        x = tf.placeholder(tf.float32, [d if k else None for d, k in zip(shape, known)])
        total = tf.reduce_sum(tf.multiply(x, 2.0))
        val = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape) / 7.0
        with tf.Session() as sess:
            # nested lists cannot spell empty dims: feed those as arrays
            feed = float(val) if not shape else (val.tolist() if val.size else val)
            got_x, got_total = sess.run([x, total], {x: feed})
            assert got_x.dtype == np.float32 and got_x.shape == tuple(shape)
            np.testing.assert_allclose(got_total, 2.0 * val.astype(np.float32).sum(), rtol=1e-5)
            if shape and any(known):
                bad = [d + 1 if k else d for d, k in zip(shape, known)]
                with pytest.raises(ValueError, match="Cannot feed value of shape"):
                    sess.run(total, {x: np.zeros(bad)})
