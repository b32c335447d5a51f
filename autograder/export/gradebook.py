"""A class's gradebook: grades.csv, grades.json and one report per submission.

Per-submission files live in a folder of their own (``submissions/<id>.json``),
so no submission (one called ``grades``, say) can overwrite the class files.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from autograder.errors import CourseError
from autograder.export.json_report import plain_data, to_json
from autograder.export.sanitize import plain
from autograder.grading.results import GradeReport


def gradebook_csv(reports: list[GradeReport]) -> str:
    """One row per submission: its id, total, maximum and the score of each task."""
    buffer = io.StringIO()
    task_ids = [task.id for task in reports[0].tasks] if reports else []
    writer = csv.writer(buffer)
    writer.writerow(["submission", "score", "max_score", *task_ids, "errors"])
    for report in reports:
        writer.writerow([report.submission_id, report.score, report.max_score,
                         *(task.score for task in report.tasks), plain(" | ".join(report.errors))])
    return buffer.getvalue()


def write_gradebook(reports: list[GradeReport], out: Path) -> list[Path]:
    """Write grades.csv, grades.json and, under ``submissions/``, one JSON report per submission.

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
    documents = [{"id": report.submission_id, **plain_data(report.to_dict())} for report in reports]
    written = [out / "grades.csv", out / "grades.json"]
    written[0].write_text(gradebook_csv(reports), encoding="utf-8")
    written[1].write_text(json.dumps(documents, indent=2), encoding="utf-8")
    for report in reports:
        path = per_submission / f"{report.submission_id}.json"
        path.write_text(to_json(report), encoding="utf-8")
        written.append(path)
    return written
