"""Submissions: a folder, a ``.py`` file or a notebook, normalised to one module's source.

Whatever the form, grading works on a private copy: the module file written
into a fresh temporary folder, so nothing a submission does can touch the
original or the checkout.
"""

from __future__ import annotations

import ast
import linecache
import re
import sys
import traceback
import uuid
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Literal

from autograder.course import Assignment
from autograder.errors import CourseError
from autograder.submission_files import (
    MAX_NOTEBOOK_BYTES,
    MAX_SOURCE_BYTES,
    exists_in,
    kind_of,
    open_folder,
    read_file,
    symbolic_link_refusal,
)

SubmissionKind = Literal["folder", "file", "notebook"]
_MAGIC_LINE = re.compile(r"^\s*[%!]")


@dataclass(frozen=True)
class Submission:
    """One student's work for one assignment, as Python source."""

    origin: Path
    """The path the user gave: a folder, a .py file or a .ipynb notebook."""
    kind: SubmissionKind
    """Which of the three forms ``origin`` is."""
    module_file: str
    """The file name the assignment expects, e.g. ``scratch.py``."""
    source: str
    """The module's Python source (for a notebook: its code cells, magics dropped)."""

    def write_to(self, folder: Path) -> Path:
        """Write the module into ``folder`` under its expected name; return its path."""
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / self.module_file
        target.write_text(self.source, encoding="utf-8")
        return target


def notebook_source(path: Path, data: bytes | None = None) -> str:
    """The code cells of a notebook as one module, IPython magics and shell escapes dropped.

    Args:
        path: the notebook, read without following a link unless ``data`` is given.
        data: the notebook's bytes, when they have been read already.
    """
    import nbformat  # slow to import; only notebooks need it

    if data is None:
        data = read_file(path, MAX_NOTEBOOK_BYTES)
    try:
        notebook = nbformat.reads(_decode(data, path), as_version=4)
    except CourseError:
        raise
    except Exception as error:  # nbformat raises several unrelated types
        raise CourseError(f"{path.name} is not a readable notebook: {one_line_error(error)}") from None
    blocks = []
    for cell in notebook.cells:
        if cell.cell_type != "code" or cell.source.lstrip().startswith("%%"):
            continue
        lines = [line for line in cell.source.splitlines() if not _MAGIC_LINE.match(line)]
        blocks.append(_without_ipython_calls("\n".join(lines)))
    return "\n\n".join(blocks) + "\n"


def _without_ipython_calls(cell_source: str) -> str:
    """Drop top-level statements (not definitions) that use ``get_ipython()``: they need a kernel.

    Such statements (an exception handler, a magic spelled out) only make
    sense in Jupyter; kept, they would stop the module from importing. A cell
    that does not parse is left alone, so its syntax error is reported.
    """
    if "get_ipython" not in cell_source:
        return cell_source
    try:
        tree = ast.parse(cell_source)
    except SyntaxError:
        return cell_source
    lines = cell_source.splitlines()
    for statement in reversed(tree.body):
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue  # a definition runs nothing at import
        uses_ipython = any(isinstance(node, ast.Name) and node.id == "get_ipython"
                           for node in ast.walk(statement))
        if uses_ipython:
            lines[statement.lineno - 1:statement.end_lineno] = ["pass  # IPython-only statement dropped"]
    return "\n".join(lines)


def load_submission(path: str | Path, assignment: Assignment) -> Submission:
    """Read a submission in any of its three forms, never through a link.

    Raises:
        CourseError: the path does not exist, is a symbolic or hard link (or a
            folder whose module is one), is not a submission, or a folder lacks
            the module file.
    """
    origin = Path(path)
    kind = kind_of(origin)
    if kind == "link":
        raise symbolic_link_refusal(origin)
    if kind == "folder":
        with open_folder(origin) as folder:
            if not exists_in(folder, assignment.module):
                return _only_file_in(origin, assignment)
            module_path = origin / assignment.module
            data = read_file(module_path, MAX_SOURCE_BYTES, folder=folder)
        return Submission(origin, "folder", assignment.module, _decode(data, module_path))
    if origin.suffix == ".ipynb":
        return Submission(origin, "notebook", assignment.module, notebook_source(origin))
    if origin.suffix == ".py":
        data = read_file(origin, MAX_SOURCE_BYTES)
        return Submission(origin, "file", assignment.module, _decode(data, origin))
    raise CourseError(f"{origin}: a submission is a folder, a .py file or a .ipynb notebook")


