#!/usr/bin/env python3
"""Hand-written mutation testing: plant one typical bug at a time, run the tests that
should notice, and print which mutants were caught.

Each mutant is (id, area, file, original snippet, replacement, tests). The script
copies the repository into a temporary folder, replaces the snippet (it must occur
exactly once), and runs `python -m pytest -x -q <tests>` there with a timeout. A
mutant is

* caught   - the tests failed or errored ("caught (timeout)": they ran past the timeout);
* MISSED   - the tests passed with the bug in place: a hole in the suite;
* stale    - the snippet is no longer in the code (found nowhere, or more than once):
             the code moved on; update the mutant (it is NOT counted as caught);
* no tests - none of its test files exist (e.g. an older checkout).

If the snippet is not in the named file any more (a module was split), the script
looks for it in every tinygraph/**/*.py and uses the one file that holds it once.

Run on demand (not in CI), from the repository root:

    python3 tests/mutation/run_mutants.py              # every mutant, table on stdout
    python3 tests/mutation/run_mutants.py -k adam -j 2 # mutants whose id contains "adam"
    python3 tests/mutation/run_mutants.py --list       # the mutants, without running
    python3 tests/mutation/run_mutants.py --repo /tmp/old --markdown  # another checkout

Exit status: 0 when every mutant was caught, 1 otherwise. Standard library only.
"""
import argparse
import collections
import concurrent.futures
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

Mutant = collections.namedtuple("Mutant", "id area file original replacement tests")

PROPS = "tests/test_gradient_properties.py"
META = "tests/test_gradient_checker_meta.py"
REGR = "tests/test_planted_bug_regressions.py"
OPT = [REGR, "tests/test_optimizers.py"]

