"""A submission made ready to grade: read once, checked statically, its module written once.

What the hidden tests run is exactly the module file written here; the
static checks (syntax, API policy) read the same text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from autograder.course import Assignment
from autograder.errors import CourseError
from autograder.grading.source_check import check_source_safely
from autograder.submission import load_submission

SUBMISSION_SUFFIXES = (".py", ".ipynb")
_UNSAFE_IN_ID = re.compile(r"[^A-Za-z0-9._-]+")


def submission_id(path: str | Path) -> str:
    """The id of a submission in a class: its file's or folder's stem, as a safe file name.

    Letters are reduced to ASCII where they can be (``José`` becomes ``Jose``), and
    anything but letters, digits, ``-``, ``_`` and inner dots becomes ``_``; the id
    never starts with a dot or a dash (a hidden file, a spreadsheet formula).
    """
    name = Path(path).name or Path(path).resolve().name
    suffix = next((suffix for suffix in SUBMISSION_SUFFIXES if name.endswith(suffix)), "")
    stem = name[:len(name) - len(suffix)]
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    safe = _UNSAFE_IN_ID.sub("_", ascii_stem).strip("._-")
    return safe[:100] or "submission"


@dataclass(frozen=True)
class PreparedSubmission:
    """One submission, ready for the tests."""

    id: str
    """Its id in a class: the file's or folder's stem."""
    origin: Path
    """The path the user gave: a folder, a .py file or a .ipynb notebook."""
    module_path: Path | None
    """Where its module was written for the tests; None when it could not be read."""
    errors: tuple[str, ...] = ()
    """Problems with the submission as a whole (unreadable, syntax error)."""
    violations: dict[str, list[str]] = field(default_factory=dict)
    """API-policy violations found in its source, by task id."""

    @property
    def runnable(self) -> bool:
        """Whether the tests can run against it (it was read; it may still fail to import)."""
        return self.module_path is not None


def prepare(origin: Path, assignment: Assignment, folder: Path, *, max_source_bytes: int,
            strict: bool = True) -> PreparedSubmission:
    """Read ``origin``, check its source and write its module into ``folder``.

    Args:
        origin: a folder, a .py file or a .ipynb notebook.
        assignment: the assignment it is a submission of.
        folder: an empty private folder for the module.
        max_source_bytes: the largest source checked and run (course.yml ``sandbox.source_kb``).
        strict: raise CourseError when the submission cannot be read (one
            submission, named by a user); otherwise return it with the reason
            in ``errors`` (one entry of a class).

    Raises:
        CourseError: only with ``strict``, when the submission cannot be read.
    """
    identity = submission_id(origin)
    try:
        loaded = load_submission(origin, assignment)
    except CourseError as error:
        if strict:
            raise
        return PreparedSubmission(identity, origin, None, errors=(f"not graded: {error}",))
    module_path = loaded.write_to(folder)
    errors, violations = check_source_safely(loaded.source, assignment, module_path.name, max_source_bytes)
    return PreparedSubmission(identity, origin, module_path, tuple(errors), violations)
