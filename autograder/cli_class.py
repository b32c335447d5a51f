"""``autograder grade --class``: a class folder graded into a gradebook folder, resumably.

The gradebook folder holds the results store (``results.sqlite``), from which
grades.csv, grades.json and ``submissions/<id>.json`` are derived after every
run, an interrupted one included. User mistakes are raised as CourseError for
the CLI to print as one line.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import typer

from autograder.errors import CourseError
from autograder.grading.runner import GradingOptions
from autograder.layout import CourseLayout


@dataclass(frozen=True)
class ClassChoices:
    """The options of ``grade --class``."""

    jobs: int
    regrade: bool
    scheduler: str | None
    cluster: str | None
    submitted_times: Path | None


def grade_class_folder(assignment: str, folder: Path, out: Path | None, choices: ClassChoices,
                       layout: CourseLayout, options: GradingOptions) -> None:
    """Grade the new or changed submissions of a folder into the gradebook folder's store.

    Exits 130 after a Ctrl-C, with every finished report kept.
    """
    from autograder.grading.batch import find_submissions
    from autograder.grading.classrun import Scheduling, grade_into_store
    from autograder.grading.late import read_times_csv, submission_time
    from autograder.grading.store import ResultsStore

    if choices.scheduler and choices.cluster:
        raise CourseError("--scheduler and --cluster both choose a cluster: give one")
    course = layout.load_course()
    chosen = course.assignment(assignment)
    if not folder.is_dir():
        raise CourseError(f"{folder} is not a folder: --class grades a folder of submissions, "
                          "one per student")
    submissions = find_submissions(folder, chosen)
    if not submissions:
        raise CourseError(f"{folder} holds no submissions (folders with the module, .py or .ipynb files)")
    times = read_times_csv(choices.submitted_times) if choices.submitted_times else None
    scheduling = Scheduling(choices.jobs, choices.scheduler or _cluster(choices.cluster))
    target = out or Path(f"gradebook-{chosen.id}")
    try:
        store = ResultsStore(target)
    except (OSError, sqlite3.Error) as error:
        raise CourseError(f"cannot open the results store in {target}: {error}") from None
    with store, _progress() as bar:
        summary = grade_into_store(chosen.id, submissions, store, layout=layout, course=course,
                                   scheduling=scheduling, options=options, regrade=choices.regrade,
                                   submitted_at=lambda path: submission_time(path, times),
                                   on_plan=bar.plan, on_done=bar.advance)
        _derive_gradebook(store, course, chosen.id, target, summary)
    typer.echo(summary.line(store.path), err=summary.interrupted)
    if summary.interrupted:
        raise typer.Exit(130)


def _cluster(value: str | None) -> str | None:
    """``local:N`` checked; None when no cluster is asked for."""
    if value is None:
        return None
    count = value.removeprefix("local:")
    if not value.startswith("local:") or not count.isdigit() or int(count) < 1:
        raise CourseError(f"--cluster {value}: expected local:N with N workers, e.g. local:2")
    return value


class _Bar:
    """A progress bar over the submissions a run grades."""

    def __init__(self, progress):
        self.progress = progress
        self.task = progress.add_task("looking for changes", total=None)

    def plan(self, to_grade: int, up_to_date: int) -> None:
        """Say how many submissions are graded and how many are kept as they are."""
        kept = f" ({up_to_date} up to date)" if up_to_date else ""
        self.progress.update(self.task, description=f"grading {to_grade} submissions{kept}", total=to_grade)

    def advance(self, report: object) -> None:
        """One more report is in."""
        self.progress.advance(self.task)


@contextlib.contextmanager
def _progress():
    """A progress bar on stderr."""
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True)) as progress:
        yield _Bar(progress)


def _derive_gradebook(store, course, assignment: str, target: Path, summary) -> None:
    """Write grades.csv, grades.json and the per-submission files from the store; print the scores."""
    from autograder.export.findings import score_line
    from autograder.export.gradebook import write_gradebook
    from autograder.export.sanitize import one_line
    from autograder.grading.classrun import stored_gradebook

    reports, lateness = stored_gradebook(store, course, assignment)
    try:
        write_gradebook(reports, target, lateness)
    except OSError as error:
        raise CourseError(f"cannot write the gradebook into {target}: {error.strerror}") from None
    if summary.interrupted:
        return
    for report in reports:
        late = lateness[report.submission_id]
        penalty = f" - {late.penalty:g} late = {late.final_score(report):g}" if late.penalty else ""
        problem = f" ({one_line(report.errors[0])})" if report.errors else ""
        typer.echo(f"{report.submission_id}: {score_line(report.score, report.max_score)}{penalty}{problem}")
    typer.echo(f"gradebook written to {target}/grades.csv")


def write_class_report(assignment: str, gradebook: Path, layout: CourseLayout) -> Path:
    """Write ``gradebook/report.html`` from the store a class run left there; its path.

    Raises:
        CourseError: no results store in ``gradebook``, or no results of ``assignment`` in it.
    """
    from autograder.export.class_report import to_class_report
    from autograder.grading.classrun import stored_gradebook
    from autograder.grading.store import STORE_FILE, ResultsStore

    course = layout.load_course()
    chosen = course.assignment(assignment)
    if not (gradebook / STORE_FILE).is_file():
        raise CourseError(f"{gradebook} holds no {STORE_FILE}: grade the class into it first "
                          f"(autograder grade {chosen.id} CLASS --class --out {gradebook})")
    with ResultsStore(gradebook) as store:
        reports, lateness = stored_gradebook(store, course, chosen.id)
    if not reports:
        raise CourseError(f"{gradebook} holds no results of assignment {chosen.id}")
    target = gradebook / "report.html"
    partial = gradebook / ".report.html.partial"
    try:
        partial.write_text(to_class_report(reports, lateness), encoding="utf-8")
        partial.replace(target)
    except OSError as error:
        raise CourseError(f"cannot write {target}: {error.strerror}") from None
    return target


def write_similarity(assignment: str, folder: Path, out: Path | None, threshold: float,
                     layout: CourseLayout) -> tuple[Path, Path, int]:
    """Compare every pair of submissions in ``folder``; write similarity.html and .csv into ``out``.

    ``out`` defaults to ``similarity-NN``.

    Returns:
        The two files and the number of flagged pairs.

    Raises:
        CourseError: not a folder, fewer than two readable submissions, a bad threshold, an unwritable out.
    """
    from autograder.similarity import compare_class, similarity_csv, similarity_html

    chosen = layout.load_course().assignment(assignment)
    if not folder.is_dir():
        raise CourseError(f"{folder} is not a folder of submissions")
    result = compare_class(folder, chosen, layout.stub(chosen), threshold)
    out = out or Path(f"similarity-{chosen.id}")
    written = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        pages = (("similarity.html", similarity_html(result)), ("similarity.csv", similarity_csv(result)))
        for name, text in pages:
            partial = out / f".{name}.partial"
            partial.write_text(text, encoding="utf-8")
            written.append(partial.replace(out / name))
    except OSError as error:
        raise CourseError(f"cannot write into {out}: {error.strerror}") from None
    return written[0], written[1], len(result.flagged)
