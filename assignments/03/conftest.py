import pytest


@pytest.fixture
def cnn(student_module):
    """The student's cnn.py."""
    return student_module
