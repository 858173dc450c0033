"""Traced runs (RunOptions.FULL_TRACE): per-op records and the live-bytes peak.

A traced run executes each plan with `Plan.run_interpreted`, handing every step to
the Tracer, which times it and counts the bytes its values hold. A record is
(op, start, end, outputs, frame): `frame` is () for the session's own plan and
((loop op name, iteration), ...) for plans that a While or If kernel runs; the n-th
run of one sub-plan within one step of its parent is iteration n.
"""
import time


class LiveBytes:
    """Bytes of the tensors a traced run holds (each buffer counted once) and their peak.

    The peak adds what While ops hold on their tapes (RunStats._live_saved_bytes); a
    buffer that is both on a tape and a live tensor counts twice, so it is an upper
    estimate. Variable buffers belong to the session, not the run, and are not counted.
    """

    def __init__(self, variables, stats):
        self.variables = variables
        self.stats = stats
        self.refs = {}  # id(array) -> [array, number of slots holding it]
        self.now = 0

    def hold(self, v):
        if not hasattr(v, "dtype") or not hasattr(v, "nbytes"):
            return  # a loop tape, TensorArray, None: not a plain array
        entry = self.refs.get(id(v))
        if entry is not None:
            entry[1] += 1
            return
        if any(v is a for a in self.variables.values()):
            return
        self.refs[id(v)] = [v, 1]
        self.now += int(v.nbytes)
        stats = self.stats
        stats.peak_live_bytes = max(stats.peak_live_bytes, self.now + stats._live_saved_bytes)

    def release(self, v):
        entry = self.refs.get(id(v))
        if entry is None:
            return
        entry[1] -= 1
        if entry[1] == 0:
            del self.refs[id(v)]
            self.now -= int(v.nbytes)


class Tracer:
    """Collects the records of one traced run (see the module docstring).

    Attributes:
      records: the (op, start, end, outputs, frame) records, in the order steps ended.
    """

    def __init__(self, variables, stats):
        self.records = []
        self.live = LiveBytes(variables, stats)
        self._frames = []  # traced steps under way whose kernels run sub-plans (loops, conds)
        self._frame = ()

    def begin_plan(self, plan, feed_values):
        """Called as a plan starts; returns what `end_plan` needs."""
        if not self._frames:  # the session's own plan
            for v in feed_values:
                self.live.hold(v)
            return self._frame, True
        parent_frame, parent_name, calls = self._frames[-1]
        it = calls.get(plan, 0)
        calls[plan] = it + 1
        outer, self._frame = self._frame, parent_frame + ((parent_name, it),)
        return outer, False

    def call(self, step, args):
        """Runs one step's kernel, timing it."""
        self._frames.append((self._frame, step.op.name, {}))
        start = time.perf_counter()
        try:
            result = step.fn(*args)
        finally:
            self._frames.pop()
        end = time.perf_counter()
        outs = [result] if len(step.outs) == 1 else list(result) if step.outs else []
        self.records.append((step.op, start, end, outs, self._frame))
        return result

    def end_plan(self, plan, slots, began):
        outer, outermost = began
        self._frame = outer
        if outermost:
            return
        for s in plan.fetch_slots:  # handed to the parent op, which holds them as outputs
            if s not in plan.feed_slots:
                self.live.release(slots[s])
