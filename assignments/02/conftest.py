import pytest


@pytest.fixture
def scratch(student_module):
    """The student's scratch.py (or the copy given with --submission)."""
    return student_module
