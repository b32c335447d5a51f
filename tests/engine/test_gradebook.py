"""Does a class gradebook keep each submission's file apart from the class files, by a safe id?"""

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from autograder.cli import app
from autograder.errors import CourseError
from autograder.export.gradebook import gradebook_csv, write_gradebook
from autograder.grading.batch import find_submissions
from autograder.grading.prepare import submission_id
from autograder.grading.scoring import score_submission


def _report(course, submission, errors=()):
    return score_submission(course.assignment("02"), [], submission=submission,
                            submission_id=submission_id(submission), errors=errors)


def test_a_submission_called_grades_cannot_overwrite_the_class_grades(tmp_path, course):
    reports = [_report(course, "class/alice"), _report(course, "class/grades.py")]
    write_gradebook(reports, tmp_path)
    class_grades = json.loads((tmp_path / "grades.json").read_text())
    assert [entry["id"] for entry in class_grades] == ["alice", "grades"]
    own = json.loads((tmp_path / "submissions" / "grades.json").read_text())
    assert own["submission"] == "class/grades.py"
    assert sorted(path.name for path in (tmp_path / "submissions").iterdir()) == ["alice.json", "grades.json"]


@pytest.mark.parametrize(("path", "expected"), [
    ("class/alice.py", "alice"),
    ("class/alice", "alice"),
    ("class/bob.ipynb", "bob"),
    ("class/alice.v2", "alice.v2"),
    ("class/José Ñúñez.py", "Jose_Nunez"),
    ("class/../../etc/passwd", "passwd"),
    ("class/.hidden.py", "hidden"),
    ("class/-rf.py", "rf"),
    ("class/=cmd|calc.py", "cmd_calc"),
    ("class/\x1b]52;c;eA==\x07x.py", "52_c_eA_x"),
    ("class/..", "submission"),
])
def test_submission_ids_are_the_stem_as_a_safe_file_name(path, expected):
    assert submission_id(path) == expected


@pytest.mark.parametrize("names", [("alice.py", "alice/"), ("alice.py", "alice.ipynb"),
                                   ("Alice.py", "alice/"), ("a b.py", "a_b.py")])
def test_entries_that_share_an_id_are_refused_with_both_names(tmp_path, course, names):
    for name in names:
        if name.endswith("/"):
            (tmp_path / name).mkdir()
            (tmp_path / name / "scratch.py").write_text("x = 1\n")
        else:
            (tmp_path / name).write_text("x = 1\n")
    with pytest.raises(CourseError, match="would both be graded as") as caught:
        find_submissions(tmp_path, course.assignment("02"))
    assert all(name.rstrip("/") in str(caught.value) for name in names)


def test_writing_a_gradebook_with_colliding_ids_is_refused(tmp_path, course):
    with pytest.raises(CourseError, match="rename or remove one"):
        write_gradebook([_report(course, "a/alice.py"), _report(course, "b/alice")], tmp_path)


def test_the_csv_names_submissions_by_id_and_keeps_reasons_on_one_plain_line(course):
    rows = list(csv.reader(io.StringIO(gradebook_csv(
        [_report(course, "class/bob.py", errors=("not graded: \x1b[2Jbob.py is a symbolic link",))]))))
    assert rows[1][0] == "bob" and rows[1][-1] == "not graded: bob.py is a symbolic link"


def test_grading_a_class_with_colliding_ids_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "alice").mkdir()
    (tmp_path / "alice" / "scratch.py").write_text("x = 1\n")
    (tmp_path / "alice.py").write_text("x = 1\n")
    result = CliRunner().invoke(app, ["grade", "02", str(tmp_path), "--class", "--no-sandbox", "--out",
                                      str(tmp_path / "book")])
    assert result.exit_code == 2
    assert "alice and alice.py would both be graded as 'alice'" in result.output
    assert not Path(tmp_path / "book").exists()
