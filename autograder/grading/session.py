"""The grading session: one object holding what a pytest run needs, and the fixtures tests use.

The runner builds a :class:`GradingSession` once, from the course, the
submissions, the device, the sandbox settings and the data folder, and hands
it to ``pytest.main(..., plugins=[session, ...])``. Fixtures read it; nothing
is passed as command-line strings or re-read from course.yml.

A student's own ``pytest assignments/NN`` runs without a runner: the pytest
plugin then registers a :class:`~autograder.grading.student_run.StudentRun`,
which finds the course upwards from the tests and tests the student's own
files, in place.

Fixtures (both kinds):

- ``assignment``: the course.yml entry of the test's assignment (its folder ``NN``);
- ``student``: the code under test behind the data-only call contract;
- ``student_module``: the code under test imported in this process (public tests);
- ``student_source``: the source of the code under test, read in the grader;
- ``reference``: the reference solution, imported in this process;
- ``device``: each device to run on (CUDA skipped with a reason when absent);
- ``mnist_root``: a folder holding the offline MNIST sample; ``small_mnist_root``, a smaller one;
- ``credit``: partial credit inside a passing test.
"""

from __future__ import annotations

import re
import types
from pathlib import Path
from types import ModuleType

import pytest

from autograder.course import Assignment, Course
from autograder.errors import CourseError
from autograder.grading.budget import BudgetedTransport, SubmissionClock
from autograder.grading.prepare import PreparedSubmission
from autograder.grading.reference_memory import ReferenceMemory, RememberingReference
from autograder.layout import CourseLayout
from autograder.sandbox.protections import Protection
from autograder.sandbox.settings import SandboxSettings
from autograder.student import InProcessTransport, StudentModule
from autograder.student.proxy import StudentError, Transport
from autograder.submission import SubmissionLoadError, import_module_file

_ASSIGNMENT_FOLDER = re.compile(r"^\d\d$")


class _ReferenceModule(types.ModuleType):
    """A module that prints without its path: failure notes reach students."""

    def __repr__(self) -> str:
        return "<the reference solution>"


class PartialCredit:
    """Lets a passing test earn only part of its points, with a note why."""

    def __init__(self, node: pytest.Item):
        self._node = node

    def __repr__(self) -> str:
        return "<partial credit>"

    def award(self, fraction: float, note: str) -> None:
        """Earn ``fraction`` (0..1) of this test's points; ``note`` says what was missed."""
        fraction = min(max(float(fraction), 0.0), 1.0)
        self._node.user_properties.append(("credit", fraction))
        self._node.user_properties.append(("credit_note", note))


class CourseFixtures:
    """The fixtures of hidden and public tests; subclasses say where the code under test is."""

    device_choice: str = "auto"
    data_root: Path

    @property
    def layout(self) -> CourseLayout:
        """The course's paths."""
        raise NotImplementedError

    @property
    def course(self) -> Course:
        """The course as loaded."""
        raise NotImplementedError

    def transport_for(self, assignment: Assignment) -> Transport:
        """How requests reach the code under test of ``assignment``."""
        raise NotImplementedError

    def module_path_for(self, assignment: Assignment) -> Path:
        """The module file under test of ``assignment``."""
        raise NotImplementedError

    def assignment_of(self, path: Path) -> Assignment:
        """The assignment a test file belongs to: its nearest folder named like '02'."""
        for folder in Path(path).resolve().parents:
            if _ASSIGNMENT_FOLDER.match(folder.name):
                try:
                    return self.course.assignment(folder.name)
                except CourseError as error:
                    raise pytest.UsageError(str(error)) from None
        raise pytest.UsageError(f"{path} is not inside an assignment folder such as assignments/02")

    def reference_module(self, assignment: Assignment) -> ModuleType:
        """The reference solution of ``assignment``, imported once."""
        cache = self.__dict__.setdefault("_references", {})
        if assignment.id not in cache:
            module = import_module_file(self.layout.solution(assignment))
            module.__class__ = _ReferenceModule
            cache[assignment.id] = module
        return cache[assignment.id]

    def imported_module(self, assignment: Assignment) -> ModuleType:
        """The code under test imported in this process, once per file; fails the test if it cannot be."""
        cache = self.__dict__.setdefault("_imported", {})
        path = self.module_path_for(assignment)
        if path not in cache:
            try:
                cache[path] = import_module_file(path)
            except SubmissionLoadError as error:
                cache[path] = str(error)
        if isinstance(cache[path], str):
            pytest.fail(cache[path], pytrace=False)
        return cache[path]

    @pytest.fixture
    def assignment(self, request: pytest.FixtureRequest) -> Assignment:
        """The course.yml entry of the assignment this test belongs to."""
        return self.assignment_of(request.path)

    @pytest.fixture
    def student(self, assignment: Assignment) -> StudentModule:
        """The code under test behind the data-only call contract (hidden tests use this)."""
        return StudentModule(self.transport_for(assignment))

    @pytest.fixture
    def student_module(self, assignment: Assignment) -> ModuleType:
        """The code under test imported in this process (public tests alias it by module name)."""
        return self.imported_module(assignment)

    @pytest.fixture
    def student_source(self, assignment: Assignment) -> str:
        """The source of the code under test, read here in the grader: facts from its syntax tree.

        It is exactly the text the worker runs; "" when there is no module to read.
        """
        try:
            return self.module_path_for(assignment).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return ""

    @pytest.fixture
    def reference(self, assignment: Assignment) -> RememberingReference:
        """The reference solution of this test's assignment, imported in this process.

        Its answers are remembered for the session (a class): the same call on the
        same data under the same random state is computed once.
        """
        memories = self.__dict__.setdefault("_reference_memories", {})
        memory = memories.setdefault(assignment.id, ReferenceMemory())
        return RememberingReference(self.reference_module(assignment), memory)

    def mnist_sample(self, name: str, **sizes: int) -> Path:
        """Write the MNIST sample folder ``name`` under the data root and return it.

        The plugin's session-scoped ``mnist_root`` and ``small_mnist_root`` fixtures call
        it, once per pytest session.
        """
        from autograder.data import write_mnist_sample

        return write_mnist_sample(self.data_root / name, **sizes)

    @pytest.fixture
    def credit(self, request: pytest.FixtureRequest) -> PartialCredit:
        """Partial credit inside a test, e.g. a training threshold met halfway."""
        return PartialCredit(request.node)

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        """Parametrize tests that take ``device`` over the chosen devices."""
        if "device" in metafunc.fixturenames:
            metafunc.parametrize("device", _devices(self.device_choice))


