"""Variables, variable scopes, initializers and the ordering ops (control deps, group, tuple)."""
import numpy as np
import pytest

import tinygraph as tf


def const_init(value):
    """An initializer callable(shape, dtype=...) filling with `value` (init_ops-free)."""
    def init(shape, dtype=tf.float32, partition_info=None):
        return tf.constant(np.full(shape, value), dtype=dtype)
    return init


# -- tf.Variable ---------------------------------------------------------------------------
def test_variable_names_and_ops():
    wx = tf.Variable(np.zeros((3, 5), np.float32), name="Wx")
    wx2 = tf.Variable(np.zeros((3, 5), np.float32), name="Wx")
    assert wx.name == "Wx:0" and wx2.name == "Wx_1:0"
    assert wx.op.name == "Wx" and wx.op.type == "VariableV2"
    assert wx.initializer.name == "Wx/Assign" and wx.initializer.type == "Assign"
    assert wx.value().name == "Wx/read:0" and wx.value().op.type == "Identity"
    assert wx.initial_value.name == "Wx/initial_value:0"
    assert wx.graph is tf.get_default_graph()
    assert tf.Variable(1.0).name == "Variable:0"
    assert tf.Variable(1.0).name == "Variable_1:0"
    assert repr(wx) == "<tf.Variable 'Wx:0' shape=(3, 5) dtype=float32_ref>"


def test_variable_under_name_scope():
    with tf.name_scope("layer"):
        v = tf.Variable(1.0, name="w")
        r = v.read_value()
    assert v.name == "layer/w:0"
    assert v.value().name == "layer/w/read:0"
    assert r.name == "layer/read:0"
    with tf.control_dependencies([tf.no_op()]):
        u = tf.Variable(2.0, name="u")
    assert u.initializer.control_inputs == []  # variables ignore enclosing control deps


def test_variable_dtypes_and_shapes():
    assert tf.Variable(1.0).dtype.base_dtype == tf.float32
    assert tf.Variable(1).dtype.base_dtype == tf.int32
    assert tf.Variable(np.zeros(2)).dtype.base_dtype == tf.float64
    assert tf.Variable(3, dtype=tf.float32).dtype.base_dtype == tf.float32
    assert tf.Variable([1, 2], dtype=tf.float64).dtype.base_dtype == tf.float64
    v = tf.Variable(np.zeros((2, 3), np.float32))
    assert v.shape.as_list() == [2, 3] and v.get_shape().as_list() == [2, 3]
    assert tf.Variable(lambda: tf.constant([1.0, 2.0])).shape.as_list() == [2]
    with pytest.raises(ValueError, match="initial_value must be specified."):
        tf.Variable()
    with pytest.raises(ValueError, match="initial_value must have a shape specified"):
        tf.Variable(tf.placeholder(tf.float32, [None]))


def test_validate_shape_false_allows_new_shapes():
    x = tf.placeholder(tf.float32)
    v = tf.Variable(tf.constant([1.0, 2.0]), validate_shape=False)
    assert v.shape.ndims is None
    upd = tf.assign(v, x, validate_shape=False)
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(upd, {x: [[1.0, 2.0, 3.0]]})
        np.testing.assert_array_equal(sess.run(v), [[1.0, 2.0, 3.0]])


def test_trainable_flag_and_collections():
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(1.0, name="b", trainable=False)
    c = tf.Variable(1.0, name="c", collections=["mine"])
    d = tf.Variable(1.0, name="d", collections=[tf.GraphKeys.LOCAL_VARIABLES], trainable=False)
    assert a.trainable and not b.trainable
    assert tf.global_variables() == [a, b]
    assert tf.trainable_variables() == [a, c]
    assert tf.get_collection("mine") == [c]
    assert tf.local_variables() == [d]
    assert tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES) == [a, c]


def test_trainable_variables_keep_creation_order_and_scope_filter():
    names = ["z", "a", "m"]
    with tf.name_scope("s"):
        vs = [tf.Variable(0.0, name=n) for n in names]
    other = tf.Variable(0.0, name="other")
    assert [v.name for v in tf.trainable_variables()] == ["s/z:0", "s/a:0", "s/m:0", "other:0"]
    assert tf.trainable_variables("s") == vs
    assert tf.global_variables(scope="oth") == [other]


