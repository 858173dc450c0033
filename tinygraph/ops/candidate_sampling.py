"""Candidate sampling: samplers of negative classes, and the sampled losses built on them.

nce_loss and sampled_softmax_loss train a classifier over many classes by scoring
only the true classes plus `num_sampled` classes drawn from a proposal distribution
Q, and subtracting log(expected count under Q) from each logit (TF 1.x's
`_compute_sampled_logits`).

The samplers run on the host, as TF's do (CPU-only kernels): drawing `unique`
candidates is a sequential rejection loop. Only the small sampled id vector
crosses to the backend.
"""
from ..backend import hostnp as np
from ..framework import dtypes
from ..framework import graph as _graph
from ..framework.registry import NotDifferentiable, register_op
from ..framework.tensor_shape import TensorShape
from . import array_ops, control_flow_ops, math_ops, nn_ops
from .random_ops import _seed_attrs

__all__ = ["log_uniform_candidate_sampler", "uniform_candidate_sampler", "compute_accidental_hits",
           "nce_loss", "sampled_softmax_loss"]


# -- the proposal distributions ---------------------------------------------------------------
class _LogUniform:
    """P(k) = log((k+2)/(k+1)) / log(range_max+1): Zipf-like, for frequency-sorted vocabularies."""

    def __init__(self, range_max):
        self.log_range = np.log1p(range_max)
        self.range_max = range_max

    def sample(self, u):
        return (np.exp(u * self.log_range).astype(np.int64) - 1) % self.range_max

    def probability(self, xp, k):
        return xp.log((k + 2.0) / (k + 1.0)) / self.log_range


class _Uniform:
    """P(k) = 1 / range_max."""

    def __init__(self, range_max):
        self.range_max = range_max

    def sample(self, u):
        return np.minimum((u * self.range_max).astype(np.int64), self.range_max - 1)

    def probability(self, xp, k):
        return xp.full(k.shape, 1.0 / self.range_max)


def _draw(dist, draw_uniform, num_sampled, unique):
    """num_sampled candidates, and how many draws it took (more than num_sampled when unique)."""
    if not unique:
        return dist.sample(draw_uniform(num_sampled)), num_sampled
    picked, seen, tries = [], set(), 0
    while len(picked) < num_sampled:
        for value in dist.sample(draw_uniform(2 * (num_sampled - len(picked)) + 8)).tolist():
            tries += 1
            if value not in seen:
                seen.add(value)
                picked.append(value)
                if len(picked) == num_sampled:
                    break
    return np.asarray(picked, dtype=np.int64), tries


def _expected_count(xp, p, num_sampled, num_tries):
    """Expected occurrences of a class with probability p in the sampled batch."""
    if num_tries == num_sampled:  # always the case when unique=False
        return p * num_sampled
    return -xp.expm1(num_tries * xp.log1p(-p))  # 1 - (1-p)^num_tries, stably


def _sampler_infer(attrs, true_classes):
    n = attrs["num_sampled"]
    batch = true_classes.shape.dims[0] if true_classes.shape.dims is not None else None
    return [(dtypes.int64, TensorShape([n])),
            (dtypes.float32, TensorShape([batch, attrs["num_true"]])),
            (dtypes.float32, TensorShape([n]))]


def _sampler_bind(make_dist):
    def bind(op, ctx):
        attrs, xp, backend = op.attrs, ctx.xp, ctx.backend
        rng = ctx.rng(op, attrs["_rng_seed"])
        dist = make_dist(attrs["range_max"])

        def draw_uniform(n):
            return backend.to_host(rng.random_sample(size=n))

        def run(true_classes):
            sampled, tries = _draw(dist, draw_uniform, attrs["num_sampled"], attrs["unique"])
            sampled = backend.to_device(sampled)
            n = attrs["num_sampled"]
            true_count = _expected_count(xp, dist.probability(xp, true_classes), n, tries)
            sampled_count = _expected_count(xp, dist.probability(xp, sampled), n, tries)
            return [sampled, true_count.astype(xp.float32), sampled_count.astype(xp.float32)]
        return run
    return bind


def _never_called(xp, attrs, *arrays):
    raise AssertionError("samplers are bound to a session, never called")


for _type, _dist in (("LogUniformCandidateSampler", _LogUniform), ("UniformCandidateSampler", _Uniform)):
    register_op(_type, infer=_sampler_infer, bind=_sampler_bind(_dist), stateful=True)(_never_called)
    NotDifferentiable(_type)


