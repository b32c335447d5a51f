"""Do CI systems and Gradescope read our JUnit XML and results.json as their specifications say?"""

import json
from pathlib import Path

import jsonschema
import pytest
from junitparser import Error, Failure, JUnitXml, Skipped
from lxml import etree

from autograder.export import to_gradescope, to_junit
from tests.engine.sample_reports import hostile_report, ordinary_report, stub_report, thirds_report

SCHEMAS = Path(__file__).parent / "schemas"
REPORTS = [ordinary_report, hostile_report, stub_report, thirds_report]


def _read_junit(report, folder: Path) -> JUnitXml:
    """The XML as a CI system reads it: from a file."""
    path = folder / "junit.xml"
    path.write_text(to_junit(report), encoding="utf-8")
    return JUnitXml.fromfile(str(path))


@pytest.fixture(scope="module")
def jenkins_schema():
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "jenkins-junit-10.xsd")))


@pytest.fixture(scope="module")
def gradescope_schema():
    schema = json.loads((SCHEMAS / "gradescope-results.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


@pytest.mark.parametrize("make", REPORTS)
def test_junit_validates_against_the_jenkins_schema(make, jenkins_schema):
    document = etree.fromstring(to_junit(make()).encode("utf-8"))
    jenkins_schema.assertValid(document)


@pytest.mark.parametrize("make", REPORTS)
def test_junitparser_reads_counters_that_match_the_test_cases(make, tmp_path):
    xml = _read_junit(make(), tmp_path)
    for suite in xml:
        results = [type(result) for case in suite for result in case.result]
        assert suite.tests == len(list(suite))
        assert suite.failures == results.count(Failure)
        assert suite.errors == results.count(Error)
        assert suite.skipped == results.count(Skipped)
        assert suite.time is not None
    assert xml.tests == sum(suite.tests for suite in xml)
    assert xml.failures == sum(suite.failures for suite in xml)


def test_an_api_policy_violation_counts_as_a_failed_test_case(tmp_path):
    xml = _read_junit(thirds_report(), tmp_path)
    nll = next(suite for suite in xml if suite.name == "02.nll")
    assert (nll.tests, nll.failures) == (2, 1)
    policy = [result for case in nll for result in case.result]
    assert [(result.type, "nll_loss" in result.message) for result in policy] == [("policy", True)]


def test_junit_failures_carry_their_kind_and_suites_their_time(tmp_path):
    xml = _read_junit(hostile_report(), tmp_path)
    nll = next(suite for suite in xml if suite.name == "02.nll")
    kinds = [(type(result).__name__, result.type) for case in nll for result in case.result]
    assert kinds == [("Failure", "failed"), ("Error", "error"), ("Error", "timeout"),
                     ("Skipped", "skipped"), ("Failure", "policy")]
    assert nll.time == pytest.approx(10.1)


def test_junit_test_cases_show_their_points_in_the_name_and_what_they_earned_in_the_message(tmp_path):
    xml = _read_junit(ordinary_report(), tmp_path)
    cases = {case.name: case for suite in xml for case in suite}
    assert set(cases) >= {"test_a.py::test_value (2 points)", "test_b.py::test_ok (1 point)"}
    message = cases["test_a.py::test_value (2 points)"].result[0].message
    assert message.startswith("0 / 2 points: nll(input, target): expected shape ()")


@pytest.mark.parametrize("make", REPORTS)
def test_gradescope_results_follow_the_specification(make, gradescope_schema):
    jsonschema.validate(json.loads(to_gradescope(make())), gradescope_schema)


def test_the_gradescope_schema_refuses_a_misspelt_field(gradescope_schema):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"score": 1, "tests": [{"score": 1, "visiblity": "visible"}]}, gradescope_schema)


def test_gradescope_results_carry_numbers_formats_times_and_task_totals():
    document = json.loads(to_gradescope(ordinary_report()))
    assert document["score"] == 1 and document["execution_time"] == 2
    assert document["output_format"] == document["test_output_format"] == "md"
    assert document["stdout_visibility"] == "hidden"
    assert [test["number"] for test in document["tests"]] == ["1.1", "1.2", "2.1"]
    assert {test["output_format"] for test in document["tests"]} == {"md"}
    assert document["extra_data"]["tasks"] == [
        {"id": "02.nll", "score": 0, "max_score": 3, "violations": []},
        {"id": "02.accuracy", "score": 1, "max_score": 1, "violations": []},
    ]
    assert "`02.nll`: 0 / 3" in document["output"]


def test_gradescope_tests_of_a_task_that_broke_the_api_policy_add_up_to_its_zero():
    document = json.loads(to_gradescope(thirds_report()))
    assert sum(test["score"] for test in document["tests"]) == pytest.approx(document["score"])
    policy = [test for test in document["tests"] if "policy" in test["tags"]]
    assert len(policy) == 1 and policy[0]["status"] == "failed"


def test_junit_withholds_the_feedback_of_tests_not_yet_visible_to_students(tmp_path):
    """CI test views are the students' to read: a hidden test says what it earned, not why."""
    xml = _read_junit(ordinary_report(), tmp_path)
    cases = {case.name.split(" ")[0]: case for suite in xml for case in suite}
    withheld, shown = cases["test_a.py::test_secret"], cases["test_a.py::test_value"]
    assert [type(result) for result in withheld.result] == [Error]
    assert withheld.result[0].message == "0 / 1 points: the details are released later"
    assert "secret detail" not in to_junit(ordinary_report())
    assert "expected shape ()" in shown.result[0].message
