"""Grade a class on several cores: grading processes take submissions from a shared queue.

Each grading process runs one pytest session (tests collected once, the
reference imported once) and takes the next submission from the queue as it
finishes the last, so a slow submission never holds up a whole share of the
class. Reports come back as JSON as soon as each submission is graded. The
processes come from the sandbox's forkserver, so they start with torch already
imported; they are trusted (student code runs only in their sandbox workers).

A grading process that dies (it should not: no student code runs in it)
costs only the submission it was grading, which is reported with score 0 and
the reason, and a fresh process takes over the rest.
"""

from __future__ import annotations

import json
import queue
from collections.abc import Callable, Iterator
from pathlib import Path

from autograder.course import Assignment, Course
from autograder.grading.prepare import submission_id
from autograder.grading.results import GradeReport
from autograder.grading.runner import GradingOptions, grade_many
from autograder.grading.scoring import score_submission
from autograder.layout import CourseLayout

_POLL_S = 1.0


def grade_in_parallel(layout: CourseLayout, course: Course, assignment: Assignment,
                      submissions: list[Path], jobs: int, options: GradingOptions,
                      on_report: Callable[[GradeReport], None]) -> list[GradeReport]:
    """Grade ``submissions`` with ``jobs`` grading processes; reports in the order they finish."""
    from autograder.sandbox.transport import forkserver_context, main_module_hidden

    context = forkserver_context()
    tasks, results = context.Queue(), context.Queue()
    for path in submissions:
        tasks.put(str(path))
    arguments = (str(layout.root), course.model_dump_json(), assignment.id, options, tasks, results)

    def start() -> object:
        tasks.put(None)  # one stop sign per process
        process = context.Process(target=_grade_from_queue, args=arguments)  # its workers are its children
        with main_module_hidden():
            process.start()
        return process

    processes = [start() for _ in range(min(jobs, len(submissions)))]
    reports: list[GradeReport] = []
    in_flight: dict[int, set[str]] = {}
    pending = {str(path) for path in submissions}
    try:
        while pending:
            try:
                kind, pid, payload = results.get(timeout=_POLL_S)
            except queue.Empty:
                processes = _replace_dead(processes, in_flight, pending, reports, course, assignment,
                                          on_report, start)
                continue
            if kind == "started":
                in_flight.setdefault(pid, set()).add(payload)
                continue
            report = GradeReport.from_dict(json.loads(payload))
            in_flight.get(pid, set()).discard(report.submission)
            pending.discard(report.submission)
            reports.append(report)
            on_report(report)
    finally:
        for process in processes:
            process.kill()
            process.join()
    return reports


def _replace_dead(processes: list, in_flight: dict[int, set[str]], pending: set[str],
                  reports: list[GradeReport], course: Course, assignment: Assignment,
                  on_report: Callable[[GradeReport], None], start: Callable[[], object]) -> list:
    """Report the submission each dead process was grading; start a process in its place."""
    alive = []
    for process in processes:
        if process.is_alive():
            alive.append(process)
            continue
        for lost in sorted(in_flight.pop(process.pid, set()) & pending):
            pending.discard(lost)
            report = score_submission(assignment, [], submission=lost, submission_id=submission_id(lost),
                                      errors=(f"could not be graded: the grading process ended "
                                              f"(exit status {process.exitcode})",))
            reports.append(report)
            on_report(report)
        if pending and process.exitcode != 0:
            alive.append(start())
    return alive


def _grade_from_queue(course_root: str, course_json: str, assignment_id: str,
                      options: GradingOptions, tasks, results) -> None:
    """A grading process: grade submissions from ``tasks`` until a stop sign, one session."""
    import os

    pid = os.getpid()

    def taken() -> Iterator[Path]:
        for path in iter(tasks.get, None):
            results.put(("started", pid, path))
            yield Path(path)

    grade_many(assignment_id, taken(), layout=CourseLayout(Path(course_root)),
               course=Course.model_validate_json(course_json), options=options,
               on_report=lambda report: results.put(("done", pid, json.dumps(report.to_dict()))))
