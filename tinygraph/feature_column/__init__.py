"""`tf.feature_column`: numeric, bucketized, categorical, indicator and embedding columns."""
from .feature_column import (bucketized_column, categorical_column_with_identity,
                             categorical_column_with_vocabulary_list, embedding_column,
                             indicator_column, input_layer, linear_model, numeric_column)

__all__ = ["numeric_column", "bucketized_column", "categorical_column_with_identity",
           "categorical_column_with_vocabulary_list", "indicator_column", "embedding_column",
           "input_layer", "linear_model"]
