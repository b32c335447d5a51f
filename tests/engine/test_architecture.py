"""Do the engine's modules import only downwards, as docs/architecture.md draws the layers?

Imports are read from each module's syntax tree, those inside functions
included, so a lazy import cannot hide an upward dependency.
"""

import ast
from pathlib import Path

import pytest

import autograder

PACKAGE = Path(autograder.__file__).parent

LAYERS = [
    ("core", ["autograder", "autograder.errors", "autograder.vocabulary", "autograder.course",
              "autograder.layout", "autograder.data"]),
    ("submission", ["autograder.submission", "autograder.submission_files"]),
    ("student", ["autograder.student"]),
    ("sandbox", ["autograder.sandbox"]),
    ("grading", ["autograder.grading"]),
    ("export", ["autograder.export"]),
    ("similarity", ["autograder.similarity"]),
    ("build", ["autograder.build"]),
    ("api", ["autograder.api", "autograder.pytest_plugin"]),
    ("nbgrader", ["autograder.nbgrader"]),
    ("package", ["autograder.package"]),
    ("cli", ["autograder.cli", "autograder.cli_class", "autograder.__main__"]),
]
"""Lowest first: a module may import its own layer and the layers before it."""

TEST_KIT = "autograder.testkit"
"""What hidden tests import: may use the core and the student layer; nothing in the engine imports it."""

EXPORT_READS = {"autograder.grading.results", "autograder.vocabulary", "autograder.errors"}
"""Exporters read only the finished report."""


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name == "autograder" or name.startswith("autograder.")}


def _within(module: str, prefix: str) -> bool:
    return module == prefix or (prefix != "autograder" and module.startswith(prefix + "."))


def _layer(module: str) -> int | None:
    """The index of the layer holding ``module`` (the longest matching prefix), None for the test kit.

    Raises:
        LookupError: ``module`` is in no layer.
    """
    if _within(module, TEST_KIT):
        return None
    matches = [(len(prefix), number) for number, (_, prefixes) in enumerate(LAYERS)
               for prefix in prefixes if _within(module, prefix)]
    if not matches:
        raise LookupError(module)
    return max(matches)[1]


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda path: _module_name(path))
def test_a_module_imports_only_its_own_layer_and_lower_ones(path):
    module = _module_name(path)
    layer = _layer(module)
    imported = _imports(path)
    if layer is None:  # the test kit
        wrong = [name for name in imported if (_layer(name) or 0) > 2]
        assert not wrong, f"{module} (test kit) imports the engine above the student layer: {wrong}"
        return
    upward = sorted(name for name in imported if _layer(name) is not None and _layer(name) > layer)
    assert not upward, f"{module} ({LAYERS[layer][0]}) imports a higher layer: {upward}"
    kit = sorted(name for name in imported if _layer(name) is None)
    assert not kit, f"{module} imports the test kit, which only hidden tests may use: {kit}"


@pytest.mark.parametrize("path", sorted((PACKAGE / "export").glob("*.py")), ids=lambda path: path.name)
def test_an_exporter_reads_only_the_finished_report(path):
    imported = {name for name in _imports(path) if not name.startswith("autograder.export")}
    outside = sorted(name for name in imported if not any(
        name == allowed or name.startswith(allowed + ".") for allowed in EXPORT_READS))
    assert not outside, f"{path.name} imports more than the report: {outside}"


def test_the_layers_name_every_module():
    unplaced = []
    for path in MODULES:
        try:
            _layer(_module_name(path))
        except LookupError:
            unplaced.append(_module_name(path))
    assert not unplaced, f"modules in no layer of docs/architecture.md: {unplaced}"


def test_the_course_is_found_only_at_the_top():
    """Is a default course chosen only by the API and the CLI, never below them?"""
    lower = [_module_name(path) for path in MODULES
             if "CourseLayout.locate(" in path.read_text(encoding="utf-8")
             and _module_name(path) not in ("autograder.layout", "autograder.api", "autograder.cli",
                                             "autograder.nbgrader.cli", "autograder.package.cli",
                                             "autograder.grading.student_run",
                                             "autograder.nbgrader.grade_with_autograder")]
    assert not lower, f"modules below the API that pick a course themselves: {lower}"
