"""Cross-check: TensorFlow itself imports a `.meta` that tinygraph wrote (run by hand, not by CI).

    PYTHONPATH=. python3 tests/golden/tf_meta_graph/check_tinygraph_meta_in_tf.py write /tmp/tg
    /work/tf-venv/bin/python tests/golden/tf_meta_graph/check_tinygraph_meta_in_tf.py read /tmp/tg

`write` (tinygraph) saves a small model (placeholder, variables, matmul, add,
collections, a Saver) and its predictions; `read` (TensorFlow 2.15, tf.compat.v1)
imports the .meta with tf.compat.v1.train.import_meta_graph, checks the collections,
initializes the variables from their imported initializers and compares predictions.
"""
import os
import sys

import numpy as np


def write(d):
    import tinygraph as tf
    os.makedirs(d, exist_ok=True)
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    with tf.name_scope("layer"):
        w = tf.Variable(np.array([[1.0, -2.0, 0.5], [0.25, 3.0, -1.0]], np.float32), name="w")
        b = tf.Variable(np.array([0.1, 0.2, 0.3], np.float32), name="b")
    pred = tf.add(tf.matmul(x, w), b, name="pred")
    tf.add_to_collection("outputs", pred)
    tf.add_to_collection("steps", 3)
    saver = tf.train.Saver()
    xv = np.array([[1.0, 2.0], [-0.5, 0.25]], np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        saver.save(sess, os.path.join(d, "model"))
        np.savez(os.path.join(d, "expected.npz"), x=xv, pred=sess.run(pred, {x: xv}))


def read(d):
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    ref = np.load(os.path.join(d, "expected.npz"))
    saver = tf.train.import_meta_graph(os.path.join(d, "model.meta"))
    g = tf.get_default_graph()
    assert saver is not None and saver.saver_def.restore_op_name == "save/restore_all"
    assert [v.name for v in tf.trainable_variables()] == ["layer/w:0", "layer/b:0"]
    assert [t.name for t in tf.get_collection("outputs")] == ["pred:0"]
    assert tf.get_collection("steps") == [3]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = sess.run(g.get_tensor_by_name("pred:0"), {"x:0": ref["x"]})
    np.testing.assert_allclose(out, ref["pred"], rtol=1e-6)
    print("TensorFlow imported tinygraph's .meta: %d nodes, predictions match" % len(g.get_operations()))


if __name__ == "__main__":
    {"write": write, "read": read}[sys.argv[1]](sys.argv[2])
