"""Class throughput: 20 submissions graded with 1 and 2 jobs, on a 2-worker Dask cluster, and by nbgrader.

Run: ``python benchmarks/class.py [--ways local1 local2 dask nbgrader] [--time-limit 30] [--course DIR]``

The class (benchmarks/class_02.py): 20 submissions of assignment 02's three loss
functions, 8 correct, 6 wrong, 3 broken, 1 infinite loop, 2 hostile; the other
tasks left as stubs. Each way grades the whole class into a fresh results
store, as ``autograder grade 02 CLASS --class`` does, and prints the wall time
of the class, the seconds per submission, and the median grading time of a
correct submission (warm: its grading process is up). The same submissions,
as notebooks (the released notebook with the three functions written in), go
through ``nbgrader autograde`` with nbgrader's default kernel execution
(``Execute``, with its default cell timeout of 30 s). Our per-call limit is set
to the same 30 s (``--time-limit``; course.yml says 60 s), so the infinite loop
costs each grader the same 30 s per timeout. Timings, not assertions.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))

from class_02 import class_specs, write_class  # noqa: E402
from nbgrader_autograde import LOG_FORMAT, NBGRADER_STEPS, _nbgrader  # noqa: E402

from autograder.grading.classrun import Scheduling, grade_into_store  # noqa: E402
from autograder.grading.runner import GradingOptions  # noqa: E402
from autograder.grading.store import ResultsStore  # noqa: E402
from autograder.layout import CourseLayout  # noqa: E402
from autograder.nbgrader.course_dir import LOCAL_CONFIG_FILE, init_course  # noqa: E402

DEFAULT_KERNEL_CONFIG = f"""\
c = get_config()  # noqa: F821 - nbgrader's default autograding: the notebook runs in a kernel
c.Autograde.autograde_preprocessors = {NBGRADER_STEPS!r}
"""


def _ours(layout: CourseLayout, course, folder: Path, scratch: Path, label: str,
          scheduling: Scheduling) -> dict:
    """Grade the class into a fresh store; wall time and per-submission times."""
    submissions = sorted(folder.iterdir())
    started = time.perf_counter()
    with ResultsStore(scratch / label.replace(" ", "-")) as store:
        grade_into_store("02", submissions, store, layout=layout, course=course, scheduling=scheduling,
                         options=GradingOptions(device="cpu"))
        reports = [result.report for result in store.results("02")]
    total = time.perf_counter() - started
    correct = [report.duration_s for report in reports if report.submission_id.startswith("correct")]
    return {"label": label, "total": total, "per": total / len(submissions),
            "correct": statistics.median(correct), "mean": statistics.fmean(r.score for r in reports)}


def _notebook(release, bodies: dict[str, str], prefix: str):
    """The released notebook with ``bodies`` written into its functions and ``prefix`` before its code."""
    notebook = nbformat.from_dict(release)
    first_code = True
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if first_code and prefix:
            cell.source = prefix + cell.source
        first_code = False
        for name, body in bodies.items():
            if re.search(rf"^def {name}\(", cell.source, re.MULTILINE):
                cell.source = re.sub(r"^\s*raise NotImplementedError\(.*\)\s*$", body.rstrip("\n"),
                                     cell.source, count=1, flags=re.MULTILINE)
    return notebook


def _nbgrader_run(layout: CourseLayout, scratch: Path) -> dict:
    """``nbgrader autograde 02`` with the kernel, on the class as notebooks."""
    course = scratch / "nbgrader"
    init_course(course, layout, only="02")
    (course / LOCAL_CONFIG_FILE).write_text(DEFAULT_KERNEL_CONFIG, encoding="utf-8")
    released = _nbgrader(layout, course, "generate_assignment", "02")
    if released.returncode:
        raise SystemExit(f"nbgrader generate_assignment failed:\n{released.stderr[-3000:]}")
    module = layout.load_course().assignment("02").module_name
    release = nbformat.read(course / "release" / "02" / f"{module}.ipynb", as_version=4)
    release.cells = [cell for cell in release.cells if "nbgrader" in cell.metadata
                     or not cell.source.lstrip().startswith("if __name__")]  # the demo needs MNIST online
    specs = class_specs()
    for name, _, bodies, prefix in specs:
        path = course / "submitted" / name / "02" / f"{module}.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(_notebook(release, bodies, prefix), path)
    total, durations, log = _autograde(layout, course)
    (scratch / "nbgrader-autograde.log").write_text(log, encoding="utf-8")
    correct = [seconds for name, seconds in durations.items() if name.startswith("correct")]
    graded = len(list((course / "autograded").glob("*/02")))
    return {"label": "nbgrader autograde (kernel)", "total": total, "per": total / len(specs),
            "correct": statistics.median(correct) if correct else float("nan"),
            "mean_text": f"{_scores(course)}, {graded} of {len(specs)} notebooks autograded"}


def _autograde(layout: CourseLayout, course: Path) -> tuple[float, dict[str, float], str]:
    """Run ``nbgrader autograde 02``; wall time, seconds per student from its log, and the log."""
    started = time.perf_counter()
    completed = _nbgrader(layout, course, "autograde", "02", f"--Application.log_format={LOG_FORMAT}")
    total = time.perf_counter() - started
    stamps: list[tuple[float, str]] = []
    last = None
    for line in completed.stderr.splitlines():
        stamp, _, message = line.partition(" ")
        try:
            last = float(stamp)
        except ValueError:
            continue
        found = re.search(r"submitted/([^/]+)/02", message)
        if message.startswith("Sanitizing ") and found:
            stamps.append((last, found.group(1)))
    ends = [start for start, _ in stamps[1:]] + [last]
    durations = {name: end - start for (start, name), end in zip(stamps, ends, strict=True)}
    return total, durations, completed.stderr


def _scores(course: Path) -> str:
    """The mean score nbgrader's gradebook holds for the students it graded."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        scores = [submission.score for submission in gradebook.assignment_submissions("02")]
        maximum = gradebook.find_assignment("02").max_score
    return f"mean {statistics.fmean(scores):.2f} / {maximum:g}" if scores else "no scores"


