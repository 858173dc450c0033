"""RunOptions and RunMetadata: ask `Session.run` for a trace and loop counters."""


class RunOptions:
    """Options for one `Session.run` call.

    Attributes:
      trace_level: NO_TRACE (default) or FULL_TRACE (record per-op timings and shapes).
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


class RunMetadata:
    """Filled by `Session.run(..., run_metadata=md)`.

    Attributes:
      loop_stats: dict of counters of what While ops saved for backprop and swapped
        to host memory (saved_values, saved_bytes, swapped_values, swapped_bytes,
        loop_iterations, peak_saved_bytes).
      step_stats: list of (op_name, op_type, start_s, duration_s, output_shapes, bytes)
        when traced with FULL_TRACE, else empty.
    """

    def __init__(self):
        self.loop_stats = {}
        self.step_stats = []
        self.backend = None

    def _record(self, stats, trace, backend):
        self.loop_stats = stats.as_dict()
        self.backend = backend.name
        self.step_stats = []
        for op, start, end, outs in trace or ():
            shapes = [tuple(getattr(o, "shape", ())) for o in outs]
            nbytes = sum(int(getattr(o, "nbytes", 0)) for o in outs)
            self.step_stats.append((op.name, op.type, start, end - start, shapes, nbytes))
