"""Shared fixtures: every test starts from a fresh default graph.

Backend switch: the suite runs on the backend named by `--backend NAME` or the
environment variable TINYGRAPH_BACKEND (default numpy); e.g.
`TINYGRAPH_BACKEND=fakedevice python -m pytest -q` runs it all on the device-like
test backend. Tests marked `gpu` need CuPy and a CUDA device and are skipped without.
"""
import os

import pytest

import tinygraph as tf
from tinygraph import backend as _backend

try:
    from hypothesis import HealthCheck, settings
    # CI draws the same examples every run (a landing must not depend on luck); the
    # dev profile draws new ones each time to keep hunting.
    settings.register_profile("ci", max_examples=25, deadline=None, derandomize=True,
                              suppress_health_check=[HealthCheck.too_slow])
    settings.register_profile("dev", max_examples=60, deadline=None)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
except ImportError:  # hypothesis is a test extra
    pass


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


def pytest_addoption(parser):
    parser.addoption("--backend", default=None,
                     help="tinygraph backend for the whole run (numpy, fakedevice, cupy); "
                          "default: $TINYGRAPH_BACKEND or numpy")


def pytest_configure(config):
    config.addinivalue_line("markers", "gpu: needs CuPy and a CUDA device (skipped without)")
    name = config.getoption("--backend") or os.environ.get("TINYGRAPH_BACKEND") or "numpy"
    os.environ["TINYGRAPH_BACKEND"] = name  # child processes (examples, lecture) follow
    tf.set_backend(name)


def _gpu_skip_reason():
    try:
        from tinygraph.backend.cupy_backend import import_cupy
        import_cupy()
    except RuntimeError as e:
        return str(e)
    return None


def pytest_collection_modifyitems(config, items):
    gpu_items = [it for it in items if "gpu" in it.keywords]
    if not gpu_items:
        return
    reason = _gpu_skip_reason()
    if reason:
        for it in gpu_items:
            it.add_marker(pytest.mark.skip(reason="needs a GPU: " + reason))


@pytest.fixture(autouse=True)
def _keep_backend():
    """A test that switches backends gets the suite's backend back afterwards."""
    active = _backend.get_backend()
    yield
    if _backend._active is not active:
        _backend._active = active


@pytest.fixture
def device_backend():
    """The device-like test backend, active for one test, with its counters reset."""
    from tinygraph.backend.fake_device import FakeDeviceBackend
    prev = _backend.get_backend()
    be = _backend.set_backend("fakedevice")
    assert isinstance(be, FakeDeviceBackend)
    be.transfers.reset()
    yield be
    _backend._active = prev
