"""What real TF 1.x does, for tests/test_monitored_session.py (prints; writes no data).

    /work/tf-venv/bin/python tests/golden/estimator/check_monitored_session.py

Printed with TF 2.15.1 (tf.compat.v1):
    steps 6
    ['model.ckpt-0', 'model.ckpt-2', 'model.ckpt-4', 'model.ckpt-6']
    [1, 3, 5] ['w_value', 'global_step/sec']
    [0, 1, 2] True
"""
import os, tempfile
import tensorflow.compat.v1 as tf
tf.disable_eager_execution()
tf.logging.set_verbosity(tf.logging.ERROR)
d = tempfile.mkdtemp()
gs = tf.train.get_or_create_global_step()
w = tf.Variable(1.0, name="w")
train_op = tf.group(tf.assign_add(w, 1.0), tf.assign_add(gs, 1))
tf.summary.scalar("w_value", w)
with tf.train.MonitoredTrainingSession(checkpoint_dir=d, save_checkpoint_steps=2, save_summaries_steps=2, log_step_count_steps=2, hooks=[tf.train.StopAtStepHook(last_step=6)]) as sess:
    n = 0
    while not sess.should_stop():
        sess.run(train_op); n += 1
print("steps", n)
print([os.path.basename(p) for p in tf.train.get_checkpoint_state(d).all_model_checkpoint_paths])
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
acc = EventAccumulator(d); acc.Reload(); print([e.step for e in acc.Scalars("w_value")], acc.Tags()["scalars"])
# OutOfRange should_stop behaviour
tf.reset_default_graph()
x = tf.data.Dataset.range(3).make_one_shot_iterator().get_next()
with tf.train.MonitoredSession() as s:
    got = []
    while not s.should_stop():
        got.append(s.run(x))
print(got, s.should_stop())
