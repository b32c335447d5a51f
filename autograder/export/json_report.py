"""The report as our own JSON document."""

from __future__ import annotations

import json

from autograder.export.sanitize import plain
from autograder.grading.results import GradeReport


def to_json(report: GradeReport) -> str:
    """Every field of the report, tasks and tests included, as indented JSON.

    Numbers keep their full precision; strings lose escape sequences and control
    characters (newlines and tabs kept), so printing a field cannot drive a terminal.
    """
    return json.dumps(plain_data(report.to_dict()), indent=2) + "\n"


def plain_data(value):
    """``value`` (JSON-ready data) with :func:`~autograder.export.sanitize.plain` applied to every string."""
    if isinstance(value, str):
        return plain(value)
    if isinstance(value, dict):
        return {plain_data(key): plain_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain_data(item) for item in value]
    return value
