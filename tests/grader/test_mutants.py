"""Does every mutant lose the points it should, and only those?"""

import pytest

from autograder.api import grade
from autograder.course import default_course
from tests.grader.mutants import load_mutants

COURSE = default_course()
MUTANTS = [mutant for key in sorted(COURSE.assignments)
           for mutant in load_mutants(COURSE.assignments[key])]


@pytest.mark.parametrize("assignment", sorted(COURSE.assignments))
def test_each_assignment_has_at_least_five_mutants(assignment):
    assert len(load_mutants(COURSE.assignments[assignment])) >= 5


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: f"{m.assignment.id}-{m.name}")
def test_mutant_loses_exactly_the_expected_tasks(mutant, tmp_path):
    report = grade(mutant.assignment.id, mutant.write(tmp_path), device="cpu")
    scores = {task.id: task for task in report.tasks}
    for task_id in mutant.loses:
        assert scores[task_id].score < scores[task_id].max_score, (
            f"{mutant.name} ({mutant.why}) should lose points on {task_id}"
        )
    for task_id, task in scores.items():
        if task_id not in mutant.loses | mutant.may_lose:
            feedback = [test.feedback for test in task.tests if test.status != "passed"]
            assert task.score == task.max_score, (
                f"{mutant.name} should keep {task_id} but got {task.score}/{task.max_score}: {feedback}"
            )
