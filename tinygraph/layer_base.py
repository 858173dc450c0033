"""What every tf.layers layer shares: its lists of variables.

A layer names its variables in TF's order (`_layer_variables`) and which of them train
(`_trainable_candidates`, all by default); `variables`, `trainable_variables` and
`non_trainable_variables` (and their `*_weights` aliases) follow from those.
"""

__all__ = ["LayerVariables"]


class LayerVariables:
    """Mixin giving a layer TF's variable-list properties."""

    def _layer_variables(self):
        raise NotImplementedError

    def _trainable_candidates(self):
        return self._layer_variables()

    @property
    def variables(self):
        """The layer's variables, in the order TF lists them."""
        return self._layer_variables()

    weights = variables

    @property
    def trainable_variables(self):
        return self._trainable_candidates() if self.trainable else []

    trainable_weights = trainable_variables

    @property
    def non_trainable_variables(self):
        trainable = self.trainable_variables
        return [v for v in self.variables if not any(v is t for t in trainable)]

    non_trainable_weights = non_trainable_variables
