"""JUnit XML: one testsuite per task, one testcase per hidden test."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from autograder.grading.results import GradeReport

_ELEMENT = {"failed": "failure", "error": "error", "timeout": "error", "skipped": "skipped"}


def to_junit(report: GradeReport) -> str:
    """The report as JUnit XML, readable by CI systems' test views."""
    root = ET.Element("testsuites", name=f"assignment {report.assignment}",
                      time=f"{report.duration_s:.3f}")
    for task in report.tasks:
        counts = {status: sum(t.status == status for t in task.tests)
                  for status in ("failed", "error", "timeout", "skipped")}
        suite = ET.SubElement(
            root, "testsuite", name=task.id, tests=str(len(task.tests)),
            failures=str(counts["failed"]), errors=str(counts["error"] + counts["timeout"]),
            skipped=str(counts["skipped"]),
        )
        ET.SubElement(
            ET.SubElement(suite, "properties"), "property",
            name="score", value=f"{task.score:g}/{task.max_score:g}",
        )
        for test in task.tests:
            case = ET.SubElement(suite, "testcase", classname=task.id, name=test.name,
                                 time=f"{test.duration_s:.3f}")
            if test.status in _ELEMENT:
                summary = test.feedback.splitlines()[0] if test.feedback else test.status
                detail = ET.SubElement(case, _ELEMENT[test.status], message=summary)
                detail.text = test.feedback
        for violation in task.violations:
            case = ET.SubElement(suite, "testcase", classname=task.id, name="API policy")
            ET.SubElement(case, "failure", message=violation).text = violation
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
