"""The late policy: when a submission came in, and the points that costs.

The submission time is read, in this order, from nbgrader's ``timestamp.txt``
in the submission's folder, from a CSV the instructor gives (``submission`` and
``submitted_at`` columns), or from the file's modification time. The penalty
is a pure function of that time, the assignment's due time, its policy and its
maximum score; it is applied when the gradebook is derived, so changing the
policy needs no regrading.
"""

from __future__ import annotations

import csv
import math
from datetime import datetime, timedelta, timezone
from pathlib import Path

from dateutil import parser as date_parser

from autograder.course import LatePolicy
from autograder.errors import CourseError
from autograder.grading.prepare import submission_id
from autograder.grading.results import Lateness

NBGRADER_TIMESTAMP = "timestamp.txt"


def parse_time(text: str) -> datetime:
    """A time as nbgrader or a spreadsheet writes it; UTC when it names no zone.

    Raises:
        ValueError: the text is not a time.
    """
    moment = date_parser.parse(text.strip())
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def read_times_csv(path: Path) -> dict[str, datetime]:
    """``{submission id: time}`` from a CSV with ``submission`` and ``submitted_at`` columns.

    Raises:
        CourseError: the file is missing, lacks a column or holds a value that is not a time.
    """
    try:
        with Path(path).open(encoding="utf-8", newline="") as file:
            rows = list(csv.DictReader(file))
    except OSError as error:
        raise CourseError(f"cannot read the submission times {path}: {error.strerror}") from None
    times = {}
    for line, row in enumerate(rows, start=2):
        if "submission" not in row or "submitted_at" not in row:
            raise CourseError(f"{path}: needs the columns 'submission' and 'submitted_at'")
        try:
            times[submission_id(row["submission"])] = parse_time(row["submitted_at"] or "")
        except (ValueError, OverflowError):
            raise CourseError(f"{path}, line {line}: {row['submitted_at']!r} is not a time") from None
    return times


def submission_time(path: Path, times: dict[str, datetime] | None = None) -> datetime | None:
    """When ``path`` was submitted: nbgrader's timestamp, else the CSV's time, else the file's."""
    stamp = Path(path) / NBGRADER_TIMESTAMP
    if Path(path).is_dir() and not stamp.is_symlink() and stamp.is_file():
        try:
            return parse_time(stamp.read_text(encoding="utf-8")[:100])
        except (ValueError, OverflowError, OSError, UnicodeDecodeError):
            pass
    if times and submission_id(path) in times:
        return times[submission_id(path)]
    try:
        return datetime.fromtimestamp(Path(path).lstat().st_mtime, tz=timezone.utc)
    except OSError:
        return None


def lateness(submitted_at: datetime | None, due: datetime, policy: LatePolicy, max_score: float) -> Lateness:
    """What a submission at ``submitted_at`` loses: per started day past due and grace, up to the cap."""
    if submitted_at is None:
        return Lateness()
    due = due if due.tzinfo else due.replace(tzinfo=timezone.utc)
    late = submitted_at - due - timedelta(minutes=policy.grace_minutes)
    stamp = submitted_at.astimezone(timezone.utc).isoformat()
    if late <= timedelta(0):
        return Lateness(submitted_at=stamp)
    days = math.ceil(late / timedelta(days=1))
    percent = min(days * policy.penalty_per_day, policy.max_penalty)
    return Lateness(submitted_at=stamp, days_late=days, penalty=round(max_score * percent / 100, 4))

