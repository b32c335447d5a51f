"""The pytest plugin of the course, registered through the ``pytest11`` entry point.

It registers the ``task`` marker and the hypothesis profiles, provides the
session-scoped MNIST sample folders, and makes sure a session object provides
the tests' other fixtures (see :mod:`autograder.grading.session`):

- when the grader runs the tests, it passes its own :class:`GradingSession`
  to ``pytest.main``, and this plugin only loads the grading profile;
- when a student runs ``pytest assignments/NN``, this plugin registers a
  :class:`StudentRun`, which tests the student's own files in place and
  shows a stub's ``NotImplementedError`` as one line per test.

The entry point loads in every pytest run of the environment, so nothing here
touches the course until a test asks for one of its fixtures.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

from autograder.grading.session import CourseFixtures, GradingSession
from autograder.grading.student_run import StudentRun

GRADING_PROFILE = "grading"
STUDENT_PROFILE = "student"
GRADING_EXAMPLES = 25
_PREVIOUS_PROFILE = pytest.StashKey[str]()


def register_profiles() -> None:
    """The grading profile (derandomized, no database, no deadline) and the student's."""
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


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add --device and --course (for a student's own run; the grader passes its session)."""
    group = parser.getgroup("autograder")
    group.addoption("--device", default="auto", choices=["auto", "cpu", "cuda"],
                    help="devices for device tests: auto = cpu, plus cuda when a GPU is present")
    group.addoption("--course", default=None,
                    help="the course root (default: found upwards from the tests)")


def _session_of(config: pytest.Config) -> CourseFixtures | None:
    return next((plugin for plugin in config.pluginmanager.get_plugins()
                 if isinstance(plugin, CourseFixtures)), None)


@pytest.fixture(scope="session")
def mnist_root(request: pytest.FixtureRequest) -> Path:
    """A folder with 4,000 training and 1,000 test MNIST digits in MNIST's raw layout."""
    return _fixtures_of(request.config).mnist_sample("mnist")


@pytest.fixture(scope="session")
def small_mnist_root(request: pytest.FixtureRequest) -> Path:
    """A folder with 1,100 training and 550 test digits: for tests that read whole splits often."""
    return _fixtures_of(request.config).mnist_sample("mnist-small", train_size=1100, test_size=550)


def _fixtures_of(config: pytest.Config) -> CourseFixtures:
    """The session object of this run (pytest_configure registers one when no grader did)."""
    session = _session_of(config)
    assert session is not None, "pytest_configure registers a session object"
    return session


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker, load a hypothesis profile, and make sure a session provides fixtures."""
    config.addinivalue_line(
        "markers", "task(id, weight=1, visibility=None, hint=None): the course.yml task a test grades")
    register_profiles()
    session = _session_of(config)
    if session is None:
        session = StudentRun(config.rootpath, config.getoption("--course"), config.getoption("--device"))
        config.pluginmanager.register(session, "autograder-student-run")
        if config.option.tbstyle == "auto":
            config.option.tbstyle = "short"  # the student's file, without whole docstrings
    config.stash[_PREVIOUS_PROFILE] = settings.get_current_profile_name()
    if isinstance(session, GradingSession) and session.grading:
        settings.load_profile(GRADING_PROFILE)
    elif not config.getoption("hypothesis_profile", default=None):
        settings.load_profile(STUDENT_PROFILE)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Put back the hypothesis profile of whoever called pytest (a grading run may be nested)."""
    previous = config.stash.get(_PREVIOUS_PROFILE, None)
    if previous is not None:
        settings.load_profile(previous)


NOT_WRITTEN = "not written"
"""The report category of a test that met a stub's ``NotImplementedError("Task NN.name")``."""


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """In a student's run, a test that meets a stub is noted by task, not shown as a traceback."""
    outcome = yield
    report = outcome.get_result()
    if call.excinfo is None or not isinstance(_session_of(item.config), StudentRun):
        return
    error = call.excinfo.value
    if isinstance(error, NotImplementedError) and str(error).startswith("Task "):
        report.not_written = f"{str(error).removeprefix('Task ')} ({_where_raised(call.excinfo)})"
        report.longrepr = f"{error}: not written yet"


def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config):
    """Tests that met a stub count apart ("N"); they still fail the run."""
    if report.failed and getattr(report, "not_written", None):
        return NOT_WRITTEN, "N", "NOT WRITTEN"
    return None


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """One line per task still to write, with how many tests wait for it."""
    waiting: dict[str, int] = {}
    for report in terminalreporter.stats.get(NOT_WRITTEN, []):
        waiting[report.not_written] = waiting.get(report.not_written, 0) + 1
    if waiting:
        terminalreporter.write_sep("=", "not written yet")
        for task, count in waiting.items():
            terminalreporter.write_line(f"Task {task}: {count} test{'s' * (count != 1)} wait for it")


def _where_raised(excinfo: pytest.ExceptionInfo) -> str:
    last = excinfo.traceback[-1]
    return f"{last.path.name} line {last.lineno + 1}"