def _devices(choice: str) -> list:
    import torch

    no_gpu = pytest.mark.skip(reason="no CUDA device on this machine")
    cuda = pytest.param("cuda", marks=() if torch.cuda.is_available() else no_gpu)
    return {"cpu": ["cpu"], "cuda": [cuda], "auto": ["cpu", cuda]}[choice]


class GradingSession(CourseFixtures):
    """One grading run: an assignment, its submissions in turn, and how their code runs."""

    def __init__(self, layout: CourseLayout, course: Course, assignment: Assignment, *,
                 data_root: Path, device: str = "auto", sandbox: SandboxSettings | None = None,
                 grading: bool = True, time_limit_s: float = 60.0, budget_s: float | None = None):
        """Hold the settings; submissions are set one at a time with :meth:`begin`.

        Args:
            layout: the course's paths.
            course: the course as loaded (possibly changed by the caller).
            assignment: the assignment graded.
            data_root: where offline data sets are written (readable by workers).
            device: "auto", "cpu" or "cuda" for the device tests.
            sandbox: the worker settings, or None to run the code in this process.
            grading: the deterministic hypothesis profile (False: the student's).
            time_limit_s: wall time of one test in this process.
            budget_s: wall time of one submission's whole grading; None: no budget.
        """
        self._layout, self._course, self.graded = layout, course, assignment
        self.data_root, self.device_choice, self.sandbox = data_root, device, sandbox
        self.grading, self.time_limit_s, self.budget_s = grading, time_limit_s, budget_s
        self.current: PreparedSubmission | None = None
        self.clock: SubmissionClock | None = None
        self.protections: list[Protection] = []
        self.current_task: str | None = None
        self._transport: BudgetedTransport | None = None

    @property
    def layout(self) -> CourseLayout:
        """The course's paths."""
        return self._layout

    @property
    def course(self) -> Course:
        """The course as the caller loaded it."""
        return self._course

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        """Note the test's task (a task whose calls keep timing out is given up); seed the generators.

        Seeding the grader's random generators before every test means a
        test's reference side sees the same random state whatever ran before it
        (another test, another submission of the class), so the same submission
        gets the same score in any order, on any run.
        """
        marker = item.get_closest_marker("task")
        self.current_task = str(marker.args[0]) if marker and marker.args else None
        import random

        import numpy
        import torch

        random.seed(0)
        numpy.random.seed(0)
        torch.manual_seed(0)

    def begin(self, submission: PreparedSubmission) -> None:
        """Make ``submission`` the code under test and start its time budget."""
        self.current = submission
        self.clock = SubmissionClock(self.budget_s)
        self.protections = []

    def end(self) -> None:
        """Stop the submission's worker (every process it started) and forget it."""
        if self._transport is not None:
            self._transport.close()
        self._transport, self.current, self.clock = None, None, None

    def assignment_of(self, path: Path) -> Assignment:
        """The graded assignment; a test file of another assignment is a usage error."""
        found = super().assignment_of(path)
        if found.id != self.graded.id:
            raise pytest.UsageError(f"{path} belongs to assignment {found.id}, not {self.graded.id}")
        return found

    def module_path_for(self, assignment: Assignment) -> Path:
        """The current submission's module file, as written once by the runner."""
        if self.current is None or self.current.module_path is None:
            pytest.fail("no submission is being graded", pytrace=False)
        return self.current.module_path

    def transport_for(self, assignment: Assignment) -> Transport:
        """The current submission's transport: a sandboxed worker, or this process."""
        if self._transport is None:
            inner = self._start_transport(self.module_path_for(assignment))
            self._transport = BudgetedTransport(inner, self.clock or SubmissionClock(None),
                                                max_timeouts=self.course.give_up_after_timeouts,
                                                current_task=lambda: self.current_task)
        return self._transport

    def _start_transport(self, module_path: Path) -> Transport:
        if self.sandbox is None:
            return InProcessTransport(module_path)
        from autograder.sandbox.transport import SandboxTransport

        transport = SandboxTransport(module_path, self.sandbox)
        try:
            self.protections = list(transport.protections)
        except StudentError:  # grading was stopped: each test meets the reason when it calls
            self.protections = []
        return transport
