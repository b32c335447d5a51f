"""Do correct submissions written in other idioms keep full marks?

Each file in tests/alternatives/NN is a whole, correct submission written the
way a student might (loops, other torch functions, the tutorial's code, a
notebook). The alternatives of an assignment are graded like a class (one
sandboxed session), once per test class; each then gets a test of its report.
The mutants show the hidden tests can fail; these show they fail only for mistakes.
"""

from pathlib import Path

import pytest

from tests.course_under_test import ASSIGNMENTS, LAYOUT
from tests.grader.corpus import failed_tests, grade_corpus


def _alternatives(assignment_id: str) -> list[Path]:
    folder = LAYOUT.alternatives(assignment_id)
    return sorted([*folder.glob("*.py"), *folder.glob("*.ipynb")])


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_each_assignment_has_four_alternatives_one_of_them_a_notebook(assignment):
    alternatives = _alternatives(assignment)
    assert len(alternatives) >= 4, f"{LAYOUT.alternatives(assignment)} holds {len(alternatives)}"
    assert any(path.suffix == ".ipynb" for path in alternatives), "one alternative is a notebook"


def _corpus_of(assignment_id: str) -> type:
    alternatives = _alternatives(assignment_id)

    class AlternativeCorpus:
        @pytest.fixture(scope="class")
        @classmethod
        def reports(cls):
            return grade_corpus(assignment_id, alternatives)

        @pytest.mark.parametrize("path", alternatives, ids=lambda path: path.name)
        def test_the_alternative_keeps_full_marks(self, reports, path):
            report = reports[path.stem]
            assert report.score == report.max_score, (
                f"{path.name} scored {report.score}/{report.max_score}; {report.errors}\n"
                + "\n".join(failed_tests(report)))

    AlternativeCorpus.__doc__ = f"The alternatives of assignment {assignment_id}, graded once for the class."
    return AlternativeCorpus


TestAlternativesOf01 = _corpus_of("01")
TestAlternativesOf02 = _corpus_of("02")
TestAlternativesOf03 = _corpus_of("03")
TestAlternativesOf04 = _corpus_of("04")
