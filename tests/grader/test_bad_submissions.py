"""Does a broken submission still get a complete report, losing only what it breaks?"""

import pytest

from autograder.api import grade
from autograder.errors import CourseError
from tests.course_under_test import COURSE, LAYOUT

TENSORS = COURSE.assignments["01"]
ALL_TASKS_01 = {task.id for task in TENSORS.tasks}


def _reference():
    return LAYOUT.solution(TENSORS).read_text()


def _grade_source(tmp_path, source):
    path = tmp_path / "tensors.py"
    path.write_text(source)
    report = grade("01", path, device="cpu", layout=LAYOUT)
    assert {task.id for task in report.tasks} == ALL_TASKS_01, "every task is in the report"
    return report, {task.id: task for task in report.tasks}


def test_syntax_error_scores_zero_with_the_line(tmp_path):
    report, _ = _grade_source(tmp_path, _reference() + "\ndef broken(:\n    pass\n")
    assert report.score == 0
    assert any("syntax error" in error and "line" in error for error in report.errors)
    assert len(report.errors) == len(set(report.errors)), "each problem is said once"


def test_import_error_scores_zero_with_the_reason(tmp_path):
    report, tasks = _grade_source(tmp_path, "import numpy_that_does_not_exist\n" + _reference())
    assert report.score == 0
    feedback = tasks["01.affine"].tests[0].feedback
    assert "numpy_that_does_not_exist" in feedback and "line 1" in feedback
    assert len(report.errors) == 1 and "numpy_that_does_not_exist" in report.errors[0], \
        "the import error is also said once for the whole submission"
    assert all(report.failed_on_a_submission_problem(test) for task in report.tasks for test in task.tests
               if test.status != "skipped")


def test_missing_function_fails_only_its_task(tmp_path):
    source = _reference().replace("def affine(", "def affine_renamed(")
    report, tasks = _grade_source(tmp_path, source)
    assert tasks["01.affine"].score == 0
    assert "defines no function or class `affine`" in tasks["01.affine"].tests[0].feedback
    others = [task for task_id, task in tasks.items() if task_id != "01.affine"]
    assert all(task.score == task.max_score for task in others)


def test_wrong_signature_fails_only_its_task(tmp_path):
    source = _reference().replace("def affine(x", "def affine(x, extra")
    report, tasks = _grade_source(tmp_path, source)
    assert tasks["01.affine"].score == 0
    assert "TypeError" in tasks["01.affine"].tests[0].feedback
    assert tasks["01.linear_combination"].score == tasks["01.linear_combination"].max_score


def test_wrong_return_type_is_named_in_the_feedback(tmp_path):
    wrong_affine = "def affine(*args, **kwargs):\n    return 'a string'\n\n\ndef _unused(x"
    source = _reference().replace("def affine(x", wrong_affine)
    report, tasks = _grade_source(tmp_path, source)
    assert tasks["01.affine"].score == 0
    assert any("got a str" in test.feedback for test in tasks["01.affine"].tests)


def test_a_path_that_does_not_exist_is_a_one_line_error(tmp_path):
    with pytest.raises(CourseError, match="no submission at"):
        grade("01", tmp_path / "missing.py", layout=LAYOUT)


def test_an_unknown_assignment_is_a_one_line_error(tmp_path):
    with pytest.raises(CourseError, match="no assignment '07'"):
        grade("07", tmp_path, layout=LAYOUT)
