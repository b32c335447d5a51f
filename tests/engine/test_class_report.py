"""Does the class report show the right numbers for a small class, on one page that opens offline?

The class: four submissions of a two-task assignment, built from outcomes
(no grading): ann passes everything, bo fails one nll test with a message
that differs from cy's only in its numbers, cy fails it and accuracy and is a day late,
dee could not be imported.
"""

import re

from typer.testing import CliRunner

from autograder.cli import app
from autograder.export.class_report import to_class_report
from autograder.export.class_stats import class_stats
from autograder.grading.results import GradeReport, Lateness, TaskScore, TestResult
from autograder.grading.store import ResultsStore
from tests.engine.sample_reports import FORGED_MARKDOWN


def _test(name, task, passed, points, feedback="", problem=False):
    return TestResult(name, task, "passed" if passed else "failed", points if passed else 0, points,
                      feedback, "visible", submission_problem=problem)


def _report(identity, nll_value, nll_shape, accuracy, seconds, errors=(), problem=False):
    nll = (_test("test_nll.py::test_value", "02.nll", nll_value is None, 1, nll_value or "", problem),
           _test("test_nll.py::test_shape", "02.nll", nll_shape, 1, "" if nll_shape else "wrong shape",
                 problem))
    acc = (_test("test_acc.py::test_acc", "02.accuracy", accuracy, 2, "" if accuracy else "off", problem),)
    tasks = (TaskScore("02.nll", "the loss", sum(test.score for test in nll), 2, nll),
             TaskScore("02.accuracy", "the accuracy", sum(test.score for test in acc), 2, acc))
    return GradeReport("02", f"class/{identity}.py", sum(task.score for task in tasks), 4, tasks,
                       duration_s=seconds, errors=errors, submission_id=identity)


CLASS = [
    _report("ann", None, True, True, 2.0),
    _report("bo", "nll: got 0.25, expected 0.5", True, True, 9.5),
    _report("cy", "nll: got 1.75, expected 3", True, False, 4.0),
    _report("dee", "import failed", False, False, 1.0, errors=(f"syntax error {FORGED_MARKDOWN}",),
            problem=True),
]
LATE = {"cy": Lateness(submitted_at="2026-12-15T23:00:00+00:00", days_late=1, penalty=0.4)}


def test_the_numbers_are_those_of_the_class():
    stats = class_stats(CLASS, LATE)
    assert [row.final for row in stats.rows] == [4, 3, 0.6, 0]
    assert stats.mean == (4 + 3 + 0.6 + 0) / 4
    nll, accuracy = stats.tasks
    assert (nll.mean, nll.full_marks) == ((2 + 1 + 1 + 0) / 4, 0.25)
    assert (accuracy.mean, accuracy.full_marks) == (1.0, 0.5)
    rates = [(test.name, test.passed, test.ran) for test in stats.tests]
    assert rates == [("test_nll.py::test_value", 1, 3), ("test_acc.py::test_acc", 2, 3),
                     ("test_nll.py::test_shape", 3, 3)], "hardest first; dee's import failure left out"
    assert stats.failures[0].message == "nll: got 0.25, expected 0.5"
    assert stats.failures[0].students == ("bo", "cy")
    assert [row.id for row in stats.slowest] == ["bo", "cy", "ann", "dee"]


def test_the_page_shows_them_with_embedded_plots_and_escaped_student_text():
    page = to_class_report(CLASS, LATE)
    assert "4 submissions · final score mean 1.90, median 1.80 of 4 points · 1 with a late penalty" in page
    assert "<td class=number>1.00 / 2</td><td class=number>25%</td>" in page  # nll: mean, full marks
    assert "<td class=number>33%</td><td class=number>1 / 3</td>" in page
    assert "<td class=number>2</td><td>nll: got 0.25, expected 0.5</td><td>bo, cy</td>" in page
    assert ("<td>cy</td><td class=number>1</td><td class=number>1</td><td class=number>−0.4</td>"
            "<td class=number>0.6</td>") in page
    assert len(re.findall(r'<img alt="[^"]+" src="data:image/png;base64,', page)) == 3
    assert not re.search(r"(src|href)=\"(https?:|//)", page), "the page must open offline"
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_report_writes_report_html_from_the_store_and_says_where(tmp_path):
    with ResultsStore(tmp_path) as store:
        for report in CLASS:
            store.put(report, "content", "grader")
    result = CliRunner().invoke(app, ["report", "02", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert f"class report written to {tmp_path / 'report.html'}" in result.output
    assert "Assignment 02: class report" in (tmp_path / "report.html").read_text()


def test_report_on_a_folder_without_a_store_is_one_line(tmp_path):
    result = CliRunner().invoke(app, ["report", "02", str(tmp_path)])
    assert result.exit_code == 2
    assert "holds no results.sqlite: grade the class into it first" in result.output
    assert not (tmp_path / "results.sqlite").exists()


def test_a_late_submission_is_shown_with_raw_score_penalty_and_final_score():
    late = class_stats(CLASS, {"ann": Lateness("2026-12-16T00:00:00+00:00", 2, 0.8)}).rows[0]
    assert (late.score, late.penalty, late.final, late.days_late) == (4, 0.8, 3.2, 2)
