"""A student's own ``pytest assignments/NN``: the same fixtures, on the student's files, in place."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from autograder.course import Assignment, Course
from autograder.errors import CourseError
from autograder.grading.session import CourseFixtures
from autograder.layout import CourseLayout
from autograder.student import InProcessTransport
from autograder.student.proxy import Transport


class StudentRun(CourseFixtures):
    """A student's own ``pytest assignments/NN``: their files, in place, in this process."""

    def __init__(self, start: Path, course_root: str | None = None, device: str = "auto"):
        """Find the course lazily (only when a test needs it), upwards from ``start``."""
        self._start, self._course_root, self.device_choice = start, course_root, device
        self.grading = False

    @property
    def layout(self) -> CourseLayout:
        """The course found from --course, the environment or upwards from the tests."""
        if "_layout" not in self.__dict__:
            try:
                self.__dict__["_layout"] = CourseLayout.locate(self._course_root, start=self._start)
            except CourseError as error:
                raise pytest.UsageError(str(error)) from None
        return self.__dict__["_layout"]

    @property
    def course(self) -> Course:
        """The course's course.yml, loaded once."""
        if "_course" not in self.__dict__:
            try:
                self.__dict__["_course"] = self.layout.load_course()
            except CourseError as error:
                raise pytest.UsageError(str(error)) from None
        return self.__dict__["_course"]

    @property
    def data_root(self) -> Path:
        """A private temporary folder for data sets."""
        if "_data_root" not in self.__dict__:
            self.__dict__["_data_root"] = Path(tempfile.mkdtemp(prefix="course-data-"))
        return self.__dict__["_data_root"]

    def module_path_for(self, assignment: Assignment) -> Path:
        """The student's own file, ``assignments/NN/<module>``: tracebacks point at it."""
        return self.layout.stub(assignment)

    def transport_for(self, assignment: Assignment) -> Transport:
        """The student's own file behind the data-only contract, in this process."""
        cache = self.__dict__.setdefault("_transports", {})
        if assignment.id not in cache:
            cache[assignment.id] = InProcessTransport(self.module_path_for(assignment))
        return cache[assignment.id]
