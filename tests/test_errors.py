"""tf.errors and failure modes: each error has TF's type and message, and leaves the
session and graph usable (a valid run works again, variables keep their values)."""
import numpy as np
import pytest

import tinygraph as tf

ERRORS = [  # (class name, TF error code)
    ("CancelledError", 1), ("UnknownError", 2), ("InvalidArgumentError", 3),
    ("DeadlineExceededError", 4), ("NotFoundError", 5), ("AlreadyExistsError", 6),
    ("PermissionDeniedError", 7), ("ResourceExhaustedError", 8), ("FailedPreconditionError", 9),
    ("AbortedError", 10), ("OutOfRangeError", 11), ("UnimplementedError", 12),
    ("InternalError", 13), ("UnavailableError", 14), ("DataLossError", 15),
    ("UnauthenticatedError", 16)]


# -- the classes ------------------------------------------------------------------------
@pytest.mark.parametrize("name, code", ERRORS)
def test_error_classes(name, code):
    cls = getattr(tf.errors, name)
    assert issubclass(cls, tf.errors.OpError) and issubclass(cls, Exception)
    assert cls.error_code == code
    op = tf.no_op(name="culprit")
    e = cls(None, op, "it broke")
    assert e.op is op and e.node_def is None
    assert e.message == "it broke" and str(e) == "it broke"
    assert e.error_code == code
    with pytest.raises(tf.errors.OpError, match="^it broke$"):
        raise e
    assert cls(message="m").op is None  # the arguments have defaults


def test_error_code_constants():
    codes = {n: c for n, c in ERRORS}
    assert tf.errors.OK == 0
    assert tf.errors.INVALID_ARGUMENT == codes["InvalidArgumentError"]
    assert tf.errors.NOT_FOUND == codes["NotFoundError"]
    assert tf.errors.FAILED_PRECONDITION == codes["FailedPreconditionError"]
    assert tf.errors.OUT_OF_RANGE == codes["OutOfRangeError"]
    assert tf.errors.RESOURCE_EXHAUSTED == codes["ResourceExhaustedError"]
    assert tf.errors.UNAUTHENTICATED == 16


def test_op_error_base():
    e = tf.errors.OpError(None, None, "generic", tf.errors.INTERNAL)
    assert e.error_code == tf.errors.INTERNAL and e.message == "generic"
    assert tf.errors.OpError(None, None, "x").error_code == tf.errors.UNKNOWN


# -- a model to break -------------------------------------------------------------------
@pytest.fixture
def model():
    """X [?,3] -> X @ W, W initialized to ones; returns (sess, X, out, W)."""
    x = tf.placeholder(tf.float32, [None, 3])
    w = tf.Variable(np.ones((3, 2), np.float32), name="W")
    out = tf.matmul(x, w)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    sess.run(w.assign(np.full((3, 2), 2.0, np.float32)))
    yield sess, x, out, w
    sess.close()


def assert_still_works(sess, x, out, w):
    """A valid run gives the right numbers and W kept the value it had."""
    got = sess.run(out, {x: np.ones((2, 3), np.float32)})
    np.testing.assert_allclose(got, np.full((2, 2), 6.0))
    np.testing.assert_array_equal(sess.run(w), np.full((3, 2), 2.0))


def test_feed_of_wrong_shape(model):
    sess, x, out, w = model
    with pytest.raises(ValueError) as info:
        sess.run(out, {x: np.ones((4, 2))})
    assert str(info.value) == ("Cannot feed value of shape (4, 2) for Tensor 'Placeholder:0', "
                               "which has shape '(?, 3)'")
    with pytest.raises(ValueError, match=r"Cannot feed value of shape \(3,\)"):
        sess.run(out, {x: [1.0, 2.0, 3.0]})
    assert_still_works(sess, x, out, w)


def test_feed_of_uncastable_dtype(model):
    sess, x, out, w = model
    with pytest.raises(ValueError, match="could not convert string to float: 'abc'"):
        sess.run(out, {x: [["abc", "d", "e"]]})
    with pytest.raises(ValueError, match="Placeholder:0"):
        sess.run(out, {x: "abc"})
    assert_still_works(sess, x, out, w)


