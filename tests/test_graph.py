"""The graph model: default graphs, ops, tensors, names, scopes, collections, dtypes, shapes."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygraph as tf


# -- the default graph stack ------------------------------------------------------------
def test_default_graph_is_stable_and_reset_replaces_it():
    g = tf.get_default_graph()
    assert tf.get_default_graph() is g
    c = tf.constant(1.0)
    assert c.graph is g
    tf.reset_default_graph()
    g2 = tf.get_default_graph()
    assert g2 is not g
    assert g2.get_operations() == []
    assert tf.constant(1.0).name == "Const:0"  # names start over in the new graph


def test_as_default_nests_and_restores():
    outer = tf.get_default_graph()
    g1, g2 = tf.Graph(), tf.Graph()
    with g1.as_default() as entered:
        assert entered is g1
        assert tf.get_default_graph() is g1
        with g2.as_default():
            assert tf.get_default_graph() is g2
            assert tf.constant(2.0).graph is g2
        assert tf.get_default_graph() is g1
        assert tf.constant(1.0).graph is g1
    assert tf.get_default_graph() is outer
    assert len(g1.get_operations()) == 1 and len(g2.get_operations()) == 1
    assert outer.get_operations() == []


def test_as_default_restores_after_an_exception():
    g = tf.Graph()
    outer = tf.get_default_graph()
    with pytest.raises(KeyError):
        with g.as_default():
            raise KeyError("boom")
    assert tf.get_default_graph() is outer


def test_reset_default_graph_inside_as_default_raises_assertion_error():
    g = tf.Graph()
    with g.as_default():
        with pytest.raises(AssertionError, match="Do not use tf.reset_default_graph"):
            tf.reset_default_graph()
        assert tf.get_default_graph() is g
    tf.reset_default_graph()  # fine once the nesting is closed


def test_finalize_forbids_new_ops_but_graph_still_runs():
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [2])
        y = tf.add(x, x)
    g.finalize()
    assert g.finalized
    n = len(g.get_operations())
    with g.as_default():
        with pytest.raises(RuntimeError, match="^Graph is finalized and cannot be modified.$"):
            tf.constant(1.0)
        with pytest.raises(RuntimeError, match="Graph is finalized"):
            tf.add(x, 1.0)
    assert len(g.get_operations()) == n
    with tf.Session(graph=g) as sess:
        np.testing.assert_allclose(sess.run(y, {x: [1.0, 2.0]}), [2.0, 4.0])


# -- operations ---------------------------------------------------------------------
def test_operation_attributes():
    a = tf.placeholder(tf.float32, [None, 3], name="a")
    b = tf.constant(np.ones((3, 2), np.float32), name="b")
    with tf.device("/cpu:0"):
        m = tf.matmul(a, b)
    op = m.op
    assert op.type == "MatMul"
    assert op.name == "MatMul"
    assert op.inputs == [a, b]
    assert op.outputs == [m]
    assert op.values() == (m,)
    assert op.control_inputs == []
    assert op.device == "/cpu:0"
    assert op.graph is tf.get_default_graph()
    assert op.get_attr("transpose_a") is False
    assert a.op.get_attr("dtype") == tf.float32
    assert a.op.get_attr("shape").as_list() == [None, 3]
    with pytest.raises(ValueError, match="Operation 'MatMul' has no attr named 'nope'"):
        op.get_attr("nope")
    assert a.consumers() == [op]
    assert repr(op) == "<tf.Operation 'MatMul' type=MatMul>"


def test_control_inputs_recorded():
    a = tf.constant(1.0)
    n = tf.no_op(name="first")
    with tf.control_dependencies([n, a]):
        b = tf.identity(a)
        with tf.control_dependencies(None):  # clears the enclosing dependencies
            c = tf.identity(a)
    assert b.op.control_inputs == [n, a.op]
    assert c.op.control_inputs == []
    with pytest.raises(TypeError, match="Control input must be Operation or Tensor"):
        with tf.control_dependencies([3]):
            pass


def test_device_recorded_and_nested():
    with tf.device("/gpu:0"):
        a = tf.constant(1.0)
        with tf.device("/cpu:0"):
            b = tf.constant(1.0)
        c = tf.constant(1.0)
        with tf.device(None):
            d = tf.constant(1.0)
    e = tf.constant(1.0)
    assert (a.op.device, b.op.device, c.op.device, d.op.device, e.op.device) == \
        ("/gpu:0", "/cpu:0", "/gpu:0", "", "")
    assert a.device == "/gpu:0"


def test_graph_lookups():
    x = tf.placeholder(tf.float32, name="x")
    y = tf.add(x, x, name="y")
    g = tf.get_default_graph()
    assert g.get_operation_by_name("y") is y.op
    assert g.get_tensor_by_name("y:0") is y
    assert g.as_graph_element("y") is y.op
    assert g.get_operations() == [x.op, y.op]  # creation order
    with pytest.raises(KeyError, match="The name 'z' refers to an Operation not in the graph."):
        g.get_operation_by_name("z")
    with pytest.raises(KeyError, match="The operation, 'z', does not exist in the graph"):
        g.get_tensor_by_name("z:0")
    with pytest.raises(KeyError, match="exists but only has 1 outputs"):
        g.get_tensor_by_name("y:1")
    with pytest.raises(ValueError, match="refers to an Operation, not a Tensor"):
        g.get_tensor_by_name("y")
    other = tf.Graph()
    with pytest.raises(ValueError, match="is not an element of this graph"):
        other.as_graph_element(y)


# -- tensors ------------------------------------------------------------------------
def test_tensor_attributes():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    assert x.name == "x:0"
    assert x.op.name == "x"
    assert x.value_index == 0
    assert x.dtype == tf.float32
    assert x.graph is tf.get_default_graph()
    assert x.shape.as_list() == [None, 3]
    assert x.get_shape() is x.shape
    assert x.shape.ndims == 2
    assert x.shape[0].value is None and x.shape[1].value == 3
    assert str(x) == 'Tensor("x:0", shape=(?, 3), dtype=float32)'
    assert repr(x) == "<tf.Tensor 'x:0' shape=(?, 3) dtype=float32>"
    u = tf.placeholder(tf.int32)
    assert u.shape.ndims is None
    assert str(u.shape) == "<unknown>"


def test_tensor_set_shape_refines_and_rejects_clashes():
    x = tf.placeholder(tf.float32, [None, 3])
    x.set_shape([4, None])
    assert x.shape.as_list() == [4, 3]
    with pytest.raises(ValueError, match=r"\(4, 3\).*\(4, 5\)"):
        x.set_shape([4, 5])
    assert x.shape.as_list() == [4, 3]
    u = tf.placeholder(tf.float32)
    u.set_shape([2, None])
    assert u.shape.as_list() == [2, None]


def test_tensor_eval_uses_default_session():
    x = tf.placeholder(tf.float32, [2])
    y = tf.add(x, 1.0)
    with tf.Session():
        np.testing.assert_allclose(y.eval(feed_dict={x: [1.0, 2.0]}), [2.0, 3.0])
    other = tf.Session()
    np.testing.assert_allclose(y.eval({x: [0.0, 0.0]}, session=other), [1.0, 1.0])


def test_tensor_is_not_a_python_bool_and_iterates_on_known_dim():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(TypeError, match="Using a `tf.Tensor` as a Python `bool` is not allowed."):
        bool(x)
    assert len(x) == 2
    with pytest.raises(TypeError, match="only iterable when the first dimension is known"):
        iter(tf.placeholder(tf.float32, [None, 2])).__next__()
    assert x == x and x != tf.constant(1.0)  # identity semantics, hashable
    assert len({x, x}) == 1


# -- unique names ------------------------------------------------------------------
def test_unique_op_names():
    a, b = tf.constant(np.eye(2, dtype=np.float32)), tf.constant(np.eye(2, dtype=np.float32))
    m1, m2, m3 = tf.matmul(a, b), tf.matmul(a, b), tf.matmul(a, b)
    assert [m.op.name for m in (m1, m2, m3)] == ["MatMul", "MatMul_1", "MatMul_2"]
    assert m2.name == "MatMul_1:0"
    assert a.name == "Const:0" and b.name == "Const_1:0"


def test_unique_names_are_case_insensitive_like_tf():
    a = tf.constant(np.eye(2, dtype=np.float32))
    tf.matmul(a, a)
    tf.matmul(a, a)
    # "matmul" clashes with "MatMul" (TF compares lower-cased names) and keeps its spelling
    assert tf.constant(1.0, name="matmul").op.name == "matmul_2"
    assert tf.constant(1.0, name="MATMUL").op.name == "MATMUL_3"


def test_explicit_suffixed_name_is_not_reused():
    tf.constant(1.0, name="foo")
    assert tf.constant(1.0, name="foo").op.name == "foo_1"
    # asking for "foo_1" explicitly must not clash with the generated one
    assert tf.constant(1.0, name="foo_1").op.name == "foo_1_1"
    assert tf.constant(1.0, name="foo").op.name == "foo_2"


def test_invalid_op_name_raises():
    with pytest.raises(ValueError, match="is not a valid"):
        tf.constant(1.0, name="bad name!")


# -- name scopes -------------------------------------------------------------------
def test_name_scope_nesting_and_reuse():
    with tf.name_scope("foo") as scope:
        assert scope == "foo/"
        assert tf.constant(1.0).name == "foo/Const:0"
        with tf.name_scope("bar") as inner:
            assert inner == "foo/bar/"
            assert tf.constant(1.0).name == "foo/bar/Const:0"
        assert tf.get_default_graph().get_name_scope() == "foo"
    assert tf.get_default_graph().get_name_scope() == ""
    with tf.name_scope("foo") as again:
        assert again == "foo_1/"  # a used scope name is made unique
        assert tf.constant(1.0).name == "foo_1/Const:0"


def test_name_scope_with_trailing_slash_reenters_exactly():
    with tf.name_scope("foo") as scope:
        tf.constant(1.0)
    with tf.name_scope(scope) as again:
        assert again == "foo/"
        assert tf.constant(1.0).name == "foo/Const_1:0"
    with tf.name_scope("a/b/") as deep:
        assert deep == "a/b/"
        assert tf.constant(1.0).name == "a/b/Const:0"


def test_name_scope_none_or_empty_resets_to_root():
    with tf.name_scope("foo"):
        with tf.name_scope(None) as root:
            assert root == ""
            assert tf.constant(1.0).name == "Const:0"
        with tf.name_scope("") as root2:
            assert root2 == ""
        assert tf.constant(1.0).name == "foo/Const:0"


def test_name_scope_default_name_and_values():
    with tf.name_scope(None, "default") as s:
        assert s == "default/"
    with tf.name_scope(None, "default") as s:
        assert s == "default_1/"
    g = tf.Graph()
    with g.as_default():
        t = tf.constant(1.0)
    with tf.name_scope("in_g", values=[t]):  # opened in the graph of `values`
        assert g.get_name_scope() == "in_g"
        assert tf.get_default_graph().get_name_scope() == ""


def test_name_scope_and_op_names_share_the_name_table():
    tf.constant(1.0, name="layer")
    with tf.name_scope("layer") as s:
        assert s == "layer_1/"


def test_invalid_scope_name_raises():
    with pytest.raises(ValueError, match="is not a valid scope name"):
        with tf.name_scope("bad name!"):
            pass


# -- collections -----------------------------------------------------------------------
def test_collections():
    a = tf.constant(1.0, name="a")
    with tf.name_scope("s"):
        b = tf.constant(2.0, name="b")
    tf.add_to_collection("mine", a)
    tf.add_to_collection("mine", b)
    tf.add_to_collection("mine", 42)  # items without a name are kept, not filtered
    tf.add_to_collections(["x", "y"], a)
    assert tf.get_collection("mine") == [a, b, 42]
    assert tf.get_collection("mine", scope="s") == [b]
    assert tf.get_collection("mine", scope="a") == [a]
    assert tf.get_collection("nothing") == []
    got = tf.get_collection("mine")
    got.append("not stored")  # get_collection returns a copy
    assert len(tf.get_collection("mine")) == 3
    ref = tf.get_collection_ref("mine")
    ref.append("stored")  # get_collection_ref returns the list itself
    assert tf.get_collection("mine")[-1] == "stored"
    assert tf.get_collection("x") == [a] and tf.get_collection("y") == [a]
    g = tf.get_default_graph()
    assert set(g.get_all_collection_keys()) >= {"mine", "x", "y"}
    g.clear_collection("x")
    assert tf.get_collection("x") == []


def test_collections_are_per_graph():
    tf.add_to_collection("k", 1)
    with tf.Graph().as_default():
        assert tf.get_collection("k") == []
        tf.add_to_collection("k", 2)
        assert tf.get_collection("k") == [2]
    assert tf.get_collection("k") == [1]
    assert tf.GraphKeys.GLOBAL_VARIABLES == "variables"
    assert tf.GraphKeys.TRAINABLE_VARIABLES == "trainable_variables"


# -- dtypes ------------------------------------------------------------------------
@pytest.mark.parametrize("name, np_type, floating, integer", [
    ("float16", np.float16, True, False), ("float32", np.float32, True, False),
    ("float64", np.float64, True, False), ("int8", np.int8, False, True),
    ("int16", np.int16, False, True), ("int32", np.int32, False, True),
    ("int64", np.int64, False, True), ("uint8", np.uint8, False, True),
    ("bool", np.bool_, False, False)])
def test_dtypes(name, np_type, floating, integer):
    dt = getattr(tf, name)
    assert dt.name == name
    assert dt.as_numpy_dtype is np_type
    assert dt.is_floating is floating
    assert dt.is_integer is integer
    assert dt.is_bool is (name == "bool")
    assert dt.is_unsigned is (name == "uint8")
    assert dt.size == np.dtype(np_type).itemsize
    assert dt.base_dtype is dt
    assert tf.as_dtype(name) is dt
    assert tf.as_dtype(np_type) is dt
    assert tf.as_dtype(np.dtype(np_type)) is dt
    assert tf.as_dtype(dt) is dt
    assert dt == name and dt == np_type and dt != None  # noqa: E711 - TF compares with None
    assert repr(dt) == "tf." + name


def test_as_dtype_aliases_and_python_types():
    assert tf.as_dtype("float") is tf.float32
    assert tf.as_dtype("double") is tf.float64 and tf.double is tf.float64
    assert tf.as_dtype("half") is tf.float16 and tf.half is tf.float16
    assert tf.as_dtype(float) is tf.float32  # TF maps Python float to float32
    assert tf.as_dtype(bool) is tf.bool
    assert tf.as_dtype(np.array([1.0]).dtype) is tf.float64
    assert tf.as_dtype(np.str_) is tf.string
    with pytest.raises(TypeError):
        tf.as_dtype("complex999")
    with pytest.raises(TypeError):
        tf.as_dtype(object())


def test_dtype_limits():
    assert tf.int32.min == -2 ** 31 and tf.int32.max == 2 ** 31 - 1
    assert tf.uint8.min == 0 and tf.uint8.max == 255
    assert tf.float32.max == np.finfo(np.float32).max


def test_constant_dtypes_follow_tf():
    assert tf.constant(1.0).dtype == tf.float32
    assert tf.constant(1).dtype == tf.int32
    assert tf.constant(True).dtype == tf.bool
    assert tf.constant(np.float64(1.0)).dtype == tf.float64
    assert tf.constant(np.arange(3)).dtype == tf.int64
    assert tf.constant([1, 2], dtype=tf.float16).dtype == tf.float16


# -- TensorShape ------------------------------------------------------------------------
def test_tensor_shape_basics():
    s = tf.TensorShape([None, 3])
    assert s.as_list() == [None, 3]
    assert s.ndims == 2
    assert str(s) == "(?, 3)"
    assert repr(s) == "TensorShape([Dimension(None), Dimension(3)])"
    assert str(tf.TensorShape([5])) == "(5,)"
    assert str(tf.TensorShape([])) == "()"
    assert s[1].value == 3 and s[0].value is None
    assert str(s[0]) == "?"
    assert s[1:].as_list() == [3]
    assert int(s[1]) == 3
    assert len(s) == 2
    assert [d.value for d in s] == [None, 3]
    assert not s.is_fully_defined()
    assert s.num_elements() is None
    assert tf.TensorShape([2, 3]).num_elements() == 6
    assert tf.TensorShape([2, 3]) == [2, 3]
    assert tf.TensorShape([2, 3]).as_bracket_str() == "[2,3]"
    assert s.as_bracket_str() == "[?,3]"


def test_tensor_shape_unknown_rank():
    u = tf.TensorShape(None)
    assert u.ndims is None
    assert str(u) == "<unknown>"
    assert u[0].value is None
    assert u[1:].ndims is None
    with pytest.raises(ValueError, match="as_list\\(\\) is not defined on an unknown TensorShape."):
        u.as_list()
    assert u.is_compatible_with([1, 2, 3])
    assert u.merge_with([1, None]).as_list() == [1, None]
    assert not u.is_fully_defined()


def test_tensor_shape_compatibility_and_merge():
    s = tf.TensorShape([None, 3])
    assert s.is_compatible_with([4, 3])
    assert s.is_compatible_with([None, None])
    assert not s.is_compatible_with([4, 2])
    assert not s.is_compatible_with([4, 3, 1])
    assert s.merge_with([4, None]).as_list() == [4, 3]
    with pytest.raises(ValueError, match=r"^Shapes \(\?, 3\) and \(4, 2\) are not compatible$"):
        s.merge_with([4, 2])
    with pytest.raises(ValueError):
        s.assert_is_compatible_with([1])
    assert s.with_rank(2) is s
    with pytest.raises(ValueError, match="must have rank 3"):
        s.with_rank(3)
    assert tf.TensorShape([1]).concatenate([2, None]).as_list() == [1, 2, None]


def test_dimension_compares_like_tf():
    assert tf.Dimension(3) == 3
    assert (tf.Dimension(None) == 3) is None  # unknown: neither equal nor unequal
    assert str(tf.Dimension(None)) == "?"
    with pytest.raises(TypeError):
        int(tf.Dimension(None))


_dims = st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=0, max_size=4)


@given(_dims, _dims)
def test_merge_is_compatible_with_both(a, b):
    sa, sb = tf.TensorShape(a), tf.TensorShape(b)
    assert sa.is_compatible_with(sb) == sb.is_compatible_with(sa)
    if sa.is_compatible_with(sb):
        m = sa.merge_with(sb)
        assert m.is_compatible_with(sa) and m.is_compatible_with(sb)
        assert m.as_list() == sb.merge_with(sa).as_list()
        # merging never loses information
        assert all(x is not None for x, y in zip(m.as_list(), a) if y is not None)
    else:
        with pytest.raises(ValueError):
            sa.merge_with(sb)


@given(st.lists(st.integers(1, 4), min_size=0, max_size=4))
def test_fully_defined_shape_accepts_only_itself(dims):
    s = tf.TensorShape(dims)
    assert s.is_fully_defined()
    assert s.is_compatible_with(dims)
    assert s.num_elements() == int(np.prod(dims))
    if dims:
        bigger = list(dims)
        bigger[0] += 1
        assert not s.is_compatible_with(bigger)
