"""Markdown for a GitHub job summary: the score, a table per task, what to fix."""

from __future__ import annotations

from autograder.grading.results import GradeReport

_SHOWN_TO_STUDENTS = {"visible"}


def to_markdown(report: GradeReport) -> str:
    """The report as Markdown; feedback of tests that are not visible is withheld."""
    lines = [
        f"## Assignment {report.assignment}: {report.score:g} / {report.max_score:g}",
        "",
        "| task | score | tests passed |",
        "| --- | ---: | ---: |",
    ]
    for task in report.tasks:
        counted = [test for test in task.tests if test.status != "skipped"]
        passed = sum(test.status == "passed" for test in counted)
        lines.append(f"| `{task.id}` | {task.score:g} / {task.max_score:g} | {passed} / {len(counted)} |")
    lines.append("")
    for error in report.errors:
        lines.append(f"> **{error}**")
    problems = _problems(report)
    if problems:
        lines += ["", "### What to fix", ""] + problems
    return "\n".join(lines) + "\n"


def _problems(report: GradeReport) -> list[str]:
    lines = []
    for task in report.tasks:
        for violation in task.violations:
            lines.append(f"- `{task.id}`: {violation}")
        for test in task.tests:
            if test.status in ("passed", "skipped") or report.failed_on_a_submission_problem(test):
                continue
            if test.visibility not in _SHOWN_TO_STUDENTS:
                lines.append(f"- `{task.id}` ({test.status}): details are released later")
                continue
            feedback = test.feedback.replace("\n", "\n  ")
            lines.append(f"- `{task.id}` {test.name} ({test.status}):\n  ```\n  {feedback}\n  ```")
    summary = report.submission_problem_summary()
    if summary:
        lines.append(f"- {summary}")
    return lines