def test_feed_of_ragged_nested_list(model):
    sess, x, out, w = model
    with pytest.raises(ValueError, match="setting an array element with a sequence"):
        sess.run(out, {x: [[1.0, 2.0, 3.0], [1.0, 2.0]]})
    assert_still_works(sess, x, out, w)


def test_feed_of_a_tensor_value(model):
    sess, x, out, w = model
    with pytest.raises(TypeError, match="The value of a feed cannot be a tf.Tensor object."):
        sess.run(out, {x: out})
    assert_still_works(sess, x, out, w)


def test_missing_feed(model):
    sess, x, out, w = model
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        sess.run(out)
    e = info.value
    assert e.message.startswith("You must feed a value for placeholder tensor 'Placeholder' with "
                                "dtype float and shape [?,3]")
    assert e.op is x.op and e.error_code == tf.errors.INVALID_ARGUMENT
    unshaped = tf.placeholder(tf.float64, name="free")
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"^You must feed a value for placeholder tensor 'free' with dtype double\n"):
        sess.run(unshaped)
    assert_still_works(sess, x, out, w)


def test_tensor_or_op_of_another_graph(model):
    sess, x, out, w = model
    other = tf.Graph()
    with other.as_default():
        foreign = tf.constant(1.0)
    with pytest.raises(ValueError, match=r"^Fetch argument <tf.Tensor 'Const:0' shape=\(\) dtype=float32> "
                       r"cannot be interpreted as a Tensor. \(Tensor Tensor\(\"Const:0\", shape=\(\), "
                       r"dtype=float32\) is not an element of this graph.\)$"):
        sess.run(foreign)
    with pytest.raises(ValueError, match="is not an element of this graph"):
        sess.run(foreign.op)
    with pytest.raises(ValueError, match="is not an element of this graph"):
        sess.run([out, foreign], {x: np.ones((1, 3))})
    with pytest.raises(TypeError, match="Cannot interpret feed_dict key as Tensor: Tensor .* is not an "
                       "element of this graph."):
        sess.run(out, {foreign: 1.0})
    with pytest.raises(ValueError, match="must be from the same graph"):
        tf.add(foreign, 1.0 + tf.constant(1.0))
    assert_still_works(sess, x, out, w)


def test_unknown_names(model):
    sess, x, out, w = model
    with pytest.raises(ValueError) as info:
        sess.run("nope:0")
    assert str(info.value) == ("Fetch argument 'nope:0' cannot be interpreted as a Tensor. (The name "
                               "'nope:0' refers to a Tensor which does not exist. The operation, 'nope', "
                               "does not exist in the graph.)")
    with pytest.raises(ValueError, match="The name 'nope' refers to an Operation not in the graph."):
        sess.run("nope")
    with pytest.raises(ValueError, match="only has 1 outputs"):
        sess.run("W:3")
    with pytest.raises(TypeError, match="Cannot interpret feed_dict key as Tensor"):
        sess.run(out, {"nope:0": 1.0})
    assert_still_works(sess, x, out, w)


def test_closed_session(model):
    sess, x, out, w = model
    sess.close()
    with pytest.raises(RuntimeError, match="^Attempted to use a closed Session.$"):
        sess.run(out, {x: np.ones((1, 3))})
    with pytest.raises(RuntimeError, match="^Attempted to use a closed Session.$"):
        sess.run(w)
    fresh = tf.Session()  # the graph is fine: a new session runs it
    fresh.run(w.initializer)
    np.testing.assert_allclose(fresh.run(out, {x: np.ones((1, 3))}), [[3.0, 3.0]])


def test_uninitialized_variable(model):
    sess, x, out, w = model
    late = tf.Variable(5.0, name="late")
    y = tf.add(late, 1.0)
    with pytest.raises(tf.errors.FailedPreconditionError) as info:
        sess.run(y)
    e = info.value
    assert e.message.startswith("Attempting to use uninitialized value late")
    assert e.op is late.op and e.error_code == tf.errors.FAILED_PRECONDITION
    with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value late"):
        sess.run(tf.assign_add(late, 1.0))
    with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value late"):
        sess.run(late)
    assert_still_works(sess, x, out, w)
    sess.run(late.initializer)
    assert sess.run(y) == 6.0


