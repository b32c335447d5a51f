"""``autograder package ...``: the grader packaged for Gradescope, GitHub Classroom and GitLab CI."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from autograder.errors import CourseError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Package the grader where students hand in: Gradescope, GitHub Classroom, GitLab CI.")


class Device(str, Enum):
    """``--device`` of the grading run on the platform."""

    auto = "auto"
    cpu = "cpu"
    cuda = "cuda"


Assignment = Annotated[str, typer.Argument(help="the assignment, e.g. 02")]
Course = Annotated[Path | None, typer.Option(
    "--course", help="the course root (default: $AUTOGRADER_COURSE, else found upwards from here)")]
DeviceOption = Annotated[Device, typer.Option(help="where the platform runs the device tests")]
Engine = Annotated[str | None, typer.Option(
    help="a pip requirement for the engine (default: its source, from this checkout)")]
FailUnder = Annotated[float | None, typer.Option(help="fail the CI job when the score is below this")]
CourseRepo = Annotated[str, typer.Option(
    help="the instructor's private repository holding the course and the engine (OWNER/NAME)")]
Ref = Annotated[str, typer.Option(help="its branch or tag")]
Token = Annotated[str, typer.Option(
    help="the secret or CI/CD variable holding a read-only token for it")]
Submission = Annotated[str, typer.Option(help="where in the student's repository to look for the work")]
Python = Annotated[str, typer.Option(help="the job's Python version")]


@app.callback()
def package() -> None:
    """Package the grader where students hand in: Gradescope, GitHub Classroom, GitLab CI."""


def _fail(message: str) -> None:
    typer.echo(f"autograder: {message}", err=True)
    raise typer.Exit(2)


def _target(course: Path | None, assignment: str, **settings):
    from autograder.layout import CourseLayout
    from autograder.package.bundle import packaged

    return packaged(CourseLayout.locate(course), assignment, **settings)


@app.command()
def gradescope(assignment: Assignment, out: Annotated[Path, typer.Option(help="the folder for the zip")],
               course: Course = None, device: DeviceOption = Device.auto, engine: Engine = None):
    """Write OUT/autograder-NN.zip, the autograder to upload to Gradescope."""
    from autograder.package.gradescope import package_gradescope

    try:
        written = package_gradescope(_target(course, assignment, device=device.value, engine=engine), out)
    except (CourseError, OSError) as error:
        _fail(str(error))
    typer.echo(f"wrote {written}: upload it as the assignment's autograder (docs/deploy.md)")


@app.command()
def github(assignment: Assignment, course_repo: CourseRepo,
           out: Annotated[Path, typer.Option(help="the student template repository")],
           course: Course = None, ref: Ref = "main", token: Token = "AUTOGRADER_COURSE_TOKEN",
           submission: Submission = ".", python: Python = "3.12", device: DeviceOption = Device.auto,
           fail_under: FailUnder = None, engine: Engine = None):
    """Write OUT/.github/workflows/autograde-NN.yml: grading on push, points to GitHub Classroom."""
    from autograder.package.ci import CourseSource
    from autograder.package.github import package_github

    try:
        source = CourseSource(course_repo, ref, token, submission, python)
        target = _target(course, assignment, device=device.value, fail_under=fail_under, engine=engine)
        written = package_github(target, source, out)
    except (CourseError, OSError) as error:
        _fail(str(error))
    typer.echo(f"wrote {written}: add the secret {token} to the students' repositories (docs/deploy.md)")


@app.command()
def gitlab(assignment: Assignment, course_repo: CourseRepo,
           out: Annotated[Path, typer.Option(help="the student template project")],
           course: Course = None, ref: Ref = "main", token: Token = "AUTOGRADER_COURSE_TOKEN",
           submission: Submission = ".", python: Python = "3.12", device: DeviceOption = Device.auto,
           fail_under: FailUnder = None, engine: Engine = None):
    """Write OUT/.gitlab-ci.yml: grading on push, the score in the log, a JUnit test report."""
    from autograder.package.ci import CourseSource
    from autograder.package.gitlab import package_gitlab

    try:
        source = CourseSource(course_repo, ref, token, submission, python)
        target = _target(course, assignment, device=device.value, fail_under=fail_under, engine=engine)
        written = package_gitlab(target, source, out)
    except (CourseError, OSError) as error:
        _fail(str(error))
    typer.echo(f"wrote {written}: add the CI/CD variable {token} (docs/deploy.md)")


@app.command()
def locate(assignment: Assignment,
           folder: Annotated[Path, typer.Argument(help="what the platform handed over")],
           course: Course = None):
    """Print what to grade in FOLDER: the module, another .py file or a notebook, wherever it lies."""
    from autograder.layout import CourseLayout
    from autograder.package.locate import locate_submission

    try:
        chosen = CourseLayout.locate(course).load_course().assignment(assignment)
        typer.echo(str(locate_submission(folder, chosen)))
    except CourseError as error:
        _fail(str(error))
