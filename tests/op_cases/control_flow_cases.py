"""Gradient-check cases for control flow (While, If), TensorArrays and pass-through ops.

Loops and conds are checked at first order: their gradient ops (WhileGrad, IfGrad)
have no gradient of their own.
"""
import tinygraph as tf
from op_cases import OpCase


def _loop(x):
    _, h = tf.while_loop(lambda i, h: i < 3, lambda i, h: (i + 1, tf.tanh(h) * x), [tf.constant(0), x])
    return h


def _loop_unused_output(x):
    # the final `b` gets no gradient from outside: its seed is a ZerosLikeValue
    _, a, _ = tf.while_loop(lambda i, a, b: i < 2, lambda i, a, b: (i + 1, a * b, b + 0.5),
                            [tf.constant(0), x, x])
    return a


def _ta_in_loop(x):
    inputs = tf.TensorArray(tf.float64, size=3).unstack(x)

    def body(t, h, out):
        h = tf.sin(h + inputs.read(t))
        return t + 1, h, out.write(t, h * h)
    _, _, out = tf.while_loop(lambda t, h, out: t < 3, body,
                              [tf.constant(0), tf.zeros([2], tf.float64), tf.TensorArray(tf.float64, size=3)])
    return out.stack()


def _ta_write_stack(x):
    ta = tf.TensorArray(tf.float64, size=2).write(0, tf.sin(x)).write(1, x * x)
    return ta.stack()


def _ta_read(x):
    ta = tf.TensorArray(tf.float64, size=3).unstack(x)
    return ta.read(2) * ta.read(0)


def _ta_gather(x):
    return tf.TensorArray(tf.float64, size=3).unstack(x).gather([2, 0, 2])


def _ta_scatter(x):
    return tf.TensorArray(tf.float64, size=3).scatter([2, 0, 1], tf.sin(x)).stack()


def _ta_concat(x):
    return tf.TensorArray(tf.float64, size=3).unstack(x).concat() ** 2


def _ta_split(x):
    return tf.TensorArray(tf.float64, size=2).split(x, [1, 2]).concat() * x


def _ta_same_index_twice(x):
    # the two reads' gradients must add up at index 1 (not the last one win)
    ta = tf.TensorArray(tf.float64, size=3).unstack(x)
    return ta.read(1) * tf.sin(ta.read(1)) + ta.read(0)


def _ta_same_index_in_loop(x):
    ta = tf.TensorArray(tf.float64, size=3).unstack(x)

    def body(t, acc):
        return t + 1, acc + tf.sin(ta.read(1)) * ta.read(t)
    return tf.while_loop(lambda t, acc: t < 3, body, [tf.constant(0), tf.zeros([2], tf.float64)])[1]


CASES = [
    OpCase("While", _loop, [(2,)], order=1),
    OpCase("While", _loop_unused_output, [(3,)], order=1, name="While_unused_output"),
    OpCase("If", lambda x: tf.cond(tf.constant(True), lambda: tf.sin(x) * x, lambda: x), [(2, 2)],
           order=1, name="If_true"),
    OpCase("If", lambda x: tf.cond(tf.reduce_sum(x) > 100.0, lambda: x, lambda: tf.exp(x)), [(3,)],
           order=1, name="If_false"),
    OpCase("TensorArrayReadV3", _ta_in_loop, [(3, 2)], order=1, name="TensorArray_in_loop"),
    OpCase("TensorArrayWriteV3", _ta_write_stack, [(2,)], order=1),
    OpCase("TensorArrayStackV3", _ta_write_stack, [(3,)], order=1),
    OpCase("TensorArrayUnstack", _ta_read, [(3, 2)], order=1),
    OpCase("TensorArrayGatherV3", _ta_gather, [(3, 2)], order=1),
    OpCase("TensorArrayScatterV3", _ta_scatter, [(3, 2)], order=1),
    OpCase("TensorArrayConcatV3", _ta_concat, [(3, 2)], order=1),
    OpCase("TensorArraySplitV3", _ta_split, [(3,)], order=1),
    OpCase("Identity", lambda x: tf.identity(x) * x, [(2, 3)]),
    OpCase("CheckNumerics", lambda x: tf.check_numerics(tf.sin(x), "checked"), [(3,)]),
    OpCase("Print", lambda x: tf.Print(tf.sin(x), [x], first_n=0) * x, [(3,)]),  # first_n=0: silent
    OpCase("PlaceholderWithDefault", lambda x: tf.placeholder_with_default(x, [None, 2]) ** 2, [(3, 2)]),
    OpCase("TensorArrayReadV3", _ta_read, [(3, 2)], order=1, name="TensorArray_two_reads"),
    OpCase("TensorArrayReadV3", _ta_same_index_twice, [(3, 2)], order=1, name="TensorArray_same_index_twice"),
    OpCase("TensorArrayReadV3", _ta_same_index_in_loop, [(3, 2)], order=1,
           name="TensorArray_same_index_in_loop"),
]
