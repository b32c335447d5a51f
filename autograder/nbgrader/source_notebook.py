"""The nbgrader source notebook of an assignment, built from ``solutions/NN/<module>.py``.

jupytext reads the reference solution (the same reader as the stubs), then:

- every markdown cell becomes a read-only cell (nbgrader restores it if edited);
- every solution region becomes an nbgrader solution cell, keyed by its task
  (:func:`autograder.build.solution_cells.mark_solution_cells`);
- after each solution cell comes one autograded test cell worth the task's
  points in course.yml. Its visible part is the task's public tests
  (:mod:`autograder.nbgrader.public_tests`); its hidden part, between
  nbgrader's ``### BEGIN HIDDEN TESTS`` markers, only names the task, because
  the hidden tests live in ``tests/hidden`` and run in the course autograder
  (:mod:`autograder.nbgrader.grade_with_autograder`), never in the notebook;
- an assignment with a ``free_response`` in course.yml ends with a manually
  graded written answer.

Cell ids and grade ids are derived from the content's position and task ids,
so building twice gives the same notebook byte for byte.
"""

from __future__ import annotations

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell

from autograder.build.cell_ids import answer_cell_id, grading_cell_id, nbgrader_metadata, text_cell_id
from autograder.build.solution_cells import mark_solution_cells, read_solution_notebook
from autograder.course import Assignment, FreeResponse, Task
from autograder.layout import CourseLayout
from autograder.nbgrader.public_tests import TaskTests, task_tests

BEGIN_HIDDEN = "### BEGIN HIDDEN TESTS"
END_HIDDEN = "### END HIDDEN TESTS"
HIDDEN_MARK = "# graded by the course autograder: task "
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def source_notebook(assignment: Assignment, layout: CourseLayout) -> NotebookNode:
    """The nbgrader source notebook of one assignment."""
    path = layout.solution(assignment)
    notebook = read_solution_notebook(path)
    for cell in notebook.cells:
        cell.metadata = NotebookNode()  # drop jupytext's layout hints
    mark_solution_cells(notebook, assignment, path)
    public = task_tests(assignment, layout)
    cells, placed = [], set()
    for cell in notebook.cells:
        cells.append(_read_only(cell) if cell.cell_type == "markdown" else cell)
        task_id = cell.metadata.get("course_task")
        if task_id and task_id not in placed:
            placed.add(task_id)
            cells.append(_test_cell(assignment.task(task_id), public.get(task_id)))
    for task in assignment.tasks:
        if task.id not in placed:  # a task without a solution cell still counts its points
            cells.append(_test_cell(task, public.get(task.id)))
    if assignment.free_response is not None:
        cells += _free_response(assignment.id, assignment.free_response)
    notebook.cells = cells
    _number_cells(notebook, assignment)
    notebook.metadata = NotebookNode(kernelspec=KERNELSPEC, language_info={"name": "python"})
    nbformat.validate(notebook)
    return notebook


def _read_only(cell: NotebookNode) -> NotebookNode:
    cell.metadata["nbgrader"] = nbgrader_metadata("", locked=True)  # grade id set by _number_cells
    return cell


def _test_cell(task: Task, public: TaskTests | None) -> NotebookNode:
    points = f"{task.points:g} point{'s' * (task.points != 1)}"
    lines = [
        f"# Task {task.id} ({points}): its public tests. Run this cell to check your work.",
        "# Your grade comes from hidden tests that the course autograder runs on your code,",
        "# not from this cell: editing or deleting it changes nothing.",
    ]
    if public and public.code:
        lines.append(public.code)
    if public and public.left_out:
        lines.append(f"# More public tests of this task need pytest: {', '.join(public.left_out)}")
    lines += [BEGIN_HIDDEN, HIDDEN_MARK + task.id, END_HIDDEN]
    cell = new_code_cell("\n".join(lines))
    cell.metadata["nbgrader"] = nbgrader_metadata(grading_cell_id(task.id), grade=True, locked=True,
                                                   points=task.points)
    cell.metadata["course_task"] = task.id
    return cell


def _free_response(assignment_id: str, answer: FreeResponse) -> list[NotebookNode]:
    prompt = _read_only(new_markdown_cell(answer.prompt))
    cell = new_markdown_cell(answer.model_answer)
    cell.metadata["nbgrader"] = nbgrader_metadata(answer_cell_id(assignment_id, answer.id), grade=True,
                                                  solution=True, points=answer.points)
    return [prompt, cell]


def _number_cells(notebook: NotebookNode, assignment: Assignment) -> None:
    """Stable cell ids, and grade ids for the read-only text cells."""
    counters = {"markdown": 0, "code": 0, "raw": 0}
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader")
        if meta is not None and meta["grade_id"] == "":
            counters["markdown"] += 1
            meta["grade_id"] = text_cell_id(assignment.id, counters["markdown"])
        if meta is not None:
            cell.id = meta["grade_id"]
        else:
            counters[cell.cell_type] += 1
            cell.id = f"{cell.cell_type}-{assignment.id}-{counters[cell.cell_type]:02d}"
