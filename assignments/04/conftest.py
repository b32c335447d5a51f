import pytest


@pytest.fixture
def iris(student_module):
    """The student's iris.py."""
    return student_module
