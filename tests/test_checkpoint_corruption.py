"""Corrupted checkpoints: Saver.restore raises a typed OpError (DataLossError,
NotFoundError, InvalidArgumentError) and leaves every variable as it was, or -- where
the damage hit bytes nothing depends on (a timestamp) -- restores the saved values
exactly. Never another exception, never other values.

The sweep truncates the file at every zip/npy section boundary (and one byte either
side) and at every offset, flips each byte (see test_every_byte_flipped), for a stored checkpoint (as
Saver.save writes) and a deflated one (np.savez_compressed, the "compression fields");
hypothesis then splices random damage, rewrites .npy headers behind a valid CRC, and
drops or renames members.
"""
import collections
import io
import os
import pathlib
import shutil
import struct
import tempfile
import zipfile

import numpy as np
import pytest

import tinygraph as tf

SWEEP_STATS = collections.Counter()
TYPED = (tf.errors.DataLossError, tf.errors.NotFoundError, tf.errors.InvalidArgumentError)

SAVED = {
    "W": np.arange(6, dtype=np.float32).reshape(3, 2) + 0.5,
    "b": np.array([-1.25, 2.5], np.float64),
    "step": np.array(7, np.int64),
    "empty": np.zeros((0, 3), np.float32),
    "mask": np.array([True, False, True]),
}
BEFORE = {k: np.zeros_like(v) if v.dtype != np.int64 else np.array(-1, np.int64)
          for k, v in SAVED.items()}


class Rig:
    """Variables, a Saver, a session; one good stored and one good deflated checkpoint."""

    def __init__(self, tmp):
        self.graph = tf.Graph()
        with self.graph.as_default():
            self.vars = {k: tf.Variable(v, name=k) for k, v in BEFORE.items()}
            self.saver = tf.train.Saver()
            self.sess = tf.Session(graph=self.graph)
            self.sess.run(tf.global_variables_initializer())
            self.loads = {k: v.assign(SAVED[k]) for k, v in self.vars.items()}
            self.resets = tf.group(*[v.assign(BEFORE[k]) for k, v in self.vars.items()])
        self.sess.run(list(self.loads.values()))
        self.prefix = str(tmp / "model")
        assert self.saver.save(self.sess, self.prefix, write_state=False) == self.prefix
        self.sess.run(self.resets)
        with open(self.prefix + ".npz", "rb") as f:
            self.stored = f.read()
        buf = io.BytesIO()
        np.savez_compressed(buf, **SAVED)
        self.deflated = buf.getvalue()
        self.fd = os.open(self.prefix + ".npz", os.O_RDWR)

    def values(self):
        return self.sess.run({k: v for k, v in self.vars.items()})

    def check(self, data, label):
        """Restore from `data`; assert a typed error with nothing changed, or exact values."""
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, data, 0)
        SWEEP_STATS["cases"] += 1
        try:
            self.saver.restore(self.sess, self.prefix)
        except TYPED as e:
            SWEEP_STATS[type(e).__name__] += 1
            got = self.values()
            for k, want in BEFORE.items():
                np.testing.assert_array_equal(got[k], want, err_msg="%s: %s changed by a failed "
                                              "restore (%s)" % (label, k, e))
            return type(e)
        except Exception as e:  # noqa: BLE001 - an untyped escape is the failure we look for
            pytest.fail("%s: untyped %s: %s" % (label, type(e).__name__, e))
        SWEEP_STATS["restored"] += 1
        got = self.values()
        for k, want in SAVED.items():
            assert got[k].dtype == want.dtype
            np.testing.assert_array_equal(got[k], want, err_msg=label)
        self.sess.run(self.resets)
        return None


@pytest.fixture(scope="module")
def rig(tmp_path_factory):
    # thousands of rewrites of one file: on tmpfs where there is one (shrinking a file
    # costs milliseconds on some disk filesystems)
    shm = "/dev/shm"
    if os.path.isdir(shm) and os.access(shm, os.W_OK):
        tmp = pathlib.Path(tempfile.mkdtemp(prefix="tinygraph-ckpt-", dir=shm))
    else:
        tmp = tmp_path_factory.mktemp("ckpt")
    r = Rig(tmp)
    yield r
    os.close(r.fd)
    r.sess.close()
    if str(tmp).startswith(shm):
        shutil.rmtree(tmp, ignore_errors=True)


