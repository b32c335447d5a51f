"""Grading speed: each reference in-process and sandboxed, and the sandbox's per-submission overhead.

Run: ``python benchmarks/grading.py [--repeat 3] [--assignments 01 02]``

Prints, per assignment, the wall time to grade the reference with the hidden
tests in-process and sandboxed (the median of ``--repeat`` runs after one
warm-up that also starts the forkserver), their ratio (target: at most 1.5),
and the median per-submission overhead of the sandbox (target: under 100 ms).
Timings, not assertions: compare runs before and after a change.
"""

from __future__ import annotations

import argparse
import statistics
import time

from autograder.api import grade
from autograder.build.stubs import solution_path
from autograder.course import default_course


def _seconds(assignment: str, submission, sandbox: bool) -> float:
    started = time.perf_counter()
    report = grade(assignment, submission, device="cpu", sandbox=sandbox)
    elapsed = time.perf_counter() - started
    if report.score != report.max_score:
        raise SystemExit(f"the reference of {assignment} scored {report.score}/{report.max_score}")
    return elapsed


def main() -> None:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--assignments", nargs="*", default=None)
    args = parser.parse_args()
    course = default_course()
    chosen = args.assignments or sorted(course.assignments)
    print(f"{'assignment':<11}{'in-process s':>14}{'sandboxed s':>13}{'ratio':>8}{'overhead ms':>13}")
    for assignment in chosen:
        reference = solution_path(course.assignment(assignment)).parent
        _seconds(assignment, reference, sandbox=True)  # warm-up: forkserver, caches
        local, sandboxed = [], []
        for _ in range(args.repeat):
            local.append(_seconds(assignment, reference, sandbox=False))
            sandboxed.append(_seconds(assignment, reference, sandbox=True))
        overheads = [s - i for s, i in zip(sandboxed, local, strict=True)]
        print(f"{assignment:<11}{statistics.median(local):>14.2f}{statistics.median(sandboxed):>13.2f}"
              f"{statistics.median(sandboxed) / statistics.median(local):>8.2f}"
              f"{statistics.median(overheads) * 1000:>13.0f}")


if __name__ == "__main__":
    main()
