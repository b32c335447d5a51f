"""Are the nbgrader source notebooks complete, stable, and are their visible tests right?"""

from __future__ import annotations

import sys
import types

import nbformat
import pytest

from autograder.build.cell_ids import answer_cell_id, grading_cell_id
from autograder.nbgrader.course_dir import init_course
from autograder.nbgrader.source_notebook import BEGIN_HIDDEN, HIDDEN_MARK, source_notebook

ASSIGNMENTS = ["01", "02", "03", "04"]


def _nbgrader(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_each_task_has_one_locked_test_cell_worth_its_points(course, layout, assignment_id):
    assignment = course.assignment(assignment_id)
    notebook = source_notebook(assignment, layout)
    tests = {_nbgrader(c)["grade_id"]: c for c in notebook.cells
             if _nbgrader(c).get("grade") and not _nbgrader(c).get("solution")}
    assert set(tests) == {grading_cell_id(task.id) for task in assignment.tasks}
    for task in assignment.tasks:
        cell = tests[grading_cell_id(task.id)]
        assert _nbgrader(cell)["points"] == task.points and _nbgrader(cell)["locked"]
        assert f"{BEGIN_HIDDEN}\n{HIDDEN_MARK}{task.id}\n" in cell.source


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_text_is_read_only_and_each_test_cell_follows_its_solution(course, layout, assignment_id):
    notebook = source_notebook(course.assignment(assignment_id), layout)
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and not _nbgrader(cell).get("solution"):
            assert _nbgrader(cell)["locked"] and _nbgrader(cell)["grade_id"].startswith("text-")
    for before, after in zip(notebook.cells, notebook.cells[1:], strict=False):
        if _nbgrader(before).get("solution") and before.cell_type == "code":
            task = before.metadata["course_task"]
            assert _nbgrader(after)["grade_id"] == grading_cell_id(task)


def test_assignment_04_ends_with_a_written_answer_graded_by_hand(course, layout):
    notebook = source_notebook(course.assignment("04"), layout)
    answer = notebook.cells[-1]
    expected = course.assignment("04").free_response
    assert answer.cell_type == "markdown" and answer.source == expected.model_answer
    assert _nbgrader(answer) == {"grade": True, "grade_id": answer_cell_id("04", expected.id),
                                 "locked": False, "points": expected.points, "schema_version": 3,
                                 "solution": True, "task": False}
    assert "MLP" in notebook.cells[-2].source and _nbgrader(notebook.cells[-2])["locked"]


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_the_visible_tests_pass_on_the_reference_as_a_notebook_runs_them(course, layout, assignment_id,
                                                                          monkeypatch, capsys):
    """Run the code cells in order in a fresh `__main__`, as a kernel would (demos left out)."""
    notebook = source_notebook(course.assignment(assignment_id), layout)
    main = types.ModuleType("__main__")
    monkeypatch.setitem(sys.modules, "__main__", main)
    for cell in notebook.cells:
        demo = "nbgrader" not in cell.metadata and cell.source.lstrip().startswith("if __name__")
        if cell.cell_type == "code" and not demo:
            exec(compile(cell.source, f"<cell {cell.id}>", "exec"), main.__dict__)  # noqa: S102
    printed = capsys.readouterr().out
    with_tests = sum("def _public_tests" in cell.source for cell in notebook.cells)
    assert with_tests > 0 and printed.count(" passed\n") == with_tests


def test_the_graded_module_does_not_run_the_visible_tests(course, layout, tmp_path):
    """The grader imports the notebook's code: the tests sit under `if __name__ == "__main__"`."""
    from autograder.submission import load_submission

    path = tmp_path / "scratch.ipynb"
    nbformat.write(source_notebook(course.assignment("02"), layout), path)
    source = load_submission(path, course.assignment("02")).source
    namespace = {"__name__": "scratch"}
    exec(compile(source, "scratch.py", "exec"), namespace)  # noqa: S102
    assert "_public_tests" not in namespace and "log_softmax" in namespace


def test_building_twice_gives_the_same_files(layout, tmp_path):
    first = init_course(tmp_path, layout, only="02")
    assert {path.name for path in first} == {"nbgrader_config.py", "scratch.ipynb"}
    assert init_course(tmp_path, layout, only="02") == []
