"""The CSV file of csv_dataset.py read with queues and a reader, training the same model.

    python examples/csv_queue.py

The TF 1.x queue pipeline, run by threads:

1. `tf.train.string_input_producer` puts the file name into a queue, once per epoch
   (num_epochs keeps its epoch counter in a local variable);
2. a `tf.TextLineReader` (skipping the header line) reads records from the files it
   dequeues; `tf.decode_csv` parses each record;
3. `tf.train.shuffle_batch` enqueues the parsed examples into a RandomShuffleQueue and
   dequeues batches of 32 (the last one smaller: allow_smaller_final_batch);
4. `tf.train.start_queue_runners` starts the threads that run the enqueue ops; the
   training loop's `sess.run(train_op)` dequeues a batch, waiting for the threads
   when the queue is empty, and raises OutOfRangeError once the epochs are read and
   the queues are closed; the Coordinator then stops and joins the threads.

Accuracy is measured on the whole file through placeholders sharing the model's weights.
"""
import os
import tempfile

import tinygraph as tf
from csv_dataset import model, write_csv

def main(n_epochs=5, batch_size=32, learning_rate=0.2):
    """Trains for `n_epochs`; returns (accuracy before, accuracy after), the number of steps."""
    tf.reset_default_graph()
    tf.set_random_seed(42)
    path = os.path.join(tempfile.mkdtemp(), "train.csv")
    X, y = write_csv(path)
    filenames = tf.train.string_input_producer([path], num_epochs=n_epochs, shuffle=False)
    reader = tf.TextLineReader(skip_header_lines=1)
    _, record = reader.read(filenames)
    x1, x2, x3, label = tf.decode_csv(record, record_defaults=[[0.0], [0.0], [0.0], [0]])
    features, labels = tf.train.shuffle_batch(
        [tf.stack([x1, x2, x3]), label], batch_size=batch_size, capacity=500,
        min_after_dequeue=100, allow_smaller_final_batch=True)
    loss, _, _ = model(features, labels)
    train_op = tf.train.GradientDescentOptimizer(learning_rate).minimize(loss)
    # the same weights (reuse) on the whole file, for measuring
    x_all = tf.placeholder(tf.float32, [None, 3])
    y_all = tf.placeholder(tf.int32, [None])
    _, accuracy, _ = model(x_all, y_all)
    with tf.Session() as sess:
        sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        history = [sess.run(accuracy, {x_all: X, y_all: y})]
        print("before training: accuracy %.3f" % history[0])
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess=sess, coord=coord)
        steps = 0
        try:
            while not coord.should_stop():
                sess.run(train_op, options=tf.RunOptions(timeout_in_ms=30000))
                steps += 1
        except tf.errors.OutOfRangeError:
            print("done: %d epochs read in %d steps" % (n_epochs, steps))
        finally:
            coord.request_stop()
        coord.join(threads, stop_grace_period_secs=10)
        history.append(sess.run(accuracy, {x_all: X, y_all: y}))
        print("after training: accuracy %.3f" % history[-1])
    return history, steps

if __name__ == "__main__":
    history, steps = main()