def section_boundaries(data):
    """Offsets where a zip section starts or ends: local headers, .npy headers, member
    data, central directory entries, zip64 records, end of central directory."""
    cuts = {0, len(data)}
    zf = zipfile.ZipFile(io.BytesIO(data))
    for info in zf.infolist():
        h = info.header_offset
        name_len, extra_len = struct.unpack("<HH", data[h + 26:h + 30])
        start = h + 30 + name_len + extra_len
        cuts.update([h, h + 30, start, start + info.compress_size])
        if info.compress_type == zipfile.ZIP_STORED:
            npy_header = 10 + struct.unpack("<H", data[start + 8:start + 10])[0]
            cuts.update([start + 6, start + 8, start + npy_header])
    for sig in (b"PK\x01\x02", b"PK\x06\x06", b"PK\x06\x07", b"PK\x05\x06"):
        at = data.find(sig)
        while at >= 0:
            cuts.add(at)
            at = data.find(sig, at + 1)
    return sorted(c for c in cuts if 0 <= c <= len(data))


def test_a_good_checkpoint_restores(rig):
    assert rig.check(rig.stored, "stored") is None
    assert rig.check(rig.deflated, "deflated") is None


@pytest.mark.parametrize("kind", ["stored", "deflated"])
def test_truncation_at_every_section_boundary(rig, kind):
    data = getattr(rig, kind)
    cuts = section_boundaries(data)
    assert len(cuts) > 20
    for c in cuts:
        for at in (c - 1, c, c + 1):
            if 0 <= at < len(data):
                assert rig.check(data[:at], "%s cut at %d" % (kind, at)) is not None


@pytest.mark.parametrize("kind", ["stored", "deflated"])
def test_truncation_at_every_offset(rig, kind):
    data = getattr(rig, kind)
    for at in range(len(data)):
        assert rig.check(data[:at], "%s cut at %d" % (kind, at)) is not None


@pytest.mark.parametrize("kind", ["stored", "deflated"])
def test_every_byte_flipped(rig, kind):
    """Each byte inverted; and its low bit flipped at every third byte (every byte under
    HYPOTHESIS_PROFILE=dev)."""
    data = getattr(rig, kind)
    low_bit_stride = 1 if os.environ.get("HYPOTHESIS_PROFILE") == "dev" else 3
    for at in range(len(data)):
        for mask in (0xFF, 0x01) if at % low_bit_stride == 0 else (0xFF,):
            bad = bytearray(data)
            bad[at] ^= mask
            rig.check(bytes(bad), "%s byte %d ^ %#x" % (kind, at, mask))


