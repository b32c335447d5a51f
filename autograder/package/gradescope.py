"""Gradescope: ``autograder-NN.zip``, the autograder an instructor uploads for assignment NN.

Gradescope unzips it into ``/autograder/source``, runs ``setup.sh`` once to
build the image and ``run_autograder`` for every submission. The zip holds::

    setup.sh          Python, CPU-only PyTorch, the engine; the reference graded as a check
    run_autograder    finds the student's file, grades it, always writes results/results.json
    course/           the course root: course.yml, solutions/NN, tests/hidden/NN
    engine/           the engine's source (pyproject.toml, README.md, autograder/), unless --engine

The hidden tests and the reference travel only inside this zip, which students never see.
"""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

from autograder.package.bundle import Packaged, copy_course, copy_engine
from autograder.package.shell import functions, install_grader, render, word

ZIP_DATE = (2020, 1, 1, 0, 0, 0)
"""The time stamp of every entry, so the same course gives the same zip."""
_EXECUTABLE = ("setup.sh", "run_autograder")


def package_gradescope(target: Packaged, out: Path) -> Path:
    """Write ``out/autograder-NN.zip`` for ``target``; return its path."""
    out.mkdir(parents=True, exist_ok=True)
    archive = out / f"autograder-{target.assignment.id}.zip"
    with tempfile.TemporaryDirectory() as staging:
        root = Path(staging)
        copy_course(target, root / "course")
        if target.engine is None:
            copy_engine(root / "engine")
        for name, text in scripts(target).items():
            (root / name).write_text(text, encoding="utf-8")
        _zip(root, archive)
    return archive


def scripts(target: Packaged) -> dict[str, str]:
    """``setup.sh`` and ``run_autograder`` for ``target``."""
    assignment = word(target.assignment.id)
    engine = word(target.engine) if target.engine else '"$SOURCE/engine"'
    return {
        "setup.sh": render("setup.sh", ASSIGNMENT=assignment, DEVICE=word(target.device),
                           MAX_SCORE=word(f"{target.max_score:g}"),
                           INSTALL=install_grader("VENV", engine).rstrip("\n")) + "\n",
        "run_autograder": render("run_autograder", ASSIGNMENT=assignment, DEVICE=word(target.device),
                                 FUNCTIONS=functions()) + "\n",
    }


def _zip(root: Path, archive: Path) -> None:
    """Zip ``root``'s files in a stable order, scripts executable, other files read-only for others."""
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(root.rglob("*")):
            if not path.is_file():
                continue
            name = path.relative_to(root).as_posix()
            entry = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = (0o100755 if name in _EXECUTABLE else 0o100644) << 16
            bundle.writestr(entry, path.read_bytes())
