"""Shared by the engine modules: the reference's initial weights, so that every engine
starts from the same point (a sanity check: first-step losses agree across engines)."""
import os
import sys

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def init_params(workload):
    """Float32 NumPy arrays in the reference's layout (TF1 layout):
    W1*/W4: K [1+100, 100], b [100], Wo [100, 1], bo [1]   (h = relu([x, h] @ K + b))
    W2:     K [4+32, 32],   b [32],  W [32, 1],   c [1]    (tanh)
    W3:     K [64+256, 1024], b [1024] (gates i, j, f, o), W [256, 10], c [10]"""
    sys.path.insert(0, HERE)
    import reference_numpy as ref
    model = {"W1d": ref.ReluRNNProjection, "W1s": ref.ReluRNNProjection, "W4": ref.ReluRNNProjection,
             "W2": ref.TanhRNNHead, "W3": ref.LSTMClassifier}[workload]()
    return [p.copy() for p in model.params]


N_INPUTS = {"W1d": 1, "W1s": 1, "W4": 1, "W2": 4, "W3": 64}
