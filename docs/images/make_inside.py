# Makes the pictures and numbers of docs/inside.md: run from the project root as
#   python docs/images/make_inside.py LOGDIR    (needs graphviz and the tensorboard extra)
import sys
import numpy as np
import tinygraph as tf
from tinygraph import summary, timeline, viz

def build(n_steps, n_neurons=100):
    tf.reset_default_graph()
    X = tf.placeholder(tf.float32, [None, n_steps, 1], name="X")
    y = tf.placeholder(tf.float32, [None, n_steps, 1], name="y")
    cell = tf.contrib.rnn.OutputProjectionWrapper(
        tf.contrib.rnn.BasicRNNCell(num_units=n_neurons, activation=tf.nn.relu), output_size=1)
    outputs, states = tf.nn.dynamic_rnn(cell, X, dtype=tf.float32)
    loss = tf.reduce_mean(tf.square(outputs - y))
    training_op = tf.train.AdamOptimizer(0.001).minimize(loss)
    return X, y, outputs, loss, training_op

def series(t): return t * np.sin(t) / 3 + 2 * np.sin(t * 5)
def next_batch(bs, n):
    t0 = np.random.rand(bs, 1) * (30 - n * 0.1)
    ys = series(t0 + np.arange(0., n + 1) * 0.1)
    return ys[:, :-1].reshape(-1, n, 1), ys[:, 1:].reshape(-1, n, 1)

np.random.seed(42)
X, y, outputs, loss, training_op = build(20)
viz.render(viz.to_dot(fetches=[loss], title="forward: loss of the time-series RNN"), "docs/images/inside_forward.svg")
viz.render(viz.to_dot(fetches=[training_op], title="a training step: gradients collapsed"), "docs/images/inside_train.svg")
viz.render(viz.to_dot(fetches=[training_op], collapse_gradients=False, hide_constants=True,
                      title="a training step: the gradient graph op by op"), "docs/images/inside_gradients.svg")
mse_summary = summary.scalar("MSE", loss)
opts = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
with summary.FileWriter(sys.argv[1], tf.get_default_graph()) as writer, tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for it in range(300):
        xb, yb = next_batch(50, 20)
        if it % 10 == 0:
            s = sess.run(mse_summary, {X: xb, y: yb})
            writer.add_summary(s, it)
        sess.run(training_op, {X: xb, y: yb})
    md = tf.RunMetadata()
    sess.run(training_op, {X: xb, y: yb}, options=opts, run_metadata=md)
    plan = sess.plan_for(training_op, {X: xb, y: yb})
open("docs/images/inside_plan.txt", "w").write(plan.describe() + "\n")
tl = timeline.Timeline(md.step_stats)
open("docs/images/inside_step_trace.json", "w").write(tl.generate_chrome_trace_format())
open("docs/images/inside_table.txt", "w").write(tl.table(top=12) + "\n\n" + timeline.memory_report(md) + "\n")
rows = []
for n in (10, 20, 40, 80, 160):
    Xn, yn, _, _, top = build(n)
    md = tf.RunMetadata()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        xb, yb = next_batch(50, n)
        sess.run(top, {Xn: xb, yn: yb}, options=opts, run_metadata=md)
    rows.append((n, md.loop_stats["saved_values"], md.loop_stats["saved_bytes"], md.step_stats.peak_bytes,
                 sum(r.duration_s for r in md.step_stats if not r.frame)))
open("docs/images/inside_memory.txt", "w").write("\n".join("%d %d %d %d %.4f" % r for r in rows) + "\n")
