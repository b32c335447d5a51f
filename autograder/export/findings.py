"""What the readable views (text, Markdown) say about each task: which tests failed, and why.

The views share this reading of a report so that they agree: a test that
failed only because of a submission-wide problem is left to that problem's
one line; tests that stopped at a stub's ``NotImplementedError`` are one
line per task, not a block each; the task's hint, which every failed test
carries, is said once; skipped tests keep their reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from autograder.grading.results import GradeReport, TaskScore, TestResult

_HINT = "Hint: "
_UNSTARTED = "NotImplementedError"


@dataclass(frozen=True)
class Failure:
    """One test that lost points, its feedback split for display."""

    test: TestResult
    """The test."""
    summary: str
    """The first line of its feedback, e.g. what was expected and what came back."""
    detail: str
    """The rest of its feedback (a failing input, say), without the task's hint."""


@dataclass(frozen=True)
class Unstarted:
    """Tests of one task that stopped at the same ``NotImplementedError``, e.g. a stub's."""

    message: str
    """The error as reported, e.g. ``NotImplementedError: Task 02.nll (scratch.py line 9, in nll)``."""
    tests: tuple[TestResult, ...]
    """The tests that raised it."""

    @property
    def max_score(self) -> float:
        """The points these tests could have earned."""
        return sum(test.max_score for test in self.tests)


@dataclass(frozen=True)
class TaskFindings:
    """A task's tests sorted for the views."""

    task: TaskScore
    """The task."""
    failures: tuple[Failure, ...]
    """Tests that lost points for a reason of their own."""
    unstarted: tuple[Unstarted, ...]
    """Tests that stopped at an unimplemented function, grouped by its message."""
    skipped: tuple[TestResult, ...]
    """Tests that did not run here (no GPU, say); their feedback is the reason."""
    hints: tuple[str, ...]
    """The hints the failed tests carried, each once."""

    @property
    def shown(self) -> tuple[Failure, ...]:
        """The failures whose feedback students may read now."""
        return tuple(failure for failure in self.failures if failure.test.visibility.shown_to_students)

    @property
    def withheld(self) -> tuple[Failure, ...]:
        """The failures whose feedback is released later (hidden, after the due date...)."""
        return tuple(failure for failure in self.failures if not failure.test.visibility.shown_to_students)

    @property
    def passed(self) -> int:
        """How many of the task's tests passed."""
        return sum(status_name(test) == "passed" for test in self.task.tests)

    @property
    def counted(self) -> int:
        """How many of the task's tests ran (skipped ones are not counted)."""
        return len(self.task.tests) - len(self.skipped)


def findings(report: GradeReport) -> tuple[TaskFindings, ...]:
    """Per task, in course.yml order, the failures, unstarted work, skips and hints."""
    return tuple(_task_findings(report, task) for task in report.tasks)


def _task_findings(report: GradeReport, task: TaskScore) -> TaskFindings:
    failures, unstarted, skipped, hints = [], {}, [], {}
    for test in task.tests:
        status = status_name(test)
        if status == "skipped":
            skipped.append(test)
        if status in ("passed", "skipped") or report.failed_on_a_submission_problem(test):
            continue
        body, hint = split_hint(test.feedback)
        if hint:
            hints[hint] = None
        summary, _, detail = body.partition("\n")
        if summary.startswith(_UNSTARTED):
            unstarted.setdefault(summary, []).append(test)
        else:
            failures.append(Failure(test, summary, detail))
    return TaskFindings(
        task=task,
        failures=tuple(failures),
        unstarted=tuple(Unstarted(message, tuple(tests)) for message, tests in unstarted.items()),
        skipped=tuple(skipped),
        hints=tuple(hints),
    )


def split_hint(feedback: str) -> tuple[str, str | None]:
    """The feedback without its closing ``Hint: ...`` line, and that hint (None if it has none)."""
    if feedback.startswith(_HINT):
        return "", feedback[len(_HINT):].strip() or None
    body, separator, hint = feedback.rpartition("\n" + _HINT)
    if not separator:
        return feedback, None
    return body, hint.strip() or None


def status_name(test: TestResult) -> str:
    """The test's status as a plain string: passed, failed, error, timeout or skipped."""
    return test.status.value


def points(value: float) -> str:
    """A score for people: at most two decimals, no trailing zeros (``1.6``, ``0.33``, ``12``)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def points_phrase(value: float) -> str:
    """``1 point``, ``0.33 points``: :func:`points` with its unit."""
    shown = points(value)
    return f"{shown} point" if shown == "1" else f"{shown} points"


def withheld_phrase(task: TaskFindings) -> str:
    """What the withheld failures cost: ``2 more tests lost 3 points: their details are released later``."""
    count = len(task.withheld)
    tests = f"{count} {'more ' if task.shown else ''}{'test' if count == 1 else 'tests'}"
    lost = sum(failure.test.max_score - failure.test.score for failure in task.withheld)
    whose = "its" if count == 1 else "their"
    return f"{tests} lost {points_phrase(lost)}: {whose} details are released later"


def score_line(earned: float, possible: float) -> str:
    """``earned / possible`` with :func:`points`."""
    return f"{points(earned)} / {points(possible)}"
