"""JUnit XML: one testsuite per task, one testcase per hidden test, valid for Jenkins' JUnit schema.

The counters agree with the test cases, as CI views recount them: an
API-policy violation is a failed test case of its task. Each failure or error
names its kind in ``type`` (failed, timeout, policy, error), each test case's
name says what it is worth, and its message what it earned. Student text is
stripped of control characters and of what XML 1.0 cannot hold. CI test views
are the students' to read, so the feedback of a test not yet visible to them
is withheld, as in the Markdown summary: its case says only what it earned.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from autograder.export.findings import points_phrase, score_line, split_hint, status_name
from autograder.export.sanitize import one_line, xml_text
from autograder.grading.results import GradeReport, TaskScore, TestResult

# status -> (element, type); passed tests have neither.
_OUTCOME = {"failed": ("failure", "failed"), "timeout": ("error", "timeout"), "error": ("error", "error"),
            "skipped": ("skipped", "skipped")}
_COUNTERS = ("tests", "failures", "errors", "skipped")
WITHHELD = "the details are released later"


def to_junit(report: GradeReport) -> str:
    """The report as JUnit XML, readable by CI systems' test views."""
    root = ET.Element("testsuites", name=f"assignment {report.assignment}",
                      time=_seconds(report.duration_s))
    totals = dict.fromkeys(_COUNTERS, 0)
    for task in report.tasks:
        suite = _suite(task)
        root.append(suite)
        for counter in _COUNTERS:
            totals[counter] += int(suite.get(counter))
    # Jenkins' schema has no skipped counter on testsuites.
    root.set("tests", str(totals["tests"]))
    root.set("failures", str(totals["failures"]))
    root.set("errors", str(totals["errors"]))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _suite(task: TaskScore) -> ET.Element:
    """One task: its score as a property, a case per test and per API-policy violation."""
    suite = ET.Element("testsuite", name=task.id)
    ET.SubElement(ET.SubElement(suite, "properties"), "property",
                  name="score", value=score_line(task.score, task.max_score))
    for test in task.tests:
        suite.append(_case(task, test))
    for violation in task.violations:
        case = ET.SubElement(suite, "testcase", classname=task.id,
                             name=f"API policy (the task's {points_phrase(task.max_score)})", time="0.000")
        message = f"0 of {points_phrase(task.max_score)}: {one_line(violation)}"
        ET.SubElement(case, "failure", type="policy", message=xml_text(message)).text = xml_text(violation)
    cases = suite.findall("testcase")
    counts = {
        "tests": len(cases),
        "failures": sum(case.find("failure") is not None for case in cases),
        "errors": sum(case.find("error") is not None for case in cases),
        "skipped": sum(case.find("skipped") is not None for case in cases),
    }
    for counter, value in counts.items():
        suite.set(counter, str(value))
    suite.set("time", _seconds(sum(test.duration_s for test in task.tests)))
    return suite


def _case(task: TaskScore, test: TestResult) -> ET.Element:
    """A test case named with its points; a failure, error or skip says why."""
    case = ET.Element("testcase", classname=task.id,
                      name=xml_text(f"{test.name} ({points_phrase(test.max_score)})"),
                      time=_seconds(test.duration_s))
    status = status_name(test)
    if status not in _OUTCOME:
        return case
    element, kind = _OUTCOME[status]
    if not test.visibility.shown_to_students:
        message = f"{score_line(test.score, test.max_score)} points: {WITHHELD}"
        ET.SubElement(case, element, type=kind, message=message).text = WITHHELD
        return case
    body, _ = split_hint(test.feedback)
    first_line = one_line(body.partition("\n")[0]) or status
    if status == "skipped":
        message = first_line
    else:
        message = f"{score_line(test.score, test.max_score)} points: {first_line}"
    detail = ET.SubElement(case, element, type=kind, message=xml_text(message))
    detail.text = xml_text(test.feedback)
    return case


def _seconds(duration_s: float) -> str:
    return f"{max(duration_s, 0.0):.3f}"