def test_initializers():
    a = tf.Variable([1.0, 2.0], name="a")
    b = tf.Variable(3.0, name="b")
    init = tf.global_variables_initializer()
    assert init.name == "init" and init.type == "NoOp"
    assert set(init.control_inputs) == {a.initializer, b.initializer}
    assert tf.global_variables_initializer().name == "init_1"
    only_b = tf.variables_initializer([b], name="only_b")
    empty = tf.variables_initializer([])
    assert empty.type == "NoOp"
    with tf.Session() as sess:
        sess.run(only_b)
        assert sess.run(b) == 3.0
        assert not sess.run(tf.is_variable_initialized(a))
        assert list(sess.run(tf.report_uninitialized_variables())) == [b"a"]
        sess.run(empty)
        sess.run(init)
        np.testing.assert_array_equal(sess.run(a), [1.0, 2.0])
        assert sess.run(tf.is_variable_initialized(a))


def test_initial_value_is_recomputed_by_the_initializer():
    v = tf.Variable(tf.multiply(tf.constant([1.0, 2.0]), 2.0))
    with tf.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_array_equal(sess.run(v), [2.0, 4.0])
        sess.run(v.assign([0.0, 0.0]))
        sess.run(v.initializer)  # re-running the initializer resets the value
        np.testing.assert_array_equal(sess.run(v), [2.0, 4.0])
        np.testing.assert_array_equal(sess.run(v.initial_value), [2.0, 4.0])


def test_initialized_value_allows_any_init_order():
    v = tf.Variable([1.0, 2.0], name="v")
    w = tf.Variable(v.initialized_value() * 3.0, name="w")
    with tf.Session() as sess:
        sess.run(w.initializer)  # v not initialized: uses v's initial value
        np.testing.assert_array_equal(sess.run(w), [3.0, 6.0])
        sess.run(v.initializer)
        sess.run(v.assign([10.0, 10.0]))
        sess.run(w.initializer)  # v initialized: uses its current value
        np.testing.assert_array_equal(sess.run(w), [30.0, 30.0])


def test_assign_ops_and_functions():
    v = tf.Variable([1.0, 2.0], name="v")
    a = v.assign([5.0, 6.0])
    aa = v.assign_add([1.0, 1.0])
    asub = v.assign_sub([2.0, 2.0])
    assert (a.op.type, aa.op.type, asub.op.type) == ("Assign", "AssignAdd", "AssignSub")
    assert a.dtype == tf.float32 and a.shape.as_list() == [2]
    f1 = tf.assign(v, [0.0, 1.0], name="set")
    f2 = tf.assign_add(v, [1.0, 1.0])
    f3 = tf.assign_sub(v, [0.5, 0.5])
    assert f1.op.name == "set"
    with tf.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_array_equal(sess.run(a), [5.0, 6.0])
        np.testing.assert_array_equal(sess.run(aa), [6.0, 7.0])
        np.testing.assert_array_equal(sess.run(asub), [4.0, 5.0])
        np.testing.assert_array_equal(sess.run(v), [4.0, 5.0])
        sess.run(f1)
        sess.run(f2)
        np.testing.assert_array_equal(sess.run(f3), [0.5, 1.5])
        np.testing.assert_array_equal(sess.run(v), [0.5, 1.5])
    with pytest.raises(ValueError, match=r"\(2,\).*\(3,\)"):
        v.assign([1.0, 2.0, 3.0])


def test_assign_add_on_integers_keeps_dtype():
    c = tf.Variable(0, name="count")
    inc = tf.assign_add(c, 1)
    with tf.Session() as sess:
        sess.run(c.initializer)
        for _ in range(3):
            sess.run(inc)
        got = sess.run(c)
    assert got == 3 and got.dtype == np.int32


def test_load_writes_without_new_ops():
    v = tf.Variable(np.zeros((2, 2), np.float32))
    n = len(tf.get_default_graph().get_operations())
    with tf.Session() as sess:
        sess.run(v.initializer)
        v.load(np.ones((2, 2)), sess)
        np.testing.assert_array_equal(sess.run(v), np.ones((2, 2)))
        v.load([[1, 2], [3, 4]])  # the default session
        np.testing.assert_array_equal(v.eval(), [[1, 2], [3, 4]])
    assert len(tf.get_default_graph().get_operations()) == n
    with pytest.raises(ValueError, match="Cannot feed value of shape"):
        v.load(np.ones(3), tf.Session())


