"""Is the project's code in its style (ruff: pycodestyle, pyflakes, Google docstrings)?"""

import subprocess
import sys


def test_the_project_passes_ruff(project_root):
    completed = subprocess.run([sys.executable, "-m", "ruff", "check", ".", "--output-format", "concise"],
                               cwd=project_root, capture_output=True, text=True)
    assert "No module named ruff" not in completed.stderr, "ruff comes with the dev extra: .[dev]"
    assert completed.returncode == 0, completed.stdout + completed.stderr
