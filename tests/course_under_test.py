"""The course this repository holds, as the project's own tests see it."""

from pathlib import Path

from autograder.layout import CourseLayout

LAYOUT = CourseLayout.locate(Path(__file__).resolve().parent.parent)
COURSE = LAYOUT.load_course()
ASSIGNMENTS = sorted(COURSE.assignments)
