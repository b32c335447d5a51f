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

Stopping: the grading processes ignore SIGINT (a Ctrl-C is the parent's to
handle). When the parent stops (a Ctrl-C, an error), each process is sent
SIGTERM, which ends its pytest session as an interruption would (its worker
and everything the worker started are killed on the way out), and any process
still there a moment later is killed.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from autograder.course import Assignment, Course
from autograder.grading.prepare import submission_id
from autograder.grading.results import GradeReport
from autograder.grading.runner import GradingOptions, grade_many
from autograder.grading.scoring import score_submission
from autograder.layout import CourseLayout

_POLL_S = 1.0
NOT_GRADED = "could not be graded:"
"""How the report of a submission lost with its grading process starts its error (a rerun grades it)."""
_STOP_GRACE_S = 3.0
"""How long stopped grading processes have to kill their workers before they are killed."""


def grade_in_parallel(layout: CourseLayout, course: Course, assignment: Assignment,
                      submissions: list[Path], jobs: int, options: GradingOptions,
                      on_report: Callable[[GradeReport], None]) -> list[GradeReport]:
    """Grade ``submissions`` with ``jobs`` grading processes; reports in the order they finish."""
    from autograder.sandbox.forkserver import forkserver_context, main_module_hidden, modules_to_preload

    context = forkserver_context(modules_to_preload(layout.solution(assignment)))  # the reference's imports
    tasks, results = context.Queue(), context.Queue()
    for path in submissions:
        tasks.put(str(path))
    arguments = (str(layout.root), course.model_dump_json(), assignment.id, options, tasks, results,
                 os.getpid())

    def start() -> object:
        tasks.put(None)  # one stop sign per process
        process = context.Process(target=grade_from_queue, args=arguments)  # its workers are its children
        with main_module_hidden():
            process.start()
        return process

    processes = [start() for _ in range(min(jobs, len(submissions)))]
    reports: list[GradeReport] = []
    in_flight: dict[int, set[str]] = {}
    pending = {str(path) for path in submissions}

    def take(kind: str, pid: int, payload: str) -> None:
        if kind == "started":
            in_flight.setdefault(pid, set()).add(payload)
            return
        report = GradeReport.from_dict(json.loads(payload))
        in_flight.get(pid, set()).discard(report.submission)
        pending.discard(report.submission)
        reports.append(report)
        on_report(report)

    try:
        while pending:
            try:
                take(*results.get(timeout=_POLL_S))
            except queue.Empty:
                processes = _replace_dead(processes, in_flight, pending, reports, course, assignment,
                                          on_report, start)
    except BaseException:  # a Ctrl-C, an error: stop at once, but keep the reports already sent
        stop_processes(processes)
        for message in _sent(results):
            take(*message)
        raise
    stop_processes(processes, finished=True)
    return reports


def _sent(results) -> Iterator[tuple[str, int, str]]:
    """The messages already in ``results`` (its senders are stopped)."""
    while True:
        try:
            yield results.get(timeout=0.1)
        except (queue.Empty, OSError, EOFError):
            return


def stop_processes(processes: list, finished: bool = False) -> None:
    """Stop grading processes: SIGTERM, then SIGKILL for those still running after a moment.

    ``finished``: every submission is reported, so no process has a worker left: kill them now.
    """
    for process in processes if not finished else ():
        if process.is_alive():
            process.terminate()
    deadline = time.monotonic() + (0 if finished else _STOP_GRACE_S)
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join()


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
                                      errors=(f"{NOT_GRADED} the grading process ended "
                                              f"(exit status {process.exitcode})",))
            reports.append(report)
            on_report(report)
        if pending and process.exitcode != 0:
            alive.append(start())
    return alive


def grade_from_queue(course_root: str, course_json: str, assignment_id: str,
                      options: GradingOptions, tasks, results, owner_pid: int) -> None:
    """A grading process: grade submissions from ``tasks`` until a stop sign, one session."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # pytest stops; the worker is closed
    _stop_with_owner(owner_pid)
    _one_torch_thread()
    pid = os.getpid()

    def taken() -> Iterator[Path]:
        for path in iter(tasks.get, None):
            results.put(("started", pid, path))
            yield Path(path)

    try:
        grade_many(assignment_id, taken(), layout=CourseLayout(Path(course_root)),
                   course=Course.model_validate_json(course_json), options=options,
                   on_report=lambda report: results.put(("done", pid, json.dumps(report.to_dict()))))
    except KeyboardInterrupt:  # stopped by the parent (SIGTERM): the worker is already closed
        pass


def _stop_with_owner(owner_pid: int) -> None:
    """Send this process SIGTERM when ``owner_pid`` (the class run, the Dask worker) ends, however it ends.

    A grading process must not go on grading for nobody. The owner is watched
    through a pidfd (Linux), so a reused pid cannot fool the watch; elsewhere
    this is a no-op.
    """
    import os
    import select
    import threading

    try:
        watched = os.pidfd_open(owner_pid)
    except ProcessLookupError:
        os.kill(os.getpid(), signal.SIGTERM)
        return
    except (OSError, AttributeError):
        return

    def watch() -> None:
        select.select([watched], [], [])
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="owner-watch", daemon=True).start()


def _one_torch_thread() -> None:
    """Run the grader's own tensor work (references, comparisons) on one thread.

    Its tensors are small: a second thread only spins, taking the core that a
    sandbox worker, or another grading process, needs (Dask's workers get the
    same setting from their nanny).
    """
    import torch

    torch.set_num_threads(1)
