"""What a platform needs to grade one assignment: a course root of its own and the engine.

A packaged course root holds only what grading one assignment reads:
``course.yml``, the reference solution (``solutions/NN``) and the hidden tests
(``tests/hidden/NN``). The test kit and the probes come with the installed
engine. The engine is installed from its own source (the folder holding its
``pyproject.toml``), or from a pip requirement the instructor names.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import autograder
from autograder.course import Assignment, Course
from autograder.errors import CourseError
from autograder.layout import COURSE_FILE_NAME, CourseLayout

ENGINE_PROJECT_FILES = ("pyproject.toml", "README.md")
"""Files of the engine's project besides the ``autograder`` package (pyproject.toml names README.md)."""
_LEFT_OUT = shutil.ignore_patterns("__pycache__", "*.pyc", ".*")


@dataclass(frozen=True)
class Packaged:
    """The assignment being packaged and how the platform grades it."""

    layout: CourseLayout
    """The instructor's course."""
    course: Course
    """Its course.yml."""
    assignment: Assignment
    """The assignment."""
    device: str = "auto"
    """``--device`` of the grading run on the platform."""
    fail_under: float | None = None
    """Fail the CI job under this score (None: never)."""
    engine: str | None = None
    """A pip requirement for the engine; None installs it from its source."""

    @property
    def max_score(self) -> float:
        """The assignment's points (course.yml)."""
        return sum(task.points for task in self.assignment.tasks)

    def course_paths(self) -> list[str]:
        """The course root's entries that grading reads, relative to the root."""
        return [COURSE_FILE_NAME, f"solutions/{self.assignment.id}", f"tests/hidden/{self.assignment.id}"]


def packaged(layout: CourseLayout, assignment_id: str, **settings) -> Packaged:
    """The assignment ``assignment_id`` of the course at ``layout``, checked to be gradable.

    Raises:
        CourseError: unknown assignment, or its reference or hidden tests are missing.
    """
    course = layout.load_course()
    assignment = course.assignment(assignment_id)
    for folder in (layout.solutions(assignment.id), layout.hidden_tests(assignment.id)):
        if not folder.is_dir():
            raise CourseError(f"{folder} is missing: a packaged course needs the reference and hidden tests")
    return Packaged(layout, course, assignment, **settings)


def copy_course(target: Packaged, destination: Path) -> Path:
    """Write the course root of one assignment into ``destination`` (created)."""
    destination.mkdir(parents=True, exist_ok=True)
    for relative in target.course_paths():
        source = target.layout.root / relative
        if source.is_dir():
            shutil.copytree(source, destination / relative, ignore=_LEFT_OUT, symlinks=False)
        else:
            shutil.copy2(source, destination / relative)
    return destination


def engine_source() -> Path:
    """The folder holding the engine's project (pyproject.toml and the ``autograder`` package).

    Raises:
        CourseError: the installed engine has no source beside it (installed from a wheel).
    """
    project = Path(autograder.__file__).resolve().parent.parent
    if not all((project / name).is_file() for name in ENGINE_PROJECT_FILES):
        raise CourseError(f"the engine at {project / 'autograder'} has no pyproject.toml beside it: "
                          "package from a checkout of the course, or name the engine with --engine")
    return project


def copy_engine(destination: Path) -> Path:
    """Write the engine's source (what ``pip install`` needs) into ``destination``."""
    project = engine_source()
    destination.mkdir(parents=True, exist_ok=True)
    for name in ENGINE_PROJECT_FILES:
        shutil.copy2(project / name, destination / name)
    shutil.copytree(project / "autograder", destination / "autograder", ignore=_LEFT_OUT)
    return destination
