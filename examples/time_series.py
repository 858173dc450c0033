"""The lecture's time-series RNN (Geron, Hands-on ML, ch. 14), trained with tinygraph.

100 relu recurrent neurons over 20 steps, an OutputProjectionWrapper down to one
output per step, MSE loss, Adam. Prints the MSE every 100 iterations, then predicts
a held-out window and saves a plot of prediction vs target (needs matplotlib:
`pip install -e ".[plot]"`).

    python examples/time_series.py [--iterations 1500] [--plot time_series.png]
"""
import argparse
import time

import numpy as np

import tinygraph as tf

t_min, t_max = 0, 30
resolution = 0.1


def time_series(t):
    return t * np.sin(t) / 3 + 2 * np.sin(t * 5)


def next_batch(rng, batch_size, n_steps):
    """Random windows of n_steps+1 consecutive points; the target is shifted by one step."""
    t0 = rng.rand(batch_size, 1) * (t_max - t_min - n_steps * resolution)
    ts = t0 + np.arange(0., n_steps + 1) * resolution
    ys = time_series(ts)
    return ys[:, :-1].reshape(-1, n_steps, 1), ys[:, 1:].reshape(-1, n_steps, 1)


def build_model(n_steps=20, n_inputs=1, n_neurons=100, n_outputs=1, learning_rate=0.001):
    X = tf.placeholder(tf.float32, [None, n_steps, n_inputs], name="X")
    y = tf.placeholder(tf.float32, [None, n_steps, n_outputs], name="y")
    cell = tf.contrib.rnn.OutputProjectionWrapper(
        tf.contrib.rnn.BasicRNNCell(num_units=n_neurons, activation=tf.nn.relu),
        output_size=n_outputs)
    outputs, states = tf.nn.dynamic_rnn(cell, X, dtype=tf.float32)
    loss = tf.reduce_mean(tf.square(outputs - y), name="mse")
    training_op = tf.train.AdamOptimizer(learning_rate=learning_rate).minimize(loss)
    return X, y, outputs, loss, training_op


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--iterations", type=int, default=1500)
    ap.add_argument("--batch-size", type=int, default=50)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--plot", default="time_series_prediction.png",
                    help="where to save the plot ('' to skip)")
    args = ap.parse_args()

    n_steps = 20
    tf.reset_default_graph()
    tf.set_random_seed(args.seed)
    rng = np.random.RandomState(args.seed)
    X, y, outputs, loss, training_op = build_model(n_steps=n_steps)

    start = time.perf_counter()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for iteration in range(args.iterations):
            X_batch, y_batch = next_batch(rng, args.batch_size, n_steps)
            sess.run(training_op, feed_dict={X: X_batch, y: y_batch})
            if iteration % 100 == 0:
                mse = loss.eval(feed_dict={X: X_batch, y: y_batch})
                print(iteration, "\tMSE:", mse)
        seconds = time.perf_counter() - start
        t_instance = np.linspace(12.2, 12.2 + resolution * (n_steps + 1), n_steps + 1)
        X_new = time_series(t_instance[:-1]).reshape(-1, n_steps, 1)
        y_pred = sess.run(outputs, feed_dict={X: X_new})

    target = time_series(t_instance[1:])
    print("trained %d iterations in %.1f s (%.2f ms per iteration)"
          % (args.iterations, seconds, 1000 * seconds / max(args.iterations, 1)))
    print("prediction error on a held-out window: %.4f" % float(np.mean((y_pred.ravel() - target) ** 2)))
    if args.plot:
        save_plot(args.plot, t_instance, X_new.ravel(), target, y_pred.ravel())


def save_plot(path, t_instance, inputs, target, prediction):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no plot (pip install -e \".[plot]\")")
        return
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(t_instance[:-1], inputs, "bo", markersize=6, alpha=0.5, label="instance (input)")
    ax.plot(t_instance[1:], target, "w*", markeredgecolor="k", markersize=10, label="target")
    ax.plot(t_instance[1:], prediction, "r.", markersize=10, label="prediction")
    ax.set_xlabel("Time")
    ax.set_title("Testing the model")
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(path)
    print("saved", path)


if __name__ == "__main__":
    main()