def main() -> None:
    """Grade the class every way asked and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--course", default=None, help="the course root (default: found from here)")
    parser.add_argument("--ways", nargs="*", default=["local1", "local2", "dask", "nbgrader"],
                        choices=["local1", "local2", "dask", "nbgrader"])
    parser.add_argument("--time-limit", type=float, default=30.0,
                        help="our per-call limit in seconds (nbgrader's default cell timeout is 30 s)")
    parser.add_argument("--keep", type=Path, default=None, help="keep the stores and logs in this folder")
    args = parser.parse_args()
    layout = CourseLayout.locate(args.course)
    course = layout.load_course()
    assignment = course.assignment("02").model_copy(update={"time_limit_s": args.time_limit})
    course = course.model_copy(update={"assignments": {**course.assignments, "02": assignment}})
    ours = {"local1": ("local, 1 job", Scheduling(jobs=1)), "local2": ("local, 2 jobs", Scheduling(jobs=2)),
            "dask": ("Dask LocalCluster, 2 workers", Scheduling(scheduler="local:2"))}
    rows = []
    with tempfile.TemporaryDirectory(prefix="class-bench-") as temporary:
        scratch = args.keep or Path(temporary)
        folder = scratch / "class"
        write_class(folder)
        for way in args.ways:
            if way in ours:
                rows.append(_ours(layout, course, folder, scratch, *ours[way]))
            else:
                rows.append(_nbgrader_run(layout, scratch))
    _print(rows, args.time_limit)


def _print(rows: list[dict], time_limit: float) -> None:
    print(f"a class of 20 submissions of 02 (8 correct, 6 wrong, 3 broken, 1 infinite loop, 2 hostile), "
          f"{os.cpu_count()} CPUs, our per-call limit {time_limit:g} s")
    print(f"{'how':<30}{'class s':>9}{'s / submission':>16}{'correct s (median)':>20}  score")
    for row in rows:
        mean = row.get("mean_text") or f"mean {row['mean']:.2f} / 12"
        print(f"{row['label']:<30}{row['total']:>9.1f}{row['per']:>16.2f}{row['correct']:>20.2f}  {mean}")
    theirs = [row for row in rows if row["label"].startswith("nbgrader")]
    for row in rows:
        if theirs and row is not theirs[0]:
            print(f"{row['label']}: {theirs[0]['total'] / row['total']:.2f}x nbgrader's speed")
    print("correct s: ours, a correct submission's grading time in its report (warm); nbgrader's, the "
          "time between its log lines for that notebook (a fresh kernel each; the notebook's public tests).")


if __name__ == "__main__":
    main()