def _rezip(members, compression=zipfile.ZIP_STORED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, raw in members:
            zf.writestr(name, raw)
    return buf.getvalue()


def _members(data):
    zf = zipfile.ZipFile(io.BytesIO(data))
    return [(i.filename, zf.read(i.filename)) for i in zf.infolist()]


def test_a_missing_or_renamed_member_is_not_found(rig):
    members = _members(rig.stored)
    for i, (name, _) in enumerate(members):
        without = members[:i] + members[i + 1:]
        assert rig.check(_rezip(without), "without " + name) is tf.errors.NotFoundError
        renamed = without + [(name[:-4] + ".bin", members[i][1])]
        assert rig.check(_rezip(renamed), "renamed " + name) is tf.errors.NotFoundError
    assert rig.check(_rezip([]), "empty zip") is tf.errors.NotFoundError
    with pytest.raises(tf.errors.NotFoundError, match="Key W not found in checkpoint"):
        rig.check(_rezip(members[1:]), "without W")
        rig.saver.restore(rig.sess, rig.prefix)


def _npy(arr, header_dict=None):
    buf = io.BytesIO()
    np.lib.format.write_array(buf, arr)
    raw = buf.getvalue()
    if header_dict is None:
        return raw
    hlen = struct.unpack("<H", raw[8:10])[0]
    body = raw[10 + hlen:]
    text = repr(header_dict).encode("latin1")
    text += b" " * ((64 - (10 + len(text) + 1) % 64) % 64) + b"\n"
    return raw[:8] + struct.pack("<H", len(text)) + text + body


def test_npy_headers_behind_a_valid_crc(rig):
    """A well-formed zip whose .npy headers lie: the sizes must match the data, the
    dtype and shape the variable."""
    members = dict(_members(rig.stored))
    w = SAVED["W"]
    cases = [
        ({"descr": "<f4", "fortran_order": False, "shape": (4, 2)}, tf.errors.DataLossError),
        ({"descr": "<f4", "fortran_order": False, "shape": (2, 2)}, tf.errors.DataLossError),
        ({"descr": "<f4", "fortran_order": False, "shape": (-3, -2)}, tf.errors.DataLossError),
        ({"descr": "<f4", "fortran_order": False, "shape": (2 ** 40, 2 ** 40)}, tf.errors.DataLossError),
        ({"descr": "<i4", "fortran_order": False, "shape": (3, 2)}, tf.errors.InvalidArgumentError),
        ({"descr": "<f4", "fortran_order": False, "shape": (2, 3)}, tf.errors.InvalidArgumentError),
        ({"descr": "|O", "fortran_order": False, "shape": (3, 2)}, tf.errors.DataLossError),
        ({"descr": "nonsense", "fortran_order": False, "shape": (3, 2)}, tf.errors.DataLossError),
        ({"descr": "<f4", "shape": (3, 2)}, tf.errors.DataLossError),
        ({"descr": "<f4", "fortran_order": "yes", "shape": (3, 2)}, tf.errors.DataLossError),
    ]
    for header, want in cases:
        bad = dict(members, **{"W.npy": _npy(w, header)})
        assert rig.check(_rezip(bad.items()), str(header)) is want, header
    for raw in [b"", b"\x93NUMPY", b"\x93NUMPY\x09\x00", b"\x93NUMPY\x01\x00\xff\xff{",
                b"\x93NUMPX\x01\x00\x00\x00", b"garbage" * 10, _npy(w)[:-1], _npy(w) + b"\x00"]:
        bad = dict(members, **{"W.npy": raw})
        assert rig.check(_rezip(bad.items()), repr(raw[:20])) is tf.errors.DataLossError
    # a big-endian file of the right dtype is a good checkpoint
    good = dict(members, **{"W.npy": _npy(w.astype(">f4"))})
    assert rig.check(_rezip(good.items()), "big-endian") is None


def test_zip_fields_that_zipfile_refuses(rig):
    """Compression method, version needed, encryption flag, sizes in the central directory."""
    data = rig.stored
    cd = data.find(b"PK\x01\x02")
    lh = 0
    for off, fmt, value, what in [
        (cd + 10, "<H", 99, "unknown compression method"),
        (cd + 10, "<H", 12, "bzip2 method on stored data"),
        (lh + 8, "<H", 14, "lzma method in the local header"),
        (cd + 6, "<H", 0x3F, "version needed 6.3"),
        (cd + 8, "<H", 0x1, "encrypted"),
        (cd + 20, "<I", 0xFFFFFFF0, "compressed size"),
        (cd + 24, "<I", 0xFFFFFFF0, "uncompressed size"),
        (cd + 42, "<I", 0xFFFFFF00, "local header offset"),
        (cd + 28, "<H", 0xFFFF, "name length"),
    ]:
        bad = bytearray(data)
        struct.pack_into(fmt, bad, off, value)
        rig.check(bytes(bad), what)


def test_not_a_zip_at_all(rig):
    for raw in [b"", b"\x00" * 100, b"\x93NUMPY\x01\x00",
                b"not a checkpoint", rig.stored[::-1]]:
        assert rig.check(raw, repr(raw[:12])) is tf.errors.DataLossError


import hypothesis  # noqa: E402 - a test dependency: never skipped
from hypothesis import given, strategies as st  # noqa: E402


@given(st.data())
def test_random_damage(rig, data):
    """Random splices: overwrite, insert or delete runs of bytes, cut, append garbage."""
    raw = bytearray(data.draw(st.sampled_from([rig.stored, rig.deflated])))
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(raw)))
        junk = data.draw(st.binary(max_size=16))
        op = data.draw(st.sampled_from(["overwrite", "insert", "delete", "cut", "append"]))
        if op == "overwrite":
            raw[at:at + len(junk)] = junk
        elif op == "insert":
            raw[at:at] = junk
        elif op == "delete":
            del raw[at:at + len(junk) + 1]
        elif op == "cut":
            del raw[at:]
        else:
            raw += junk
    rig.check(bytes(raw), "random damage")


@given(st.dictionaries(st.sampled_from(["descr", "fortran_order", "shape", "extra"]),
                       st.one_of(st.sampled_from(["<f4", ">f4", "<f8", "<i4", "|b1", "|O", "<U2",
                                                  "", "f4", "<c8"]),
                                 st.booleans(), st.none(),
                                 st.lists(st.integers(-2, 7), max_size=3).map(tuple))),
       st.sampled_from(list(SAVED)))
def test_random_npy_headers(rig, header, key):
    members = dict(_members(rig.stored))
    bad = dict(members, **{key + ".npy": _npy(SAVED[key], header)})
    rig.check(_rezip(bad.items()), "%s header %r" % (key, header))