MUTANTS = [
    # -- gradients ------------------------------------------------------------------------------
    Mutant("sub_grad_sign", "gradient", "tinygraph/ops/binary_ops.py",
           "unbroadcast(negative(grad), y)]", "unbroadcast(grad, y)]",
           [PROPS + "::test_op_gradient_matches_finite_differences", "tests/test_dynamic_rnn.py"]),
    Mutant("mul_grad_no_unbroadcast", "gradient", "tinygraph/ops/binary_ops.py",
           "unbroadcast(x * grad, y)]", "x * grad]", [PROPS, "tests/test_math_ops.py"]),
    Mutant("div_grad_sign", "gradient", "tinygraph/ops/binary_ops.py",
           "unbroadcast(negative(grad) * x / (y * y), y)", "unbroadcast(grad * x / (y * y), y)", [PROPS]),
    Mutant("squared_difference_grad_sign", "gradient", "tinygraph/ops/binary_ops.py",
           "negative(unbroadcast(gx, y))]", "unbroadcast(gx, y)]", [PROPS]),
    Mutant("maximum_grad_mask", "gradient", "tinygraph/ops/binary_ops.py",
           "unbroadcast(grad * (1 - x_mask), y)", "unbroadcast(grad * x_mask, y)", [PROPS]),
    Mutant("pow_grad_drops_exponent", "gradient", "tinygraph/ops/binary_ops.py",
           "gx = grad * y * pow(x, y - 1)", "gx = grad * pow(x, y - 1)", [PROPS]),
    Mutant("matmul_grad_transpose_b", "gradient", "tinygraph/ops/matmul_ops.py",
           "ga, gb = matmul(grad, b), matmul(grad, a, transpose_a=True)",
           "ga, gb = matmul(grad, b, transpose_b=True), matmul(grad, a, transpose_a=True)",
           [PROPS, "tests/test_math_ops.py", "tests/test_golden.py"]),
    Mutant("tanh_grad_grad_sign", "gradient", "tinygraph/ops/unary_ops.py",
           "grad * dy * -2.0 * y, ", "grad * dy * 2.0 * y, ", [PROPS]),
    Mutant("sigmoid_grad_grad_sign", "gradient", "tinygraph/ops/unary_ops.py",
           "g_dy - 2.0 * g_dy * y", "g_dy + 2.0 * g_dy * y", [PROPS]),
    Mutant("mean_grad_factor", "gradient", "tinygraph/ops/reduction_ops.py",
           "return [sum_grad / max(factor, 1)]", "return [sum_grad]", [PROPS]),
    Mutant("softmax_grad_missing_term", "gradient", "tinygraph/ops/nn_ops.py",
           "(grad - math_ops.reduce_sum(grad * y, axis, keepdims=True)) * y",
           "(grad - math_ops.reduce_sum(grad, axis, keepdims=True)) * y", [PROPS]),
    Mutant("softsign_grad_grad_sign", "gradient", "tinygraph/ops/nn_ops.py",
           "d2x = -2.0 * grad * dy", "d2x = 2.0 * grad * dy", [PROPS]),
    Mutant("selu_grad_grad_drops_y_term", "gradient", "tinygraph/ops/nn_ops.py",
           '("SeluGrad", [grad, y]), _mask_negative(grad * dy, y)]',
           '("SeluGrad", [grad, y]), None]', [PROPS]),
    Mutant("ta_gradient_overwrites", "gradient", "tinygraph/control_flow/tensor_array.py",
           "self.items[i] = a if mine is None else mine + a", "self.items[i] = a", [PROPS, REGR]),
    Mutant("while_grad_accumulate_overwrites", "gradient", "tinygraph/control_flow/subgraph.py",
           "    acc += value\n    return acc", "    acc = value\n    return acc",
           [PROPS, "tests/test_dynamic_rnn.py"]),
    # -- kernels ----------------------------------------------------------------------------------
    Mutant("softsign_grad_kernel", "kernel", "tinygraph/ops/nn_ops.py",
           "return dy / (1 + xp.abs(x)) ** 2", "return dy / (1 + xp.abs(x))", [PROPS]),
    Mutant("selu_grad_kernel", "kernel", "tinygraph/ops/nn_ops.py",
           "dy * (y + _SELU_SCALE * _SELU_ALPHA)", "dy * (y + _SELU_ALPHA)", [PROPS]),
    Mutant("relu_grad_kernel_at_zero", "kernel", "tinygraph/ops/nn_ops.py",
           "xp.multiply(dy, y > 0, dtype=dy.dtype)", "xp.multiply(dy, y >= 0, dtype=dy.dtype)",
           [PROPS, "tests/test_nn_ops.py"]),
    Mutant("softmax_kernel_global_sum", "kernel", "tinygraph/ops/nn_ops.py",
           "return e / e.sum(axis=axis, keepdims=True)", "return e / e.sum(keepdims=True)",
           ["tests/test_nn_ops.py"]),
    Mutant("l2_loss_kernel_no_half", "kernel", "tinygraph/ops/nn_ops.py",
           "xp.sum(x * x) / 2,", "xp.sum(x * x),", ["tests/test_nn_ops.py"]),
    Mutant("matmul_cache_ignores_version", "kernel", "tinygraph/ops/matmul_ops.py",
           "entry[0] is not x or entry[1] != version:", "entry[0] is not x:",
           [REGR, "tests/test_optimizations.py"]),
    Mutant("tanh_grad_inplace_form", "kernel", "tinygraph/ops/unary_ops.py",
           "    xp.subtract(1, t, out=t)\n    return xp.multiply(dy, t, out=dy)",
           "    xp.add(1, t, out=t)\n    return xp.multiply(dy, t, out=dy)",
           ["tests/test_optimizations.py", META]),
    # -- optimizers -------------------------------------------------------------------------------
    Mutant("adam_m_decay", "optimizer", "tinygraph/train/adam.py",
           "    t *= 1 - beta1\n", "    t *= beta1\n", OPT),
    Mutant("adam_result_not_written_in_place", "optimizer", "tinygraph/train/adam.py",
           "xp.subtract(var, step, out=var_out), [m, v]", "xp.subtract(var, step), [m, v]", OPT),
    Mutant("adam_v_decay", "optimizer", "tinygraph/train/adam.py",
           "    t *= 1 - beta2\n", "    t *= beta2\n", OPT),
    Mutant("sgd_sign", "optimizer", "tinygraph/train/gradient_descent.py",
           "xp.subtract(var, lr * grad,", "xp.add(var, lr * grad,", OPT),
    Mutant("nesterov_lookahead", "optimizer", "tinygraph/train/momentum.py",
           "        t = accum * momentum\n", "        t = accum * 1.0\n", OPT),
    Mutant("momentum_no_decay", "optimizer", "tinygraph/train/momentum.py",
           "xp.multiply(accum, momentum, out=accum_out)", "xp.multiply(accum, 1.0, out=accum_out)", OPT),
    Mutant("adagrad_accum", "optimizer", "tinygraph/train/adagrad.py",
           "accum = xp.add(slots[0], t, out=accum_out)", "accum = xp.add(slots[0], grad, out=accum_out)", OPT),
    Mutant("rmsprop_decay", "optimizer", "tinygraph/train/rmsprop.py",
           "    t -= ms\n    t *= 1 - decay\n", "    t -= ms\n    t *= decay\n", OPT),
    Mutant("inplace_update_ignores_safety", "pass", "tinygraph/passes/inplace_updates.py",
           "            safe.add(op)\n", "            pass\n        safe.add(op)\n",
           ["tests/test_optimizations.py"]),
    # -- RNN cells and masking --------------------------------------------------------------------
    Mutant("rnn_mask_off_by_one", "rnn", "tinygraph/rnn/dynamic_rnn.py",
           "finished = math_ops.greater_equal(time, sequence_length)",
           "finished = math_ops.greater(time, sequence_length)", ["tests/test_dynamic_rnn.py"]),
    Mutant("gru_update_swapped", "rnn", "tinygraph/rnn/cells.py",
           "new_h = u * state + (1 - u) * c", "new_h = (1 - u) * state + u * c",
           ["tests/test_golden.py", "tests/test_rnn_cells.py"]),
    Mutant("lstm_forget_bias_dropped", "rnn", "tinygraph/rnn/cells.py",
           "sigmoid(f + self._forget_bias) * c_prev", "sigmoid(f) * c_prev",
           ["tests/test_rnn_cells.py", "tests/test_golden.py"]),
    # -- executor and passes -----------------------------------------------------------------------
    Mutant("executor_frees_after_first_use", "executor", "tinygraph/executor.py",
           "            last_use[s] = i\n", "            last_use.setdefault(s, i)\n",
           ["tests/test_session.py", "tests/test_graph.py"]),
    Mutant("executor_frees_fetched_slot", "executor", "tinygraph/executor.py",
           "    for s, i in last_use.items():\n        if s not in keep:\n",
           "    for s, i in last_use.items():\n        if True:\n",
           ["tests/test_session.py"]),
    Mutant("fuse_overwrites_shared_input", "pass", "tinygraph/passes/fuse_elementwise.py",
           "s not in private and reads[s] == 1 and", "s not in private and", ["tests/test_optimizations.py"]),
    # -- Saver --------------------------------------------------------------------------------------
    Mutant("saver_keeps_one_too_many", "saver", "tinygraph/train/saver.py",
           "while len(self._last) > self._max_to_keep:", "while len(self._last) > self._max_to_keep + 1:",
           ["tests/test_saver.py"]),
    Mutant("saver_restore_skips_dtype_check", "saver", "tinygraph/train/saver.py",
           "if value.dtype != np.dtype(want):", "if False:", ["tests/test_saver.py"]),
]


