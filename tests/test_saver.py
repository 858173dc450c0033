"""tf.train.Saver: round trips, TF's file naming and state file, pruning, atomic writes, errors."""
import os
import pickle
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import tinygraph as tf
from tinygraph.train import saver as saver_mod

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _model():
    w = tf.Variable(np.arange(6, dtype=np.float32).reshape(2, 3), name="w")
    b = tf.Variable(np.int64(7), name="b")
    step = tf.train.get_or_create_global_step()
    loss = tf.reduce_sum(tf.square(w))
    train = tf.train.AdamOptimizer(0.1).minimize(loss, global_step=step)
    return w, b, step, train


def test_round_trip_restores_every_variable_exactly_incl_slots_and_global_step(tmp_path):
    w, b, step, train = _model()
    saver = tf.train.Saver()
    names = sorted(v.op.name for v in tf.global_variables())
    assert names == sorted(["w", "b", "global_step", "beta1_power", "beta2_power", "w/Adam", "w/Adam_1"])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train)
        path = saver.save(sess, str(tmp_path / "model.ckpt"), global_step=step)
        saved = sess.run(tf.global_variables())
    assert path == str(tmp_path / "model.ckpt-3")
    assert os.path.isfile(path + ".npz")
    with tf.Session() as sess:  # a fresh session: nothing initialized
        saver.restore(sess, path)
        restored = sess.run(tf.global_variables())
        assert int(sess.run(step)) == 3
    for a, r in zip(saved, restored):
        assert np.asarray(a).dtype == np.asarray(r).dtype
        np.testing.assert_array_equal(a, r)


def test_state_file_is_tfs_text_format_and_latest_checkpoint_reads_it(tmp_path):
    tf.Variable(1.0, name="v")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for s in (10, 20):
            saver.save(sess, str(tmp_path / "model.ckpt"), global_step=s)
    text = (tmp_path / "checkpoint").read_text()
    p10, p20 = str(tmp_path / "model.ckpt-10"), str(tmp_path / "model.ckpt-20")
    assert text == ('model_checkpoint_path: "%s"\nall_model_checkpoint_paths: "%s"\n'
                    'all_model_checkpoint_paths: "%s"\n' % (p20, p10, p20))
    assert tf.train.latest_checkpoint(str(tmp_path)) == p20
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert state.all_model_checkpoint_paths == [p10, p20]
    assert tf.train.checkpoint_exists(p10) and not tf.train.checkpoint_exists(p10 + "x")
    assert tf.train.latest_checkpoint(str(tmp_path / "nowhere")) is None


def test_relative_paths_in_the_state_file_are_relative_to_its_directory(tmp_path):
    tf.Variable(1.0, name="v")
    saver = tf.train.Saver(save_relative_paths=True)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        saver.save(sess, str(tmp_path / "m"), global_step=1)
    assert 'model_checkpoint_path: "m-1"' in (tmp_path / "checkpoint").read_text()
    assert tf.train.latest_checkpoint(str(tmp_path)) == os.path.join(str(tmp_path), "m-1")


def test_max_to_keep_prunes_old_files(tmp_path):
    v = tf.Variable(0.0, name="v")
    inc = tf.assign_add(v, 1.0)
    saver = tf.train.Saver(max_to_keep=2)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for s in range(5):
            sess.run(inc)
            saver.save(sess, str(tmp_path / "model"), global_step=s)
    files = sorted(f for f in os.listdir(tmp_path) if f.endswith(".npz"))
    assert files == ["model-3.npz", "model-4.npz"]
    assert saver.last_checkpoints == [str(tmp_path / "model-3"), str(tmp_path / "model-4")]
    with tf.Session() as sess:
        saver.restore(sess, str(tmp_path / "model-3"))
        assert sess.run(v) == 4.0


def test_max_to_keep_none_keeps_every_file(tmp_path):
    tf.Variable(0.0, name="v")
    saver = tf.train.Saver(max_to_keep=None)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for s in range(3):
            saver.save(sess, str(tmp_path / "m"), global_step=s)
    assert len([f for f in os.listdir(tmp_path) if f.endswith(".npz")]) == 3


def test_var_list_as_dict_renames_and_list_selects(tmp_path):
    a = tf.Variable([1.0, 2.0], name="a")
    b = tf.Variable([3.0], name="b")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = tf.train.Saver({"renamed": a}).save(sess, str(tmp_path / "d"))
        tf.train.Saver([b]).save(sess, str(tmp_path / "l"))
    with np.load(path + ".npz", allow_pickle=False) as data:
        assert data.files == ["renamed"]
        np.testing.assert_array_equal(data["renamed"], [1.0, 2.0])
    c = tf.Variable([0.0, 0.0], name="c")
    with tf.Session() as sess:
        tf.train.Saver({"renamed": c}).restore(sess, path)
        np.testing.assert_array_equal(sess.run(c), [1.0, 2.0])


def test_construction_errors():
    with pytest.raises(ValueError, match="No variables to save"):
        tf.train.Saver()
    assert tf.train.Saver(allow_empty=True).last_checkpoints == []
    v = tf.Variable(1.0, name="v")
    with pytest.raises(ValueError, match="same name: v"):
        tf.train.Saver([v, v])
    with pytest.raises(TypeError, match="not a Variable"):
        tf.train.Saver([tf.constant(1.0)])


def test_save_into_missing_directory_raises(tmp_path):
    tf.Variable(1.0, name="v")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(ValueError, match="Parent directory of .* doesn't exist"):
            saver.save(sess, str(tmp_path / "no" / "model"))


