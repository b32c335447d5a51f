"""GitHub Actions annotations: one workflow command per task that lost points, and the score.

Printed on a step's standard output, each ``::error`` line becomes an
annotation of the run (shown on its summary page and on the commit); a
``::notice`` gives the score. Student text goes through the encoding GitHub
defines for workflow commands (``%``, carriage return and newline in the
message; also ``:`` and ``,`` in a property), so it cannot end a command or
start another one. Feedback of tests not yet visible to students is withheld.
"""

from __future__ import annotations

from autograder.export.findings import TaskFindings, findings, points_phrase, score_line, withheld_phrase
from autograder.export.sanitize import one_line
from autograder.grading.results import GradeReport

_MESSAGE_CHARACTERS = 1000


def to_github_annotations(report: GradeReport) -> str:
    """The report as GitHub workflow commands: errors for lost points, a notice with the score."""
    lines = [_command("error", f"Assignment {report.assignment}: submission problem", error)
             for error in report.errors]
    for task in findings(report):
        if task.task.score < task.task.max_score:
            title = f"{task.task.id}: {score_line(task.task.score, task.task.max_score)} points"
            lines.append(_command("error", title, _what_lost_points(task)))
    total = f"{score_line(report.score, report.max_score)} points"
    lines.append(_command("notice", f"Assignment {report.assignment}", f"Score: {total}"))
    return "\n".join(lines) + "\n"


def _what_lost_points(task: TaskFindings) -> str:
    """The first reason the task lost points that the student may see."""
    if task.task.violations:
        return f"API policy: {task.task.violations[0]} (the task scores 0)"
    if task.shown:
        failure = task.shown[0]
        return f"{failure.test.name}: {failure.summary}"
    if task.unstarted:
        group = task.unstarted[0]
        return (f"not started: {len(group.tests)} tests ({points_phrase(group.max_score)}) "
                f"raised {group.message}")
    if task.withheld:
        return withheld_phrase(task)
    return "see the job summary"


def _command(level: str, title: str, message: str) -> str:
    """``::level title=...::message`` with GitHub's escaping of student text."""
    text = one_line(message)
    if len(text) > _MESSAGE_CHARACTERS:
        text = text[:_MESSAGE_CHARACTERS - 1] + "…"
    return f"::{level} title={_property(one_line(title))}::{_data(text)}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
