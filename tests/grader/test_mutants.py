"""Does every mutant lose the points it should, and only those?

The mutants of an assignment are graded like a class (one sandboxed session),
once per test class; each mutant then gets a test of its own report.
"""

import pytest

from tests.course_under_test import ASSIGNMENTS, COURSE, LAYOUT
from tests.grader.corpus import failed_tests, grade_corpus
from tests.grader.mutants import Mutant, load_mutants


def _mutants(assignment_id: str) -> list[Mutant]:
    return load_mutants(LAYOUT, COURSE.assignments[assignment_id])


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_each_assignment_has_at_least_five_mutants(assignment):
    assert len(_mutants(assignment)) >= 5


def _check(mutant: Mutant, report) -> None:
    scores = {task.id: task for task in report.tasks}
    for task_id in mutant.loses:
        assert scores[task_id].score < scores[task_id].max_score, (
            f"{mutant.name} ({mutant.why}) should lose points on {task_id}")
    for task_id, task in scores.items():
        if task_id not in mutant.loses | mutant.may_lose:
            assert task.score == task.max_score, (
                f"{mutant.name} should keep {task_id} but got {task.score}/{task.max_score}: "
                f"{failed_tests(report)}")


def _corpus_of(assignment_id: str) -> type:
    mutants = _mutants(assignment_id)

    class MutantCorpus:
        @pytest.fixture(scope="class")
        @classmethod
        def reports(cls, tmp_path_factory):
            folder = tmp_path_factory.mktemp(f"mutants-{assignment_id}")
            return grade_corpus(assignment_id, [mutant.write(folder) for mutant in mutants])

        @pytest.mark.parametrize("mutant", mutants, ids=lambda mutant: mutant.name)
        def test_mutant_loses_exactly_the_expected_tasks(self, reports, mutant):
            _check(mutant, reports[mutant.name])

    MutantCorpus.__doc__ = f"The mutants of assignment {assignment_id}, graded once for the class."
    return MutantCorpus


TestMutantsOf01 = _corpus_of("01")
TestMutantsOf02 = _corpus_of("02")
TestMutantsOf03 = _corpus_of("03")
TestMutantsOf04 = _corpus_of("04")
