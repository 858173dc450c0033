"""Save a trained model in one process, rebuild it from its MetaGraph in another.

Process 1 builds and trains a small network, then `saver.save` writes the checkpoint
(`model.npz`) and the graph (`model.meta`, TF's MetaGraphDef). Process 2 has no
model-building code at all: `tf.train.import_meta_graph` rebuilds the graph,
`saver.restore` loads the weights, the `train_op` collection continues training and
tensors found by name give predictions (Geron, Hands-on ML, ch. 9 and 11).

    python examples/metagraph_two_processes.py [--workdir DIR]

Process 1 runs process 2 as a subprocess (`--restore DIR`) and compares the results.
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

import tinygraph as tf


def make_data(n=200, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, (n, 3)).astype(np.float32)
    y = (np.sin(X[:, :1] * 2) + X[:, 1:2] * X[:, 2:3]).astype(np.float32)
    return X, y


def build_and_train(workdir, steps=50):
    """Process 1: build, train, save; returns (predictions, losses)."""
    X_data, y_data = make_data()
    tf.set_random_seed(42)
    X = tf.placeholder(tf.float32, [None, 3], name="X")
    y = tf.placeholder(tf.float32, [None, 1], name="y")
    with tf.name_scope("dnn"):
        hidden = tf.layers.dense(X, 16, activation=tf.nn.tanh, name="hidden")
        output = tf.layers.dense(hidden, 1, name="output")
    with tf.name_scope("loss"):
        loss = tf.reduce_mean(tf.square(output - y), name="mse")
    training_op = tf.train.AdamOptimizer(0.02).minimize(loss)
    tf.add_to_collection("train_op", training_op)  # so process 2 can find it
    saver = tf.train.Saver()
    feed = {X: X_data, y: y_data}
    losses = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(steps):
            _, l = sess.run([training_op, loss], feed)
            losses.append(l)
        path = saver.save(sess, os.path.join(workdir, "model"))
        predictions = sess.run(output, feed)
    print("process 1: trained %d steps, loss %.4f -> %.4f, saved %s(.npz, .meta)"
          % (steps, losses[0], losses[-1], path))
    np.savez(os.path.join(workdir, "process1.npz"), predictions=predictions, losses=losses)
    return predictions, losses


def restore_and_continue(workdir, steps=50):
    """Process 2: no model code; the graph comes from model.meta."""
    X_data, y_data = make_data()
    saver = tf.train.import_meta_graph(os.path.join(workdir, "model.meta"))
    graph = tf.get_default_graph()
    X = graph.get_tensor_by_name("X:0")
    y = graph.get_tensor_by_name("y:0")
    output = graph.get_tensor_by_name("dnn/output/BiasAdd:0")
    loss = graph.get_tensor_by_name("loss/mse:0")
    training_op = tf.get_collection("train_op")[0]
    feed = {X: X_data, y: y_data}
    with tf.Session() as sess:
        saver.restore(sess, os.path.join(workdir, "model"))
        predictions = sess.run(output, feed)
        losses = []
        for _ in range(steps):
            _, l = sess.run([training_op, loss], feed)
            losses.append(l)
    print("process 2: restored, loss %.4f, trained %d more steps -> %.4f"
          % (losses[0], steps, losses[-1]))
    np.savez(os.path.join(workdir, "process2.npz"), predictions=predictions, losses=losses)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workdir", default=None, help="where the files go (default: a temp dir)")
    parser.add_argument("--restore", default=None, help=argparse.SUPPRESS)  # process 2
    args = parser.parse_args(argv)
    if args.restore:
        restore_and_continue(args.restore)
        return
    workdir = args.workdir or tempfile.mkdtemp(prefix="metagraph_")
    os.makedirs(workdir, exist_ok=True)
    pred1, losses1 = build_and_train(workdir)
    subprocess.run([sys.executable, os.path.abspath(__file__), "--restore", workdir], check=True)
    second = np.load(os.path.join(workdir, "process2.npz"))
    same = np.array_equal(second["predictions"], pred1)
    print("restored predictions equal process 1's: %s; loss kept falling: %s"
          % (same, second["losses"][-1] < losses1[-1]))


if __name__ == "__main__":
    main()
