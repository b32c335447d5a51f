"""course.yml: the course's assignments, tasks, points, limits and API policy.

Loaded once and validated with pydantic. Misspelt keys are refused, so a typo
never silently drops a task. Every problem surfaces as a one-line
:class:`~autograder.errors.CourseError` naming the key and what is wrong.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from autograder.errors import CourseError
from autograder.vocabulary import Visibility


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Task(_Strict):
    """One gradable unit: a function or class of the student API."""

    id: str = Field(description="'NN.<name>', e.g. '02.log_softmax'")
    points: float = Field(ge=0, description="points of the task, split across its tests")
    description: str = Field(description="one line saying what the task asks")
    hint: str | None = Field(default=None, description="shown next to a failed test")
    visibility: Visibility = Field(default=Visibility.VISIBLE, description="default for its tests")

    @property
    def name(self) -> str:
        """The function or class name: '02.log_softmax' -> 'log_softmax'."""
        return self.id.split(".", 1)[1]


class ForbiddenName(_Strict):
    """A dotted name the submission must not use, e.g. 'torch.nn' or 'torch.Tensor.softmax'."""

    name: str
    reason: str


class ApiPolicy(_Strict):
    """What a submission may not call; checked on its source and at run time."""

    forbidden: list[ForbiddenName] = Field(default_factory=list)


class SandboxLimits(_Strict):
    """Resource limits of the worker that runs a submission (see autograder.sandbox)."""

    cpu_s: int = Field(default=600, gt=0, description="CPU seconds for a worker's life")
    memory_mb: int = Field(default=4096, gt=0, description="memory beyond what torch maps")
    processes: int = Field(default=256, gt=0, description="processes and threads")
    open_files: int = Field(default=256, gt=16, description="open file descriptors")
    file_size_mb: int = Field(default=64, gt=0, description="largest file written")
    torch_threads: int = Field(default=1, gt=0, description="torch.set_num_threads per worker")
    reply_mb: int = Field(default=256, gt=0, description="largest reply accepted")
    disk_mb: int = Field(default=256, gt=0, description="size of the worker's work folder")
    source_kb: int = Field(default=512, gt=0, description="largest submission source, in KB")


class LatePolicy(_Strict):
    """What a late submission costs: a share of the assignment's points per day late, up to a cap."""

    grace_minutes: float = Field(default=0, ge=0, description="lateness forgiven after the due time")
    penalty_per_day: float = Field(default=0, ge=0, le=100,
                                   description="percent of the maximum score per started day late")
    max_penalty: float = Field(default=100, ge=0, le=100, description="percent: the most a submission loses")


class FreeResponse(_Strict):
    """A written answer graded by hand in nbgrader's formgrader."""

    id: str = Field(pattern=r"^[A-Za-z0-9_-]+$", description="names the answer, e.g. 'compare_models'")
    points: float = Field(gt=0, description="what the answer is worth")
    prompt: str = Field(description="the question, as Markdown")
    model_answer: str = Field(description="the instructor's answer; the release shows 'YOUR ANSWER HERE'")


class Assignment(_Strict):
    """One numbered assignment: a module the students write, and its tasks."""

    id: str = Field(default="", description="'01'..'04', filled from the mapping key")
    title: str
    module: str = Field(description="the file students edit, e.g. 'scratch.py'")
    due: datetime
    time_limit_s: float | None = Field(default=None, gt=0, description="wall time of one test or call")
    budget_s: float | None = Field(default=None, gt=0, description="wall time of one submission's grading")
    tasks: list[Task] = Field(min_length=1)
    api_policy: ApiPolicy = Field(default_factory=ApiPolicy)
    free_response: FreeResponse | None = Field(default=None, description="a written answer graded by hand")
    late_policy: LatePolicy | None = Field(default=None, description="overrides the course's late policy")

    @field_validator("module")
    @classmethod
    def _module_is_a_python_file(cls, module: str) -> str:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*\.py", module):
            raise ValueError(f"'{module}' is not a Python module file name like 'scratch.py'")
        return module

    @property
    def module_name(self) -> str:
        """The module's import name: 'scratch.py' -> 'scratch'."""
        return self.module[:-3]

    def task(self, task_id: str) -> Task:
        """The task with this id; KeyError if there is none."""
        for task in self.tasks:
            if task.id == task_id:
                return task
        raise KeyError(task_id)


