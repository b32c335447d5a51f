"""A pytest plugin object that turns pytest's reports into TestOutcomes.

Outcomes come from pytest's own reports: an assertion is a failure, any other
exception an error, a timeout a timeout. Output on stdout or stderr, and
warnings, never touch an outcome. Feedback is built from the exception's
message and hypothesis's notes (the falsifying example), never from the
hidden test's source.
"""

from __future__ import annotations

import dataclasses
import re
import time
from pathlib import Path

import pytest

from autograder.errors import GradingTimeout
from autograder.grading.results import TestOutcome
from autograder.grading.timeouts import wall_time_limit
from autograder.student.executor import MAX_MESSAGE_CHARS, shorten
from autograder.student.proxy import GradingStopped, SandboxRefusal, StudentError, SubmissionNotLoaded
from autograder.student.wire import WireError
from autograder.vocabulary import Status, Visibility

_FIXTURE_ARGUMENT = re.compile(r"^\s+(student|reference|credit|mnist_root|small_mnist_root|assignment)=.*,$")


def _student_notes(error: BaseException) -> str:
    """Hypothesis's notes (the failing example), without the fixtures' arguments."""
    lines = "\n".join(getattr(error, "__notes__", []) or []).splitlines()
    return "\n".join(line for line in lines if not _FIXTURE_ARGUMENT.match(line))


def classify(error: BaseException) -> tuple[Status, str]:
    """(status, feedback) for an exception raised during a test."""
    notes = _student_notes(error)
    if isinstance(error, GradingTimeout):
        status, message = Status.TIMEOUT, str(error)
    elif isinstance(error, StudentError):
        status, message = Status.ERROR, str(error)
    elif isinstance(error, AssertionError | pytest.fail.Exception):
        status, message = Status.FAILED, str(error).strip() or "a check on your result failed"
    elif isinstance(error, WireError):
        status, message = Status.ERROR, f"your code returned something that is not plain data: {error}"
    else:
        status, message = Status.ERROR, f"{type(error).__name__}: {error}"
    return status, shorten(f"{message}\n{notes}".strip(), limit=4 * MAX_MESSAGE_CHARS)


class OutcomeCollector:
    """Collects one TestOutcome per test run; register with ``pytest.main(plugins=[...])``.

    Outcomes accumulate until :meth:`take` hands them over (once per submission).
    """

    def __init__(self, tests_root: Path, time_limit_s: float = 0.0):
        self.tests_root = Path(tests_root)
        self.time_limit_s = time_limit_s
        self.outcomes: list[TestOutcome] = []
        self.collection_errors: list[str] = []
        self.load_errors: list[str] = []
        """Why the submission could not be imported, or why its grading was stopped (once each)."""
        self.stopped: str | None = None
        """Why the submission's grading was stopped as a whole; every test then scores 0."""
        self._open: dict[str, dict] = {}

    def take(self) -> tuple[list[TestOutcome], list[str]]:
        """The outcomes and import errors gathered since the last call; starts afresh.

        If the submission's grading was stopped as a whole, every outcome is an error with the reason.
        """
        outcomes, load_errors = self.outcomes, self.load_errors
        if self.stopped is not None:
            outcomes = [dataclasses.replace(outcome, status=Status.ERROR, feedback=self.stopped, credit=0.0)
                        for outcome in outcomes]
        self.outcomes, self.load_errors, self._open, self.stopped = [], [], {}, None
        return outcomes, load_errors

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        """Open the test's entry; an item runs once per submission, so its credit starts afresh."""
        item.user_properties.clear()
        self._open[item.nodeid] = {"status": None, "feedback": "", "submission_problem": False,
                                   "started": time.perf_counter()}

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item: pytest.Item):
        """Run the test under its wall-time limit."""
        with wall_time_limit(self.time_limit_s, f"{item.name}"):
            yield

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        """Fold the setup, call and teardown reports of a test into one outcome."""
        report = (yield).get_result()
        entry = self._open.setdefault(item.nodeid, {"status": None, "feedback": "",
                                                    "submission_problem": False,
                                                    "started": time.perf_counter()})
        if report.skipped and call.when in ("setup", "call"):
            entry.update(status=Status.SKIPPED, feedback=_skip_reason(report))
        elif report.failed and call.excinfo is not None and entry["status"] in (Status.PASSED, None):
            entry["status"], entry["feedback"] = classify(call.excinfo.value)
            entry["submission_problem"] = isinstance(call.excinfo.value, SubmissionNotLoaded)
            if isinstance(call.excinfo.value, SandboxRefusal):
                entry["hint"] = ""  # the task's hint would point at the wrong rule
            self._remember_load_error(call.excinfo.value)
        elif call.when == "call" and report.passed:
            entry["status"] = Status.PASSED
        if call.when == "teardown":
            self._finish(item, self._open.pop(item.nodeid))

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        """Remember test files that failed to import (a bug in the tests, not the submission)."""
        if report.failed:
            self.collection_errors.append(f"{report.nodeid}: {str(report.longrepr).splitlines()[-1]}")

    def _remember_load_error(self, error: BaseException) -> None:
        if isinstance(error, GradingStopped):
            self.stopped = str(error)
        if isinstance(error, SubmissionNotLoaded | GradingStopped) and str(error) not in self.load_errors:
            self.load_errors.append(str(error))

    def _finish(self, item: pytest.Item, entry: dict) -> None:
        marker = item.get_closest_marker("task")
        credit, note = _credit(item)
        feedback = entry["feedback"]
        if entry["status"] is Status.PASSED and note:
            feedback = note
        self.outcomes.append(
            TestOutcome(
                name=self._name(item),
                task=marker.args[0] if marker and marker.args else None,
                status=entry["status"] or Status.ERROR,
                feedback=feedback,
                weight=float(marker.kwargs.get("weight", 1.0)) if marker else 1.0,
                credit=credit,
                visibility=_visibility(marker),
                hint=entry.get("hint", marker.kwargs.get("hint") if marker else None),
                submission_problem=entry["submission_problem"],
                duration_s=time.perf_counter() - entry["started"],
            )
        )

    def _name(self, item: pytest.Item) -> str:
        path = Path(str(item.path))
        try:
            relative = path.relative_to(self.tests_root)
        except ValueError:
            relative = Path(path.name)
        return f"{relative.as_posix()}::{item.name}"


def _credit(item: pytest.Item) -> tuple[float, str]:
    properties = dict(item.user_properties)
    return float(properties.get("credit", 1.0)), str(properties.get("credit_note", ""))


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return "skipped"


def _visibility(marker: pytest.Mark | None) -> Visibility | None:
    chosen = marker.kwargs.get("visibility") if marker else None
    return Visibility(chosen) if chosen else None
