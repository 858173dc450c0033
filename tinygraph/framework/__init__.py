"""Graph-building core: dtypes, shapes, errors, Graph/Operation/Tensor, the op registry."""
