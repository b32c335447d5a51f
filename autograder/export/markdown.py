"""Markdown for a GitHub job summary: the score, a table per task, what to fix.

Student text (exception messages, printed values, file names) is escaped or
fenced, so it renders as text: it cannot close a code block, start a heading
or a table, or bring in HTML. Feedback of tests that are not yet visible to
students is withheld.
"""

from __future__ import annotations

from autograder.export.findings import (
    Failure,
    TaskFindings,
    findings,
    points_phrase,
    score_line,
    status_name,
    withheld_phrase,
)
from autograder.export.sanitize import markdown_block, markdown_code, markdown_inline
from autograder.grading.results import GradeReport

_ITEM = "  "  # the indent that keeps a block inside its list item


def to_markdown(report: GradeReport) -> str:
    """The report as Markdown, one section per assignment, so several can share a job summary."""
    tasks = findings(report)
    lines = [
        f"## Assignment {markdown_inline(report.assignment)}: {score_line(report.score, report.max_score)}",
        "",
        "| task | score | tests passed |",
        "| --- | ---: | ---: |",
    ]
    for task in tasks:
        cells = (markdown_code(task.task.id, in_table=True), score_line(task.task.score, task.task.max_score),
                 f"{task.passed} / {task.counted}")
        lines.append(f"| {' | '.join(cells)} |")
    lines.append("")
    for error in report.errors:
        lines += ["**Submission problem:**", "", markdown_block(error), ""]
    summary = report.submission_problem_summary()
    if summary:
        lines += [markdown_inline(summary), ""]
    to_fix = [line for task in tasks for line in _task_section(task)]
    if to_fix:
        lines += ["### What to fix", "", *to_fix]
    skipped = [line for task in tasks for line in _skipped(task)]
    if skipped:
        lines += ["### Skipped", "", *skipped, ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _task_section(task: TaskFindings) -> list[str]:
    """A heading with the task's score, then its violations, failures, unstarted work and hint."""
    if not (task.task.violations or task.failures or task.unstarted):
        return []
    items = [f"- API policy: {markdown_inline(violation)} (the task scores 0)"
             for violation in task.task.violations]
    items += [_failure(failure) for failure in task.shown]
    if task.withheld:
        items.append(f"- {withheld_phrase(task)}.")
    for group in task.unstarted:
        items.append(f"- Not started: {len(group.tests)} tests ({points_phrase(group.max_score)}) "
                     f"raised {markdown_code(group.message)}")
    lines = [f"#### {markdown_code(task.task.id)}: {score_line(task.task.score, task.task.max_score)}",
             "", *items, ""]
    if task.hints and (task.shown or task.unstarted):
        lines += [f"> **Hint:** {markdown_inline(hint)}" for hint in task.hints] + [""]
    return lines


def _failure(failure: Failure) -> str:
    """One list item: the test, its status and points, the first line as text, the rest fenced."""
    test = failure.test
    item = (f"- {markdown_code(test.name)} {status_name(test)} "
            f"({score_line(test.score, test.max_score)} points): {markdown_inline(failure.summary)}")
    if failure.detail.strip():
        item += "\n\n" + markdown_block(failure.detail, indent=_ITEM)
    return item


def _skipped(task: TaskFindings) -> list[str]:
    return [f"- {markdown_code(task.task.id)} {markdown_code(test.name)}: "
            f"{markdown_inline(test.feedback or 'no reason given')}" for test in task.skipped]
