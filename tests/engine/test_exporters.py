"""Does each exporter write its platform's format from one GradeReport?"""

import json
import xml.etree.ElementTree as ET

import pytest

from autograder.export import FORMATS, to_gradescope, to_json, to_junit, to_markdown, to_text
from autograder.grading.results import GradeReport, TaskScore, TestResult


@pytest.fixture
def report():
    visible = TestResult("test_a.py::test_value", "02.nll", "failed", 0, 2,
                         "nll(input, target): expected shape (), got shape (3,)", "visible", 0.1)
    hidden = TestResult("test_a.py::test_secret", "02.nll", "error", 0, 1,
                        "secret detail", "after_due_date", 0.2)
    passed = TestResult("test_b.py::test_ok", "02.accuracy", "passed", 1, 1, "", "visible", 0.1)
    skipped = TestResult("test_b.py::test_gpu", "02.accuracy", "skipped", 0, 0,
                         "no CUDA device on this machine", "visible")
    return GradeReport(
        assignment="02", submission="sub/", score=1, max_score=4,
        tasks=(TaskScore("02.nll", "nll", 0, 3, (visible, hidden)),
               TaskScore("02.accuracy", "acc", 1, 1, (passed, skipped))),
        device="cpu", duration_s=1.5, version="0.1.0",
    )


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


def test_junit_counts_failures_errors_and_skips_per_task(report):
    root = ET.fromstring(to_junit(report).split("\n", 1)[1])
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert suites["02.nll"].get("failures") == "1" and suites["02.nll"].get("errors") == "1"
    assert suites["02.accuracy"].get("skipped") == "1"


def test_markdown_withholds_feedback_that_is_not_yet_visible(report):
    text = to_markdown(report)
    assert "## Assignment 02: 1 / 4" in text
    assert "expected shape ()" in text
    assert "secret detail" not in text and "released later" in text


def test_text_shows_the_table_and_the_failures(report):
    text = to_text(report)
    assert "02.nll" in text and "total" in text and "expected shape ()" in text


def test_every_format_is_registered():
    assert set(FORMATS) == {"text", "json", "gradescope", "junit", "markdown"}


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
