"""tf.contrib.legacy_seq2seq and the candidate-sampling losses (nce_loss, sampled_softmax_loss)."""
import numpy as np
import pytest

import tinygraph as tf
from tinygraph.ops import candidate_sampling as cs

seq2seq = tf.contrib.legacy_seq2seq
RNG = np.random.RandomState(5)


def sig(x):
    return 1.0 / (1.0 + np.exp(-x))


def load_random(sess, scale=0.5):
    values = {}
    rng = np.random.RandomState(11)
    for v in tf.trainable_variables():
        values[v.name] = rng.uniform(-scale, scale, v.shape.as_list()).astype(np.float32)
        v.load(values[v.name], sess)
    return values


def rnn_step(x, h, k, b):
    return np.tanh(np.concatenate([x, h], 1) @ k + b)


# -- decoders and seq2seq models ------------------------------------------------------------------
def test_rnn_decoder_with_loop_function():
    inputs = [tf.placeholder(tf.float32, [2, 3]) for _ in range(3)]
    h0 = tf.placeholder(tf.float32, [2, 3])
    calls = []

    def loop(prev, i):
        calls.append(i)
        return prev * 2.0

    outs, state = seq2seq.rnn_decoder(inputs, h0, tf.nn.rnn_cell.BasicRNNCell(3), loop_function=loop)
    assert calls == [1, 2]
    assert [v.name for v in tf.trainable_variables()] == ["rnn_decoder/basic_rnn_cell/kernel:0",
                                                          "rnn_decoder/basic_rnn_cell/bias:0"]
    xv = [RNG.randn(2, 3).astype(np.float32) for _ in range(3)]
    hv = RNG.randn(2, 3).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        w = load_random(sess)
        got, got_state = sess.run([outs, state], {**dict(zip(inputs, xv)), h0: hv})
    k, b = w.values()
    h, x = hv, xv[0]
    for t in range(3):
        h = rnn_step(x, h, k, b)
        np.testing.assert_allclose(got[t], h, rtol=1e-5, atol=1e-6)
        x = 2.0 * h
    np.testing.assert_allclose(got_state, h, rtol=1e-5, atol=1e-6)


def test_basic_rnn_seq2seq_encoder_has_its_own_weights():
    enc = [tf.placeholder(tf.float32, [2, 3]) for _ in range(2)]
    dec = [tf.placeholder(tf.float32, [2, 3]) for _ in range(2)]
    outs, state = seq2seq.basic_rnn_seq2seq(enc, dec, tf.nn.rnn_cell.BasicRNNCell(4))
    assert [v.name for v in tf.trainable_variables()] == [
        "basic_rnn_seq2seq/rnn/basic_rnn_cell/kernel:0", "basic_rnn_seq2seq/rnn/basic_rnn_cell/bias:0",
        "basic_rnn_seq2seq/rnn_decoder/basic_rnn_cell/kernel:0",
        "basic_rnn_seq2seq/rnn_decoder/basic_rnn_cell/bias:0"]
    ev = [RNG.randn(2, 3).astype(np.float32) for _ in range(2)]
    dv = [RNG.randn(2, 3).astype(np.float32) for _ in range(2)]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        k1, b1, k2, b2 = load_random(sess).values()
        got = sess.run(outs, {**dict(zip(enc, ev)), **dict(zip(dec, dv))})
    h = np.zeros((2, 4))
    for x in ev:
        h = rnn_step(x, h, k1, b1)
    for x, g in zip(dv, got):
        h = rnn_step(x, h, k2, b2)
        np.testing.assert_allclose(g, h, rtol=1e-5, atol=1e-6)


def test_tied_rnn_seq2seq_shares_weights():
    enc = [tf.placeholder(tf.float32, [2, 3]) for _ in range(2)]
    seq2seq.tied_rnn_seq2seq(enc, enc, tf.nn.rnn_cell.GRUCell(3))
    assert len(tf.trainable_variables()) == 4
    assert tf.trainable_variables()[0].name == \
        "combined_tied_rnn_seq2seq/tied_rnn_seq2seq/gru_cell/gates/kernel:0"


