"""The result types of grading: one test, one task, one submission.

Plain frozen dataclasses with no platform in them; exporters turn a
:class:`GradeReport` into JSON, Gradescope, JUnit, Markdown or a table.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

from autograder.sandbox.protections import Protection
from autograder.vocabulary import Status, Visibility


@dataclass(frozen=True)
class TestOutcome:
    """What pytest reported for one hidden test, before any points are given."""

    __test__ = False  # a domain type, not a test class

    name: str
    """The test's name within the assignment, e.g. ``test_nll.py::test_matches_reference``."""
    task: str | None
    """The course.yml task id from the test's marker; None if the test has none."""
    status: Status
    """passed, failed (a check failed), error (an exception), timeout or skipped."""
    feedback: str = ""
    """What went wrong, for the student; never the hidden test's source."""
    weight: float = 1.0
    """The test's share of its task relative to the task's other tests."""
    credit: float = 1.0
    """The fraction of its points a passed test earns (partial credit), in [0, 1]."""
    visibility: Visibility | None = None
    """Per-test visibility; None means the task's default."""
    duration_s: float = 0.0
    """Wall time of the test."""
    hint: str | None = None
    """The test's own hint, shown when it fails; None means the task's hint, "" none at all."""
    submission_problem: bool = False
    """Whether it failed only because the submission as a whole could not be imported."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", Status(self.status))
        if self.visibility is not None:
            object.__setattr__(self, "visibility", Visibility(self.visibility))


@dataclass(frozen=True)
class TestResult:
    """One hidden test with its points."""

    __test__ = False

    name: str
    """The test's name within the assignment."""
    task: str
    """The task id the test belongs to."""
    status: Status
    """passed, failed, error, timeout or skipped."""
    score: float
    """Points earned."""
    max_score: float
    """Points possible: the test's share of its task's points."""
    feedback: str
    """What went wrong and a hint, for the student."""
    visibility: Visibility
    """Who may see this test and when (Gradescope's vocabulary)."""
    duration_s: float = 0.0
    """Wall time of the test."""
    submission_problem: bool = False
    """Whether it failed only because of one of the report's ``errors`` (said once there)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", Status(self.status))
        object.__setattr__(self, "visibility", Visibility(self.visibility))


@dataclass(frozen=True)
class TaskScore:
    """The points of one course.yml task."""

    id: str
    """The task id, e.g. ``02.nll``."""
    description: str
    """The task's one-line description from course.yml."""
    score: float
    """Points earned across the task's tests, after any API-policy penalty."""
    max_score: float
    """The task's points in course.yml."""
    tests: tuple[TestResult, ...]
    """The task's tests, in the order they ran."""
    violations: tuple[str, ...] = ()
    """API-policy violations charged to this task; any one sets its score to 0."""


@dataclass(frozen=True)
class GradeReport:
    """The grade of one submission of one assignment."""

    assignment: str
    """The assignment id, e.g. ``02``."""
    submission: str
    """The submission as the user named it."""
    score: float
    """Total points earned."""
    max_score: float
    """Total points possible."""
    tasks: tuple[TaskScore, ...]
    """Per-task scores, in course.yml order."""
    device: str = "cpu"
    """The devices the tests ran on, e.g. ``cpu`` or ``cpu,cuda``."""
    duration_s: float = 0.0
    """Wall time of the whole grading."""
    version: str = ""
    """The autograder's version."""
    errors: tuple[str, ...] = ()
    """Problems with the submission as a whole (syntax error, import error)."""
    protections: tuple[Protection, ...] = field(default_factory=tuple)
    """The sandbox protections that were active, empty when graded in-process."""

    submission_id: str = ""
    """The submission's id in a class: its file's or folder's stem."""

    def to_dict(self) -> dict:
        """The report as plain JSON-ready data (enumerations as their values)."""
        return asdict(self, dict_factory=_plain_dict)

    @classmethod
    def from_dict(cls, data: dict) -> GradeReport:
        """The report :meth:`to_dict` gave (e.g. read back from a gradebook)."""
        tasks = tuple(
            TaskScore(**{**task, "violations": tuple(task.get("violations", ())),
                         "tests": tuple(_test_result(test) for test in task["tests"])})
            for task in data["tasks"])
        known = {item.name for item in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        return cls(**{**values, "tasks": tasks, "errors": tuple(data.get("errors", ())),
                      "protections": tuple(Protection(item) for item in data.get("protections", ()))})

    def failed_on_a_submission_problem(self, test: TestResult) -> bool:
        """Whether ``test`` failed only because of one of :attr:`errors` (a syntax error, say).

        Views say such a problem once, rather than once per test that hit it.
        """
        return test.status != Status.PASSED and test.submission_problem

    def submission_problem_summary(self) -> str | None:
        """One line for the tests that failed on a submission problem, or None when none did."""
        count = sum(self.failed_on_a_submission_problem(test) for task in self.tasks for test in task.tests
                    if test.status != "skipped")
        return f"{count} tests failed on the submission problem above: fix it first." if count else None


def _plain(value):
    return value.value if isinstance(value, Status | Visibility | Protection) else value


def _plain_dict(items: list[tuple[str, object]]) -> dict:
    return {key: _plain(value) for key, value in items}


def _test_result(data: dict) -> TestResult:
    known = {item.name for item in fields(TestResult)}
    values = {key: value for key, value in data.items() if key in known}
    return TestResult(**values)


@dataclass(frozen=True)
class Lateness:
    """When a submission came in and what that cost under the course's late policy."""

    submitted_at: str | None = None
    """The submission time as ISO 8601 (UTC), or None when unknown (no penalty)."""
    days_late: int = 0
    """Started days past the due time and the grace period (0: on time)."""
    penalty: float = 0.0
    """Points taken off the score."""

    def final_score(self, report: GradeReport) -> float:
        """The score after the penalty, never below 0."""
        return round(max(0.0, report.score - self.penalty), 4)


ON_TIME = Lateness()
"""A submission with no penalty."""
