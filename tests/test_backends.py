"""Backend selection, the CuPy backend's errors, and the CuPy-compatibility check of the kernels.

The compatibility check needs no GPU: it collects every `xp.<name>` (and `rng.<name>`)
the kernels use from tinygraph's source and checks them against CuPy's namespace,
both a committed list (tinygraph/backend/cupy_names.py) and, where `cupy` can be
imported, the installed package with its signatures.
"""
import ast
import collections
import inspect
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

import tinygraph as tf
from tinygraph import backend as B
from tinygraph.backend import cupy_names

ROOT = pathlib.Path(tf.__file__).resolve().parent


# -- selection -------------------------------------------------------------------------
def test_available_backends():
    assert {"numpy", "fakedevice", "cupy"} <= set(tf.available_backends())


def test_unknown_backend_is_a_value_error():
    with pytest.raises(ValueError, match="Unknown tinygraph backend 'tpu'; known backends: "):
        tf.set_backend("tpu")


def test_set_backend_applies_to_new_sessions():
    tf.set_backend("numpy")
    a = tf.Session()
    be = tf.set_backend("fakedevice")
    b = tf.Session()
    assert a.backend.name == "numpy" and not a.backend.is_device
    assert b.backend is be and be.is_device
    assert tf.get_backend() is be


def test_environment_variable_selects_the_backend():
    code = "import tinygraph as tf; print(tf.get_backend().name, tf.Session().backend.name)"
    env = dict(os.environ, TINYGRAPH_BACKEND="fakedevice", PYTHONPATH=str(ROOT.parent))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["fakedevice", "fakedevice"]


def test_same_graph_same_numbers_on_numpy_and_fakedevice():
    x = tf.placeholder(tf.float32, [None, 4])
    w = tf.get_variable("w", [4, 3], initializer=tf.random_normal_initializer(seed=1))
    y = tf.nn.softmax(tf.matmul(x, w))
    g = tf.gradients(tf.reduce_sum(y * y), w)[0]
    feed = {x: np.random.RandomState(0).randn(5, 4)}
    results = {}
    for name in ("numpy", "fakedevice"):
        tf.set_backend(name)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            results[name] = sess.run([y, g], feed)
    for a, b in zip(results["numpy"], results["fakedevice"]):
        assert type(a) is type(b) is np.ndarray
        np.testing.assert_array_equal(a, b)  # same kernels, same random streams


# -- the CuPy backend's errors ------------------------------------------------------------
def test_cupy_missing_names_the_install_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "cupy", None)  # `import cupy` raises ImportError
    with pytest.raises(RuntimeError, match=r"cupy is not installed \(pip install -e \"\.\[gpu\]\"\)"):
        tf.set_backend("cupy")


def test_cupy_without_a_gpu_says_so():
    try:
        import cupy  # noqa: F401
    except Exception as e:  # not installed, or its CUDA libraries cannot load
        pytest.skip("cupy cannot be imported here: %s" % e)
    try:
        n = cupy.cuda.runtime.getDeviceCount()
    except Exception:
        n = 0
    if n:
        pytest.skip("a CUDA device is present")
    with pytest.raises(RuntimeError, match="tinygraph backend 'cupy': no CUDA device"):
        tf.set_backend("cupy")


@pytest.mark.gpu
def test_cupy_backend_runs_a_graph_and_returns_numpy():
    be = tf.set_backend("cupy")
    x = tf.placeholder(tf.float32, [2, 3])
    y = tf.reduce_sum(tf.tanh(x) * 2.0, axis=1)
    with tf.Session() as sess:
        be.transfers.reset()
        out = sess.run(y, {x: np.ones((2, 3))})
    assert type(out) is np.ndarray
    np.testing.assert_allclose(out, 6 * np.tanh(1.0), rtol=1e-6)
    assert be.transfers.to_device_count == 1 + 1 and be.transfers.to_host_count == 1  # feed+const


@pytest.mark.gpu
def test_cupy_random_ops_are_seeded_on_the_device():
    tf.set_backend("cupy")
    r = tf.random_normal([1000], seed=5)
    with tf.Session() as s1, tf.Session() as s2:
        a, b = s1.run(r), s2.run(r)
    np.testing.assert_array_equal(a, b)
    assert abs(a.mean()) < 0.15 and 0.85 < a.std() < 1.15


# -- every array-module function the kernels use exists in CuPy -----------------------------
def _chain(node):
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name) and node.id in ("xp", "rng") and parts:
        return node.id, tuple(reversed(parts))
    return None, None


