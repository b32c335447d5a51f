"""Are points split, earned and withheld as course.yml and the outcomes say?"""

import pytest

from autograder.course import Task
from autograder.grading.results import TestOutcome
from autograder.grading.scoring import score_task

TASK = Task(id="02.nll", points=4, description="d", hint="Pick the target column.")


def outcome(status, weight=1.0, credit=1.0):
    return TestOutcome(name=f"t_{status}_{weight}", task="02.nll", status=status,
                       feedback="what went wrong", weight=weight, credit=credit)


def test_points_are_split_by_weight_and_only_passed_tests_earn():
    task = score_task(TASK, [outcome("passed", weight=3), outcome("failed")])
    assert [test.max_score for test in task.tests] == [3, 1]
    assert task.score == 3


@pytest.mark.parametrize("status", ["failed", "error", "timeout"])
def test_a_test_that_does_not_pass_earns_nothing_and_gets_the_hint(status):
    task = score_task(TASK, [outcome(status)])
    assert task.score == 0
    assert task.tests[0].feedback.endswith("Hint: Pick the target column.")


def test_skipped_tests_take_no_share_of_the_points():
    task = score_task(TASK, [outcome("passed"), outcome("skipped")])
    assert task.score == task.max_score == 4
    assert task.tests[1].max_score == 0


def test_partial_credit_earns_its_fraction_of_a_passed_test():
    task = score_task(TASK, [outcome("passed", credit=0.5), outcome("passed")])
    assert task.score == 3


def test_an_api_violation_sets_the_task_to_zero():
    task = score_task(TASK, [outcome("passed")], violations=["scratch.py line 3 uses torch.nn"])
    assert task.score == 0 and task.violations


def test_a_task_without_tests_scores_zero():
    assert score_task(TASK, []).score == 0


def test_a_tests_own_hint_replaces_the_tasks_and_an_empty_one_shows_none():
    own = score_task(TASK, [TestOutcome("t.py::a", TASK.id, "failed", "got 1", hint="Use its row.")])
    none = score_task(TASK, [TestOutcome("t.py::b", TASK.id, "error", "the sandbox refused this: ...",
                                         hint="")])
    assert own.tests[0].feedback == "got 1\nHint: Use its row."
    assert none.tests[0].feedback == "the sandbox refused this: ..."