class Course(_Strict):
    """The whole course as written in course.yml."""

    name: str
    course_id: str = Field(pattern=r"^[A-Za-z0-9_-]+$")
    time_limit_s: float = Field(default=60, gt=0, description="wall time of one test or call")
    budget_s: float = Field(default=600, gt=0, description="wall time of one submission's grading")
    give_up_after_timeouts: int = Field(
        default=1, ge=1, description="a function, or a task's tests, whose calls timed out this often "
                                     "are not called again: their other tests fail at once")
    sandbox: SandboxLimits = Field(default_factory=SandboxLimits)
    late_policy: LatePolicy = Field(default_factory=LatePolicy, description="default: no penalty")
    assignments: dict[str, Assignment] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _fill_assignment_ids(cls, data: object) -> object:
        if isinstance(data, dict) and isinstance(data.get("assignments"), dict):
            data = dict(data)
            data["assignments"] = {
                str(key): ({**value, "id": str(key)} if isinstance(value, dict) else value)
                for key, value in data["assignments"].items()
            }
        return data

    @model_validator(mode="after")
    def _task_ids_match_their_assignment(self) -> Course:
        for key, assignment in self.assignments.items():
            if not re.fullmatch(r"\d\d", key):
                raise ValueError(f"assignment key '{key}' must be two digits, like '02'")
            seen: set[str] = set()
            for task in assignment.tasks:
                if not re.fullmatch(rf"{key}\.[A-Za-z_][A-Za-z0-9_]*", task.id):
                    raise ValueError(f"task id '{task.id}' must look like '{key}.<name>'")
                if task.id in seen:
                    raise ValueError(f"task id '{task.id}' appears twice")
                seen.add(task.id)
        return self

    def assignment(self, assignment_id: str) -> Assignment:
        """The assignment '01'..'04' (a bare '2' also works); CourseError if unknown."""
        key = assignment_id.zfill(2) if assignment_id.isdigit() else assignment_id
        if key not in self.assignments:
            known = ", ".join(sorted(self.assignments))
            raise CourseError(f"no assignment '{assignment_id}' in course.yml (known: {known})")
        return self.assignments[key]

    def time_limit_for(self, assignment: Assignment) -> float:
        """The per-test wall time limit, in seconds, for an assignment."""
        return assignment.time_limit_s or self.time_limit_s

    def late_policy_for(self, assignment: Assignment) -> LatePolicy:
        """The late policy of an assignment: its own, else the course's."""
        return assignment.late_policy or self.late_policy

    def budget_for(self, assignment: Assignment) -> float:
        """The wall time, in seconds, that grading one submission of an assignment may take."""
        return assignment.budget_s or self.budget_s


def _describe(error: ValidationError, path: Path) -> str:
    first = error.errors()[0]
    location = ".".join(str(part) for part in first["loc"]) or "(top level)"
    more = len(error.errors()) - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{path.name}: {location}: {first['msg']}{suffix}"


def load_course(path: str | Path) -> Course:
    """Read and validate a course file.

    Raises:
        CourseError: the file is missing, is not YAML, or does not match the schema;
            the message is one line naming the key and the problem.
    """
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CourseError(f"no course file at {path}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise CourseError(f"{path.name}: not valid YAML{where}: {problem}") from None
    if not isinstance(data, dict):
        raise CourseError(f"{path.name}: expected a mapping at the top level")
    try:
        return Course.model_validate(data)
    except ValidationError as error:
        raise CourseError(_describe(error, path)) from None
