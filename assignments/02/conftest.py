import pytest


@pytest.fixture
def scratch(student_module):
    """The student's scratch.py."""
    return student_module
