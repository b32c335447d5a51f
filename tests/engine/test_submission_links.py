"""Is a submission read from its own files, never through a symbolic or hard link?"""

import os
import shutil

import nbformat
import pytest
from typer.testing import CliRunner

from autograder.cli import app
from autograder.errors import CourseError
from autograder.grading.batch import find_submissions, grade_class
from autograder.grading.runner import GradingOptions
from autograder.submission import load_submission


@pytest.fixture
def assignment(course):
    return course.assignment("02")


@pytest.fixture
def reference(project_root):
    return project_root / "solutions" / "02"


def _refused(path, assignment, reason):
    with pytest.raises(CourseError, match=reason) as caught:
        load_submission(path, assignment)
    assert "\n" not in str(caught.value)


def test_a_real_folder_and_file_are_read(tmp_path, assignment, reference):
    (tmp_path / "work").mkdir()
    shutil.copy(reference / "scratch.py", tmp_path / "work" / "scratch.py")
    shutil.copy(reference / "scratch.py", tmp_path / "mine.py")
    assert load_submission(tmp_path / "work", assignment).source.startswith("# %%")
    assert load_submission(tmp_path / "mine.py", assignment).kind == "file"


def test_a_module_that_is_a_symbolic_link_to_the_reference_is_refused(tmp_path, assignment, reference):
    (tmp_path / "mine.py").symlink_to(reference / "scratch.py")
    _refused(tmp_path / "mine.py", assignment, "mine.py is a symbolic link")


def test_a_folder_that_is_a_symbolic_link_to_the_solutions_is_refused(tmp_path, assignment, reference):
    (tmp_path / "work").symlink_to(reference, target_is_directory=True)
    _refused(tmp_path / "work", assignment, "work is a symbolic link")


def test_a_notebook_that_is_a_symbolic_link_is_refused(tmp_path, assignment):
    notebook = tmp_path / "real.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), notebook)
    (tmp_path / "mine.ipynb").symlink_to(notebook)
    _refused(tmp_path / "mine.ipynb", assignment, "mine.ipynb is a symbolic link")


def test_a_hard_link_to_a_file_elsewhere_is_refused(tmp_path, assignment, reference):
    (tmp_path / "elsewhere").mkdir()
    shutil.copy(reference / "scratch.py", tmp_path / "elsewhere" / "scratch.py")
    os.link(tmp_path / "elsewhere" / "scratch.py", tmp_path / "mine.py")
    _refused(tmp_path / "mine.py", assignment, "mine.py is a hard link")


def test_a_hard_linked_notebook_is_refused(tmp_path, assignment):
    nbformat.write(nbformat.v4.new_notebook(), tmp_path / "real.ipynb")
    os.link(tmp_path / "real.ipynb", tmp_path / "mine.ipynb")
    _refused(tmp_path / "mine.ipynb", assignment, "mine.ipynb is a hard link")


@pytest.mark.parametrize("link", ["symbolic", "hard"])
def test_a_link_inside_a_submission_folder_pointing_outside_is_refused(tmp_path, assignment, reference, link):
    outside = tmp_path / "outside.py"
    shutil.copy(reference / "scratch.py", outside)
    (tmp_path / "work").mkdir()
    if link == "symbolic":
        (tmp_path / "work" / "scratch.py").symlink_to(outside)
    else:
        os.link(outside, tmp_path / "work" / "scratch.py")
    _refused(tmp_path / "work", assignment, f"scratch.py is a {link} link")


def test_a_fifo_in_place_of_the_module_is_refused_without_blocking(tmp_path, assignment):
    (tmp_path / "work").mkdir()
    os.mkfifo(tmp_path / "work" / "scratch.py")
    _refused(tmp_path / "work", assignment, "is not a regular file")


def test_grading_a_linked_submission_is_one_line_and_exit_2(tmp_path, reference):
    (tmp_path / "work").symlink_to(reference, target_is_directory=True)
    result = CliRunner().invoke(app, ["grade", "02", str(tmp_path / "work"), "--no-sandbox"])
    assert result.exit_code == 2
    assert "is a symbolic link" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_link_entries_of_a_class_folder_are_recorded_with_score_0_and_the_reason(
        tmp_path, assignment, reference, layout):
    (tmp_path / "bob").symlink_to(reference, target_is_directory=True)
    (tmp_path / "carol.py").symlink_to(reference / "scratch.py")
    (tmp_path / "dave").mkdir()
    (tmp_path / "dave" / "scratch.py").symlink_to(reference / "scratch.py")
    shutil.copy(reference / "scratch.py", tmp_path / "copy.txt")
    os.link(tmp_path / "copy.txt", tmp_path / "erin.py")
    found = [path.name for path in find_submissions(tmp_path, assignment)]
    assert found == ["bob", "carol.py", "dave", "erin.py"]
    reports = grade_class("02", tmp_path, layout=layout, options=GradingOptions(device="cpu", sandbox=False))
    assert [report.score for report in reports] == [0, 0, 0, 0]
    reasons = [report.errors[0] for report in reports]
    assert all(reason.startswith("not graded: ") for reason in reasons)
    assert [("symbolic link" in reason, "hard link" in reason) for reason in reasons] == [
        (True, False), (True, False), (True, False), (False, True)]