def _embedding_model(feed_previous, cell=None):
    enc = [tf.placeholder(tf.int32, [None]) for _ in range(3)]
    dec = [tf.placeholder(tf.int32, [None]) for _ in range(2)]
    cell = cell or tf.nn.rnn_cell.BasicRNNCell(4)
    outs, state = seq2seq.embedding_rnn_seq2seq(enc, dec, cell, num_encoder_symbols=7,
                                                num_decoder_symbols=6, embedding_size=3,
                                                feed_previous=feed_previous)
    return enc, dec, outs, state


def test_embedding_rnn_seq2seq_variable_layout():
    _embedding_model(False, tf.nn.rnn_cell.BasicLSTMCell(4))
    p = "embedding_rnn_seq2seq/"
    assert [(v.name, v.shape.as_list()) for v in tf.trainable_variables()] == [
        (p + "rnn/embedding_wrapper/embedding:0", [7, 3]),
        (p + "rnn/embedding_wrapper/basic_lstm_cell/kernel:0", [7, 16]),
        (p + "rnn/embedding_wrapper/basic_lstm_cell/bias:0", [16]),
        (p + "embedding_rnn_decoder/embedding:0", [6, 3]),
        (p + "embedding_rnn_decoder/rnn_decoder/output_projection_wrapper/basic_lstm_cell/kernel:0", [7, 16]),
        (p + "embedding_rnn_decoder/rnn_decoder/output_projection_wrapper/basic_lstm_cell/bias:0", [16]),
        (p + "embedding_rnn_decoder/rnn_decoder/output_projection_wrapper/kernel:0", [4, 6]),
        (p + "embedding_rnn_decoder/rnn_decoder/output_projection_wrapper/bias:0", [6])]


@pytest.mark.parametrize("feed_previous", [False, True])
def test_embedding_rnn_seq2seq_matches_numpy(feed_previous):
    enc, dec, outs, state = _embedding_model(feed_previous)
    assert outs[0].shape.as_list() == [None, 6]
    ev = [np.array([1, 6]), np.array([0, 3]), np.array([5, 2])]
    dv = [np.array([0, 0]), np.array([4, 1])]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        e_emb, k1, b1, d_emb, k2, b2, pk, pb = load_random(sess, 1.0).values()
        got = sess.run(outs, {**dict(zip(enc, ev)), **dict(zip(dec, dv))})
    h = np.zeros((2, 4))
    for ids in ev:
        h = rnn_step(e_emb[ids], h, k1, b1)
    ids = dv[0]
    for t, g in enumerate(got):
        h = rnn_step(d_emb[ids], h, k2, b2)
        logits = h @ pk + pb
        np.testing.assert_allclose(g, logits, rtol=1e-5, atol=1e-5)
        ids = logits.argmax(1) if feed_previous else dv[min(t + 1, 1)]


def test_embedding_rnn_seq2seq_with_output_projection():
    enc = [tf.placeholder(tf.int32, [None]) for _ in range(2)]
    w = tf.get_variable("proj_w", [4, 9])
    b = tf.get_variable("proj_b", [9])
    outs, _ = seq2seq.embedding_rnn_seq2seq(enc, enc, tf.nn.rnn_cell.GRUCell(4), 5, 9, 2,
                                            output_projection=(w, b), feed_previous=True)
    assert outs[0].shape.as_list() == [None, 4]  # no OutputProjectionWrapper
    assert not any("output_projection_wrapper" in v.name for v in tf.trainable_variables())
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(outs[1], {enc[0]: [1, 2], enc[1]: [3, 4]}).shape == (2, 4)


def test_embedding_rnn_decoder_checks_projection_shape():
    with pytest.raises(ValueError):
        seq2seq.embedding_rnn_decoder([tf.constant([1])], tf.zeros([1, 3]),
                                      tf.nn.rnn_cell.BasicRNNCell(3), 5, 2,
                                      output_projection=(tf.zeros([3, 4]), tf.zeros([4])))


# -- sequence losses ------------------------------------------------------------------------------
def _np_xent(logits, labels):
    z = logits - logits.max(1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(1, keepdims=True))
    return -logp[np.arange(len(labels)), labels]