def _kernel_uses():
    """{(root, attribute path): {(file, line, n_positional, keywords), ...}} over tinygraph/."""
    uses = collections.defaultdict(set)
    for path in sorted(ROOT.rglob("*.py")):
        if "backend" in path.relative_to(ROOT).parts:
            continue  # the backends implement xp; the kernels use it
        tree = ast.parse(path.read_text(), str(path))
        calls = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                root, parts = _chain(node.func)
                if root:
                    calls.add(id(node.func))
                    kws = tuple(sorted(k.arg for k in node.keywords if k.arg))
                    npos = -1 if any(isinstance(a, ast.Starred) for a in node.args) else len(node.args)
                    uses[(root, parts)].add((path.name, node.lineno, npos, kws))
        for node in ast.walk(tree):  # names not called: dtypes (xp.float32), xp.add of xp.add.at
            if isinstance(node, ast.Attribute) and id(node) not in calls:
                root, parts = _chain(node)
                if root:
                    uses.setdefault((root, parts), set())
    return dict(uses)


USES = _kernel_uses()


def test_the_kernels_use_xp():
    names = {parts[0] for root, parts in USES if root == "xp"}
    assert {"exp", "matmul", "where", "zeros", "sum"} <= names


def _in_committed_list(root, parts):
    if root == "rng":
        return parts[0] in cupy_names.RANDOM_STATE
    head = parts[0]
    if head == "linalg":
        return len(parts) == 1 or parts[1] in cupy_names.LINALG
    if head == "random":
        return len(parts) == 1 or parts[1] in cupy_names.RANDOM
    if head == "lib" and len(parts) > 1:  # cupy.lib.stride_tricks.<name>
        return parts[1] == "stride_tricks" and (len(parts) == 2 or parts[2] in cupy_names.LIB_STRIDE_TRICKS)
    if head not in cupy_names.NAMESPACE:
        return False
    if len(parts) > 1:  # a ufunc method such as xp.add.at
        return parts[1] in cupy_names.UFUNC_METHODS
    return True


def test_kernel_names_are_in_cupys_namespace_list():
    missing = sorted("%s.%s (%s)" % (root, ".".join(parts), ", ".join(sorted("%s:%d" % u[:2] for u in sites)))
                     for (root, parts), sites in USES.items() if not _in_committed_list(root, parts))
    assert not missing, "used by kernels but not in CuPy %s: %s" % (cupy_names.CUPY_VERSION, missing)


def _import_cupy_module():
    try:
        import cupy
    except Exception as e:  # ImportError, or CUDA libraries missing
        pytest.skip("cupy cannot be imported here (%s: %s); checked against the committed list only"
                    % (type(e).__name__, e))
    return cupy


def _resolve(cupy, root, parts):
    obj = cupy if root == "xp" else cupy.random.RandomState
    for p in parts:
        obj = getattr(obj, p)
    return obj


def test_kernel_names_exist_in_installed_cupy():
    cupy = _import_cupy_module()
    missing = []
    for (root, parts) in USES:
        try:
            _resolve(cupy, root, parts)
        except AttributeError:
            missing.append("%s.%s" % (root, ".".join(parts)))
    assert not missing, "not in cupy %s: %s" % (cupy.__version__, sorted(missing))


def test_kernel_calls_fit_installed_cupy_signatures():
    cupy = _import_cupy_module()
    problems, checked = [], 0
    for (root, parts), sites in sorted(USES.items()):
        fn = _resolve(cupy, root, parts)
        if not callable(fn) or isinstance(fn, type):
            continue
        try:
            sig = inspect.signature(fn)
        except (TypeError, ValueError):
            continue  # Cython ufuncs and kernels: no signature to read
        params = list(sig.parameters.values())
        var_kw = any(p.kind is p.VAR_KEYWORD for p in params)
        var_pos = any(p.kind is p.VAR_POSITIONAL for p in params)
        names = {p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
        max_pos = sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params)
        for fname, line, npos, kws in sites:
            checked += 1
            bad_kw = [k for k in kws if k not in names and not var_kw]
            if bad_kw:
                problems.append("%s:%d %s.%s: no keyword %s in cupy%s" % (
                    fname, line, root, ".".join(parts), bad_kw, sig))
            if npos > max_pos and not var_pos:
                problems.append("%s:%d %s.%s: %d positional arguments, cupy%s takes %d" % (
                    fname, line, root, ".".join(parts), npos, sig, max_pos))
    assert checked > 20
    assert not problems, "\n".join(problems)


def test_committed_list_matches_installed_cupy():
    cupy = _import_cupy_module()
    if cupy.__version__ != cupy_names.CUPY_VERSION:
        pytest.skip("installed cupy %s, list made from %s" % (cupy.__version__, cupy_names.CUPY_VERSION))
    assert cupy_names.NAMESPACE == {n for n in dir(cupy) if not n.startswith("_")}
    assert cupy_names.RANDOM_STATE == {n for n in dir(cupy.random.RandomState) if not n.startswith("_")}


