"""Numerical gradient checking: compare symbolic gradients with finite differences.

Two interfaces:

* `compute_gradient` / `compute_gradient_error`: TF 1.x's `tf.test.compute_gradient`,
  same signatures and results (full Jacobians, one finite difference per element).
* `check_gradients` / `GradientChecker`: a friendlier checker. It projects the outputs
  on random weights w, so it checks one scalar f(x) = sum <w, y>; compares
  directional derivatives <grad f, v> with central differences
  (f(x + h v) - f(x - h v)) / 2h along every basis vector of a small input, or along
  a few random unit vectors of a large one; picks tolerances from the dtype; checks
  second order (the gradient of <grad f, u>) on request; and reports a finite
  difference that straddles a kink (relu at 0, ties of max, ...) as "kink" instead
  of failing -- decided per direction: only a direction along which a probed op
  changes pattern (or starts within delta of its kink and moves) is forgiven, and
  each forgiven comparison is listed with its reasons.

Finite differences are only trustworthy in float64: build the graph in float64, or
pass a function to `check_gradients`, which builds it in float64 for you.
"""
from ..backend import hostnp as np
from ..framework import dtypes
from ..framework import graph as _graph
from ..framework.graph import Graph, Tensor
from ..framework.indexed_slices import IndexedSlices
from ..gradients import _between_ops, gradients
from ..ops.constant_op import constant, placeholder
from ..ops.control_flow_ops import identity
from ..ops.variables import global_variables
from ..session import Session, get_default_session

__all__ = ["compute_gradient", "compute_gradient_error", "check_gradients", "GradientChecker",
           "GradientCheckResult", "TOLERANCES", "KINK_PATTERNS"]


# -- TF 1.x's compute_gradient -----------------------------------------------------------
def _product(shape):
    return int(np.prod(shape, dtype=np.int64)) if len(shape) else 1


def _default_session():
    sess = get_default_session()
    if sess is None:
        raise ValueError("compute_gradient needs a default session: call it inside "
                         "`with tf.Session():` (or `with sess.as_default():`).")
    return sess


def _feeds(extra, new):
    out = dict(extra)
    out.update(new)
    return out


def _dx_and_dy(x, y, y_shape):
    """The gradient of y for x with a fed dy (a constant we replace by one-hot rows)."""
    with x.graph.as_default():
        dy_orig = constant(1.0, shape=list(y_shape), dtype=y.dtype)
        dy = identity(dy_orig)
    return gradients(y, x, dy)[0], dy_orig


def _theoretical_jacobian(x, x_shape, x_data, dy, y_shape, dx, extra_feed_dict):
    sess = _default_session()
    x_size, dy_size = _product(x_shape), _product(y_shape)
    x_val_size = _product(x_shape[1:])
    jacobian = np.zeros((x_size, dy_size), dtype=x.dtype.as_numpy_dtype)
    if dx is None:  # y does not depend on x
        return jacobian
    dy_data = np.zeros(y_shape, dtype=dy.dtype.as_numpy_dtype)
    dy_flat = dy_data.reshape(-1)
    for col in range(dy_size):
        dy_flat[col] = 1
        feed = _feeds(extra_feed_dict, {x: x_data, dy: dy_data})
        if isinstance(dx, IndexedSlices):
            indices, values = sess.run([dx.indices, dx.values], feed_dict=feed)
            for i, v in zip(indices, values):
                jacobian[i * x_val_size:(i + 1) * x_val_size, col] += np.ravel(v)
        else:
            jacobian[:, col] = np.ravel(sess.run(dx, feed_dict=feed))
        dy_flat[col] = 0
    return jacobian


