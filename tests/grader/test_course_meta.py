"""Meta-tests of the course: every test has a task, every task has tests, stubs are in sync."""

import ast
from pathlib import Path

import pytest

from autograder.build.stubs import stub_source
from tests.course_under_test import COURSE, LAYOUT

ASSIGNMENTS = sorted(COURSE.assignments)


def _task_markers(test_file: Path) -> dict[str, list[str]]:
    """For each test function in a file, the task ids of its @pytest.mark.task markers."""
    tree = ast.parse(test_file.read_text())
    found = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            found[node.name] = [
                decorator.args[0].value
                for decorator in node.decorator_list
                if isinstance(decorator, ast.Call)
                and ast.unparse(decorator.func) == "pytest.mark.task"
                and decorator.args and isinstance(decorator.args[0], ast.Constant)
            ]
    return found


def _tests_by_task(folder: Path) -> dict[str, list[str]]:
    by_task: dict[str, list[str]] = {}
    for test_file in sorted(folder.glob("test_*.py")):
        for test, tasks in _task_markers(test_file).items():
            for task in tasks:
                by_task.setdefault(task, []).append(f"{test_file.name}::{test}")
    return by_task


@pytest.mark.parametrize("kind", ["tests/hidden", "assignments"])
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_test_has_exactly_one_known_task(kind, assignment):
    tasks = {task.id for task in COURSE.assignments[assignment].tasks}
    for test_file in sorted((LAYOUT.root / kind / assignment).glob("test_*.py")):
        for test, markers in _task_markers(test_file).items():
            assert len(markers) == 1, f"{test_file.name}::{test} has task markers {markers}"
            assert markers[0] in tasks, f"{test_file.name}::{test}: {markers[0]} is not in course.yml"


@pytest.mark.parametrize("kind", ["tests/hidden", "assignments"])
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_task_has_tests(kind, assignment):
    by_task = _tests_by_task(LAYOUT.root / kind / assignment)
    missing = [task.id for task in COURSE.assignments[assignment].tasks if task.id not in by_task]
    assert not missing, f"{kind}/{assignment}: no tests for {missing}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_committed_stub_is_what_the_build_writes(assignment):
    chosen = COURSE.assignments[assignment]
    expected = stub_source(LAYOUT.solution(chosen), chosen)
    assert LAYOUT.stub(chosen).read_text() == expected, (
        f"{LAYOUT.stub(chosen)} differs from solutions/{assignment}: run `autograder build {assignment}`"
    )