@pytest.mark.parametrize("avg_time,avg_batch", [(True, True), (False, True), (True, False), (False, False)])
def test_sequence_loss_matches_numpy(avg_time, avg_batch):
    T, Bn, C = 3, 4, 5
    lv = [RNG.randn(Bn, C).astype(np.float32) for _ in range(T)]
    tv = [RNG.randint(0, C, Bn).astype(np.int32) for _ in range(T)]
    wv = [RNG.uniform(0, 1, Bn).astype(np.float32) for _ in range(T)]
    logits = [tf.constant(v) for v in lv]
    targets = [tf.constant(v) for v in tv]
    weights = [tf.constant(v) for v in wv]
    per_example = seq2seq.sequence_loss_by_example(logits, targets, weights,
                                                   average_across_timesteps=avg_time)
    total = seq2seq.sequence_loss(logits, targets, weights, average_across_timesteps=avg_time,
                                  average_across_batch=avg_batch)
    want = sum(_np_xent(lg, tg) * w for lg, tg, w in zip(lv, tv, wv))
    if avg_time:
        want = want / (sum(wv) + 1e-12)
    want_total = want.sum() / (Bn if avg_batch else 1)
    with tf.Session() as sess:
        got, got_total = sess.run([per_example, total])
    np.testing.assert_allclose(got, want, rtol=1e-5)
    np.testing.assert_allclose(got_total, want_total, rtol=1e-5)
    assert total.shape.ndims == 0


def test_sequence_loss_custom_loss_and_length_check():
    logits = [tf.ones([2, 3])] * 2
    targets = [tf.zeros([2], tf.int32)] * 2
    weights = [tf.ones([2])] * 2
    loss = seq2seq.sequence_loss(logits, targets, weights,
                                 softmax_loss_function=lambda labels, logits: tf.reduce_sum(logits, 1))
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(loss), 3.0, rtol=1e-6)  # (3+3)/(1+1) per row, mean
    with pytest.raises(ValueError, match="Lengths of logits, weights, and targets"):
        seq2seq.sequence_loss(logits, targets[:1], weights)


# -- candidate sampling ---------------------------------------------------------------------------
def test_log_uniform_sampler_distribution_and_counts():
    labels = tf.constant([[0], [5]], tf.int64)
    sampled, true_ec, samp_ec = cs.log_uniform_candidate_sampler(labels, 1, 200, False, 50, seed=1)
    assert sampled.dtype == tf.int64 and sampled.shape.as_list() == [200]
    assert true_ec.shape.as_list() == [2, 1] and samp_ec.dtype == tf.float32
    draws = []
    with tf.Session() as sess:
        for _ in range(20):
            s, t, e = sess.run([sampled, true_ec, samp_ec])
            draws.append(s)
    p = np.log((np.arange(50) + 2.0) / (np.arange(50) + 1.0)) / np.log(51.0)
    np.testing.assert_allclose(t[:, 0], 200 * p[[0, 5]], rtol=1e-5)  # unique=False: p * num_sampled
    np.testing.assert_allclose(e, 200 * p[s], rtol=1e-5)
    freq = np.bincount(np.concatenate(draws), minlength=50) / 4000.0
    assert np.all(np.concatenate(draws) < 50)
    np.testing.assert_allclose(freq[:5], p[:5], atol=0.02)


def test_unique_sampler_expected_counts():
    labels = tf.constant([[1, 2]], tf.int64)
    sampled, true_ec, samp_ec = cs.log_uniform_candidate_sampler(labels, 2, 10, True, 20, seed=4)
    with tf.Session() as sess:
        s, t, e = sess.run([sampled, true_ec, samp_ec])
    assert len(set(s.tolist())) == 10
    p = np.log((np.arange(20) + 2.0) / (np.arange(20) + 1.0)) / np.log(21.0)
    tries = np.log1p(-e) / np.log1p(-p[s])  # 1 - (1-p)^tries, solved for tries
    n = np.round(tries[0])
    assert n >= 10
    np.testing.assert_allclose(tries, n, rtol=1e-3)
    np.testing.assert_allclose(t[0], 1 - (1 - p[[1, 2]]) ** n, rtol=1e-4)


def test_uniform_sampler_and_seeds():
    labels = tf.constant([[3]], tf.int64)
    a = cs.uniform_candidate_sampler(labels, 1, 8, True, 8, seed=7)
    b = cs.uniform_candidate_sampler(labels, 1, 8, True, 8, seed=7)
    with tf.Session() as sess:
        sa, sb = sess.run([a[0], b[0]])
        assert sorted(sa.tolist()) == list(range(8))
    assert np.array_equal(sa, sb)
    with pytest.raises(ValueError, match="must not exceed range_max"):
        cs.uniform_candidate_sampler(labels, 1, 9, True, 8)


