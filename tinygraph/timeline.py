"""Run traces for people: a Chrome trace, a table of the slowest ops, a memory report.

    opts = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
    md = tf.RunMetadata()
    sess.run(train_op, feed, options=opts, run_metadata=md)
    tl = timeline.Timeline(md.step_stats)
    open("step.json", "w").write(tl.generate_chrome_trace_format())  # Perfetto, chrome://tracing
    print(tl.table())                      # slowest ops, loop iterations summed
    print(timeline.memory_report(md))      # peak bytes, what While ops saved

As in TF (`tensorflow.python.client.timeline`), each executed op becomes one
complete ("X") event named by its op type, with the op's name and inputs in `args`.
Ops run by a While op's body sit inside the While event on the same track, so the
viewer draws each loop iteration under the loop.
"""
import collections
import json

__all__ = ["Timeline", "memory_report"]


def _ns(seconds):
    return int(round(seconds * 1e9))


def _fmt_bytes(n):
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            return "%.1f %s" % (n / size, unit)
    return "%d B" % n


class Timeline:
    """A view of the step stats of one traced run (tf.python.client.timeline.Timeline).

    Args:
      step_stats: `RunMetadata.step_stats` of a run traced with FULL_TRACE.
      graph: accepted for TF compatibility (not needed: op types are in the stats).

    Raises:
      ValueError: `step_stats` holds no records (the run was not traced).
    """

    def __init__(self, step_stats, graph=None):
        if not len(step_stats):
            raise ValueError("The step stats are empty: run with options=tf.RunOptions("
                             "trace_level=tf.RunOptions.FULL_TRACE) and a tf.RunMetadata().")
        self._step_stats = step_stats
        self._graph = graph

    def _events(self):
        events = []
        for pid, dev in enumerate(self._step_stats.dev_stats):
            events.append({"name": "process_name", "ph": "M", "pid": pid,
                           "args": {"name": "%s Compute" % dev.device}})
            events.append({"name": "thread_name", "ph": "M", "pid": pid, "tid": 0,
                           "args": {"name": "ops"}})
            for n in dev.node_stats:
                # Whole nanoseconds, so a body op never pokes out of its loop's event.
                start, end = _ns(n.start_s), _ns(n.start_s + n.duration_s)
                args = {"name": n.node_name, "op": n.op_type,
                        "output_shapes": [list(s) for s in n.output_shapes], "bytes": n.bytes}
                if n.frame:
                    args["frame"] = n.frame_name
                    args["iteration"] = n.iteration
                events.append({"name": n.op_type, "cat": "Op", "ph": "X", "pid": pid, "tid": 0,
                               "ts": start / 1000.0, "dur": (end - start) / 1000.0, "args": args})
        return events

    def generate_chrome_trace_format(self, show_dataflow=True, show_memory=False):
        """The trace as a JSON string in the Chrome Trace Event format.

        Args:
          show_dataflow, show_memory: accepted for TF compatibility; tinygraph draws
            neither arrows nor allocator tracks.

        Returns:
          A JSON string: {"traceEvents": [...], "displayTimeUnit": "ns"}.
        """
        return json.dumps({"traceEvents": self._events(), "displayTimeUnit": "ns"}, indent=1)

    def op_summary(self):
        """Per op name (loop iterations summed): list of dicts sorted by total time, slowest first.

        Each dict has name, type, count (executions), total_s, max_s, bytes (summed outputs).
        A While op's time includes the ops of its body.
        """
        acc = collections.OrderedDict()
        for n in self._step_stats:
            a = acc.get(n.node_name)
            if a is None:
                a = acc[n.node_name] = {"name": n.node_name, "type": n.op_type, "count": 0,
                                        "total_s": 0.0, "max_s": 0.0, "bytes": 0}
            a["count"] += 1
            a["total_s"] += n.duration_s
            a["max_s"] = max(a["max_s"], n.duration_s)
            a["bytes"] += n.bytes
        return sorted(acc.values(), key=lambda a: -a["total_s"])

    def table(self, top=15, by="time"):
        """A plain-text table of the `top` slowest ops (or largest outputs) for the terminal.

        Args:
          top: how many rows.
          by: "time" (total time, loop iterations summed) or "bytes" (output bytes).

        Returns:
          A string.

        Raises:
          ValueError: `by` is neither "time" nor "bytes".
        """
        if by not in ("time", "bytes"):
            raise ValueError("by must be 'time' or 'bytes', got %r" % (by,))
        rows = self.op_summary()
        if by == "bytes":
            rows = sorted(rows, key=lambda a: -a["bytes"])
        top_level = [n for n in self._step_stats if not n.frame]
        wall = max((n.start_s + n.duration_s for n in top_level), default=0.0)
        lines = ["%d op executions, %.3f ms wall; top %d by %s (While includes its body)"
                 % (len(self._step_stats), wall * 1e3, min(top, len(rows)), by),
                 "%-52s %-18s %6s %10s %9s %10s" % ("op", "type", "runs", "total ms", "% wall",
                                                      "out bytes")]
        for a in rows[:top]:
            name = a["name"] if len(a["name"]) <= 52 else "..." + a["name"][-49:]
            share = 100.0 * a["total_s"] / wall if wall else 0.0
            lines.append("%-52s %-18s %6d %10.3f %8.1f%% %10s" % (
                name, a["type"][:18], a["count"], a["total_s"] * 1e3, share, _fmt_bytes(a["bytes"])))
        return "\n".join(lines)


def memory_report(run_metadata):
    """A plain-text memory report of one run.

    Args:
      run_metadata: the RunMetadata of the run. The peak needs FULL_TRACE; the loop
        counters are filled for every run.

    Returns:
      A string: the peak bytes of tensors held during the run (loop tapes included,
      variables not), what While ops saved for backprop and swapped to host memory,
      and the largest op outputs.
    """
    loop = run_metadata.loop_stats or {}
    stats = run_metadata.step_stats
    lines = ["Memory report (%s backend)" % (run_metadata.backend or "?")]
    if len(stats):
        lines.append("  peak bytes held by tensors:  %s (%d B; loop tapes included, "
                     "variables not)" % (_fmt_bytes(stats.peak_bytes), stats.peak_bytes))
    else:
        lines.append("  peak bytes held by tensors:  not measured (run with FULL_TRACE)")
    lines.append("  While loop iterations:       %d" % loop.get("loop_iterations", 0))
    lines.append("  saved for backprop:          %d values, %s (peak on tapes %s)" % (
        loop.get("saved_values", 0), _fmt_bytes(loop.get("saved_bytes", 0)),
        _fmt_bytes(loop.get("peak_saved_bytes", 0))))
    lines.append("  swapped to host memory:      %d values, %s" % (
        loop.get("swapped_values", 0), _fmt_bytes(loop.get("swapped_bytes", 0))))
    if len(stats):
        biggest = {}  # node name -> its largest execution (loop bodies run many times)
        for n in stats:
            if n.node_name not in biggest or n.bytes > biggest[n.node_name].bytes:
                biggest[n.node_name] = n
        lines.append("  largest outputs (one execution):")
        for n in sorted(biggest.values(), key=lambda n: -n.bytes)[:5]:
            where = " (in a loop)" if n.frame else ""
            lines.append("    %10s  %s (%s)%s" % (_fmt_bytes(n.bytes), n.node_name, n.op_type, where))
    return "\n".join(lines)
