"""TextLineDataset, CsvDataset, make_csv_dataset and tf.decode_csv (values as TF gives them)."""
import collections
import gzip
import zlib

import numpy as np
import pytest

import tinygraph as tf

CSV = "x1,x2,label\n1.5,2,0\n2.5,3,1\n3.5,4,0\r\n"


def _drain(sess, t):
    out = []
    while True:
        try:
            out.append(sess.run(t))
        except tf.errors.OutOfRangeError:
            return out


@pytest.fixture
def csv_file(tmp_path):
    p = tmp_path / "a.csv"
    p.write_bytes(CSV.encode())
    return str(p)


def test_text_lines_strip_endings_and_skip_header(csv_file, tmp_path):
    ds = tf.data.TextLineDataset(csv_file)
    assert ds.output_types == tf.string and ds.output_shapes.as_list() == []
    n = ds.make_one_shot_iterator().get_next()
    m = tf.data.TextLineDataset([csv_file, csv_file]).skip(1).batch(3).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        assert _drain(sess, n) == [b"x1,x2,label", b"1.5,2,0", b"2.5,3,1", b"3.5,4,0"]
        got = [v.tolist() for v in _drain(sess, m)]
    assert got == [[b"1.5,2,0", b"2.5,3,1", b"3.5,4,0"], [b"x1,x2,label", b"1.5,2,0", b"2.5,3,1"],
                   [b"3.5,4,0"]]


def test_text_lines_gzip_and_header_filter(tmp_path):
    p = tmp_path / "b.csv.gz"
    with gzip.open(p, "wb") as f:
        f.write(b"h\n1\n2\n")
    ds = tf.data.TextLineDataset(str(p), compression_type="GZIP").filter(
        lambda line: tf.logical_not(tf.equal(line, b"h")))
    n = ds.make_one_shot_iterator().get_next()
    z = tmp_path / "c.zz"
    z.write_bytes(zlib.compress(b"a\r\nb\n"))
    m = tf.data.TextLineDataset(str(z), compression_type="ZLIB").make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        assert _drain(sess, n) == [b"1", b"2"]
        assert _drain(sess, m) == [b"a", b"b"]


def test_missing_file_is_not_found_at_get_next(tmp_path):
    missing = str(tmp_path / "nope.csv")
    n = tf.data.TextLineDataset(missing).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.NotFoundError, match="nope.csv; No such file or directory"):
            sess.run(n)


def test_lines_parsed_with_decode_csv_in_map(csv_file):
    def parse(line):
        x1, x2, label = tf.decode_csv(line, record_defaults=[[0.0], [0], [0]])
        return tf.stack([x1, tf.cast(x2, tf.float32)]), label
    ds = tf.data.TextLineDataset(csv_file).skip(1).map(parse).batch(2)
    assert ds.output_types == (tf.float32, tf.int32)
    xb, yb = ds.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        got = _drain(sess, [xb, yb])
    np.testing.assert_array_equal(got[0][0], [[1.5, 2.0], [2.5, 3.0]])
    assert got[0][1].tolist() == [0, 1] and got[1][1].tolist() == [0]


def test_decode_csv_values_like_tf():
    cols = tf.decode_csv(["1,2.5,a", "3,,b"], [[0], [1.0], ["x"]])
    quoted = tf.decode_csv(['1,"a,b",3'], [[0], [""], [0]])
    na = tf.decode_csv(["1,NA,3"], [[0], [7], [0]], na_value="NA")
    sel = tf.decode_csv(["1,2,3"], [[0], [0]], select_cols=[0, 2])
    semi = tf.decode_csv("1;2", [[0], [0]], field_delim=";")
    assert [c.dtype for c in cols] == [tf.int32, tf.float32, tf.string]
    with tf.Session() as sess:
        a, b, c = sess.run(cols)
        assert a.tolist() == [1, 3] and b.tolist() == [2.5, 1.0] and c.tolist() == [b"a", b"b"]
        assert [v.tolist() for v in sess.run(quoted)] == [[1], [b"a,b"], [3]]
        assert [v.tolist() for v in sess.run(na)] == [[1], [7], [3]]
        assert [v.tolist() for v in sess.run(sel)] == [[1], [3]]
        assert [v.tolist() for v in sess.run(semi)] == [1, 2]


