"""Where a course keeps its files: one object that builds every path from the course root.

A course root is a folder holding ``course.yml``. It is found, in this order,
from an explicit ``--course DIR``, the ``AUTOGRADER_COURSE`` environment
variable, or the nearest folder at or above the working directory holding
``course.yml``. The installed package holds no course: nothing here is
derived from the package's own location.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from autograder.course import Assignment, Course, load_course
from autograder.errors import CourseError

COURSE_FILE_NAME = "course.yml"
COURSE_ENVIRONMENT_VARIABLE = "AUTOGRADER_COURSE"


@dataclass(frozen=True)
class CourseLayout:
    """Every path of one course, built from its root folder."""

    root: Path
    """The folder holding course.yml."""

    @classmethod
    def locate(cls, explicit: str | Path | None = None, start: str | Path | None = None) -> CourseLayout:
        """The course named by ``explicit``, the environment, or found upwards from ``start``.

        Raises:
            CourseError: the named folder holds no course.yml, or none was found.
        """
        chosen = explicit or os.environ.get(COURSE_ENVIRONMENT_VARIABLE)
        if chosen:
            root = Path(chosen).expanduser()
            if not (root / COURSE_FILE_NAME).is_file():
                raise CourseError(f"{root} holds no {COURSE_FILE_NAME} (the course root)")
            return cls(root.resolve())
        here = Path(start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / COURSE_FILE_NAME).is_file():
                return cls(folder)
        raise CourseError(f"no {COURSE_FILE_NAME} in {here} or above: pass --course DIR "
                          f"or set {COURSE_ENVIRONMENT_VARIABLE}")

    @property
    def course_file(self) -> Path:
        """``course.yml``."""
        return self.root / COURSE_FILE_NAME

    def load_course(self) -> Course:
        """The course as written in course.yml (CourseError if it is malformed)."""
        return load_course(self.course_file)

    def solutions(self, assignment_id: str) -> Path:
        """``solutions/NN``: the reference solution's folder (instructor-only)."""
        return self.root / "solutions" / assignment_id

    def solution(self, assignment: Assignment) -> Path:
        """``solutions/NN/<module>``: the reference solution."""
        return self.solutions(assignment.id) / assignment.module

    def assignment_folder(self, assignment_id: str) -> Path:
        """``assignments/NN``: what students get, stub and public tests."""
        return self.root / "assignments" / assignment_id

    def stub(self, assignment: Assignment) -> Path:
        """``assignments/NN/<module>``: the student's stub."""
        return self.assignment_folder(assignment.id) / assignment.module

    def public_tests(self, assignment_id: str) -> Path:
        """The folder of an assignment's public tests (beside the stub)."""
        return self.assignment_folder(assignment_id)

    @property
    def hidden_tests_root(self) -> Path:
        """``tests/hidden``: one folder of hidden tests per assignment (instructor-only)."""
        return self.root / "tests" / "hidden"

    def hidden_tests(self, assignment_id: str) -> Path:
        """``tests/hidden/NN``."""
        return self.hidden_tests_root / assignment_id

    def mutants(self, assignment_id: str) -> Path:
        """``tests/mutants/NN/mutants.yml``: wrong submissions and what each must lose."""
        return self.root / "tests" / "mutants" / assignment_id / "mutants.yml"

    def alternatives(self, assignment_id: str) -> Path:
        """``tests/alternatives/NN``: correct submissions in other idioms."""
        return self.root / "tests" / "alternatives" / assignment_id

    @property
    def attacks(self) -> Path:
        """``tests/attacks``: hostile submissions and their manifest."""
        return self.root / "tests" / "attacks"

    def example(self, assignment_id: str) -> Path:
        """``examples/NN``: a bundled example submission."""
        return self.root / "examples" / assignment_id

    def instructor_only(self) -> tuple[Path, ...]:
        """Folders a student's code must never read."""
        return (self.root / "solutions", self.root / "tests")