def _numeric_jacobian(x, x_shape, x_data, y, y_shape, delta, extra_feed_dict):
    sess = _default_session()
    x_size, y_size = _product(x_shape), _product(y_shape)
    x_dtype = x.dtype.as_numpy_dtype
    x_data = np.asarray(x_data, dtype=x_dtype)
    scale = np.asarray(2 * delta, dtype=y.dtype.as_numpy_dtype)[()]
    jacobian = np.zeros((x_size, y_size), dtype=x_dtype)
    for row in range(x_size):
        x_pos, x_neg = x_data.copy(), x_data.copy()
        x_pos.reshape(-1)[row] += delta
        x_neg.reshape(-1)[row] -= delta
        y_pos = sess.run(y, feed_dict=_feeds(extra_feed_dict, {x: x_pos}))
        y_neg = sess.run(y, feed_dict=_feeds(extra_feed_dict, {x: x_neg}))
        jacobian[row, :] = np.ravel((y_pos - y_neg) / scale)
    return jacobian


def _x_data(x, x_shape, x_init_value):
    if x.dtype not in (dtypes.float16, dtypes.float32, dtypes.float64):
        raise TypeError("Cannot compute gradient for unsupported type %s of argument %s"
                        % (x.dtype.name, x.name))
    if x_init_value is None:
        return np.random.random_sample(x_shape).astype(x.dtype.as_numpy_dtype)
    if list(x_shape) != list(np.shape(x_init_value)):
        raise ValueError("x_shape = %s, init_data shape = %s"
                         % (list(x_shape), list(np.shape(x_init_value))))
    return np.asarray(x_init_value, dtype=x.dtype.as_numpy_dtype)


def _compute_gradient(x, x_shape, dx, y, y_shape, dy, x_data, delta, extra_feed_dict):
    jacob_t = _theoretical_jacobian(x, x_shape, x_data, dy, y_shape, dx, extra_feed_dict)
    jacob_n = _numeric_jacobian(x, x_shape, x_data, y, y_shape, delta, extra_feed_dict)
    return jacob_t, jacob_n


def compute_gradient(x, x_shape, y, y_shape, x_init_value=None, delta=1e-3, init_targets=None,
                     extra_feed_dict=None):
    """Computes the theoretical and numeric Jacobian of `y` with respect to `x`.

    Runs in the default session. `x` is fed: at `x_init_value`, or at uniform random
    values in [0, 1). Row i, column j of a Jacobian is dy[j]/dx[i] (flattened).

    Args:
      x: a Tensor, or a list of Tensors.
      x_shape: the shape of x (a list of shapes if x is a list).
      y: a Tensor.
      y_shape: the shape of y.
      x_init_value: optional numpy array (a list of them, or None entries, if x is a list).
      delta: the perturbation of the central differences.
      init_targets: ops run first (e.g. variable initializers).
      extra_feed_dict: more feeds (e.g. for placeholders other than x).

    Returns:
      (jacobian_theoretical, jacobian_numeric), two arrays of shape [x_size, y_size];
      if x is a list, a list with one such pair per x.

    Raises:
      ValueError: there is no default session, or x_init_value has the wrong shape.
      TypeError: x is not a float tensor.
    """
    extra_feed_dict = dict(extra_feed_dict or {})
    if init_targets is not None:
        if not isinstance(init_targets, (list, tuple)):
            raise TypeError("init_targets must be a list or tuple")
        sess = _default_session()
        for init in init_targets:
            sess.run(init)
    if isinstance(x, list):
        xs = [_graph.convert_to_tensor(xi) for xi in x]
        pairs = [_dx_and_dy(xi, y, y_shape) for xi in xs]
        init_values = x_init_value if x_init_value is not None else [None] * len(xs)
        datas = [_x_data(xi, si, vi) for xi, si, vi in zip(xs, x_shape, init_values)]
        # Every x is fed at its point while the Jacobian of one of them is computed.
        feeds = _feeds(extra_feed_dict, dict(zip(xs, datas)))
        return [_compute_gradient(xi, si, dxi, y, y_shape, dyi, di, delta, feeds)
                for xi, si, (dxi, dyi), di in zip(xs, x_shape, pairs, datas)]
    x = _graph.convert_to_tensor(x)
    dx, dy = _dx_and_dy(x, y, y_shape)
    return _compute_gradient(x, x_shape, dx, y, y_shape, dy, _x_data(x, x_shape, x_init_value),
                             delta, extra_feed_dict)


