"""tinygraph.viz (DOT drawings), run traces (FULL_TRACE step stats), timeline and memory report."""
import json
import re

import numpy as np
import pytest

import tinygraph as tf
from tinygraph import timeline, viz

FULL = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)


def _rnn_model(n_steps=4, units=5):
    X = tf.placeholder(tf.float32, [None, n_steps, 1], name="X")
    y = tf.placeholder(tf.float32, [None, n_steps, 1], name="y")
    cell = tf.contrib.rnn.OutputProjectionWrapper(
        tf.contrib.rnn.BasicRNNCell(num_units=units, activation=tf.nn.relu), output_size=1)
    outputs, _ = tf.nn.dynamic_rnn(cell, X, dtype=tf.float32)
    loss = tf.reduce_mean(tf.square(outputs - y))
    train = tf.train.AdamOptimizer(0.01).minimize(loss)
    return X, y, outputs, loss, train


def _traced_step(n_steps=4, batch=3, units=5):
    X, y, outputs, loss, train = _rnn_model(n_steps, units)
    md = tf.RunMetadata()
    feed = {X: np.ones((batch, n_steps, 1)), y: np.zeros((batch, n_steps, 1))}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train, feed, options=FULL, run_metadata=md)
        plan = sess.plan_for(train, feed)
    return md, plan


# -- DOT -----------------------------------------------------------------------------------
def _dot_nodes(dot):
    return set(re.findall(r'^\s*"([^"]+)" \[label=', dot, re.M))


def test_dot_has_scopes_as_clusters_shapes_on_edges_and_control_edges():
    a = tf.placeholder(tf.float32, [None, 3], name="a")
    with tf.name_scope("layer"):
        w = tf.Variable(tf.ones([3, 2]), name="w")
        h = tf.matmul(a, w, name="mm")
    with tf.control_dependencies([h]):
        out = tf.identity(h, name="out")
    dot = viz.to_dot(fetches=[out])
    assert dot.startswith("digraph G {") and dot.rstrip().endswith("}")
    assert 'subgraph "cluster_layer"' in dot
    assert _dot_nodes(dot) >= {"a", "layer/w", "layer/mm", "out"}
    assert '"layer/mm" -> "out" [label="?\u00d72"];' in dot
    assert '"a" -> "layer/mm" [label="?\u00d73"];' in dot
    assert "layer/w/Assign" not in dot  # not needed for `out`: pruned like Session.run
    assert "layer/w/Assign" in viz.to_dot()  # the whole graph without fetches


def test_gradient_scopes_collapse_to_one_node_unless_asked():
    X, y, outputs, loss, train = _rnn_model()
    dot = viz.to_dot(fetches=[train])
    nodes = _dot_nodes(dot)
    assert "gradients" in nodes and not any(n.startswith("gradients/") for n in nodes)
    assert re.search(r'"gradients" \[label="gradients\\n\(\d+ ops\)"', dot)
    assert "rnn/while/gradients" in nodes  # the loop body's gradient, collapsed too
    assert "rnn/while" in nodes and "rnn/while/output_projection_wrapper/basic_rnn_cell/MatMul" in nodes
    full = _dot_nodes(viz.to_dot(fetches=[train], collapse_gradients=False))
    assert "gradients/rnn/while_grad/WhileGrad" in full
    forward = _dot_nodes(viz.to_dot(fetches=[loss]))
    assert not any("gradients" in n or n.startswith("Adam") for n in forward)


@pytest.mark.skipif(not viz.dot_available(), reason="Graphviz is not installed")
def test_render_svg_and_png(tmp_path):
    a = tf.placeholder(tf.float32, [2], name="a")
    tf.square(a, name="sq")
    dot = viz.to_dot()
    svg = viz.render(dot, str(tmp_path / "g.svg"))
    assert "<svg" in open(svg).read()
    png = viz.render(dot, str(tmp_path / "g.png"))
    assert open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(RuntimeError, match="dot failed"):
        viz.render("digraph {", str(tmp_path / "bad.svg"))