def test_compute_accidental_hits():
    idx, ids, w = cs.compute_accidental_hits(tf.constant([[1, 4], [2, 5]], tf.int64),
                                             tf.constant([4, 5, 1, 0], tf.int64), num_true=2)
    with tf.Session() as sess:
        i, d, wv = sess.run([idx, ids, w])
    assert i.tolist() == [0, 0, 1] and d.tolist() == [2, 0, 1]
    assert np.all(wv == -np.finfo(np.float32).max)


def _np_sampled_logits(W, b, labels, x, sampled, tec, sec, remove_hits):
    true_logits = np.einsum("bd,btd->bt", x, W[labels]) + b[labels] - np.log(tec)
    samp_logits = x @ W[sampled].T + b[sampled] - np.log(sec)
    if remove_hits:
        hits = (labels[:, :, None] == sampled[None, None, :]).any(1)
        samp_logits = np.where(hits, samp_logits - np.finfo(np.float32).max, samp_logits)
    num_true = labels.shape[1]
    out_labels = np.concatenate([np.full(true_logits.shape, 1.0 / num_true),
                                 np.zeros(samp_logits.shape)], 1)
    return np.concatenate([true_logits, samp_logits], 1), out_labels


@pytest.mark.parametrize("remove_hits", [False, True])
def test_nce_loss_matches_numpy(remove_hits):
    C, D, Bn, S, num_true = 12, 4, 3, 5, 2
    W = RNG.randn(C, D).astype(np.float32)
    bias = RNG.randn(C).astype(np.float32)
    x = RNG.randn(Bn, D).astype(np.float32)
    labels = np.array([[1, 3], [0, 7], [2, 2]], np.int64)
    sampled = np.array([3, 5, 8, 0, 11], np.int64)
    tec = RNG.uniform(0.1, 0.9, (Bn, num_true)).astype(np.float32)
    sec = RNG.uniform(0.1, 0.9, S).astype(np.float32)
    w_var = tf.Variable(W)
    loss = cs.nce_loss(w_var, tf.constant(bias), labels, tf.constant(x), num_sampled=S,
                       num_classes=C, num_true=num_true, sampled_values=(sampled, tec, sec),
                       remove_accidental_hits=remove_hits)
    g = tf.gradients(tf.reduce_sum(loss), w_var)[0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got, grad = sess.run([loss, tf.convert_to_tensor(g)])
    logits, z = _np_sampled_logits(W.astype(np.float64), bias, labels, x, sampled, tec, sec, remove_hits)
    want = (np.maximum(logits, 0) - logits * z + np.log1p(np.exp(-np.abs(logits)))).sum(1)
    assert loss.shape.as_list() == [Bn]
    np.testing.assert_allclose(got, want, rtol=1e-5)
    # only the rows of true and sampled classes get a gradient
    touched = np.zeros(C, bool)
    touched[labels.ravel()] = touched[sampled] = True
    assert np.all(grad[~touched] == 0) and np.any(grad[touched] != 0)


def test_sampled_softmax_loss_matches_numpy():
    C, D, Bn, S = 10, 3, 4, 4
    W = RNG.randn(C, D).astype(np.float32)
    bias = RNG.randn(C).astype(np.float32)
    x = RNG.randn(Bn, D).astype(np.float32)
    labels = np.array([[1], [4], [9], [0]], np.int64)
    sampled = np.array([4, 2, 6, 7], np.int64)
    tec = np.full((Bn, 1), 0.5, np.float32)
    sec = np.full(S, 0.25, np.float32)
    loss = cs.sampled_softmax_loss(tf.constant(W), tf.constant(bias), labels, tf.constant(x), S, C,
                                   sampled_values=(sampled, tec, sec))
    with tf.Session() as sess:
        got = sess.run(loss)
    logits, z = _np_sampled_logits(W.astype(np.float64), bias, labels, x, sampled, tec, sec, True)
    m = logits.max(1, keepdims=True)
    logp = logits - m - np.log(np.exp(logits - m).sum(1, keepdims=True))
    np.testing.assert_allclose(got, -(z * logp).sum(1), rtol=1e-5)


def _numpy_nce(W, b, x, labels, sampled, true_expected, sampled_expected):
    """TF's nce_loss by hand: logistic losses of (logit - log expected count), summed per row."""
    true_logits = np.sum(x * W[labels[:, 0]], axis=1, keepdims=True) + b[labels]
    true_logits = true_logits - np.log(true_expected)
    sampled_logits = x @ W[sampled].T + b[sampled] - np.log(sampled_expected)

    def xent(z, y):  # sigmoid cross-entropy, stable form
        return np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
    return np.sum(xent(true_logits, 1.0), axis=1) + np.sum(xent(sampled_logits, 0.0), axis=1)


def test_nce_loss_default_sampler_trains():
    C, D, S = 30, 4, 6
    rng = np.random.RandomState(11)
    W0 = rng.uniform(-1, 1, (C, D)).astype(np.float32)
    W = tf.Variable(W0)
    bias = tf.Variable(tf.zeros([C]))
    x0 = rng.randn(8, D).astype(np.float32)
    labels0 = rng.randint(0, C, (8, 1))
    x, labels = tf.constant(x0), tf.constant(labels0)
    loss = tf.reduce_mean(cs.nce_loss(W, bias, labels, x, num_sampled=S, num_classes=C))
    # a fixed negative set and expected counts: a deterministic yardstick of the same loss
    sampled = np.array([3, 7, 12, 20, 25, 29])
    q = np.log((np.arange(C) + 2.0) / (np.arange(C) + 1.0)) / np.log(C + 1.0)
    true_expected, sampled_expected = (S * q[labels0]).astype(np.float32), (S * q[sampled]).astype(np.float32)
    fixed = tf.reduce_mean(cs.nce_loss(W, bias, labels, x, num_sampled=S, num_classes=C,
                                       sampled_values=(tf.constant(sampled, tf.int64),
                                                       tf.constant(true_expected), tf.constant(sampled_expected))))
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        before = sess.run(fixed)
        want = _numpy_nce(W0, np.zeros(C), x0, labels0, sampled, true_expected, sampled_expected).mean()
        np.testing.assert_allclose(before, want, rtol=1e-5)
        sampled_losses = [sess.run([loss, train])[0] for _ in range(60)]
        after = sess.run(fixed)
        W1, b1 = sess.run([W, bias])
    np.testing.assert_allclose(after, _numpy_nce(W1, b1, x0, labels0, sampled, true_expected,
                                                 sampled_expected).mean(), rtol=1e-5)
    assert np.all(np.isfinite(sampled_losses))
    assert after < 0.5 * before, (before, after)
    assert np.mean(sampled_losses[-10:]) < 0.5 * np.mean(sampled_losses[:10])


def test_embedding_rnn_seq2seq_feed_previous_tensor_picks_decoder_at_run_time():
    enc = [tf.placeholder(tf.int32, [None]) for _ in range(2)]
    dec = [tf.placeholder(tf.int32, [None]) for _ in range(2)]
    feed_previous = tf.placeholder(tf.bool, [])
    outs, state = seq2seq.embedding_rnn_seq2seq(enc, dec, tf.nn.rnn_cell.BasicLSTMCell(4), 5, 6, 3,
                                                feed_previous=feed_previous)
    assert isinstance(state, tf.nn.rnn_cell.LSTMStateTuple) and len(tf.trainable_variables()) == 8
    feed = {enc[0]: [1, 2], enc[1]: [3, 4], dec[0]: [0, 0], dec[1]: [5, 5]}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        greedy = sess.run(outs, {**feed, feed_previous: True})
        feed[dec[1]] = (greedy[0].argmax(1) + 1) % 6  # not what greedy decoding feeds back
        forced = sess.run(outs, {**feed, feed_previous: False})
    np.testing.assert_allclose(greedy[0], forced[0], rtol=1e-6)  # same first input
    assert not np.allclose(greedy[1], forced[1])


def test_cell_copy_shares_graph_tensors():
    keep = tf.placeholder_with_default(1.0, [])
    cell = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.BasicRNNCell(3), output_keep_prob=keep)
    enc = [tf.ones([2, 3])] * 2
    outs, _ = seq2seq.basic_rnn_seq2seq(enc, enc, cell)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        zero = sess.run(outs, {keep: 1e-6})  # the copied encoder cell sees the same placeholder
        full = sess.run(outs, {keep: 1.0})
    assert np.abs(full[0]).sum() > 0 and not np.allclose(zero[0], full[0])
