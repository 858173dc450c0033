"""Queues (tf.FIFOQueue, tf.RandomShuffleQueue, tf.PaddingFIFOQueue): names, static
shapes, values, blocking with deadlines, closing and cancelling, as TF 1.x does them.

Every blocking run in these tests has a deadline (RunOptions.timeout_in_ms) or runs
in a thread joined with a timeout, so a bug cannot hang the suite.
"""
import threading
import time

import numpy as np
import pytest

import tinygraph as tf

SHORT = tf.RunOptions(timeout_in_ms=2000)


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def run_in_thread(fn, timeout=10):
    """Runs fn in a thread; returns (result, exception)."""
    out = {}

    def target():
        try:
            out["value"] = fn()
        except BaseException as e:  # noqa: BLE001 - handed to the test
            out["error"] = e
    t = threading.Thread(target=target, daemon=True)
    t.start()
    return t, out


def test_names_dtypes_and_static_shapes_as_tf():
    q = tf.FIFOQueue(3, [tf.float32, tf.int32], shapes=[[2], []])
    assert q.name == "fifo_queue" and q.queue_ref.dtype == tf.resource
    assert q.dtypes == [tf.float32, tf.int32]
    assert [s.as_list() for s in q.shapes] == [[2], []]
    enq = q.enqueue(([1.0, 2.0], 3))
    assert enq.name == "fifo_queue_enqueue" and enq.type == "QueueEnqueueV2"
    assert [t.name for t in enq.inputs] == ["fifo_queue:0", "fifo_queue_enqueue/component_0:0",
                                            "fifo_queue_enqueue/component_1:0"]
    d = q.dequeue()
    assert [t.name for t in d] == ["fifo_queue_Dequeue:0", "fifo_queue_Dequeue:1"]
    assert [t.shape.as_list() for t in d] == [[2], []]
    dm = q.dequeue_many(4)
    assert dm[0].op.name == "fifo_queue_DequeueMany" and [t.shape.as_list() for t in dm] == [[4, 2], [4]]
    du = q.dequeue_up_to(4)
    assert du[0].op.name == "fifo_queue_DequeueUpTo" and [t.shape.as_list() for t in du] == [[None, 2], [None]]
    assert q.close().name == "fifo_queue_Close"
    assert q.close(cancel_pending_enqueues=True).name == "fifo_queue_Close_1"
    assert q.size().name == "fifo_queue_Size:0" and q.size().dtype == tf.int32
    assert q.is_closed().name == "fifo_queue_Is_Closed:0" and q.is_closed().dtype == tf.bool
    assert q.enqueue_many(([[1.0, 2.0]], [1])).name == "fifo_queue_EnqueueMany"


def test_unknown_shapes_and_single_component():
    q = tf.FIFOQueue(3, tf.float32)
    d = q.dequeue()
    assert isinstance(d, tf.Tensor) and d.shape.dims is None
    with tf.Session() as sess:
        sess.run(q.enqueue(1.0))
        sess.run(q.enqueue(([1.0, 2.0],)))  # no declared shape: elements may differ
        assert sess.run(d, options=SHORT) == 1.0
        np.testing.assert_array_equal(sess.run(d, options=SHORT), [1.0, 2.0])
        sess.run(q.enqueue(1.0))
        with pytest.raises(tf.errors.InvalidArgumentError, match="require the components to have specified shapes"):
            sess.run(q.dequeue_many(1), options=SHORT)


def test_fifo_order_many_and_up_to_after_close():
    q = tf.FIFOQueue(10, [tf.float32, tf.int32], shapes=[[2], []])
    with tf.Session() as sess:
        sess.run(q.enqueue(([1.0, 2.0], 3)))
        sess.run(q.enqueue_many(([[1.0, 2.0], [3.0, 4.0]], [5, 6])))
        assert sess.run(q.size()) == 3
        x, y = sess.run(q.dequeue_many(2), options=SHORT)
        np.testing.assert_array_equal(x, [[1.0, 2.0], [1.0, 2.0]])
        np.testing.assert_array_equal(y, [3, 5])
        assert x.dtype == np.float32 and y.dtype == np.int32
        sess.run(q.close())
        assert sess.run(q.is_closed())
        x, y = sess.run(q.dequeue_up_to(5), options=SHORT)  # what is left after close
        np.testing.assert_array_equal(y, [6])
        with pytest.raises(tf.errors.OutOfRangeError) as e:
            sess.run(q.dequeue(), options=SHORT)
        assert e.value.message == ("FIFOQueue '_0_fifo_queue' is closed and has insufficient elements "
                                   "(requested 1, current size 0)")
        with pytest.raises(tf.errors.CancelledError, match=r"FIFOQueue '_0_fifo_queue' is closed\."):
            sess.run(q.enqueue(([0.0, 0.0], 0)))


