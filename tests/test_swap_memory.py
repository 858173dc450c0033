"""swap_memory: saved loop values above a threshold go to (pinned) host memory and back.

On the device-like backend the policy is observable: RunMetadata.loop_stats counts
the values and bytes swapped, backend.transfers counts the copies each way (apart
from the feeds and fetches), and the gradients do not change.
"""
import numpy as np
import pytest

import tinygraph as tf
from tinygraph.control_flow.while_loop import SWAP_THRESHOLD_BYTES


def _lstm_grads(swap, batch=32, units=64, steps=12, seed=3):
    """A dynamic_rnn LSTM; returns (loss, grads, loop_stats, transfers) of one run."""
    tf.reset_default_graph()
    rng = np.random.RandomState(seed)
    x = tf.placeholder(tf.float32, [None, steps, 5])
    cell = tf.nn.rnn_cell.BasicLSTMCell(units)
    with tf.variable_scope("m", initializer=tf.random_uniform_initializer(-0.1, 0.1, seed=seed)):
        out, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32, swap_memory=swap)
    loss = tf.reduce_sum(tf.square(out))
    params = tf.trainable_variables()
    grads = tf.gradients(loss, params)
    feed = {x: rng.randn(batch, steps, 5).astype(np.float32)}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run([loss] + grads, feed)  # compile the plan (uploads constants); measure the next run
        sess.backend.transfers.reset()
        if hasattr(sess.backend, "prefetch_hits"):
            sess.backend.prefetch_hits = 0
        md = tf.RunMetadata()
        values = sess.run([loss] + grads, feed, run_metadata=md)
        transfers = sess.backend.transfers.as_dict()
    return values[0], values[1:], md.loop_stats, transfers


def test_swap_moves_large_saved_values_and_counts_them(device_backend):
    _, _, off, t_off = _lstm_grads(swap=False)
    _, _, on, t_on = _lstm_grads(swap=True)
    # without swap nothing leaves the device
    assert off["swapped_values"] == 0 and off["swapped_bytes"] == 0
    assert t_off["swap_out_count"] == 0 and t_off["swap_in_count"] == 0
    # the same values are saved either way; with swap, the large ones are swapped
    assert on["saved_values"] == off["saved_values"] > 0
    assert on["saved_bytes"] == off["saved_bytes"]
    assert 0 < on["swapped_values"] < on["saved_values"]  # small ones (the time index) stay
    assert on["swapped_bytes"] >= on["swapped_values"] * SWAP_THRESHOLD_BYTES
    # every swapped value is copied out once and back once by the backward loop
    assert t_on["swap_out_count"] == on["swapped_values"]
    assert t_on["swap_out_bytes"] == on["swapped_bytes"]
    assert t_on["swap_in_count"] == on["swapped_values"]
    assert t_on["swap_in_bytes"] == on["swapped_bytes"]
    # swap traffic is kept apart from the session's copies: one feed in, the fetches out
    assert t_on["to_device_count"] == t_off["to_device_count"] == 1
    assert t_on["to_host_count"] == t_off["to_host_count"] == 3  # loss, kernel and bias grads


def test_swapped_bytes_are_the_saved_values_over_the_threshold(device_backend):
    # batch 32 x 64 units float32 = 8192 bytes per [batch, units] value: all above 4096
    _, _, on, _ = _lstm_grads(swap=True, batch=32, units=64, steps=7)
    assert on["swapped_values"] % 7 == 0  # the same values each iteration
    assert on["swapped_bytes"] % (32 * 4) == 0  # [batch, k] float32 activations
    small = on["saved_values"] - on["swapped_values"]
    assert on["saved_bytes"] - on["swapped_bytes"] < small * SWAP_THRESHOLD_BYTES
    assert on["loop_iterations"] == 7


def test_gradients_are_identical_with_swap_on_and_off(device_backend):
    loss_off, g_off, _, _ = _lstm_grads(swap=False)
    loss_on, g_on, _, _ = _lstm_grads(swap=True)
    assert loss_on == loss_off
    assert len(g_on) == len(g_off) == 2
    for a, b in zip(g_on, g_off):
        assert isinstance(a, np.ndarray)
        np.testing.assert_array_equal(a, b)


def test_values_below_the_threshold_are_never_swapped(device_backend):
    # batch 2 x 8 units: 64-byte values
    _, _, on, t = _lstm_grads(swap=True, batch=2, units=8, steps=5)
    assert on["saved_values"] > 0
    assert on["swapped_values"] == 0 and t["swap_out_count"] == 0


def test_backward_loop_prefetches_swapped_values(device_backend):
    steps = 9
    _, _, on, _ = _lstm_grads(swap=True, steps=steps)
    per_iteration = on["swapped_values"] // steps
    assert per_iteration * steps == on["swapped_values"]
    # all iterations but the last one (read first by the backward loop) were asked for early
    assert device_backend.prefetch_hits == per_iteration * (steps - 1)


def test_while_loop_swap_memory_on_a_plain_loop(device_backend):
    x = tf.placeholder(tf.float64, [40, 40])  # 12800-byte values
    i0 = tf.constant(0)

    def body(i, h):
        return i + 1, tf.tanh(tf.matmul(h, x))
    outs = {}
    for swap in (False, True):
        _, h = tf.while_loop(lambda i, h: i < 4, body, [i0, tf.ones([40, 40], dtype=tf.float64)],
                             swap_memory=swap)
        g = tf.gradients(tf.reduce_sum(h), x)[0]
        feed = {x: np.random.RandomState(0).randn(40, 40) * 0.1}
        with tf.Session() as sess:
            md = tf.RunMetadata()
            outs[swap] = (sess.run(g, feed, run_metadata=md), md.loop_stats)
    np.testing.assert_array_equal(outs[True][0], outs[False][0])
    assert outs[False][1]["swapped_values"] == 0
    assert outs[True][1]["swapped_values"] >= 4
    assert outs[True][1]["swapped_bytes"] >= 4 * 40 * 40 * 8


def test_numpy_backend_never_swaps():
    tf.set_backend("numpy")
    _, _, on, t = _lstm_grads(swap=True)
    assert on["saved_values"] > 0
    assert on["swapped_values"] == 0 and on["swapped_bytes"] == 0
    assert t["swap_out_count"] == 0


def test_swap_memory_flag_is_recorded_on_the_while_op():
    x = tf.placeholder(tf.float32, [None, 3, 2])
    tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicRNNCell(4), x, dtype=tf.float32, swap_memory=True)
    whiles = [op for op in tf.get_default_graph().get_operations() if op.type == "While"]
    assert len(whiles) == 1 and whiles[0].attrs["swap_memory"] is True


@pytest.mark.gpu
def test_cupy_swap_gradients_match_without_swap():
    tf.set_backend("cupy")
    loss_off, g_off, off, _ = _lstm_grads(swap=False)
    loss_on, g_on, on, t = _lstm_grads(swap=True)
    assert on["swapped_values"] > 0 and t["swap_in_count"] == on["swapped_values"]
    for a, b in zip(g_on, g_off):
        np.testing.assert_array_equal(a, b)