def compute_gradient_error(x, x_shape, y, y_shape, x_init_value=None, delta=1e-3,
                           init_targets=None, extra_feed_dict=None):
    """The largest absolute difference between the theoretical and numeric Jacobians.

    Same arguments as `compute_gradient`; for a list of x, the maximum over all of them.
    """
    grad = compute_gradient(x, x_shape, y, y_shape, x_init_value, delta, init_targets,
                            extra_feed_dict=extra_feed_dict)
    if isinstance(grad, tuple):
        grad = [grad]
    error = 0
    for j_t, j_n in grad:
        if j_t.size or j_n.size:
            error = np.maximum(error, np.fabs(j_t - j_n).max())
    return error


# -- the friendlier checker -----------------------------------------------------------------
TOLERANCES = {
    # delta: finite-difference step; an error passes if <= atol + rtol * max(|analytic|, |numeric|).
    "float64": dict(delta=1e-5, rtol=1e-5, atol=1e-6),
    "float32": dict(delta=1e-3, rtol=2e-2, atol=2e-3),
    "float16": dict(delta=1e-2, rtol=1e-1, atol=5e-2),
}


def _sign(z):
    return np.sign(z)


def _pattern_of_inputs(fn):
    return lambda op, ins, outs: fn(*ins)


# op type -> fn(op, input arrays, output arrays) -> (pattern, distance to the nearest kink).
# A finite difference whose two points see another pattern than the base point straddles
# a kink; so does one that moves an element sitting within `delta` of its kink.
KINK_PATTERNS = {
    "Relu": _pattern_of_inputs(lambda x: (_sign(x), np.abs(x))),
    "LeakyRelu": _pattern_of_inputs(lambda x: (_sign(x), np.abs(x))),
    "Elu": _pattern_of_inputs(lambda x: (_sign(x), np.abs(x))),
    "Selu": _pattern_of_inputs(lambda x: (_sign(x), np.abs(x))),
    "Abs": _pattern_of_inputs(lambda x: (_sign(x), np.abs(x))),
    "Sign": _pattern_of_inputs(lambda x: (_sign(x), np.abs(x))),
    "Softsign": _pattern_of_inputs(lambda x: (_sign(x), np.abs(x))),
    "Relu6": _pattern_of_inputs(lambda x: (_sign(x) + _sign(x - 6),
                                           np.minimum(np.abs(x), np.abs(x - 6)))),
    "Maximum": _pattern_of_inputs(lambda x, y: (_sign(x - y), np.abs(x - y))),
    "Minimum": _pattern_of_inputs(lambda x, y: (_sign(x - y), np.abs(x - y))),
    "ClipByValue": _pattern_of_inputs(lambda t, lo, hi: (_sign(t - lo) + 3 * _sign(t - hi),
                                                         np.minimum(np.abs(t - lo), np.abs(t - hi)))),
    "Floor": lambda op, ins, outs: (outs[0], np.abs(ins[0] - np.round(ins[0]))),
    "Ceil": lambda op, ins, outs: (outs[0], np.abs(ins[0] - np.round(ins[0]))),
    "Round": lambda op, ins, outs: (outs[0], np.abs(ins[0] - np.floor(ins[0]) - 0.5)),
    "Rint": lambda op, ins, outs: (outs[0], np.abs(ins[0] - np.floor(ins[0]) - 0.5)),
    "FloorMod": _pattern_of_inputs(lambda x, y: (np.floor(x / y), np.abs(x / y - np.round(x / y)))),
    "FloorDiv": _pattern_of_inputs(lambda x, y: (np.floor(x / y), np.abs(x / y - np.round(x / y)))),
}


