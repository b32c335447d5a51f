"""nbgrader's cell vocabulary, built in one place: grade ids and the ``nbgrader`` metadata.

Ids are derived from task ids and positions, so building a notebook twice
gives the same ids, and the grader can map a cell back to its task.
"""

from __future__ import annotations

NBGRADER_SCHEMA_VERSION = 3


def solution_cell_id(task_id: str) -> str:
    """The grade id of a task's solution cell: '02.log_softmax' -> 'task-02-log_softmax'."""
    return "task-" + task_id.replace(".", "-")


def grading_cell_id(task_id: str) -> str:
    """The grade id of a task's autograded test cell: '02.nll' -> 'test-02-nll'."""
    return "test-" + task_id.replace(".", "-")


def solution_id_of_test_cell(grade_id: str) -> str:
    """The solution cell that a test cell follows: 'test-02-nll' -> 'task-02-nll'."""
    return "task-" + grade_id.removeprefix("test-")


def text_cell_id(assignment_id: str, number: int) -> str:
    """The grade id of the ``number``-th read-only text cell: 'text-02-01'."""
    return f"text-{assignment_id}-{number:02d}"


def answer_cell_id(assignment_id: str, answer_id: str) -> str:
    """The grade id of a written answer: 'answer-04-compare_models'."""
    return f"answer-{assignment_id}-{answer_id}"


def nbgrader_metadata(grade_id: str, *, grade: bool = False, solution: bool = False,
                      locked: bool = False, points: float | None = None,
                      checksum: str | None = None) -> dict:
    """A cell's ``nbgrader`` metadata in nbgrader's schema (version 3)."""
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked,
            "schema_version": NBGRADER_SCHEMA_VERSION, "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    if checksum is not None:
        meta["checksum"] = checksum
    return meta
