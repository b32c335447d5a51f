"""Shared fixtures of the project's own tests."""

import pytest

from tests.course_under_test import COURSE, LAYOUT

# Hidden tests run only through the grader, against a submission it names.
collect_ignore = ["hidden"]


@pytest.fixture(scope="session")
def course():
    """The repository's course.yml."""
    return COURSE


@pytest.fixture(scope="session")
def layout():
    """The paths of the repository's course."""
    return LAYOUT


@pytest.fixture(scope="session")
def project_root():
    """The checkout's top folder (the course root)."""
    return LAYOUT.root


def pytest_configure(config):
    """One torch thread per test process: steadier timings when CI's cores are shared."""
    import torch

    torch.set_num_threads(1)
