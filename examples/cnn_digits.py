"""A small convolutional network on the scikit-learn digits (8x8 grey images), TF 1.x style.

conv 3x3x16 (same, relu) -> max pool 2x2 -> conv 3x3x32 (same, relu) -> max pool 2x2
-> dense 64 (relu) -> dense 10, softmax cross-entropy, Adam. Prints the loss and the
train/test accuracy after each epoch. Needs scikit-learn (`pip install -e ".[test]"`).

    python examples/cnn_digits.py [--epochs 10]
"""
import argparse

import numpy as np
from sklearn.datasets import load_digits

import tinygraph as tf


def load_data(seed=42, n_test=297):
    digits = load_digits()
    X = (digits.images / 16.0).astype(np.float32).reshape(-1, 8, 8, 1)
    y = digits.target.astype(np.int32)
    order = np.random.RandomState(seed).permutation(len(X))
    X, y = X[order], y[order]
    return X[n_test:], y[n_test:], X[:n_test], y[:n_test]


def build_model(learning_rate=0.01):
    X = tf.placeholder(tf.float32, shape=[None, 8, 8, 1], name="X")
    y = tf.placeholder(tf.int32, shape=[None], name="y")
    conv1 = tf.layers.conv2d(X, filters=16, kernel_size=3, strides=1, padding="SAME",
                             activation=tf.nn.relu, name="conv1")
    pool1 = tf.nn.max_pool(conv1, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID")
    conv2 = tf.layers.conv2d(pool1, filters=32, kernel_size=3, strides=1, padding="SAME",
                             activation=tf.nn.relu, name="conv2")
    pool2 = tf.layers.max_pooling2d(conv2, pool_size=2, strides=2, padding="valid")
    pool2_flat = tf.reshape(pool2, shape=[-1, 2 * 2 * 32])
    fc1 = tf.layers.dense(pool2_flat, 64, activation=tf.nn.relu, name="fc1")
    logits = tf.layers.dense(fc1, 10, name="output")
    with tf.name_scope("train"):
        xentropy = tf.nn.sparse_softmax_cross_entropy_with_logits(logits=logits, labels=y)
        loss = tf.reduce_mean(xentropy)
        training_op = tf.train.AdamOptimizer(learning_rate).minimize(loss)
    with tf.name_scope("eval"):
        correct = tf.nn.in_top_k(logits, y, 1)
        accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
    return X, y, loss, training_op, accuracy


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=50)
    args = parser.parse_args(argv)
    tf.reset_default_graph()
    tf.set_random_seed(42)
    X_train, y_train, X_test, y_test = load_data()
    X, y, loss, training_op, accuracy = build_model()
    rng = np.random.RandomState(0)
    history = []
    with tf.Session() as sess:
        tf.global_variables_initializer().run()
        for epoch in range(args.epochs):
            losses = []
            order = rng.permutation(len(X_train))
            for start in range(0, len(X_train), args.batch_size):
                idx = order[start:start + args.batch_size]
                _, batch_loss = sess.run([training_op, loss], feed_dict={X: X_train[idx], y: y_train[idx]})
                losses.append(batch_loss)
            acc_train = accuracy.eval(feed_dict={X: X_train, y: y_train})
            acc_test = accuracy.eval(feed_dict={X: X_test, y: y_test})
            history.append((float(np.mean(losses)), float(acc_train), float(acc_test)))
            print("epoch %2d  loss %.4f  train accuracy %.3f  test accuracy %.3f"
                  % (epoch, history[-1][0], acc_train, acc_test))
    return history


if __name__ == "__main__":
    history = main()
