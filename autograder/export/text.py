"""The terminal view: a rich table per task, then the feedback of failed tests."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table

from autograder.grading.results import GradeReport

_STATUS_STYLE = {"passed": "green", "failed": "red", "error": "red", "timeout": "yellow",
                 "skipped": "dim"}


def to_text(report: GradeReport, width: int = 100) -> str:
    """The report as plain text with a table; colour only when written to a terminal."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=False, color_system=None)
    table = Table(title=f"Assignment {report.assignment}: {report.submission}")
    table.add_column("task")
    table.add_column("score", justify="right")
    table.add_column("tests", justify="left")
    for task in report.tasks:
        marks = " ".join(test.status for test in task.tests) or "no tests"
        if task.violations:
            marks = f"API policy violated; {marks}"
        table.add_row(task.id, f"{task.score:g} / {task.max_score:g}", marks)
    table.add_section()
    table.add_row("total", f"{report.score:g} / {report.max_score:g}", "")
    console.print(table)
    for error in report.errors:
        console.print(f"Submission problem: {error}", markup=False)
    for task in report.tasks:
        for violation in task.violations:
            console.print(f"[{task.id}] {violation}", markup=False)
        for test in task.tests:
            if test.status in ("passed", "skipped") or report.failed_on_a_submission_problem(test):
                continue
            console.print(f"\n[{task.id}] {test.name}: {test.status}", markup=False)
            console.print(test.feedback, markup=False)
    summary = report.submission_problem_summary()
    if summary:
        console.print(summary, markup=False)
    return buffer.getvalue()
