"""The report as our own JSON document."""

from __future__ import annotations

import json

from autograder.grading.results import GradeReport


def to_json(report: GradeReport) -> str:
    """Every field of the report, tasks and tests included, as indented JSON."""
    return json.dumps(report.to_dict(), indent=2) + "\n"
