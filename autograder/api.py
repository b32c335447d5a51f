"""The Python API behind the CLI, with the same keyword arguments."""

from __future__ import annotations

from pathlib import Path

from autograder.course import PROJECT_ROOT, Course, default_course
from autograder.grading.results import GradeReport
from autograder.grading.runner import HIDDEN_TESTS, PUBLIC_TESTS
from autograder.grading.runner import grade as _grade

__all__ = ["check_public", "grade"]


def grade(assignment: str, submission: str | Path, *, device: str = "auto",
          course: Course | None = None, tests_root: Path = HIDDEN_TESTS, sandbox: bool = True,
          strict_sandbox: bool = False) -> GradeReport:
    """Grade a submission with the hidden tests; see :func:`autograder.grading.runner.grade`."""
    return _grade(assignment, submission, device=device, course=course, tests_root=tests_root,
                  sandbox=sandbox, strict_sandbox=strict_sandbox)


def check_public(assignment: str, submission: str | Path | None = None,
                 course: Course | None = None) -> GradeReport:
    """The public tests of an assignment, scored per task: what a student sees locally."""
    course = course or default_course()
    chosen = course.assignment(assignment)
    target = submission or PROJECT_ROOT / "assignments" / chosen.id
    return _grade(chosen.id, target, device="auto", course=course, tests_root=PUBLIC_TESTS,
                  sandbox=False)
