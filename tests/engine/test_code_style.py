"""Is the engine's code in the project's style (ruff: pycodestyle, pyflakes, Google docstrings)?"""

import shutil
import subprocess

import pytest


def test_the_engine_passes_ruff(project_root):
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (it comes with the dev extra)")
    completed = subprocess.run([ruff, "check", "autograder", "benchmarks", "--output-format", "concise"],
                               cwd=project_root, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout
