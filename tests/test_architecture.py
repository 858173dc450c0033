"""The package's layering, checked from its source: no import cycles between tinygraph
modules, no imports of tinygraph modules inside functions (the way cycles get hidden),
and modules of a readable size.

Every module under tinygraph/ is parsed with `ast`; imports at any depth count, relative
imports are resolved, and `from pkg import name` points at the module `pkg.name` when
there is one, else at `pkg` itself.
"""
import ast
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = os.path.join(ROOT, "tinygraph")
MAX_MODULE_LINES = 900

# Files that may still import tinygraph modules inside functions, each with why. Each
# entry must still need it (the test fails on a stale entry), so the list only shrinks.
FUNCTION_IMPORT_ALLOWED = {}


def _modules():
    """{module name: (path relative to ROOT, is package, source)} for tinygraph/**/*.py."""
    mods = {}
    for d, _, files in os.walk(PACKAGE):
        for f in sorted(files):
            if not f.endswith(".py"):
                continue
            path = os.path.join(d, f)
            rel = os.path.relpath(path, ROOT)
            name = rel[:-3].replace(os.sep, ".")
            is_pkg = f == "__init__.py"
            if is_pkg:
                name = name[:-len(".__init__")]
            with open(path, encoding="utf-8") as fh:
                mods[name] = (rel.replace(os.sep, "/"), is_pkg, fh.read())
    return mods


MODULES = _modules()


def _resolve(module, is_pkg, level, target):
    """The absolute name of `from <level dots><target> import ...` written in `module`."""
    if level == 0:
        return target
    base = module.split(".") if is_pkg else module.split(".")[:-1]
    if level > 1:
        base = base[:len(base) - (level - 1)]
    return ".".join(base + ([target] if target else []))


def _imports(module):
    """(imported tinygraph module, line, inside a function or class) for each import."""
    _, is_pkg, source = MODULES[module]
    found = []

    def visit(node, nested):
        for child in ast.iter_child_nodes(node):
            inner = nested or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                 ast.Lambda, ast.ClassDef))
            if isinstance(child, ast.Import):
                for alias in child.names:
                    found.append((alias.name, child.lineno, nested))
            elif isinstance(child, ast.ImportFrom):
                base = _resolve(module, is_pkg, child.level, child.module or "")
                for alias in child.names:
                    sub = base + "." + alias.name
                    found.append((sub if sub in MODULES else base, child.lineno, nested))
            visit(child, inner)

    visit(ast.parse(source), False)
    return [(t, line, nested) for t, line, nested in found if t in MODULES and t != module]


IMPORTS = {m: _imports(m) for m in MODULES}


def _cycles():
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    graph = {m: sorted({t for t, _, _ in IMPORTS[m]}) for m in MODULES}
    index, low, stack, on_stack, sccs = {}, {}, [], set(), []

    def connect(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                sccs.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return sccs


def test_the_checker_sees_the_package():
    assert len(MODULES) > 50
    assert "tinygraph.ops.math_ops" in MODULES and MODULES["tinygraph.ops"][1]
    # relative imports resolve: graph.py's `from .registry import get_op_def`
    assert "tinygraph.framework.registry" in {t for t, _, _ in IMPORTS["tinygraph.framework.graph"]}
    # `from ..ops import array_ops` points at the module, not at the package
    assert "tinygraph.ops.array_ops" in {t for t, _, _ in IMPORTS["tinygraph.gradients"]}


def test_resolve_relative_imports():
    assert _resolve("tinygraph.ops.nn_ops", False, 1, "math_ops") == "tinygraph.ops.math_ops"
    assert _resolve("tinygraph.ops.nn_ops", False, 2, "framework") == "tinygraph.framework"
    assert _resolve("tinygraph.ops", True, 1, "") == "tinygraph.ops"
    assert _resolve("tinygraph.summary", True, 2, "backend") == "tinygraph.backend"


def test_no_import_cycles():
    cycles = _cycles()
    assert not cycles, "import cycles: " + "; ".join(" <-> ".join(c) for c in cycles)


def test_no_function_level_imports_of_tinygraph_modules():
    by_file = {}
    for m, imports in IMPORTS.items():
        for target, line, nested in imports:
            if nested:
                by_file.setdefault(MODULES[m][0], []).append("%d: %s" % (line, target))
    offending = {f: v for f, v in by_file.items() if f not in FUNCTION_IMPORT_ALLOWED}
    assert not offending, "imports inside functions (move the code to the right layer): %s" % offending
    stale = sorted(set(FUNCTION_IMPORT_ALLOWED) - set(by_file))
    assert not stale, "no function-level imports left in %s: remove them from the allow-list" % stale


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_are_of_a_readable_size(name):
    path, _, source = MODULES[name]
    n = source.count("\n")
    assert n <= MAX_MODULE_LINES, "%s has %d lines (at most %d)" % (path, n, MAX_MODULE_LINES)
