"""RunOptions and RunMetadata: ask `Session.run` for a trace and loop counters.

    opts = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
    md = tf.RunMetadata()
    sess.run(train_op, feed_dict, options=opts, run_metadata=md)
    md.step_stats        # one NodeExecStats per executed op, loop bodies included
    md.loop_stats        # what While ops saved for backprop and swapped (always filled)

`tinygraph.timeline` turns the step stats into a Chrome trace, a table and a
memory report.
"""
import collections


class RunOptions:
    """Options for one `Session.run` call (tf.RunOptions).

    Attributes:
      trace_level: NO_TRACE (default) or FULL_TRACE (record per-op timings and shapes);
        SOFTWARE_TRACE and HARDWARE_TRACE record the same as FULL_TRACE.
    """

    NO_TRACE = 0
    SOFTWARE_TRACE = 1
    HARDWARE_TRACE = 2
    FULL_TRACE = 3

    def __init__(self, trace_level=0, timeout_in_ms=0, output_partition_graphs=False,
                 report_tensor_allocations_upon_oom=False):
        self.trace_level = trace_level
        self.timeout_in_ms = timeout_in_ms
        self.output_partition_graphs = output_partition_graphs
        self.report_tensor_allocations_upon_oom = report_tensor_allocations_upon_oom


class NodeExecStats(collections.namedtuple(
        "NodeExecStats", "node_name op_type start_s duration_s output_shapes bytes frame")):
    """What one execution of one op took (TF's NodeExecStats, simplified).

    Fields:
      node_name, op_type: the op.
      start_s, duration_s: start (seconds since the run's first op started) and duration.
      output_shapes: one shape tuple per output (() for scalars and non-arrays).
      bytes: total bytes of the outputs.
      frame: () for ops of the session's graph; ((loop op name, iteration), ...) for
        ops run inside a While (or If) op, outermost loop first.
    """

    __slots__ = ()

    @property
    def iteration(self):
        """The iteration of the innermost enclosing loop, or None at top level."""
        return self.frame[-1][1] if self.frame else None

    @property
    def frame_name(self):
        """The frame as text, e.g. "rnn/while[3]" ("" at top level)."""
        return "/".join("%s[%d]" % f for f in self.frame)

    @property
    def timeline_label(self):
        shapes = ", ".join(str(list(s)) for s in self.output_shapes)
        return "%s = %s(%s)" % (self.node_name, self.op_type, shapes)

    @property
    def all_start_micros(self):
        return int(round(self.start_s * 1e6))

    @property
    def all_end_rel_micros(self):
        return int(round(self.duration_s * 1e6))


class DeviceStepStats:
    """The node stats of one device (TF's DeviceStepStats).

    Attributes:
      device: the device name.
      node_stats: a list of NodeExecStats, in execution order.
    """

    def __init__(self, device, node_stats):
        self.device = device
        self.node_stats = node_stats


class StepStats:
    """The trace of one run (TF's StepStats): `dev_stats`, one entry per device.

    It is also a sequence of the NodeExecStats of all devices, by start time (a
    While op comes before the ops of its body, which run inside it).

    Attributes:
      dev_stats: list of DeviceStepStats.
      peak_bytes: the peak bytes of tensors held during the run, loop tapes included
        (an upper estimate; variables not counted).
    """

    def __init__(self, dev_stats=(), peak_bytes=0):
        self.dev_stats = list(dev_stats)
        self.peak_bytes = peak_bytes

    def _all(self):
        return [n for d in self.dev_stats for n in d.node_stats]

    def __iter__(self):
        return iter(self._all())

    def __len__(self):
        return sum(len(d.node_stats) for d in self.dev_stats)

    def __getitem__(self, i):
        return self._all()[i]

    def __bool__(self):
        return len(self) > 0

    def __repr__(self):
        return "<StepStats %d node stats on %s>" % (len(self), [d.device for d in self.dev_stats])


def device_name(backend_name):
    """TF's full name of the device a backend computes on."""
    kind = "GPU" if backend_name in ("cupy", "gpu", "cuda") else "CPU"
    return "/job:localhost/replica:0/task:0/device:%s:0" % kind


class RunMetadata:
    """Filled by `Session.run(..., run_metadata=md)` (tf.RunMetadata).

    Attributes:
      step_stats: a StepStats with one NodeExecStats per executed op when traced with
        FULL_TRACE (ops inside loops once per iteration), else empty.
      loop_stats: dict of counters of what While ops saved for backprop and swapped
        to host memory (saved_values, saved_bytes, swapped_values, swapped_bytes,
        loop_iterations, peak_saved_bytes); filled with or without tracing.
      backend: the name of the backend that ran.
    """

    def __init__(self):
        self.loop_stats = {}
        self.step_stats = StepStats()
        self.backend = None

    def _record(self, stats, trace, backend):
        self.loop_stats = stats.as_dict()
        self.backend = backend.name
        nodes = []
        records = sorted(trace or (), key=lambda r: r[1])  # by start: a loop before its body
        origin = records[0][1] if records else 0.0
        for op, start, end, outs, frame in records:
            shapes = [tuple(o.shape) if hasattr(o, "dtype") else () for o in outs]
            nbytes = sum(int(o.nbytes) for o in outs if hasattr(o, "dtype"))
            nodes.append(NodeExecStats(op.name, op.type, start - origin, end - start, shapes,
                                       nbytes, frame))
        if trace:
            self.step_stats = StepStats([DeviceStepStats(device_name(backend.name), nodes)],
                                        stats.peak_live_bytes)
        else:
            self.step_stats = StepStats()

    def __repr__(self):
        return "<RunMetadata %d node stats, loop_stats=%s>" % (len(self.step_stats), self.loop_stats)
