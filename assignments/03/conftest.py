import pytest


@pytest.fixture
def cnn(student_module):
    """The student's cnn.py (or the copy given with --submission)."""
    return student_module
