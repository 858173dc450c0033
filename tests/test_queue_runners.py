"""Queue-based input pipelines run by threads: tf.train.Coordinator, QueueRunner,
start_queue_runners, the input producers and tf.train.batch / shuffle_batch, as TF 1.x
wires and names them. Every wait has a timeout."""
import threading
import time

import numpy as np
import pytest

import tinygraph as tf

LONG = tf.RunOptions(timeout_in_ms=10000)


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def drain(sess, fetch, limit=1000):
    out = []
    for _ in range(limit):
        try:
            out.append(sess.run(fetch, options=LONG))
        except tf.errors.OutOfRangeError:
            return out
    raise AssertionError("the pipeline did not end")


# -- Coordinator ------------------------------------------------------------------
def test_coordinator_stop_and_clean_exceptions():
    coord = tf.train.Coordinator()
    assert not coord.should_stop()
    coord.request_stop(tf.errors.OutOfRangeError(None, None, "end"))  # a clean stop
    assert coord.should_stop() and coord.wait_for_stop(0.01)
    coord.join([])  # nothing re-raised
    coord.clear_stop()
    assert not coord.should_stop()


def test_coordinator_join_reraises_the_first_exception_from_a_thread():
    coord = tf.train.Coordinator()

    def worker(k):
        with coord.stop_on_exception():
            if k == 1:
                raise RuntimeError("worker %d failed" % k)
            while not coord.should_stop():
                time.sleep(0.005)
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    with pytest.raises(RuntimeError, match="worker 1 failed"):
        coord.join(threads, stop_grace_period_secs=5)
    assert not any(t.is_alive() for t in threads)


def test_coordinator_join_reports_stragglers():
    coord = tf.train.Coordinator()
    stop = threading.Event()
    t = threading.Thread(target=lambda: stop.wait(5), name="straggler")
    t.start()
    coord.request_stop()
    with pytest.raises(RuntimeError, match="Coordinator stopped with threads still running: straggler"):
        coord.join([t], stop_grace_period_secs=0.05)
    stop.set()
    t.join(5)
    with pytest.raises(ValueError, match="ex must be a tuple or sys.exc_info"):
        tf.train.Coordinator().request_stop("not an exception")


# -- QueueRunner ------------------------------------------------------------------
def test_queue_runner_fills_a_queue_and_closes_it_at_the_end():
    counter = tf.Variable(0, name="counter", collections=[tf.GraphKeys.LOCAL_VARIABLES])
    value = tf.count_up_to(counter, 20)
    q = tf.FIFOQueue(5, tf.int32, shapes=[[]])
    qr = tf.train.QueueRunner(q, [q.enqueue(value)] * 2)
    tf.train.add_queue_runner(qr)
    assert tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS) == [qr]
    assert qr.name == "fifo_queue" and qr.queue_closed_exception_types == (tf.errors.OutOfRangeError,)
    assert qr.close_op.type == "QueueCloseV2" and qr.cancel_op.attrs["cancel_pending_enqueues"]
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        assert [t.name for t in threads] == ["QueueRunnerThread-fifo_queue-fifo_queue_enqueue"] * 2 + [
            "QueueRunnerThread-fifo_queue-close_on_stop"]
        assert tf.train.start_queue_runners(sess, coord) == []  # already running for this session
        got = drain(sess, q.dequeue())
        coord.request_stop()
        coord.join(threads, stop_grace_period_secs=5)
    assert sorted(int(v) for v in got) == list(range(20))


def test_queue_runner_error_reaches_the_coordinator():
    bad = tf.placeholder_with_default(tf.constant([1.0, 2.0]), [None])
    q = tf.FIFOQueue(5, tf.float32, shapes=[[3]])
    tf.train.add_queue_runner(tf.train.QueueRunner(q, [q.enqueue(bad)]))
    with tf.Session() as sess:
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        assert coord.wait_for_stop(10)
        with pytest.raises(tf.errors.InvalidArgumentError, match="Shape mismatch in tuple component 0"):
            coord.join(threads, stop_grace_period_secs=5)


def test_start_queue_runners_needs_a_session():
    with pytest.raises(ValueError, match="No default session is registered"):
        tf.train.start_queue_runners()
    with pytest.raises(ValueError, match="Queue is a required argument"):
        tf.train.QueueRunner(None, [])


# -- producers and batching -------------------------------------------------------
def test_string_input_producer_epochs_order_and_names():
    names = [b"a", b"b", b"c"]
    q = tf.train.string_input_producer(names, num_epochs=2, shuffle=False)
    assert q.name == "input_producer" and q.dtypes == [tf.string]
    assert [v.name for v in tf.local_variables()] == ["input_producer/limit_epochs/epochs:0"]
    summaries = tf.get_collection(tf.GraphKeys.SUMMARIES)
    assert [s.op.name for s in summaries] == ["input_producer/fraction_of_32_full"]
    (qr,) = tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)
    assert [op.name for op in qr.enqueue_ops] == ["input_producer/input_producer_EnqueueMany"]
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        got = drain(sess, q.dequeue())
        coord.request_stop()
        coord.join(threads, stop_grace_period_secs=5)
    assert got == names * 2


def test_string_input_producer_refuses_an_empty_list():
    with pytest.raises(ValueError, match="string_input_producer requires a non-null input tensor"):
        tf.train.string_input_producer([])
    with pytest.raises(ValueError, match="num_epochs must be > 0"):
        tf.train.limit_epochs(tf.constant(1), 0)


