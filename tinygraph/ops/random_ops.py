"""Random ops: seeds, normal/uniform/truncated draws, shuffles and multinomial samples.

Random ops are stateful: each `Session.run` draws new values. Every random op owns
one generator per session (`RunContext.rng`), seeded from the graph-level seed
(`tf.set_random_seed`) and the op's own seed with TF 1.x's rules (`get_seed`), so:
the same seeds give the same sequence in every session and every rebuild of the
graph; no seeds give different values in each session.
"""
from ..backend import host_ints, hostnp as np
from ..framework import dtypes
from ..framework import graph as _graph
from ..framework.graph import op_output
from ..framework.registry import NotDifferentiable, register_op
from ..framework.tensor_shape import TensorShape
from .array_helpers import _shape_tensor
from .binary_ops import add, multiply, subtract, truediv
from .shape_utils import constant_value, partial_shape_from_tensor

__all__ = ["set_random_seed", "get_seed", "random_normal", "random_uniform", "truncated_normal",
           "random_shuffle", "multinomial", "random_gamma"]

DEFAULT_GRAPH_SEED = 87654321
_MAXINT32 = 2 ** 31 - 1


# -- seeds ----------------------------------------------------------------------------------
def set_random_seed(seed):
    """Sets the graph-level random seed of the default graph (tf.set_random_seed).

    Random ops created afterwards without an op seed get one derived from the number
    of ops already in the graph, so rebuilding the same program gives the same values.

    Args:
      seed: an int, or None to clear it.
    """
    _graph.get_default_graph().root.seed = seed


def _truncate_seed(seed):
    return int(seed) % _MAXINT32  # TF keeps seeds in int32 range


def get_seed(op_seed):
    """The (graph seed, op seed) pair a random op uses (tf.get_seed, TF 1.x rules).

    - graph seed set, op seed None: the op seed is the graph's current op count;
    - graph seed set, op seed set: both are used;
    - only the op seed set: the graph seed is DEFAULT_GRAPH_SEED (87654321);
    - neither: (None, None), a nondeterministic op.

    Args:
      op_seed: the op-level seed or None.

    Returns:
      A tuple (seed, seed2) of ints, or (None, None).
    """
    graph = _graph.get_default_graph()
    global_seed = graph.root.seed
    if global_seed is not None:
        if op_seed is None:
            op_seed = graph._id_counter
        seeds = _truncate_seed(global_seed), _truncate_seed(op_seed)
    elif op_seed is not None:
        seeds = DEFAULT_GRAPH_SEED, _truncate_seed(op_seed)
    else:
        seeds = None, None
    if seeds == (0, 0):  # (0, 0) means "nondeterministic" to TF's kernels
        return 0, _MAXINT32
    return seeds


def _seed_attrs(seed):
    seed1, seed2 = get_seed(seed)
    # One 32-bit integer for the backend's generator, mixed from both seeds.
    mixed = None if seed1 is None else int(np.random.SeedSequence([seed1, seed2]).generate_state(1)[0])
    return {"seed": seed1 or 0, "seed2": seed2 or 0, "_rng_seed": mixed}


def _shape_of(shape):
    return host_ints(shape)  # one small read of the shape vector


def _random_op(op_type, draw, infer):
    """Registers a stateful random op whose kernel is draw(xp, rng, attrs, *arrays)."""
    def bind(op, ctx):
        rng = ctx.rng(op, op.attrs["_rng_seed"])
        xp, attrs = ctx.xp, op.attrs
        return lambda *arrays: draw(xp, rng, attrs, *arrays)

    def never_called(xp, attrs, *arrays):
        raise AssertionError("random ops are bound to a session, never called")
    register_op(op_type, infer=infer, bind=bind, stateful=True)(never_called)
    NotDifferentiable(op_type)


def _shape_infer(attrs, shape):
    known = constant_value(shape)
    if known is not None:
        for d in host_ints(known) if getattr(known, "ndim", 0) else ():
            if d < -1:  # -1 reads as "unknown" in a partial shape; below that, TF refuses
                raise ValueError("Invalid value in tensor used for shape: %d" % d)
    return [(attrs["dtype"], partial_shape_from_tensor(shape))]


def _np_dtype(attrs):
    return attrs["dtype"].as_numpy_dtype


def _draw_normal(xp, rng, attrs, shape):
    return rng.standard_normal(size=_shape_of(shape)).astype(_np_dtype(attrs), copy=False)


def _draw_uniform(xp, rng, attrs, shape):
    return rng.random_sample(size=_shape_of(shape)).astype(_np_dtype(attrs), copy=False)


