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
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from autograder.course import Assignment, default_course
from autograder.grading.results import GradeReport
from autograder.grading.runner import grade
from autograder.grading.scoring import score_submission


def find_submissions(folder: Path, assignment: Assignment) -> list[Path]:
    """The submissions in a class folder: sub-folders holding the module, .py files, notebooks."""
    found = []
    for entry in sorted(Path(folder).iterdir()):
        if entry.is_dir() and (entry / assignment.module).is_file():
            found.append(entry)
        elif entry.suffix in (".py", ".ipynb") and entry.is_file():
            found.append(entry)
    return found


def is_class_folder(folder: Path, assignment: Assignment) -> bool:
    """Whether a folder holds several submissions rather than being one."""
    return folder.is_dir() and not (folder / assignment.module).exists()


def _grade_safely(assignment_id: str, submission: Path, options: dict) -> GradeReport:
    try:
        return grade(assignment_id, submission, **options)
    except Exception as error:  # noqa: BLE001 - the batch must go on
        assignment = default_course().assignment(assignment_id)
        return score_submission(assignment, [], submission=str(submission),
                                errors=(f"could not be graded: {type(error).__name__}: {error}",))


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
    """One row per submission: its name, total, maximum and the score of each task."""
    buffer = io.StringIO()
    task_ids = [task.id for task in reports[0].tasks] if reports else []
    writer = csv.writer(buffer)
    writer.writerow(["submission", "score", "max_score", *task_ids, "errors"])
    for report in reports:
        writer.writerow([Path(report.submission).name, report.score, report.max_score,
                         *(task.score for task in report.tasks), " | ".join(report.errors)])
    return buffer.getvalue()


def write_gradebook(reports: list[GradeReport], out: Path) -> list[Path]:
    """Write grades.csv, grades.json and one JSON report per submission into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "grades.csv", out / "grades.json"]
    written[0].write_text(gradebook_csv(reports), encoding="utf-8")
    written[1].write_text(json.dumps([report.to_dict() for report in reports], indent=2),
                          encoding="utf-8")
    for report in reports:
        path = out / f"{Path(report.submission).stem}.json"
        path.write_text(json.dumps(report.to_dict(), indent=2), encoding="utf-8")
        written.append(path)
    return written
