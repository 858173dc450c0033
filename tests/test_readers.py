"""Readers, files and record parsing: tf.TextLineReader, tf.WholeFileReader,
tf.FixedLengthRecordReader, tf.read_file, tf.decode_csv, tf.decode_raw (values and
messages as TF 1.x gives them)."""
import numpy as np
import pytest

import tinygraph as tf

SHORT = tf.RunOptions(timeout_in_ms=2000)


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def filename_queue(sess, names):
    q = tf.FIFOQueue(10, tf.string, shapes=[[]])
    sess.run(q.enqueue_many([[n.encode() for n in names]]))
    sess.run(q.close())
    return q


def test_text_line_reader_keys_values_header_and_end(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_bytes(b"x,y\n1,2\r\n3,4")
    b.write_bytes(b"x,y\n5,6\n\n")
    reader = tf.TextLineReader(skip_header_lines=1)
    assert reader.reader_ref.op.type == "TextLineReaderV2" and reader.reader_ref.dtype == tf.resource
    assert not reader.supports_serialize
    with tf.Session() as sess:
        q = filename_queue(sess, [str(a), str(b)])
        key, value = reader.read(q)
        assert key.op.name == "ReaderReadV2" and key.shape.as_list() == [] and value.dtype == tf.string
        got = [sess.run([key, value], options=SHORT) for _ in range(4)]
        assert got == [[("%s:2" % a).encode(), b"1,2"], [("%s:3" % a).encode(), b"3,4"],
                       [("%s:2" % b).encode(), b"5,6"], [("%s:3" % b).encode(), b""]]
        assert sess.run(reader.num_records_produced()) == 4
        with pytest.raises(tf.errors.OutOfRangeError, match="is closed and has insufficient elements"):
            sess.run(value, options=SHORT)
        assert sess.run(reader.num_work_units_completed()) == 2


def test_read_up_to_crosses_files_and_returns_the_rest_at_the_end(tmp_path):
    for i in range(2):
        (tmp_path / ("f%d.txt" % i)).write_text("".join("%d-%d\n" % (i, j) for j in range(3)))
    reader = tf.TextLineReader()
    with tf.Session() as sess:
        q = filename_queue(sess, [str(tmp_path / "f0.txt"), str(tmp_path / "f1.txt")])
        keys, values = reader.read_up_to(q, 4)
        assert values.shape.as_list() == [None]
        assert sess.run(values, options=SHORT).tolist() == [b"0-0", b"0-1", b"0-2", b"1-0"]
        assert sess.run(values, options=SHORT).tolist() == [b"1-1", b"1-2"]
        with pytest.raises(tf.errors.OutOfRangeError):
            sess.run(values, options=SHORT)
        sess.run(reader.reset())
        assert sess.run(reader.num_records_produced()) == 0


def test_missing_file_is_not_found(tmp_path):
    reader = tf.TextLineReader()
    with tf.Session() as sess:
        q = filename_queue(sess, [str(tmp_path / "nope.csv")])
        _, value = reader.read(q)
        with pytest.raises(tf.errors.NotFoundError, match="nope.csv; No such file or directory"):
            sess.run(value, options=SHORT)
        with pytest.raises(tf.errors.NotFoundError, match="No such file or directory"):
            sess.run(tf.read_file(str(tmp_path / "nope.csv")))


def test_whole_file_and_fixed_length_readers(tmp_path):
    (tmp_path / "a.bin").write_bytes(b"HDR" + bytes(range(12)) + b"F")
    whole, fixed = tf.WholeFileReader(), tf.FixedLengthRecordReader(4, header_bytes=3, footer_bytes=1)
    with tf.Session() as sess:
        q1 = filename_queue(sess, [str(tmp_path / "a.bin")])
        k, v = whole.read(q1)
        assert sess.run([k, v], options=SHORT) == [str(tmp_path / "a.bin").encode(),
                                                   b"HDR" + bytes(range(12)) + b"F"]
        q2 = filename_queue(sess, [str(tmp_path / "a.bin")])
        k, v = fixed.read(q2)
        records = [sess.run([k, v], options=SHORT) for _ in range(3)]
        assert [r[1] for r in records] == [bytes(range(0, 4)), bytes(range(4, 8)), bytes(range(8, 12))]
        assert records[2][0] == ("%s:2" % (tmp_path / "a.bin")).encode()
        with pytest.raises(tf.errors.OutOfRangeError):
            sess.run(v, options=SHORT)
        decoded = sess.run(tf.decode_raw(tf.constant([bytes(range(4)), bytes(range(4, 8))]), tf.uint8))
        np.testing.assert_array_equal(decoded, [[0, 1, 2, 3], [4, 5, 6, 7]])
        as_int = sess.run(tf.decode_raw(tf.constant(np.array([1, 2], "<i4").tobytes()), tf.int32))
        np.testing.assert_array_equal(as_int, [1, 2])
        with pytest.raises(tf.errors.InvalidArgumentError, match="not a multiple of 4"):
            sess.run(tf.decode_raw(tf.constant(b"abc"), tf.int32))


def test_read_and_write_file(tmp_path):
    path = str(tmp_path / "out.txt")
    with tf.Session() as sess:
        sess.run(tf.write_file(path, b"hello"))
        assert sess.run(tf.read_file(path)) == b"hello"
        assert sess.run(tf.matching_files(str(tmp_path / "*.txt"))).tolist() == [path.encode()]


@pytest.mark.parametrize("record, defaults, expected", [
    ("1,2", [[0.0], [0]], [1.0, 2]),
    (",2", [[7.5], [0]], [7.5, 2]),
    ('"a,b",1', [[""], [0]], [b"a,b", 1]),
    ('"say ""hi""",1', [[""], [0]], [b'say "hi"', 1]),
    ("-3,1e3", [[0], [0.0]], [-3, 1000.0]),
    ("NA,2", [[4.0], [0]], None),  # na_value below
])
def test_decode_csv_values(record, defaults, expected):
    if expected is None:
        out = tf.decode_csv(record, defaults, na_value="NA")
        expected = [4.0, 2]
    else:
        out = tf.decode_csv(record, defaults)
    with tf.Session() as sess:
        got = sess.run(out)
    assert [g.item() if hasattr(g, "item") else g for g in got] == expected
    assert [t.dtype for t in out] == [tf.convert_to_tensor(d).dtype for d in defaults]


@pytest.mark.parametrize("record, defaults, message", [
    ("1,x", [[0.0], [0.0]], "Field 1 in record 0 is not a valid float: x"),
    ("1", [[0.0], [0]], "Expect 2 fields but have 1 in record 0"),
    ("1,2,3", [[0.0], [0]], "Expect 2 fields but have 3 in record 0"),
    (",2", [[], [0]], "Field 0 is required but missing in record 0!"),
    ("3000000000,1", [[0], [0]], "Field 0 in record 0 is not a valid int32: 3000000000"),
    ("1.5,2", [[0], [0]], "Field 0 in record 0 is not a valid int32: 1.5"),
    ("1_0,2", [[0], [0]], "Field 0 in record 0 is not a valid int32: 1_0"),
])
def test_decode_csv_errors_name_the_field_and_record(record, defaults, message):
    out = tf.decode_csv(record, defaults)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError) as e:
            sess.run(out)
    assert e.value.message == message


