"""tf.summary: summary ops, FileWriter and Graph.as_graph_def, read back with TensorBoard's loader."""
import glob

import numpy as np
import pytest

import tinygraph as tf
from tinygraph import summary

import tensorboard  # noqa: E402,F401 - a core dependency: never skipped
from tensorboard.backend.event_processing import event_accumulator, event_file_loader  # noqa: E402
from tensorboard.compat.proto import graph_pb2, summary_pb2  # noqa: E402


def _events(logdir):
    files = glob.glob(str(logdir) + "/events.out.tfevents.*")
    assert len(files) == 1
    return list(event_file_loader.EventFileLoader(files[0]).Load())


def test_scalar_op_names_tags_and_value():
    x = tf.placeholder(tf.float32, [])
    with tf.name_scope("train"):
        s = summary.scalar("loss", x * 2.0)
    s2 = summary.scalar("loss", x, family="fam")
    assert s.op.name == "train/loss" and s.op.type == "ScalarSummary" and s.dtype == tf.string
    assert s2.op.name == "fam/loss"
    assert tf.get_collection(tf.GraphKeys.SUMMARIES) == [s, s2]
    with tf.Session() as sess:
        out = sess.run(s, {x: 1.5})
    assert isinstance(out, bytes)
    proto = summary_pb2.Summary.FromString(out)
    assert [(v.tag, v.simple_value) for v in proto.value] == [("train/loss", 3.0)]
    proto2 = summary_pb2.Summary.FromString(tf.Session().run(s2, {x: 1.0}))
    assert proto2.value[0].tag == "fam/fam/loss"  # TF repeats the family in the tag


def test_scalar_of_a_non_scalar_fails_at_run_time():
    s = summary.scalar("v", tf.constant([1.0, 2.0]))
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"not the same shape: \[\] != \[2\]"):
            sess.run(s)


