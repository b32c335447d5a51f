"""Does every correct alternative submission of assignment 04 keep full marks?

The submissions in tests/alternatives/04 are correct code in other idioms (see
tests/alternatives/README.md); each must score every point, sandboxed as in a
real grading run.
"""

import pytest

from autograder.api import grade
from autograder.course import PROJECT_ROOT

FOLDER = PROJECT_ROOT / "tests" / "alternatives" / "04"
ALTERNATIVES = sorted(path for path in FOLDER.iterdir() if path.suffix in (".py", ".ipynb"))


@pytest.mark.parametrize("path", ALTERNATIVES, ids=lambda path: path.name)
def test_alternative_keeps_full_marks(path):
    report = grade("04", path, device="cpu")
    lost = [f"{task.id} {task.score:g}/{task.max_score:g}: " + " | ".join(
        f"{test.name}: {test.feedback}" for test in task.tests if test.status not in ("passed", "skipped"))
        for task in report.tasks if task.score < task.max_score]
    assert not lost, f"{path.name} is correct but lost points:\n" + "\n".join(lost)
