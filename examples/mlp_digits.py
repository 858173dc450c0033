"""An MLP with batch normalization and dropout on the scikit-learn digits, in the TF 1.x
style of "Hands-on Machine Learning" (chapter 11): a `training` placeholder_with_default
switches batch norm and dropout, and the training op depends on the UPDATE_OPS that move
batch norm's statistics.

    python examples/mlp_digits.py     # prints the test accuracy after each few epochs
"""
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import tinygraph as tf

digits = load_digits()
X_all = (digits.data / 16.0).astype(np.float32)
y_all = digits.target.astype(np.int32)
X_train, X_test, y_train, y_test = train_test_split(X_all, y_all, test_size=0.25, random_state=42)

tf.reset_default_graph()
tf.set_random_seed(42)
n_inputs, n_hidden1, n_hidden2, n_outputs = 64, 100, 50, 10
learning_rate = 0.05
dropout_rate = 0.2
batch_norm_momentum = 0.9

X = tf.placeholder(tf.float32, shape=(None, n_inputs), name="X")
y = tf.placeholder(tf.int32, shape=(None), name="y")
training = tf.placeholder_with_default(False, shape=(), name="training")

with tf.name_scope("dnn"):
    he_init = tf.variance_scaling_initializer()
    hidden1 = tf.layers.dense(X, n_hidden1, name="hidden1", kernel_initializer=he_init)
    bn1 = tf.layers.batch_normalization(hidden1, training=training, momentum=batch_norm_momentum)
    bn1_act = tf.nn.elu(bn1)
    hidden1_drop = tf.layers.dropout(bn1_act, dropout_rate, training=training)
    hidden2 = tf.layers.dense(hidden1_drop, n_hidden2, name="hidden2", kernel_initializer=he_init)
    bn2 = tf.layers.batch_normalization(hidden2, training=training, momentum=batch_norm_momentum)
    bn2_act = tf.nn.elu(bn2)
    hidden2_drop = tf.layers.dropout(bn2_act, dropout_rate, training=training)
    logits_before_bn = tf.layers.dense(hidden2_drop, n_outputs, name="outputs")
    logits = tf.layers.batch_normalization(logits_before_bn, training=training,
                                           momentum=batch_norm_momentum)

with tf.name_scope("loss"):
    xentropy = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
    loss = tf.reduce_mean(xentropy, name="loss")

with tf.name_scope("train"):
    optimizer = tf.train.MomentumOptimizer(learning_rate, momentum=0.9)
    extra_update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.control_dependencies(extra_update_ops):
        training_op = optimizer.minimize(loss)

with tf.name_scope("eval"):
    correct = tf.nn.in_top_k(logits, y, 1)
    accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))

init = tf.global_variables_initializer()

n_epochs = 15
batch_size = 50
rng = np.random.RandomState(42)


def shuffle_batch(X, y, batch_size):
    rnd_idx = rng.permutation(len(X))
    n_batches = len(X) // batch_size
    for batch_idx in np.array_split(rnd_idx, n_batches):
        yield X[batch_idx], y[batch_idx]


with tf.Session() as sess:
    init.run()
    for epoch in range(n_epochs):
        for X_batch, y_batch in shuffle_batch(X_train, y_train, batch_size):
            sess.run(training_op, feed_dict={training: True, X: X_batch, y: y_batch})
        if epoch % 5 == 4 or epoch == n_epochs - 1:
            acc_test = accuracy.eval(feed_dict={X: X_test, y: y_test})
            print(epoch, "Test accuracy:", acc_test)
    moving_means = [v for v in tf.global_variables() if v.name.endswith("moving_mean:0")]
    moving_mean_values = sess.run(moving_means)
    test_accuracy = accuracy.eval(feed_dict={X: X_test, y: y_test})
