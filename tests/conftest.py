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
    """One torch thread per test process (steadier when CI's cores are shared); long scopes first."""
    import torch

    torch.set_num_threads(1)
    if hasattr(config.option, "loadscopereorder"):  # scopes in collection order (see LONGEST_FIRST)
        config.option.loadscopereorder = False


LONGEST_FIRST = (
    "tests/grader/test_mutants.py::TestMutantsOf04",
    "tests/grader/test_mutants.py::TestMutantsOf03",
    "tests/grader/test_attacks.py",
    "tests/grader/test_dask_grading.py",
    "tests/grader/test_mutants.py::TestMutantsOf02",
    "tests/nbgrader/test_end_to_end.py",
    "tests/grader/test_mutants.py::TestMutantsOf01",
    "tests/grader/test_class_runs.py",
    "tests/grader/test_batch.py",
)
"""The scopes that take a minute or more, slowest first (`--durations` shows them).

With ``--dist loadscope`` a scope runs whole on one worker, in the order the
scopes are collected: starting the long ones first keeps every worker busy to
the end, instead of one worker finishing a long scope while the others wait.
"""


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Collect the long scopes first, slowest first; xdist then hands them out in that order."""
    def rank(item) -> int:
        for position, prefix in enumerate(LONGEST_FIRST):
            if item.nodeid.startswith(prefix):
                return position
        return len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: every other test keeps its place
