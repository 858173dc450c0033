"""Dataset.shuffle: permutations, the buffer's reach, TF's seed rules, reshuffling per epoch."""
import numpy as np
import pytest

import tinygraph as tf
from tinygraph.data import runtime, shuffling


def _epochs(n, buffer_size, epochs, seed=None, graph_seed=None, reshuffle=None, sessions=1,
            batch=None, source="slices"):
    tf.reset_default_graph()
    if graph_seed is not None:
        tf.set_random_seed(graph_seed)
    ds = tf.data.Dataset.from_tensor_slices(np.arange(n)) if source == "slices" else \
        tf.data.Dataset.range(n).map(lambda v: v)  # no random access: buffers elements
    ds = ds.shuffle(buffer_size, seed=seed, reshuffle_each_iteration=reshuffle).repeat(epochs)
    if batch:
        ds = ds.batch(batch)
    it = ds.make_initializable_iterator()
    nxt = it.get_next()
    runs = []
    for _ in range(sessions):
        with tf.Session() as sess:
            sess.run(it.initializer)
            out = []
            while True:
                try:
                    out.append(sess.run(nxt))
                except tf.errors.OutOfRangeError:
                    break
            runs.append(np.concatenate(out) if batch else np.array(out))
    return [r.reshape(epochs, n) for r in runs]


@pytest.mark.parametrize("source", ["slices", "map"])
@pytest.mark.parametrize("buffer_size", [1, 3, 20, 100])
def test_each_epoch_is_a_permutation_within_the_buffers_reach(source, buffer_size):
    (orders,) = _epochs(20, buffer_size, 3, seed=4, source=source)
    for order in orders:
        assert sorted(order.tolist()) == list(range(20))
        # element i can only leave the buffer after input i entered it: at position >= i - (B-1)
        assert all(order[p] <= p + buffer_size - 1 for p in range(20))
    if buffer_size == 1:
        assert all(order.tolist() == list(range(20)) for order in orders)


@pytest.mark.parametrize("source", ["slices", "map"])
def test_same_seeds_same_orders_in_sessions_and_rebuilt_graphs(source):
    a = _epochs(30, 30, 3, seed=7, source=source, sessions=2)
    b = _epochs(30, 30, 3, seed=7, source=source)
    np.testing.assert_array_equal(a[0], a[1])
    np.testing.assert_array_equal(a[0], b[0])
    c = _epochs(30, 30, 3, seed=8, source=source)
    assert not np.array_equal(a[0], c[0])


def test_reshuffle_each_iteration():
    (orders,) = _epochs(30, 30, 3, seed=1)
    assert not np.array_equal(orders[0], orders[1]) and not np.array_equal(orders[1], orders[2])
    (fixed,) = _epochs(30, 30, 3, seed=1, reshuffle=False)
    np.testing.assert_array_equal(fixed[0], fixed[1])
    np.testing.assert_array_equal(fixed[1], fixed[2])


def test_graph_seed_alone_makes_orders_reproducible():
    a = _epochs(30, 30, 2, graph_seed=5)
    b = _epochs(30, 30, 2, graph_seed=5)
    c = _epochs(30, 30, 2, graph_seed=6)
    np.testing.assert_array_equal(a[0], b[0])
    assert not np.array_equal(a[0], c[0])


def test_no_seed_differs_between_sessions():
    a, b = _epochs(50, 50, 1, sessions=2)
    assert sorted(a[0].tolist()) == sorted(b[0].tolist()) == list(range(50))
    assert not np.array_equal(a, b)


def test_reinitializing_replays_the_same_orders():
    tf.set_random_seed(3)
    it = tf.data.Dataset.range(10).shuffle(10).repeat(2).make_initializable_iterator()
    n = it.get_next()
    with tf.Session() as sess:
        sess.run(it.initializer)
        first = [sess.run(n) for _ in range(20)]
        sess.run(it.initializer)
        again = [sess.run(n) for _ in range(20)]
    assert first == again and first[:10] != first[10:]


def test_batched_shuffle_gathers_the_same_elements_as_unbatched():
    (one,) = _epochs(40, 15, 2, seed=9)
    (batched,) = _epochs(40, 15, 2, seed=9, batch=7)
    np.testing.assert_array_equal(one, batched)


def test_shuffled_pairs_stay_paired():
    X = np.arange(50, dtype=np.float32)[:, None] * np.ones((1, 4), np.float32)
    y = np.arange(50)
    xb, yb = tf.data.Dataset.from_tensor_slices((X, y)).shuffle(50, seed=2).batch(16) \
        .make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        seen = []
        for _ in range(4):
            xv, yv = sess.run([xb, yb])
            np.testing.assert_array_equal(xv, X[yv])
            seen.extend(yv.tolist())
    assert sorted(seen) == list(range(50))


class _ScriptedRng:
    """Hands out a fixed sequence of slot draws (and keeps the final order)."""

    def __init__(self, slots, size):
        self.slots, self.size = list(slots), size

    def random_sample(self, n):
        out, self.slots = self.slots[:n], self.slots[n:]
        return (np.array(out) + 0.5) / self.size

    def permutation(self, a):
        return np.array(a)


@pytest.mark.parametrize("chunk", [1, 4, 1024])
@pytest.mark.parametrize("asks", [[1] * 30, [7, 7, 7, 9], [30]])
def test_block_shuffle_equals_the_one_by_one_buffer_algorithm(asks, chunk, monkeypatch):
    n, size = 30, 5
    rs = np.random.RandomState(11)
    slots = rs.randint(0, size, size=n - size).tolist()
    slots[3] = slots[2]  # make sure a slot is hit twice in a row
    # one by one: draw a slot, output it, refill it with the next input
    buf, nxt, want = list(range(size)), size, []
    for j in slots:
        want.append(buf[j])
        buf[j], nxt = nxt, nxt + 1
    want += buf  # then the remaining buffer (scripted permutation: as it is)
    value = runtime.SlicesValue(np, [np.arange(n) * 10])
    monkeypatch.setattr(shuffling._IndexShuffleIterator, "CHUNK", chunk)
    it = shuffling._IndexShuffleIterator(np, value, size, _ScriptedRng(slots, size))
    got = []
    for k in asks:
        got.extend((it.next_many(k)[0] // 10).tolist())
    assert got == want
    with pytest.raises(runtime.EndOfSequence):
        it.next_many(1)
