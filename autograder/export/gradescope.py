"""Gradescope's results.json, as its autograder specification describes it.

Every test carries its score, points, status, a ``number`` (task.test, in
course.yml order), its visibility and Markdown output; the top level carries
the score, the run time, an overview in Markdown and, in ``extra_data``, the
points per task. Gradescope knows only passed and failed: errors and timeouts
are failed, with the exact status in the test's ``extra_data`` and ``tags``.
Skipped tests (no GPU) are left out, keeping the numbers of the others.
"""

from __future__ import annotations

import json

from autograder.export.findings import score_line, split_hint, status_name
from autograder.export.sanitize import markdown_block, markdown_code, markdown_inline, one_line
from autograder.grading.results import GradeReport, TaskScore, TestResult


def to_gradescope(report: GradeReport) -> str:
    """The report in Gradescope's autograder results format."""
    tests = []
    for task_number, task in enumerate(report.tasks, start=1):
        tests += _task_tests(task, task_number)
    document = {
        "score": report.score,
        "execution_time": round(report.duration_s),
        "output": _overview(report),
        "output_format": "md",
        "test_output_format": "md",
        "test_name_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "extra_data": _totals(report),
        "tests": tests,
    }
    return json.dumps(document, indent=2) + "\n"


def _task_tests(task: TaskScore, task_number: int) -> list[dict]:
    """The task's tests, then one failed entry per API-policy violation."""
    entries = []
    for number, test in enumerate(task.tests, start=1):
        if status_name(test) != "skipped":
            entries.append(_test_entry(task, test, f"{task_number}.{number}"))
    for offset, violation in enumerate(task.violations, start=len(task.tests) + 1):
        entries.append({
            "name": f"{task.id}: API policy",
            "name_format": "text",
            "number": f"{task_number}.{offset}",
            "score": 0,
            "max_score": 0,
            "status": "failed",
            "output": f"{markdown_inline(violation)}\n\nThe task scores 0.",
            "output_format": "md",
            "tags": [task.id, "policy"],
            "visibility": "visible",
            "extra_data": {"task": task.id, "status": "policy"},
        })
    return entries


def _test_entry(task: TaskScore, test: TestResult, number: str) -> dict:
    """One test; in a task that broke the API policy it earns nothing, as its task does."""
    status = status_name(test)
    output = _feedback(test)
    if task.violations:
        output = "\n\n".join(filter(None, ("The task broke the API policy and scores 0.", output)))
    return {
        "name": f"{task.id}: {one_line(test.name)}",
        "name_format": "text",
        "number": number,
        "score": 0 if task.violations else test.score,
        "max_score": test.max_score,
        "status": "passed" if status == "passed" else "failed",
        "output": output,
        "output_format": "md",
        "tags": [task.id, status],
        "visibility": test.visibility.value,
        "extra_data": {"task": task.id, "status": status, "duration_s": test.duration_s},
    }


def _feedback(test: TestResult) -> str:
    """The first line as escaped text (it wraps), the rest fenced, the hint last."""
    body, hint = split_hint(test.feedback)
    summary, _, detail = body.partition("\n")
    parts = [markdown_inline(summary)] if summary.strip() else []
    if detail.strip():
        parts.append(markdown_block(detail))
    if hint:
        parts.append(f"**Hint:** {markdown_inline(hint)}")
    return "\n\n".join(parts)


def _overview(report: GradeReport) -> str:
    """The submission-wide problems and the score per task, in Markdown."""
    parts = [f"**Submission problem:**\n\n{markdown_block(error)}" for error in report.errors]
    summary = report.submission_problem_summary()
    if summary:
        parts.append(markdown_inline(summary))
    parts.append("\n".join(f"- {markdown_code(task.id)}: {score_line(task.score, task.max_score)}"
                           for task in report.tasks))
    return "\n\n".join(part for part in parts if part)


def _totals(report: GradeReport) -> dict:
    """Our per-task totals, kept by Gradescope with the submission."""
    return {
        "assignment": report.assignment,
        "max_score": report.max_score,
        "version": report.version,
        "tasks": [
            {"id": task.id, "score": task.score, "max_score": task.max_score,
             "violations": [one_line(violation) for violation in task.violations]}
            for task in report.tasks
        ],
    }
