"""The student's code seen through the data-only call contract (DESIGN.md)."""

from autograder.student.local import InProcessTransport
from autograder.student.proxy import (
    Handle,
    MissingFunction,
    StudentError,
    StudentModule,
    SubmissionNotLoaded,
)

__all__ = [
    "Handle",
    "InProcessTransport",
    "MissingFunction",
    "StudentError",
    "StudentModule",
    "SubmissionNotLoaded",
]