def _ignore(_dir, names):
    return [n for n in names if n in (".git", "__pycache__", ".hypothesis", ".pytest_cache")]


def locate(repo, mutant):
    """(path relative to repo, None) where the snippet occurs once, or (None, reason)."""
    named = os.path.join(repo, mutant.file)
    if os.path.isfile(named):
        with open(named) as f:
            n = f.read().count(mutant.original)
        if n == 1:
            return mutant.file, None
    hits = []
    for top, dirs, files in os.walk(os.path.join(repo, "tinygraph")):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in files:
            if name.endswith(".py"):
                path = os.path.join(top, name)
                with open(path) as f:
                    hits.extend([os.path.relpath(path, repo)] * f.read().count(mutant.original))
    if len(hits) == 1:
        return hits[0], None
    return None, ("snippet not found" if not hits else "snippet found %d times" % len(hits))


def run_tests(repo, tests, timeout):
    """(status, seconds, last lines of output) of pytest on `tests` in `repo`."""
    tests = [t for t in tests if os.path.exists(os.path.join(repo, t.split("::")[0]))]
    if not tests:
        return "no tests", 0.0, ""
    env = dict(os.environ, PYTHONPATH=repo, HYPOTHESIS_PROFILE=os.environ.get("HYPOTHESIS_PROFILE", "ci"))
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"] + tests
    start = time.time()
    try:
        proc = subprocess.run(cmd, cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=timeout, universal_newlines=True)
    except subprocess.TimeoutExpired:
        return "timeout", time.time() - start, ""
    tail = "\n".join(proc.stdout.strip().splitlines()[-3:])
    if proc.returncode == 0:
        return "passed", time.time() - start, tail
    if proc.returncode in (4, 5):  # usage error / nothing collected
        return "no tests", time.time() - start, tail
    return "failed", time.time() - start, tail


