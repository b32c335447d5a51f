"""`nbgrader autograde` with the course autograder's step vs nbgrader's own kernel execution.

Run: ``python benchmarks/nbgrader_autograde.py [--students 6] [--assignment 02]``

Builds two temporary nbgrader courses with ``autograder nbgrader init`` and the
same submissions (the reference solution in the released notebook, its
demonstration cell left out as it needs MNIST from the network). The first
course autogrades with ``GradeWithAutograder`` (hidden tests, sandboxed); the
second restores nbgrader's default steps, so each notebook runs in a fresh
Jupyter kernel (``Execute``). Prints the wall time of one ``nbgrader autograde``
per course, the time per notebook, their ratio, and the mean score each
gradebook recorded. Timings, not assertions.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from autograder.layout import CourseLayout
from autograder.nbgrader.course_dir import AUTOGRADE_STEPS, GRADE_STEP, LOCAL_CONFIG_FILE, init_course

NBGRADER_STEPS = [
    "nbgrader.preprocessors.Execute" if step == GRADE_STEP else step for step in AUTOGRADE_STEPS
]
LOG_FORMAT = "%(created).3f %(message)s"
KERNEL_CONFIG = f"""\
c = get_config()  # noqa: F821 - nbgrader's default autograding: the notebook runs in a kernel
c.Autograde.autograde_preprocessors = {NBGRADER_STEPS!r}
c.Execute.timeout = 300
"""


def _nbgrader(layout: CourseLayout, course: Path, *args: str) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("nbgrader")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "nbgrader"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(layout.root), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([*command, *args], cwd=course, env=env, capture_output=True, text=True)


def _submission(course: Path, assignment: str, module: str):
    """The released notebook with the reference's solution cells, without the demo cell."""
    release = nbformat.read(course / "release" / assignment / f"{module}.ipynb", as_version=4)
    source = nbformat.read(course / "source" / assignment / f"{module}.ipynb", as_version=4)
    solutions = {cell.id: cell.source for cell in source.cells
                 if cell.metadata.get("nbgrader", {}).get("solution") and cell.cell_type == "code"}
    cells = []
    for cell in release.cells:
        if "nbgrader" not in cell.metadata and cell.source.lstrip().startswith("if __name__"):
            continue
        if cell.id in solutions:
            cell.source = "\n".join(line for line in solutions[cell.id].splitlines()
                                    if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line)
        cells.append(cell)
    release.cells = cells
    return release


def _course(layout: CourseLayout, folder: Path, assignment: str, module: str, students: int,
            kernel: bool) -> Path:
    init_course(folder, layout, only=assignment)
    if kernel:
        (folder / LOCAL_CONFIG_FILE).write_text(KERNEL_CONFIG, encoding="utf-8")
    released = _nbgrader(layout, folder, "generate_assignment", assignment)
    if released.returncode:
        raise SystemExit(f"nbgrader generate_assignment failed:\n{released.stderr[-3000:]}")
    notebook = _submission(folder, assignment, module)
    for index in range(students):
        path = folder / "submitted" / f"student{index:03d}" / assignment / f"{module}.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(notebook, path)
    return folder


def _timings(layout: CourseLayout, course: Path, assignment: str) -> tuple[float, float, float, str]:
    """Wall time of the class, of its first notebook, the median of the others, and a problem.

    Per-notebook times come from the timestamps of nbgrader's own log: a
    notebook starts at its "Sanitizing" line and ends where the next starts.
    """
    started = time.perf_counter()
    completed = _nbgrader(layout, course, "autograde", assignment, f"--Application.log_format={LOG_FORMAT}")
    total = time.perf_counter() - started
    stamps, last = [], None
    for line in completed.stderr.splitlines():
        stamp, _, message = line.partition(" ")
        try:
            last = float(stamp)
        except ValueError:
            continue
        if message.startswith("Sanitizing "):
            stamps.append(last)
    problem = ""
    if completed.returncode or not stamps:
        lines = [line for line in completed.stderr.splitlines() if "ERROR" in line or "Error" in line]
        problem = (lines or completed.stderr.splitlines() or ["no output"])[-1]
        return total, float("nan"), float("nan"), problem
    durations = [end - start for start, end in zip(stamps, [*stamps[1:], last], strict=True)]
    rest = statistics.median(durations[1:]) if len(durations) > 1 else float("nan")
    return total, durations[0], rest, problem


def _mean_score(course: Path, assignment: str, students: int) -> str:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        scores = []
        for index in range(students):
            try:
                scores.append(gradebook.find_submission(assignment, f"student{index:03d}").score)
            except Exception:  # noqa: BLE001 - a submission that failed to autograde
                continue
        max_score = gradebook.find_assignment(assignment).max_score
    if not scores:
        return "none recorded"
    return f"{sum(scores) / len(scores):g} / {max_score:g} ({len(scores)} notebooks)"


def main() -> None:
    """Build both courses, autograde each, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=6)
    parser.add_argument("--assignment", default="02")
    parser.add_argument("--course", default=None, help="the course root (default: found from here)")
    args = parser.parse_args()
    layout = CourseLayout.locate(args.course)
    assignment = layout.load_course().assignment(args.assignment)
    rows = []
    with tempfile.TemporaryDirectory(prefix="nbgrader-bench-") as scratch:
        for label, kernel in (("course autograder (sandboxed)", False), ("nbgrader Execute (kernel)", True)):
            course = _course(layout, Path(scratch) / ("kernel" if kernel else "ours"), assignment.id,
                             assignment.module_name, args.students, kernel)
            rows.append((label, *_timings(layout, course, assignment.id),
                         _mean_score(course, assignment.id, args.students)))
    print(f"nbgrader autograde {assignment.id}: {args.students} copies of the reference notebook, "
          f"{os.cpu_count()} CPUs")
    print(f"{'step':<31}{'class s':>9}{'first s':>9}{'next s (median)':>17}  mean score")
    for label, total, first, rest, problem, score in rows:
        print(f"{label:<31}{total:>9.1f}{first:>9.2f}{rest:>17.2f}  {score}")
        if problem:
            print(f"  {label} failed: {problem}")
    if rows[1][4] or rows[0][4]:
        print("One of the runs did not complete (for the kernel: is ipykernel installed and a python3 "
              "kernelspec registered?), so there is no ratio.")
    else:
        print(f"per notebook after the first, kernel / course autograder: {rows[1][3] / rows[0][3]:.1f}x")
    print("class s includes nbgrader's start-up; first s includes the grader's one-off warm-up "
          "(its forkserver imports torch once).")
    print("The course autograder runs the hidden tests; the kernel runs only the notebook's public "
          "tests and gives full marks to any test cell that shows no error.")


if __name__ == "__main__":
    main()
