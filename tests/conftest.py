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


def pytest_configure(config):
    """One torch thread per test process: steadier timings when CI's cores are shared."""
    import torch

    torch.set_num_threads(1)


def pytest_ignore_collect(collection_path, config):
    """Leave the hidden tests to the grader: they run only against a --submission it names."""
    hidden = Path(__file__).parent / "hidden"
    if config.getoption("--submission") is None and hidden in (collection_path, *collection_path.parents):
        return True
    return None