def _candidate_sampler(op_type, true_classes, num_true, num_sampled, unique, range_max, seed, name):
    true_classes = math_ops.cast(_graph.convert_to_tensor(true_classes), dtypes.int64)
    if unique and num_sampled > range_max:
        raise ValueError("num_sampled (%d) must not exceed range_max (%d) when unique=True"
                         % (num_sampled, range_max))
    attrs = dict(_seed_attrs(seed), num_true=int(num_true), num_sampled=int(num_sampled),
                 unique=bool(unique), range_max=int(range_max))
    op = _graph.get_default_graph().create_op(op_type, [true_classes], attrs, name or op_type)
    return tuple(op.outputs)


def log_uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max,
                                  seed=None, name=None):
    """Samples classes from the log-uniform (Zipfian) distribution over [0, range_max).

    Args:
      true_classes: an int64 [batch_size, num_true] Tensor: the target classes.
      num_true: int, the number of targets per example.
      num_sampled: int, the number of classes to sample.
      unique: if True, sample without replacement (rejecting repeats).
      range_max: int, the number of classes.
      seed: the op seed.
      name: the op name.

    Returns:
      (sampled_candidates int64 [num_sampled], true_expected_count float32
      [batch_size, num_true], sampled_expected_count float32 [num_sampled]).

    Raises:
      ValueError: unique and num_sampled > range_max.
    """
    return _candidate_sampler("LogUniformCandidateSampler", true_classes, num_true, num_sampled,
                              unique, range_max, seed, name)


def uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max,
                              seed=None, name=None):
    """Samples classes uniformly from [0, range_max); see log_uniform_candidate_sampler."""
    return _candidate_sampler("UniformCandidateSampler", true_classes, num_true, num_sampled,
                              unique, range_max, seed, name)


# -- accidental hits ------------------------------------------------------------------------
def _hits_infer(attrs, true_classes, sampled):
    n = TensorShape([None])
    return [(dtypes.int32, n), (dtypes.int64, n), (dtypes.float32, n)]


@register_op("ComputeAccidentalHits", infer=_hits_infer)
def _hits_kernel(xp, attrs, true_classes, sampled):
    # one hit per (row, true column, sampled position) with equal classes, row-major
    rows, _, cols = xp.nonzero(true_classes[:, :, None] == sampled[None, None, :])
    weights = xp.full(rows.shape, -np.finfo(np.float32).max, dtype=xp.float32)
    return [rows.astype(xp.int32), cols.astype(xp.int64), weights]


NotDifferentiable("ComputeAccidentalHits")


def compute_accidental_hits(true_classes, sampled_candidates, num_true, seed=None, name=None):
    """Finds sampled candidates that equal one of the example's true classes.

    Args:
      true_classes: an int64 [batch_size, num_true] Tensor.
      sampled_candidates: an int64 [num_sampled] Tensor.
      num_true: int, the number of true classes per example.

    Returns:
      (indices int32 [n], ids int64 [n], weights float32 [n]): for each hit, the example
      row, the position in sampled_candidates, and -FLT_MAX (to add to that logit).
    """
    tc = math_ops.cast(_graph.convert_to_tensor(true_classes), dtypes.int64)
    sc = math_ops.cast(_graph.convert_to_tensor(sampled_candidates), dtypes.int64)
    op = _graph.get_default_graph().create_op("ComputeAccidentalHits", [tc, sc], {"num_true": num_true},
                                              name or "ComputeAccidentalHits")
    return tuple(op.outputs)


# -- sampled logits and losses ------------------------------------------------------------------
def _lookup(weights, ids, partition_strategy):
    if isinstance(weights, (list, tuple)):
        if len(weights) == 1:
            weights = weights[0]
        else:
            return nn_ops.embedding_lookup(list(weights), ids, partition_strategy=partition_strategy)
    return array_ops.gather(weights, ids)


