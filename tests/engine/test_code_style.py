"""Is the project's code in its style (ruff: pycodestyle, pyflakes, Google docstrings)?"""

import shutil
import subprocess

import pytest


def test_the_project_passes_ruff(project_root):
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (it comes with the dev extra)")
    completed = subprocess.run([ruff, "check", ".", "--output-format", "concise"],
                               cwd=project_root, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout
