"""`tf.initializers`: the initializer classes under their short TF 1.x names.

    tf.initializers.glorot_uniform()  ==  tf.glorot_uniform_initializer()
    tf.initializers.global_variables()  ==  tf.global_variables_initializer()
"""
from .ops.init_ops import (Constant as constant, GlorotNormal as glorot_normal,  # noqa: F401
                           GlorotUniform as glorot_uniform, Identity as identity,
                           Initializer, Ones as ones, Orthogonal as orthogonal,
                           RandomNormal as random_normal, RandomUniform as random_uniform,
                           TruncatedNormal as truncated_normal,
                           UniformUnitScaling as uniform_unit_scaling,
                           VarianceScaling as variance_scaling, Zeros as zeros, he_normal,
                           he_uniform, lecun_normal, lecun_uniform)
from .ops.variables import (global_variables_initializer as global_variables,  # noqa: F401
                            local_variables_initializer as local_variables,
                            variables_initializer as variables)

__all__ = ["Initializer", "constant", "glorot_normal", "glorot_uniform", "identity", "ones",
           "orthogonal", "random_normal", "random_uniform", "truncated_normal",
           "uniform_unit_scaling", "variance_scaling", "zeros", "he_normal", "he_uniform",
           "lecun_normal", "lecun_uniform", "global_variables", "local_variables", "variables"]