def _compute_sampled_logits(weights, biases, labels, inputs, num_sampled, num_classes, num_true,
                            sampled_values, subtract_log_q, remove_accidental_hits,
                            partition_strategy, name, seed=None):
    """Logits [batch, num_true + num_sampled] of the true then sampled classes, and their labels."""
    values = (list(weights) if isinstance(weights, (list, tuple)) else [weights]) + [biases, inputs, labels]
    with _graph.name_scope(name, "compute_sampled_logits", values):
        inputs = _graph.convert_to_tensor(inputs)
        labels = math_ops.cast(_graph.convert_to_tensor(labels), dtypes.int64)
        labels_flat = array_ops.reshape(labels, [-1])
        if sampled_values is None:
            sampled_values = log_uniform_candidate_sampler(
                true_classes=labels, num_true=num_true, num_sampled=num_sampled, unique=True,
                range_max=num_classes, seed=seed)
        sampled, true_expected_count, sampled_expected_count = (
            control_flow_ops.stop_gradient(_graph.convert_to_tensor(s)) for s in sampled_values)
        sampled = math_ops.cast(sampled, dtypes.int64)

        true_w = _lookup(weights, labels_flat, partition_strategy)   # [batch * num_true, dim]
        sampled_w = _lookup(weights, sampled, partition_strategy)    # [num_sampled, dim]
        true_b = _lookup(biases, labels_flat, partition_strategy)
        sampled_b = _lookup(biases, sampled, partition_strategy)

        dim = inputs.get_shape()[-1].value
        dim = dim if dim is not None else array_ops.shape(inputs)[1]
        true_w = array_ops.reshape(true_w, [-1, num_true, dim])
        # row-wise dot products of each example with its own true classes
        true_logits = math_ops.reduce_sum(array_ops.expand_dims(inputs, 1) * true_w, axis=2)
        true_logits += array_ops.reshape(true_b, [-1, num_true])
        sampled_logits = math_ops.matmul(inputs, sampled_w, transpose_b=True) + sampled_b

        if remove_accidental_hits:
            # a sampled class that is a true class of the row must not count as a negative
            hits = math_ops.reduce_any(
                math_ops.equal(array_ops.expand_dims(labels, 2),
                               array_ops.reshape(sampled, [1, 1, -1])), axis=1)
            sampled_logits += math_ops.cast(hits, sampled_logits.dtype) * sampled_logits.dtype.min

        if subtract_log_q:
            true_logits -= math_ops.log(math_ops.cast(true_expected_count, true_logits.dtype))
            sampled_logits -= math_ops.log(math_ops.cast(sampled_expected_count, sampled_logits.dtype))

        out_logits = array_ops.concat([true_logits, sampled_logits], 1)
        # the true columns share probability 1 between them
        out_labels = array_ops.concat([array_ops.ones_like(true_logits) / num_true,
                                       array_ops.zeros_like(sampled_logits)], 1)
        return out_logits, out_labels


def nce_loss(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1,
             sampled_values=None, remove_accidental_hits=False, partition_strategy="mod",
             name="nce_loss"):
    """Noise-contrastive estimation loss (tf.nn.nce_loss).

    Each true class and each sampled class is a binary logistic regression on
    logit - log(expected count); the loss of an example is the sum over its columns.

    Args:
      weights: a [num_classes, dim] Tensor (or a list of shards).
      biases: a [num_classes] Tensor.
      labels: an int [batch_size, num_true] Tensor of target classes.
      inputs: a [batch_size, dim] Tensor.
      num_sampled: int, the number of negative classes sampled per batch.
      num_classes: int, the number of classes.
      num_true: int, the number of targets per example.
      sampled_values: optional (sampled_candidates, true_expected_count,
        sampled_expected_count) as returned by a *_candidate_sampler; default: a
        log_uniform_candidate_sampler with unique=True.
      remove_accidental_hits: if True, sampled classes equal to a true class are ignored.
      partition_strategy: "mod" or "div", for sharded weights.
      name: the name scope.

    Returns:
      A [batch_size] Tensor of per-example NCE losses.
    """
    logits, labels = _compute_sampled_logits(
        weights, biases, labels, inputs, num_sampled, num_classes, num_true, sampled_values,
        subtract_log_q=True, remove_accidental_hits=remove_accidental_hits,
        partition_strategy=partition_strategy, name=name)
    losses = nn_ops.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits,
                                                      name="sampled_losses")
    return math_ops.reduce_sum(losses, axis=1)


def sampled_softmax_loss(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1,
                         sampled_values=None, remove_accidental_hits=True, partition_strategy="mod",
                         name="sampled_softmax_loss", seed=None):
    """Softmax cross-entropy over the true and a sample of the other classes (tf.nn.sampled_softmax_loss).

    Args: as nce_loss (remove_accidental_hits defaults to True); seed seeds the default sampler.

    Returns:
      A [batch_size] Tensor of per-example losses.
    """
    logits, labels = _compute_sampled_logits(
        weights, biases, labels, inputs, num_sampled, num_classes, num_true, sampled_values,
        subtract_log_q=True, remove_accidental_hits=remove_accidental_hits,
        partition_strategy=partition_strategy, name=name, seed=seed)
    labels = control_flow_ops.stop_gradient(labels, name="labels_stop_gradient")
    return nn_ops.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
