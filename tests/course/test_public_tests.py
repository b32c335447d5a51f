"""Do the public tests pass on every reference and fail task by task on every stub?

Students run ``pytest assignments/NN`` on their stub; these tests run the same
public tests through ``autograder check`` against the reference and the stub.
"""

import pytest

from autograder.api import check_public
from tests.course_under_test import ASSIGNMENTS, COURSE, LAYOUT


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_public_tests_pass_on_the_reference(assignment):
    report = check_public(assignment, LAYOUT.solution(COURSE.assignments[assignment]), layout=LAYOUT)
    failures = [f"{test.name}: {test.feedback}" for task in report.tasks for test in task.tests
                if test.status not in ("passed", "skipped")]
    assert not failures and not report.errors
    assert report.score == report.max_score


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_public_tests_fail_on_the_stub_with_each_tasks_own_message(assignment):
    report = check_public(assignment, LAYOUT.stub(COURSE.assignments[assignment]), layout=LAYOUT)
    assert report.score == 0 and not report.errors
    for task in report.tasks:
        for test in task.tests:
            if test.status != "skipped":
                assert f"NotImplementedError: Task {task.id}" in test.feedback, (test.name, test.feedback)
