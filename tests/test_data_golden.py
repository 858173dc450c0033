"""tf.data pipelines against what real TF yields (tests/golden/data/pipelines.*, made by
tests/golden/data/make_golden.py from the shared builders in pipelines.py)."""
import json
import os
import sys

import numpy as np
import pytest

import tinygraph as tf

HERE = os.path.join(os.path.dirname(__file__), "golden", "data")
sys.path.insert(0, HERE)
from pipelines import pipelines  # noqa: E402

with open(os.path.join(HERE, "pipelines.json")) as _f:
    META = json.load(_f)
GOLDEN = np.load(os.path.join(HERE, "pipelines.npz"))

@pytest.mark.parametrize("name", sorted(META))
def test_pipeline_matches_tf(name):
    ds = pipelines(tf, np)[name]
    meta = META[name]
    flat_types = tf.data.structure.flatten(ds.output_types)
    flat_shapes = tf.data.structure.flatten(ds.output_shapes)
    assert [t.name for t in flat_types] == meta["types"]
    assert [None if s.ndims is None else s.as_list() for s in flat_shapes] == meta["shapes"]
    nxt = tf.data.structure.flatten(ds.make_one_shot_iterator().get_next())
    with tf.Session() as sess:
        for i in range(meta["count"]):
            values = sess.run(nxt)
            for c, v in enumerate(values):
                want = GOLDEN["%s/%d/%d" % (name, i, c)]
                v = np.asarray(v)
                if v.dtype == object:
                    v = v.astype("S")
                assert v.dtype == want.dtype, (name, i, c)
                np.testing.assert_array_equal(v, want, err_msg="%s element %d component %d" % (name, i, c))
        with pytest.raises(tf.errors.OutOfRangeError, match="End of sequence"):
            sess.run(nxt)
