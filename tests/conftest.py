"""Shared fixtures of the project's own tests."""

from pathlib import Path

import pytest

from autograder.course import PROJECT_ROOT, default_course


@pytest.fixture(scope="session")
def course():
    """The project's course.yml."""
    return default_course()


@pytest.fixture(scope="session")
def project_root() -> Path:
    """The checkout's top folder."""
    return PROJECT_ROOT
