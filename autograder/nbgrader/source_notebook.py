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
- assignments listed in :data:`FREE_RESPONSES` end with a manually graded
  written answer.

Cell ids and grade ids are derived from the content's position and task ids,
so building twice gives the same notebook byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell

from autograder.build.solution_cells import mark_solution_cells, read_solution_notebook
from autograder.build.stubs import solution_path
from autograder.course import PROJECT_ROOT, Assignment, Task
from autograder.nbgrader.public_tests import TaskTests, task_tests

BEGIN_HIDDEN = "### BEGIN HIDDEN TESTS"
END_HIDDEN = "### END HIDDEN TESTS"
HIDDEN_MARK = "# graded by the course autograder: task "
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


@dataclass(frozen=True)
class FreeResponse:
    """A written answer graded by hand in nbgrader's formgrader."""

    grade_id: str
    """nbgrader's id of the answer cell."""
    points: float
    """What the answer is worth."""
    prompt: str
    """The question, as Markdown."""
    model_answer: str
    """The instructor's answer; nbgrader replaces it by "YOUR ANSWER HERE" in the release."""


FREE_RESPONSES: dict[str, FreeResponse] = {
    "04": FreeResponse(
        grade_id="answer-04-compare_models",
        points=2,
        prompt=(
            "## Free response: four models, one recipe\n\n"
            "Compare the linear regression (`MLR`), the logistic regression (`LR`), the MLPs "
            "(`MLPR`, `MLPC`) and the autoencoder (`AE`) you built. What do they share (layers, "
            "loss, training loop, data), and how do they differ (what they predict, their output "
            "layer, what the targets are, how they are evaluated)? A few sentences for each "
            "point are enough; this answer is graded by hand."
        ),
        model_answer=(
            "All five are `nn.Module`s built from `nn.Linear` layers, trained by the same loop: "
            "mean squared error, SGD over shuffled mini-batches, on the same odd/even split of "
            "iris. They differ in what they map to what. `MLR` is one linear layer predicting a "
            "number (petal width); `LR` puts a sigmoid on one linear layer to output class "
            "probabilities. The MLPs add a sigmoid hidden layer, so they can bend the decision "
            "surface: `MLPR` keeps a linear output for regression, `MLPC` a sigmoid output for "
            "classification. The autoencoder is an MLP whose target is its own input: its narrow "
            "hidden layer is a learned 2-d projection of the flowers. Regression is judged by MSE "
            "and R^2, classification by accuracy and the confusion matrix, the autoencoder by its "
            "reconstruction error."
        ),
    ),
}
"""Manually graded answers per assignment (course.yml has no field for them yet)."""


def grading_cell_id(task_id: str) -> str:
    """The grade id of a task's autograded test cell: '02.nll' -> 'test-02-nll'."""
    return "test-" + task_id.replace(".", "-")


def source_notebook(assignment: Assignment, root: Path = PROJECT_ROOT) -> NotebookNode:
    """The nbgrader source notebook of one assignment."""
    path = solution_path(assignment, root)
    notebook = read_solution_notebook(path)
    for cell in notebook.cells:
        cell.metadata = NotebookNode()  # drop jupytext's layout hints
    mark_solution_cells(notebook, assignment, path)
    public = task_tests(assignment, root)
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
    if assignment.id in FREE_RESPONSES:
        cells += _free_response(FREE_RESPONSES[assignment.id])
    notebook.cells = cells
    _number_cells(notebook, assignment)
    notebook.metadata = NotebookNode(kernelspec=KERNELSPEC, language_info={"name": "python"})
    nbformat.validate(notebook)
    return notebook


def _nbgrader(grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = False,
              points: float | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return meta


def _read_only(cell: NotebookNode) -> NotebookNode:
    cell.metadata["nbgrader"] = _nbgrader("", locked=True)  # grade id set by _number_cells
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
    cell.metadata["nbgrader"] = _nbgrader(grading_cell_id(task.id), grade=True, locked=True,
                                          points=task.points)
    cell.metadata["course_task"] = task.id
    return cell


def _free_response(answer: FreeResponse) -> list[NotebookNode]:
    prompt = _read_only(new_markdown_cell(answer.prompt))
    cell = new_markdown_cell(answer.model_answer)
    cell.metadata["nbgrader"] = _nbgrader(answer.grade_id, grade=True, solution=True,
                                          points=answer.points)
    return [prompt, cell]


def _number_cells(notebook: NotebookNode, assignment: Assignment) -> None:
    """Stable cell ids, and grade ids for the read-only text cells."""
    counters = {"markdown": 0, "code": 0, "raw": 0}
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader")
        if meta is not None and meta["grade_id"] == "":
            counters["markdown"] += 1
            meta["grade_id"] = f"text-{assignment.id}-{counters['markdown']:02d}"
        if meta is not None:
            cell.id = meta["grade_id"]
        else:
            counters[cell.cell_type] += 1
            cell.id = f"{cell.cell_type}-{assignment.id}-{counters[cell.cell_type]:02d}"
