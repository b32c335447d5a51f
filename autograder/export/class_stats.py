"""The numbers of a class report, computed from the finished reports alone.

Pure functions over a list of :class:`~autograder.grading.results.GradeReport`
and each one's :class:`~autograder.grading.results.Lateness`; the HTML page
(:mod:`autograder.export.class_report`) only lays them out.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from dataclasses import dataclass

from autograder.export.sanitize import one_line
from autograder.grading.results import ON_TIME, GradeReport, Lateness
from autograder.vocabulary import Status

_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?", re.IGNORECASE)
_TOP = 10
_TAILS = ("Failing test case:", "Hint:", "Falsifying example:")
_GIST_CHARS = 300


@dataclass(frozen=True)
class TaskStats:
    """How the class did on one task."""

    id: str
    description: str
    max_score: float
    mean: float
    """Mean points earned."""
    full_marks: float
    """Share of submissions with all the task's points, in [0, 1]."""


@dataclass(frozen=True)
class TestStats:
    """How often one hidden test passed, among the submissions it could run against."""

    __test__ = False

    task: str
    name: str
    passed: int
    ran: int
    """Submissions it ran against, not counting those that failed it only on a submission problem."""

    @property
    def pass_rate(self) -> float:
        """Share of runs that passed; 0 when it never ran."""
        return self.passed / self.ran if self.ran else 0.0


@dataclass(frozen=True)
class FailureStats:
    """One failure message (numbers aside) and the students who met it."""

    message: str
    """The first time it was seen, on one line."""
    students: tuple[str, ...]
    """Ids of the submissions that met it, sorted."""


@dataclass(frozen=True)
class Row:
    """One submission's line: raw score, late penalty, final score, grading time."""

    id: str
    score: float
    max_score: float
    penalty: float
    final: float
    days_late: int
    duration_s: float
    problem: str


@dataclass(frozen=True)
class ClassStats:
    """Everything the class report shows."""

    assignment: str
    max_score: float
    rows: tuple[Row, ...]
    tasks: tuple[TaskStats, ...]
    tests: tuple[TestStats, ...]
    """Hardest first: lowest pass rate, then name."""
    failures: tuple[FailureStats, ...]
    """The most common first, at most ten."""

    @property
    def finals(self) -> list[float]:
        """Final scores, in id order."""
        return [row.final for row in self.rows]

    @property
    def mean(self) -> float:
        """Mean final score."""
        return statistics.fmean(self.finals) if self.rows else 0.0

    @property
    def median(self) -> float:
        """Median final score."""
        return statistics.median(self.finals) if self.rows else 0.0

    @property
    def slowest(self) -> tuple[Row, ...]:
        """The ten submissions that took longest to grade, slowest first."""
        return tuple(sorted(self.rows, key=lambda row: (-row.duration_s, row.id))[:_TOP])


def class_stats(reports: list[GradeReport], lateness: dict[str, Lateness] | None = None) -> ClassStats:
    """The numbers of the class report of ``reports`` (all of one assignment)."""
    lateness = lateness or {}
    rows = tuple(_row(report, lateness.get(report.submission_id, ON_TIME))
                 for report in sorted(reports, key=lambda report: report.submission_id))
    return ClassStats(assignment=reports[0].assignment if reports else "",
                      max_score=reports[0].max_score if reports else 0.0, rows=rows,
                      tasks=_tasks(reports), tests=_tests(reports), failures=_failures(reports))


def _row(report: GradeReport, late: Lateness) -> Row:
    return Row(report.submission_id, report.score, report.max_score, late.penalty, late.final_score(report),
               late.days_late, report.duration_s, one_line(report.errors[0]) if report.errors else "")


def _tasks(reports: list[GradeReport]) -> tuple[TaskStats, ...]:
    if not reports:
        return ()
    found = []
    for index, task in enumerate(reports[0].tasks):
        scores = [report.tasks[index].score for report in reports if len(report.tasks) > index]
        found.append(TaskStats(task.id, task.description, task.max_score, statistics.fmean(scores),
                               sum(score >= task.max_score for score in scores) / len(scores)))
    return tuple(found)


def _tests(reports: list[GradeReport]) -> tuple[TestStats, ...]:
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for report in reports:
        for task in report.tasks:
            for test in task.tests:
                if test.status == Status.SKIPPED or report.failed_on_a_submission_problem(test):
                    continue
                count = counts[(task.id, test.name)]
                count[0] += test.status == Status.PASSED
                count[1] += 1
    found = [TestStats(task, name, passed, ran) for (task, name), (passed, ran) in counts.items()]
    return tuple(sorted(found, key=lambda test: (test.pass_rate, test.task, test.name)))


def _failures(reports: list[GradeReport]) -> tuple[FailureStats, ...]:
    """Messages grouped with their numbers blanked out, counted once per student."""
    seen: dict[str, tuple[str, set[str]]] = {}
    for report in reports:
        messages = [*report.errors]
        messages += [test.feedback for task in report.tasks for test in task.tests
                     if test.status not in (Status.PASSED, Status.SKIPPED)
                     and not report.failed_on_a_submission_problem(test)]
        for message in messages:
            line = _gist(message)
            key = _NUMBER.sub("#", line)
            seen.setdefault(key, (line, set()))[1].add(report.submission_id)
    ranked = sorted(seen.values(), key=lambda item: (-len(item[1]), item[0]))[:_TOP]
    return tuple(FailureStats(line, tuple(sorted(students))) for line, students in ranked)


def _gist(message: str) -> str:
    """What went wrong, on one line: the message without hypothesis' failing case and the hint."""
    kept = []
    for line in message.strip().splitlines():
        if line.startswith(_TAILS):
            break
        kept.append(line.strip())
    text = one_line(" ".join(kept)) or "(no message)"
    return text if len(text) <= _GIST_CHARS else text[:_GIST_CHARS - 1] + "…"