def test_eval_and_value_reads():
    v = tf.Variable([1.0, 2.0])
    with tf.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_array_equal(v.eval(), [1.0, 2.0])
        np.testing.assert_array_equal(v.eval(session=sess), [1.0, 2.0])
        np.testing.assert_array_equal(sess.run(v.value()), [1.0, 2.0])
        np.testing.assert_array_equal(sess.run(v.read_value()), [1.0, 2.0])


def test_operator_overloading_on_variables():
    v = tf.Variable(np.array([1.0, 2.0], np.float32))
    m = tf.Variable(np.eye(2, dtype=np.float32) * 2.0)
    exprs = [v + 1.0, 1.0 + v, v - 1.0, 3.0 - v, v * 2.0, 2.0 * v, v / 2.0, 4.0 / v, -v, v + v,
             tf.reshape(v, [1, 2]) @ m]
    assert exprs[0].op.type == "Add" and exprs[-1].op.type == "MatMul"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got = sess.run(exprs)
    x = np.array([1.0, 2.0], np.float32)
    want = [x + 1, 1 + x, x - 1, 3 - x, x * 2, 2 * x, x / 2, 4 / x, -x, x + x, x.reshape(1, 2) @ (2 * np.eye(2))]
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w)
    assert len(v) == 2
    lhs_array = np.ones(2, np.float32) * v  # the variable's reflected operator wins over numpy's
    assert isinstance(lhs_array, tf.Tensor) and lhs_array.op.type == "Mul"


def test_variable_converts_to_tensor():
    v = tf.Variable([1.0, 2.0])
    t = tf.convert_to_tensor(v)
    assert t is v.value()
    with pytest.raises(ValueError, match="Incompatible type conversion requested to type 'int32'"):
        tf.convert_to_tensor(v, dtype=tf.int32)


def test_read_value_after_assign_under_control_dependencies():
    v = tf.Variable([1.0, 2.0])
    inc = tf.assign_add(v, [1.0, 1.0])
    with tf.control_dependencies([inc]):
        after = v.read_value()  # reads the variable after the update
        also_after = tf.identity(v.read_value())
    with tf.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_array_equal(sess.run(after), [2.0, 3.0])
        np.testing.assert_array_equal(sess.run(also_after), [3.0, 4.0])
        np.testing.assert_array_equal(sess.run(v), [3.0, 4.0])


def test_two_reads_around_an_update_see_old_and_new_values():
    v = tf.Variable(1.0)
    before = tf.identity(v.read_value(), name="before")
    with tf.control_dependencies([before]):
        upd = tf.assign_add(v, 10.0)
    with tf.control_dependencies([upd]):
        after = v.read_value()
    with tf.Session() as sess:
        sess.run(v.initializer)
        b, a = sess.run([before, after])
    assert (b, a) == (1.0, 11.0)


# -- get_variable and variable_scope --------------------------------------------------------
def test_get_variable_creates_and_names():
    with tf.variable_scope("foo"):
        with tf.variable_scope("bar"):
            v = tf.get_variable("v", [2, 3], initializer=const_init(0.5))
    assert v.name == "foo/bar/v:0"
    assert v.shape.as_list() == [2, 3] and v.dtype == tf.float32_ref
    assert tf.trainable_variables() == [v]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(v), np.full((2, 3), 0.5))


def test_get_variable_existing_without_reuse_raises():
    with tf.variable_scope("foo"):
        tf.get_variable("v", [1], initializer=const_init(0.0))
    with tf.variable_scope("foo"):
        with pytest.raises(ValueError, match=r"^Variable foo/v already exists, disallowed\. Did you mean "
                           r"to set reuse=True or reuse=tf\.AUTO_REUSE in VarScope\?"):
            tf.get_variable("v", [1], initializer=const_init(0.0))


def test_get_variable_missing_with_reuse_raises():
    with tf.variable_scope("foo", reuse=True):
        with pytest.raises(ValueError, match=r"^Variable foo/v does not exist, or was not created with "
                           r"tf\.get_variable\(\)\. Did you mean to set reuse=tf\.AUTO_REUSE in VarScope\?$"):
            tf.get_variable("v", [1])
    with tf.variable_scope("foo"):
        tf.Variable(1.0, name="w")  # made with tf.Variable: invisible to get_variable
    with tf.variable_scope("foo", reuse=True):
        with pytest.raises(ValueError, match="Variable foo/w does not exist"):
            tf.get_variable("w", [])


