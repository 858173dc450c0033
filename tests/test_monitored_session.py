"""MonitoredSession / MonitoredTrainingSession and the basic hooks."""
import logging
import os

import numpy as np
import pytest

import tinygraph as tf


def _counter_model():
    tf.reset_default_graph()
    gs = tf.train.get_or_create_global_step()
    w = tf.Variable(1.0, name="w")
    train_op = tf.group(tf.assign_add(w, 1.0), tf.assign_add(gs, 1))
    return gs, w, train_op


def test_stop_at_step_hook_num_steps_and_last_step():
    gs, w, train_op = _counter_model()
    steps = 0
    with tf.train.MonitoredSession(hooks=[tf.train.StopAtStepHook(num_steps=7)]) as sess:
        while not sess.should_stop():
            sess.run(train_op)
            steps += 1
    assert steps == 7
    gs, w, train_op = _counter_model()
    with tf.train.MonitoredSession(hooks=[tf.train.StopAtStepHook(last_step=3)]) as sess:
        while not sess.should_stop():
            sess.run(train_op)
        assert sess.should_stop()
    with pytest.raises(ValueError, match="One of num_steps or last_step"):
        tf.train.StopAtStepHook()
    with pytest.raises(ValueError, match="Only one of"):
        tf.train.StopAtStepHook(num_steps=1, last_step=2)


def test_stop_at_step_needs_global_step():
    tf.reset_default_graph()
    tf.Variable(1.0)
    with pytest.raises(RuntimeError, match="Global step should be created"):
        tf.train.MonitoredSession(hooks=[tf.train.StopAtStepHook(num_steps=1)])


def test_initialises_global_and_local_variables_and_finalizes_graph():
    tf.reset_default_graph()
    v = tf.Variable(3.0)
    loc = tf.Variable(5.0, collections=[tf.GraphKeys.LOCAL_VARIABLES])
    with tf.train.MonitoredSession() as sess:
        assert sess.run([v, loc]) == [3.0, 5.0]
        assert tf.get_default_graph().finalized
        with pytest.raises(RuntimeError):
            tf.constant(1.0)


def test_checkpoints_saved_and_restored(tmp_path):
    ckpt_dir = str(tmp_path)
    gs, w, train_op = _counter_model()
    with tf.train.MonitoredTrainingSession(checkpoint_dir=ckpt_dir, save_checkpoint_steps=2,
                                           save_summaries_steps=None,
                                           hooks=[tf.train.StopAtStepHook(last_step=5)]) as sess:
        while not sess.should_stop():
            sess.run(train_op)
    assert tf.train.latest_checkpoint(ckpt_dir).endswith("model.ckpt-5")
    saved = [os.path.basename(p) for p in
             tf.train.get_checkpoint_state(ckpt_dir).all_model_checkpoint_paths]
    assert saved == ["model.ckpt-%d" % s for s in (0, 2, 4, 5)]  # at creation, every 2, at end
    # A new graph and session restore the latest checkpoint: global_step continues.
    gs, w, train_op = _counter_model()
    with tf.train.MonitoredTrainingSession(checkpoint_dir=ckpt_dir, save_checkpoint_secs=None,
                                           save_summaries_steps=None,
                                           hooks=[tf.train.StopAtStepHook(num_steps=2)]) as sess:
        assert sess.run([gs, w]) == [5, 6.0]
        while not sess.should_stop():
            sess.run(train_op)
        assert sess.run(gs) == 7


def test_summaries_and_step_counter_written(tmp_path):
    gs, w, train_op = _counter_model()
    tf.summary.scalar("w_value", w)
    with tf.train.MonitoredTrainingSession(checkpoint_dir=str(tmp_path), save_summaries_steps=2,
                                           log_step_count_steps=2,
                                           hooks=[tf.train.StopAtStepHook(last_step=6)]) as sess:
        while not sess.should_stop():
            sess.run(train_op)
    tf.train.basic_session_run_hooks.SummaryWriterCache.clear()
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    files = [f for f in os.listdir(str(tmp_path)) if f.startswith("events.out")]
    assert files
    acc = EventAccumulator(str(tmp_path))
    acc.Reload()
    steps = [e.step for e in acc.Scalars("w_value")]
    assert steps == [1, 3, 5]  # as TF: after the first run, then every 2 steps
    assert "global_step/sec" in acc.Tags()["scalars"]


