"""Does the results store key reports by content and grader, and the gradebook show late penalties?"""

import csv
import io
import json
import os
from datetime import datetime, timedelta, timezone

import pytest
from typer.testing import CliRunner

from autograder.cli import app
from autograder.course import LatePolicy
from autograder.errors import CourseError
from autograder.export.gradebook import gradebook_csv, write_gradebook
from autograder.grading.classrun import stored_gradebook
from autograder.grading.late import lateness, read_times_csv, submission_time
from autograder.grading.runner import GradingOptions
from autograder.grading.scoring import score_submission
from autograder.grading.store import ResultsStore, content_hash, grader_hash

DUE = datetime(2026, 12, 14, 23, 59, tzinfo=timezone.utc)
POLICY = LatePolicy(grace_minutes=30, penalty_per_day=10, max_penalty=25)


def _report(course, origin, errors=()):
    assignment = course.assignment("02")
    return score_submission(assignment, [], submission=origin, submission_id=origin.split("/")[-1][:-3],
                            errors=errors)


def test_the_content_hash_follows_the_bytes_not_the_file_time(tmp_path):
    submission = tmp_path / "ann.py"
    submission.write_text("x = 1\n")
    before = content_hash(submission)
    os.utime(submission, (0, 0))
    assert content_hash(submission) == before
    submission.write_text("x = 2\n")
    assert content_hash(submission) != before


def test_a_folder_hash_covers_every_file_and_its_name(tmp_path):
    (tmp_path / "ann").mkdir()
    (tmp_path / "ann" / "scratch.py").write_text("x = 1\n")
    before = content_hash(tmp_path / "ann")
    (tmp_path / "ann" / "helpers.py").write_text("y = 1\n")
    assert content_hash(tmp_path / "ann") != before


def test_the_grader_hash_changes_with_the_hidden_tests_and_the_options(tmp_path, layout, course):
    import shutil

    from autograder.layout import CourseLayout

    shutil.copy(layout.course_file, tmp_path / "course.yml")
    shutil.copytree(layout.solutions("02"), tmp_path / "solutions" / "02")
    shutil.copytree(layout.hidden_tests("02"), tmp_path / "tests" / "hidden" / "02",
                    ignore=shutil.ignore_patterns("__pycache__"))
    copy = CourseLayout(tmp_path)
    assignment = course.assignment("02")
    before = grader_hash(copy, course, assignment, GradingOptions(device="cpu"))
    assert grader_hash(copy, course, assignment, GradingOptions(device="cpu")) == before
    assert grader_hash(copy, course, assignment, GradingOptions(device="auto")) != before
    (copy.hidden_tests("02") / "test_nll.py").write_text("# changed\n")
    assert grader_hash(copy, course, assignment, GradingOptions(device="cpu")) != before


def test_a_stored_report_reads_back_whole_and_a_newer_one_replaces_it(tmp_path, course):
    first = _report(course, "class/ann.py", errors=("first",))
    with ResultsStore(tmp_path) as store:
        store.put(first, "content-1", "grader-1")
        store.put(_report(course, "class/ann.py", errors=("second",)), "content-2", "grader-1", DUE)
        assert store.keys("02") == {"ann": ("content-2", "grader-1")}
    with ResultsStore(tmp_path) as reopened:
        [result] = reopened.results("02")
    assert result.report.errors == ("second",) and result.submitted_at == DUE


@pytest.mark.parametrize(("delay", "days", "penalty"), [
    (timedelta(minutes=-5), 0, 0.0),
    (timedelta(minutes=29), 0, 0.0),  # within the grace period
    (timedelta(minutes=31), 1, 1.6),  # one started day: 10% of 16 points
    (timedelta(days=1, minutes=31), 2, 3.2),
    (timedelta(days=9), 9, 4.0),  # capped at 25%
])
def test_the_late_penalty_counts_started_days_after_the_grace_period_up_to_the_cap(delay, days, penalty):
    late = lateness(DUE + delay, DUE, POLICY, max_score=16)
    assert (late.days_late, late.penalty) == (days, penalty)


def test_an_unknown_submission_time_costs_nothing():
    assert lateness(None, DUE, POLICY, max_score=16).penalty == 0


def test_the_submission_time_comes_from_nbgrader_then_the_csv_then_the_file(tmp_path):
    folder = tmp_path / "ann"
    folder.mkdir()
    (folder / "scratch.py").write_text("x = 1\n")
    times = {"ann": DUE + timedelta(days=2), "bo": DUE + timedelta(days=3)}
    (tmp_path / "bo.py").write_text("x = 1\n")
    os.utime(tmp_path / "bo.py", (DUE.timestamp(), DUE.timestamp()))
    assert submission_time(folder, times) == times["ann"]
    (folder / "timestamp.txt").write_text("2026-12-15 10:00:00.000000 UTC")
    assert submission_time(folder, times) == datetime(2026, 12, 15, 10, tzinfo=timezone.utc)
    assert submission_time(tmp_path / "bo.py", times) == times["bo"]
    assert submission_time(tmp_path / "bo.py", {}) == DUE


def test_a_times_csv_with_a_bad_value_is_one_line_naming_it(tmp_path):
    path = tmp_path / "times.csv"
    path.write_text("submission,submitted_at\nann.py,2026-12-15T10:00:00Z\nbo,yesterday-ish\n")
    with pytest.raises(CourseError, match=r"line 3: 'yesterday-ish' is not a time"):
        read_times_csv(path)
    path.write_text("submission,submitted_at\nann.py,2026-12-15T10:00:00Z\n")
    assert read_times_csv(path) == {"ann": datetime(2026, 12, 15, 10, tzinfo=timezone.utc)}


def test_the_gradebook_shows_raw_score_penalty_and_final_score_under_the_policy(tmp_path, course):
    """Two started days late at 10% a day of 02's 12 points: 2.4 off a raw 10."""
    changed = course.model_copy(update={"late_policy": POLICY})
    report = _report(course, "class/ann.py")
    report = type(report)(**{**report.__dict__, "score": 10.0})
    with ResultsStore(tmp_path) as store:
        store.put(report, "c", "g", DUE + timedelta(hours=30))
        reports, late = stored_gradebook(store, changed, "02")
    rows = list(csv.DictReader(io.StringIO(gradebook_csv(reports, late))))
    assert (rows[0]["score"], rows[0]["late_penalty"], rows[0]["final_score"]) == ("10.0", "2.4", "7.6")
    write_gradebook(reports, tmp_path / "book", late)
    document = json.loads((tmp_path / "book" / "grades.json").read_text())[0]
    assert document["final_score"] == 7.6 and document["late"]["days_late"] == 2


@pytest.mark.parametrize(("args", "message"), [
    (["--format", "json"], "--format is for one submission"),
    (["--fail-under", "3"], "--fail-under is for one submission"),
    (["--cluster", "remote"], "expected local:N"),
])
def test_an_option_a_class_run_cannot_honour_is_refused(tmp_path, args, message):
    (tmp_path / "ann.py").write_text("x = 1\n")
    result = CliRunner().invoke(app, ["grade", "02", str(tmp_path), "--class", "--no-sandbox", *args])
    assert result.exit_code == 2 and message in result.output


def test_class_options_without_class_are_refused(tmp_path):
    (tmp_path / "ann.py").write_text("x = 1\n")
    result = CliRunner().invoke(app, ["grade", "02", str(tmp_path / "ann.py"), "--jobs", "2"])
    assert result.exit_code == 2 and "--jobs is for a class" in result.output