# -- the small-read helpers ---------------------------------------------------------------------
def test_host_helpers_on_numpy_values():
    assert B.host_ints(np.array([2, 3], np.int32)) == (2, 3)
    assert B.host_ints(np.int64(4)) == (4,)
    assert B.host_ints([1, 2]) == (1, 2)
    assert B.host_scalar(np.array(True)) is True
    assert B.host_scalar(np.array([2.5])) == 2.5


def test_transfer_counter_as_dict_and_reset():
    c = B.TransferCounter()
    c.count_to_device(8)
    c.count_to_host(4)
    c.count_small_read(4)
    c.count_swap_out(100)
    d = c.as_dict()
    assert d["to_device_count"] == 1 and d["to_device_bytes"] == 8
    assert d["to_host_bytes"] == 4 and d["small_reads_count"] == 1 and d["swap_out_bytes"] == 100
    assert c.array_copies() == (1, 1)
    c.reset()
    assert set(c.as_dict().values()) == {0}


# -- the CuPy backend's code paths, run against a stand-in `cupy` built on the fake device ----
class _Event:
    done = True


class _Stream:
    def __init__(self, non_blocking=False):
        self.waits = 0

    def record(self):
        return _Event()

    def wait_event(self, event):
        assert isinstance(event, _Event)
        self.waits += 1

    def synchronize(self):
        pass


@pytest.fixture
def stub_cupy(monkeypatch):
    """`cupy` and `cupyx` stand-ins: the fake device's arrays plus CUDA streams and events."""
    import types
    from tinygraph.backend import fake_device
    cupy = fake_device._DeviceNumpy(np, "cupy")
    current = _Stream()
    cupy.cuda = types.SimpleNamespace(runtime=types.SimpleNamespace(getDeviceCount=lambda: 1),
                                      Stream=_Stream, get_current_stream=lambda: current)
    cupy.random = types.SimpleNamespace(RandomState=fake_device._DeviceRandomState)
    cupy.asnumpy = fake_device.asnumpy
    cupyx = types.ModuleType("cupyx")
    cupyx.empty_pinned = lambda shape, dtype: np.empty(shape, dtype)
    monkeypatch.setitem(sys.modules, "cupy", cupy)
    monkeypatch.setitem(sys.modules, "cupyx", cupyx)
    be = tf.set_backend("cupy")
    be.transfers.reset()
    yield be
    B.core._HOST_READERS.pop(fake_device.DeviceArray, None)
    B.register_host_reader(fake_device.DeviceArray, fake_device._read)


def test_cupy_backend_swap_round_trip_with_prefetch(stub_cupy):
    be = stub_cupy
    a = be.to_device(np.arange(12.0).reshape(3, 4))
    pinned = be.to_host_pinned(a)
    assert pinned.nbytes == 96 and len(be._in_flight) == 1
    be.prefetch_from_host(pinned)  # starts the copy back on the swap stream
    back = be.from_host_pinned(pinned)
    np.testing.assert_array_equal(be.to_host(back), np.arange(12.0).reshape(3, 4))
    t = be.transfers
    assert (t.swap_out_count, t.swap_out_bytes, t.swap_in_count, t.swap_in_bytes) == (1, 96, 1, 96)
    assert (t.to_device_count, t.to_host_count) == (1, 1)
    be.to_host_pinned(a)
    assert len(be._in_flight) == 1  # the finished copy's device buffer was let go


def test_cupy_backend_lstm_gradients_with_and_without_swap(stub_cupy):
    from tinygraph.backend.cupy_backend import CupyBackend
    results = {}
    for swap in (False, True):
        tf.reset_default_graph()
        x = tf.placeholder(tf.float32, [16, 6, 3])
        with tf.variable_scope("m", initializer=tf.random_uniform_initializer(-0.1, 0.1, seed=2)):
            out, _ = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(64), x, dtype=tf.float32,
                                       swap_memory=swap)
        grads = tf.gradients(tf.reduce_sum(out), tf.trainable_variables())
        with tf.Session() as sess:
            assert isinstance(sess.backend, CupyBackend)
            sess.run(tf.global_variables_initializer())
            md = tf.RunMetadata()
            stub_cupy.transfers.reset()
            g = sess.run(grads, {x: np.ones((16, 6, 3))}, run_metadata=md)
            results[swap] = (g, md.loop_stats, stub_cupy.transfers.as_dict())
    (g_off, s_off, _), (g_on, s_on, t_on) = results[False], results[True]
    for a, b in zip(g_off, g_on):
        np.testing.assert_array_equal(a, b)
    assert s_off["swapped_values"] == 0 and s_on["swapped_values"] > 0
    assert t_on["swap_out_count"] == t_on["swap_in_count"] == s_on["swapped_values"]
