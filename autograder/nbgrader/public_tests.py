"""The public tests of a task, as code a student runs in a notebook cell.

The public tests in ``assignments/NN/test_*.py`` are the visible part of each
autograded test cell, copied rather than rewritten so the two never drift.
Each test keeps its body; only pytest's machinery is replaced: the module
fixture (``scratch``) becomes the notebook itself (``sys.modules["__main__"]``),
``device`` is ``"cpu"``, ``tmp_path`` a fresh folder, and a ``parametrize``
with literal values becomes one call per value. Tests that need anything else
(the MNIST sample, ``pytest.skip``) are named in a comment instead.

The whole cell sits under ``if __name__ == "__main__":`` inside a function, so
it runs in the student's kernel but never when the grader imports the
notebook's code, and it leaves no names behind in the notebook. (Being
indented, a multi-line string literal in a test would gain that indentation;
the public tests have none besides docstrings.)
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass

from autograder.course import Assignment
from autograder.layout import CourseLayout

SIMPLE_FIXTURES = {"device": '"cpu"', "tmp_path": "pathlib.Path(tempfile.mkdtemp())"}
"""Fixtures the notebook can stand in for, and the expression that replaces each."""

_SKIPS = {"skip", "importorskip", "xfail"}


@dataclass(frozen=True)
class TaskTests:
    """The public tests of one task, ready for a notebook cell."""

    code: str
    """The cell's visible code; empty when no test can run outside pytest."""
    runnable: tuple[str, ...]
    """Names of the tests the code runs."""
    left_out: tuple[str, ...]
    """Names of the task's tests that need pytest to run."""


@dataclass(frozen=True)
class _Test:
    node: ast.FunctionDef
    task: str
    calls: tuple[dict[str, str], ...] | None  # keyword sources per call; None: not runnable here


def task_tests(assignment: Assignment, layout: CourseLayout) -> dict[str, TaskTests]:
    """The public tests of every task of an assignment that has any, by task id."""
    found: dict[str, list[tuple[str, ast.Module, _Test]]] = {}
    for path in sorted(layout.public_tests(assignment.id).glob("test_*.py")):
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        for test in _tests_of(tree, assignment.module_name):
            found.setdefault(test.task, []).append((source, tree, test))
    return {task: _render(task, assignment.module_name, entries) for task, entries in found.items()}


def _tests_of(tree: ast.Module, fixture: str) -> list[_Test]:
    tests = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            task = _task_marker(node)
            if task:
                tests.append(_Test(node, task, _calls(node, fixture)))
    return tests


def _task_marker(node: ast.FunctionDef) -> str | None:
    for decorator in node.decorator_list:
        if isinstance(decorator, ast.Call) and _dotted(decorator.func) == "pytest.mark.task":
            first = decorator.args[0] if decorator.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                return first.value
    return None


def _calls(node: ast.FunctionDef, fixture: str) -> tuple[dict[str, str], ...] | None:
    """The keyword arguments of each call that runs the test, or None if it needs pytest."""
    if any(_dotted(n) in {f"pytest.{name}" for name in _SKIPS} for n in ast.walk(node)):
        return None
    parametrized: list[dict[str, str]] = [{}]
    for decorator in node.decorator_list:
        name = _dotted(decorator.func) if isinstance(decorator, ast.Call) else _dotted(decorator)
        if name == "pytest.mark.task":
            continue
        if name != "pytest.mark.parametrize" or parametrized != [{}]:
            return None
        parametrized = _parametrize(decorator)
        if parametrized is None:
            return None
    params = [arg.arg for arg in node.args.args]
    if node.args.vararg or node.args.kwarg or node.args.kwonlyargs or node.args.defaults:
        return None
    fixed = {fixture: fixture, **SIMPLE_FIXTURES}
    calls = []
    for values in parametrized:
        if any(param not in fixed and param not in values for param in params):
            return None
        calls.append({param: values.get(param, fixed.get(param)) for param in params})
    return tuple(calls)


def _parametrize(decorator: ast.Call) -> list[dict[str, str]] | None:
    """One keyword mapping per case of a literal ``parametrize``; None if not literal."""
    if len(decorator.args) != 2 or decorator.keywords:
        return None
    try:
        names = ast.literal_eval(decorator.args[0])
        cases = ast.literal_eval(decorator.args[1])
    except ValueError:
        return None
    if isinstance(names, str):
        names = [name.strip() for name in names.split(",")]
    if len(names) == 1:
        cases = [(case,) for case in cases]
    if any(len(case) != len(names) for case in cases):
        return None
    return [{name: repr(value) for name, value in zip(names, case, strict=True)} for case in cases]


def _render(task: str, fixture: str, entries: list[tuple[str, ast.Module, _Test]]) -> TaskTests:
    runnable = [(source, tree, test) for source, tree, test in entries if test.calls is not None]
    left_out = tuple(test.node.name for _, _, test in entries if test.calls is None)
    if not runnable:
        return TaskTests("", (), left_out)
    sources = {source: tree for source, tree, _ in runnable}
    uses_tmp_path = any("tmp_path" in call for _, _, test in runnable for call in test.calls)
    body = ["import sys"] + ["import pathlib", "import tempfile"] * uses_tmp_path
    for source, tree in sources.items():
        for statement in tree.body:
            if isinstance(statement, ast.Import | ast.ImportFrom):
                text = ast.get_source_segment(source, statement)
                if text not in body:
                    body.append(text)
    body += ["", f'{fixture} = sys.modules["__main__"]  # this notebook, as the tests see it']
    for source, tree in sources.items():
        tests = [test for src, _, test in runnable if src == source]
        for statement in _support(tree, tests):
            body += ["", ast.get_source_segment(source, statement)]
    for source, _, test in runnable:
        body += ["", ast.get_source_segment(source, test.node)]
    body.append("")
    names = []
    for _, _, test in runnable:
        names.append(test.node.name)
        for call in test.calls:
            arguments = ", ".join(f"{name}={value}" for name, value in call.items())
            body.append(f"{test.node.name}({arguments})")
    count = len(names)
    body.append(f'print("Task {task}: {count} public test{"s" * (count != 1)} passed")')
    function = "def _public_tests():\n" + textwrap.indent("\n".join(body), "    ", _nonblank)
    code = "if __name__ == \"__main__\":\n\n" + textwrap.indent(function + "\n\n_public_tests()", "    ",
                                                            _nonblank)
    return TaskTests(code, tuple(names), left_out)


def _support(tree: ast.Module, tests: list[_Test]) -> list[ast.stmt]:
    """The module-level helpers, classes and constants the tests need, in file order."""
    defined: dict[str, ast.stmt] = {}
    for statement in tree.body:
        for name in _defines(statement):
            if not name.startswith("test_"):
                defined[name] = statement
    needed: set[int] = set()
    frontier = [test.node for test in tests]
    while frontier:
        node = frontier.pop()
        for name in {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}:
            statement = defined.get(name)
            if statement is not None and id(statement) not in needed:
                needed.add(id(statement))
                frontier.append(statement)
    return [statement for statement in tree.body if id(statement) in needed]


def _defines(statement: ast.stmt) -> list[str]:
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return [statement.name]
    if isinstance(statement, ast.Assign):
        return [n.id for target in statement.targets for n in ast.walk(target) if isinstance(n, ast.Name)]
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return [statement.target.id]
    return []


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else ""
    return ""


def _nonblank(line: str) -> bool:
    return bool(line.strip())