def test_slice_input_producer_keeps_rows_together_and_shuffles_reproducibly():
    def run_once():
        tf.reset_default_graph()
        tf.set_random_seed(3)
        x, y = tf.train.slice_input_producer([np.arange(6), np.arange(6) * 10], num_epochs=1)
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess, coord)
            got = drain(sess, [x, y])
            coord.request_stop()
            coord.join(threads, stop_grace_period_secs=5)
        return [(int(a), int(b)) for a, b in got]
    rows = run_once()
    assert sorted(rows) == [(i, 10 * i) for i in range(6)]
    assert rows == run_once()


def test_batch_structures_shapes_and_smaller_final_batch():
    x, y = tf.train.slice_input_producer([np.arange(5, dtype=np.float32), np.arange(5)], num_epochs=1,
                                         shuffle=False)
    bx, by = tf.train.batch([x, y], batch_size=2, allow_smaller_final_batch=True)
    assert bx.op.name == "batch" and bx.shape.as_list() == [None]
    single = tf.train.batch([tf.constant([1.0, 2.0])], batch_size=3)  # a list of one: one tensor
    assert isinstance(single, tf.Tensor) and single.shape.as_list() == [3, 2]
    as_dict = tf.train.batch({"a": tf.constant(1)}, batch_size=4, name="dict_batch")
    assert list(as_dict) == ["a"] and as_dict["a"].shape.as_list() == [4]
    with pytest.raises(ValueError, match="All shapes must be fully defined"):
        tf.train.batch([tf.placeholder(tf.float32, [None])], batch_size=2)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        got = drain(sess, [bx, by])
        coord.request_stop()
        coord.join(threads, stop_grace_period_secs=5)
    assert [b.tolist() for b, _ in got] == [[0.0, 1.0], [2.0, 3.0], [4.0]]


def test_batch_dynamic_pad_and_shuffle_batch():
    q = tf.FIFOQueue(10, tf.int32, shapes=[[None]])
    seq = q.dequeue()
    padded = tf.train.batch([seq], batch_size=2, dynamic_pad=True)
    assert padded.shape.as_list() == [2, None]
    x = tf.train.range_input_producer(30, num_epochs=1, shuffle=False).dequeue()
    shuffled = tf.train.shuffle_batch([x], batch_size=5, capacity=20, min_after_dequeue=10, seed=1,
                                      allow_smaller_final_batch=True)
    names = [s.op.name for s in tf.get_collection(tf.GraphKeys.SUMMARIES)]
    assert "shuffle_batch/fraction_over_10_of_10_full" in names
    with pytest.raises(ValueError, match="capacity"):
        tf.train.shuffle_batch([x], batch_size=5, capacity=10, min_after_dequeue=10)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        sess.run(q.enqueue(([1, 2, 3],)))
        sess.run(q.enqueue(([4],)))
        sess.run(q.close())  # else the batch thread waits on it forever, as in TF
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        np.testing.assert_array_equal(sess.run(padded, options=LONG), [[1, 2, 3], [4, 0, 0]])
        got = np.concatenate(drain(sess, shuffled))
        coord.request_stop()
        coord.join(threads, stop_grace_period_secs=5)
    assert sorted(got.tolist()) == list(range(30))
    assert got.tolist() != list(range(30))


def test_csv_pipeline_trains_a_model(tmp_path):
    """The book's pipeline: filenames -> TextLineReader -> decode_csv -> shuffle_batch -> model."""
    rng = np.random.RandomState(0)
    xs = rng.uniform(-1, 1, size=(200, 2)).astype(np.float32)
    ys = xs @ np.array([2.0, -3.0], np.float32) + 0.5
    for k in range(2):
        with open(tmp_path / ("part%d.csv" % k), "w") as f:
            f.write("x1,x2,y\n")
            for row, target in zip(xs[k::2], ys[k::2]):
                f.write("%r,%r,%r\n" % (float(row[0]), float(row[1]), float(target)))
    tf.set_random_seed(0)
    files = tf.train.string_input_producer([str(tmp_path / "part0.csv"), str(tmp_path / "part1.csv")],
                                           num_epochs=30)
    _, line = tf.TextLineReader(skip_header_lines=1).read(files)
    x1, x2, y = tf.decode_csv(line, [[0.0], [0.0], [0.0]])
    features = tf.stack([x1, x2])
    fb, yb = tf.train.shuffle_batch([features, y], batch_size=20, capacity=200, min_after_dequeue=50,
                                    num_threads=2)
    w = tf.Variable(tf.zeros([2, 1]))
    b = tf.Variable(0.0)
    pred = tf.squeeze(tf.matmul(fb, w), axis=1) + b
    loss = tf.reduce_mean(tf.square(pred - yb))
    train = tf.train.GradientDescentOptimizer(0.2).minimize(loss)
    with tf.Session() as sess:
        sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        losses = []
        try:
            while not coord.should_stop():
                losses.append(sess.run([train, loss], options=LONG)[1])
        except tf.errors.OutOfRangeError:
            pass
        finally:
            coord.request_stop()
        coord.join(threads, stop_grace_period_secs=5)
        w_val, b_val = sess.run([w, b])
    assert len(losses) == 200 * 30 // 20  # every record of every epoch, in full batches
    assert losses[-1] < 1e-3 < losses[0]
    np.testing.assert_allclose(w_val.ravel(), [2.0, -3.0], atol=0.02)
    np.testing.assert_allclose(b_val, 0.5, atol=0.02)
