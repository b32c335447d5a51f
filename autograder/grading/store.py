"""The results store of a class: every finished report, kept as soon as it is done.

One SQLite file in the gradebook folder (``results.sqlite``) holds one row per
submission of an assignment, keyed by its id, with a hash of the submission's
content and a hash of the grader (the engine's version, the assignment's
course.yml entry and limits, its hidden tests, its reference solution, the
test kit and the grading options). Each report is written in its own
transaction, so a run stopped at any point keeps every report that finished,
and a rerun grades only the submissions whose content or grader changed.
grades.csv and grades.json are derived from these rows.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import autograder
from autograder.course import Assignment, Course
from autograder.grading.results import GradeReport
from autograder.layout import CourseLayout

STORE_FILE = "results.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    assignment TEXT NOT NULL,
    submission_id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    grader_hash TEXT NOT NULL,
    report TEXT NOT NULL,
    submitted_at TEXT,
    graded_at TEXT NOT NULL,
    PRIMARY KEY (assignment, submission_id)
)
"""


@dataclass(frozen=True)
class StoredResult:
    """One row of the store: a finished report and what it was graded from."""

    report: GradeReport
    """The report as graded."""
    content_hash: str
    """Hash of the submission's files when it was graded."""
    grader_hash: str
    """Hash of the grader that graded it (see :func:`grader_hash`)."""
    submitted_at: datetime | None
    """When the student submitted it, if known (for the late policy)."""


class ResultsStore:
    """The results of a class in ``folder/results.sqlite``; usable as a context manager."""

    def __init__(self, folder: Path):
        """Open (or create) the store in ``folder``, creating the folder if needed."""
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / STORE_FILE
        self._connection = sqlite3.connect(self.path, timeout=30)
        with self._connection:
            self._connection.execute("PRAGMA journal_mode=WAL")
            self._connection.execute(_SCHEMA)

    def __enter__(self) -> ResultsStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the database."""
        self._connection.close()

    def put(self, report: GradeReport, content_hash: str, grader_hash: str,
            submitted_at: datetime | None = None) -> None:
        """Keep ``report`` (replacing an earlier one of the same submission), in one transaction."""
        with self._connection:
            self._connection.execute(
                "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?, ?)",
                (report.assignment, report.submission_id, content_hash, grader_hash,
                 json.dumps(report.to_dict()), _iso(submitted_at), _iso(datetime.now(timezone.utc))))

    def set_submitted_at(self, assignment: str, submission_id: str, submitted_at: datetime | None) -> None:
        """Record when a submission already graded was submitted (it may be known better now)."""
        with self._connection:
            self._connection.execute(
                "UPDATE results SET submitted_at = ? WHERE assignment = ? AND submission_id = ?",
                (_iso(submitted_at), assignment, submission_id))

    def keys(self, assignment: str) -> dict[str, tuple[str, str]]:
        """``{submission id: (content hash, grader hash)}`` of the stored results of ``assignment``."""
        query = "SELECT submission_id, content_hash, grader_hash FROM results WHERE assignment = ?"
        rows = self._connection.execute(query, (assignment,))
        return {row[0]: (row[1], row[2]) for row in rows}

    def results(self, assignment: str | None = None) -> list[StoredResult]:
        """The stored results (of one assignment, or all), by submission id."""
        query = "SELECT report, content_hash, grader_hash, submitted_at FROM results"
        if assignment:
            rows = self._connection.execute(query + " WHERE assignment = ? ORDER BY submission_id",
                                            (assignment,))
        else:
            rows = self._connection.execute(query + " ORDER BY assignment, submission_id")
        return [StoredResult(GradeReport.from_dict(json.loads(report)), content, grader,
                             datetime.fromisoformat(submitted) if submitted else None)
                for report, content, grader, submitted in rows]

    def assignments(self) -> list[str]:
        """The assignments the store holds results of."""
        return [row[0] for row in self._connection.execute(
            "SELECT DISTINCT assignment FROM results ORDER BY assignment")]

    def remove_other_than(self, assignment: str, keep: Iterable[str]) -> None:
        """Forget the results of ``assignment`` whose submission id is not in ``keep``."""
        kept = set(keep)
        gone = [key for key in self.keys(assignment) if key not in kept]
        with self._connection:
            self._connection.executemany("DELETE FROM results WHERE assignment = ? AND submission_id = ?",
                                         [(assignment, key) for key in gone])


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def content_hash(path: Path) -> str:
    """A hash of a submission's files (a folder's, recursively), without following links."""
    digest = hashlib.sha256()
    for relative, data in _files(Path(path)):
        digest.update(relative.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def _files(root: Path) -> Iterator[tuple[str, bytes]]:
    """``(relative path, content)`` of every file under ``root``; a link's content is its target.

    A file that cannot be read counts as the reason it cannot (grading says so too).
    """
    if root.is_symlink() or root.is_file():
        yield root.name, _content(root)
    elif root.is_dir():
        for folder, names, files in os.walk(root):
            names.sort()
            for name in sorted(files):
                path = Path(folder) / name
                yield path.relative_to(root).as_posix(), _content(path)


def _content(path: Path) -> bytes:
    try:
        return b"-> " + os.readlink(path).encode() if path.is_symlink() else path.read_bytes()
    except OSError as error:
        return f"unreadable: {error.strerror}".encode()


def grader_hash(layout: CourseLayout, course: Course, assignment: Assignment, options: object) -> str:
    """A hash of everything that decides a grade other than the submission.

    The engine's version, the assignment's course.yml entry with the course's
    limits, the hidden tests, the reference solution, the test kit's source
    and the grading options (device, sandbox).
    """
    digest = hashlib.sha256()
    settings = {"version": autograder.__version__, "assignment": assignment.model_dump(mode="json"),
                "time_limit_s": course.time_limit_for(assignment), "budget_s": course.budget_for(assignment),
                "give_up_after_timeouts": course.give_up_after_timeouts,
                "sandbox": course.sandbox.model_dump(mode="json"), "options": repr(options)}
    digest.update(json.dumps(settings, sort_keys=True).encode())
    testkit = Path(autograder.__file__).parent / "testkit"
    for root in (layout.hidden_tests(assignment.id), layout.solution(assignment), testkit):
        for relative, data in _files(root):
            if "__pycache__" not in relative:
                digest.update(relative.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()