def _reduction_kink(op, ins, outs):
    """Max/Min reductions: the arg-extremum of each reduced slice, and the gap to the runner-up."""
    x = np.asarray(ins[0])
    axes = op.attrs.get("axis")
    axes = tuple(range(x.ndim)) if axes is None else tuple(a % max(x.ndim, 1) for a in axes)
    if x.ndim == 0 or not axes:
        return np.zeros(()), np.full((), np.inf)
    kept = [a for a in range(x.ndim) if a not in axes]
    flat = np.transpose(x, kept + list(axes)).reshape([x.shape[a] for a in kept] + [-1])
    if op.type == "Min":
        flat = -flat
    pattern = np.argmax(flat, axis=-1)
    if flat.shape[-1] < 2:
        return pattern, np.full(pattern.shape, np.inf)
    top2 = np.sort(flat, axis=-1)[..., -2:]
    return pattern, top2[..., 1] - top2[..., 0]


KINK_PATTERNS["Max"] = _reduction_kink
KINK_PATTERNS["Min"] = _reduction_kink


def _is_pattern_tensor(t):
    """A real integer or boolean array output (never a TensorArray or other handle)."""
    return t.dtype.is_integer or t.dtype.is_bool


def _generic_pattern(op, ins, outs):
    # A float -> int/bool op (comparison, cast, argmax, a loop's trip count): its integer
    # outputs are the pattern; how far the point is from a change is unknown.
    return list(outs), None


class _Probe:
    """An op whose values tell which smooth piece of the function a point lies on.

    `tensors` are fetched with the outputs; `fn(op, ins, outs)` turns their values into
    (pattern, distance to the nearest kink or None).
    """

    __slots__ = ("op", "fn", "tensors", "n_in")

    def __init__(self, op, fn, generic):
        self.op = op
        self.fn = fn
        if generic:
            self.tensors = [t for t in op.outputs if _is_pattern_tensor(t)]
            self.n_in = 0
        else:
            self.tensors = list(op.inputs) + list(op.outputs)
            self.n_in = len(op.inputs)

    def evaluate(self, values):
        values = [np.asarray(v) for v in values]
        return self.fn(self.op, values[:self.n_in], values[self.n_in:])

    def __repr__(self):
        return "'%s' (%s)" % (self.op.name, self.op.type)


def _sub_graphs(op):
    """The loop/cond bodies an op holds in its attrs."""
    found = []
    for value in op.attrs.values():
        for v in (value if isinstance(value, (list, tuple)) else [value]):
            if isinstance(v, Graph):
                found.append(v)
            elif isinstance(getattr(v, "graph", None), Graph) and not isinstance(v, Tensor):
                found.append(v.graph)
    return found


def _probe_ops(ys, xs, extra_patterns):
    """(probes, unprobed): the ops between xs and ys whose finite differences may straddle
    a kink, and the kink ops inside loop/cond bodies, which cannot be probed per iteration."""
    patterns = dict(KINK_PATTERNS)
    patterns.update(extra_patterns or {})
    probes, bodies = [], []
    for op in sorted(_between_ops(ys, xs, set()), key=lambda o: o._id):
        if op.type in patterns:
            probes.append(_Probe(op, patterns[op.type], generic=False))
        elif any(_is_pattern_tensor(t) for t in op.outputs):
            probes.append(_Probe(op, _generic_pattern, generic=True))
        bodies.extend(_sub_graphs(op))
    unprobed, seen = [], set()
    while bodies:
        g = bodies.pop()
        if id(g) in seen:
            continue
        seen.add(id(g))
        for op in g.get_operations():
            if op.type in patterns or (any(t.dtype.is_floating for t in op.inputs)
                                       and any(_is_pattern_tensor(t) for t in op.outputs)):
                unprobed.append("'%s' (%s)" % (op.name, op.type))
            bodies.extend(_sub_graphs(op))
    return probes, sorted(set(unprobed))


def _same_pattern(a, b):
    """Exact equality of two patterns (arrays, or lists/tuples of them)."""
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
        return (isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)) and len(a) == len(b)
                and all(_same_pattern(x, y) for x, y in zip(a, b)))
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return False
    same = a == b
    if a.dtype.kind in "fc":  # a NaN pattern element (sign of NaN) equals itself
        same = same | (np.isnan(a) & np.isnan(b))
    return bool(np.all(same))


