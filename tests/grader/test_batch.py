"""Does a class folder grade into a complete gradebook, one broken submission notwithstanding?"""

import csv
import io
import shutil

from typer.testing import CliRunner

from autograder.cli import app
from tests.course_under_test import COURSE, LAYOUT


def test_a_class_folder_grades_into_a_gradebook(tmp_path):
    assignment = COURSE.assignment("01")
    class_folder = tmp_path / "class"
    (class_folder / "ada").mkdir(parents=True)
    shutil.copy(LAYOUT.solution(assignment), class_folder / "ada" / assignment.module)
    (class_folder / "bo.py").write_text("def affine(x, W, b:\n")
    out = tmp_path / "gradebook"

    result = CliRunner().invoke(app, ["grade", "01", str(class_folder), "--out", str(out),
                                      "--device", "cpu"])

    assert result.exit_code == 0, result.output
    rows = {row["submission"]: row for row in csv.DictReader(io.StringIO((out / "grades.csv").read_text()))}
    assert float(rows["ada"]["score"]) == float(rows["ada"]["max_score"]) == 12
    assert float(rows["bo.py"]["score"]) == 0 and "syntax error" in rows["bo.py"]["errors"]
    assert (out / "ada.json").exists() and (out / "bo.json").exists()
