"""Gradient-check cases for the array ops (tinygraph/ops/array_ops.py and the modules it gathers).

Array ops are linear in their data input, so each case squares the op's output:
the second-order check then runs through the gradient's own gradient (StridedSliceGrad,
MirrorPadGrad, ConcatOffsetSplit, ...). Gradient ops are exercised by differentiating
with respect to `grad_ys`.
"""
import tinygraph as tf

from . import OpCase


def _sq(y):
    return y * y


def _grad_of(forward, x_shape):
    """build(g): the gradient of forward(a) w.r.t. a constant a, for incoming gradient g."""
    def build(g):
        a = tf.zeros(x_shape, tf.float64)
        return _sq(tf.gradients(forward(a), a, grad_ys=g)[0])
    return build


def _concat_grads(g):
    a, b = tf.zeros([2, 3], tf.float64), tf.zeros([2, 2], tf.float64)
    ga, gb = tf.gradients(tf.concat([a, b], 1), [a, b], grad_ys=g)
    return _sq(ga[:, :2] + gb)


_MASK = [[True, False, True], [False, False, True]]

CASES = [
    OpCase("Fill", lambda v: _sq(tf.fill([2, 3], v)), [()]),
    OpCase("BroadcastTo", lambda x: _sq(tf.broadcast_to(x, [2, 3, 3])), [(3, 1)]),
    OpCase("Reshape", lambda x: _sq(tf.reshape(x, [3, -1])), [(2, 3)]),
    OpCase("Transpose", lambda x: _sq(tf.transpose(x, [2, 0, 1])), [(2, 3, 4)]),
    OpCase("Transpose", lambda x: _sq(tf.transpose(x)), [(2, 3)], name="Transpose_default_perm"),
    OpCase("ConcatV2", lambda x, y: _sq(tf.concat([x, y], 1)), [(2, 3), (2, 2)]),
    OpCase("ConcatOffsetSplit", _concat_grads, [(2, 5)]),
    OpCase("Pack", lambda x, y: _sq(tf.stack([x, y], axis=1)), [(2, 3), (2, 3)]),
    OpCase("Unpack", lambda x: (lambda u: u[0] * u[2])(tf.unstack(x, axis=1)), [(2, 3)]),
    OpCase("Split", lambda x: (lambda a, b: a * b)(*tf.split(x, 2, axis=1)), [(2, 4)]),
    OpCase("SplitV", lambda x: _sq(tf.concat(tf.split(x, [1, -1, 2], axis=1)[::-1], 1)), [(2, 6)]),
    OpCase("Squeeze", lambda x: _sq(tf.squeeze(x, [0, 2])), [(1, 3, 1)]),
    OpCase("ExpandDims", lambda x: _sq(tf.expand_dims(x, -1)), [(2, 3)]),
    OpCase("Tile", lambda x: _sq(tf.tile(x, [2, 3])), [(2, 3)]),
    OpCase("Pad", lambda x: _sq(tf.pad(x, [[1, 0], [2, 1]])), [(2, 3)]),
    OpCase("PadV2", lambda x: _sq(tf.pad(x, [[1, 0], [2, 1]], constant_values=1.5)), [(2, 3)]),
    OpCase("MirrorPad", lambda x: _sq(tf.pad(x, [[1, 2], [2, 1]], "REFLECT")), [(3, 4)],
           name="MirrorPad_reflect"),
    OpCase("MirrorPad", lambda x: _sq(tf.pad(x, [[2, 1], [0, 3]], "SYMMETRIC")), [(2, 3)],
           name="MirrorPad_symmetric"),
    OpCase("MirrorPadGrad", _grad_of(lambda a: tf.pad(a, [[1, 2], [2, 1]], "REFLECT"), [3, 4]), [(6, 7)]),
    OpCase("GatherV2", lambda x: _sq(tf.gather(x, [2, 0, 2])), [(3, 2)], name="GatherV2_axis0"),
    OpCase("GatherV2", lambda x: _sq(tf.gather(x, [[1, 1], [0, 2]])), [(3, 2)], name="GatherV2_axis0_2d"),
    OpCase("GatherV2", lambda x: _sq(tf.gather(x, [[1, 1], [0, 2]], axis=1)), [(2, 3, 2)],
           name="GatherV2_axis1"),
    OpCase("GatherNd", lambda x: _sq(tf.gather_nd(x, [[0, 1], [1, 0], [0, 1]])), [(2, 2, 3)]),
    OpCase("ScatterNd", lambda u: _sq(tf.scatter_nd([[1], [3], [1]], u, [4, 2])), [(3, 2)]),
    OpCase("Slice", lambda x: _sq(tf.slice(x, [1, 0], [-1, 2])), [(3, 3)]),
    OpCase("StridedSlice", lambda x: _sq(x[1:, ::-2, None, 0]), [(3, 4, 2)]),
    OpCase("StridedSlice", lambda x: _sq(x[..., -1]), [(2, 3)], name="StridedSlice_ellipsis"),
    OpCase("StridedSliceGrad", _grad_of(lambda a: a[1:, ::-2], [3, 4]), [(2, 2)]),
    OpCase("ReverseV2", lambda x: _sq(tf.reverse(x, [0, 1])), [(2, 3)]),
    OpCase("ReverseSequence",
           lambda x: _sq(tf.reverse_sequence(x, [1, 3], seq_axis=1, batch_axis=0)), [(2, 4, 2)]),
    OpCase("Select", lambda x, y: _sq(tf.where(_MASK, x, y)), [(2, 3), (2, 3)]),
    OpCase("Select", lambda x, y: _sq(tf.where([True, False], x, y)), [(2, 3), (2, 3)],
           name="Select_vector_cond"),
]
