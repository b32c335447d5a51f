"""Grade a class on a Dask cluster: each submission is a task; reports stream back as they finish.

Each Dask worker keeps one grading process (the same as a local class run's:
:func:`autograder.grading.parallel.grade_from_queue`, with its own sandbox
forkserver, torch imported once), started by the worker's first task and fed
one submission per task, so the hidden tests are collected once per worker.
Reports come back to the client as JSON, in the order they finish, and go into
the results store there. A worker lost mid-run costs only its in-flight
submissions, which the scheduler sends to another worker (up to Dask's
``distributed.scheduler.allowed-failures`` times; after that the submission
is reported as not graded, and a rerun grades it).

Workers read the course and the submissions by path: on a department cluster
the course and the class folder sit on a shared file system, at the same path
on every machine (see docs/scale.md). Run workers with one thread each
(``--nthreads 1``) and as many worker processes as cores to use.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from autograder.course import Assignment, Course
from autograder.errors import CourseError
from autograder.grading.parallel import NOT_GRADED, grade_from_queue, stop_processes
from autograder.grading.prepare import submission_id
from autograder.grading.results import GradeReport
from autograder.grading.runner import GradingOptions
from autograder.grading.scoring import score_submission
from autograder.layout import CourseLayout

_GRADERS: dict[tuple, _WorkerGrader] = {}
_LOCK = threading.Lock()
_CONNECT_TIMEOUT_S = 20
atexit.register(lambda: _close_graders())  # runs before multiprocessing joins its children


def grade_on_dask(layout: CourseLayout, course: Course, assignment: Assignment, submissions: list[Path],
                  scheduler: str, options: GradingOptions,
                  on_report: Callable[[GradeReport], None]) -> list[GradeReport]:
    """Grade ``submissions`` on the cluster of ``scheduler`` (an address, or ``local:N``)."""
    from distributed import as_completed

    arguments = (str(layout.root), course.model_dump_json(), assignment.id, options)
    reports = []
    with _client(scheduler) as client:
        futures = {client.submit(grade_on_worker, *arguments, str(path), pure=False,
                                 key=f"grade-{submission_id(path)}-{uuid.uuid4().hex[:8]}"): path
                   for path in submissions}
        try:
            for future in as_completed(list(futures)):
                report = _report_of(future, futures.pop(future), assignment)
                future.release()  # a worker lost later must not grade it again
                reports.append(report)
                on_report(report)
        finally:
            client.cancel(list(futures), force=True)
    return reports


def _report_of(future, path: Path, assignment: Assignment) -> GradeReport:
    """The report a task returned; a task that failed (e.g. its workers kept dying) is a NOT_GRADED one."""
    try:
        return GradeReport.from_dict(json.loads(future.result()))
    except Exception as error:  # noqa: BLE001 - any loss of the task is reported for this submission
        reason = type(error).__name__ + (f": {error}" if str(error) else "")
        return score_submission(assignment, [], submission=str(path), submission_id=submission_id(path),
                                errors=(f"{NOT_GRADED} the Dask task failed ({reason})",))


@contextlib.contextmanager
def _client(scheduler: str) -> Iterator:
    """A client of the scheduler at ``scheduler``, or of a local cluster for ``local:N``.

    Raises:
        CourseError: the scheduler cannot be reached.
    """
    import dask
    from distributed import Client, LocalCluster

    if not scheduler.startswith("local:"):
        try:
            client = Client(scheduler, timeout=_CONNECT_TIMEOUT_S)
        except (OSError, ValueError, TypeError) as error:
            raise CourseError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from None
        with client:
            yield client
        return
    # Workers start grading processes, which a daemonic process may not.
    with dask.config.set({"distributed.worker.daemon": False}), \
            LocalCluster(n_workers=int(scheduler.removeprefix("local:")), threads_per_worker=1,
                         processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
        yield client


def grade_on_worker(course_root: str, course_json: str, assignment_id: str, options: GradingOptions,
                    path: str) -> str:
    """A Dask task: grade one submission in this worker's grading process; the report as JSON."""
    key = (course_root, course_json, assignment_id, repr(options))
    with _LOCK:
        grader = _GRADERS.get(key)
        if grader is None or not grader.alive():
            _close_graders()
            grader = _GRADERS[key] = _WorkerGrader(course_root, course_json, assignment_id, options)
        return grader.grade(path)


def _close_graders() -> None:
    """Stop this worker's grading process as the worker exits (its exit would wait for it)."""
    for grader in _GRADERS.values():
        grader.close()
    _GRADERS.clear()


class _WorkerGrader:
    """One grading process on a Dask worker, fed one submission at a time."""

    def __init__(self, course_root: str, course_json: str, assignment_id: str, options: GradingOptions):
        from autograder.sandbox.forkserver import forkserver_context, main_module_hidden, modules_to_preload

        assignment = Course.model_validate_json(course_json).assignment(assignment_id)
        context = forkserver_context(modules_to_preload(CourseLayout(Path(course_root)).solution(assignment)))
        self.tasks, self.results = context.Queue(), context.Queue()
        self.course_json, self.assignment_id = course_json, assignment_id
        self.process = context.Process(target=grade_from_queue, args=(
            course_root, course_json, assignment_id, options, self.tasks, self.results, os.getpid()))
        self.busy = False
        with main_module_hidden():
            self.process.start()

    def alive(self) -> bool:
        """Whether the grading process is still there."""
        return self.process.is_alive()

    def grade(self, path: str) -> str:
        """The report of ``path`` as JSON; a NOT_GRADED report if the grading process dies meanwhile."""
        import queue

        self.busy = True
        self.tasks.put(path)
        try:
            while True:
                try:
                    kind, _, payload = self.results.get(timeout=1.0)
                except queue.Empty:
                    if not self.alive():
                        return self._lost(path)
                    continue
                if kind == "done" and json.loads(payload)["submission"] == path:
                    return payload
        finally:
            self.busy = False

    def _lost(self, path: str) -> str:
        assignment = Course.model_validate_json(self.course_json).assignment(self.assignment_id)
        report = score_submission(assignment, [], submission=path, submission_id=submission_id(path),
                                  errors=(f"{NOT_GRADED} the grading process ended "
                                          f"(exit status {self.process.exitcode})",))
        return json.dumps(report.to_dict())

    def close(self) -> None:
        """Stop the grading process: at once when idle, else giving it a moment to close its worker."""
        stop_processes([self.process], finished=not self.busy)