def test_reuse_true_returns_the_same_variable():
    with tf.variable_scope("foo"):
        v = tf.get_variable("v", [2], initializer=const_init(1.0))
    with tf.variable_scope("foo", reuse=True):
        assert tf.get_variable("v", [2]) is v
        assert tf.get_variable("v") is v  # shape may be omitted when sharing
        assert tf.get_variable_scope().reuse is True
    assert len(tf.global_variables()) == 1


def test_sharing_with_another_shape_or_dtype_raises():
    with tf.variable_scope("foo"):
        tf.get_variable("v", [2, 3], initializer=const_init(1.0))
    with tf.variable_scope("foo", reuse=True):
        with pytest.raises(ValueError, match=r"^Trying to share variable foo/v, but specified shape "
                           r"\(2, 4\) and found shape \(2, 3\)\.$"):
            tf.get_variable("v", [2, 4])
        with pytest.raises(ValueError, match="Trying to share variable foo/v, but specified dtype float64"):
            tf.get_variable("v", [2, 3], dtype=tf.float64)


def test_auto_reuse_creates_then_reuses():
    def layer():
        with tf.variable_scope("shared", reuse=tf.AUTO_REUSE):
            return tf.get_variable("w", [3], initializer=const_init(2.0))
    w1, w2 = layer(), layer()
    assert w1 is w2 and w1.name == "shared/w:0"
    assert len(tf.global_variables()) == 1
    assert repr(tf.AUTO_REUSE) == "tf.AUTO_REUSE"


def test_reuse_variables_on_the_current_scope():
    with tf.variable_scope("rnn") as scope:
        a = tf.get_variable("kernel", [2], initializer=const_init(1.0))
        assert not scope.reuse
        scope.reuse_variables()
        assert scope.reuse and tf.get_variable_scope().reuse
        assert tf.get_variable("kernel", [2]) is a
    with tf.variable_scope("rnn"):  # a new entry of the name does not inherit that reuse
        assert not tf.get_variable_scope().reuse


def test_reuse_is_inherited_and_cannot_be_turned_off_inside():
    with tf.variable_scope("outer"):
        with tf.variable_scope("inner"):
            x = tf.get_variable("x", [1], initializer=const_init(1.0))
    with tf.variable_scope("outer", reuse=True):
        with tf.variable_scope("inner"):
            assert tf.get_variable_scope().reuse is True
            assert tf.get_variable("x") is x
        with tf.variable_scope("inner", reuse=False):
            assert tf.get_variable_scope().reuse is True


def test_reenter_a_scope_object():
    with tf.variable_scope("outer") as outer:
        with tf.variable_scope("inner"):
            x = tf.get_variable("x", [1], initializer=const_init(1.0))
            assert tf.constant(0.0).name == "outer/inner/Const:0"
    assert outer.name == "outer" and outer.original_name_scope == "outer/"
    with tf.variable_scope("elsewhere"):
        with tf.variable_scope(outer) as again:
            assert again.name == "outer"  # the variable scope is re-entered, not nested
            assert again.original_name_scope == "outer/"
            y = tf.get_variable("y", [1], initializer=const_init(1.0))
            assert tf.constant(0.0).name == "elsewhere/outer/Const:0"  # a fresh name scope, as TF
    assert y.name == "outer/y:0"
    with tf.variable_scope(outer, reuse=True):
        with tf.variable_scope("inner"):
            assert tf.get_variable("x") is x
    # the documented way to also restore the name scope
    with tf.variable_scope(outer, auxiliary_name_scope=False) as vs:
        with tf.name_scope(vs.original_name_scope):
            assert tf.constant(0.0, name="c").name == "outer/c:0"


def test_second_variable_scope_of_a_name_opens_a_new_name_scope():
    with tf.variable_scope("foo"):
        v = tf.get_variable("v", [1], initializer=const_init(1.0))
        a = tf.add(v, 1.0)
    with tf.variable_scope("foo", reuse=True):
        v2 = tf.get_variable("v", [1])
        b = tf.add(v2, 1.0)
        with tf.name_scope("ns"):
            c = tf.add(v2, 2.0)
    assert v2 is v
    assert a.op.name == "foo/Add" and b.op.name == "foo_1/Add" and c.op.name == "foo_1/ns/Add"
    assert v.op.name == "foo/v"  # variables ignore the name scope