def _near_mask(distance, delta):
    """Elements of a probe's distance within `delta` of the kink (None: no distance known)."""
    if distance is None:
        return None
    mask = np.asarray(distance) <= delta
    return mask if np.any(mask) else None


def _moved(mask, d0, d1):
    """Whether an element under `mask` changed between the base point and a shifted one."""
    d0, d1 = np.asarray(d0), np.asarray(d1)
    if d0.shape != d1.shape:
        return True
    return bool(np.any((d0 != d1) & mask))


class GradientCheckResult:
    """What a gradient check found.

    Attributes:
      status: "ok" (every comparison agreed), "kink" (some disagreed, each along a
        direction whose finite difference straddles or starts at a kink) or "fail".
      max_error: the largest |analytic - numeric| over the comparisons not at kinks.
      max_relative_error: the largest |analytic - numeric| / max(|analytic|, |numeric|, atol).
      per_input: a list of dicts, one per (order, x): order, x (name), comparisons,
        max_error, max_relative_error, kink_directions (how many were forgiven),
        failures.
      forgiven: one dict per forgiven comparison: order, x, direction, analytic,
        numeric, error, reasons (which probe ops changed pattern, or sat within delta
        of their kink and moved, along that direction).
      kinks: descriptions of the kink ops found near the checked point.
      unprobed: kink ops inside loop/cond bodies; the checker cannot see their values
        per iteration, so directions through them are judged strictly.
      failures: readable descriptions of the failed comparisons.
      tolerance: the dict of delta, rtol, atol used.
    """

    def __init__(self, tolerance):
        self.tolerance = tolerance
        self.per_input = []
        self.kinks = []
        self.forgiven = []
        self.unprobed = []
        self.failures = []
        self.max_error = 0.0
        self.max_relative_error = 0.0
        self.status = "ok"

    @property
    def ok(self):
        """True unless a comparison away from kinks failed."""
        return self.status != "fail"

    def summary(self):
        lines = ["gradient check: %s (max error %.3g, max relative error %.3g; delta=%g rtol=%g atol=%g)"
                 % (self.status, self.max_error, self.max_relative_error, self.tolerance["delta"],
                    self.tolerance["rtol"], self.tolerance["atol"])]
        for r in self.per_input:
            lines.append("  order %d, %s: %d comparisons, max error %.3g, %d forgiven at kinks, %d failed"
                         % (r["order"], r["x"], r["comparisons"], r["max_error"], r["kink_directions"],
                            len(r["failures"])))
        if self.kinks:
            lines.append("  kinks: " + "; ".join(sorted(set(self.kinks))))
        for f in self.forgiven[:10]:
            lines.append("  forgiven: order %d, d/d%s along %s (analytic %.6g, numeric %.6g): %s"
                         % (f["order"], f["x"], f["direction"], f["analytic"], f["numeric"],
                            "; ".join(f["reasons"])))
        if len(self.forgiven) > 10:
            lines.append("  ... and %d more forgiven" % (len(self.forgiven) - 10))
        if self.unprobed:
            lines.append("  not probed (inside loop/cond bodies, judged strictly): "
                         + ", ".join(self.unprobed))
        lines.extend("  FAILED " + f for f in self.failures[:10])
        if len(self.failures) > 10:
            lines.append("  ... and %d more failures" % (len(self.failures) - 10))
        return "\n".join(lines)

    __str__ = summary

    def __repr__(self):
        return "<GradientCheckResult %s max_error=%.3g>" % (self.status, self.max_error)


def _dtype_key(tensors):
    sizes = [t.dtype.size for t in tensors if t.dtype.is_floating]
    return {2: "float16", 4: "float32"}.get(min(sizes) if sizes else 8, "float64")


