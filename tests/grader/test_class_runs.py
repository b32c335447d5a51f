"""Does a class run keep every finished report, stop at once on Ctrl-C, and grade only the rest again?

The course is a copy of assignment 01 with its linear-algebra tests only and a
3 s time limit, so that a hanging submission holds the run long enough to be
interrupted and is graded quickly on the rerun. The rerun is given submission
times, and a late submission loses points under the course's late policy.
"""

import csv
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta

import psutil
import pytest
import yaml

from autograder.layout import CourseLayout
from tests.course_under_test import COURSE, LAYOUT

ASSIGNMENT = COURSE.assignment("01")
HANGING = "def linear_combination(xs, weights):\n    while True:\n        pass\n"


def _small_course(target):
    """Assignment 01 with its linear-algebra tests only and short limits."""
    target.mkdir()
    course = yaml.safe_load(LAYOUT.course_file.read_text())
    course["assignments"] = {"01": {**course["assignments"]["01"], "time_limit_s": 3, "budget_s": 20}}
    (target / "course.yml").write_text(yaml.safe_dump(course, sort_keys=False))
    shutil.copytree(LAYOUT.solutions("01"), target / "solutions" / "01")
    (target / "tests" / "hidden" / "01").mkdir(parents=True)
    shutil.copy(LAYOUT.hidden_tests("01") / "test_linear_algebra.py", target / "tests" / "hidden" / "01")
    return CourseLayout(target)


@pytest.fixture
def small_class(tmp_path):
    layout = _small_course(tmp_path / "course")
    folder = tmp_path / "class"
    folder.mkdir()
    reference = layout.solution(ASSIGNMENT).read_text()
    (folder / "a_right.py").write_text(reference)
    (folder / "b_broken.py").write_text("def affine(x, W, b:\n")
    (folder / "c_hangs.py").write_text(reference + HANGING)
    (folder / "d_wrong.py").write_text(reference.replace("return x @ W.T + b", "return x @ W + b"))
    return layout, folder, tmp_path / "gradebook"


def _grade_command(layout, folder, out):
    return [sys.executable, "-m", "autograder", "grade", "01", str(folder), "--class", "--out", str(out),
            "--course", str(layout.root), "--device", "cpu"]


def _environment():
    return {**os.environ, "PYTHONPATH": str(LAYOUT.root)}


def _ctrl_c_as_in_a_terminal():
    """In the run's process, before it starts: SIGINT does what it does by default.

    A process inherits an ignored SIGINT, and Python then installs no Ctrl-C
    handler: whatever the test process inherited, the run must see Ctrl-C.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _stored(out) -> dict[str, str]:
    """``{submission id: graded_at}`` as the store holds them now."""
    path = out / "results.sqlite"
    if not path.exists():
        return {}
    try:
        with sqlite3.connect(path) as connection:
            return dict(connection.execute("SELECT submission_id, graded_at FROM results"))
    except sqlite3.OperationalError:  # the table is not created yet
        return {}


def _wait_for(condition, timeout_s: float, what: str):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"waited {timeout_s:g} s for {what}")


def _hanging_call_running(run) -> bool:
    """Whether a process the run started keeps busy on the CPU: c_hangs's worker in its loop.

    Only that worker spins for a whole second: the grading process waits on it,
    and the submissions before c_hangs are finished (their reports are stored).
    """
    try:
        processes = psutil.Process(run.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return False
    busy = set(processes)
    for _ in range(2):  # two half-second windows: a start-up burst is shorter
        before = {process: _cpu_seconds(process) for process in busy}
        time.sleep(0.5)
        busy = {process for process, seconds in before.items() if _cpu_seconds(process) - seconds > 0.1}
    return bool(busy)


def _cpu_seconds(process) -> float:
    try:
        times = process.cpu_times()
    except psutil.Error:
        return 0.0
    return times.user + times.system


def _interrupt_during_c_hangs(run, out) -> list:
    """Wait until c_hangs is in a hanging call, then list the run's processes (to check they end)."""
    def in_c_hangs() -> bool:
        stored = set(_stored(out))
        assert stored <= {"a_right", "b_broken"}, (
            f"c_hangs was graded before it could be interrupted: {stored}")
        return len(stored) == 2 and _hanging_call_running(run)

    _wait_for(in_c_hangs, 300, "c_hangs to be in a hanging call")
    return psutil.Process(run.pid).children(recursive=True)


