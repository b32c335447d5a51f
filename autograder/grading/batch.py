"""Grade a whole class: one folder of submissions, in parallel, into a list of reports.

Each submission is graded inside its own error boundary: one that cannot be
read or breaks the grader is recorded with score 0 and a plain-English reason,
and the batch goes on. With one job, the whole class is graded in one pytest
session; with more, grading processes share the class
(:mod:`autograder.grading.parallel`). The gradebook files are written by
:mod:`autograder.export.gradebook`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from autograder.course import Assignment, Course
from autograder.errors import CourseError
from autograder.grading.parallel import grade_in_parallel
from autograder.grading.prepare import SUBMISSION_SUFFIXES, submission_id
from autograder.grading.results import GradeReport
from autograder.grading.runner import DEFAULT_OPTIONS, GradingOptions, grade_many
from autograder.layout import CourseLayout


def find_submissions(folder: Path, assignment: Assignment) -> list[Path]:
    """The submissions in a class folder: sub-folders holding the module, .py files, notebooks.

    Entries are looked at without following links: a link that looks like a
    submission is listed too, so that grading records it as refused, with the
    reason, rather than skipping it in silence.

    Raises:
        CourseError: two entries would share a submission id (``alice.py`` and ``alice/``).
    """
    found = []
    for entry in sorted(Path(folder).iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_symlink():
            if entry.suffix in SUBMISSION_SUFFIXES or entry.is_dir():
                found.append(entry)
        elif entry.is_dir() and os.path.lexists(entry / assignment.module):
            found.append(entry)
        elif entry.suffix in SUBMISSION_SUFFIXES and not entry.is_dir():
            found.append(entry)
    check_unique_ids(found)
    return found


def check_unique_ids(submissions: list[Path]) -> None:
    """Refuse submissions whose ids collide, even in letter case only.

    Raises:
        CourseError: naming the first two entries that share an id.
    """
    seen: dict[str, Path] = {}
    for submission in submissions:
        key = submission_id(submission).casefold()
        if key in seen:
            raise CourseError(f"{seen[key].name} and {submission.name} would both be graded as "
                              f"{submission_id(submission)!r}: rename or remove one of them")
        seen[key] = submission


def grade_class(assignment_id: str, folder: Path, *, layout: CourseLayout, course: Course | None = None,
                jobs: int = 1, on_done: Callable[[GradeReport], None] | None = None,
                options: GradingOptions = DEFAULT_OPTIONS) -> list[GradeReport]:
    """Grade every submission in ``folder``; reports come back in the folder's order."""
    course = course or layout.load_course()
    submissions = find_submissions(folder, course.assignment(assignment_id))
    return grade_submissions(assignment_id, submissions, layout=layout, course=course, jobs=jobs,
                             on_done=on_done, options=options)


def grade_submissions(assignment_id: str, submissions: list[Path], *, layout: CourseLayout,
                      course: Course | None = None, jobs: int = 1,
                      on_done: Callable[[GradeReport], None] | None = None,
                      options: GradingOptions = DEFAULT_OPTIONS) -> list[GradeReport]:
    """Grade a list of submissions with ``jobs`` grading processes; reports in the list's order."""
    course = course or layout.load_course()
    assignment = course.assignment(assignment_id)
    notify = on_done or (lambda report: None)
    if jobs <= 1 or len(submissions) <= 1:
        reports = grade_many(assignment.id, submissions, layout=layout, course=course, options=options,
                             on_report=notify)
    else:
        reports = grade_in_parallel(layout, course, assignment, submissions, jobs, options, notify)
    by_origin = {report.submission: report for report in reports}
    return [by_origin[str(submission)] for submission in submissions]