def _saved(tmp_path, **variables):
    for name, value in variables.items():
        tf.Variable(value, name=name)
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return saver.save(sess, str(tmp_path / "model"))


def test_restore_reports_a_missing_variable_by_name(tmp_path):
    path = _saved(tmp_path, w=np.zeros(3, np.float32))
    tf.reset_default_graph()
    tf.Variable(np.zeros(3, np.float32), name="w")
    tf.Variable(np.zeros(2, np.float32), name="extra")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.NotFoundError, match="Key extra not found in checkpoint"):
            tf.train.Saver().restore(sess, path)


def test_restore_reports_shape_and_dtype_mismatches_by_name(tmp_path):
    path = _saved(tmp_path, w=np.zeros((2, 3), np.float32))
    tf.reset_default_graph()
    tf.Variable(np.zeros((3, 2), np.float32), name="w")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"lhs shape= \[3,2\] rhs shape= \[2,3\] \(variable w\)"):
            tf.train.Saver().restore(sess, path)
    tf.reset_default_graph()
    tf.Variable(np.zeros((2, 3), np.float64), name="w")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="tensor_name = w; expected dtype float64 does not equal original "
                                 "dtype float32"):
            tf.train.Saver().restore(sess, path)


def test_restore_of_a_missing_or_tf_checkpoint_is_a_clear_value_error(tmp_path):
    tf.Variable(1.0, name="v")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        with pytest.raises(ValueError, match="Can't load save_path when it is None"):
            saver.restore(sess, None)
        with pytest.raises(ValueError, match="not a valid checkpoint"):
            saver.restore(sess, str(tmp_path / "nothing"))
        (tmp_path / "tfmodel.index").write_bytes(b"\x00")
        with pytest.raises(ValueError, match="TensorFlow checkpoint"):
            saver.restore(sess, str(tmp_path / "tfmodel"))


def test_a_pickled_file_is_refused_and_never_unpickled(tmp_path):
    tf.Variable(1.0, name="v")
    saver = tf.train.Saver()

    class Boom:
        def __reduce__(self):
            return (os.system, ("touch %s" % (tmp_path / "pwned"),))

    (tmp_path / "evil.npz").write_bytes(pickle.dumps({"v": Boom()}))
    with tf.Session() as sess:
        with pytest.raises(tf.errors.DataLossError, match="evil.npz"):
            saver.restore(sess, str(tmp_path / "evil"))
    assert not (tmp_path / "pwned").exists()


def test_an_object_array_inside_the_npz_is_refused(tmp_path):
    tf.Variable(1.0, name="v")
    np.savez(str(tmp_path / "obj.npz"), v=np.array([{"a": 1}], dtype=object))
    with tf.Session() as sess:
        with pytest.raises(tf.errors.DataLossError, match="variable 'v'"):
            tf.train.Saver().restore(sess, str(tmp_path / "obj"))


def test_a_truncated_or_corrupted_file_is_data_loss(tmp_path):
    path = _saved(tmp_path, w=np.arange(1000, dtype=np.float32))
    data = (tmp_path / "model.npz").read_bytes()
    tf.reset_default_graph()
    w = tf.Variable(np.zeros(1000, np.float32), name="w")
    saver = tf.train.Saver()
    (tmp_path / "model.npz").write_bytes(data[: len(data) // 2])
    with tf.Session() as sess:
        with pytest.raises(tf.errors.DataLossError, match="truncated, corrupted"):
            saver.restore(sess, path)
    corrupted = bytearray(data)
    corrupted[len(data) // 2] ^= 0xFF  # inside w's values: the zip CRC catches it
    (tmp_path / "model.npz").write_bytes(bytes(corrupted))
    with tf.Session() as sess:
        sess.run(w.initializer)
        with pytest.raises(tf.errors.DataLossError, match="variable 'w'"):
            saver.restore(sess, path)
        np.testing.assert_array_equal(sess.run(w), np.zeros(1000))  # untouched


_CHILD = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    import numpy as np
    import tinygraph as tf
    from tinygraph.train import saver as saver_mod
    v = tf.Variable(np.full(200000, 1.0, np.float32), name="v")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        saver.save(sess, {prefix!r}, global_step=1)
        sess.run(tf.assign(v, np.full(200000, 2.0, np.float32)))

        def slow_write(f, arrays):  # write half the data, then hang until killed
            f.write(b"PK\\x03\\x04" + b"x" * 400000)
            f.flush()
            print("WRITING", flush=True)
            time.sleep(60)
        saver_mod._write_arrays = slow_write
        saver.save(sess, {prefix!r}, global_step=2)
""")


def test_a_save_killed_midway_leaves_the_previous_checkpoint_loadable(tmp_path):
    prefix = str(tmp_path / "model.ckpt")
    child = subprocess.Popen([sys.executable, "-c", _CHILD.format(root=ROOT, prefix=prefix)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        line = child.stdout.readline()
        assert line.strip() == b"WRITING", child.stderr.read()
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert any(".tempstate" in f for f in os.listdir(tmp_path))  # it died mid-write
    assert not os.path.exists(prefix + "-2.npz")
    latest = tf.train.latest_checkpoint(str(tmp_path))
    assert latest == prefix + "-1"
    v = tf.Variable(np.zeros(200000, np.float32), name="v")
    with tf.Session() as sess:
        tf.train.Saver().restore(sess, latest)
        np.testing.assert_array_equal(sess.run(v), np.full(200000, 1.0, np.float32))
    assert saver_mod._write_arrays is not None
