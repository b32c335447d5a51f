"""The terminal view: a table of points per task, then per task which tests failed and why."""

from __future__ import annotations

import io

from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from autograder.export.findings import TaskFindings, findings, points_phrase, score_line, status_name
from autograder.export.sanitize import plain
from autograder.grading.results import GradeReport

_INDENT = 4


def to_text(report: GradeReport, width: int = 100) -> str:
    """The report as plain text: no colour and no escape sequence, whatever the submission printed."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=False, color_system=None,
                      highlight=False, emoji=False, markup=False)
    tasks = findings(report)
    console.print(_table(report, tasks))
    for error in report.errors:
        _say(console, f"Submission problem: {error}")
    summary = report.submission_problem_summary()
    if summary:
        _say(console, summary)
    for task in tasks:
        _print_task(console, task)
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def _table(report: GradeReport, tasks: tuple[TaskFindings, ...]) -> Table:
    table = Table(title=Text(plain(f"Assignment {report.assignment}: {report.submission}")))
    table.add_column("task")
    table.add_column("score", justify="right")
    table.add_column("tests", justify="left")
    for task in tasks:
        summary = f"{task.passed} of {task.counted} passed" if task.task.tests else "no tests"
        if task.skipped:
            summary += f", {len(task.skipped)} skipped"
        if task.task.violations:
            summary = f"API policy violated; {summary}"
        table.add_row(task.task.id, score_line(task.task.score, task.task.max_score), summary)
    table.add_section()
    table.add_row("total", score_line(report.score, report.max_score), "")
    return table


def _print_task(console: Console, task: TaskFindings) -> None:
    """The task's violations, failed tests with their feedback, unstarted work, skips, hint."""
    if not (task.task.violations or task.failures or task.unstarted or task.skipped):
        return
    console.print()
    _say(console, f"{task.task.id}: {score_line(task.task.score, task.task.max_score)}")
    for violation in task.task.violations:
        _say(console, f"API policy: {violation} (the task scores 0)", _INDENT)
    for failure in task.failures:
        test = failure.test
        _say(console, f"{status_name(test)}: {test.name} ({score_line(test.score, test.max_score)} points)",
             _INDENT)
        _say(console, "\n".join(filter(None, (failure.summary, failure.detail))), 2 * _INDENT)
    for group in task.unstarted:
        _say(console, f"not started: {len(group.tests)} tests ({points_phrase(group.max_score)}) "
                      f"raised {group.message}", _INDENT)
    for test in task.skipped:
        _say(console, f"skipped: {test.name}: {test.feedback or 'no reason given'}", _INDENT)
    for hint in task.hints:
        _say(console, f"Hint: {hint}", _INDENT)


def _say(console: Console, text: str, indent: int = 0) -> None:
    """Print student-controlled text as text, wrapped under its indent."""
    console.print(Padding(Text(plain(text)), (0, 0, 0, indent), expand=False))
