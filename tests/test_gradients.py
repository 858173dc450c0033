"""tf.gradients itself: the reverse walk, its naming, aggregation, stops and registry."""
import numpy as np
import pytest

import tinygraph as tf
from tinygraph.framework import registry


def run(*fetches, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(list(fetches), feed)


def test_gradient_ops_live_under_gradients_op_grad_scopes():
    x = tf.placeholder(tf.float32, [2], name="x")
    y = tf.tanh(x, name="act")
    g = tf.gradients(y, x)[0]
    assert g.name.startswith("gradients/act_grad/")
    g2 = tf.gradients(y, x, name="mygrads")[0]
    assert g2.name.startswith("mygrads/act_grad/")
    assert all(op.name.startswith(("gradients/", "mygrads/")) for op in tf.get_default_graph().get_operations()
               if op._id > y.op._id)


def test_several_incoming_gradients_are_summed_with_one_add_n():
    x = tf.placeholder(tf.float32, [3])
    y = tf.sin(x) + tf.cos(x) + x * x
    g = tf.gradients(y, x)[0]
    assert g.op.type == "AddN" and len(g.op.inputs) == 4  # sin, cos, and x twice in x * x
    xv = np.array([0.1, 0.5, 1.0], np.float32)
    np.testing.assert_allclose(run(g, feed={x: xv})[0], np.cos(xv) - np.sin(xv) + 2 * xv, rtol=1e-6)


def test_unconnected_xs_get_none_or_zeros():
    x = tf.placeholder(tf.float32, [2])
    z = tf.placeholder(tf.float32, [2])
    y = x * 2.0
    assert tf.gradients(y, [x, z])[1] is None
    gz = tf.gradients(y, [x, z], unconnected_gradients="zero")[1]
    np.testing.assert_array_equal(run(gz, feed={z: [1.0, 1.0]})[0], [0.0, 0.0])


def test_stop_gradient_and_stop_gradients():
    x = tf.placeholder(tf.float32, [])
    a = x * x
    y = tf.stop_gradient(a) + a * 3.0
    g = tf.gradients(y, x)[0]
    assert run(g, feed={x: 2.0})[0] == pytest.approx(12.0)  # only 3 * d(x^2)/dx
    b = x * 3.0
    c = b * x
    g2 = tf.gradients(c, x, stop_gradients=[b])[0]  # b treated as a constant: d/dx (b * x) = b
    assert run(g2, feed={x: 2.0})[0] == pytest.approx(6.0)


def test_integer_tensors_get_no_gradient():
    i = tf.placeholder(tf.int32, [])
    x = tf.placeholder(tf.float32, [])
    y = tf.cast(i, tf.float32) * x
    gi, gx = tf.gradients(y, [i, x])
    assert gi is None
    assert run(gx, feed={i: 3, x: 1.0})[0] == 3.0
    assert tf.gradients(i * 2, i) == [None]


def test_grad_ys_weights_the_output_and_must_match_ys():
    x = tf.placeholder(tf.float32, [2])
    y = x * x
    g = tf.gradients(y, x, grad_ys=tf.constant([1.0, 10.0]))[0]
    np.testing.assert_allclose(run(g, feed={x: [1.0, 2.0]})[0], [2.0, 40.0])
    with pytest.raises(ValueError, match="grad_ys"):
        tf.gradients([y, y], x, grad_ys=[tf.ones([2])])


def test_gradients_of_gradients_and_hessians():
    x = tf.placeholder(tf.float64, [])
    y = x * x * x
    g = tf.gradients(y, x)[0]
    gg = tf.gradients(g, x)[0]
    assert run(g, gg, feed={x: 2.0}) == pytest.approx([12.0, 12.0])
    v = tf.placeholder(tf.float64, [2])
    h = tf.hessians(tf.reduce_sum(v * v * v), v)[0]
    np.testing.assert_allclose(run(h, feed={v: [1.0, 2.0]})[0], [[6.0, 0.0], [0.0, 12.0]])


def test_variables_as_xs():
    w = tf.Variable([1.0, 2.0], name="w")
    y = tf.reduce_sum(w * w)
    g = tf.gradients(y, w)[0]
    np.testing.assert_array_equal(run(g)[0], [2.0, 4.0])


def test_gather_gradient_is_indexed_slices_and_densifies_with_accumulation():
    params = tf.Variable(np.arange(8.0).reshape(4, 2), name="table")
    ids = tf.constant([0, 2, 0])
    y = tf.reduce_sum(tf.gather(params, ids))
    g = tf.gradients(y, params)[0]
    assert isinstance(g, tf.IndexedSlices)
    dense = tf.convert_to_tensor(g)
    np.testing.assert_array_equal(run(dense)[0], [[2, 2], [0, 0], [1, 1], [0, 0]])


def test_a_missing_gradient_is_a_lookup_error_naming_the_op_type():
    from tinygraph.framework.registry import register_op
    if "TestOnlyNoGrad" not in registry.registered_ops():
        register_op("TestOnlyNoGrad", infer=lambda attrs, x: [(x.dtype, x.shape)])(lambda xp, attrs, x: x)
    x = tf.placeholder(tf.float32, [])
    y = tf.get_default_graph().create_op("TestOnlyNoGrad", [x], {}, "nograd").outputs[0]
    with pytest.raises(LookupError, match="TestOnlyNoGrad"):
        tf.gradients(y * 2.0, x)


def test_register_gradient_and_gradient_override_map():
    if registry.gradient_of_type("TestOnlyDoubleGrad") is None:
        @tf.RegisterGradient("TestOnlyDoubleGrad")
        def _double(op, grad):
            return [grad * 2.0]
    with pytest.raises(KeyError, match="Registering two gradient"):
        tf.RegisterGradient("TestOnlyDoubleGrad")(lambda op, grad: [grad])
    x = tf.placeholder(tf.float32, [])
    g = tf.get_default_graph()
    with g.gradient_override_map({"Identity": "TestOnlyDoubleGrad"}):
        y = tf.identity(x)
    assert run(tf.gradients(y, x)[0], feed={x: 1.0})[0] == 2.0
    z = tf.identity(x)  # outside the map: the ordinary Identity gradient
    assert run(tf.gradients(z, x)[0], feed={x: 1.0})[0] == 1.0


def test_not_differentiable_ops_pass_no_gradient():
    x = tf.placeholder(tf.float32, [3])
    y = tf.cast(tf.argmax(x), tf.float32) + tf.reduce_sum(x)
    g = tf.gradients(y, x)[0]
    np.testing.assert_array_equal(run(g, feed={x: [1.0, 3.0, 2.0]})[0], [1.0, 1.0, 1.0])
