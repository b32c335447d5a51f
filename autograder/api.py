"""The Python API behind the CLI, with the same keyword arguments.

This is where a course is chosen: every function takes ``course_root`` (a
folder holding course.yml; default: the ``AUTOGRADER_COURSE`` environment
variable, else the nearest folder upwards from the working directory) or an
already located ``layout``, and optionally a ``course`` already loaded (a
caller may change it in memory, e.g. a shorter time limit).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from autograder.course import Course
from autograder.grading.results import GradeReport
from autograder.grading.runner import GradingOptions, Suite
from autograder.grading.runner import grade as _grade
from autograder.grading.runner import grade_many as _grade_many
from autograder.layout import CourseLayout

__all__ = ["check_public", "grade", "grade_many", "locate_course"]


def locate_course(course_root: str | Path | None = None, layout: CourseLayout | None = None) -> CourseLayout:
    """The course to work with: ``layout`` if given, else found from ``course_root`` (see module)."""
    return layout or CourseLayout.locate(course_root)


def grade(assignment: str, submission: str | Path, *, device: str = "auto",
          course_root: str | Path | None = None, layout: CourseLayout | None = None,
          course: Course | None = None, sandbox: bool = True,
          strict_sandbox: bool = False) -> GradeReport:
    """Grade one submission with the hidden tests; see :func:`autograder.grading.runner.grade`."""
    options = GradingOptions(device=device, sandbox=sandbox, strict_sandbox=strict_sandbox)
    return _grade(assignment, submission, layout=locate_course(course_root, layout), course=course,
                  options=options)


def grade_many(assignment: str, submissions: Iterable[str | Path], *, device: str = "auto",
               course_root: str | Path | None = None, layout: CourseLayout | None = None,
               course: Course | None = None, sandbox: bool = True, strict_sandbox: bool = False,
               on_report: Callable[[GradeReport], None] = lambda report: None) -> list[GradeReport]:
    """Grade several submissions in one session, in order (tests collected once)."""
    options = GradingOptions(device=device, sandbox=sandbox, strict_sandbox=strict_sandbox)
    return _grade_many(assignment, [Path(path) for path in submissions],
                       layout=locate_course(course_root, layout), course=course, options=options,
                       on_report=on_report)


def check_public(assignment: str, submission: str | Path | None = None, *,
                 course_root: str | Path | None = None, layout: CourseLayout | None = None,
                 course: Course | None = None) -> GradeReport:
    """The public tests of an assignment, scored per task: what a student sees locally.

    Runs in this process: it is the student's own code on their own machine.
    ``submission`` defaults to the student's copy under ``assignments/NN``.
    """
    layout = locate_course(course_root, layout)
    course = course or layout.load_course()
    chosen = course.assignment(assignment)
    target = submission or layout.assignment_folder(chosen.id)
    options = GradingOptions(device="auto", sandbox=False, suite=Suite.PUBLIC)
    return _grade(chosen.id, target, layout=layout, course=course, options=options)
