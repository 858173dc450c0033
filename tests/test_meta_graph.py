"""MetaGraphs: export_meta_graph / import_meta_graph / import_graph_def / write_graph in TF's protos.

Behaviour pinned down against TF 2.15's tf.compat.v1 (TF 1.x graph mode): default names
("import", "import_1"), name clashes without a scope (x -> x_1, collections by saved
name), CollectionDef kinds, VariableDef and SaverDef fields.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import pytest

import tinygraph as tf
from tinygraph import meta_graph
from tinygraph.framework.registry import registered_ops


from tensorboard.compat.proto import graph_pb2, meta_graph_pb2, saver_pb2, variable_pb2  # noqa: E402
from google.protobuf import text_format  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from op_cases import all_cases  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def _round_trip(graph):
    """A fresh Graph holding `graph` imported from its serialized GraphDef (no prefix)."""
    gd = graph_pb2.GraphDef.FromString(meta_graph.graph_to_proto(graph).SerializeToString())
    g2 = tf.Graph()
    with g2.as_default():
        tf.import_graph_def(gd, name="")
    return g2


def _run_both(g, g2, fetches, feeds):
    with tf.Session(graph=g) as s:
        s.run([op for op in g.get_operations() if op.type == "NoOp" and op.name.endswith("init")])
        ref = s.run(fetches, feeds)
    fetches2 = [g2.as_graph_element(f.name) for f in fetches]
    with tf.Session(graph=g2) as s:
        s.run([op for op in g2.get_operations() if op.type == "NoOp" and op.name.endswith("init")])
        out = s.run(fetches2, {g2.get_tensor_by_name(k.name): v for k, v in feeds.items()})
    return ref, out


def _dense(t):
    return tf.convert_to_tensor(t) if isinstance(t, tf.IndexedSlices) else t


@pytest.mark.parametrize("case", all_cases(), ids=lambda c: c.name)
def test_every_op_case_and_its_gradient_round_trip_bitwise(case):
    # each differentiable op (loops, conds and their gradient ops included) rebuilt from
    # its NodeDef computes the same values and gradients as the original
    g = tf.Graph()
    with g.as_default():
        xs = [tf.placeholder(tf.float64, s, name="in%d" % i) for i, s in enumerate(case.shapes)]
        y = case.build(*xs)
        fetches = [y] + [_dense(t) for t in tf.gradients(y, xs) if t is not None]
    rng = np.random.RandomState(0)
    feeds = {x: rng.uniform(0.3, 1.5, s) for x, s in zip(xs, case.shapes)}
    g2 = _round_trip(g)
    assert [(op.name, op.type) for op in g2.get_operations()] == [(op.name, op.type) for op in g.get_operations()]
    ref, out = _run_both(g, g2, fetches, feeds)
    for a, b in zip(ref, out):
        np.testing.assert_array_equal(a, b)


def _wide_graph():
    """Uses of the registered ops the gradient cases do not build."""
    tf.set_random_seed(3)
    x = tf.placeholder(tf.float32, [4, 3], name="x")
    ids = tf.placeholder(tf.int32, [None], name="ids")
    u = tf.placeholder(tf.float32, None, name="u")
    out = [tf.reduce_all(x > 0), tf.reduce_any(x > 0.5), tf.argmax(x, 1), tf.argmin(x, 0),
           tf.ceil(x), tf.floor(x), tf.round(x), tf.is_finite(x), tf.is_inf(x), tf.is_nan(x),
           tf.logical_and(x > 0, x < 1), tf.logical_or(x > 0, x < 1), tf.logical_not(x > 0),
           tf.not_equal(x, 0.5), tf.one_hot(ids, 5), tf.range(2, 9, 2), tf.linspace(0.0, 1.0, 5),
           tf.rank(u), tf.size(x), tf.shape_n([x, ids])[1], tf.where(x > 0.5),
           tf.invert_permutation(tf.constant([2, 0, 1])),
           tf.nn.in_top_k(x, tf.constant([0, 1, 2, 0]), 2),
           tf.random_uniform([2, 2]), tf.random_normal([3]), tf.truncated_normal([2]),
           tf.random_uniform([3], 0, 10, dtype=tf.int32), tf.random_shuffle(tf.range(6)),
           tf.multinomial(tf.log([[0.5, 0.5]]), 4), tf.random_gamma([2], 2.0)]
    labels = tf.constant([[1], [4]], dtype=tf.int64)
    sampled = tf.nn.uniform_candidate_sampler(labels, 1, 3, True, 10, seed=1)
    out += [sampled[0], tf.nn.compute_accidental_hits(labels, sampled[0], 1)[0]]
    with tf.variable_scope("emb"):
        E = tf.get_variable("E", [10, 3])
    W = tf.get_variable("W", [3, 10], initializer=tf.orthogonal_initializer())
    b = tf.Variable(tf.zeros([10]), name="b")
    emb = tf.nn.embedding_lookup(E, ids)
    loss = tf.reduce_mean(tf.nn.sampled_softmax_loss(
        tf.transpose(W), b, tf.reshape(tf.cast(ids, tf.int64), [-1, 1]), emb, num_sampled=3,
        num_classes=10)) + tf.reduce_mean(tf.square(tf.matmul(x, W)))
    trains = [opt.minimize(loss) for opt in [
        tf.train.GradientDescentOptimizer(0.1), tf.train.MomentumOptimizer(0.1, 0.9),
        tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True), tf.train.AdamOptimizer(0.01),
        tf.train.RMSPropOptimizer(0.01), tf.train.RMSPropOptimizer(0.01, centered=True),
        tf.train.AdagradOptimizer(0.1), tf.train.FtrlOptimizer(0.1)]]
    out.append(tf.TensorArray(tf.float32, size=3).write(0, x).size())
    v = tf.Variable(1.0, name="v")
    out += [tf.is_variable_initialized(v), tf.report_uninitialized_variables(), v.initialized_value() * 2]
    out.append(tf.summary.merge([tf.summary.scalar("s", loss), tf.summary.histogram("h", x)]))
    out += tf.gradients(tf.reduce_sum(u, axis=0), [u])  # ReducedShape: a shape known at run time
    _, a, _ = tf.while_loop(lambda i, a, t: i < 3, lambda i, a, t: (i + 1, a * 2.0, t.write(i, a)),
                            [tf.constant(0), tf.reduce_sum(x), tf.TensorArray(tf.float32, size=3)])
    out += tf.gradients(a, [x])  # ZerosLikeValue seeds the unused TensorArray output
    return x, ids, u, out, trains, v


def _library_op(opdef):
    """True for ops tinygraph registers (not those tests register for themselves)."""
    fns = [f for f in (opdef.kernel, opdef.infer, opdef.bind) if f is not None]
    return any(getattr(f, "__module__", "").startswith("tinygraph") for f in fns)


def _op_types(graph):
    keys, owners, order = {id(graph): ""}, {}, []
    meta_graph._discover(graph, keys, owners, set(), order)
    return {op.type for g in [graph] + [s.graph for s in order] for op in g.get_operations()}


def test_wide_graph_round_trips_and_every_registered_op_is_covered():
    g = tf.Graph()
    with g.as_default():
        x, ids, u, out, trains, v = _wide_graph()
        updates = [tf.assign_add(v, 1.0), tf.assign_sub(v, 0.5)]
        init = tf.global_variables_initializer()
    covered = _op_types(g)
    pg = tf.Graph()
    with pg.as_default():
        _pipeline_graph(tempfile.mkdtemp())
    covered |= _op_types(pg)
    for case in all_cases():
        cg = tf.Graph()
        with cg.as_default():
            xs = [tf.placeholder(tf.float64, s) for s in case.shapes]
            tf.gradients(case.build(*xs), xs)
        covered |= _op_types(cg)
    # GeneratorDataset runs a Python generator: no GraphDef can hold it (TF's neither)
    missing = sorted(t for t in set(registered_ops()) - covered - {"GeneratorDataset"}
                     if _library_op(registered_ops()[t]))
    assert not missing, "add uses of these ops to _wide_graph so their NodeDefs are tested: %s" % missing

    g2 = _round_trip(g)
    rng = np.random.RandomState(1)
    feeds = {x: rng.rand(4, 3).astype(np.float32), ids: np.array([1, 7, 3], np.int32),
             u: rng.rand(2, 3).astype(np.float32)}
    fetches = out + updates + [v.value()]
    results = []
    for graph in (g, g2):
        el = (lambda t: graph.as_graph_element(t.name))
        with tf.Session(graph=graph) as s:
            s.run(el(init))
            fd = {el(k): v for k, v in feeds.items()}
            first = s.run([el(t) for t in fetches], fd)  # random draws included: same seeds
            for t in trains:
                s.run(el(t), fd)
            after = s.run([graph.get_tensor_by_name(n) for n in ("W:0", "emb/E:0", "b:0")])
        results.append((first, after))
    for a, b in zip(results[0][0] + results[0][1], results[1][0] + results[1][1]):
        if isinstance(a, bytes):  # summaries: same values, same proto
            assert a == b
        else:
            np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


@pytest.mark.parametrize("value", [
    None, True, False, 0, -7, 2 ** 40, 1.5, "", "café", b"\x00\xff", tf.float32, tf.int64, tf.string,
    tf.bool, tf.variant, tf.TensorShape(None), tf.TensorShape([]), tf.TensorShape([None, 3]),
    [], [1, 2], (1, 2), (), [1.5, 2.0], [True, False], ["a", "b"], [tf.float32, tf.int32],
    [tf.TensorShape([1]), tf.TensorShape(None)], [[1], [2, 3]], [None, 1], [[], []], (None, 2),
    {1: "a", "k": [1, 2]}, np.float32(2.5), np.int64(3),
    np.arange(6, dtype=np.float32).reshape(2, 3), np.array([], np.int32), np.array(True),
    np.array([1.5, -2], np.float16), np.array([[1, 2]], np.int8), np.array(2 ** 40, np.int64),
    np.array([b"a", b"bc"], dtype=object), np.array([0.1, 0.2]), np.array([3], np.uint8)],
    ids=repr)
def test_attr_values_round_trip(value):
    enc = meta_graph._Encoder({}, [])
    dec = meta_graph._Decoder(None, {})
    for top in (True, False):
        av = enc.value(value, top=top)
        back = dec.value(type(av).FromString(av.SerializeToString()), as_tuple=isinstance(value, tuple))
        if isinstance(value, np.ndarray):
            assert back.dtype == value.dtype and back.shape == value.shape
            np.testing.assert_array_equal(back, value)
        elif isinstance(value, np.generic):
            assert type(back) is type(value) and back == value
        else:
            assert type(back) is type(value) and back == value


def test_plain_attrs_use_tf_fields():
    enc = meta_graph._Encoder({}, [])
    assert enc.value(tf.float32).type == 1 and enc.value([1, 2], top=True).list.i == [1, 2]
    assert enc.value(tf.TensorShape([None, 3])).shape.dim[0].size == -1
    assert enc.value(np.zeros([2, 1], np.float32)).tensor.tensor_shape.dim[0].size == 2
    assert enc.value(None).WhichOneof("value") is None


def test_tensor_protos_written_by_tf_decode():
    from tensorboard.compat.proto import tensor_pb2
    p = tensor_pb2.TensorProto(dtype=1, float_val=[0.0])
    p.tensor_shape.dim.add().size = 2
    p.tensor_shape.dim.add().size = 1
    np.testing.assert_array_equal(meta_graph.tensor_from_proto(p), np.zeros([2, 1], np.float32))
    p = tensor_pb2.TensorProto(dtype=3, int_val=[1, 2])
    p.tensor_shape.dim.add().size = 4
    np.testing.assert_array_equal(meta_graph.tensor_from_proto(p), [1, 2, 2, 2])  # last value repeats
    p = tensor_pb2.TensorProto(dtype=1, tensor_content=b"\x00" * 3)
    p.tensor_shape.dim.add().size = 1
    with pytest.raises(ValueError, match="3 bytes, 4 expected"):
        meta_graph.tensor_from_proto(p)


# -- graphs with loops, conds, scopes -----------------------------------------------------------
def _rnn_model(seed=0):
    tf.set_random_seed(seed)
    X = tf.placeholder(tf.float32, [None, 4, 2], name="X")
    y = tf.placeholder(tf.float32, [None, 1], name="y")
    training = tf.placeholder_with_default(False, [], name="training")
    with tf.variable_scope("rnn_model"):
        cell = tf.contrib.rnn.BasicRNNCell(num_units=5)
        outputs, state = tf.nn.dynamic_rnn(cell, X, dtype=tf.float32)
        gate = tf.cond(training, lambda: state * 0.5, lambda: state)
        pred = tf.layers.dense(gate, 1, name="out")
    loss = tf.reduce_mean(tf.square(pred - y), name="loss")
    gs = tf.train.get_or_create_global_step()
    train = tf.train.AdamOptimizer(0.05).minimize(loss, global_step=gs, name="train")
    tf.add_to_collection("train_op", train)
    tf.add_to_collection("inputs", X)
    tf.add_to_collection("inputs", y)
    tf.add_to_collection("outputs", pred)
    tf.add_to_collection("numbers", 7)
    tf.add_to_collection("rates", 0.5)
    tf.add_to_collection("notes", "hello")
    tf.summary.scalar("loss", loss)
    return X, y, pred, loss, train


def _data():
    rng = np.random.RandomState(0)
    xb = rng.rand(6, 4, 2).astype(np.float32)
    return xb, xb.sum(axis=(1, 2))[:, None].astype(np.float32) / 4


def test_save_writes_meta_and_import_in_a_fresh_graph_restores_and_trains(tmp_path):
    X, y, pred, loss, train = _rnn_model()
    saver = tf.train.Saver()
    xb, yb = _data()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(5):
            sess.run(train, {X: xb, y: yb})
        path = saver.save(sess, str(tmp_path / "model"), global_step=5)
        ref_pred, ref_loss = sess.run([pred, loss], {X: xb, y: yb})
        ref_vars = {v.op.name: sess.run(v) for v in tf.global_variables()}
        sess.run(train, {X: xb, y: yb})
        ref_next = sess.run(loss, {X: xb, y: yb})
    assert os.path.isfile(path + ".meta") and path.endswith("model-5")
    names = [op.name for op in tf.get_default_graph().get_operations()]

    tf.reset_default_graph()
    new_saver = tf.train.import_meta_graph(path + ".meta")
    g = tf.get_default_graph()
    assert [op.name for op in g.get_operations()] == names
    gvars = tf.global_variables()
    assert sorted(v.op.name for v in gvars) == sorted(ref_vars)
    assert all(isinstance(v, tf.Variable) for v in gvars)
    assert [v.op.name for v in tf.trainable_variables()] == [
        "rnn_model/rnn/basic_rnn_cell/kernel", "rnn_model/rnn/basic_rnn_cell/bias",
        "rnn_model/out/kernel", "rnn_model/out/bias"]
    assert any(v.op.name.endswith("/Adam_1") for v in gvars)  # optimizer slots
    assert tf.train.get_global_step().op.name == "global_step"
    assert tf.get_collection("numbers") == [7] and tf.get_collection("rates") == [0.5]
    assert tf.get_collection("notes") == ["hello"]
    assert [t.name for t in tf.get_collection("inputs")] == ["X:0", "y:0"]
    assert g.get_operation_by_name("rnn_model/rnn/while").type == "While"
    assert g.get_operation_by_name("rnn_model/cond").type == "If"
    assert tf.get_collection(tf.GraphKeys.SAVERS)
    with tf.Session() as sess:
        new_saver.restore(sess, path)
        for v in gvars:
            np.testing.assert_array_equal(sess.run(v), ref_vars[v.op.name])
        feed = {"X:0": xb, "y:0": yb}
        np.testing.assert_array_equal(sess.run(tf.get_collection("outputs")[0], feed), ref_pred)
        assert sess.run("loss:0", feed) == ref_loss
        assert sess.run(g.get_tensor_by_name("rnn_model/out/BiasAdd:0"), feed).shape == (6, 1)
        sess.run(tf.get_collection("train_op")[0], feed)
        assert sess.run("loss:0", feed) == ref_next  # the same step as the original graph's
        assert sess.run(tf.train.get_global_step()) == 6
        merged = tf.summary.merge_all()
        assert sess.run(merged, feed)
        # an optimizer built on the imported graph trains the imported variables
        step = tf.train.GradientDescentOptimizer(0.05).minimize(g.get_tensor_by_name("loss:0"))
        before = sess.run("loss:0", feed)
        for _ in range(3):
            sess.run(step, feed)
        assert sess.run("loss:0", feed) < before
        # the imported Saver saves too, and its checkpoint restores
        p2 = new_saver.save(sess, str(tmp_path / "again"))
        assert os.path.isfile(p2 + ".meta")


def test_imported_variables_initialize_and_keep_their_initializers():
    w = tf.Variable(tf.constant([[1.0, 2.0]]), name="w")
    tf.Variable(3, trainable=False, name="counter")
    mg = tf.train.export_meta_graph()
    vd = variable_pb2.VariableDef.FromString(mg.collection_def["variables"].bytes_list.value[0])
    assert (vd.variable_name, vd.initializer_name, vd.snapshot_name, vd.trainable) == \
        ("w:0", "w/Assign", "w/read:0", True)
    assert vd.initial_value_name == w.initial_value.name
    tf.reset_default_graph()
    assert tf.train.import_meta_graph(mg) is not None  # variables but no SaverDef: a new Saver
    w2, c2 = tf.global_variables()
    assert (w2.name, w2.trainable, c2.trainable) == ("w:0", True, False)
    assert tf.trainable_variables() == [w2]
    assert w2.initializer.name == "w/Assign" and w2.value().name == "w/read:0"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(w2), [[1.0, 2.0]])
        assert sess.run(c2) == 3


def test_import_scope_clear_devices_and_no_variables():
    with tf.device("/cpu:0"):
        a = tf.placeholder(tf.float32, [2], name="a")
        b = tf.multiply(a, 2.0, name="b")
    tf.add_to_collection("out", b)
    mg = tf.train.export_meta_graph()
    assert mg.graph_def.node[0].device == "/cpu:0"
    assert not tf.train.export_meta_graph(clear_devices=True).graph_def.node[0].device
    assert list(tf.train.export_meta_graph(collection_list=[]).collection_def) == []
    tf.reset_default_graph()
    assert tf.train.import_meta_graph(mg, import_scope="net", clear_devices=True) is None  # no variables
    g = tf.get_default_graph()
    assert g.get_operations()[0].name == "net/a"
    assert g.get_operation_by_name("net/b").device == ""
    assert tf.get_collection("out")[0].name == "net/b:0"
    with tf.Session() as s:
        np.testing.assert_array_equal(s.run("net/b:0", {"net/a:0": [1, 2]}), [2, 4])
    tf.train.import_meta_graph(mg, import_scope="net")  # the scope is taken: net_1, as TF
    assert g.get_operation_by_name("net_1/b").device == "/cpu:0"
    assert tf.get_collection("out")[1].name == "net_1/b:0"


def test_name_clash_without_scope_behaves_as_tf():
    # TF 2.15 compat.v1, pinned: clashing names get _1; collections resolve by saved name
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    w = tf.Variable(tf.zeros([2, 1]), name="w")
    y = tf.matmul(x, w, name="y")
    tf.add_to_collection("mine", y)
    mg = tf.train.Saver().export_meta_graph()
    tf.reset_default_graph()
    tf.constant(1.0, name="x")
    old_w = tf.Variable(1.0, name="w")
    tf.train.import_meta_graph(mg)
    names = [op.name for op in tf.get_default_graph().get_operations()]
    assert names[:5] == ["x", "w/initial_value", "w", "w/Assign", "w/read"]
    assert "x_1" in names and "w_1" in names and "w/Assign_1" in names and "y" in names
    assert [v.name for v in tf.global_variables()] == ["w:0", "w:0"]  # as TF: by saved name
    assert tf.global_variables()[1].op is old_w.op
    assert tf.get_default_graph().get_operation_by_name("y").inputs[0].op.name == "x_1"


def test_saver_def_and_meta_files_follow_max_to_keep(tmp_path):
    v = tf.Variable(1.0, name="v")
    saver = tf.train.Saver(max_to_keep=2)
    sd = saver.as_saver_def()
    assert isinstance(sd, saver_pb2.SaverDef)
    assert (sd.restore_op_name, sd.filename_tensor_name, sd.max_to_keep, sd.version) == \
        ("save/restore_all", "save/Const:0", 2, saver_pb2.SaverDef.V2)
    assert saver.to_proto() == sd
    with tf.Session() as sess:
        sess.run(v.initializer)
        for step in range(3):
            saver.save(sess, str(tmp_path / "m"), global_step=step)
        files = set(os.listdir(tmp_path))
        assert "m-0.meta" not in files and {"m-1.meta", "m-2.meta", "m-2.npz"} <= files
        saver.save(sess, str(tmp_path / "nometa"), write_meta_graph=False)
    files = set(os.listdir(tmp_path))
    assert "nometa.npz" in files and "nometa.meta" not in files
    mg = meta_graph.read_meta_graph_file(str(tmp_path / "m-2.meta"))
    assert mg.saver_def == sd


def test_export_meta_graph_to_file_text_and_binary(tmp_path):
    a = tf.placeholder(tf.float32, [3], name="a")
    tf.identity(a * 3.0, name="out")
    for as_text in (False, True):
        path = str(tmp_path / ("g.meta" + ("txt" if as_text else "")))
        mg = tf.train.export_meta_graph(filename=path, as_text=as_text)
        assert isinstance(mg, meta_graph_pb2.MetaGraphDef) and os.path.isfile(path)
        with tf.Graph().as_default():
            tf.train.import_meta_graph(path)
            with tf.Session() as s:
                np.testing.assert_array_equal(s.run("out:0", {"a:0": [1, 2, 3]}), [3, 6, 9])


# -- import_graph_def and write_graph -------------------------------------------------------------
def test_import_graph_def_names_input_map_and_return_elements():
    g = tf.Graph()
    with g.as_default():
        a = tf.placeholder(tf.float32, [2], name="a")
        with tf.name_scope("scope"):
            b = tf.add(a, 1.0, name="b")
        tf.while_loop(lambda i: i < 5, lambda i: i + 1, [tf.constant(0)], name="loop")
    gd = g.as_graph_def()
    tf.import_graph_def(gd)
    tf.import_graph_def(gd)
    dg = tf.get_default_graph()
    assert dg.get_operation_by_name("import/scope/b").type == "Add"
    assert dg.get_operation_by_name("import_1/a").type == "Placeholder"
    feed = tf.constant([10.0, 20.0], name="feed")
    out, op = tf.import_graph_def(gd, input_map={"a:0": feed}, return_elements=["scope/b:0", "loop"],
                                  name="mapped")
    assert out.name == "mapped/scope/b:0" and op.name == "mapped/loop"
    with tf.Session() as s:
        np.testing.assert_array_equal(s.run(out), [11.0, 21.0])
        assert s.run(dg.get_tensor_by_name("import/loop:0")) == 5
    n = len(dg.get_operations())
    with pytest.raises(ValueError, match=r"Attempted to map inputs that were not found in graph_def: \[nope:0\]"):
        tf.import_graph_def(gd, input_map={"nope:0": feed})
    with pytest.raises(ValueError, match="Requested return node 'nope' not found in graph def"):
        tf.import_graph_def(gd, return_elements=["nope"])
    assert len(dg.get_operations()) == n
    with pytest.raises(TypeError, match="GraphDef"):
        tf.import_graph_def("not a graph def")


def test_write_graph_text_and_binary(tmp_path):
    a = tf.placeholder(tf.float32, [2], name="a")
    tf.square(a, name="sq")
    g = tf.get_default_graph()
    p1 = tf.train.write_graph(g, str(tmp_path / "d"), "g.pbtxt")
    p2 = tf.train.write_graph(g.as_graph_def(), str(tmp_path / "d"), "g.pb", as_text=False)
    assert p1 == str(tmp_path / "d" / "g.pbtxt")
    gd_text = text_format.Parse(open(p1).read(), graph_pb2.GraphDef())
    gd_bin = graph_pb2.GraphDef.FromString(open(p2, "rb").read())
    assert gd_text == gd_bin and [n.name for n in gd_bin.node] == ["a", "sq"]
    with tf.Graph().as_default():
        tf.import_graph_def(gd_bin, name="")
        with tf.Session() as s:
            np.testing.assert_array_equal(s.run("sq:0", {"a:0": [2, 3]}), [4, 9])


# -- bad input ------------------------------------------------------------------------------
def _graph_state():
    g = tf.get_default_graph()
    return ([op.name for op in g.get_operations()], {k: list(g.get_collection(k)) for k in g.get_all_collection_keys()},
            dict(g._names_in_use))


def _saved_meta(tmp_path):
    with tf.Graph().as_default():
        _rnn_model()
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            return saver.save(sess, str(tmp_path / "m")) + ".meta"


def _existing_graph():
    a = tf.placeholder(tf.float32, [1], name="X")
    tf.Variable(1.0, name="w")
    tf.add_to_collection("train_op", a.op)
    return _graph_state()


def test_missing_file_raises_not_found_and_leaves_the_graph(tmp_path):
    before = _existing_graph()
    with pytest.raises(tf.errors.NotFoundError, match="File does not exist"):
        tf.train.import_meta_graph(str(tmp_path / "nope.meta"))
    with pytest.raises(tf.errors.FailedPreconditionError, match="is a directory"):
        tf.train.import_meta_graph(str(tmp_path))
    assert _graph_state() == before


def test_garbage_and_truncated_files_raise_data_loss_and_leave_the_graph(tmp_path):
    path = _saved_meta(tmp_path)
    data = open(path, "rb").read()
    before = _existing_graph()
    bad = str(tmp_path / "bad.meta")
    cases = [b"", b"\x00", b"garbage \xff\xfe not a proto", os.urandom(300), data[:-1], data + b"\x00"]
    cases += [data[:n] for n in range(0, len(data), max(1, len(data) // 97))]
    for pos in range(0, len(data), max(1, len(data) // 61)):  # one flipped bit anywhere
        flipped = bytearray(data)
        flipped[pos] ^= 0x10
        cases.append(bytes(flipped))
    for content in cases:
        with open(bad, "wb") as f:
            f.write(content)
        with pytest.raises(tf.errors.DataLossError):
            tf.train.import_meta_graph(bad)
        assert _graph_state() == before


def test_truncated_text_file_raises_data_loss(tmp_path):
    tf.placeholder(tf.float32, [1], name="a")
    path = str(tmp_path / "g.metatxt")
    tf.train.export_meta_graph(path, as_text=True)
    data = open(path, "rb").read()
    tf.reset_default_graph()
    for n in (len(data) - 5, len(data) // 2, 10):
        with open(path, "wb") as f:
            f.write(data[:n])
        with pytest.raises(tf.errors.DataLossError):
            tf.train.import_meta_graph(path)
    assert tf.get_default_graph().get_operations() == []


def test_unknown_op_type_raises_not_found_all_or_nothing():
    before = _existing_graph()
    mg = meta_graph_pb2.MetaGraphDef()
    mg.graph_def.node.add(name="ok", op="NoOp")
    mg.graph_def.node.add(name="bad", op="NoSuchOp")
    with pytest.raises(tf.errors.NotFoundError, match="Op type not registered 'NoSuchOp'"):
        tf.train.import_meta_graph(mg)
    assert _graph_state() == before


def test_inconsistent_proto_raises_value_error_all_or_nothing():
    before = _existing_graph()
    mg = meta_graph_pb2.MetaGraphDef()
    mg.graph_def.node.add(name="a", op="Identity", input=["missing"])
    with pytest.raises(ValueError, match="Node 'a': Unknown input node 'missing'"):
        tf.train.import_meta_graph(mg)
    mg = meta_graph_pb2.MetaGraphDef()
    mg.graph_def.node.add(name="n", op="NoOp")
    mg.collection_def["c"].node_list.value.append("absent")
    with pytest.raises(KeyError):
        tf.train.import_meta_graph(mg)
    assert _graph_state() == before


# -- TensorFlow's own files ------------------------------------------------------------------
def test_meta_graph_written_by_tensorflow_imports_and_runs():
    # tests/golden/tf_meta_graph/make.py wrote it with TF 2.15's tf.compat.v1
    path = os.path.join(HERE, "golden", "tf_meta_graph", "model.meta")
    ref = np.load(os.path.join(HERE, "golden", "tf_meta_graph", "expected.npz"))
    saver = tf.train.import_meta_graph(path)
    assert isinstance(saver, tf.train.Saver)  # variables, no SaverDef: a new Saver
    g = tf.get_default_graph()
    assert [v.op.name for v in tf.trainable_variables()] == ["layer/w", "layer/b"]
    assert [t.name for t in tf.get_collection("outputs")] == ["pred:0"]
    assert tf.get_collection("steps") == [3]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = sess.run(g.get_tensor_by_name("pred:0"), {"x:0": ref["x"]})
    np.testing.assert_allclose(out, ref["pred"], rtol=1e-6)


def test_example_two_processes(tmp_path):
    # process 1 trains and saves; process 2 (a subprocess, no model code) imports and restores
    example = os.path.join(os.path.dirname(HERE), "examples", "metagraph_two_processes.py")
    env = dict(os.environ, PYTHONPATH=os.path.dirname(HERE) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run([sys.executable, example, "--workdir", str(tmp_path)], env=env, check=True,
                         capture_output=True, text=True, timeout=300).stdout
    assert "restored predictions equal process 1's: True; loss kept falling: True" in out
    first, second = np.load(tmp_path / "process1.npz"), np.load(tmp_path / "process2.npz")
    np.testing.assert_array_equal(second["predictions"], first["predictions"])
    l1, l2 = first["losses"], second["losses"]
    assert l2[0] < l1[-1]            # training resumed where process 1 stopped
    assert l2[-1] < l2[0] and np.all(np.diff(l2) < 0)  # and kept going down
    assert {"model.meta", "model.npz", "checkpoint"} <= set(os.listdir(tmp_path))


def test_gradient_override_map_survives_the_round_trip():
    x = tf.placeholder(tf.float32, [3], name="x")
    with tf.get_default_graph().gradient_override_map({"Square": "Identity"}):
        y = tf.square(x, name="y")
    gd = meta_graph.graph_to_proto(tf.get_default_graph())
    assert [n.attr["_gradient_op_type"].s for n in gd.node if n.name == "y"] == [b"Identity"]
    g2 = _round_trip(tf.get_default_graph())
    with g2.as_default():
        grad = tf.gradients(g2.get_tensor_by_name("y:0"), g2.get_tensor_by_name("x:0"))[0]
        with tf.Session() as s:
            np.testing.assert_array_equal(s.run(grad, {"x:0": [1.0, 2.0, 3.0]}), [1.0, 1.0, 1.0])


def test_gradients_built_after_import_equal_the_originals():
    # tf.gradients through an imported While and If (their bodies get gradient ops now)
    X = tf.placeholder(tf.float32, [None, 4, 2], name="X")
    cell = tf.contrib.rnn.BasicRNNCell(num_units=3)
    _, state = tf.nn.dynamic_rnn(cell, X, dtype=tf.float32)
    gate = tf.cond(tf.reduce_sum(state) > 0, lambda: tf.tanh(state) * 0.5, lambda: state)
    loss = tf.reduce_sum(tf.square(gate), name="loss")
    g1 = tf.get_default_graph()
    g2 = _round_trip(g1)
    xb = np.random.RandomState(0).rand(2, 4, 2).astype(np.float32)
    results = []
    for g in (g1, g2):
        with g.as_default():
            variables = [g.get_tensor_by_name(n) for n in ("rnn/basic_rnn_cell/kernel:0", "rnn/basic_rnn_cell/bias:0")]
            grads = tf.gradients(g.get_tensor_by_name("loss:0"), variables + [g.get_tensor_by_name("X:0")])
            with tf.Session() as s:
                init_kernel = g.get_operation_by_name("rnn/basic_rnn_cell/kernel/Assign")
                s.run(init_kernel, {init_kernel.inputs[-1]: np.linspace(-1, 1, 15).reshape(5, 3).astype(np.float32)})
                s.run(g.get_operation_by_name("rnn/basic_rnn_cell/bias/Assign"))
                results.append(s.run(grads, {"X:0": xb}))
    for a, b in zip(*results):
        np.testing.assert_array_equal(a, b)


def test_import_scope_restores_the_unscoped_checkpoint(tmp_path):
    w = tf.Variable([1.0, 2.0], name="w")
    saver = tf.train.Saver()
    with tf.Session() as s:
        s.run(w.initializer)
        s.run(tf.assign(w, [5.0, 6.0]))
        path = saver.save(s, str(tmp_path / "m"))
    tf.reset_default_graph()
    tf.Variable(0.0, name="other")
    restorer = tf.train.import_meta_graph(path + ".meta", import_scope="copy")
    assert [v.op.name for v in tf.global_variables()] == ["other", "copy/w"]
    assert restorer.as_saver_def().restore_op_name == "copy/save/restore_all"
    with tf.Session() as s:
        restorer.restore(s, path)  # the checkpoint keys are the unscoped names
        np.testing.assert_array_equal(s.run("copy/w:0"), [5.0, 6.0])


def test_semantically_broken_file_raises_data_loss(tmp_path):
    before = _existing_graph()
    mg = meta_graph_pb2.MetaGraphDef()
    mg.graph_def.node.add(name="a", op="Identity", input=["missing"])
    path = str(tmp_path / "broken.meta")
    with open(path, "wb") as f:
        f.write(mg.SerializeToString())
    with pytest.raises(tf.errors.DataLossError, match="Unknown input node 'missing'"):
        tf.train.import_meta_graph(path)
    assert _graph_state() == before


def test_nested_loops_and_conds_round_trip_with_gradients():
    x = tf.placeholder(tf.float64, [3], name="x")
    w = tf.Variable(np.array([0.5, -1.0, 2.0]), name="w")

    def outer_body(i, acc):
        def inner_body(j, a):
            return j + 1, tf.cond(a[0] > 0, lambda: a * w, lambda: a + x)
        _, acc = tf.while_loop(lambda j, a: j < 2, inner_body, [0, acc])
        return i + 1, acc + x
    _, y = tf.while_loop(lambda i, a: i < 3, outer_body, [0, x])
    loss = tf.reduce_sum(tf.sin(y), name="loss")
    grads = tf.gradients(loss, [x, w])
    g = tf.get_default_graph()
    g2 = _round_trip(g)
    feeds = {x: np.array([0.3, -0.2, 0.1])}
    with tf.Session(graph=g) as s:
        s.run(w.initializer)
        ref = s.run([loss] + grads, feeds)
    with tf.Session(graph=g2) as s:
        s.run(g2.get_operation_by_name("w/Assign"))
        out = s.run([g2.get_tensor_by_name(t.name) for t in [loss] + grads], {"x:0": feeds[x]})
    for a, b in zip(ref, out):
        np.testing.assert_array_equal(a, b)
    # nested bodies are functions of the library, each naming its enclosing one
    fns = {f.signature.name: f for f in meta_graph.graph_to_proto(g).library.function}
    outers = {f.attr["_outer"].s.decode() for f in fns.values()}
    assert "" in outers and outers - {""} <= set(fns)


def test_bad_node_names_and_foreign_nodes_tinygraph_cannot_take():
    gd = graph_pb2.GraphDef()
    gd.node.add(name="a:b", op="NoOp")
    with pytest.raises(ValueError, match="Node 'a:b': Node name contains invalid characters"):
        tf.import_graph_def(gd)
    gd = graph_pb2.GraphDef()
    gd.node.add(name="c", op="Const")  # as TF would write it, but without its attrs
    with pytest.raises(ValueError, match=r"Node 'c' \(Const\): KeyError"):
        tf.import_graph_def(gd)
    assert tf.get_default_graph().get_operations() == []


def test_write_graph_of_sess_graph_def_imports(tmp_path):
    a = tf.placeholder(tf.float32, [2], name="a")
    tf.while_loop(lambda x: tf.reduce_sum(x) < 10.0, lambda x: x * 2.0, [a], name="loop")
    with tf.Session() as sess:
        path = tf.train.write_graph(sess.graph_def, str(tmp_path), "graph.pb", as_text=False)
    gd = graph_pb2.GraphDef.FromString(open(path, "rb").read())
    assert [f.signature.name for f in gd.library.function] == ["loop_cond", "loop_body"]
    with tf.Graph().as_default() as g:
        tf.import_graph_def(gd, name="")
        with tf.Session() as s:
            np.testing.assert_array_equal(s.run("loop:0", {"a:0": [1.0, 2.0]}), [4.0, 8.0])


def test_tf_graph_def_class_parses_a_file_for_import(tmp_path):
    # TF 1.x's way to load a graph file: tf.GraphDef().ParseFromString, tf.import_graph_def
    a = tf.placeholder(tf.float32, [2], name="a")
    tf.negative(a, name="neg")
    path = tf.train.write_graph(tf.get_default_graph(), str(tmp_path), "g.pb", as_text=False)
    graph_def = tf.GraphDef()
    with open(path, "rb") as f:
        graph_def.ParseFromString(f.read())
    assert isinstance(graph_def, graph_pb2.GraphDef) and tf.MetaGraphDef is meta_graph_pb2.MetaGraphDef
    with tf.Graph().as_default():
        tf.import_graph_def(graph_def, name="")
        with tf.Session() as s:
            np.testing.assert_array_equal(s.run("neg:0", {"a:0": [1.0, -2.0]}), [-1.0, 2.0])
    with pytest.raises(AttributeError, match="no attribute 'NoSuchThing'"):
        tf.NoSuchThing  # noqa: B018


def test_import_meta_graph_input_map_and_collection_predicate():
    x = tf.placeholder(tf.float32, [None], name="x")
    y = tf.multiply(x, 3.0, name="y")
    tf.add_to_collection("outputs", y)
    tf.add_to_collection("train_op", y.op)
    mg = tf.train.export_meta_graph()
    tf.reset_default_graph()
    new_x = tf.constant([1.0, 2.0], name="new_x")
    tf.train.import_meta_graph(mg, import_scope="m", input_map={"x:0": new_x},
                               restore_collections_predicate=lambda key: key != "train_op")
    assert tf.get_collection("train_op") == [] and tf.get_collection("outputs")[0].name == "m/y:0"
    with tf.Session() as s:
        np.testing.assert_array_equal(s.run("m/y:0"), [3.0, 6.0])


def test_graph_def_bytes_parse_back_and_import_as_in_tf():
    # TF 1.x code: open(f, "wb").write(graph.as_graph_def().SerializeToString()), later
    # tf.GraphDef().ParseFromString(...) and tf.import_graph_def
    a = tf.placeholder(tf.float32, [2], name="a")
    tf.while_loop(lambda x: tf.reduce_sum(x) < 10.0, lambda x: x * 2.0, [a], name="loop")
    graph_def = tf.GraphDef()
    graph_def.ParseFromString(tf.get_default_graph().as_graph_def().SerializeToString())
    with tf.Graph().as_default():
        tf.import_graph_def(graph_def, name="")
        with tf.Session() as s:
            np.testing.assert_array_equal(s.run("loop:0", {"a:0": [1.0, 2.0]}), [4.0, 8.0])


def _pipeline_graph(d):
    """Uses of the input-pipeline ops (tf.data, queues, readers, files); returns the fetches in run order."""
    with open(os.path.join(d, "a.csv"), "w") as f:
        f.write("1,2\n3,4\n5,6\n")
    with open(os.path.join(d, "raw.bin"), "wb") as f:
        f.write(bytes(range(8)))
    csv = os.path.join(d, "a.csv")
    steps = []
    ds = tf.data.TextLineDataset(csv).map(lambda l: tf.decode_csv(l, [[0], [0]]))
    ds = ds.filter(lambda a, b: a > 0).repeat(2).shuffle(3, seed=1).take(5).skip(1).cache().prefetch(1)
    ds = ds.concatenate(tf.data.Dataset.from_tensors((tf.constant(7), tf.constant(8))))
    z = tf.data.Dataset.zip((tf.data.Dataset.range(3), tf.data.Dataset.from_tensor_slices(tf.constant([1.0, 2.0, 3.0]))))
    fm = tf.data.Dataset.range(2).flat_map(lambda x: tf.data.Dataset.from_tensors(x)).interleave(
        lambda x: tf.data.Dataset.from_tensors(x), cycle_length=1)
    pb = tf.data.Dataset.range(4).map(lambda x: tf.fill([tf.cast(x, tf.int32)], x)).padded_batch(2, padded_shapes=[None])
    cd = tf.data.experimental.CsvDataset(csv, [tf.int32, tf.int32]).batch(2)
    steps += [list(ds.make_one_shot_iterator().get_next()), list(z.make_one_shot_iterator().get_next()),
              fm.make_one_shot_iterator().get_next(), pb.make_one_shot_iterator().get_next(),
              list(cd.make_one_shot_iterator().get_next())]
    it = tf.data.Dataset.range(3).make_initializable_iterator()
    steps.append(it.initializer)
    h = it.string_handle()
    steps.append(tf.data.Iterator.from_string_handle(h, tf.int64, tf.TensorShape([])).get_next())
    for q in (tf.FIFOQueue(5, [tf.float32], shapes=[[2]]), tf.PaddingFIFOQueue(5, [tf.float32], shapes=[[2]]),
              tf.RandomShuffleQueue(5, 0, [tf.float32], shapes=[[2]], seed=1)):
        steps.append(q.enqueue_many([[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]]))
        steps.append(q.enqueue([[7.0, 8.0]]))
        steps += [q.size(), q.dequeue(), q.dequeue_many(1), q.dequeue_up_to(1)]
        steps.append(q.close())
        steps.append(q.is_closed())
    for reader, files in ((tf.TextLineReader(), [csv]), (tf.WholeFileReader(), [csv, csv]),
                          (tf.FixedLengthRecordReader(4), [os.path.join(d, "raw.bin")])):
        fq = tf.FIFOQueue(3, [tf.string], shapes=[[]])
        steps.append(fq.enqueue_many([files]))
        steps.append(fq.close())
        steps += [list(reader.read(fq)), list(reader.read_up_to(fq, 1))]
        steps += [reader.num_records_produced(), reader.num_work_units_completed()]
        steps.append(reader.reset())
    steps += [tf.decode_raw(tf.read_file(os.path.join(d, "raw.bin")), tf.uint8), tf.matching_files(os.path.join(d, "*.csv"))]
    steps.append(tf.write_file(os.path.join(d, "out.txt"), tf.constant("hello")))
    v = tf.Variable(0, name="counter")
    steps.append(tf.count_up_to(v, 5))
    steps.append(tf.Assert(tf.constant(True), [tf.constant(1)]))
    return steps


def test_input_pipelines_round_trip(tmp_path):
    # datasets with traced map/filter functions, queues, readers: same values after import
    g = tf.Graph()
    with g.as_default():
        steps = _pipeline_graph(str(tmp_path))
        init = tf.global_variables_initializer()
    g2 = _round_trip(g)
    results = []
    for graph in (g, g2):
        with tf.Session(graph=graph) as s:
            s.run(graph.as_graph_element(init.name))
            el = (lambda x: [el(y) for y in x] if isinstance(x, list) else graph.as_graph_element(x.name))
            results.append([s.run(el(x)) for x in steps])
    flat = [[v for r in rs for v in (r if isinstance(r, list) else [r])] for rs in results]
    assert len(flat[0]) == len(flat[1]) > 40
    for a, b in zip(*flat):
        if isinstance(a, (bytes, type(None))):
            assert a == b
        else:
            np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
