"""Grade submissions: one pytest session runs the tests once per submission and scores each.

The runner builds a :class:`~autograder.grading.session.GradingSession` from
the course, the device and the sandbox settings, and runs pytest once:
tests are collected once, the reference solution is imported once, and every
test runs against each submission in turn (:class:`SubmissionRounds`). The run
is independent of the course repository's own pytest configuration: an
explicit ini file, conftest files only from the tests' own folder, plugins
named one by one. Whatever a submission does, its report is complete: a broken
submission scores 0 with a reason.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import pytest

import autograder
from autograder.course import Assignment, Course
from autograder.grading.collector import OutcomeCollector
from autograder.grading.prepare import PreparedSubmission, prepare
from autograder.grading.results import GradeReport
from autograder.grading.scoring import score_submission
from autograder.grading.session import GradingSession
from autograder.layout import CourseLayout
from autograder.sandbox.check import require_full_sandbox
from autograder.sandbox.forkserver import modules_to_preload, warm_up
from autograder.sandbox.mounts import worker_readable_folder
from autograder.sandbox.protections import Protection
from autograder.sandbox.settings import settings_for

GRADING_INI = Path(__file__).with_name("grading.ini")
PLUGINS_LEFT_OUT = ("cacheprovider", "unraisableexception", "threadexception", "logging",
                    "faulthandler", "legacypath", "junitxml", "pastebin", "doctest", "stepwise")
"""pytest's own plugins a grading run does without (``unraisableexception``
runs a full garbage collection at the end of every session)."""


class Suite(Enum):
    """Which tests grade: the hidden ones (the grade) or the public ones (a student's check)."""

    HIDDEN = "hidden"
    PUBLIC = "public"


@dataclass(frozen=True)
class GradingOptions:
    """How to grade, as the caller chose."""

    device: str = "auto"
    """"auto", "cpu" or "cuda" for the device tests."""
    sandbox: bool = True
    """Run the student's code in confined workers (False: in this process)."""
    strict_sandbox: bool = False
    """Refuse to grade when a sandbox protection is unavailable."""
    suite: Suite = Suite.HIDDEN
    """The hidden tests, or the public ones."""


DEFAULT_OPTIONS = GradingOptions()


def pytest_arguments(tests: Path) -> list[str]:
    """The command line of a grading run over the test folder ``tests``."""
    arguments = [str(tests), "-c", str(GRADING_INI), f"--rootdir={tests.parent}",
                 f"--confcutdir={tests.parent}", "--disable-plugin-autoload",
                 "-p", "autograder.pytest_plugin", "-p", "_hypothesis_pytestplugin",
                 "--import-mode=importlib", "--strict-markers", "--assert=plain",
                 "--continue-on-collection-errors", "-q", "--no-header",
                 "--tb=native"]  # failures are read from the exception; pytest's long repr is slow
    for plugin in PLUGINS_LEFT_OUT:
        arguments += ["-p", f"no:{plugin}"]
    return arguments


class SubmissionRounds:
    """A pytest plugin that runs every collected test once per submission, scoring each in turn."""

    def __init__(self, session: GradingSession, collector: OutcomeCollector,
                 submissions: Iterator[PreparedSubmission],
                 on_report: Callable[[GradeReport], None]):
        self.session, self.collector = session, collector
        self.submissions, self.on_report = submissions, on_report
        self.reports: list[GradeReport] = []

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> bool:
        """Run the items once per submission (instead of pytest's single loop)."""
        # A submission is taken only when the last is scored: a grading process fed from a queue
        # holds no submission back behind a slow one.
        for current in self.submissions:
            started = time.perf_counter()
            self.session.begin(current)
            try:
                if current.runnable:
                    self._run_items(session.items)
                protections = tuple(self.session.protections)
            finally:
                self.session.end()
            report = self._score(current, protections, time.perf_counter() - started)
            self.reports.append(report)
            self.on_report(report)
        return True

    @staticmethod
    def _run_items(items: list[pytest.Item]) -> None:
        for index, item in enumerate(items):
            # A next round would start again with items[0]: session fixtures stay up between rounds
            # (pytest tears down what is left at the end of the session).
            nextitem = items[index + 1] if index + 1 < len(items) else items[0]
            item.config.hook.pytest_runtest_protocol(item=item, nextitem=nextitem)

    def _score(self, submission: PreparedSubmission, protections: tuple[Protection, ...],
               seconds: float) -> GradeReport:
        outcomes, load_errors = self.collector.take()
        errors = (*submission.errors, *load_errors, *self.collector.collection_errors)
        return score_submission(
            self.session.graded, outcomes, submission.violations,
            submission=str(submission.origin), submission_id=submission.id,
            device=self.session.device_choice, duration_s=round(seconds, 3),
            version=autograder.__version__, errors=tuple(dict.fromkeys(errors)),
            protections=protections)


def grade(assignment_id: str, submission: str | Path, *, layout: CourseLayout,
          course: Course | None = None, options: GradingOptions = DEFAULT_OPTIONS) -> GradeReport:
    """Grade one submission (a folder, a .py file or a .ipynb notebook).

    Raises:
        CourseError: unknown assignment, a path that is not a submission, or a
            missing protection under ``strict_sandbox``.
    """
    course = course or layout.load_course()
    assignment = course.assignment(assignment_id)
    with _grading_folder(options.sandbox) as private:
        _start_the_forkserver(layout, assignment, options)
        prepared = prepare(Path(submission), assignment, private / "submission",
                           max_source_bytes=course.sandbox.source_kb * 1024)
        return _run(layout, course, assignment, iter([prepared]), private, options, lambda _: None)[0]


def grade_many(assignment_id: str, submissions: Iterable[Path], *, layout: CourseLayout,
               course: Course | None = None, options: GradingOptions = DEFAULT_OPTIONS,
               on_report: Callable[[GradeReport], None] = lambda report: None) -> list[GradeReport]:
    """Grade several submissions in one pytest session, in order; ``on_report`` as each finishes.

    A submission that cannot be read is reported with score 0 and the reason.
    """
    course = course or layout.load_course()
    assignment = course.assignment(assignment_id)
    with _grading_folder(options.sandbox) as private:
        _start_the_forkserver(layout, assignment, options)
        prepared = _prepared_one_by_one(submissions, assignment, private, course.sandbox.source_kb * 1024)
        return _run(layout, course, assignment, prepared, private, options, on_report)


def _start_the_forkserver(layout: CourseLayout, assignment: Assignment, options: GradingOptions) -> None:
    """Start the workers' forkserver now: the source checks share it, and its imports overlap collection."""
    if options.sandbox:
        warm_up(modules_to_preload(layout.solution(assignment)))


def _prepared_one_by_one(submissions: Iterable[Path], assignment: Assignment, private: Path,
                         max_source_bytes: int) -> Iterator[PreparedSubmission]:
    """Each submission in its own folder (a worker reads only its own), removed after its round."""
    previous: Path | None = None
    for number, origin in enumerate(submissions, start=1):
        folder = private / f"submission-{number}"
        yield prepare(Path(origin), assignment, folder, max_source_bytes=max_source_bytes, strict=False)
        if previous is not None:
            shutil.rmtree(previous, ignore_errors=True)
        previous = folder


def _run(layout: CourseLayout, course: Course, assignment: Assignment,
         submissions: Iterator[PreparedSubmission], private: Path, options: GradingOptions,
         on_report: Callable[[GradeReport], None]) -> list[GradeReport]:
    if options.sandbox and options.strict_sandbox:
        require_full_sandbox()
    data_root = private / "data"
    data_root.mkdir()  # Landlock grants only folders that exist
    time_limit = course.time_limit_for(assignment)
    session = GradingSession(
        layout, course, assignment, data_root=data_root, device=options.device,
        sandbox=settings_for(course, assignment, data_root) if options.sandbox else None,
        grading=True, time_limit_s=time_limit, budget_s=course.budget_for(assignment))
    tests = (layout.hidden_tests(assignment.id) if options.suite is Suite.HIDDEN
             else layout.public_tests(assignment.id))
    # In-process, a test's own time limit is the only guard; sandboxed, every call has its limit.
    collector = OutcomeCollector(tests, time_limit_s=0.0 if options.sandbox else time_limit)
    rounds = SubmissionRounds(session, collector, submissions, on_report)
    with contextlib.redirect_stdout(io.StringIO()):
        pytest.main(pytest_arguments(tests), plugins=[session, collector, rounds])
    return rounds.reports


@contextlib.contextmanager
def _grading_folder(sandbox: bool) -> Iterator[Path]:
    """A private folder for one grading run, where a sandboxed worker can still read it."""
    if sandbox:
        with worker_readable_folder("grade-") as private:
            yield private
    else:
        with tempfile.TemporaryDirectory(prefix="grade-") as private:
            yield Path(private)