@pytest.mark.parametrize("records,defaults,message", [
    (["1,2.5"], [[0], [1.0], ["x"]], "Expect 3 fields but have 2 in record 0"),
    (["1,2,3,4"], [[0], [0]], "Expect 2 fields but have 4 in record 0"),
    (["1,abc,z"], [[0], [1.0], ["x"]], "Field 1 in record 0 is not a valid float: abc"),
    (["1,2,z", "x,1.0,z"], [[0], [1.0], ["x"]], "Field 0 in record 1 is not a valid int32: x"),
    ([",1.0"], "required", "Field 0 is required but missing in record 0!"),
])
def test_decode_csv_malformed_records(records, defaults, message):
    if defaults == "required":
        defaults = [tf.constant([], tf.int32), [1.0]]
    out = tf.decode_csv(records, defaults)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=message) as e:
            sess.run(out)
    assert e.value.op is out[0].op


def test_csv_dataset_header_and_types(csv_file):
    ds = tf.data.experimental.CsvDataset(csv_file, [tf.float32, tf.int32, [0]], header=True)
    assert ds.output_types == (tf.float32, tf.int32, tf.int32)
    assert [s.as_list() for s in ds.output_shapes] == [[], [], []]
    n = ds.make_one_shot_iterator().get_next()
    b = ds.batch(2).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        assert [tuple(v.tolist() for v in e) for e in _drain(sess, n)] == \
            [(1.5, 2, 0), (2.5, 3, 1), (3.5, 4, 0)]
        first = sess.run(b)
        assert first[0].tolist() == [1.5, 2.5] and first[2].tolist() == [0, 1]


def test_csv_dataset_bad_record_names_field(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("1,2\n3,x\n")
    n = tf.data.experimental.CsvDataset(str(p), [tf.int32, tf.int32]).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        assert [v.tolist() for v in sess.run(n)] == [1, 2]
        with pytest.raises(tf.errors.InvalidArgumentError, match="Field 1 in record 1 is not a valid int32: x"):
            sess.run(n)


def test_make_csv_dataset_like_tf(csv_file):
    ds = tf.data.experimental.make_csv_dataset(csv_file, batch_size=2, label_name="label",
                                               shuffle=False, num_epochs=1)
    types, shapes = ds.output_types, ds.output_shapes
    assert isinstance(types[0], collections.OrderedDict) and list(types[0]) == ["x1", "x2"]
    assert types == (collections.OrderedDict([("x1", tf.float32), ("x2", tf.int32)]), tf.int32)
    assert shapes[0]["x1"].as_list() == [None] and shapes[1].as_list() == [None]
    feats, label = ds.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        f1, l1 = sess.run([feats, label])
        assert list(f1) == ["x1", "x2"]
        assert f1["x1"].tolist() == [1.5, 2.5] and f1["x2"].tolist() == [2, 3] and l1.tolist() == [0, 1]
        f2, l2 = sess.run([feats, label])
        assert f2["x1"].tolist() == [3.5] and l2.tolist() == [0]
        with pytest.raises(tf.errors.OutOfRangeError):
            sess.run(label)
    with pytest.raises(ValueError, match="label_name"):
        tf.data.experimental.make_csv_dataset(csv_file, batch_size=2, label_name="y")


def test_make_csv_dataset_shuffles_and_repeats(csv_file):
    ds = tf.data.experimental.make_csv_dataset(csv_file, batch_size=3, shuffle_seed=1, num_epochs=2)
    assert list(ds.output_types) == ["x1", "x2", "label"]
    feats = ds.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        got = [sess.run(feats)["x1"].tolist() for _ in range(2)]
    assert all(sorted(g) == [1.5, 2.5, 3.5] for g in got)


def test_make_csv_dataset_infers_types_and_fills_missing_like_tf(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("name,big,f,n\nab,3000000000,1,2\ncd,1,2.5,\n")
    ds = tf.data.experimental.make_csv_dataset(str(p), 2, shuffle=False, num_epochs=1)
    assert ds.output_types == collections.OrderedDict(
        [("name", tf.string), ("big", tf.int64), ("f", tf.float32), ("n", tf.int32)])
    sel = tf.data.experimental.make_csv_dataset(str(p), 2, shuffle=False, num_epochs=1,
                                                select_columns=["f", "name"], label_name="f")
    assert sel.output_types == (collections.OrderedDict([("name", tf.string)]), tf.float32)
    with tf.Session() as sess:
        got = sess.run(ds.make_one_shot_iterator().get_next())
        feats, label = sess.run(sel.make_one_shot_iterator().get_next())
    assert got["name"].tolist() == [b"ab", b"cd"] and got["big"].tolist() == [3000000000, 1]
    assert got["f"].tolist() == [1.0, 2.5] and got["n"].tolist() == [2, 0]  # missing field: 0
    assert feats["name"].tolist() == [b"ab", b"cd"] and label.tolist() == [1.0, 2.5]