def test_get_variable_ignores_name_scope_but_variable_does_not():
    with tf.name_scope("ns"):
        g = tf.get_variable("g", [1], initializer=const_init(0.0))
        with tf.variable_scope("vs"):
            h = tf.get_variable("h", [1], initializer=const_init(0.0))
            b = tf.Variable(1.0, name="b")
    assert g.name == "g:0"
    assert h.name == "vs/h:0"
    assert b.name == "ns/vs/b:0"


def test_default_name_scopes_are_uniquified():
    names = []
    for _ in range(3):
        with tf.variable_scope(None, default_name="dense"):
            names.append(tf.get_variable("kernel", [1], initializer=const_init(0.0)).name)
    assert names == ["dense/kernel:0", "dense_1/kernel:0", "dense_2/kernel:0"]
    with pytest.raises(TypeError, match="If default_name is None then name_or_scope is required"):
        with tf.variable_scope(None):
            pass


def test_scope_initializer_dtype_and_regularizer_defaults():
    def reg(w):
        return tf.reduce_sum(tf.multiply(w, w))
    with tf.variable_scope("s", initializer=const_init(3.0), dtype=tf.float64, regularizer=reg) as s:
        assert s.dtype == tf.float64
        w = tf.get_variable("w", [2])
        with tf.variable_scope("child"):
            u = tf.get_variable("u", [1], initializer=const_init(-1.0))  # explicit wins
    assert w.dtype == tf.float64_ref and u.dtype == tf.float64_ref
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert len(losses) == 2
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(w), [3.0, 3.0])
        np.testing.assert_array_equal(sess.run(u), [-1.0])
        assert sess.run(losses) == [pytest.approx(18.0), pytest.approx(1.0)]