def test_dequeue_many_on_closed_queue_leaves_elements():
    q = tf.FIFOQueue(10, tf.int32, shapes=[[]])
    with tf.Session() as sess:
        sess.run(q.enqueue_many([[1, 2, 3]]))
        sess.run(q.close())
        with pytest.raises(tf.errors.OutOfRangeError, match=r"requested 5, current size 3"):
            sess.run(q.dequeue_many(5), options=SHORT)
        assert sess.run(q.size()) == 3  # nothing was taken
        np.testing.assert_array_equal(sess.run(q.dequeue_up_to(5), options=SHORT), [1, 2, 3])


def test_timeouts_raise_deadline_exceeded_and_leave_the_queue_usable():
    q = tf.FIFOQueue(1, tf.float32, shapes=[[]])
    enq, deq = q.enqueue(1.0), q.dequeue()
    with tf.Session() as sess:
        t0 = time.monotonic()
        with pytest.raises(tf.errors.DeadlineExceededError, match="Timed out waiting for notification"):
            sess.run(deq, options=tf.RunOptions(timeout_in_ms=100))
        assert time.monotonic() - t0 < 1.5
        sess.run(enq)
        with pytest.raises(tf.errors.DeadlineExceededError):  # full: the enqueue waits
            sess.run(enq, options=tf.RunOptions(timeout_in_ms=100))
        assert sess.run(q.size()) == 1
        assert sess.run(deq, options=SHORT) == 1.0


def test_blocked_dequeue_wakes_on_enqueue_from_another_thread():
    q = tf.FIFOQueue(2, tf.float32, shapes=[[]])
    enq, deq = q.enqueue(7.0), q.dequeue()
    with tf.Session() as sess:
        t, out = run_in_thread(lambda: sess.run(deq, options=tf.RunOptions(timeout_in_ms=5000)))
        time.sleep(0.1)
        assert t.is_alive()  # blocked on the empty queue
        sess.run(enq)
        t.join(5)
        assert not t.is_alive() and out == {"value": 7.0}


def test_blocked_dequeue_wakes_with_out_of_range_on_close():
    q = tf.FIFOQueue(2, tf.float32, shapes=[[]])
    deq = q.dequeue()
    with tf.Session() as sess:
        t, out = run_in_thread(lambda: sess.run(deq, options=tf.RunOptions(timeout_in_ms=5000)))
        time.sleep(0.1)
        sess.run(q.close())
        t.join(5)
        assert isinstance(out.get("error"), tf.errors.OutOfRangeError)


def test_close_with_cancel_pending_enqueues_cancels_blocked_enqueue():
    q = tf.FIFOQueue(1, tf.float32, shapes=[[]])
    enq = q.enqueue(1.0)
    with tf.Session() as sess:
        sess.run(enq)
        t, out = run_in_thread(lambda: sess.run(enq, options=tf.RunOptions(timeout_in_ms=5000)))
        time.sleep(0.1)
        sess.run(q.close(cancel_pending_enqueues=True))
        t.join(5)
        assert isinstance(out.get("error"), tf.errors.CancelledError)
        assert sess.run(q.dequeue(), options=SHORT) == 1.0  # the queued element survives


def test_closing_the_session_cancels_a_blocked_dequeue():
    q = tf.FIFOQueue(1, tf.float32, shapes=[[]])
    deq = q.dequeue()
    sess = tf.Session()
    t, out = run_in_thread(lambda: sess.run(deq, options=tf.RunOptions(timeout_in_ms=5000)))
    time.sleep(0.1)
    sess.close()
    t.join(5)
    assert isinstance(out.get("error"), tf.errors.CancelledError)


def test_two_sessions_hold_separate_queues_and_shared_name_shares_one():
    q = tf.FIFOQueue(5, tf.int32, shapes=[[]])
    a = tf.FIFOQueue(5, tf.int32, shapes=[[]], shared_name="common", name="a")
    b = tf.FIFOQueue(5, tf.int32, shapes=[[]], shared_name="common", name="b")
    with tf.Session() as s1, tf.Session() as s2:
        s1.run(q.enqueue(1))
        assert s1.run(q.size()) == 1 and s2.run(q.size()) == 0
        s1.run(a.enqueue(42))
        assert s1.run(b.dequeue(), options=SHORT) == 42
        assert s2.run(b.size()) == 0


def test_names_make_elements_dicts():
    q = tf.FIFOQueue(5, [tf.float32, tf.int32], names=["a", "b"])
    assert q.names == ["a", "b"]
    d = q.dequeue()
    assert sorted(d) == ["a", "b"]
    with pytest.raises(ValueError, match="You must enqueue a dictionary in a Queue with names"):
        q.enqueue((1.0, 2))
    with pytest.raises(ValueError, match="Keys in dictionary to enqueue do not match names of Queue"):
        q.enqueue({"a": 1.0, "c": 2})
    with tf.Session() as sess:
        sess.run(q.enqueue({"b": 2, "a": 1.0}))
        assert sess.run(d, options=SHORT) == {"a": 1.0, "b": 2}