# -- traces --------------------------------------------------------------------------------
def test_trace_has_one_record_per_executed_op_including_loop_iterations():
    md, plan = _traced_step(n_steps=4)
    stats = md.step_stats
    top = [n for n in stats if not n.frame]
    assert [n.node_name for n in top] == [op.name for _, _, _, _, op in plan.steps]
    loop = [n for n in stats if n.frame and n.frame[0][0] == "rnn/while"]
    matmuls = [n for n in loop if n.node_name == "rnn/while/output_projection_wrapper/basic_rnn_cell/MatMul"]
    assert [n.iteration for n in matmuls] == [0, 1, 2, 3]
    assert all(n.output_shapes == [(3, 5)] and n.bytes == 3 * 5 * 4 for n in matmuls)
    conds = [n for n in loop if n.node_name == "rnn/while/cond/Less"]
    assert len(conds) in (4, 5)  # once per iteration (plus the final check without a bound)
    grads = [n for n in stats if n.frame and n.frame[0][0] == "gradients/rnn/while_grad/WhileGrad"]
    assert len({n.iteration for n in grads}) == 4
    w = next(n for n in top if n.node_name == "rnn/while")
    for n in loop:  # the body ran inside the While op's time span
        assert w.start_s <= n.start_s and n.start_s + n.duration_s <= w.start_s + w.duration_s + 1e-9
    assert stats.dev_stats[0].device.endswith("CPU:0") or stats.dev_stats[0].device.endswith("GPU:0")


def test_untraced_run_records_no_step_stats_but_loop_counters():
    X, y, outputs, loss, train = _rnn_model()
    md = tf.RunMetadata()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train, {X: np.ones((2, 4, 1)), y: np.ones((2, 4, 1))}, run_metadata=md)
    assert len(md.step_stats) == 0 and md.loop_stats["loop_iterations"] == 4
    with pytest.raises(ValueError, match="FULL_TRACE"):
        timeline.Timeline(md.step_stats)
    assert "not measured" in timeline.memory_report(md)


def test_chrome_trace_is_valid_json_with_one_complete_event_per_record():
    md, _ = _traced_step()
    trace = json.loads(timeline.Timeline(md.step_stats).generate_chrome_trace_format())
    events = trace["traceEvents"]
    ops = [e for e in events if e["ph"] == "X"]
    assert len(ops) == len(md.step_stats)
    for e, n in zip(ops, md.step_stats):
        assert e["name"] == n.op_type and e["args"]["name"] == n.node_name
        assert e["ts"] >= 0 and e["dur"] >= 0 and e["cat"] == "Op"
    assert {e["ph"] for e in events} == {"X", "M"}
    loop = next(e for e in ops if e["args"]["name"] == "rnn/while")
    body = [e for e in ops if e["args"].get("frame", "").startswith("rnn/while[")]
    assert body and all(loop["ts"] <= e["ts"] and e["ts"] + e["dur"] <= loop["ts"] + loop["dur"] + 1e-6
                        for e in body)


def test_table_lists_slowest_ops_with_runs_summed_over_iterations():
    md, _ = _traced_step(n_steps=4)
    tl = timeline.Timeline(md.step_stats)
    text = tl.table(top=50)
    lines = text.splitlines()
    assert lines[0].startswith("%d op executions" % len(md.step_stats))
    row = next(l for l in lines if l.startswith("...") and "basic_rnn_cell/MatMul " in l or
               l.startswith("rnn/while/output_projection_wrapper/basic_rnn_cell/MatMul "))
    assert re.search(r"MatMul\s+4\s", row)  # 4 iterations, one row
    totals = [a["total_s"] for a in tl.op_summary()]
    assert totals == sorted(totals, reverse=True)
    by_bytes = tl.table(top=3, by="bytes").splitlines()[2:]
    assert len(by_bytes) == 3
    with pytest.raises(ValueError):
        tl.table(by="color")


def test_memory_report_grows_with_the_sequence_on_a_dynamic_rnn():
    peaks, saved = [], []
    for n_steps in (5, 20):
        tf.reset_default_graph()
        md, _ = _traced_step(n_steps=n_steps, batch=8, units=16)
        report = timeline.memory_report(md)
        assert "peak bytes held by tensors" in report and "saved for backprop" in report
        assert "While loop iterations:       %d" % n_steps in report
        peaks.append(md.step_stats.peak_bytes)
        saved.append(md.loop_stats["saved_bytes"])
    # BPTT keeps per-step activations: the saved bytes grow linearly with the sequence
    assert saved[1] == 4 * saved[0] > 0
    assert peaks[1] > peaks[0] >= saved[0]
