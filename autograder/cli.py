"""The ``autograder`` command: a thin layer over the Python API.

Every user mistake (unknown assignment, wrong path, malformed course.yml) is
one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from autograder.errors import CourseError
from autograder.nbgrader.cli import app as nbgrader_app
from autograder.package.cli import app as package_app

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Build, check and grade the assignments of the PyTorch course.")
app.add_typer(nbgrader_app, name="nbgrader")
app.add_typer(package_app, name="package")


class OutputFormat(str, Enum):
    """The ``--format`` choices of ``grade``."""

    text = "text"
    json = "json"
    gradescope = "gradescope"
    junit = "junit"
    markdown = "markdown"
    github = "github"
    classroom = "classroom"


class DeviceChoice(str, Enum):
    """The ``--device`` choices."""

    auto = "auto"
    cpu = "cpu"
    cuda = "cuda"


def _fail(message: str) -> None:
    typer.echo(f"autograder: {message}", err=True)
    raise typer.Exit(2)


def _write(text: str, out: Path | None, *, append: bool = False) -> None:
    """Write a report to ``out`` (stdout if None); ``append`` adds it after what the file holds.

    A GitHub job summary gathers the Markdown of several steps in one file, so
    Markdown is appended, after a blank line, rather than replacing the others.
    """
    if out is None:
        sys.stdout.write(text)
        return
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if append and out.is_file() and out.stat().st_size > 0:
            with out.open("a", encoding="utf-8") as file:
                file.write("\n" + text)
        else:
            out.write_text(text, encoding="utf-8")
    except OSError as error:
        _fail(f"cannot write {out}: {error.strerror}")


CourseOption = Annotated[
    Path | None,
    typer.Option("--course", help="the course root, a folder holding course.yml "
                 "(default: $AUTOGRADER_COURSE, else found upwards from here)"),
]


def _layout(course: Path | None):
    """The course chosen on the command line: the only place the CLI finds one."""
    from autograder.layout import CourseLayout

    return CourseLayout.locate(course)


def _check_device(device: DeviceChoice) -> None:
    if device is not DeviceChoice.cuda:
        return
    import torch

    if not torch.cuda.is_available():
        _fail("--device cuda: no CUDA device on this machine (use auto or cpu)")


@app.command()
def build(assignment: Annotated[str | None, typer.Argument(help="e.g. 02; all if omitted")] = None,
          course: CourseOption = None):
    """Regenerate the student stubs in assignments/ from solutions/."""
    from autograder.build import build_stubs

    try:
        layout = _layout(course)
        for path in build_stubs(layout, layout.load_course(), assignment):
            typer.echo(f"wrote {path}")
    except CourseError as error:
        _fail(str(error))


@app.command()
def check(
    assignment: Annotated[str, typer.Argument(help="the assignment, e.g. 02")],
    submission: Annotated[Path | None, typer.Option(help="your code (default: assignments/NN)")] = None,
    course: CourseOption = None,
):
    """Run the public tests of an assignment and show points per task (the student's view)."""
    from autograder.api import check_public
    from autograder.export import to_text

    try:
        report = check_public(assignment, submission, layout=_layout(course))
    except CourseError as error:
        _fail(str(error))
    typer.echo(to_text(report), nl=False)
    typer.echo("These are the public tests only: the hidden tests decide the grade.")


@app.command()
def grade(
    assignment: Annotated[str, typer.Argument(help="the assignment, e.g. 02")],
    submission: Annotated[Path, typer.Argument(help="a folder, a .py file or a .ipynb notebook")],
    format: Annotated[OutputFormat | None, typer.Option(
        "--format", "-f", help="the report's format (one submission; default: text)")] = None,
    out: Annotated[Path | None, typer.Option(
        help="write the report here instead of stdout; Markdown is appended (a job summary); "
             "with --class, the gradebook folder (default: gradebook-NN)")] = None,
    device: Annotated[DeviceChoice, typer.Option(help="where device tests run")] = DeviceChoice.auto,
    fail_under: Annotated[float | None, typer.Option(
        help="exit 1 if the score is below this (one submission)")] = None,
    sandbox: Annotated[bool, typer.Option(help="run the student's code in a confined worker")] = True,
    strict_sandbox: Annotated[bool, typer.Option(help="refuse to grade if a protection is missing")] = False,
    class_folder: Annotated[bool, typer.Option(
        "--class", help="SUBMISSION is a folder of submissions, one per student")] = False,
    also: Annotated[list[str] | None, typer.Option(
        "--report", metavar="FORMAT=PATH",
        help="also write the report in FORMAT to PATH (repeatable; Markdown is appended)")] = None,
    jobs: Annotated[int, typer.Option(min=1, help="a class: submissions graded in parallel")] = 1,
    regrade: Annotated[bool, typer.Option(
        help="a class: grade every submission again, not only the new or changed ones")] = False,
    scheduler: Annotated[str | None, typer.Option(
        help="a class: grade on the Dask cluster of this scheduler, e.g. tcp://host:8786")] = None,
    cluster: Annotated[str | None, typer.Option(
        help="a class: grade on a Dask cluster started here, 'local:N' for N workers")] = None,
    submitted_times: Annotated[Path | None, typer.Option(
        help="a class: CSV of submission times (columns submission, submitted_at), for the late policy",
    )] = None,
    course: CourseOption = None,
):
    """Grade a submission, or with --class a folder of submissions, with the hidden tests."""
    reports_to = _report_targets(also or [], class_folder)
    try:  # a mistake in the course or the assignment is told before torch is imported
        layout = _layout(course)
        loaded = layout.load_course()
        chosen = loaded.assignment(assignment)
    except CourseError as error:
        _fail(str(error))
    if sandbox and not class_folder:
        _start_the_forkserver(layout.solution(chosen))
    _check_device(device)
    from autograder.api import grade as grade_submission
    from autograder.export import FORMATS
    from autograder.grading.runner import GradingOptions

    options = GradingOptions(device=device.value, sandbox=sandbox, strict_sandbox=strict_sandbox)
    if class_folder:
        from autograder.cli_class import ClassChoices, grade_class_folder

        _refuse_single_options(format, fail_under)
        choices = ClassChoices(jobs, regrade, scheduler, cluster, submitted_times)
        try:
            grade_class_folder(assignment, submission, out, choices, layout, options)
        except CourseError as error:
            _fail(str(error))
        except KeyboardInterrupt:  # before the grading started, or while the gradebook was written
            typer.echo("interrupted: every report finished is kept in the gradebook folder's "
                       "results.sqlite", err=True)
            raise typer.Exit(130) from None
        return
    _refuse_class_options(jobs, regrade, scheduler, cluster, submitted_times)
    format = format or OutputFormat.text
    try:
        report = grade_submission(assignment, submission, layout=layout, course=loaded,
                                  device=device.value, sandbox=sandbox, strict_sandbox=strict_sandbox)
    except CourseError as error:
        _fail(str(error))
    for name, target in reports_to:
        _write(FORMATS[name](report), target, append=name == OutputFormat.markdown.value)
    _write(FORMATS[format.value](report), out, append=format is OutputFormat.markdown)
    _warn_about_missing_protections(report.protections, sandbox)
    if fail_under is not None and report.score < fail_under:
        typer.echo(f"autograder: score {report.score:g} is under {fail_under:g}", err=True)
        raise typer.Exit(1)


def _start_the_forkserver(reference: Path) -> None:
    """Start the sandbox's forkserver before this process imports torch, so that both import at once.

    The server preloads torch and what the reference imports; a single grading then waits about
    3 s less on 2 cores.
    """
    from autograder.sandbox.forkserver import modules_to_preload, warm_up

    warm_up(modules_to_preload(reference))


def _report_targets(values: list[str], class_folder: bool) -> list[tuple[str, Path]]:
    """``--report FORMAT=PATH`` values as (format, path) pairs: one grading, several views (CI)."""
    if values and class_folder:
        _fail("--report writes one submission's report; a class gets its gradebook (--out)")
    targets = []
    for value in values:
        name, separator, path = value.partition("=")
        if not separator or not path:
            _fail(f"--report {value}: write it FORMAT=PATH, e.g. markdown=summary.md")
        if name not in OutputFormat.__members__:
            _fail(f"--report {value}: no format {name!r} (one of {', '.join(OutputFormat.__members__)})")
        targets.append((name, Path(path)))
    return targets
@app.command()
def report(
    assignment: Annotated[str, typer.Argument(help="the assignment, e.g. 02")],
    gradebook: Annotated[Path, typer.Argument(help="the gradebook folder a class was graded into (--out)")],
    course: CourseOption = None,
):
    """Write GRADEBOOK/report.html: scores, tasks, hardest tests, failures, late and slow submissions."""
    from autograder.cli_class import write_class_report

    try:
        path = write_class_report(assignment, gradebook, _layout(course))
    except CourseError as error:
        _fail(str(error))
    typer.echo(f"class report written to {path}")


@app.command()
def similarity(
    assignment: Annotated[str, typer.Argument(help="the assignment, e.g. 02")],
    folder: Annotated[Path, typer.Argument(help="the class folder, one submission per student")],
    out: Annotated[Path | None, typer.Option(
        help="the folder for similarity.html and similarity.csv (default: similarity-NN)")] = None,
    threshold: Annotated[float, typer.Option(
        help="flag pairs where this share of one side's own code is found in the other")] = 0.5,
    course: CourseOption = None,
):
    """Compare every pair of submissions (winnowing, as MOSS does) and list the pairs above a threshold."""
    from autograder.cli_class import write_similarity

    try:
        page, table, flagged = write_similarity(assignment, folder, out, threshold, _layout(course))
    except CourseError as error:
        _fail(str(error))
    pairs = "1 pair" if flagged == 1 else f"{flagged} pairs"
    typer.echo(f"{pairs} at or above {threshold:.0%}: {page} and {table}")


def _refuse_single_options(format: OutputFormat | None, fail_under: float | None) -> None:
    if format is not None:
        _fail("--format is for one submission: a class is written as a gradebook folder "
              "(grades.csv, grades.json, submissions/<id>.json); see also 'autograder report'")
    if fail_under is not None:
        _fail("--fail-under is for one submission: a class run's exit status does not depend on the scores")


def _refuse_class_options(jobs: int, regrade: bool, scheduler: str | None, cluster: str | None,
                          submitted_times: Path | None) -> None:
    given = [name for name, value in (("--jobs", jobs != 1), ("--regrade", regrade),
                                      ("--scheduler", scheduler), ("--cluster", cluster),
                                      ("--submitted-times", submitted_times)) if value]
    if given:
        _fail(f"{given[0]} is for a class: add --class to grade a folder of submissions")


def _warn_about_missing_protections(protections: tuple, sandbox: bool) -> None:
    """Say on stderr which protections were unavailable (the grade itself stands)."""
    from autograder.sandbox.check import missing_protections

    if not sandbox:
        typer.echo("autograder: warning: graded without the sandbox (--no-sandbox)", err=True)
        return
    missing = missing_protections(list(protections)) if protections else []
    if missing:
        typer.echo(f"autograder: warning: sandbox without {'; '.join(missing)}", err=True)


def main() -> None:
    """Entry point that also turns a malformed course.yml into one line."""
    try:
        app()
    except CourseError as error:
        typer.echo(f"autograder: {error}", err=True)
        sys.exit(2)
