"""Do the correct submissions of assignment 01 written in other idioms keep full marks?

Each file in tests/alternatives/01 is a whole, correct submission (Tensors and autograd)
written the way a student might; grading it must give every point.
"""

import pytest

from autograder.api import grade
from autograder.course import PROJECT_ROOT

FOLDER = PROJECT_ROOT / "tests" / "alternatives" / "01"
ALTERNATIVES = sorted([*FOLDER.glob("*.py"), *FOLDER.glob("*.ipynb")])


def test_there_are_at_least_four_alternatives_one_of_them_a_notebook():
    assert len(ALTERNATIVES) >= 4, f"{FOLDER} holds {len(ALTERNATIVES)} alternatives"
    assert any(path.suffix == ".ipynb" for path in ALTERNATIVES), f"{FOLDER} holds no notebook"


@pytest.mark.parametrize("path", ALTERNATIVES, ids=lambda path: path.name)
def test_the_alternative_keeps_full_marks(path):
    report = grade("01", path, device="cpu")
    lost = [f"{test.name} ({test.status}): {test.feedback}" for task in report.tasks for test in task.tests
            if test.status not in ("passed", "skipped")]
    assert report.score == report.max_score, (
        f"{path.name} scored {report.score}/{report.max_score}; {report.errors}\n" + "\n\n".join(lost))