def test_get_variable_initializer_values_and_tensors():
    a = tf.get_variable("a", initializer=np.arange(3.0, dtype=np.float32))
    b = tf.get_variable("b", initializer=tf.constant([[1, 2]]))
    c = tf.get_variable("c", initializer=np.arange(2.0))  # float64 value: float64 variable, as TF
    assert a.shape.as_list() == [3] and b.dtype == tf.int32_ref and c.dtype.base_dtype == tf.float64
    with pytest.raises(ValueError, match="If initializer is a constant, do not specify shape."):
        tf.get_variable("d", [3], initializer=tf.constant([1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match="If initializer is a constant, do not specify shape."):
        tf.get_variable("e", [2], initializer=np.zeros(2, np.float32))
    with pytest.raises(ValueError, match="Initializer type 'int32' and explicit dtype 'float32' don't match."):
        tf.get_variable("f", initializer=tf.constant([1, 2]), dtype=tf.float32)
    with pytest.raises(ValueError, match=r"Shape of a new variable \(g\) must be fully defined"):
        tf.get_variable("g", initializer=const_init(0.0))
    with pytest.raises(ValueError, match=r"Shape of a new variable \(h\) must be fully defined"):
        tf.get_variable("h", [None, 2], initializer=const_init(0.0))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(a), [0.0, 1.0, 2.0])
        np.testing.assert_array_equal(sess.run(b), [[1, 2]])


def test_get_variable_trainable_and_collections():
    with tf.variable_scope("s"):
        n = tf.get_variable("n", [1], initializer=const_init(0.0), trainable=False)
        m = tf.get_variable("m", [1], initializer=const_init(0.0), collections=["mine"])
    assert n in tf.global_variables() and n not in tf.trainable_variables()
    assert tf.get_collection("mine") == [m] and m in tf.trainable_variables()
    assert m not in tf.global_variables()


def test_custom_getter_wraps_creation():
    seen = []

    def getter(next_getter, name, *args, **kwargs):
        seen.append(name)
        return next_getter(name, *args, **kwargs)
    with tf.variable_scope("g", custom_getter=getter):
        v = tf.get_variable("v", [1], initializer=const_init(1.0))
    assert seen == ["g/v"] and v.name == "g/v:0"


def test_default_initializer_is_glorot_uniform():
    w = tf.get_variable("w", [20, 30])
    with tf.Session() as sess:
        sess.run(w.initializer)
        val = sess.run(w)
    limit = np.sqrt(6.0 / 50.0)
    assert np.all(np.abs(val) <= limit) and val.std() > limit / 4


def test_variable_scopes_are_per_graph():
    with tf.variable_scope("x"):
        tf.get_variable("v", [1], initializer=const_init(0.0))
    with tf.Graph().as_default():
        with tf.variable_scope("x"):
            v = tf.get_variable("v", [1], initializer=const_init(0.0))  # no clash in another graph
        assert v.name == "x/v:0"
    tf.reset_default_graph()
    with tf.variable_scope("x"):
        tf.get_variable("v", [1], initializer=const_init(0.0))  # reset clears the store


# -- placeholders ---------------------------------------------------------------------------
def test_placeholder():
    x = tf.placeholder(tf.float32, [None, 3], name="X")
    assert x.op.type == "Placeholder" and x.name == "X:0"
    assert tf.placeholder(tf.int32).shape.ndims is None
    assert tf.placeholder("float64", []).dtype == tf.float64
    assert tf.placeholder(tf.float32).name == "Placeholder_2:0"


# -- ordering ops ---------------------------------------------------------------------------
def test_control_dependencies_accept_variables():
    v = tf.Variable(1.0)
    with tf.control_dependencies([v]):
        c = tf.constant(2.0)
    assert c.op.control_inputs == [v.op]


def test_control_dependencies_order_updates():
    v = tf.Variable(0.0)
    inc = tf.assign_add(v, 1.0)
    with tf.control_dependencies([inc]):
        out = tf.add(tf.constant(0.0), 1.0)
    with tf.Session() as sess:
        sess.run(v.initializer)
        for _ in range(3):
            sess.run(out)
        assert sess.run(v) == 3.0


def test_group_no_op_identity():
    v = tf.Variable(0.0)
    w = tf.Variable(0.0)
    g = tf.group(tf.assign_add(v, 1.0), [tf.assign_add(w, 2.0)], name="step")
    assert g.name == "step" and g.type == "NoOp" and len(g.control_inputs) == 2
    assert tf.group().name == "group_deps"
    n = tf.no_op()
    assert n.name == "NoOp" and n.outputs == []
    i = tf.identity(v, name="same")
    assert i.op.type == "Identity" and i.name == "same:0"
    with pytest.raises(TypeError, match="Unknown keyword arguments"):
        tf.group(n, nmae="x")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(g) is None
        assert (sess.run(v), sess.run(w)) == (1.0, 2.0)
        assert sess.run(i) == 1.0
        assert sess.run(n) is None


def test_tuple_gates_all_tensors():
    v = tf.Variable(0.0)
    inc = tf.assign_add(v, 1.0)
    a, b = tf.tuple([tf.constant(1.0), tf.constant(2.0)], control_inputs=[inc])
    assert a.name == "tuple/control_dependency:0" and b.name == "tuple/control_dependency_1:0"
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(a) == 1.0 and sess.run(v) == 1.0  # fetching a ran the gate
        assert sess.run(b) == 2.0 and sess.run(v) == 2.0


def test_check_numerics():
    x = tf.placeholder(tf.float32, [None])
    y = tf.check_numerics(x, "x is bad")
    assert y.op.type == "CheckNumerics"
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(y, {x: [1.0, 2.0]}), [1.0, 2.0])
        with pytest.raises(tf.errors.InvalidArgumentError, match="x is bad : Tensor had NaN values"):
            sess.run(y, {x: [1.0, np.nan]})
        with pytest.raises(tf.errors.InvalidArgumentError, match="x is bad : Tensor had Inf values"):
            sess.run(y, {x: [np.inf, 1.0]})
        np.testing.assert_array_equal(sess.run(y, {x: [3.0]}), [3.0])


def test_stop_gradient():
    x = tf.placeholder(tf.float32, [2])
    s = tf.stop_gradient(x)
    assert s.op.type == "StopGradient"
    y = tf.reduce_sum(tf.multiply(s, x))
    g, = tf.gradients(y, [x])
    with tf.Session() as sess:
        val = [1.0, 3.0]
        np.testing.assert_array_equal(sess.run(s, {x: val}), val)
        np.testing.assert_allclose(sess.run(g, {x: val}), val)  # d(s*x)/dx with s constant = s