def _draw_truncated(xp, rng, attrs, shape):
    out = rng.standard_normal(size=_shape_of(shape))
    while True:  # redraw the values beyond 2 stddev until none is left (~4.6% per round)
        bad = xp.abs(out) > 2.0
        n = int(xp.count_nonzero(bad))  # one scalar per round: the loop needs it on the host
        if n == 0:
            break
        out[bad] = rng.standard_normal(size=n)
    return out.astype(_np_dtype(attrs), copy=False)


def _draw_uniform_int(xp, rng, attrs, shape, minval, maxval):
    u = rng.random_sample(size=_shape_of(shape))
    span = maxval.astype(u.dtype) - minval.astype(u.dtype)
    out = minval + xp.floor(u * span).astype(_np_dtype(attrs))
    return xp.minimum(out, maxval - 1)  # guards against u * span rounding up to span


_random_op("RandomStandardNormal", _draw_normal, _shape_infer)
_random_op("RandomUniform", _draw_uniform, _shape_infer)
_random_op("TruncatedNormal", _draw_truncated, _shape_infer)
_random_op("RandomUniformInt", _draw_uniform_int,
           lambda attrs, shape, lo, hi: [(attrs["dtype"], partial_shape_from_tensor(shape))])


def _float_dtype(dtype, what):
    dtype = dtypes.as_dtype(dtype)
    if not dtype.is_floating:
        raise ValueError("Invalid dtype %s for %s: a floating point type is required." % (dtype.name, what))
    return dtype


def _create(op_type, inputs, dtype, seed, name):
    attrs = dict(_seed_attrs(seed), dtype=dtype)
    return op_output(op_type, inputs, attrs, name)


def _scale_and_shift(rnd, scale, shift, scope):
    return add(multiply(rnd, scale), shift, name=scope)


def random_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Values from a normal distribution (tf.random_normal).

    Args:
      shape: a 1-D int tensor or Python list: the output shape.
      mean, stddev: scalars (or tensors broadcastable to `shape`) of `dtype`.
      dtype: a floating point type.
      seed: the op seed (see `tf.set_random_seed`).
      name: the op name (default "random_normal").

    Returns:
      A tensor of `shape` and `dtype`.
    """
    dtype = _float_dtype(dtype, "random_normal")
    with _graph.name_scope(name, "random_normal") as scope:
        shape_t = _shape_tensor(shape)
        mean_t = _graph.convert_to_tensor(mean, dtype=dtype, name="mean")
        stddev_t = _graph.convert_to_tensor(stddev, dtype=dtype, name="stddev")
        rnd = _create("RandomStandardNormal", [shape_t], dtype, seed, "RandomStandardNormal")
        return _scale_and_shift(rnd, stddev_t, mean_t, scope)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Normal values, re-drawn when more than 2 stddev from the mean (tf.truncated_normal).

    Args, Returns: as `random_normal`.
    """
    dtype = _float_dtype(dtype, "truncated_normal")
    with _graph.name_scope(name, "truncated_normal") as scope:
        shape_t = _shape_tensor(shape)
        mean_t = _graph.convert_to_tensor(mean, dtype=dtype, name="mean")
        stddev_t = _graph.convert_to_tensor(stddev, dtype=dtype, name="stddev")
        rnd = _create("TruncatedNormal", [shape_t], dtype, seed, "TruncatedNormal")
        return _scale_and_shift(rnd, stddev_t, mean_t, scope)


def random_uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    """Uniform values in [minval, maxval) (tf.random_uniform).

    Args:
      shape: a 1-D int tensor or Python list: the output shape.
      minval: the lower bound (inclusive).
      maxval: the upper bound (exclusive); default 1 for floats, required for ints.
      dtype: float16/32/64, int32 or int64.
      seed: the op seed (see `tf.set_random_seed`).
      name: the op name (default "random_uniform").

    Returns:
      A tensor of `shape` and `dtype`.

    Raises:
      ValueError: an integer dtype without maxval, or minval >= maxval for known ints.
    """
    dtype = dtypes.as_dtype(dtype)
    if dtype not in (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64):
        raise ValueError("Invalid dtype %s for random_uniform." % dtype.name)
    if maxval is None:
        if dtype.is_integer:
            raise ValueError("Must specify maxval for integer dtype %r" % dtype)
        maxval = 1
    with _graph.name_scope(name, "random_uniform") as scope:
        shape_t = _shape_tensor(shape)
        lo = _graph.convert_to_tensor(minval, dtype=dtype, name="min")
        hi = _graph.convert_to_tensor(maxval, dtype=dtype, name="max")
        if dtype.is_integer:
            lo_v, hi_v = constant_value(lo), constant_value(hi)
            if lo_v is not None and hi_v is not None and np.any(np.asarray(lo_v) >= np.asarray(hi_v)):
                raise ValueError("Need minval < maxval: %s >= %s" % (lo_v, hi_v))
            return _create("RandomUniformInt", [shape_t, lo, hi], dtype, seed, scope)
        rnd = _create("RandomUniform", [shape_t], dtype, seed, "RandomUniform")
        return _scale_and_shift(rnd, subtract(hi, lo), lo, scope)