def test_graph_building_errors():
    q = tf.FIFOQueue(3, [tf.float32, tf.int32], shapes=[[2], []])
    with pytest.raises(ValueError, match=r"Shapes \(3,\) and \(2,\) are incompatible"):
        q.enqueue(([1.0, 2.0, 3.0], 1))
    # TF zips the values with the dtypes, silently dropping extra ones; tinygraph refuses
    with pytest.raises(ValueError, match="Expected 2 tensors to enqueue, got 1"):
        q.enqueue(([1.0, 2.0],))
    with pytest.raises(ValueError, match="Expected 1 tensors to enqueue, got 2"):
        tf.FIFOQueue(3, tf.float32).enqueue([1.0, 2.0])
    with pytest.raises(ValueError, match="Shapes must be provided"):
        tf.PaddingFIFOQueue(3, tf.int32, shapes=None)
    with pytest.raises(ValueError, match="same length as dtypes"):
        tf.FIFOQueue(3, [tf.int32, tf.int32], shapes=[[]])
    n_ops = len(tf.get_default_graph().get_operations())
    p = tf.placeholder(tf.float32, [None])
    with tf.Session() as sess:  # a run-time shape mismatch: InvalidArgumentError, queue intact
        with pytest.raises(tf.errors.InvalidArgumentError, match="Shape mismatch in tuple component 0"):
            sess.run(q.enqueue((p, 1)), feed_dict={p: [1.0, 2.0, 3.0]})
        assert sess.run(q.size()) == 0
    assert len(tf.get_default_graph().get_operations()) > n_ops


def test_padding_fifo_queue_pads_to_the_largest_element():
    p = tf.PaddingFIFOQueue(10, [tf.int32, tf.string], shapes=[[None], []])
    dm = p.dequeue_many(2)
    assert dm[0].shape.as_list() == [2, None]
    with tf.Session() as sess:
        sess.run(p.enqueue(([1, 2, 3], b"a")))
        sess.run(p.enqueue(([4], b"b")))
        ints, strs = sess.run(dm, options=SHORT)
        np.testing.assert_array_equal(ints, [[1, 2, 3], [4, 0, 0]])
        assert list(strs) == [b"a", b"b"]


def test_random_shuffle_queue_min_after_dequeue_and_seeded_order():
    def order():
        tf.reset_default_graph()
        tf.set_random_seed(7)
        r = tf.RandomShuffleQueue(20, 5, tf.int32, shapes=[[]])
        with tf.Session() as sess:
            sess.run(r.enqueue_many([list(range(20))]))
            got = [int(sess.run(r.dequeue(), options=SHORT)) for _ in range(15)]
            with pytest.raises(tf.errors.DeadlineExceededError):  # only min_after_dequeue left
                sess.run(r.dequeue(), options=tf.RunOptions(timeout_in_ms=50))
            sess.run(r.close())
            rest = sorted(sess.run(r.dequeue_up_to(10), options=SHORT).tolist())
        return got, rest
    got, rest = order()
    assert sorted(got + rest) == list(range(20))
    assert got != list(range(15))  # shuffled
    assert order() == (got, rest)  # reproducible under the graph seed
    tf.reset_default_graph()
    assert tf.RandomShuffleQueue(5, 1, tf.int32).name == "random_shuffle_queue"


def test_enqueue_copies_the_value():
    v = tf.Variable([1.0, 2.0])
    q = tf.FIFOQueue(2, tf.float32, shapes=[[2]])
    enq = q.enqueue(v)
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(enq)
        sess.run(tf.assign(v, [5.0, 6.0]))
        np.testing.assert_array_equal(sess.run(q.dequeue(), options=SHORT), [1.0, 2.0])


def test_gradients_flow_through_values_computed_from_a_dequeue():
    q = tf.FIFOQueue(2, tf.float32, shapes=[[3]])
    x = q.dequeue()
    w = tf.Variable([1.0, 2.0, 3.0])
    loss = tf.reduce_sum(w * x)
    (g,) = tf.gradients(loss, [w])
    with tf.Session() as sess:
        sess.run(w.initializer)
        sess.run(q.enqueue([[4.0, 5.0, 6.0]]))  # a list is a list of components
        np.testing.assert_allclose(sess.run(g, options=SHORT), [4.0, 5.0, 6.0])


def test_many_threads_enqueue_and_dequeue_every_element_once():
    q = tf.FIFOQueue(4, tf.int32, shapes=[[]])
    x = tf.placeholder(tf.int32, [])
    enq, deq = q.enqueue(x), q.dequeue()
    opts = tf.RunOptions(timeout_in_ms=10000)
    with tf.Session() as sess:
        sess.run(enq, {x: -1})  # compile both plans before the threads start
        sess.run(deq, options=opts)
        got, lock = [], threading.Lock()

        def producer(k):
            for i in range(50):
                sess.run(enq, {x: k * 1000 + i}, options=opts)

        def consumer():
            for _ in range(50):
                v = int(sess.run(deq, options=opts))
                with lock:
                    got.append(v)
        threads = [threading.Thread(target=producer, args=(k,)) for k in range(4)]
        threads += [threading.Thread(target=consumer) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert not any(t.is_alive() for t in threads)
        assert sorted(got) == sorted(k * 1000 + i for k in range(4) for i in range(50))
