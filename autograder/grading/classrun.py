"""A class run: grade what is new or changed into the results store, and stop cleanly when asked.

Before grading, each submission's content hash and the grader's hash are
compared with the store: a submission graded before by the same grader is
kept as it is (``regrade`` grades everything again). The others are graded by
grading processes (:mod:`autograder.grading.parallel`, one process even for
one job, so that a Ctrl-C stops the grading at once) or on a Dask cluster
(:mod:`autograder.grading.distributed`), and each report is stored as soon as
it comes back. A KeyboardInterrupt stops the scheduling, keeps every finished
report and ends the run with a summary saying what is left.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from autograder.course import Course
from autograder.grading.late import lateness
from autograder.grading.parallel import NOT_GRADED, grade_in_parallel
from autograder.grading.prepare import submission_id
from autograder.grading.results import GradeReport, Lateness
from autograder.grading.runner import DEFAULT_OPTIONS, GradingOptions
from autograder.grading.store import ResultsStore, content_hash, grader_hash
from autograder.layout import CourseLayout

RETRY = "retry"
"""The grader hash stored with a report of a submission lost to the grading machinery: a rerun grades it."""


@dataclass(frozen=True)
class ClassRunSummary:
    """What a class run did."""

    graded: tuple[str, ...]
    """Ids of the submissions graded (and stored) in this run."""
    up_to_date: tuple[str, ...]
    """Ids of the submissions whose stored report was kept: same content, same grader."""
    not_graded: tuple[str, ...]
    """Ids left ungraded because the run was interrupted."""
    interrupted: bool = False
    """Whether the run was stopped before the end."""

    def line(self, store_path: Path) -> str:
        """One line saying what the store now holds."""
        kept = len(self.graded) + len(self.up_to_date)
        earlier = f" ({len(self.up_to_date)} from earlier runs)" if self.up_to_date else ""
        if self.interrupted:
            return (f"interrupted: {kept} of {kept + len(self.not_graded)} submissions graded and kept "
                    f"in {store_path}{earlier}; run the same command again to grade the other "
                    f"{len(self.not_graded)}")
        return f"{kept} submissions graded and kept in {store_path}{earlier}"


@dataclass(frozen=True)
class Scheduling:
    """Where a class is graded: local grading processes, or a Dask cluster."""

    jobs: int = 1
    """Local grading processes."""
    scheduler: str | None = None
    """A Dask scheduler address (``tcp://host:8786``), or ``local:N`` for a local cluster of N workers."""


def grade_into_store(assignment_id: str, submissions: list[Path], store: ResultsStore, *,
                     layout: CourseLayout, course: Course, scheduling: Scheduling = Scheduling(),
                     options: GradingOptions = DEFAULT_OPTIONS, regrade: bool = False,
                     submitted_at: Callable[[Path], datetime | None] = lambda path: None,
                     on_plan: Callable[[int, int], None] = lambda to_grade, up_to_date: None,
                     on_done: Callable[[GradeReport], None] = lambda report: None) -> ClassRunSummary:
    """Grade the submissions that are new or changed into ``store``; see the module."""
    assignment = course.assignment(assignment_id)
    grader = grader_hash(layout, course, assignment, options)
    stored = store.keys(assignment.id)
    if regrade:
        store.remove_other_than(assignment.id, {submission_id(path) for path in submissions})
    hashes = {str(path): content_hash(path) for path in submissions}
    todo, kept = [], []
    for path in submissions:
        identity = submission_id(path)
        if not regrade and stored.get(identity) == (hashes[str(path)], grader):
            store.set_submitted_at(assignment.id, identity, submitted_at(path))
            kept.append(identity)
        else:
            todo.append(path)
    on_plan(len(todo), len(kept))
    by_origin = {str(path): path for path in todo}
    graded: list[str] = []

    def keep(report: GradeReport) -> None:
        failed = any(error.startswith(NOT_GRADED) for error in report.errors)
        store.put(report, hashes[report.submission], RETRY if failed else grader,
                  submitted_at(by_origin[report.submission]))
        graded.append(report.submission_id)
        on_done(report)

    try:
        if todo:
            _grade(layout, course, assignment.id, todo, scheduling, options, keep)
    except KeyboardInterrupt:
        left = tuple(submission_id(path) for path in todo if submission_id(path) not in set(graded))
        return ClassRunSummary(tuple(graded), tuple(kept), left, interrupted=True)
    return ClassRunSummary(tuple(graded), tuple(kept), ())


def _grade(layout: CourseLayout, course: Course, assignment_id: str, submissions: list[Path],
           scheduling: Scheduling, options: GradingOptions, keep: Callable[[GradeReport], None]) -> None:
    assignment = course.assignment(assignment_id)
    if scheduling.scheduler:
        from autograder.grading.distributed import grade_on_dask

        grade_on_dask(layout, course, assignment, submissions, scheduling.scheduler, options, keep)
    else:
        grade_in_parallel(layout, course, assignment, submissions, max(1, scheduling.jobs), options, keep)


def stored_gradebook(store: ResultsStore, course: Course,
                     assignment_id: str) -> tuple[list[GradeReport], dict[str, Lateness]]:
    """The stored reports of an assignment, by id, and each one's late penalty under course.yml's policy."""
    assignment = course.assignment(assignment_id)
    policy = course.late_policy_for(assignment)
    results = store.results(assignment.id)
    late = {result.report.submission_id: lateness(result.submitted_at, assignment.due, policy,
                                                  result.report.max_score) for result in results}
    return [result.report for result in results], late