def run_mutant(repo, mutant, timeout):
    where, reason = locate(repo, mutant)
    if where is None:
        return dict(status="stale", where=mutant.file, seconds=0.0, detail=reason)
    tmp = tempfile.mkdtemp(prefix="mutant_%s_" % mutant.id)
    try:
        copy = os.path.join(tmp, "repo")
        shutil.copytree(repo, copy, ignore=_ignore, symlinks=True)
        path = os.path.join(copy, where)
        with open(path) as f:
            text = f.read()
        with open(path, "w") as f:
            f.write(text.replace(mutant.original, mutant.replacement, 1))
        outcome, seconds, tail = run_tests(copy, mutant.tests, timeout)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    status = {"failed": "caught", "timeout": "caught (timeout)", "passed": "MISSED"}.get(outcome, outcome)
    detail = "timed out" if outcome == "timeout" else tail.splitlines()[-1] if tail else ""
    return dict(status=status, where=where, seconds=seconds, detail=detail)


def table(rows, markdown):
    head = ("mutant", "area", "file", "result", "s")
    body = [(m.id, m.area, r["where"].replace("tinygraph/", ""), r["status"], "%.0f" % r["seconds"])
            for m, r in rows]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(row) + " |" for row in body]
        return "\n".join(lines)
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body)]
    fmt = "  ".join("%%-%ds" % w for w in widths)
    return "\n".join([fmt % head, fmt % tuple("-" * w for w in widths)] + [fmt % row for row in body])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-k", dest="select", default="",
                        help="only mutants whose id contains this, or of this area (gradient, kernel, ...)")
    parser.add_argument("-j", dest="jobs", type=int, default=1, help="mutants run in parallel")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per mutant's test run")
    parser.add_argument("--repo", default=ROOT, help="the checkout to mutate (default: this one)")
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    parser.add_argument("--markdown", action="store_true", help="print the table as markdown")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip checking that the tests pass on the unmutated code first")
    args = parser.parse_args(argv)
    mutants = [m for m in MUTANTS if args.select in m.id or args.select == m.area]
    if args.list:
        for m in mutants:
            print("%-34s %-9s %-40s %s" % (m.id, m.area, m.file, " ".join(m.tests)))
        return 0
    repo = os.path.abspath(args.repo)
    if not args.no_baseline:
        tests = sorted({t for m in mutants for t in m.tests})
        outcome, seconds, tail = run_tests(repo, tests, args.timeout * 4)
        print("baseline (unmutated) %s in %.0f s: %s" % (outcome, seconds, tail.splitlines()[-1] if tail else ""))
        if outcome not in ("passed", "no tests"):
            print("the tests fail without any mutant: fix that first")
            return 2
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        futures = [pool.submit(run_mutant, repo, m, args.timeout) for m in mutants]
        rows = []
        for m, fut in zip(mutants, futures):
            r = fut.result()
            rows.append((m, r))
            print("%-34s %-8s %5.0f s  %s" % (m.id, r["status"], r["seconds"], r["detail"]), flush=True)
    print()
    print(table(rows, args.markdown))
    counts = collections.Counter(r["status"] for _, r in rows)
    print("\n%d mutants: %s" % (len(rows), ", ".join("%d %s" % (n, s) for s, n in sorted(counts.items()))))
    caught = sum(n for s, n in counts.items() if s.startswith("caught"))
    return 0 if caught == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
