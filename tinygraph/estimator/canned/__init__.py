"""Canned estimators: DNN and linear classifiers and regressors on feature columns."""
from .dnn import DNNClassifier, DNNRegressor
from .linear import LinearClassifier, LinearRegressor

__all__ = ["DNNClassifier", "DNNRegressor", "LinearClassifier", "LinearRegressor"]