def test_decode_csv_shapes_delimiters_and_build_errors():
    records = tf.placeholder(tf.string, [3])
    cols = tf.decode_csv(records, [[0.0], tf.constant([1])], field_delim=";")
    assert [c.shape.as_list() for c in cols] == [[3], [3]]
    assert cols[0].op.name == "DecodeCSV"
    with tf.Session() as sess:
        a, b = sess.run(cols, {records: ["1;2", "3;", ";4"]})
    np.testing.assert_array_equal(a, [1.0, 3.0, 0.0])
    np.testing.assert_array_equal(b, [2, 1, 4])
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="Expect 2 fields but have 1 in record 1"):
            sess.run(tf.decode_csv(["1,2", "3"], [[0], [0]]))
    with pytest.raises(ValueError, match="Shape of a default must be a length-0 or length-1 vector, or a scalar"):
        tf.decode_csv("1,2", [[0, 1], [0]])
    with pytest.raises(TypeError, match="record_defaults"):
        tf.decode_csv("1", [[True]])
    with pytest.raises(ValueError, match="field_delim should be only 1 char"):
        tf.decode_csv("1", [[0]], field_delim=";;")
    selected = tf.decode_csv("1,2,3", [[0], [0]], select_cols=[0, 2])
    with tf.Session() as sess:
        assert [int(v) for v in sess.run(selected)] == [1, 3]
