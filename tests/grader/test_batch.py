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

    result = CliRunner().invoke(app, ["grade", "01", str(class_folder), "--class", "--out", str(out),
                                      "--device", "cpu"])

    assert result.exit_code == 0, result.output
    rows = {row["submission"]: row for row in csv.DictReader(io.StringIO((out / "grades.csv").read_text()))}
    assert float(rows["ada"]["score"]) == float(rows["ada"]["max_score"]) == 12
    assert float(rows["bo"]["score"]) == 0 and "syntax error" in rows["bo"]["errors"]
    assert (out / "submissions" / "ada.json").exists() and (out / "submissions" / "bo.json").exists()


def test_a_class_graded_with_two_jobs_gets_the_same_scores_as_with_one(tmp_path, layout):
    """Do grading processes sharing a queue give every submission, in the folder's order?"""
    from autograder.grading.batch import grade_class
    from autograder.grading.runner import GradingOptions

    assignment = COURSE.assignment("01")
    reference = LAYOUT.solution(assignment).read_text()
    for name, source in {"ann": reference, "ben": "x = (\n", "cy": reference.replace(
            "    return x @ W.T + b\n", "    return x @ W + b\n")}.items():
        (tmp_path / f"{name}.py").write_text(source)
    options = GradingOptions(device="cpu")
    one = grade_class("01", tmp_path, layout=layout, options=options)
    two = grade_class("01", tmp_path, layout=layout, jobs=2, options=options)
    assert [report.submission_id for report in two] == ["ann", "ben", "cy"]
    assert [report.score for report in two] == [report.score for report in one]
    assert one[0].score == 12 and one[1].score == 0 and 0 < one[2].score < 12