# -- shuffle ----------------------------------------------------------------------------------
def _draw_shuffle(xp, rng, attrs, value):
    if value.ndim == 0 or value.shape[0] <= 1:
        return value
    return xp.take(value, rng.permutation(value.shape[0]), axis=0)


_random_op("RandomShuffle", _draw_shuffle, lambda attrs, x: [(x.dtype, x.shape)])


def random_shuffle(value, seed=None, name=None):
    """`value` with its slices along the first dimension in random order (tf.random_shuffle)."""
    x = _graph.convert_to_tensor(value)
    with _graph.name_scope(name, "random_shuffle") as scope:
        return _create("RandomShuffle", [x], x.dtype, seed, scope)


# -- multinomial --------------------------------------------------------------------------------
def _multinomial_infer(attrs, logits, num_samples):
    n = constant_value(num_samples)
    batch = logits.shape.dims[0] if logits.shape.dims is not None else None
    return [(attrs["dtype"], TensorShape([batch, None if n is None else int(n)]))]


def _draw_multinomial(xp, rng, attrs, logits, num_samples):
    batch, classes = logits.shape
    n = int(num_samples)
    probs = xp.exp(logits - logits.max(axis=1, keepdims=True))  # -inf logits get probability 0
    cdf = xp.cumsum(probs.astype(xp.float64), axis=1)
    u = rng.random_sample(size=(batch, n)) * cdf[:, -1:]
    # the class of u is the number of cdf entries <= u (inverse-CDF sampling)
    idx = (cdf[:, None, :] <= u[:, :, None]).sum(axis=2)
    return xp.minimum(idx, classes - 1).astype(_np_dtype(attrs))


_random_op("Multinomial", _draw_multinomial, _multinomial_infer)


def multinomial(logits, num_samples, seed=None, name=None, output_dtype=None):
    """Draws class indices from categorical distributions (tf.multinomial).

    Args:
      logits: [batch_size, num_classes] unnormalized log-probabilities.
      num_samples: the number of samples per row (int or scalar int tensor).
      seed: the op seed.
      name: the op name (default "multinomial").
      output_dtype: int32 or int64 (the default).

    Returns:
      An int tensor [batch_size, num_samples].

    Raises:
      ValueError: `logits` is not 2-D.
    """
    with _graph.name_scope(name, "multinomial") as scope:
        logits = _graph.convert_to_tensor(logits, name="logits")
        if logits.shape.ndims is not None and logits.shape.ndims != 2:
            raise ValueError("logits should be a matrix, got shape %s" % logits.shape)
        n = _graph.convert_to_tensor(num_samples, dtype=dtypes.int32, name="num_samples")
        dtype = dtypes.as_dtype(output_dtype or dtypes.int64)
        return _create("Multinomial", [logits, n], dtype, seed, scope)


# -- gamma -----------------------------------------------------------------------------------------
def _gamma_infer(attrs, shape, alpha):
    s = partial_shape_from_tensor(shape)
    return [(attrs["dtype"], s.concatenate(alpha.shape) if s.dims is not None and
             alpha.shape.dims is not None else TensorShape(None))]


def _draw_gamma(xp, rng, attrs, shape, alpha):
    size = _shape_of(shape) + tuple(alpha.shape)
    return rng.standard_gamma(xp.broadcast_to(alpha, size), size=size).astype(_np_dtype(attrs))


_random_op("RandomGamma", _draw_gamma, _gamma_infer)


def random_gamma(shape, alpha, beta=None, dtype=dtypes.float32, seed=None, name=None):
    """Gamma(alpha, beta) samples of shape `shape + alpha.shape` (tf.random_gamma).

    `beta` is the inverse scale (rate): samples are standard gamma draws / beta.
    No gradient flows to alpha or beta through the draw.
    """
    dtype = _float_dtype(dtype, "random_gamma")
    with _graph.name_scope(name, "random_gamma") as scope:
        shape_t = _shape_tensor(shape)
        alpha_t = _graph.convert_to_tensor(alpha, dtype=dtype, name="alpha")
        if beta is None:
            return _create("RandomGamma", [shape_t, alpha_t], dtype, seed, scope)
        beta_t = _graph.convert_to_tensor(beta, dtype=dtype, name="beta")
        rnd = _create("RandomGamma", [shape_t, alpha_t], dtype, seed, "RandomGamma")
        return truediv(rnd, beta_t, name=scope)
