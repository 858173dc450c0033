"""Other engines for benchmarks/run.py: one module per engine, each with

    step(workload) -> callable step(X, y)   (W4: forward only; returns the output)
    info()         -> str                   (version and thread settings, for the table footer)

Every engine starts from the same weights as the NumPy reference (see _common.init_params),
does forward + backward + Adam(0.001) per call (W4: forward only), is fed host NumPy
arrays and synchronizes before returning. Default threading of each engine is kept.
"""
import importlib

MODULES = {"torch": "torch_engine", "jax": "jax_engine", "tensorflow": "tf_engine"}


def load(engine):
    return importlib.import_module(__name__ + "." + MODULES[engine])
