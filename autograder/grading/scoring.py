"""Points from outcomes: pure functions, no I/O.

A task's points are split across its tests by weight (equal by default).
Skipped tests (a CUDA test on a machine without a GPU) take no share, so the
reference gets full marks on any machine. Only a passed test earns points, a
passed test with partial credit earns that fraction, and an API-policy
violation sets its task to zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from autograder.course import Assignment
from autograder.grading.results import GradeReport, TaskScore, TestOutcome, TestResult
from autograder.vocabulary import Status

_DECIMALS = 4


def score_task(task, outcomes: Sequence[TestOutcome], violations: Sequence[str] = ()) -> TaskScore:
    """The TaskScore of one course.yml task from the outcomes of its tests."""
    counted = [outcome for outcome in outcomes if outcome.status is not Status.SKIPPED]
    total_weight = sum(outcome.weight for outcome in counted)
    results, earned_total = [], 0.0
    for outcome in outcomes:
        share = 0.0
        if outcome.status is not Status.SKIPPED and total_weight > 0:
            share = task.points * outcome.weight / total_weight
        earned = share * min(max(outcome.credit, 0.0), 1.0) if outcome.status is Status.PASSED else 0.0
        earned_total += earned
        results.append(
            TestResult(
                name=outcome.name,
                task=task.id,
                status=outcome.status,
                score=round(earned, _DECIMALS),
                max_score=round(share, _DECIMALS),
                feedback=_with_hint(outcome, task.hint if outcome.hint is None else outcome.hint),
                visibility=outcome.visibility or task.visibility,
                duration_s=round(outcome.duration_s, 3),
                submission_problem=outcome.submission_problem,
            )
        )
    return TaskScore(
        id=task.id,
        description=task.description,
        score=0.0 if violations else round(earned_total, _DECIMALS),
        max_score=task.points,
        tests=tuple(results),
        violations=tuple(violations),
    )


def _with_hint(outcome: TestOutcome, hint: str | None) -> str:
    if outcome.status in (Status.PASSED, Status.SKIPPED) or not hint:
        return outcome.feedback
    return f"{outcome.feedback}\nHint: {hint}".strip()


def score_submission(
    assignment: Assignment,
    outcomes: Iterable[TestOutcome],
    violations: Mapping[str, Sequence[str]] | None = None,
    **report_fields,
) -> GradeReport:
    """The GradeReport of a submission: every course.yml task, in order.

    Outcomes of tests whose task is not in course.yml are ignored here (a
    meta-test of the course catches them).
    """
    violations = violations or {}
    by_task: dict[str, list[TestOutcome]] = {task.id: [] for task in assignment.tasks}
    for outcome in outcomes:
        if outcome.task in by_task:
            by_task[outcome.task].append(outcome)
    tasks = tuple(
        score_task(task, by_task[task.id], violations.get(task.id, ())) for task in assignment.tasks
    )
    return GradeReport(
        assignment=assignment.id,
        score=round(sum(task.score for task in tasks), _DECIMALS),
        max_score=round(sum(task.max_score for task in tasks), _DECIMALS),
        tasks=tasks,
        **report_fields,
    )
