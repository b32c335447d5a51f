"""The feedback text of one task, as written into its test cell for nbgrader's HTML feedback.

It names the task's points, each hidden test's outcome and, for a failure, the
grader's explanation (expected vs got, a hint), never a hidden test's source.
Tests whose visibility is ``hidden`` show their outcome but not their details.
Student text loses escape sequences and control characters on the way.
"""

from __future__ import annotations

import textwrap

from autograder.export.sanitize import plain
from autograder.grading.results import GradeReport, TaskScore

_DETAILS_SHOWN = {"visible", "after_due_date", "after_published"}


def task_feedback(report: GradeReport, task: TaskScore, points: float, module_file: str) -> str:
    """What the student reads under a task's test cell.

    Args:
        report: the grade of the whole notebook.
        task: the task of the cell.
        points: what the cell is worth in nbgrader.
        module_file: the module the notebook's code becomes, e.g. ``scratch.py``.
    """
    score = scaled_score(task, points)
    lines = [f"Task {task.id}: {score:g} / {points:g} points (course autograder, hidden tests)"]
    for error in report.errors:
        lines.append(f"  The submission could not be graded: {error}")
    for violation in task.violations:
        lines.append(f"  API policy: {violation} (the task scores 0)")
    shown = ""
    for test in task.tests:
        lines.append(f"  {test.status:<8}{test.name}")
        if test.status in ("passed", "skipped") or not test.feedback:
            continue
        if test.visibility not in _DETAILS_SHOWN:
            lines.append(" " * 10 + "(details are released later)")
        elif test.feedback == shown:
            lines.append(" " * 10 + "(the same as above)")
        else:
            shown = test.feedback
            lines.append(textwrap.indent(test.feedback.rstrip(), " " * 10))
    if not task.tests:
        lines.append("  no hidden tests ran for this task")
    if report.errors or any(test.status != "passed" for test in task.tests):
        lines.append(f"({module_file} is the code cells of your notebook, joined in order.)")
    return plain("\n".join(lines)) + "\n"


def scaled_score(task: TaskScore, points: float) -> float:
    """The task's score on the cell's scale, within [0, points].

    The two scales differ only if course.yml's points changed after
    ``nbgrader generate_assignment`` recorded the cell's points.
    """
    if task.max_score <= 0:
        return 0.0
    score = task.score if task.max_score == points else task.score * points / task.max_score
    return min(max(score, 0.0), points)