def test_finalized_graph(model):
    sess, x, out, w = model
    tf.get_default_graph().finalize()
    with pytest.raises(RuntimeError, match="^Graph is finalized and cannot be modified.$"):
        tf.add(out, 1.0)
    with pytest.raises(RuntimeError, match="Graph is finalized"):
        w.assign(np.zeros((3, 2), np.float32))
    with pytest.raises(RuntimeError, match="Graph is finalized"):
        tf.Variable(1.0)
    w.load(np.full((3, 2), 2.0, np.float32), sess)  # load adds no op: allowed
    assert_still_works(sess, x, out, w)


def test_runtime_shape_clash_names_the_op(model):
    sess, x, out, w = model
    a = tf.placeholder(tf.float32, name="a")
    b = tf.placeholder(tf.float32, name="b")
    prod = tf.matmul(a, b, name="bad_matmul")
    assert prod.shape.ndims is None  # nothing is known until run time
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        sess.run(prod, {a: np.ones((4, 3)), b: np.ones((2, 5))})
    e = info.value
    assert e.op is prod.op
    assert "bad_matmul" in e.message and "[4, 3]" in e.message and "[2, 5]" in e.message
    total = tf.add(a, b, name="bad_add")
    with pytest.raises(tf.errors.InvalidArgumentError, match="bad_add"):
        sess.run(total, {a: np.ones((4, 3)), b: np.ones((2, 5))})
    np.testing.assert_allclose(sess.run(prod, {a: np.ones((4, 3)), b: np.ones((3, 5))}), np.full((4, 5), 3.0))
    assert_still_works(sess, x, out, w)


def test_error_inside_a_run_does_not_apply_later_updates(model):
    sess, x, out, w = model
    bad = tf.check_numerics(x, "bad input")
    with tf.control_dependencies([bad]):
        upd = tf.assign(w, np.zeros((3, 2), np.float32))
    with pytest.raises(tf.errors.InvalidArgumentError, match="bad input : Tensor had NaN values"):
        sess.run(upd, {x: [[np.nan, 0.0, 0.0]]})
    assert_still_works(sess, x, out, w)  # W was not overwritten


def test_out_of_memory_is_resource_exhausted(model):
    sess, x, out, w = model
    dims = tf.placeholder(tf.int32, [2])
    huge = tf.fill(dims, 1.0)
    with pytest.raises(tf.errors.ResourceExhaustedError, match="OOM when running"):
        sess.run(huge, {dims: [2 ** 30, 2 ** 22]})  # 16 PiB: the allocation fails at once
    np.testing.assert_array_equal(sess.run(huge, {dims: [1, 2]}), [[1.0, 1.0]])
    assert_still_works(sess, x, out, w)


def test_eval_and_run_without_default_session():
    c = tf.constant(1.0)
    with pytest.raises(ValueError, match=r"^Cannot evaluate tensor using `eval\(\)`: No default session "
                       r"is registered\. Use `with sess.as_default\(\)` or pass an explicit session to "
                       r"`eval\(session=sess\)`$"):
        c.eval()
    with pytest.raises(ValueError, match=r"Cannot execute operation using `run\(\)`: No default session"):
        tf.no_op().run()
    v = tf.Variable(1.0)
    with pytest.raises(ValueError, match="No default session is registered"):
        v.eval()
    with pytest.raises(ValueError, match="No default session is registered"):
        v.load(2.0)
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert c.eval() == 1.0 and v.eval() == 1.0


def test_eval_in_a_session_of_another_graph():
    c = tf.constant(1.0)
    with tf.Session(graph=tf.Graph()):
        with pytest.raises(ValueError, match="the tensor's graph is different from the session's graph"):
            c.eval()


def test_static_shape_errors_happen_at_build_time():
    a = tf.placeholder(tf.float32, [4, 3])
    b = tf.placeholder(tf.float32, [2, 5])
    n = len(tf.get_default_graph().get_operations())
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 3 and 2"):
        tf.matmul(a, b)
    assert len(tf.get_default_graph().get_operations()) == n  # nothing half-built was added