class GradientChecker:
    """A reusable gradient check of `ys` with respect to `xs`.

    The gradient graph (and the second-order one) is built once, in the graph of `ys`;
    `check(feed_dict)` then runs it at as many points as you like.

    Args:
      ys: a Tensor or list of Tensors (non-float ones are ignored).
      xs: a float Tensor, Variable, or list of them; they are fed (perturbed) during checks.
      order: 1, or 2 to also check the gradients of the gradients.
      delta, rtol, atol: override the defaults of TOLERANCES for the dtype (the lowest
        precision among xs and ys).
      max_full_size: inputs with at most this many elements are checked along every
        basis vector (the whole gradient); larger ones along `num_directions` random
        unit vectors.
      num_directions: random directions per large input.
      seed: seed of the random weights and directions.
      kink_patterns: extra {op type: fn(op, input arrays, output arrays) -> (pattern,
        distance)} for your own ops with kinks (see KINK_PATTERNS).

    Raises:
      ValueError: an x is not a float tensor, or order is not 1 or 2.
    """

    def __init__(self, ys, xs, order=1, delta=None, rtol=None, atol=None, max_full_size=32,
                 num_directions=6, seed=0, kink_patterns=None):
        if order not in (1, 2):
            raise ValueError("order must be 1 or 2, got %r" % (order,))
        ys = [_graph.convert_to_tensor(y) for y in (ys if isinstance(ys, (list, tuple)) else [ys])]
        xs = [_graph.convert_to_tensor(x) for x in (xs if isinstance(xs, (list, tuple)) else [xs])]
        for x in xs:
            if not x.dtype.is_floating:
                raise ValueError("Cannot check the gradient for %s of dtype %s" % (x.name, x.dtype.name))
        self.ys = [y for y in ys if y.dtype.is_floating]
        self.xs = xs
        self.order = order
        self.graph = ys[0].graph
        tol = dict(TOLERANCES[_dtype_key(self.xs + self.ys)])
        for k, v in (("delta", delta), ("rtol", rtol), ("atol", atol)):
            if v is not None:
                tol[k] = v
        self.tolerance = tol
        self.max_full_size = max_full_size
        self.num_directions = num_directions
        self.seed = seed
        # levels[k] = (outputs, weight placeholders, gradients of sum <w, outputs> per x)
        self.levels = []
        with self.graph.as_default(), self.graph.name_scope("gradient_check"):
            outputs = self.ys
            for k in range(order):
                if not outputs:
                    break
                weights = [placeholder(o.dtype, o.shape, name="w%d" % k) for o in outputs]
                grads = gradients(outputs, xs, grad_ys=weights)
                grads = [None if g is None else _graph.convert_to_tensor(g) for g in grads]
                self.levels.append((outputs, weights, grads))
                outputs = [g for g in grads if g is not None]
        self.probes, self.unprobed = _probe_ops(self.ys, self.xs, kink_patterns)

    # -- running ---------------------------------------------------------------------------
    def _session(self, session):
        if session is not None:
            return session, False
        sess = get_default_session()
        if sess is not None and sess.graph is self.graph:
            return sess, False
        sess = Session(graph=self.graph)
        with self.graph.as_default():
            init = [v.initializer for v in global_variables()]
        if init:
            sess.run(init)
        return sess, True

    def check(self, feed_dict=None, session=None, raise_on_failure=True):
        """Checks the gradients at the point given by `feed_dict`.

        Args:
          feed_dict: feeds for the graph; xs not in it take the value they compute.
          session: the Session (default: the default session, else a new one with
            the graph's variables initialized).
          raise_on_failure: raise AssertionError on a failed comparison (else only
            report it in the result).

        Returns:
          A GradientCheckResult.

        Raises:
          AssertionError: a comparison away from kinks failed (with raise_on_failure).
        """
        sess, own = self._session(session)
        try:
            return self._check(sess, dict(feed_dict or {}), raise_on_failure)
        finally:
            if own:
                sess.close()

    def _check(self, sess, feed, raise_on_failure):
        rng = np.random.RandomState(self.seed)
        tol = self.tolerance
        result = GradientCheckResult(tol)
        result.unprobed = list(self.unprobed)
        x_values = [np.asarray(feed[x]) if x in feed else None for x in self.xs]
        missing = [x for x, v in zip(self.xs, x_values) if v is None]
        if missing:
            got = sess.run(missing, feed_dict=feed)
            it = iter(got)
            x_values = [v if v is not None else np.asarray(next(it)) for v in x_values]
        x_values = [np.asarray(v, dtype=x.dtype.as_numpy_dtype) for x, v in zip(self.xs, x_values)]
        feed.update(zip(self.xs, x_values))
        probe_tensors = [t for p in self.probes for t in p.tensors]

        def patterns(values):
            out, i = [], 0
            for p in self.probes:
                out.append(p.evaluate(values[i:i + len(p.tensors)]))
                i += len(p.tensors)
            return out

        base_outputs = sess.run(self.levels[0][0] + probe_tensors, feed_dict=feed) if self.levels else []
        n0 = len(self.levels[0][0]) if self.levels else 0
        base = patterns(base_outputs[n0:])
        near = [_near_mask(distance, tol["delta"]) for _, distance in base]
        for p, mask in zip(self.probes, near):
            if mask is not None:
                result.kinks.append("%r within delta of its kink at %d element(s)" % (p, int(np.sum(mask))))
        shapes = [np.shape(v) for v in base_outputs[:n0]]
        for k, (outputs, weights, grads) in enumerate(self.levels):
            w_values = [rng.standard_normal(s).astype(w.dtype.as_numpy_dtype) if s else
                        np.asarray(rng.standard_normal(), dtype=w.dtype.as_numpy_dtype)
                        for s, w in zip(shapes, weights)]
            feed.update(zip(weights, w_values))
            live = [g for g in grads if g is not None]
            analytic = dict(zip([id(g) for g in live], sess.run(live, feed_dict=feed)))
            for i, x in enumerate(self.xs):
                g = grads[i]
                a_full = analytic[id(g)] if g is not None else np.zeros_like(x_values[i])
                self._check_input(sess, feed, result, k + 1, i, outputs, w_values, a_full,
                                  probe_tensors, patterns, base, near, rng)
            shapes = [np.shape(analytic[id(g)]) for g in live]
        result.status = "fail" if result.failures else ("kink" if result.forgiven else "ok")
        if result.status == "fail" and raise_on_failure:
            raise AssertionError(result.summary())
        return result

    def _kink_reasons(self, shifted, base, near):
        """Why the finite difference along one direction may straddle a kink ([] if it does not).

        `shifted`: the probes' (pattern, distance) at x + h d and x - h d.
        """
        reasons = []
        for p, (p0, d0), mask, ends in zip(self.probes, base, near, zip(*shifted)):
            if not all(_same_pattern(p1, p0) for p1, _ in ends):
                reasons.append("%r changes pattern" % (p,))
            elif mask is not None and any(_moved(mask, d0, d1) for _, d1 in ends):
                reasons.append("%r starts within delta of its kink" % (p,))
        return reasons

    def _directions(self, shape, rng):
        size = _product(shape)
        if size <= self.max_full_size:
            for j in range(size):
                d = np.zeros(size)
                d[j] = 1.0
                index = tuple(int(k) for k in np.unravel_index(j, shape))
                yield "element %s" % (index,) if shape else "the scalar", d.reshape(shape)
        else:
            for j in range(self.num_directions):
                d = rng.standard_normal(size)
                yield "random direction %d" % j, (d / np.linalg.norm(d)).reshape(shape)

    def _check_input(self, sess, feed, result, order, i, outputs, w_values, analytic, probe_tensors,
                     patterns, base, near, rng):
        tol = self.tolerance
        x, x0 = self.xs[i], feed[self.xs[i]]
        h = tol["delta"]
        report = dict(order=order, x=x.name, comparisons=0, max_error=0.0, max_relative_error=0.0,
                      kink_directions=0, failures=[])
        for label, d in self._directions(x0.shape, rng):
            values, shifted = [], []
            for sign in (1.0, -1.0):
                feed[x] = (x0 + sign * h * d).astype(x0.dtype)
                got = sess.run(list(outputs) + probe_tensors, feed_dict=feed)
                values.append(sum(float(np.sum(np.asarray(o, dtype=np.float64) * w))
                                  for o, w in zip(got[:len(outputs)], w_values)))
                shifted.append(patterns(got[len(outputs):]))
            feed[x] = x0
            numeric = (values[0] - values[1]) / (2 * h)
            exact = float(np.sum(np.asarray(analytic, dtype=np.float64) * d))
            err = abs(numeric - exact)
            scale = max(abs(numeric), abs(exact))
            report["comparisons"] += 1
            if err <= tol["atol"] + tol["rtol"] * scale and np.isfinite(err):
                report["max_error"] = max(report["max_error"], err)
                report["max_relative_error"] = max(report["max_relative_error"],
                                                   err / max(scale, tol["atol"]))
                continue
            reasons = self._kink_reasons(shifted, base, near)
            if reasons:  # this direction straddles a kink: the mismatch is no gradient error
                report["kink_directions"] += 1
                result.forgiven.append(dict(order=order, x=x.name, direction=label, analytic=exact,
                                            numeric=numeric, error=err, reasons=reasons))
                continue
            msg = ("order %d, d/d%s along %s: analytic %.6g, numeric %.6g, |error| %.3g > "
                   "tolerance %.3g" % (order, x.name, label, exact, numeric, err,
                                       tol["atol"] + tol["rtol"] * scale))
            report["failures"].append(msg)
            result.failures.append(msg)
            report["max_error"] = max(report["max_error"], err)
            report["max_relative_error"] = max(report["max_relative_error"],
                                               err / max(scale, tol["atol"]))
        if report["kink_directions"]:
            result.kinks.append("order %d, %s: finite differences straddle a kink" % (order, x.name))
        result.per_input.append(report)
        result.max_error = max(result.max_error, report["max_error"])
        result.max_relative_error = max(result.max_relative_error, report["max_relative_error"])


