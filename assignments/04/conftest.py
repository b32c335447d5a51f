import pytest


@pytest.fixture
def iris(student_module):
    """The student's iris.py (or the copy given with --submission)."""
    return student_module
