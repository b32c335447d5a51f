"""Grading speed: each reference in-process and sandboxed, and the sandbox's per-submission overhead.

Run: ``python benchmarks/grading.py [--repeat 3] [--assignments 01 02] [--course DIR]``

Prints, per assignment, the wall time to grade the reference with the hidden
tests in-process and sandboxed (the median of ``--repeat`` runs after one
warm-up that also starts the forkserver), their ratio (target: at most 1.5)
and their difference. Then the sandbox's own costs, measured directly: the
median per-submission overhead after the first (fork a worker from the warm
forkserver, confine it, import the submission, answer one call, kill it and
clean up; target: under 100 ms) and the median round trip of one call.
Timings, not assertions: compare runs before and after a change.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from autograder.api import grade
from autograder.layout import CourseLayout
from autograder.sandbox.settings import settings_for
from autograder.sandbox.transport import SandboxTransport
from autograder.student.proxy import StudentModule


def _seconds(layout: CourseLayout, assignment: str, submission, sandbox: bool) -> float:
    started = time.perf_counter()
    report = grade(assignment, submission, device="cpu", sandbox=sandbox, layout=layout)
    elapsed = time.perf_counter() - started
    if report.score != report.max_score:
        raise SystemExit(f"the reference of {assignment} scored {report.score}/{report.max_score}")
    return elapsed


def _submission_overheads(layout: CourseLayout, course, repeat: int) -> tuple[list[float], list[float]]:
    """Seconds per sandboxed submission (start to clean-up, one call) and per call, on 03's reference."""
    assignment = course.assignment("03")
    settings = settings_for(course, assignment, Path(tempfile.mkdtemp()))  # no data needed
    module = layout.solution(assignment)
    per_submission, per_call = [], []
    for run in range(repeat + 1):  # the first also warms the forkserver
        started = time.perf_counter()
        transport = SandboxTransport(module, settings)
        try:
            StudentModule(transport).conv_output_size(28, 3)
            if run:
                per_submission.append(time.perf_counter() - started)
                for _ in range(20):
                    call_started = time.perf_counter()
                    StudentModule(transport).conv_output_size(28, 3)
                    per_call.append(time.perf_counter() - call_started)
        finally:
            transport.close()
    return per_submission, per_call


def main() -> None:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--assignments", nargs="*", default=None)
    parser.add_argument("--course", default=None, help="the course root (default: found from here)")
    args = parser.parse_args()
    layout = CourseLayout.locate(args.course)
    course = layout.load_course()
    chosen = args.assignments or sorted(course.assignments)
    print(f"{'assignment':<11}{'in-process s':>14}{'sandboxed s':>13}{'ratio':>8}{'difference ms':>15}")
    for assignment in chosen:
        reference = layout.solutions(assignment)
        _seconds(layout, assignment, reference, sandbox=True)  # warm-up: forkserver, caches
        local, sandboxed = [], []
        for _ in range(args.repeat):
            local.append(_seconds(layout, assignment, reference, sandbox=False))
            sandboxed.append(_seconds(layout, assignment, reference, sandbox=True))
        overheads = [s - i for s, i in zip(sandboxed, local, strict=True)]
        print(f"{assignment:<11}{statistics.median(local):>14.2f}{statistics.median(sandboxed):>13.2f}"
              f"{statistics.median(sandboxed) / statistics.median(local):>8.2f}"
              f"{statistics.median(overheads) * 1000:>15.0f}")
    per_submission, per_call = _submission_overheads(layout, course, max(args.repeat, 5))
    print(f"sandbox per submission after the first: {statistics.median(per_submission) * 1000:.0f} ms median"
          f" of {len(per_submission)} (target: under 100 ms)")
    print(f"sandbox round trip of one call: {statistics.median(per_call) * 1000:.1f} ms median")


if __name__ == "__main__":
    main()
