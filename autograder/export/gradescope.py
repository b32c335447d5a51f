"""Gradescope's results.json: a score, and one entry per test with its visibility."""

from __future__ import annotations

import json

from autograder.grading.results import GradeReport


def to_gradescope(report: GradeReport) -> str:
    """The report in Gradescope's autograder results format.

    Gradescope knows only passed and failed; errors and timeouts are failed,
    with their feedback in ``output``. Skipped tests (no GPU) are left out.
    """
    tests = []
    for task in report.tasks:
        for number, test in enumerate(task.tests, start=1):
            if test.status == "skipped":
                continue
            tests.append(
                {
                    "name": f"{task.id}: {test.name}",
                    "number": f"{task.id}.{number}",
                    "score": test.score,
                    "max_score": test.max_score,
                    "status": "passed" if test.status == "passed" else "failed",
                    "output": test.feedback,
                    "tags": [task.id],
                    "visibility": test.visibility,
                }
            )
        for violation in task.violations:
            tests.append(
                {
                    "name": f"{task.id}: API policy",
                    "score": 0,
                    "max_score": 0,
                    "status": "failed",
                    "output": violation,
                    "visibility": "visible",
                }
            )
    document = {
        "score": report.score,
        "execution_time": round(report.duration_s),
        "output": "\n".join(report.errors),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }
    return json.dumps(document, indent=2) + "\n"
