"""Grade one submission: run the hidden tests and score them.

The hidden tests run under pytest in this process; they reach the student's
code only through the ``student`` fixture. Whatever the submission does, the
result is a complete GradeReport: a broken submission scores 0 with a reason.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
import time
from pathlib import Path

import pytest

import autograder
from autograder.course import PROJECT_ROOT, Course, default_course
from autograder.grading.collector import OutcomeCollector
from autograder.grading.results import GradeReport
from autograder.grading.scoring import score_submission
from autograder.grading.source_check import check_source_safely
from autograder.sandbox.check import require_full_sandbox
from autograder.sandbox.mounts import sandbox_base
from autograder.sandbox.transport import warm_up
from autograder.submission import load_submission

HIDDEN_TESTS = PROJECT_ROOT / "tests" / "hidden"
PUBLIC_TESTS = PROJECT_ROOT / "assignments"


def run_tests(tests_dir: Path, submission_path: Path, *, device: str, grading: bool,
              time_limit_s: float, sandbox: bool = False, data_root: Path | None = None
              ) -> OutcomeCollector:
    """Run the tests of one folder against a submission; pytest's output is kept off stdout."""
    collector = OutcomeCollector(tests_dir, time_limit_s=time_limit_s)
    args = [
        str(tests_dir),
        f"--rootdir={PROJECT_ROOT}",
        f"--submission={submission_path}",
        f"--device={device}",
        f"--time-limit={time_limit_s}",
        "--assert=plain",
        "-p", "no:cacheprovider",
        "-q",
        "--no-header",
    ]
    if grading:
        args.append("--grading")
    if sandbox:
        args.append("--sandbox")
    if data_root is not None:
        args.append(f"--data-root={data_root}")
    quiet = io.StringIO()
    with contextlib.redirect_stdout(quiet):
        pytest.main(args, plugins=[collector])
    return collector


def grade(assignment_id: str, submission: str | Path, *, course: Course | None = None,
          device: str = "auto", tests_root: Path = HIDDEN_TESTS, sandbox: bool = True,
          strict_sandbox: bool = False) -> GradeReport:
    """Grade a submission (folder, .py or .ipynb) of an assignment with its hidden tests.

    Args:
        assignment_id: e.g. "02".
        submission: a folder holding the module, a .py file or a .ipynb notebook.
        course: the course (default: the project's course.yml).
        device: "auto", "cpu" or "cuda" for the device tests.
        tests_root: the folder holding one test folder per assignment.
        sandbox: run the student's code in confined workers (False: in this process).
        strict_sandbox: refuse to grade when a sandbox protection is unavailable.

    Raises:
        CourseError: unknown assignment, a path that is not a submission, or a
            missing protection under ``strict_sandbox``.
    """
    started = time.perf_counter()
    course = course or default_course()
    assignment = course.assignment(assignment_id)
    loaded = load_submission(submission, assignment)
    if sandbox:
        warm_up()
    if sandbox and strict_sandbox:
        require_full_sandbox()
    with tempfile.TemporaryDirectory(prefix="grade-", dir=sandbox_base() if sandbox else None) as private:
        Path(private).chmod(0o755)
        module_path = loaded.write_to(Path(private) / "submission")
        errors, violations = check_source_safely(loaded.source, assignment, module_path.name,
                                                 course.sandbox.source_kb * 1024)
        collector = run_tests(
            tests_root / assignment.id,
            module_path,
            device=device,
            grading=True,
            time_limit_s=course.time_limit_for(assignment),
            sandbox=sandbox,
            data_root=Path(private) / "data",
        )
    return score_submission(
        assignment,
        collector.outcomes,
        violations,
        submission=str(submission),
        device=device,
        duration_s=round(time.perf_counter() - started, 3),
        version=autograder.__version__,
        errors=tuple(dict.fromkeys(errors + collector.load_errors + collector.collection_errors)),
        protections=tuple(collector.protections),
    )

