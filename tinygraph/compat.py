"""`tf.compat.v1`: tinygraph already is the TF 1.x API, so v1 is the package itself."""
import sys as _sys

v1 = _sys.modules["tinygraph"]
