"""Grade a corpus of submissions the way a class is graded: one session per assignment."""

from __future__ import annotations

from pathlib import Path

from autograder.course import Course
from autograder.grading.batch import grade_submissions
from autograder.grading.results import GradeReport
from autograder.grading.runner import GradingOptions
from tests.course_under_test import COURSE, LAYOUT


def grade_corpus(assignment_id: str, submissions: list[Path], course: Course = COURSE,
                 sandbox: bool = True) -> dict[str, GradeReport]:
    """Each submission's report, by submission id (its file's stem), graded on the CPU."""
    reports = grade_submissions(assignment_id, submissions, layout=LAYOUT, course=course,
                                options=GradingOptions(device="cpu", sandbox=sandbox))
    return {report.submission_id: report for report in reports}


def failed_tests(report: GradeReport) -> list[str]:
    """'name (status): first line of feedback' for every test that did not pass."""
    return [f"{test.name} ({test.status}): {test.feedback.splitlines()[0] if test.feedback else ''}"
            for task in report.tasks for test in task.tests if test.status not in ("passed", "skipped")]
