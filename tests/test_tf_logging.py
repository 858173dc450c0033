"""tf.logging: TF 1.x's constants and functions on Python's logging."""
import logging
import subprocess
import sys

import tinygraph as tf


def test_constants_and_default_verbosity_as_tf():
    # TF 2.15 compat.v1: 10 20 30 40 50, default verbosity 30 (WARN)
    assert (tf.logging.DEBUG, tf.logging.INFO, tf.logging.WARN, tf.logging.ERROR,
            tf.logging.FATAL) == (10, 20, 30, 40, 50)


def test_verbosity_filters_messages(caplog):
    caplog.set_level(logging.NOTSET)
    old = tf.logging.get_verbosity()
    try:
        tf.logging.set_verbosity(tf.logging.INFO)
        assert tf.logging.get_verbosity() == tf.logging.INFO
        tf.logging.debug("hidden %d", 1)
        tf.logging.info("step %d: loss %.2f", 3, 0.25)
        tf.logging.warn("careful")
        tf.logging.error("bad")
        tf.logging.log(tf.logging.ERROR, "via log %s", "x")
        msgs = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "tinygraph"]
        assert msgs == [("INFO", "step 3: loss 0.25"), ("WARNING", "careful"), ("ERROR", "bad"),
                        ("ERROR", "via log x")]
        caplog.clear()
        tf.logging.set_verbosity(tf.logging.ERROR)
        tf.logging.info("dropped")
        tf.logging.warning("dropped too")
        assert [r for r in caplog.records if r.name == "tinygraph"] == []
    finally:
        tf.logging.set_verbosity(old)


def test_log_every_n_and_first_n(caplog):
    caplog.set_level(logging.NOTSET)
    old = tf.logging.get_verbosity()
    tf.logging.set_verbosity(tf.logging.INFO)
    try:
        for i in range(7):
            tf.logging.log_every_n(tf.logging.INFO, "every %d", 3, i)
        for i in range(5):
            tf.logging.log_first_n(tf.logging.INFO, "first %d", 2, i)
        tf.logging.log_if(tf.logging.INFO, "if", False)
        msgs = [r.getMessage() for r in caplog.records if r.name == "tinygraph"]
        assert msgs == ["every 0", "every 3", "every 6", "first 0", "first 1"]
    finally:
        tf.logging.set_verbosity(old)


def test_default_handler_prints_tf_format_on_stderr():
    code = ("import tinygraph as tf; tf.logging.set_verbosity(tf.logging.INFO); "
            "tf.logging.info('hello %s', 'world'); tf.logging.debug('no')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr.strip() == "INFO:tinygraph:hello world"
