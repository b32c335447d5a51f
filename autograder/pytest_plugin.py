"""The pytest plugin that public and hidden tests run under.

It registers the ``task`` marker and the hypothesis profiles, adds the
``--submission`` and ``--device`` options, and provides the fixtures the tests
use:

- ``student_module``: the student's module imported in this process (public
  tests alias it as ``tensors``, ``scratch``, ``cnn`` or ``iris``);
- ``student``: the student's module behind the data-only call contract of
  DESIGN.md (hidden tests use only this);
- ``reference``: the reference solution, imported in this process;
- ``device``: each device the tests should run on; CUDA is skipped with a
  reason when there is no GPU;
- ``mnist_root``: a folder holding the offline MNIST sample.
"""

from __future__ import annotations

import dataclasses
import re
import types
from pathlib import Path

import pytest
import torch
from hypothesis import HealthCheck, Phase, settings

from autograder.course import PROJECT_ROOT, Assignment, default_course
from autograder.submission import (
    CourseError,
    SubmissionLoadError,
    import_module_file,
    load_submission,
)

GRADING_PROFILE = "grading"
STUDENT_PROFILE = "student"
GRADING_EXAMPLES = 25

settings.register_profile(
    GRADING_PROFILE,
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=GRADING_EXAMPLES,
    print_blob=False,
    report_multiple_bugs=False,
    phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    STUDENT_PROFILE,
    deadline=None,
    max_examples=20,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

_ASSIGNMENT_FOLDER = re.compile(r"^\d\d$")


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add --submission, --device, --grading, --sandbox and --data-root."""
    group = parser.getgroup("autograder")
    group.addoption(
        "--submission",
        default=None,
        help="the student code to test: a folder, a .py file or a .ipynb "
        "(default: the assignment's own folder under assignments/)",
    )
    group.addoption(
        "--device",
        default="auto",
        choices=["auto", "cpu", "cuda"],
        help="devices for device tests: auto = cpu, plus cuda when a GPU is present",
    )
    group.addoption(
        "--grading",
        action="store_true",
        help="grade: deterministic hypothesis profile, fixed seeds",
    )
    group.addoption(
        "--sandbox",
        action="store_true",
        help="run the student's code in a confined worker process (hidden tests)",
    )
    group.addoption(
        "--time-limit",
        type=float,
        default=None,
        help="wall time of one call into sandboxed student code (default: course.yml)",
    )
    group.addoption(
        "--data-root",
        default=None,
        help="where to write offline data sets (readable by sandboxed workers)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Register the task marker and load the hypothesis profile (grading or student)."""
    config.addinivalue_line("markers", "task(id, weight=1, visibility=None): see course.yml")
    if config.getoption("--grading"):
        settings.load_profile(GRADING_PROFILE)
    elif not config.getoption("hypothesis_profile", default=None):
        settings.load_profile(STUDENT_PROFILE)


def assignment_of(path: Path) -> Assignment:
    """The assignment a test file belongs to: its nearest folder named like '02'."""
    for folder in Path(path).resolve().parents:
        if _ASSIGNMENT_FOLDER.match(folder.name):
            return default_course().assignment(folder.name)
    raise pytest.UsageError(f"{path} is not inside an assignment folder such as assignments/02")


def submission_path(config: pytest.Config, assignment: Assignment) -> Path:
    """The code under test: --submission, else the student's copy under assignments/NN."""
    chosen = config.getoption("--submission")
    return Path(chosen) if chosen else PROJECT_ROOT / "assignments" / assignment.id


@pytest.fixture
def assignment(request: pytest.FixtureRequest) -> Assignment:
    """The course.yml entry of the assignment this test belongs to."""
    return assignment_of(request.path)


@pytest.fixture(scope="session")
def _module_cache(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return {"root": tmp_path_factory.mktemp("submission")}


@pytest.fixture
def student_module(request: pytest.FixtureRequest, assignment: Assignment, _module_cache: dict):
    """The student's module, imported once per session from a private copy."""
    key = (assignment.id, "student")
    if key not in _module_cache:
        _module_cache[key] = _import_private_copy(request.config, assignment, _module_cache)
    loaded = _module_cache[key]
    if isinstance(loaded, str):
        pytest.fail(loaded, pytrace=False)
    return loaded


def _import_private_copy(config: pytest.Config, assignment: Assignment, cache: dict):
    try:
        submission = load_submission(submission_path(config, assignment), assignment)
        module_path = submission.write_to(cache["root"] / assignment.id)
        return import_module_file(module_path)
    except (CourseError, SubmissionLoadError) as error:
        return str(error)


class _ReferenceModule(types.ModuleType):
    """A module that prints without its path: failure notes reach students."""

    def __repr__(self) -> str:
        return "<the reference solution>"


@pytest.fixture
def reference(assignment: Assignment, _module_cache: dict):
    """The reference solution of this test's assignment, imported in this process."""
    key = (assignment.id, "reference")
    if key not in _module_cache:
        path = PROJECT_ROOT / "solutions" / assignment.id / assignment.module
        module = import_module_file(path)
        module.__class__ = _ReferenceModule
        _module_cache[key] = module
    return _module_cache[key]


def _devices(config: pytest.Config) -> list:
    choice = config.getoption("--device")
    no_gpu = pytest.mark.skip(reason="no CUDA device on this machine")
    cuda = pytest.param("cuda", marks=() if torch.cuda.is_available() else no_gpu)
    return {"cpu": ["cpu"], "cuda": [cuda], "auto": ["cpu", cuda]}[choice]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize tests that take ``device`` over the chosen devices."""
    if "device" in metafunc.fixturenames:
        metafunc.parametrize("device", _devices(metafunc.config))


def _data_root(config: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = config.getoption("--data-root")
    return Path(chosen) if chosen else tmp_path_factory.getbasetemp() / "data"


@pytest.fixture(scope="session")
def mnist_root(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with 4,000 training and 1,000 test MNIST digits in MNIST's raw layout."""
    from autograder.data import write_mnist_sample

    return write_mnist_sample(_data_root(request.config, tmp_path_factory) / "mnist")


class PartialCredit:
    """Lets a passing hidden test earn only part of its points, with a note why."""

    def __init__(self, node: pytest.Item):
        self._node = node

    def __repr__(self) -> str:
        return "<partial credit>"

    def award(self, fraction: float, note: str) -> None:
        """Earn ``fraction`` (0..1) of this test's points; ``note`` says what was missed."""
        fraction = min(max(float(fraction), 0.0), 1.0)
        self._node.user_properties.append(("credit", fraction))
        self._node.user_properties.append(("credit_note", note))


@pytest.fixture
def credit(request: pytest.FixtureRequest) -> PartialCredit:
    """Partial credit inside a test, e.g. a training threshold met halfway."""
    return PartialCredit(request.node)


@pytest.fixture(scope="session")
def _student_transports() -> dict:
    transports: dict = {}
    yield transports
    for transport in transports.values():
        transport.close()


PROTECTIONS = pytest.StashKey[list]()


def _transport(config: pytest.Config, assignment: Assignment, module_path: Path,
               data_root: Path):
    from autograder.sandbox import SandboxTransport, settings_for
    from autograder.student import InProcessTransport, StudentError

    if not config.getoption("--sandbox"):
        config.stash[PROTECTIONS] = []
        return InProcessTransport(module_path)
    data_root.mkdir(parents=True, exist_ok=True)  # Landlock grants only folders that exist
    settings = settings_for(default_course(), assignment, data_root)
    if config.getoption("--time-limit"):
        settings = dataclasses.replace(settings, call_timeout_s=config.getoption("--time-limit"))
    transport = SandboxTransport(module_path, settings)
    try:
        config.stash[PROTECTIONS] = transport.protections
    except StudentError:  # grading was stopped: each test meets the reason when it calls
        config.stash[PROTECTIONS] = []
    return transport


@pytest.fixture
def student(request: pytest.FixtureRequest, assignment: Assignment, _module_cache: dict,
            _student_transports: dict, tmp_path_factory: pytest.TempPathFactory):
    """The student's module behind the data-only call contract (hidden tests use this).

    With ``--sandbox`` the module lives in a confined worker process; without,
    in this process behind the same data-only transport.
    """
    from autograder.student import StudentModule

    if assignment.id not in _student_transports:
        try:
            submission = load_submission(submission_path(request.config, assignment), assignment)
        except CourseError as error:
            pytest.fail(str(error), pytrace=False)
        module_path = submission.write_to(_module_cache["root"] / "proxied" / assignment.id)
        _student_transports[assignment.id] = _transport(
            request.config, assignment, module_path, _data_root(request.config, tmp_path_factory))
    return StudentModule(_student_transports[assignment.id])
