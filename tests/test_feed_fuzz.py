"""A feed fuzzer: hypothesis draws placeholders (dtype, static shape), feed values (numpy
arrays of many dtypes, byte orders and layouts, read-only, subclasses, Python scalars at
the edges of each dtype, nested lists, odd Python objects) and feed keys (Tensor, name,
bytes name, tuple key), and checks every run against TF 1.x's feed rules:

* the outcome is the value TF would feed (numpy.asarray(value, dtype), fetched directly
  and through a computation) or the exception class TF raises (TypeError, ValueError,
  OverflowError) -- never another class;
* afterwards the session still runs and the variables hold what they held, also when
  the failed run had a training op among its fetches;
* the caller's value is not modified.

`expected_outcome` transcribes TF's Session._run feed code (python/client/session.py)
with numpy 1.x's scalar semantics; it does not use tinygraph.feeds.
Under the CI profile each test draws a fixed set of examples; `HYPOTHESIS_PROFILE=dev`
draws new ones every run. `FUZZ_STATS` counts what was tried.
"""
import collections
import fractions
import warnings

import numpy as np
import pytest

import hypothesis  # noqa: E402 - a test dependency: never skipped
from hypothesis import given, strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

import tinygraph as tf  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")  # NaN and inf feeds

FUZZ_STATS = collections.Counter()

DTYPES = ["float32", "float64", "float16", "int32", "int64", "int8", "uint8", "bool"]
STATIC_SHAPES = [None, [], [None], [3], [None, 3], [2, 3], [None, None]]
TYPED = (TypeError, ValueError, OverflowError)


# -- the reference: TF 1.x's feed rules ---------------------------------------------------
def expected_outcome(dtype, shape, value):
    """('ok', array) or ('error', exception class), as TF 1.x + numpy 1.x would do it."""
    np_dtype = np.dtype(dtype).type
    if isinstance(value, (tf.Tensor, tf.Operation, tf.Variable)):
        return "error", TypeError
    if isinstance(value, int):
        # TF: `np_dtype(value) != value` -> TypeError; numpy 1.x raised OverflowError for
        # ints beyond a C long while converting
        if np.dtype(dtype).kind in "iub":
            if not -2 ** 63 <= value < 2 ** 63:
                return "error", OverflowError
            lo, hi = (0, 1) if dtype == "bool" else (np.iinfo(dtype).min, np.iinfo(dtype).max)
            if not lo <= value <= hi:
                return "error", TypeError
        else:
            try:
                f = float(value)
            except OverflowError:
                return "error", OverflowError
            with np.errstate(all="ignore"):
                if dtype != "float64" and float(np_dtype(f)) != f:
                    return "error", TypeError
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with np.errstate(all="ignore"):
                arr = np.asarray(value, dtype=np_dtype)
    except TYPED as e:  # numpy's class, or its base among TYPED
        return "error", next(c for c in (OverflowError, TypeError, ValueError) if isinstance(e, c))
    if shape is not None:
        if arr.ndim != len(shape) or any(d is not None and d != n for d, n in zip(shape, arr.shape)):
            return "error", ValueError
    return "ok", arr


# -- strategies ----------------------------------------------------------------------------
def _edge_ints():
    edges = [0, 1, -1, 2, 127, 128, 255, 256, -129, 2 ** 15, 2 ** 24, 2 ** 24 + 1, 2 ** 31 - 1,
             2 ** 31, -2 ** 31, -2 ** 31 - 1, 2 ** 53 + 1, 2 ** 63 - 1, 2 ** 63, -2 ** 63 - 1,
             2 ** 64, 2 ** 200, 2 ** 1100]
    return st.one_of(st.sampled_from(edges), st.integers(-2 ** 70, 2 ** 70), st.booleans())


