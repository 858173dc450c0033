"""Computes tests/golden/conv_reference.npz with real TensorFlow 1.x graph mode.

Run with the TensorFlow virtualenv (tensorflow-cpu 2.15.1, tf.compat.v1):

    /work/tf-venv/bin/python tests/golden/make_conv_reference.py

Each case builds y = op(inputs) in float64, a seed r for the output's gradient, the
first-order gradients g = d<y, r>/d inputs, and the second-order gradients of
<g, s> (s random) with respect to the inputs and r. Each case's
op and arguments (the `__meta__` entry, JSON text); the tests rebuild each case
with tinygraph from it.
"""
import json
import os

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()
HERE = os.path.dirname(os.path.abspath(__file__))

CASES = [
    # conv2d: name, input shape, filter shape, strides, padding, dilations, data_format
    ("conv_same_s1", "conv2d", dict(x=[2, 5, 5, 3], w=[3, 3, 3, 4], strides=[1, 1, 1, 1], padding="SAME")),
    ("conv_valid_s1", "conv2d", dict(x=[2, 5, 5, 3], w=[3, 3, 3, 4], strides=[1, 1, 1, 1], padding="VALID")),
    ("conv_same_s2_odd", "conv2d", dict(x=[2, 7, 6, 2], w=[3, 2, 2, 3], strides=[1, 2, 2, 1], padding="SAME")),
    ("conv_valid_s3x2", "conv2d", dict(x=[1, 8, 7, 2], w=[2, 3, 2, 2], strides=[1, 3, 2, 1], padding="VALID")),
    ("conv_same_even_k4_s2", "conv2d", dict(x=[1, 6, 6, 1], w=[4, 4, 1, 2], strides=[1, 2, 2, 1], padding="SAME")),
    ("conv_1x1", "conv2d", dict(x=[2, 3, 4, 3], w=[1, 1, 3, 2], strides=[1, 1, 1, 1], padding="VALID")),
    ("conv_dilated_same", "conv2d", dict(x=[2, 7, 7, 2], w=[3, 3, 2, 3], strides=[1, 1, 1, 1], padding="SAME", dilations=[1, 2, 2, 1])),
    ("conv_dilated_valid_h", "conv2d", dict(x=[1, 8, 6, 2], w=[3, 2, 2, 2], strides=[1, 1, 1, 1], padding="VALID", dilations=[1, 2, 1, 1])),
    ("conv_dilated_strided", "conv2d", dict(x=[1, 10, 9, 2], w=[3, 3, 2, 2], strides=[1, 2, 2, 1], padding="VALID", dilations=[1, 2, 2, 1])),
    ("conv_nchw", "conv2d", dict(x=[2, 3, 6, 5], w=[3, 3, 3, 2], strides=[1, 1, 2, 2], padding="SAME", data_format="NCHW")),
    # conv2d_transpose: value, filter [kh, kw, out_c, in_c], output_shape
    ("deconv_same_s2", "conv2d_transpose", dict(x=[2, 4, 4, 3], w=[3, 3, 2, 3], output_shape=[2, 8, 8, 2], strides=[1, 2, 2, 1], padding="SAME")),
    ("deconv_same_s2_odd", "conv2d_transpose", dict(x=[2, 4, 4, 3], w=[3, 3, 2, 3], output_shape=[2, 7, 7, 2], strides=[1, 2, 2, 1], padding="SAME")),
    ("deconv_valid_s2", "conv2d_transpose", dict(x=[1, 3, 3, 2], w=[3, 3, 1, 2], output_shape=[1, 7, 7, 1], strides=[1, 2, 2, 1], padding="VALID")),
    ("deconv_valid_s1", "conv2d_transpose", dict(x=[1, 3, 4, 2], w=[2, 3, 3, 2], output_shape=[1, 4, 6, 3], strides=[1, 1, 1, 1], padding="VALID")),
    # pools: input shape, ksize, strides, padding
    ("maxpool_k2s2_valid", "max_pool", dict(x=[2, 5, 5, 3], ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID")),
    ("maxpool_k2s2_same", "max_pool", dict(x=[2, 5, 5, 3], ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")),
    ("maxpool_k3s2_same", "max_pool", dict(x=[1, 6, 7, 2], ksize=[1, 3, 3, 1], strides=[1, 2, 2, 1], padding="SAME")),
    ("maxpool_k3s1_same", "max_pool", dict(x=[1, 4, 5, 2], ksize=[1, 3, 3, 1], strides=[1, 1, 1, 1], padding="SAME")),
    ("maxpool_k2x3_s1x2_valid", "max_pool", dict(x=[2, 5, 7, 1], ksize=[1, 2, 3, 1], strides=[1, 1, 2, 1], padding="VALID")),
    ("avgpool_k2s2_valid", "avg_pool", dict(x=[2, 5, 5, 3], ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID")),
    ("avgpool_k2s2_same", "avg_pool", dict(x=[2, 5, 5, 3], ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")),
    ("avgpool_k3s2_same", "avg_pool", dict(x=[1, 6, 7, 2], ksize=[1, 3, 3, 1], strides=[1, 2, 2, 1], padding="SAME")),
    ("avgpool_k3s1_same", "avg_pool", dict(x=[1, 4, 5, 2], ksize=[1, 3, 3, 1], strides=[1, 1, 1, 1], padding="SAME")),
    ("avgpool_k2x3_s1x2_valid", "avg_pool", dict(x=[2, 5, 7, 1], ksize=[1, 2, 3, 1], strides=[1, 1, 2, 1], padding="VALID")),
    # depthwise: input, filter [kh, kw, c, multiplier]
    ("depthwise_same", "depthwise_conv2d", dict(x=[2, 6, 6, 3], w=[3, 3, 3, 2], strides=[1, 1, 1, 1], padding="SAME")),
    ("depthwise_valid_s2", "depthwise_conv2d", dict(x=[1, 7, 6, 2], w=[3, 2, 2, 3], strides=[1, 2, 2, 1], padding="VALID")),
    ("depthwise_rate2", "depthwise_conv2d", dict(x=[1, 7, 7, 2], w=[3, 3, 2, 1], strides=[1, 1, 1, 1], padding="SAME", rate=[2, 2])),
    # linalg: input shape (square matrices, well conditioned)
    ("inverse", "matrix_inverse", dict(x=[3, 3])),
    ("inverse_batched", "matrix_inverse", dict(x=[2, 4, 4])),
    ("inverse_adjoint", "matrix_inverse", dict(x=[2, 3, 3], adjoint=True)),
    ("determinant", "matrix_determinant", dict(x=[3, 3])),
    ("determinant_batched", "matrix_determinant", dict(x=[2, 3, 3])),
]


def build(kind, spec, x, w):
    args = {k: v for k, v in spec.items() if k not in ("x", "w")}
    if kind == "conv2d":
        if args.get("data_format") == "NCHW":  # TF's CPU backprop kernels are NHWC only
            st = args["strides"]
            y = tf.nn.conv2d(tf.transpose(x, [0, 2, 3, 1]), w, [1, st[2], st[3], 1], args["padding"])
            return tf.transpose(y, [0, 3, 1, 2])
        dil = args.pop("dilations", [1, 1, 1, 1])
        if max(dil) == 1:
            return tf.nn.conv2d(x, w, **args)
        # TF's CPU Conv2D kernels refuse dilations; tf.nn.convolution computes the same
        # values through space_to_batch. With VALID padding a strided result is the
        # stride-1 result subsampled.
        s = args["strides"]
        y = tf.nn.convolution(x, w, args["padding"], dilation_rate=dil[1:3])
        assert max(s) == 1 or args["padding"] == "VALID"
        return y[:, ::s[1], ::s[2], :]
    if kind == "conv2d_transpose":
        return tf.nn.conv2d_transpose(x, w, **args)
    if kind == "max_pool":
        return tf.nn.max_pool(x, **args)
    if kind == "avg_pool":
        return tf.nn.avg_pool(x, **args)
    if kind == "depthwise_conv2d":
        return tf.nn.depthwise_conv2d(x, w, **args)
    if kind == "matrix_inverse":
        return tf.matrix_inverse(x, **args)
    if kind == "matrix_determinant":
        return tf.matrix_determinant(x)
    raise ValueError(kind)


def inputs(rng, kind, spec):
    x = rng.uniform(-1, 1, spec["x"])
    if kind.startswith("matrix"):
        n = spec["x"][-1]
        x = x + 2 * np.eye(n)  # well conditioned
    w = rng.uniform(-1, 1, spec["w"]) if "w" in spec else None
    return x, w


def main():
    data, meta = {}, {}
    for i, (name, kind, spec) in enumerate(CASES):
        rng = np.random.RandomState(1000 + i)
        x0, w0 = inputs(rng, kind, spec)
        g = tf.Graph()
        with g.as_default():
            x = tf.placeholder(tf.float64, x0.shape, name="x")
            w = tf.placeholder(tf.float64, w0.shape, name="w") if w0 is not None else None
            y = build(kind, spec, x, w)
            ys = y.shape.as_list()
            r = tf.placeholder(tf.float64, ys, name="r")
            xs = [x] if w is None else [x, w]
            grads = tf.gradients(tf.reduce_sum(y * r), xs)
            s_vals = [rng.uniform(-1, 1, t.shape.as_list()) for t in grads]
            inner = tf.add_n([tf.reduce_sum(gr * sv) for gr, sv in zip(grads, s_vals)])
            second = tf.gradients(inner, xs + [r])
            r0 = rng.uniform(-1, 1, ys)
            feed = {x: x0, r: r0}
            if w is not None:
                feed[w] = w0
            with tf.Session(graph=g) as sess:
                fetch = [y] + grads + [t for t in second if t is not None]
                vals = sess.run(fetch, feed)
        p = "%s/" % name
        data[p + "x"], data[p + "r"], data[p + "y"] = x0, r0, vals[0]
        if w0 is not None:
            data[p + "w"] = w0
        names = ["x", "w"][:len(grads)]
        for n_, v in zip(names, vals[1:1 + len(grads)]):
            data[p + "grad_" + n_] = v
        for n_, sv in zip(names, s_vals):
            data[p + "s_" + n_] = sv
        rest = iter(vals[1 + len(grads):])
        second_names = []
        for n_, t in zip(names + ["r"], second):
            if t is not None:
                data[p + "grad2_" + n_] = next(rest)
                second_names.append(n_)
        meta[name] = {"kind": kind, "spec": spec, "second_order": second_names,
                      "y_shape": ys}
    # the case table travels inside the npz as text (no pickle; no .json here, which
    # tests/test_golden.py would take for one of its own cases)
    data["__meta__"] = np.array(json.dumps({"tensorflow": tf.__version__, "cases": meta},
                                           sort_keys=True))
    np.savez_compressed(os.path.join(HERE, "conv_reference.npz"), **data)
    print("wrote %d cases, %d arrays" % (len(meta), len(data)))


if __name__ == "__main__":
    main()