def check_gradients(ys, xs, feed_dict=None, order=1, session=None, raise_on_failure=True,
                    dtype=dtypes.float64, **options):
    """Checks the gradients of `ys` for `xs` against central finite differences.

    Two forms:

    * graph form: `ys` Tensors and `xs` Tensors/Variables of an existing graph; the point
      is given by `feed_dict` (xs not fed take the value they compute). Build the graph
      in float64 for tight tolerances; float32 graphs get looser ones (TOLERANCES).
    * function form: `ys` is a function building the output from tensors, and `xs` a
      list of arrays; the function is called on float64 placeholders (`dtype`) in a
      fresh graph, and the check runs at the given arrays.

            check_gradients(lambda a, b: tf.tanh(a @ b), [a0, b0], order=2)

    Args:
      ys: Tensor(s), or a function (see above).
      xs: Tensor(s)/Variable(s), or a list of arrays for the function form.
      feed_dict: the point and any other feeds (graph form).
      order: 1, or 2 to also check second derivatives.
      session: the Session to run in (graph form; default: the default session).
      raise_on_failure: raise AssertionError on failure (else only report it).
      dtype: the placeholders' dtype in the function form.
      **options: GradientChecker options (delta, rtol, atol, max_full_size,
        num_directions, seed, kink_patterns).

    Returns:
      A GradientCheckResult (status "ok", "kink" or "fail").

    Raises:
      AssertionError: a gradient disagrees with finite differences away from kinks.
    """
    if callable(ys) and not isinstance(ys, Tensor):
        fn = ys
        arrays = [np.asarray(a, dtype=dtypes.as_dtype(dtype).as_numpy_dtype) for a in xs]
        graph = Graph()
        with graph.as_default():
            phs = [placeholder(dtype, a.shape, name="x%d" % i) for i, a in enumerate(arrays)]
            out = fn(*phs)
            checker = GradientChecker(out, phs, order=order, **options)
            feed = dict(feed_dict or {})
            feed.update(zip(phs, arrays))
            return checker.check(feed, raise_on_failure=raise_on_failure)
    checker = GradientChecker(ys, xs, order=order, **options)
    return checker.check(feed_dict, session=session, raise_on_failure=raise_on_failure)
