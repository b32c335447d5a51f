"""Is the student's work found in whatever a platform hands over, and never in the fetched course?"""

import pytest

from autograder.errors import CourseError
from autograder.package.locate import locate_submission


@pytest.fixture
def assignment(course):
    return course.assignment("02")


def _write(path, text="x = 1\n"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_a_folder_holding_the_module_is_graded_as_it_is(tmp_path, assignment):
    _write(tmp_path / "scratch.py")
    _write(tmp_path / "deeper" / "scratch.py")
    assert locate_submission(tmp_path, assignment) == tmp_path


def test_the_module_is_found_in_a_repository_but_not_in_hidden_folders_or_environments(tmp_path, assignment):
    work = _write(tmp_path / "assignments" / "02" / "scratch.py")
    _write(tmp_path / ".autograder" / "solutions" / "02" / "scratch.py")
    _write(tmp_path / "env" / "lib" / "scratch.py")
    _write(tmp_path / "env" / "pyvenv.cfg")
    _write(tmp_path / "__MACOSX" / "scratch.py")
    assert locate_submission(tmp_path, assignment) == work


def test_a_notebook_named_after_the_module_is_found_below(tmp_path, assignment):
    notebook = _write(tmp_path / "work" / "scratch.ipynb", "{}")
    _write(tmp_path / "work" / "helpers.py")
    assert locate_submission(tmp_path, assignment) == notebook


def test_several_copies_are_refused_in_one_line_naming_them(tmp_path, assignment):
    _write(tmp_path / "a" / "scratch.py")
    _write(tmp_path / "b" / "scratch.py")
    with pytest.raises(CourseError, match=r"several scratch.py \(a/scratch.py, b/scratch.py\)"):
        locate_submission(tmp_path, assignment)


def test_without_the_module_the_folder_is_left_to_grade(tmp_path, assignment):
    """grade reads a folder's one .py or .ipynb file, or says in one line what is wrong."""
    _write(tmp_path / "my_work.py")
    assert locate_submission(tmp_path, assignment) == tmp_path
    assert locate_submission(tmp_path / "my_work.py", assignment) == tmp_path / "my_work.py"


def test_a_linked_folder_is_not_followed(tmp_path, assignment):
    _write(tmp_path / "elsewhere" / "scratch.py")
    (tmp_path / "submission").mkdir()
    (tmp_path / "submission" / "link").symlink_to(tmp_path / "elsewhere")
    assert locate_submission(tmp_path / "submission", assignment) == tmp_path / "submission"
