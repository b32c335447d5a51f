"""Grade a whole class: one folder of submissions, in parallel, into a gradebook.

Each submission is graded inside its own error boundary: one that breaks the
grader is recorded with score 0 and a plain-English reason, and the batch
goes on. Worker processes of the pool come from the same forkserver as the
sandbox, so they start with torch already imported.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from autograder.course import Assignment, default_course
from autograder.errors import CourseError
from autograder.export.json_report import plain_data, to_json
from autograder.export.sanitize import plain
from autograder.grading.results import GradeReport
from autograder.grading.runner import grade
from autograder.grading.scoring import score_submission

_FILE_SUFFIXES = (".py", ".ipynb")
_UNSAFE_IN_ID = re.compile(r"[^A-Za-z0-9._-]+")


def find_submissions(folder: Path, assignment: Assignment) -> list[Path]:
    """The submissions in a class folder: sub-folders holding the module, .py files, notebooks.

    Entries are looked at without following links: a link that looks like a
    submission is listed too, so that grading records it as refused, with the
    reason, rather than skipping it in silence.

    Raises:
        CourseError: two entries would share a submission id (``alice.py`` and ``alice/``).
    """
    found = []
    for entry in sorted(Path(folder).iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_symlink():
            if entry.suffix in _FILE_SUFFIXES or entry.is_dir():
                found.append(entry)
        elif entry.is_dir() and os.path.lexists(entry / assignment.module):
            found.append(entry)
        elif entry.suffix in _FILE_SUFFIXES and not entry.is_dir():
            found.append(entry)
    check_unique_ids(found)
    return found


def submission_id(path: str | Path) -> str:
    """The id of a submission in a gradebook: its file's or folder's stem, as a safe file name.

    Letters are reduced to ASCII where they can be (``José`` becomes ``Jose``), and
    anything but letters, digits, ``-``, ``_`` and inner dots becomes ``_``; the id
    never starts with a dot or a dash (a hidden file, a spreadsheet formula).
    """
    name = Path(path).name or Path(path).resolve().name
    suffix = next((suffix for suffix in _FILE_SUFFIXES if name.endswith(suffix)), "")
    stem = name[:len(name) - len(suffix)]
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    safe = _UNSAFE_IN_ID.sub("_", ascii_stem).strip("._-")
    return safe[:100] or "submission"


def check_unique_ids(submissions: list[Path]) -> None:
    """Refuse submissions whose ids collide, even in letter case only.

    Raises:
        CourseError: naming the first two entries that share an id.
    """
    seen: dict[str, Path] = {}
    for submission in submissions:
        key = submission_id(submission).casefold()
        if key in seen:
            raise CourseError(f"{seen[key].name} and {submission.name} would both be graded as "
                              f"{submission_id(submission)!r}: rename or remove one of them")
        seen[key] = submission


def is_class_folder(folder: Path, assignment: Assignment) -> bool:
    """Whether a folder holds several submissions rather than being one."""
    return folder.is_dir() and not os.path.lexists(folder / assignment.module)


def _grade_safely(assignment_id: str, submission: Path, options: dict) -> GradeReport:
    """Grade one submission; a refusal or a crash becomes a report with score 0 and the reason."""
    try:
        return grade(assignment_id, submission, **options)
    except CourseError as error:
        reason = f"not graded: {error}"
    except Exception as error:  # noqa: BLE001 - the batch must go on
        reason = f"could not be graded: {type(error).__name__}: {error}"
    assignment = default_course().assignment(assignment_id)
    return score_submission(assignment, [], submission=str(submission), errors=(reason,))


def grade_class(assignment_id: str, folder: Path, *, jobs: int = 1,
                on_done: Callable[[GradeReport], None] | None = None,
                **options) -> list[GradeReport]:
    """Grade every submission in ``folder``; reports come back in the folder's order."""
    assignment = default_course().assignment(assignment_id)
    submissions = find_submissions(folder, assignment)
    reports: dict[Path, GradeReport] = {}
    for submission, report in _run(assignment.id, submissions, jobs, options):
        reports[submission] = report
        if on_done:
            on_done(report)
    return [reports[submission] for submission in submissions]


def _run(assignment_id: str, submissions: list[Path], jobs: int,
         options: dict) -> Iterator[tuple[Path, GradeReport]]:
    if jobs <= 1:
        for submission in submissions:
            yield submission, _grade_safely(assignment_id, submission, options)
        return
    from autograder.sandbox.transport import forkserver_context

    with ProcessPoolExecutor(max_workers=jobs, mp_context=forkserver_context()) as pool:
        futures = {pool.submit(_grade_safely, assignment_id, submission, options): submission
                   for submission in submissions}
        for future in as_completed(futures):
            yield futures[future], future.result()


def gradebook_csv(reports: list[GradeReport]) -> str:
    """One row per submission: its id, total, maximum and the score of each task."""
    buffer = io.StringIO()
    task_ids = [task.id for task in reports[0].tasks] if reports else []
    writer = csv.writer(buffer)
    writer.writerow(["submission", "score", "max_score", *task_ids, "errors"])
    for report in reports:
        writer.writerow([submission_id(report.submission), report.score, report.max_score,
                         *(task.score for task in report.tasks), plain(" | ".join(report.errors))])
    return buffer.getvalue()


def write_gradebook(reports: list[GradeReport], out: Path) -> list[Path]:
    """Write grades.csv, grades.json and, under ``submissions/``, one JSON report per submission.

    Per-submission files have a folder of their own, named by :func:`submission_id`,
    so no submission (one called ``grades``, say) can overwrite the class files.

    Raises:
        CourseError: two reports would share a submission id.
    """
    check_unique_ids([Path(report.submission) for report in reports])
    per_submission = out / "submissions"
    per_submission.mkdir(parents=True, exist_ok=True)
    documents = [{"id": submission_id(report.submission), **plain_data(report.to_dict())}
                 for report in reports]
    written = [out / "grades.csv", out / "grades.json"]
    written[0].write_text(gradebook_csv(reports), encoding="utf-8")
    written[1].write_text(json.dumps(documents, indent=2), encoding="utf-8")
    for document, report in zip(documents, reports, strict=True):
        path = per_submission / f"{document['id']}.json"
        path.write_text(to_json(report), encoding="utf-8")
        written.append(path)
    return written
