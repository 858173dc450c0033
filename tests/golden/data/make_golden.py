"""Records what real TensorFlow (TF 2.15 compat.v1 graph mode = TF 1.x) yields for the
pipelines of pipelines.py: every element, and each dataset's output_types and
output_shapes. Run with the TF venv:

    /work/tf-venv/bin/python tests/golden/data/make_golden.py
"""
import json
import os
import sys

import numpy as np
import tensorflow.compat.v1 as tf

sys.path.insert(0, os.path.dirname(__file__))
from pipelines import pipelines  # noqa: E402

tf.disable_eager_execution()
here = os.path.dirname(__file__)
arrays, meta = {}, {}
for name, ds in pipelines(tf, np).items():
    types = tf.nest.flatten(tf.data.get_output_types(ds))
    shapes = tf.nest.flatten(tf.data.get_output_shapes(ds))
    n = tf.data.make_one_shot_iterator(ds).get_next()
    flat = tf.nest.flatten(n)
    count = 0
    with tf.Session() as sess:
        while True:
            try:
                values = sess.run(flat)
            except tf.errors.OutOfRangeError:
                break
            for c, v in enumerate(values):
                v = np.asarray(v)
                arrays["%s/%d/%d" % (name, count, c)] = v.astype("S") if v.dtype == object else v
            count += 1
    meta[name] = {"count": count, "types": [t.name for t in types],
                  "shapes": [None if s.ndims is None else s.as_list() for s in shapes]}
np.savez(os.path.join(here, "pipelines.npz"), **arrays)
with open(os.path.join(here, "pipelines.json"), "w") as f:
    json.dump(meta, f, indent=1, sort_keys=True)
print("wrote %d pipelines" % len(meta))
