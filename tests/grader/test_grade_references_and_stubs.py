"""Do the references score full marks, the stubs zero, and the three submission forms agree?"""

import json

import nbformat
import pytest

from autograder.api import grade
from autograder.export import to_json
from tests.course_under_test import ASSIGNMENTS, COURSE, LAYOUT


@pytest.fixture(scope="module")
def reference_reports():
    return {}


def _reference_report(assignment, cache):
    if assignment not in cache:
        cache[assignment] = grade(assignment, LAYOUT.solutions(assignment), device="cpu", layout=LAYOUT)
    return cache[assignment]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_reference_scores_full_marks(assignment, reference_reports):
    report = _reference_report(assignment, reference_reports)
    problems = [f"{test.name}: {test.feedback}" for task in report.tasks for test in task.tests
                if test.status != "passed"]
    assert report.score == report.max_score, problems
    assert not report.errors


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_stub_scores_zero_without_grader_errors(assignment):
    report = grade(assignment, LAYOUT.stub(COURSE.assignments[assignment]), device="cpu", layout=LAYOUT)
    assert report.score == 0
    assert not report.errors
    statuses = {test.status for task in report.tasks for test in task.tests}
    assert statuses <= {"error", "failed", "skipped"}
    for task in report.tasks:
        for test in task.tests:
            if test.status == "error":
                assert "NotImplementedError" in test.feedback or "Task" in test.feedback, test.feedback


def test_grading_twice_gives_identical_scores(reference_reports, tmp_path):
    mutated = LAYOUT.solution(COURSE.assignments["02"]).read_text().replace(
        "shifted = x - x.max(dim=-1, keepdim=True).values", "shifted = x")
    submission = tmp_path / "scratch.py"
    submission.write_text(mutated)
    first = json.loads(to_json(grade("02", submission, device="cpu", layout=LAYOUT)))
    second = json.loads(to_json(grade("02", submission, device="cpu", layout=LAYOUT)))

    def scores(document):
        return [(t["id"], t["score"], [(x["name"], x["status"], x["score"], x["feedback"])
                                      for x in t["tests"]]) for t in document["tasks"]]

    assert scores(first) == scores(second)
    assert first["score"] < first["max_score"]


def _as_notebook(source: str):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("My submission"),
                      nbformat.v4.new_code_cell("%matplotlib inline\n!pip list"),
                      nbformat.v4.new_code_cell(source)]
    return notebook


def test_folder_file_and_notebook_forms_score_the_same(reference_reports, tmp_path):
    assignment = COURSE.assignments["01"]
    source = LAYOUT.solution(assignment).read_text()
    single_file = tmp_path / "my_work.py"
    single_file.write_text(source)
    notebook = tmp_path / "my_work.ipynb"
    nbformat.write(_as_notebook(source), notebook)
    folder_score = _reference_report("01", reference_reports).score
    assert grade("01", single_file, device="cpu", layout=LAYOUT).score == folder_score
    assert grade("01", notebook, device="cpu", layout=LAYOUT).score == folder_score
