"""What the GitHub and GitLab jobs share: where the course comes from, and the grading step's shell.

Both jobs run in the student's repository: they fetch the course root and the
engine from the instructor's private repository, install the grader into a
cached environment, find the student's file and grade it with
``autograder grade NN PATH --course .autograder`` as the instructor would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from autograder.errors import CourseError
from autograder.package.bundle import ENGINE_PROJECT_FILES, Packaged
from autograder.package.shell import install_grader, render, word

COURSE_FOLDER = ".autograder"
"""Where a job puts the instructor's repository (hidden: never taken for the student's work)."""
VENV_FOLDER = ".autograder-venv"
"""The grader's environment, cached between runs."""


@dataclass(frozen=True)
class CourseSource:
    """The instructor's private repository, as a job fetches it."""

    repository: str
    """``owner/name`` on GitHub, ``group/project`` on GitLab."""
    ref: str = "main"
    """The branch or tag to fetch."""
    token: str = "AUTOGRADER_COURSE_TOKEN"
    """The secret (GitHub) or CI/CD variable (GitLab) holding a read-only token for it."""
    submission: str = "."
    """Where in the student's repository the work is looked for."""
    python: str = "3.12"
    """The Python version of the job."""

    def __post_init__(self) -> None:
        if not _REPOSITORY.fullmatch(self.repository):
            raise CourseError(f"--course-repo {self.repository!r}: name it OWNER/NAME "
                              "(GROUP/PROJECT on GitLab)")
        if not _VARIABLE.fullmatch(self.token):
            raise CourseError(f"--token {self.token!r}: a secret's name is letters, digits and _")
        if not _PYTHON.fullmatch(self.python):
            raise CourseError(f"--python {self.python!r}: a version such as 3.12")


_REPOSITORY = re.compile(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+")
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PYTHON = re.compile(r"3\.\d+")


def fetched_paths(target: Packaged) -> list[str]:
    """What a job checks out of the instructor's repository: the course root, and the engine if needed.

    Each is a sparse-checkout pattern anchored at the repository's top (``/course.yml``),
    so a file of the same name deeper in the repository is left out.
    """
    engine = [*ENGINE_PROJECT_FILES, "autograder"] if target.engine is None else []
    return [f"/{path}" for path in (*engine, *target.course_paths())]


def job_environment(target: Packaged, source: CourseSource) -> dict[str, str]:
    """The job's variables: the grading step reads them, and an instructor may edit them."""
    return {
        "AUTOGRADER_ASSIGNMENT": target.assignment.id,
        "AUTOGRADER_SUBMISSION": source.submission,
        "AUTOGRADER_COURSE": COURSE_FOLDER,
        "AUTOGRADER_VENV": VENV_FOLDER,
        "AUTOGRADER_DEVICE": target.device,
        "AUTOGRADER_FAIL_UNDER": "" if target.fail_under is None else f"{target.fail_under:g}",
    }


def install_step(target: Packaged) -> str:
    """Bash that installs the grader (from the fetched repository unless ``--engine``)."""
    engine = word(target.engine) if target.engine else '"./$AUTOGRADER_COURSE"'
    return install_grader("AUTOGRADER_VENV", engine)


def locate_and_grade(reports: str) -> str:
    """Bash that finds the student's file and grades it, writing the reports ``reports``.

    Args:
        reports: the ``--format`` and ``--report`` options of ``grade``.

    The grader's exit status is left in ``status`` (1: under the threshold);
    its standard error is in ``$reports/stderr.txt`` and on the job's log.
    """
    return render("locate_and_grade.sh", REPORTS=reports)
