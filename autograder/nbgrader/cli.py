"""``autograder nbgrader ...``: the nbgrader course directory, as a typer sub-app."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from autograder.errors import CourseError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Work with nbgrader: build the course directory it runs in.")


@app.callback()
def nbgrader() -> None:
    """Work with nbgrader: build the course directory it runs in."""


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="the nbgrader course directory (created if missing)")],
    assignment: Annotated[str | None, typer.Option(help="only this assignment, e.g. 02")] = None,
    course: Annotated[Path | None, typer.Option(help="the course root (default: found from here)")] = None,
):
    """Create or update an nbgrader course: nbgrader_config.py and source/NN/<module>.ipynb.

    Submissions, autograded notebooks, feedback and the gradebook are left alone.
    """
    from autograder.layout import CourseLayout
    from autograder.nbgrader.course_dir import init_course

    try:
        written = init_course(directory, CourseLayout.locate(course), only=assignment)
    except CourseError as error:
        typer.echo(f"autograder: {error}", err=True)
        raise typer.Exit(2) from None
    for path in written:
        typer.echo(f"wrote {path}")
    if not written:
        typer.echo(f"{directory} is up to date")
    typer.echo(f"next: cd {directory} && nbgrader generate_assignment NN")
