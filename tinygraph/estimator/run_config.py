"""RunConfig (tf.estimator.RunConfig): where and how often an Estimator saves."""
__all__ = ["RunConfig"]

_DEFAULT_SAVE_CHECKPOINTS_SECS = 600


class RunConfig:
    """Settings of an Estimator's runs (tf.estimator.RunConfig).

    Args:
      model_dir: where checkpoints and summaries go.
      tf_random_seed: the graph-level random seed of every graph the Estimator builds.
      save_summary_steps: write summaries every this many steps (default 100).
      save_checkpoints_steps, save_checkpoints_secs: at most one; if neither is given,
        every 600 seconds.
      session_config: a ConfigProto for the sessions.
      keep_checkpoint_max: how many recent checkpoints to keep (default 5).
      keep_checkpoint_every_n_hours: additionally keep one per this many hours.
      log_step_count_steps: log loss and global_step/sec every this many steps.
      train_distribute, device_fn, protocol, eval_distribute, experimental_distribute,
      experimental_max_worker_delay_secs, session_creation_timeout_secs: accepted;
        distribution strategies are not supported (must be None).

    Raises:
      ValueError: both save_checkpoints_steps and save_checkpoints_secs are given, or a
        distribution strategy is given.
    """

    def __init__(self, model_dir=None, tf_random_seed=None, save_summary_steps=100,
                 save_checkpoints_steps=None, save_checkpoints_secs=None, session_config=None,
                 keep_checkpoint_max=5, keep_checkpoint_every_n_hours=10000,
                 log_step_count_steps=100, train_distribute=None, device_fn=None, protocol=None,
                 eval_distribute=None, experimental_distribute=None,
                 experimental_max_worker_delay_secs=None, session_creation_timeout_secs=7200):
        if save_checkpoints_steps is not None and save_checkpoints_secs is not None:
            raise ValueError("Can not specify both save_checkpoints_secs and save_checkpoints_steps. "
                             "Only one of them can be specified.")
        if save_checkpoints_steps is None and save_checkpoints_secs is None:
            save_checkpoints_secs = _DEFAULT_SAVE_CHECKPOINTS_SECS
        if train_distribute is not None or eval_distribute is not None or experimental_distribute is not None:
            raise ValueError("tinygraph's RunConfig does not support distribution strategies.")
        self._model_dir = model_dir
        self._tf_random_seed = tf_random_seed
        self._save_summary_steps = save_summary_steps
        self._save_checkpoints_steps = save_checkpoints_steps
        self._save_checkpoints_secs = save_checkpoints_secs
        self._session_config = session_config
        self._keep_checkpoint_max = keep_checkpoint_max
        self._keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
        self._log_step_count_steps = log_step_count_steps
        self._device_fn = device_fn
        self._protocol = protocol
        self._session_creation_timeout_secs = session_creation_timeout_secs

    _REPLACEABLE = ("model_dir", "tf_random_seed", "save_summary_steps", "save_checkpoints_steps",
                    "save_checkpoints_secs", "session_config", "keep_checkpoint_max",
                    "keep_checkpoint_every_n_hours", "log_step_count_steps", "device_fn",
                    "protocol", "session_creation_timeout_secs")

    def replace(self, **kwargs):
        """A copy with the given properties replaced.

        Raises:
          ValueError: a property that cannot be replaced.
        """
        for key in kwargs:
            if key not in self._REPLACEABLE:
                raise ValueError("{} is not supported by RunConfig.replace. Allowed properties: {}"
                                 .format(key, sorted(self._REPLACEABLE)))
        values = {k: getattr(self, k) for k in self._REPLACEABLE}
        if "save_checkpoints_steps" in kwargs and "save_checkpoints_secs" not in kwargs:
            values["save_checkpoints_secs"] = None
        if "save_checkpoints_secs" in kwargs and "save_checkpoints_steps" not in kwargs:
            values["save_checkpoints_steps"] = None
        values.update(kwargs)
        return RunConfig(**values)

    def __repr__(self):
        return "RunConfig(%s)" % ", ".join("%s=%r" % (k, getattr(self, k)) for k in self._REPLACEABLE)


def _prop(name):
    return property(lambda self: getattr(self, "_" + name))


for _name in RunConfig._REPLACEABLE:
    setattr(RunConfig, _name, _prop(_name))
for _name, _value in (("is_chief", True), ("master", ""), ("evaluation_master", ""),
                      ("num_ps_replicas", 0), ("num_worker_replicas", 1), ("task_type", "worker"),
                      ("task_id", 0), ("global_id_in_cluster", 0), ("cluster_spec", None),
                      ("train_distribute", None), ("eval_distribute", None)):
    setattr(RunConfig, _name, property(lambda self, v=_value: v))