def _scalars():
    return st.one_of(
        _edge_ints(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.complex_numbers(max_magnitude=1e3),
        st.none(),
        st.sampled_from(["1.5", "12", "abc", "", "nan", "-3", "1e40", b"2.5", b"x"]),
        st.builds(fractions.Fraction, st.integers(-9, 9), st.integers(1, 9)),
        st.sampled_from([np.float32(1.5), np.int64(2 ** 40), np.uint8(200), np.bool_(True),
                         np.float64(1e300), np.complex64(1 + 1j), np.int8(-1)]),
    )


_ARRAY_DTYPES = ["<f4", ">f4", "<f8", ">f8", "<f2", "<i4", ">i4", "<i8", ">i8", "|i1", "|u1",
                 "|b1", "<c8", ">c16", "<U3", "|O"]


@st.composite
def _arrays(draw, shape_hint):
    dt = np.dtype(draw(st.sampled_from(_ARRAY_DTYPES)))
    if shape_hint is not None and draw(st.booleans()):
        shape = tuple(d if d is not None else draw(st.integers(0, 3)) for d in shape_hint)
    else:
        shape = tuple(draw(st.lists(st.integers(0, 4), max_size=3)))
    if dt.kind == "O":
        flat = draw(st.lists(st.one_of(st.integers(-5, 5), st.floats(-3, 3), st.none(),
                                       st.sampled_from(["1", "x", (1,), frozenset([1])])),
                             min_size=int(np.prod(shape)), max_size=int(np.prod(shape))))
        arr = np.empty(len(flat), dtype=object)
        arr[:] = flat
        arr = arr.reshape(shape)
    elif dt.kind == "U":
        arr = draw(hnp.arrays(dt, shape, elements=st.sampled_from(["1", "2.5", "x", "-1"])))
    elif dt.kind == "c":
        arr = draw(hnp.arrays(dt, shape, elements=st.complex_numbers(max_magnitude=10, width=64)))
    else:
        arr = draw(hnp.arrays(dt, shape))
    how = draw(st.sampled_from(["plain", "read_only", "strided", "fortran", "subclass",
                                "masked", "zero_strides"]))
    if how == "read_only":
        arr = arr.copy()
        arr.flags.writeable = False
    elif how == "strided" and arr.ndim:
        big = np.repeat(arr, 2, axis=-1)
        arr = big[..., ::2]  # a non-contiguous view with the same values
    elif how == "fortran":
        arr = np.asfortranarray(arr)
    elif how == "subclass":
        arr = arr.view(type("Sub", (np.ndarray,), {}))
    elif how == "masked":
        arr = np.ma.array(arr, mask=np.zeros(arr.shape, bool))
    elif how == "zero_strides" and arr.size:
        arr = np.broadcast_to(arr.reshape(-1)[:1].reshape((1,) * arr.ndim), arr.shape)
    FUZZ_STATS["array:" + how] += 1
    return arr


@st.composite
def _nested_lists(draw, shape_hint):
    if shape_hint is not None and all(d is not None for d in shape_hint) and draw(st.booleans()):
        shape = tuple(shape_hint)
    else:
        shape = tuple(draw(st.lists(st.integers(0, 3), max_size=2)))
    leaf = st.one_of(_edge_ints(), st.floats(-1e3, 1e3), st.booleans(), st.sampled_from(["2", "x"]))

    def build(sh):
        if not sh:
            return draw(leaf)
        return [build(sh[1:]) for _ in range(sh[0])]
    value = build(shape)
    if draw(st.integers(0, 4)) == 0 and shape and shape[0]:  # make it ragged
        value = list(value) + [[1, 2, 3, 4, 5]]
    return value


def _objects():
    return st.sampled_from(["set", "frozenset", "generator", "dict", "object", "bytearray",
                            "memoryview", "range", "tuple_of_arrays", "op", "tensor", "variable"])


def _make_object(kind, graph_items):
    if kind in ("op", "tensor", "variable"):
        return graph_items[kind]
    return {
        "set": lambda: {1, 2, 3},
        "frozenset": lambda: frozenset([1.0]),
        "generator": lambda: (i for i in range(3)),
        "dict": lambda: {"a": 1},
        "object": object,
        "bytearray": lambda: bytearray(b"ab"),
        "memoryview": lambda: memoryview(np.arange(3, dtype=np.float32)),
        "range": lambda: range(3),
        "tuple_of_arrays": lambda: (np.ones(3), np.zeros(3)),
    }[kind]()


@st.composite
def feeds(draw):
    """(placeholder index, value maker, key form)."""
    index = draw(st.integers(0, len(DTYPES) * len(STATIC_SHAPES) - 1))
    shape = STATIC_SHAPES[index % len(STATIC_SHAPES)]
    kind = draw(st.sampled_from(["array", "array", "array", "scalar", "list", "object"]))
    FUZZ_STATS["value:" + kind] += 1
    if kind == "array":
        a = draw(_arrays(shape))
        make = lambda items: a  # noqa: E731
    elif kind == "scalar":
        s = draw(_scalars())
        make = lambda items: s  # noqa: E731
    elif kind == "list":
        lst = draw(_nested_lists(shape))
        make = lambda items: lst  # noqa: E731
    else:
        o = draw(_objects())
        make = lambda items: _make_object(o, items)  # noqa: E731
    key = draw(st.sampled_from(["tensor", "name", "bytes", "tuple"]))
    return index, make, key


# -- the model -----------------------------------------------------------------------------
class Model:
    """Placeholders of every (dtype, static shape), a variable and a training step on a
    float feed, in one session kept across the examples."""

    def __init__(self):
        self.graph = tf.Graph()
        with self.graph.as_default():
            self.ph = []
            self.through = []
            for d in DTYPES:
                for s in STATIC_SHAPES:
                    p = tf.placeholder(getattr(tf, d), s, name="p_%s_%d" % (d, len(self.ph)))
                    self.ph.append(p)
                    # a computation that depends on every element, in float64
                    self.through.append(tf.reduce_sum(tf.cast(p, tf.float64)))
            self.x = tf.placeholder(tf.float32, [None, 3], name="x")
            self.w = tf.Variable(np.arange(6, dtype=np.float32).reshape(3, 2), name="W")
            loss = tf.reduce_sum(tf.matmul(self.x, self.w))
            self.train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
            self.reset_w = self.w.assign(np.arange(6, dtype=np.float32).reshape(3, 2))
            self.items = {"op": self.train, "tensor": loss, "variable": self.w}
            self.sess = tf.Session(graph=self.graph)
            self.sess.run(self.w.initializer)
        self.w0 = np.arange(6, dtype=np.float32).reshape(3, 2)

    def key(self, p, form):
        return {"tensor": p, "name": p.name, "bytes": p.name.encode(), "tuple": (p,)}[form]

    def intact(self):
        np.testing.assert_array_equal(self.sess.run(self.w), self.w0)
        ones = np.ones((2, 3), np.float32)
        got = self.sess.run(self.through[len(STATIC_SHAPES) + 4], {self.ph[len(STATIC_SHAPES) + 4]: ones})
        assert got == 6.0


@pytest.fixture(scope="module")
def model():
    m = Model()
    yield m
    m.sess.close()


def _as_key_value(form, key, value):
    return (key, (value,)) if form == "tuple" else (key, value)


def _nest_flatten(v):
    """TF's nest.flatten: into lists, tuples and dicts (sorted keys), nothing else."""
    if isinstance(v, dict):
        return [x for k in sorted(v) for x in _nest_flatten(v[k])]
    if isinstance(v, (list, tuple)):
        return [x for c in v for x in _nest_flatten(c)]
    return [v]


def expected_for_key(form, dtype, shape, value):
    """expected_outcome, after TF's flatten_dict_items has paired a tuple key (p,) with
    the leaves of its value (value,)."""
    if form == "tuple":
        leaves = _nest_flatten((value,))
        if len(leaves) != 1:
            return "error", ValueError
        value = leaves[0]
    return expected_outcome(dtype, shape, value)


def _snapshot(v):
    if isinstance(v, np.ndarray):
        return np.array(v, copy=True)
    return None


@given(feeds())
def test_one_feed_gives_tfs_value_or_tfs_exception(model, drawn):
    index, make, form = drawn
    p = model.ph[index]
    dtype, shape = p.dtype.name, (None if p.shape.ndims is None else p.shape.as_list())
    want = expected_for_key(form, dtype, shape, make(model.items))
    value = make(model.items)
    before = _snapshot(value)
    key, fed = _as_key_value(form, model.key(p, form), value)
    FUZZ_STATS["cases"] += 1
    try:
        got, total = model.sess.run([p, model.through[index]], {key: fed})
    except Exception as e:  # noqa: BLE001 - the class is what we test
        FUZZ_STATS["error:" + type(e).__name__] += 1
        assert isinstance(e, TYPED), "untyped %s: %s" % (type(e).__name__, e)
        assert want[0] == "error" and type(e) is want[1], (
            "%s %s fed %r: raised %s (%s), TF: %s" % (dtype, shape, value, type(e).__name__, e, want))
    else:
        FUZZ_STATS["ok"] += 1
        assert want[0] == "ok", "%s %s fed %r: accepted, TF raises %s" % (dtype, shape, value, want[1])
        arr = want[1]
        got = np.asarray(got)
        assert got.dtype == arr.dtype and got.shape == arr.shape
        np.testing.assert_array_equal(got, arr)
        with np.errstate(all="ignore"):
            ref = arr.astype(np.float64).sum()
        np.testing.assert_allclose(total, ref, rtol=1e-12, equal_nan=True)
    if before is not None:
        np.testing.assert_array_equal(np.asarray(value), before)
    model.intact()


@given(feeds())
def test_a_bad_feed_changes_no_variable_even_with_a_training_op(model, drawn):
    index, make, form = drawn
    value = make(model.items)
    x = model.x
    want = expected_for_key(form, "float32", [None, 3], make(model.items))
    key, fed = _as_key_value(form, model.key(x, form), value)
    FUZZ_STATS["cases"] += 1
    try:
        model.sess.run(model.train, {key: fed})
    except Exception as e:  # noqa: BLE001
        FUZZ_STATS["train_error:" + type(e).__name__] += 1
        assert isinstance(e, TYPED), "untyped %s: %s" % (type(e).__name__, e)
        assert want[0] == "error" and type(e) is want[1]
        model.intact()
        return
    FUZZ_STATS["train_ok"] += 1
    assert want[0] == "ok"
    # one SGD step on sum(x @ W): dW[i, j] = sum_b x[b, i]
    with np.errstate(all="ignore"):
        step = model.w0 - 0.5 * np.repeat(want[1].sum(axis=0)[:, None], 2, axis=1)
    np.testing.assert_allclose(model.sess.run(model.w), step, rtol=1e-5, equal_nan=True)
    model.sess.run(model.reset_w)
    model.intact()


@given(st.lists(feeds(), min_size=1, max_size=4))
def test_several_feeds_at_once(model, drawn):
    """Several keys (possibly naming one tensor twice): TF validates every value and the
    last value given for a tensor is the one fed; one bad value fails the whole run."""
    feed, wants, fetch = {}, {}, []
    for index, make, form in drawn:
        p = model.ph[index]
        shape = None if p.shape.ndims is None else p.shape.as_list()
        key, fed = _as_key_value(form, model.key(p, form), make(model.items))
        if key in feed or (form == "tuple" and p in feed) or (form == "tensor" and (p,) in feed):
            continue  # a repeated dict key: Python keeps one; tuple repeats are tested elsewhere
        feed[key] = fed
        wants.setdefault(p, []).append(expected_for_key(form, p.dtype.name, shape, make(model.items)))
        fetch.append(p)
    FUZZ_STATS["cases"] += 1
    errors = [w[1] for ws in wants.values() for w in ws if w[0] == "error"]
    try:
        got = model.sess.run(fetch, feed)
    except Exception as e:  # noqa: BLE001
        assert isinstance(e, TYPED), "untyped %s: %s" % (type(e).__name__, e)
        assert type(e) in errors, "raised %s, TF's candidates %s" % (type(e).__name__, errors)
    else:
        assert not errors, "accepted, TF raises one of %s" % errors
        for p, g in zip(fetch, got):
            want = wants[p][-1][1]
            np.testing.assert_array_equal(np.asarray(g), want)
    model.intact()