def test_an_interrupted_class_run_keeps_its_reports_and_the_rerun_grades_only_the_rest(small_class):
    layout, folder, out = small_class
    run = subprocess.Popen(_grade_command(layout, folder, out), env=_environment(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           preexec_fn=_ctrl_c_as_in_a_terminal)
    try:
        helpers = _interrupt_during_c_hangs(run, out)
        run.send_signal(signal.SIGINT)
        _, stderr = run.communicate(timeout=30)
    finally:
        run.kill()
    assert run.returncode == 130, f"SIGINT in the test process: {signal.getsignal(signal.SIGINT)}; {stderr}"
    assert "interrupted: 2 of 4 submissions graded and kept" in stderr
    assert "Traceback" not in stderr
    _, outliving = psutil.wait_procs(helpers, timeout=15)  # the forkservers end as they see it gone
    assert helpers and not [helper for helper in outliving if helper.status() != psutil.STATUS_ZOMBIE], (
        "a grading process, a forkserver or a worker outlived the run")
    first = _stored(out)
    assert set(first) == {"a_right", "b_broken"}
    with open(out / "grades.csv") as file:
        assert [row["submission"] for row in csv.DictReader(file)] == ["a_right", "b_broken"]

    times = folder.parent / "times.csv"  # d_wrong is two started days late: 20% of 12 points off
    times.write_text(f"submission,submitted_at\nd_wrong.py,{ASSIGNMENT.due + timedelta(days=1, hours=2)}\n")
    rerun = subprocess.run([*_grade_command(layout, folder, out), "--submitted-times", str(times)],
                           env=_environment(), capture_output=True, text=True, timeout=300)

    assert rerun.returncode == 0, rerun.stderr
    assert "4 submissions graded and kept" in rerun.stdout and "(2 from earlier runs)" in rerun.stdout
    second = _stored(out)
    assert {key: second[key] for key in first} == first, "a stored report was graded again"
    with open(out / "grades.csv") as file:
        rows = {row["submission"]: row for row in csv.DictReader(file)}
    assert list(rows) == ["a_right", "b_broken", "c_hangs", "d_wrong"]
    assert float(rows["a_right"]["score"]) == 4 and float(rows["b_broken"]["score"]) == 0
    assert float(rows["c_hangs"]["01.linear_combination"]) == 0 and float(rows["c_hangs"]["01.affine"]) == 2
    late = rows["d_wrong"]
    assert (float(late["score"]), float(late["late_penalty"]), float(late["final_score"])) == (2, 2.4, 0)
    assert float(rows["a_right"]["late_penalty"]) == 0


def test_a_class_run_killed_outright_leaves_no_grading_process_behind(small_class):
    """Does every process a class run started end when the run is killed with SIGKILL (no clean-up)?"""
    layout, folder, out = small_class
    for number in range(5):  # 30 s of work or more left when the run is killed
        (folder / f"e_hangs_{number}.py").write_text((folder / "c_hangs.py").read_text() + f"# {number}\n")
    run = subprocess.Popen(_grade_command(layout, folder, out), env=_environment(),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        helpers = _interrupt_during_c_hangs(run, out)
        run.kill()
        run.wait(timeout=30)
    finally:
        run.kill()
    _, outliving = psutil.wait_procs(helpers, timeout=15)
    assert len(helpers) >= 3 and not [helper for helper in outliving
                                      if helper.status() != psutil.STATUS_ZOMBIE], outliving
