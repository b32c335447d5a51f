"""Are notebooks turned into importable modules, whatever Jupyter-only code they hold?"""

import nbformat

from autograder.submission import notebook_source


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