def test_end_of_input_stops_and_with_block_swallows_it():
    tf.reset_default_graph()
    it = tf.data.Dataset.range(5).make_one_shot_iterator()
    x = it.get_next()
    seen = []
    with tf.train.MonitoredSession() as sess:
        while not sess.should_stop():
            seen.append(sess.run(x))
    assert seen == [0, 1, 2, 3, 4]
    assert sess.should_stop()


def test_queue_runners_started_and_joined():
    tf.reset_default_graph()
    data = tf.constant(np.arange(10, dtype=np.int32))
    x = tf.train.slice_input_producer([data], num_epochs=2, shuffle=False)[0]
    batch = tf.train.batch([x], batch_size=4, allow_smaller_final_batch=True)
    got = []
    with tf.train.MonitoredSession() as sess:
        while not sess.should_stop():
            got.extend(sess.run(batch, options=tf.RunOptions(timeout_in_ms=20000)).tolist())
    assert sorted(got) == sorted(list(range(10)) * 2)
    assert all(not t.is_alive() for t in sess._threads)


def test_hooks_protocol_and_logging_tensor_hook(caplog):
    gs, w, train_op = _counter_model()
    calls = []

    class Recorder(tf.train.SessionRunHook):
        def begin(self):
            calls.append("begin")

        def after_create_session(self, session, coord):
            calls.append("created")

        def before_run(self, run_context):
            return tf.train.SessionRunArgs({"w": w})

        def after_run(self, run_context, run_values):
            calls.append(("after", run_values.results["w"]))
            if run_values.results["w"] >= 3.0:
                run_context.request_stop()

        def end(self, session):
            calls.append("end")

    with caplog.at_level(logging.INFO, logger="tinygraph"):
        with tf.train.MonitoredSession(hooks=[Recorder(), tf.train.LoggingTensorHook(
                {"weight": w}, every_n_iter=1)]) as sess:
            while not sess.should_stop():
                assert sess.run(train_op) is None
    assert calls[:2] == ["begin", "created"] and calls[-1] == "end"
    assert [c[1] for c in calls if isinstance(c, tuple)][-1] >= 3.0
    assert any("weight = " in r.getMessage() for r in caplog.records)


def test_nan_tensor_hook_raises():
    tf.reset_default_graph()
    gs = tf.train.get_or_create_global_step()
    loss = tf.constant(float("nan"))
    with pytest.raises(tf.train.NanLossDuringTrainingError):
        with tf.train.MonitoredSession(hooks=[tf.train.NanTensorHook(loss)]) as sess:
            sess.run(gs)


def test_singular_monitored_session_raw_session():
    tf.reset_default_graph()
    v = tf.Variable(2.0)
    with tf.train.SingularMonitoredSession() as sess:
        assert sess.raw_session().run(v) == 2.0


def test_feed_fn_hook_feeds_and_conflicting_feeds_raise():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [])
    y = x * 2.0
    with tf.train.MonitoredSession(hooks=[tf.train.FeedFnHook(lambda: {x: 3.0})]) as sess:
        assert sess.run(y) == 6.0
        with pytest.raises(RuntimeError, match="Same tensor is fed by a SessionRunHook and user"):
            sess.run(y, feed_dict={x: 1.0})
    with tf.train.MonitoredSession(hooks=[tf.train.FeedFnHook(lambda: {x: 3.0}),
                                          tf.train.FeedFnHook(lambda: {x: 4.0})]) as sess:
        with pytest.raises(RuntimeError, match="Same tensor is fed by two hooks"):
            sess.run(y)
    with pytest.raises(RuntimeError, match="Run called even after should_stop requested"):
        sess.run(y)
