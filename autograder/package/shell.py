"""The shell that every platform's entry point shares: installing the grader, reporting a failure.

Scripts are templates in ``autograder/package/scripts/`` with ``@NAME@``
placeholders; values are inserted as quoted shell words. The pieces here are
bash, as Gradescope, GitHub's and GitLab's runners all have it.
"""

from __future__ import annotations

import re
import shlex
from importlib import resources

TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
"""PyTorch's index of CPU-only wheels: a fraction of the CUDA build's download."""

_PLACEHOLDER = re.compile(r"@[A-Z_]+@")


def functions() -> str:
    """Bash functions for the fallback reports, written without Python (which may be what failed)."""
    return render("functions.sh")


def word(value: object) -> str:
    """``value`` as one shell word."""
    return shlex.quote(str(value))


def install_grader(venv: str, engine: str) -> str:
    """Bash that creates the grader's environment in ``$venv`` unless a cache restored it.

    Args:
        venv: the name of the shell variable holding the environment's folder.
        engine: what pip installs as the engine: a shell word (a path or a requirement).

    PyTorch comes from its CPU-only index on x86-64 Linux (elsewhere PyPI's
    build is the CPU one already); the engine is reinstalled every time, so a
    cached environment grades with the engine just fetched.
    """
    pip = f'"${venv}/bin/pip"'
    return (
        f'if [ ! -x "${venv}/bin/python" ]; then\n'
        f'  python3 -m venv "${venv}"\n'
        f'  {pip} install --quiet --upgrade pip\n'
        f'  if [ "$(uname -s)-$(uname -m)" = Linux-x86_64 ]; then\n'
        f'    {pip} install --quiet --index-url {TORCH_CPU_INDEX} torch torchvision\n'
        f'  fi\n'
        f'fi\n'
        f'{pip} install --quiet {engine}\n'
    )


def render(template: str, **values: str) -> str:
    """The script ``scripts/<template>`` with each ``@NAME@`` replaced by ``values[NAME]``.

    Raises:
        KeyError: the template has a placeholder without a value.
    """
    text = resources.files("autograder.package").joinpath("scripts", template).read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    left = _PLACEHOLDER.findall(text)
    if left:
        raise KeyError(f"{template}: no value for {', '.join(sorted(set(left)))}")
    return text.rstrip("\n")
