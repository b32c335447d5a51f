"""Are notebooks turned into importable modules, whatever Jupyter-only code they hold?"""

import nbformat
import pytest

from autograder.errors import CourseError
from autograder.submission import load_submission, notebook_source


def _notebook(tmp_path, *cells):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(cell) for cell in cells]
    path = tmp_path / "work.ipynb"
    nbformat.write(notebook, path)
    return path


def test_magics_shell_escapes_and_ipython_calls_are_dropped(tmp_path):
    path = _notebook(
        tmp_path,
        "%matplotlib inline\n!pip install torch\nx = 1",
        "%%time\ny = undefined_name",
        "def hide(*args):\n    pass\nget_ipython().set_custom_exc(\n    (Exception,), hide)\nz = 2",
    )
    namespace = {}
    exec(notebook_source(path), namespace)
    assert (namespace["x"], namespace["z"]) == (1, 2) and "y" not in namespace


def test_a_function_that_uses_ipython_is_kept(tmp_path):
    path = _notebook(tmp_path, "def show():\n    return get_ipython()\n")
    namespace = {}
    exec(notebook_source(path), namespace)
    assert callable(namespace["show"])


def test_a_folder_with_one_notebook_and_no_module_is_that_notebook(tmp_path, course):
    """Does a Gradescope-style folder holding only scratch.ipynb count as one submission?"""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("def nll(input, target):\n    return 0\n")]
    nbformat.write(notebook, tmp_path / "scratch.ipynb")
    loaded = load_submission(tmp_path, course.assignment("02"))
    assert loaded.kind == "notebook" and "def nll" in loaded.source and loaded.origin == tmp_path


def test_a_folder_with_the_module_under_another_name_is_that_file(tmp_path, course):
    (tmp_path / "my_work.py").write_text("def nll(input, target):\n    return 0\n")
    (tmp_path / "test_mine.py").write_text("def test_x():\n    pass\n")
    assert "def nll" in load_submission(tmp_path, course.assignment("02")).source


def test_a_folder_with_several_candidates_names_them_in_one_line(tmp_path, course):
    for name in ("a.py", "b.ipynb"):
        (tmp_path / name).write_text("")
    with pytest.raises(CourseError, match=r"no scratch.py \(assignment 02\) and several other") as caught:
        load_submission(tmp_path, course.assignment("02"))
    assert "a.py, b.ipynb" in str(caught.value) and "\n" not in str(caught.value)
