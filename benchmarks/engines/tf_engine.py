"""TensorFlow in TF1 graph mode (tf.compat.v1, eager off). W1d: dynamic_rnn, W1s: static_rnn,
over BasicRNNCell(100, relu) in an OutputProjectionWrapper (contrib's, gone from TF 2.x:
re-created below, a linear 100->1 at every step); W2: dynamic_rnn(BasicRNNCell(32)) + dense;
W3: dynamic_rnn(BasicLSTMCell(256, forget_bias=1.0)) + dense; AdamOptimizer(0.001);
one sess.run per call with feed_dict from NumPy."""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as _tf  # noqa: E402

from ._common import init_params  # noqa: E402

tf = _tf.compat.v1
tf.disable_eager_execution()


def info():
    cfg = tf.ConfigProto()
    return ("TensorFlow %s (tf.compat.v1 graph mode), Session defaults: intra_op=%d inter_op=%d "
            "(0 = one per core, %d cores)" % (_tf.__version__, cfg.intra_op_parallelism_threads,
                                                cfg.inter_op_parallelism_threads, os.cpu_count()))


class OutputProjectionWrapper(tf.nn.rnn_cell.RNNCell):
    def __init__(self, cell, output_size, kernel_init, bias_init):
        super().__init__()
        self._cell, self._n = cell, output_size
        self._kinit, self._binit = kernel_init, bias_init

    @property
    def state_size(self):
        return self._cell.state_size

    @property
    def output_size(self):
        return self._n

    def build(self, inputs_shape):
        self._W = self.add_weight("projection/kernel", shape=self._kinit.shape,
                                  initializer=tf.constant_initializer(self._kinit))
        self._b = self.add_weight("projection/bias", shape=self._binit.shape,
                                  initializer=tf.constant_initializer(self._binit))
        self.built = True

    def call(self, inputs, state):
        out, state = self._cell(inputs, state)
        return tf.nn.bias_add(tf.matmul(out, self._W), self._b), state


def step(workload):
    tf.reset_default_graph()
    tf.set_random_seed(0)
    K, b, W, c = init_params(workload)
    dense = dict(kernel_initializer=tf.constant_initializer(W), bias_initializer=tf.constant_initializer(c))
    if workload in ("W1d", "W1s", "W4"):
        X = tf.placeholder(tf.float32, [None, 20, 1])
        y = tf.placeholder(tf.float32, [None, 20, 1])
        rnn_cell = tf.nn.rnn_cell.BasicRNNCell(100, activation=tf.nn.relu)
        cell = OutputProjectionWrapper(rnn_cell, 1, W, c)
        if workload == "W1s":
            steps = tf.unstack(tf.transpose(X, perm=[1, 0, 2]))
            outs, _ = tf.nn.static_rnn(cell, steps, dtype=tf.float32)
            outputs = tf.transpose(tf.stack(outs), perm=[1, 0, 2])
        else:
            outputs, _ = tf.nn.dynamic_rnn(cell, X, dtype=tf.float32)
        loss = tf.reduce_mean(tf.square(outputs - y))
    elif workload == "W2":
        X = tf.placeholder(tf.float32, [32, 1000, 4])
        y = tf.placeholder(tf.float32, [32, 1])
        rnn_cell = tf.nn.rnn_cell.BasicRNNCell(32)
        _, state = tf.nn.dynamic_rnn(rnn_cell, X, dtype=tf.float32)
        loss = tf.reduce_mean(tf.square(tf.layers.dense(state, 1, **dense) - y))
    else:
        X = tf.placeholder(tf.float32, [128, 50, 64])
        y = tf.placeholder(tf.int32, [128])
        rnn_cell = tf.nn.rnn_cell.BasicLSTMCell(256, forget_bias=1.0)
        _, state = tf.nn.dynamic_rnn(rnn_cell, X, dtype=tf.float32)
        logits = tf.layers.dense(state.h, 10, **dense)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    train = None if workload == "W4" else tf.train.AdamOptimizer(0.001).minimize(loss)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    kernel, bias = rnn_cell.weights           # the legacy cells take no initializers: load the reference's
    sess.run([kernel.assign(K), bias.assign(b)])
    sess.graph.finalize()
    if workload == "W4":
        return lambda xb, yb: sess.run(outputs, {X: xb})
    return lambda xb, yb: sess.run([loss, train], {X: xb, y: yb})[0]
