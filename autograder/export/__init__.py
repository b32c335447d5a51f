"""Exporters: each turns a GradeReport into one platform's format, as text.

``FORMATS`` maps a ``--format`` name to its renderer.
"""

from collections.abc import Callable

from autograder.export.classroom import to_classroom
from autograder.export.github import to_github_annotations
from autograder.export.gradescope import to_gradescope
from autograder.export.json_report import to_json
from autograder.export.junit import to_junit
from autograder.export.markdown import to_markdown
from autograder.export.text import to_text
from autograder.grading.results import GradeReport

FORMATS: dict[str, Callable[[GradeReport], str]] = {
    "text": to_text,
    "json": to_json,
    "gradescope": to_gradescope,
    "junit": to_junit,
    "markdown": to_markdown,
    "github": to_github_annotations,
    "classroom": to_classroom,
}

__all__ = ["FORMATS", "to_classroom", "to_github_annotations", "to_gradescope", "to_json", "to_junit",
           "to_markdown", "to_text"]
