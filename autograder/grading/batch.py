"""Grade a whole class: one folder of submissions, in parallel, into a gradebook.

Each submission is graded inside its own error boundary: one that cannot be
read or breaks the grader is recorded with score 0 and a plain-English reason,
and the batch goes on. With one job, the whole class is graded in one pytest
session; with more, grading processes share the class
(:mod:`autograder.grading.parallel`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

from autograder.course import Assignment, Course
from autograder.grading.parallel import grade_in_parallel
from autograder.grading.results import GradeReport
from autograder.grading.runner import DEFAULT_OPTIONS, GradingOptions, grade_many
from autograder.layout import CourseLayout


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


def grade_class(assignment_id: str, folder: Path, *, layout: CourseLayout, course: Course | None = None,
                jobs: int = 1, on_done: Callable[[GradeReport], None] | None = None,
                options: GradingOptions = DEFAULT_OPTIONS) -> list[GradeReport]:
    """Grade every submission in ``folder``; reports come back in the folder's order."""
    course = course or layout.load_course()
    submissions = find_submissions(folder, course.assignment(assignment_id))
    return grade_submissions(assignment_id, submissions, layout=layout, course=course, jobs=jobs,
                             on_done=on_done, options=options)


def grade_submissions(assignment_id: str, submissions: list[Path], *, layout: CourseLayout,
                      course: Course | None = None, jobs: int = 1,
                      on_done: Callable[[GradeReport], None] | None = None,
                      options: GradingOptions = DEFAULT_OPTIONS) -> list[GradeReport]:
    """Grade a list of submissions with ``jobs`` grading processes; reports in the list's order."""
    course = course or layout.load_course()
    assignment = course.assignment(assignment_id)
    notify = on_done or (lambda report: None)
    if jobs <= 1 or len(submissions) <= 1:
        reports = grade_many(assignment.id, submissions, layout=layout, course=course, options=options,
                             on_report=notify)
    else:
        reports = grade_in_parallel(layout, course, assignment, submissions, jobs, options, notify)
    by_origin = {report.submission: report for report in reports}
    return [by_origin[str(submission)] for submission in submissions]


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
