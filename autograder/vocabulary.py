"""The closed sets of words grading uses, each defined once."""

from __future__ import annotations

from enum import Enum


class Status(str, Enum):
    """What happened to one test."""

    PASSED = "passed"
    FAILED = "failed"
    """A check on the result failed (an assertion)."""
    ERROR = "error"
    """An exception other than a failed check (the student's code raised, say)."""
    TIMEOUT = "timeout"
    """The test or a call into the student's code ran past its time."""
    SKIPPED = "skipped"
    """Not run here (a CUDA test without a GPU); it takes no share of the points."""

    def __str__(self) -> str:
        return self.value


class Visibility(str, Enum):
    """Who may see a test's feedback, and when (Gradescope's vocabulary)."""

    VISIBLE = "visible"
    HIDDEN = "hidden"
    AFTER_DUE_DATE = "after_due_date"
    AFTER_PUBLISHED = "after_published"

    def __str__(self) -> str:
        return self.value

    @property
    def shown_to_students(self) -> bool:
        """Whether students may read the feedback now; the other visibilities release it later."""
        return self is Visibility.VISIBLE
