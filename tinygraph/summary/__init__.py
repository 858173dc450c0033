"""`tf.summary`: TensorBoard logs (FileWriter, scalar, histogram, merge, merge_all).

    loss_summary = tf.summary.scalar("MSE", loss)
    writer = tf.summary.FileWriter("logs/run1", tf.get_default_graph())
    ...
    writer.add_summary(sess.run(loss_summary, feed), global_step=step)
    writer.close()
    # then: tensorboard --logdir logs

TensorBoard's own writer and protocol buffers are used as they are; the `tensorboard`
package is a dependency of tinygraph (as of TensorFlow), imported on first use only.
"""
from . import summary_ops, writer
from .summary_ops import histogram, merge, merge_all, scalar
from .writer import FileWriter, FileWriterCache

__all__ = ["FileWriter", "FileWriterCache", "scalar", "histogram", "merge", "merge_all", "Summary",
           "Event"]


def __getattr__(name):
    # The proto classes come from tensorboard, imported only when asked for.
    if name == "Summary":
        return summary_ops.summary_pb2().Summary
    if name == "Event":
        return writer._event_modules()[0].Event
    raise AttributeError("module 'tinygraph.summary' has no attribute %r" % name)
