"""A class's gradebook: grades.csv, grades.json and one report per submission.

Per-submission files live in a folder of their own (``submissions/<id>.json``),
so no submission (one called ``grades``, say) can overwrite the class files.
Each row shows the raw score, the late penalty and the final score; a
submission with no :class:`~autograder.grading.results.Lateness` given is on time.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from autograder.errors import CourseError
from autograder.export.json_report import plain_data, to_json
from autograder.export.sanitize import plain
from autograder.grading.results import ON_TIME, GradeReport, Lateness


def gradebook_csv(reports: list[GradeReport], lateness: dict[str, Lateness] | None = None) -> str:
    """One row per submission: its id, raw score, maximum, late penalty, final score and task scores."""
    lateness = lateness or {}
    buffer = io.StringIO()
    task_ids = [task.id for task in reports[0].tasks] if reports else []
    writer = csv.writer(buffer)
    writer.writerow(["submission", "score", "max_score", "late_penalty", "final_score", "submitted_at",
                     *task_ids, "errors"])
    for report in reports:
        late = lateness.get(report.submission_id, ON_TIME)
        writer.writerow([report.submission_id, report.score, report.max_score, late.penalty,
                         late.final_score(report), late.submitted_at or "",
                         *(task.score for task in report.tasks), plain(" | ".join(report.errors))])
    return buffer.getvalue()


def _document(report: GradeReport, late: Lateness) -> dict:
    return {"id": report.submission_id, "final_score": late.final_score(report),
            "late": {"submitted_at": late.submitted_at, "days_late": late.days_late, "penalty": late.penalty},
            **plain_data(report.to_dict())}


def write_gradebook(reports: list[GradeReport], out: Path,
                    lateness: dict[str, Lateness] | None = None) -> list[Path]:
    """Write grades.csv, grades.json and, under ``submissions/``, one JSON report per submission.

    ``lateness`` maps submission ids to their late penalty (default: all on time).

    Raises:
        CourseError: two reports share a submission id (even in letter case only).
    """
    seen: dict[str, GradeReport] = {}
    for report in reports:
        earlier = seen.setdefault(report.submission_id.casefold(), report)
        if earlier is not report:
            raise CourseError(f"{earlier.submission} and {report.submission} would both be written as "
                              f"{report.submission_id!r}: rename or remove one of them")
    per_submission = out / "submissions"
    per_submission.mkdir(parents=True, exist_ok=True)
    lateness = lateness or {}
    documents = [_document(report, lateness.get(report.submission_id, ON_TIME)) for report in reports]
    written = [out / "grades.csv", out / "grades.json"]
    _replace(written[0], gradebook_csv(reports, lateness))
    _replace(written[1], json.dumps(documents, indent=2))
    for report in reports:
        path = per_submission / f"{report.submission_id}.json"
        _replace(path, to_json(report))
        written.append(path)
    return written


def _replace(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically: a reader sees the old file or the new one, whole."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)
