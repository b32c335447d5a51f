"""Does each exporter write its platform's format from one GradeReport, readably?"""

import json

import pytest
from markdown_it import MarkdownIt

from autograder.export import FORMATS, to_gradescope, to_json, to_markdown, to_text
from autograder.grading.results import GradeReport, TaskScore, TestResult
from tests.engine.sample_reports import ordinary_report, stub_report, thirds_report


@pytest.fixture
def report():
    return ordinary_report()


def test_json_has_the_documented_fields(report):
    document = json.loads(to_json(report))
    assert {"assignment", "submission", "score", "max_score", "tasks", "device", "duration_s",
            "version"} <= set(document)
    test = document["tasks"][0]["tests"][0]
    assert {"name", "status", "score", "max_score", "feedback"} <= set(test)


def test_gradescope_maps_statuses_and_visibility_and_drops_skips(report):
    document = json.loads(to_gradescope(report))
    assert document["score"] == 1
    statuses = [(test["status"], test["visibility"]) for test in document["tests"]]
    assert statuses == [("failed", "visible"), ("failed", "after_due_date"), ("passed", "visible")]


def test_markdown_withholds_feedback_that_is_not_yet_visible(report):
    text = to_markdown(report)
    assert "## Assignment 02: 1 / 4" in text
    assert "expected shape ()" in text
    assert "secret detail" not in text
    assert "- 1 more test lost 1 point: its details are released later." in text


def test_text_shows_the_table_and_the_failures(report):
    text = to_text(report)
    assert "02.nll" in text and "total" in text and "expected shape ()" in text


def test_every_format_is_registered():
    assert set(FORMATS) == {"text", "json", "gradescope", "junit", "markdown", "github", "classroom"}


def _report_with_a_syntax_error() -> GradeReport:
    problem = "scratch.py line 3: syntax error: expected ':'"
    broken = [TestResult(f"test_a.py::test_{n}", "02.nll", "error", 0, 1, f"{problem}\nHint: pick the target",
                         "visible", submission_problem=True) for n in range(3)]
    other = TestResult("test_b.py::test_other", "02.nll", "failed", 0, 1, "expected 1, got 2", "visible")
    return GradeReport(assignment="02", submission="sub/", score=0, max_score=4,
                       tasks=(TaskScore("02.nll", "nll", 0, 4, (*broken, other)),), errors=(problem,))


@pytest.mark.parametrize("render", [to_text, to_markdown])
def test_a_submission_problem_is_said_once_not_per_test(render):
    shown = render(_report_with_a_syntax_error())
    assert shown.count("syntax error: expected ':'") == 1
    assert "3 tests failed on the submission problem above" in shown
    assert "expected 1, got 2" in shown


@pytest.mark.parametrize("render", [to_text, to_markdown])
def test_scores_are_shown_with_at_most_two_decimals(render):
    shown = render(thirds_report())
    assert "0.33 / 3" in shown and "0 / 0.33 points" in shown
    assert "0.333" not in shown


def test_json_keeps_scores_at_full_precision():
    document = json.loads(to_json(thirds_report()))
    assert document["score"] == pytest.approx(1 / 3, abs=1e-12)


@pytest.mark.parametrize("render", [to_text, to_markdown])
def test_skipped_tests_show_their_reason(render, report):
    shown = render(report)
    assert "test_b.py::test_gpu" in shown and "no CUDA device on this machine" in shown


def test_text_names_each_failed_test_with_its_reason_not_a_row_of_statuses(report):
    text = to_text(report)
    assert "failed: test_a.py::test_value (0 / 2 points)" in text
    assert "expected shape (), got shape (3,)" in text
    assert "error: test_a.py::test_secret" in text
    assert "failed error" not in text and "passed skipped" not in text


def test_markdown_shows_the_points_of_each_failed_test(report):
    assert "`test_a.py::test_value` failed (0 / 2 points)" in to_markdown(report)


@pytest.mark.parametrize("render", [to_text, to_markdown])
def test_a_hint_repeated_by_every_failed_test_of_a_task_is_shown_once(render):
    shown = render(thirds_report())
    assert shown.count("zero the gradients") == 1
    assert shown.count("Failing test case: fit(lr=0.5)") == 2


@pytest.mark.parametrize("render", [to_text, to_markdown])
def test_an_untouched_stub_is_one_line_per_task(render):
    shown = render(stub_report())
    assert shown.count("NotImplementedError: Task 02.nll") == 1
    assert shown.count("NotImplementedError: Task 02.fit") == 1
    assert "test_x.py::test_0" not in shown
    assert "4 tests (2 points)" in shown and "6 tests (3 points)" in shown


def test_a_long_first_line_of_markdown_feedback_is_text_that_wraps_not_a_code_block():
    tokens = MarkdownIt("commonmark").enable("table").parse(to_markdown(thirds_report()))
    fences = [token.content for token in tokens if token.type == "fence"]
    inline = [token.content for token in tokens if token.type == "inline"]
    assert any("differ at many places differ" in text for text in inline)
    assert not any("differ at many places" in fence for fence in fences)
    assert any("Failing test case: fit(lr=0.5)" in fence for fence in fences)


def test_markdown_says_an_api_policy_violation_and_that_the_task_scores_zero():
    text = to_markdown(thirds_report())
    assert "nll\\_loss is not allowed (the task scores 0)" in text
