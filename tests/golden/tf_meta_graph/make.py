"""Writes model.meta (a MetaGraph written by TensorFlow) and expected.npz for test_meta_graph.py.

Run with TensorFlow 2.15 (tf.compat.v1 graph mode = TF 1.x):
    /work/tf-venv/bin/python tests/golden/tf_meta_graph/make.py
"""
import os

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
HERE = os.path.dirname(os.path.abspath(__file__))

g = tf.Graph()
with g.as_default():
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    with tf.name_scope("layer"):
        w = tf.Variable(np.array([[1.0, -2.0, 0.5], [0.25, 3.0, -1.0]], np.float32), name="w")
        b = tf.Variable(np.array([0.1, 0.2, 0.3], np.float32), name="b")
    pred = tf.add(tf.matmul(x, w), b, name="pred")
    tf.add_to_collection("outputs", pred)
    tf.add_to_collection("steps", 3)
    tf.train.export_meta_graph(filename=os.path.join(HERE, "model.meta"))
    xv = np.array([[1.0, 2.0], [-0.5, 0.25], [3.0, 0.0]], np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.savez(os.path.join(HERE, "expected.npz"), x=xv, pred=sess.run(pred, {x: xv}))
