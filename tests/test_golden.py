"""Every golden case computed by real TensorFlow 1.x graph mode must match tinygraph.

tests/golden/ holds copies of the reference cases: cases/NAME.py (a TF1 program
with build(tf)), NAME.npz (variables, feeds, fetches, loss, gradients, training)
and NAME.json (names, shapes, tolerances). For each case we build the program,
check the trainable variables' names and shapes, load TF's values by name, then
compare fetches, loss, gradients and (where present) three optimizer steps.
"""
import importlib.util
import json
import os

import numpy as np
import pytest

import tinygraph as tf

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden")
CASES = sorted(f[:-5] for f in os.listdir(HERE) if f.endswith(".json"))


def load_case(name):
    spec = importlib.util.spec_from_file_location("golden_case_" + name,
                                                  os.path.join(HERE, "cases", name + ".py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    with open(os.path.join(HERE, name + ".json")) as f:
        meta = json.load(f)
    return mod, meta, np.load(os.path.join(HERE, name + ".npz"))


def assert_close(got, want, tol, label):
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    if got.shape != want.shape and got.size == want.size == 1:
        got = got.reshape(want.shape)
    assert got.shape == want.shape, "%s: shape %s != golden %s" % (label, got.shape, want.shape)
    err = np.abs(got - want)
    lim = tol["atol"] + tol["rtol"] * np.abs(want)
    assert np.all(err <= lim), "%s: max abs error %.3g (rtol %g, atol %g)" % (
        label, err.max(), tol["rtol"], tol["atol"])


def build(mod):
    tf.reset_default_graph()
    spec = mod.build(tf)
    variables = tf.trainable_variables()
    return spec, variables


@pytest.mark.parametrize("name", CASES)
def test_variable_names_and_shapes_match_tensorflow(name):
    mod, meta, _ = load_case(name)
    _, variables = build(mod)
    got = [(v.name, tuple(v.shape.as_list())) for v in variables]
    want = [(v["name"], tuple(v["shape"])) for v in meta["variables"]]
    assert got == want


@pytest.mark.parametrize("name", CASES)
def test_forward_loss_and_gradients_match_tensorflow(name):
    mod, meta, gold = load_case(name)
    spec, variables = build(mod)
    tol = meta["tolerances"]
    loss = spec["loss"]
    grad_wrt = list(spec.get("grad_wrt") or [])
    grads = tf.gradients(loss, variables + grad_wrt)
    fetch_names = [f["name"] for f in meta["fetches"]]
    feed = {ph: val for ph, val in spec["feeds"].items()}
    for gf, (ph, val) in zip(meta["feeds"], spec["feeds"].items()):
        np.testing.assert_array_equal(val, gold["feed/" + gf["name"]])
    none_grads = set(meta.get("none_grads", []))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for v in variables:
            v.load(gold["var/" + v.name], sess)
        fetches = [spec["fetches"][k] for k in fetch_names]
        out = sess.run([fetches, loss, [g for g in grads if g is not None]], feed_dict=feed)
    for k, got in zip(fetch_names, out[0]):
        assert_close(got, gold["fetch/" + k], tol["forward"], "fetch " + k)
    assert_close(out[1], gold["loss"], tol["loss"], "loss")
    grad_values = iter(out[2])
    labels = [v.name for v in variables] + meta["grad_wrt"]
    for label, g in zip(labels, grads):
        if label in none_grads:
            assert g is None
            continue
        assert g is not None, "no gradient for " + label
        assert_close(next(grad_values), gold["grad/" + label], tol["grad"], "grad " + label)


@pytest.mark.parametrize("name", [c for c in CASES if load_case(c)[1].get("train_steps")])
def test_training_steps_match_tensorflow(name):
    mod, meta, gold = load_case(name)
    spec, variables = build(mod)
    factory, steps = spec["train_op_steps"]
    train_op = factory().minimize(spec["loss"])
    feed = dict(spec["feeds"])
    losses = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for v in variables:
            v.load(gold["var/" + v.name], sess)
        for _ in range(steps):
            lv, _ = sess.run([spec["loss"], train_op], feed_dict=feed)
            losses.append(lv)
        after = sess.run(variables)
    assert_close(losses, gold["train_loss"], meta["tolerances"]["train_loss"], "train_loss")
    for v, val in zip(variables, after):
        assert_close(val, gold["after/" + v.name], meta["tolerances"]["after"], "after " + v.name)
