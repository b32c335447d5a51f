"""Is the course an explicit root, with its own course.yml, hidden tests and limits?"""

import json
import shutil
import subprocess
import sys

import pytest
import yaml

from autograder.errors import CourseError
from autograder.layout import COURSE_ENVIRONMENT_VARIABLE, CourseLayout
from tests.course_under_test import COURSE, LAYOUT

COURSE_02 = COURSE.assignment("02")

SLOW_ACCURACY = """
import time as _time


def accuracy(out, yb):
    _time.sleep(3)
    return (out.argmax(dim=1) == yb).float().mean()
"""


def _copy_of_assignment_02(target):
    """A second course: course.yml, the 02 reference and hidden tests, nothing else."""
    target.mkdir()
    shutil.copy(LAYOUT.course_file, target / "course.yml")
    shutil.copytree(LAYOUT.solutions("02"), target / "solutions" / "02")
    shutil.copytree(LAYOUT.hidden_tests("02"), target / "tests" / "hidden" / "02",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return CourseLayout(target)


def test_grade_uses_the_course_named_by_course(tmp_path):
    """Do a changed point value, a changed time limit and a removed test file all take effect?"""
    other = _copy_of_assignment_02(tmp_path / "other-course")
    course = yaml.safe_load(other.course_file.read_text())
    assignment = course["assignments"]["02"]
    next(task for task in assignment["tasks"] if task["id"] == "02.nll")["points"] = 5
    assignment["time_limit_s"] = 1
    other.course_file.write_text(yaml.safe_dump(course, sort_keys=False))
    for tests_of_fit in ("test_fit.py", "test_fit_results.py"):
        (other.hidden_tests("02") / tests_of_fit).unlink()
    submission = tmp_path / "scratch.py"
    submission.write_text(LAYOUT.solution(COURSE_02).read_text() + SLOW_ACCURACY)

    completed = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", "02", str(submission), "--course", str(other.root),
         "--format", "json", "--device", "cpu"],
        cwd=tmp_path, capture_output=True, text=True, timeout=900)

    assert completed.returncode == 0, completed.stderr
    tasks = {task["id"]: task for task in json.loads(completed.stdout)["tasks"]}
    assert tasks["02.nll"]["max_score"] == 5 and tasks["02.nll"]["score"] == 5
    accuracy = [test for test in tasks["02.accuracy"]["tests"] if test["status"] != "skipped"]
    assert accuracy and all(test["status"] == "timeout" for test in accuracy), accuracy
    assert "after 1 s" in accuracy[0]["feedback"]
    assert tasks["02.fit"]["tests"] == [], "the other course has no tests of fit"


def test_the_course_is_found_upwards_from_the_working_folder(tmp_path):
    (tmp_path / "course.yml").write_text("")
    inner = tmp_path / "assignments" / "02"
    inner.mkdir(parents=True)
    assert CourseLayout.locate(start=inner).root == tmp_path.resolve()


def test_the_environment_names_a_course(tmp_path, monkeypatch):
    (tmp_path / "course.yml").write_text("")
    monkeypatch.setenv(COURSE_ENVIRONMENT_VARIABLE, str(tmp_path))
    assert CourseLayout.locate(start="/").root == tmp_path.resolve()


def test_an_explicit_root_wins_over_the_environment(tmp_path, monkeypatch):
    for name in ("chosen", "environment"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "course.yml").write_text("")
    monkeypatch.setenv(COURSE_ENVIRONMENT_VARIABLE, str(tmp_path / "environment"))
    assert CourseLayout.locate(tmp_path / "chosen").root == (tmp_path / "chosen").resolve()


@pytest.mark.parametrize("where", ["named", "searched"])
def test_no_course_is_one_clear_error(tmp_path, monkeypatch, where):
    monkeypatch.delenv(COURSE_ENVIRONMENT_VARIABLE, raising=False)
    with pytest.raises(CourseError, match="course.yml"):
        if where == "named":
            CourseLayout.locate(tmp_path)
        else:
            CourseLayout.locate(start=tmp_path)


def test_the_cli_says_where_no_course_was_found(tmp_path, monkeypatch):
    monkeypatch.delenv(COURSE_ENVIRONMENT_VARIABLE, raising=False)
    completed = subprocess.run([sys.executable, "-m", "autograder", "build"], cwd=tmp_path,
                               capture_output=True, text=True, timeout=300)
    assert completed.returncode == 2
    assert "no course.yml" in completed.stderr and "Traceback" not in completed.stderr
