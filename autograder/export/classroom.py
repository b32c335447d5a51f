"""GitHub Classroom's test-runner result: the JSON its autograding reporter reads.

GitHub Classroom's workflow ends with ``classroom-resources/autograding-grading-reporter``,
which reads, for each runner step named in its ``runners`` input, the environment
variable ``<STEP ID>_RESULTS``: this document, base64-encoded (the step's
``result`` output, as Classroom's own graders write it). The reporter adds
``max_score`` of the document and the ``score`` of every entry of ``tests``,
and sends ``Points total/max`` to Classroom.

Each task is one entry, with the points it earned. Top-level ``status`` decides
whether the reporter fails the job: it is ``pass`` whenever the submission was
graded, whatever its score, because failing under a threshold is the
instructor's choice (``grade --fail-under``), made by the grading step. The
platform's fallback for a grader that could not run writes ``error``.
Messages respect test visibility, as the Markdown summary does.
"""

from __future__ import annotations

import json

from autograder.export.findings import TaskFindings, findings, points_phrase, score_line, withheld_phrase
from autograder.export.sanitize import one_line
from autograder.grading.results import GradeReport

RESULT_VERSION = 1
"""The version of the result format that Classroom's own graders write."""
_MESSAGE_CHARACTERS = 1000


def to_classroom(report: GradeReport) -> str:
    """The report as a GitHub Classroom runner result (JSON, before base64)."""
    problems = [one_line(error) for error in report.errors]
    document = {
        "version": RESULT_VERSION,
        "status": "pass",
        "max_score": report.max_score,
        "tests": [_task_entry(task, problems) for task in findings(report)],
    }
    return json.dumps(document, indent=2) + "\n"


def _task_entry(task: TaskFindings, problems: list[str]) -> dict:
    score = task.task
    complete = score.score >= score.max_score
    return {
        "name": f"{score.id} ({points_phrase(score.max_score)})",
        "status": "pass" if complete else "fail",
        "score": score.score,
        "message": "" if complete else _message(task, problems),
        "test_code": "",
        "filename": "",
        "line_no": 0,
        "execution_time": f"{sum(test.duration_s for test in score.tests):.2f}s",
    }


def _message(task: TaskFindings, problems: list[str]) -> str:
    """What lost the points, one line each, as far as the student may see it."""
    lines = [f"{score_line(task.task.score, task.task.max_score)} points"]
    lines += [f"API policy: {one_line(violation)}" for violation in task.task.violations]
    lines += problems
    lines += [f"{one_line(failure.test.name)}: {one_line(failure.summary)}" for failure in task.shown]
    if task.withheld:
        lines.append(withheld_phrase(task))
    lines += [f"not started: {one_line(group.message)}" for group in task.unstarted]
    text = "\n".join(lines)
    return text if len(text) <= _MESSAGE_CHARACTERS else text[:_MESSAGE_CHARACTERS - 1] + "…"