def test_histogram_counts_and_stats():
    values = np.array([-1.0, 0.0, 0.5, 0.5, 3.0, 100.0])
    h = summary.histogram("h", tf.constant(values))
    proto = summary_pb2.Summary.FromString(tf.Session().run(h)).value[0].histo
    assert (proto.min, proto.max, proto.num) == (-1.0, 100.0, 6.0)
    assert proto.sum == pytest.approx(values.sum()) and proto.sum_squares == pytest.approx((values ** 2).sum())
    assert sum(proto.bucket) == 6 and len(proto.bucket) == len(proto.bucket_limit)
    limits = np.array(proto.bucket_limit)
    assert np.all(np.diff(limits) > 0)
    for v in values:  # each value lies in a non-empty bucket: lower limit <= v < limit
        i = int(np.searchsorted(limits, v, side="right"))
        assert proto.bucket[i] >= 1
    bad = summary.histogram("bad", tf.constant([1.0, np.nan]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Nan in summary histogram for: bad"):
        tf.Session().run(bad)


def test_merge_all_and_duplicate_tags():
    assert summary.merge_all() is None
    x = tf.constant(2.0)
    summary.scalar("a", x)
    summary.histogram("b", tf.constant([1.0, 2.0]))
    merged = summary.merge_all()
    assert merged.op.name == "Merge/MergeSummary"
    proto = summary_pb2.Summary.FromString(tf.Session().run(merged))
    assert [v.tag for v in proto.value] == ["a", "b"]
    dup = summary.merge([summary.scalar("c", x, collections=[]), summary.scalar("c_0", x, collections=[])])
    tf.Session().run(dup)  # distinct tags merge fine
    with pytest.raises(tf.errors.InvalidArgumentError, match="Duplicate tag a"):
        tf.Session().run(summary.merge([tf.get_collection(tf.GraphKeys.SUMMARIES)[0]] * 2))


def _rnn_model():
    X = tf.placeholder(tf.float32, [None, 4, 1], name="X")
    y = tf.placeholder(tf.float32, [None, 4, 1], name="y")
    cell = tf.contrib.rnn.OutputProjectionWrapper(
        tf.contrib.rnn.BasicRNNCell(num_units=5, activation=tf.nn.relu), output_size=1)
    outputs, _ = tf.nn.dynamic_rnn(cell, X, dtype=tf.float32)
    loss = tf.reduce_mean(tf.square(outputs - y), name="loss")
    train = tf.train.AdamOptimizer(0.01).minimize(loss)
    return X, y, loss, train


def test_file_writer_graph_and_scalar_curve_read_back_by_tensorboard(tmp_path):
    X, y, loss, train = _rnn_model()
    mse = summary.scalar("MSE", loss)
    rng = np.random.RandomState(0)
    xb, yb = rng.rand(3, 4, 1), rng.rand(3, 4, 1)
    losses = []
    with summary.FileWriter(str(tmp_path), tf.get_default_graph()) as writer, tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(5):
            s, l, _ = sess.run([mse, loss, train], {X: xb, y: yb})
            writer.add_summary(s, global_step=step)
            losses.append(l)
    events = _events(tmp_path)
    assert events[0].file_version == "brain.Event:2"
    graph = graph_pb2.GraphDef.FromString(next(e.graph_def for e in events if e.HasField("graph_def")))
    names = {n.name: n for n in graph.node}
    assert names["rnn/while"].op == "While"
    assert "rnn/while/output_projection_wrapper/basic_rnn_cell/MatMul" in names  # the loop body
    assert any(n.startswith("gradients/") for n in names) and any(n.startswith("Adam/") for n in names)
    assert names["loss"].input == ["Square", "Const"] or names["loss"].input[0] == "Square"
    for n in graph.node:  # every input names a node of the GraphDef
        for i in n.input:
            assert i.lstrip("^").split(":")[0] in names, (n.name, i)
    acc = event_accumulator.EventAccumulator(str(tmp_path))
    acc.Reload()
    assert acc.Tags()["scalars"] == ["MSE"] and acc.Tags()["graph"]
    curve = acc.Scalars("MSE")
    assert [e.step for e in curve] == list(range(5))
    np.testing.assert_allclose([e.value for e in curve], losses, rtol=1e-6)


def test_as_graph_def_lists_every_op_with_inputs_and_shapes():
    a = tf.placeholder(tf.float32, [None, 3], name="a")
    with tf.name_scope("layer"):
        b = tf.matmul(a, tf.ones([3, 2]), name="mm")
    with tf.control_dependencies([b]):
        c = tf.identity(a, name="c")
    gd = tf.get_default_graph().as_graph_def()
    nodes = {n.name: n for n in gd.node}
    assert [n.name for n in gd.node] == [op.name for op in tf.get_default_graph().get_operations()]
    assert nodes["layer/mm"].op == "MatMul" and nodes["layer/mm"].input == ["a", "layer/ones"]
    assert nodes["c"].input == ["a", "^layer/mm"]
    assert nodes["a"].attr["shape"].as_list() == [None, 3]
    proto = gd.to_proto()
    pn = {n.name: n for n in proto.node}
    assert pn["a"].attr["dtype"].type == 1  # DT_FLOAT
    assert [d.size for d in pn["a"].attr["shape"].shape.dim] == [-1, 3]
    assert [d.size for d in pn["layer/mm"].attr["_output_shapes"].list.shape[0].dim] == [-1, 2]


def test_add_summary_accepts_a_proto_and_writer_lifecycle(tmp_path):
    writer = summary.FileWriter(str(tmp_path))
    s = summary.Summary(value=[summary.Summary.Value(tag="x", simple_value=4.0)])
    writer.add_summary(s, 7)
    writer.flush()
    assert writer.get_logdir() == str(tmp_path)
    writer.close()
    with pytest.raises(RuntimeError, match="closed"):
        writer.add_summary(s, 8)
    # TensorBoard's loader migrates simple_value scalars to its tensor form
    values = [(e.step, v.tag, list(v.tensor.float_val)) for e in _events(tmp_path) for v in e.summary.value]
    assert values == [(7, "x", [4.0])]
    with pytest.raises(ValueError, match="graph or a graph_def"):
        summary.FileWriter(str(tmp_path / "b")).add_graph(None)


def test_import_tinygraph_does_not_import_tensorboard_until_used(tmp_path):
    import subprocess
    import sys
    code = ("import sys, tinygraph as tf; assert 'tensorboard' not in sys.modules; "
            "w = tf.summary.FileWriter(%r); assert 'tensorboard' in sys.modules; w.close()" % str(tmp_path))
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_histograms_scalars_steps_graph_and_meta_graph_via_event_accumulator(tmp_path):
    x = tf.placeholder(tf.float32, [None], name="x")
    with tf.name_scope("stats"):
        m = tf.reduce_mean(x, name="mean")
    summary.scalar("mean", m)
    summary.histogram("values", x)
    merged = summary.merge_all()
    writer = summary.FileWriter(str(tmp_path), tf.get_default_graph())
    data = [np.array([1.0, 2.0, 3.0]), np.array([-1.0, 0.5]), np.array([4.0])]
    with tf.Session() as sess:
        for step, d in zip((0, 10, 20), data):
            writer.add_summary(sess.run(merged, {x: d}), global_step=step)
    writer.flush()
    writer.close()
    acc = event_accumulator.EventAccumulator(str(tmp_path), size_guidance={  # keep every event
        event_accumulator.HISTOGRAMS: 0, event_accumulator.SCALARS: 0})
    acc.Reload()
    tags = acc.Tags()
    assert tags["scalars"] == ["mean"] and tags["histograms"] == ["values"]
    assert tags["graph"] and tags["meta_graph"]
    assert [(e.step, e.value) for e in acc.Scalars("mean")] == [(0, 2.0), (10, -0.25), (20, 4.0)]
    hist = acc.Histograms("values")
    assert [h.step for h in hist] == [0, 10, 20]
    assert [(h.histogram_value.min, h.histogram_value.max, h.histogram_value.num) for h in hist] == \
        [(1.0, 3.0, 3.0), (-1.0, 0.5, 2.0), (4.0, 4.0, 1.0)]
    assert "stats/mean" in {n.name for n in acc.Graph().node}
    meta = acc.MetaGraph()
    assert "stats/mean" in {n.name for n in meta.graph_def.node}
    assert list(meta.collection_def["summaries"].node_list.value) == ["mean:0", "values:0"]


def test_file_writer_cache(tmp_path):
    a = summary.FileWriterCache.get(str(tmp_path))
    assert summary.FileWriterCache.get(str(tmp_path)) is a
    assert a.get_logdir() == str(tmp_path)
    summary.FileWriterCache.clear()
    with pytest.raises(RuntimeError, match="closed"):
        a.flush()
    assert summary.FileWriterCache.get(str(tmp_path)) is not a
    summary.FileWriterCache.clear()
