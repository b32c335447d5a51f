"""Class throughput: 20 submissions graded with 1 and 2 jobs, on a 2-worker Dask cluster, and by nbgrader.

Run: ``python benchmarks/class.py [--skip-nbgrader] [--course DIR]``

The class (benchmarks/class_02.py): 20 submissions of assignment 02's three loss
functions, 8 correct, 6 wrong, 3 broken, 1 infinite loop, 2 hostile; the other
tasks left as stubs. Each way grades the whole class into a fresh results
store, as ``autograder grade 02 CLASS --class`` does, and prints the wall time
of the class, the seconds per submission, and the median grading time of a
correct submission (warm: its grading process is up). The same submissions,
as notebooks (the released notebook with the three functions written in), go
through ``nbgrader autograde`` with nbgrader's default kernel execution
(``Execute``, with its default cell timeout). Timings, not assertions.
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
from nbgrader_autograde import NBGRADER_STEPS, _mean_score, _nbgrader, _timings  # noqa: E402

from autograder.grading.classrun import Scheduling, grade_into_store  # noqa: E402
from autograder.grading.runner import GradingOptions  # noqa: E402
from autograder.grading.store import ResultsStore  # noqa: E402
from autograder.layout import CourseLayout  # noqa: E402
from autograder.nbgrader.course_dir import LOCAL_CONFIG_FILE, init_course  # noqa: E402

DEFAULT_KERNEL_CONFIG = f"""\
c = get_config()  # noqa: F821 - nbgrader's default autograding: the notebook runs in a kernel
c.Autograde.autograde_preprocessors = {NBGRADER_STEPS!r}
"""


def _ours(layout: CourseLayout, folder: Path, scratch: Path, label: str, scheduling: Scheduling) -> dict:
    """Grade the class into a fresh store; wall time and per-submission times."""
    course = layout.load_course()
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
    total, first, rest, problem = _timings(layout, course, "02")
    return {"label": "nbgrader autograde (kernel)", "total": total, "per": total / len(specs),
            "correct": rest, "problem": problem, "mean_text": _mean_score(course, "02", len(specs))}


def main() -> None:
    """Grade the class every way and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--course", default=None, help="the course root (default: found from here)")
    parser.add_argument("--skip-nbgrader", action="store_true")
    parser.add_argument("--skip-dask", action="store_true")
    args = parser.parse_args()
    layout = CourseLayout.locate(args.course)
    rows = []
    with tempfile.TemporaryDirectory(prefix="class-bench-") as scratch:
        folder = Path(scratch) / "class"
        write_class(folder)
        rows.append(_ours(layout, folder, Path(scratch), "local, 1 job", Scheduling(jobs=1)))
        rows.append(_ours(layout, folder, Path(scratch), "local, 2 jobs", Scheduling(jobs=2)))
        if not args.skip_dask:
            rows.append(_ours(layout, folder, Path(scratch), "Dask LocalCluster, 2 workers",
                              Scheduling(scheduler="local:2")))
        if not args.skip_nbgrader:
            rows.append(_nbgrader_run(layout, Path(scratch)))
    print(f"a class of 20 submissions of 02 (8 correct, 6 wrong, 3 broken, 1 infinite loop, 2 hostile), "
          f"{os.cpu_count()} CPUs")
    print(f"{'how':<30}{'class s':>9}{'s / submission':>16}{'correct s (median)':>20}  mean score")
    for row in rows:
        mean = row.get("mean_text") or f"{row['mean']:.2f}"
        print(f"{row['label']:<30}{row['total']:>9.1f}{row['per']:>16.2f}{row['correct']:>20.2f}  {mean}")
        if row.get("problem"):
            print(f"  failed: {row['problem']}")
    if rows[-1]["label"].startswith("nbgrader") and not rows[-1].get("problem"):
        for row in rows[:-1]:
            print(f"{row['label']}: {rows[-1]['total'] / row['total']:.1f}x faster than nbgrader's autograde")
    print("correct s: for ours, a correct submission's own grading time in the report; for nbgrader, the "
          "median notebook after the first (nbgrader runs only the notebook's public tests).")


if __name__ == "__main__":
    main()