def _only_file_in(origin: Path, assignment: Assignment) -> Submission:
    """A folder without the module: its one notebook or other .py file is the submission.

    Platforms hand in whatever the student uploaded (``submission/scratch.ipynb``,
    ``submission/my_work.py``); test files and hidden files are not candidates.

    Raises:
        CourseError: the folder holds none, or several, so the module cannot be told.
    """
    candidates = sorted(entry for entry in origin.iterdir()
                        if entry.suffix in (".py", ".ipynb") and not entry.name.startswith((".", "test_"))
                        and entry.name != "conftest.py")
    if len(candidates) == 1:
        found = load_submission(candidates[0], assignment)
        return Submission(origin, found.kind, found.module_file, found.source)
    listed = f": {', '.join(entry.name for entry in candidates[:5])}" if candidates else ""
    raise CourseError(f"{origin} holds no {assignment.module} (assignment {assignment.id}) and "
                      f"{'several' if candidates else 'no'} other .py or .ipynb files{listed}; "
                      f"name the file to grade")


def _decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CourseError(f"{path} is not UTF-8 text") from None


def one_line_error(error: BaseException) -> str:
    """An exception's message on one line, for a CourseError."""
    return " ".join(str(error).split())


class SubmissionLoadError(Exception):
    """The submission's module could not be imported; the message is for the student."""


def import_module_file(module_path: Path, max_bytes: int | None = None) -> ModuleType:
    """Import a module from a file under a unique name, so submissions never share a cache.

    The file is read as UTF-8 and that very text is compiled, so a coding
    declaration (``# coding: utf-7``) cannot make Python run other code than
    the text the static checks read.

    Raises:
        SubmissionLoadError: the file is over ``max_bytes``, not UTF-8, has a
            syntax error or raises at import; the message names the line.
    """
    unique = f"_submission_{uuid.uuid4().hex[:12]}_{module_path.stem}"
    source = _module_text(module_path, max_bytes)
    module = ModuleType(unique)
    module.__file__ = str(module_path)
    # inspect, tracebacks and TorchScript read sources through linecache: give them this text too
    linecache.cache[str(module_path)] = (len(source), None, source.splitlines(True), str(module_path))
    sys.modules[unique] = module
    try:
        code = compile(source, str(module_path), "exec", dont_inherit=True)
        exec(code, module.__dict__)
    except SyntaxError as error:
        del sys.modules[unique]
        raise SubmissionLoadError(
            f"{module_path.name} line {error.lineno}: syntax error: {error.msg}"
        ) from None
    except BaseException as error:  # noqa: BLE001 - student code may raise anything
        del sys.modules[unique]
        raise SubmissionLoadError(
            f"importing {module_path.name} raised {describe_exception(error, module_path)}"
        ) from None
    return module


def too_large(name: str, size: int, max_bytes: int) -> str:
    """The one-line refusal of a source over the size cap."""
    return (f"{name} is {size / 1024:,.0f} KB, over the {max_bytes / 1024:,.0f} KB a submission may "
            "have (course.yml sandbox.source_kb): it was not run")


def _module_text(module_path: Path, max_bytes: int | None) -> str:
    with open(module_path, "rb") as module_file:
        data = module_file.read() if max_bytes is None else module_file.read(max_bytes + 1)
    if max_bytes is not None and len(data) > max_bytes:
        raise SubmissionLoadError(too_large(module_path.name, module_path.stat().st_size, max_bytes))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SubmissionLoadError(f"{module_path.name} is not UTF-8 text") from None


def describe_exception(error: BaseException, student_file: Path | None = None) -> str:
    """'Type: message (scratch.py line 12, in nll)', the line being the student's own."""
    text = f"{type(error).__name__}: {error}".rstrip(": ")
    if student_file is None:
        return text
    frames = [  # the student's own file, not a trusted module of the same name (probes/scratch.py)
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if frame.filename == str(student_file)
    ]
    if frames:
        last = frames[-1]
        text += f" ({student_file.name} line {last.lineno}, in {last.name})"
    return text
