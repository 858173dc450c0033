"""User-facing op builders, one module per family; each module holds its ops' kernels,
shape inference and gradients side by side."""
