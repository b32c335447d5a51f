"""Finding the student's work in what a platform hands over.

Gradescope puts the uploaded files in ``/autograder/submission`` (or a whole
repository, when the student submits from GitHub); CI checks out the student's
repository. Whatever the form, this says what to pass to ``autograder grade``:

1. a folder holding the module (``scratch.py``): that folder;
2. else the module somewhere below it, if there is exactly one: that file;
3. else a notebook named after the module (``scratch.ipynb``) below it, if exactly one;
4. else the folder itself, which ``grade`` reads when it holds exactly one
   ``.py`` or ``.ipynb`` file, and otherwise refuses in one line.

Hidden folders (``.git``, the fetched course in ``.autograder``), virtual
environments and caches are not searched, and links are not followed.
"""

from __future__ import annotations

import os
from pathlib import Path

from autograder.course import Assignment
from autograder.errors import CourseError

SKIPPED_FOLDERS = frozenset({"__pycache__", "__MACOSX", "node_modules", "site-packages"})
"""Folders never searched, besides hidden ones and virtual environments."""
MAX_ENTRIES = 50_000
"""Files and folders looked at, at most: a submission is not a file system."""


def locate_submission(folder: Path, assignment: Assignment) -> Path:
    """What to grade in ``folder`` (see the module); ``folder`` itself if it is not a folder.

    Raises:
        CourseError: several copies of the module (or of its notebook) below ``folder``.
    """
    if folder.is_symlink() or not folder.is_dir() or os.path.lexists(folder / assignment.module):
        return folder
    notebook_name = Path(assignment.module).with_suffix(".ipynb").name
    modules, notebooks = _files_named(folder, (assignment.module, notebook_name))
    for found in (modules, notebooks):
        if len(found) == 1:
            return found[0]
        if found:
            listed = ", ".join(str(path.relative_to(folder)) for path in found[:5])
            raise CourseError(f"{folder} holds several {found[0].name} ({listed}): "
                              "submit one, or remove the others")
    return folder


def _files_named(folder: Path, names: tuple[str, str]) -> tuple[list[Path], list[Path]]:
    """The files below ``folder`` called ``names[0]`` and ``names[1]``, in a stable order."""
    found: dict[str, list[Path]] = {name: [] for name in names}
    seen = 0
    for parent, folders, files in os.walk(folder):
        folders[:] = sorted(name for name in folders if _searched(Path(parent) / name))
        seen += len(folders) + len(files)
        if seen > MAX_ENTRIES:
            raise CourseError(f"{folder} holds over {MAX_ENTRIES:,} files: submit the assignment's file")
        for name in names:
            if name in files:
                found[name].append(Path(parent) / name)
    return found[names[0]], found[names[1]]


def _searched(path: Path) -> bool:
    return not (path.name.startswith(".") or path.name in SKIPPED_FOLDERS
                or (path / "pyvenv.cfg").exists())
