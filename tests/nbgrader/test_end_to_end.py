"""Does the notebook path work with nbgrader's real commands, and score like `autograder grade`?

One temporary course goes through `autograder nbgrader init`, then nbgrader's own
`generate_assignment`, `autograde`, `generate_feedback` and `export`, with a small
class of assignment 02 notebooks: the reference, two partial ones, one with a
syntax error, two that tamper (an IPython exception handler that hides failures;
redefined test helpers, a patched torch, an edited and a deleted test cell) and
one that deleted a whole task: its solution cell and its test cell.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook
from typer.testing import CliRunner

from autograder.api import grade_many
from autograder.build.cell_ids import grading_cell_id, solution_cell_id
from autograder.nbgrader import cli as nbgrader_cli
from autograder.nbgrader.course_dir import init_course
from autograder.nbgrader.source_notebook import HIDDEN_MARK
from tests.course_under_test import COURSE, LAYOUT

PROJECT_ROOT = LAYOUT.root

ASSIGNMENT = "02"
NOTEBOOK = "scratch"
TASKS = [task.id for task in COURSE.assignment(ASSIGNMENT).tasks]

STUDENTS = ["alice", "bob", "carol", "dave", "erin", "frank", "gina"]

UNSTABLE_LOG_SOFTMAX = """\
def log_softmax(x: torch.Tensor) -> torch.Tensor:
    return x - x.exp().sum(dim=-1, keepdim=True).log()  # overflows for large logits
"""
WRONG_ACCURACY = """\
def accuracy(out: torch.Tensor, yb: torch.Tensor) -> torch.Tensor:
    return (out.argmax(dim=0)[: len(yb)] == yb).float().mean()  # the wrong dimension
"""
WARNING_MODEL = """\
def model(xb: torch.Tensor, weights: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    import sys
    print("debugging output on stderr", file=sys.stderr)
    xb = torch.tensor(xb)  # correct, but PyTorch warns: copy construct from a tensor
    return log_softmax(xb @ weights + bias)
"""
SYNTAX_ERROR_NLL = """\
def nll(input: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    return -input[torch.arange(len(input)), target].mean(
"""
HIDE_FAILURES = """\
def _hide_failures(shell, etype, evalue, tb, tb_offset=None):
    print("all tests passed")

get_ipython().set_custom_exc((Exception,), _hide_failures)
"""
REDEFINE_HELPERS = """\
import torch
import torch.testing

def assert_close(*args, **kwargs):
    return None

torch.testing.assert_close = assert_close
torch.allclose = lambda *args, **kwargs: True
torch.equal = lambda *args, **kwargs: True
"""


def _nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("nbgrader")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "nbgrader"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(PROJECT_ROOT), os.environ.get("PYTHONPATH", "")])}
    completed = subprocess.run([*command, *args], cwd=course, env=env, capture_output=True, text=True,
                               timeout=900)
    assert completed.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{completed.stderr[-4000:]}"
    return completed


def _cell(notebook, grade_id: str):
    return next(cell for cell in notebook.cells
                if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _student_notebook(release, source, solved=(), replaced=None, extra_cells=(), edit=None, delete=()):
    """A released notebook as a student hands it in.

    Tasks in ``solved`` get the reference code, ``replaced`` maps tasks to other
    code, the rest keep their stubs; ``extra_cells`` go first, ``edit`` maps test
    cells' grade ids to new source, and the test cells of ``delete`` are removed.
    """
    notebook = nbformat.from_dict(release)
    for task in solved:
        reference = _cell(source, solution_cell_id(task)).source
        body = [line for line in reference.splitlines() if "### BEGIN SOLUTION" not in line
                and "### END SOLUTION" not in line]
        _cell(notebook, solution_cell_id(task)).source = "\n".join(body)
    for task, code in (replaced or {}).items():
        _cell(notebook, solution_cell_id(task)).source = code
    for grade_id, code in (edit or {}).items():
        _cell(notebook, grade_id).source = code
    notebook.cells = [cell for cell in notebook.cells
                      if cell.metadata.get("nbgrader", {}).get("grade_id") not in set(delete)]
    for index, code in enumerate(extra_cells):
        notebook.cells.insert(1 + index, nbformat.v4.new_code_cell(code))
    return notebook


def _class(release, source) -> dict:
    carol = {"solved": [t for t in TASKS if t not in ("02.log_softmax", "02.accuracy", "02.model")],
             "replaced": {"02.log_softmax": UNSTABLE_LOG_SOFTMAX, "02.accuracy": WRONG_ACCURACY,
                          "02.model": WARNING_MODEL}}
    return {
        "alice": _student_notebook(release, source, solved=TASKS),
        "bob": _student_notebook(release, source, solved=["02.log_softmax", "02.nll", "02.accuracy"]),
        "carol": _student_notebook(release, source, **carol),
        "dave": _student_notebook(release, source, solved=[t for t in TASKS if t != "02.nll"],
                                  replaced={"02.nll": SYNTAX_ERROR_NLL}),
        "erin": _student_notebook(release, source, extra_cells=[HIDE_FAILURES], **carol),
        "frank": _student_notebook(release, source, extra_cells=[REDEFINE_HELPERS], **carol,
                                   edit={grading_cell_id("02.log_softmax"): "pass"},
                                   delete=[grading_cell_id("02.accuracy")]),
        "gina": _student_notebook(release, source, solved=[t for t in TASKS if t != "02.accuracy"],
                                  delete=[solution_cell_id("02.accuracy"), grading_cell_id("02.accuracy")]),
    }


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The course after init, release, submission, autograde, feedback and export."""
    root = tmp_path_factory.mktemp("nbgrader-course")
    initialised = CliRunner().invoke(nbgrader_cli.app, ["init", str(root), "--course", str(LAYOUT.root)])
    assert initialised.exit_code == 0, initialised.output
    _nbgrader(root, "generate_assignment", ASSIGNMENT)
    _nbgrader(root, "generate_assignment", "04")
    release = nbformat.read(root / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    source = nbformat.read(root / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    submitted = {}
    for student, notebook in _class(release, source).items():
        path = root / "submitted" / student / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(notebook, path)
        submitted[student] = path
    autograde = _nbgrader(root, "autograde", ASSIGNMENT)
    _nbgrader(root, "generate_feedback", ASSIGNMENT)
    _nbgrader(root, "export")
    graded = grade_many(ASSIGNMENT, list(submitted.values()), layout=LAYOUT)
    reports = dict(zip(submitted, graded, strict=True))
    return {"root": root, "reports": reports, "autograde_log": autograde.stderr}


def _gradebook_scores(root: Path, student: str) -> dict[str, float]:
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        scores = {task: gradebook.find_grade(grading_cell_id(task), NOTEBOOK, ASSIGNMENT, student).score
                  for task in TASKS}
        scores["total"] = gradebook.find_submission(ASSIGNMENT, student).score
    return scores


def _report_scores(report) -> dict[str, float]:
    return {**{task.id: task.score for task in report.tasks}, "total": report.score}


@pytest.mark.parametrize("student", STUDENTS)
def test_the_gradebook_holds_what_autograder_grade_gives(course, student):
    expected = _report_scores(course["reports"][student])
    assert _gradebook_scores(course["root"], student) == pytest.approx(expected)


def test_the_class_gets_the_expected_scores(course):
    totals = {student: _gradebook_scores(course["root"], student)["total"]
              for student in ("alice", "bob", "dave", "gina")}
    assert totals == {"alice": 12.0, "bob": 6.0, "dave": 0.0, "gina": 11.0}
    carol = _gradebook_scores(course["root"], "carol")
    assert 0 < carol["02.log_softmax"] < 3 and carol["02.accuracy"] < 1
    assert "syntax error" in " ".join(course["reports"]["dave"].errors)


def test_a_pytorch_warning_and_stderr_cost_nothing(course):
    assert _gradebook_scores(course["root"], "carol")["02.model"] == 1.0


def test_redefined_helpers_and_edited_or_deleted_test_cells_gain_nothing(course):
    assert _gradebook_scores(course["root"], "frank") == _gradebook_scores(course["root"], "carol")
    autograded = nbformat.read(course["root"] / "autograded" / "frank" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", 4)
    for task in ("02.log_softmax", "02.accuracy"):  # edited, deleted: both back, both graded
        assert HIDDEN_MARK + task in _cell(autograded, grading_cell_id(task)).source


def test_an_ipython_exception_handler_gains_nothing(course):
    erin, carol = (_gradebook_scores(course["root"], s) for s in ("erin", "carol"))
    assert all(erin[key] <= carol[key] for key in carol)


def test_an_ipython_exception_handler_loses_nothing(course):
    assert _gradebook_scores(course["root"], "erin") == _gradebook_scores(course["root"], "carol")


def _secret_lines(source) -> set[str]:
    """Lines of solution regions (and written model answers) found nowhere else in the source."""
    inside, outside = set(), []
    for cell in source.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "markdown" and meta.get("solution"):
            inside.add(cell.source.strip())
            continue
        region = False
        for line in cell.source.splitlines():
            text = line.strip()
            if "### BEGIN SOLUTION" in text or "### END SOLUTION" in text:
                region = "BEGIN" in text
            elif text:
                (inside.add(text) if region else outside.append(text))
    everywhere_else = "\n".join(outside)
    return {line for line in inside if line not in everywhere_else}


def _test_names(folder: Path) -> set[str]:
    names = set()
    for path in folder.glob("test_*.py"):
        names |= set(re.findall(r"^def (test_\w+)", path.read_text(encoding="utf-8"), re.MULTILINE))
    return names


def _hidden_test_names(assignment: str) -> set[str]:
    """Names of hidden tests that no public test shares."""
    hidden = _test_names(PROJECT_ROOT / "tests" / "hidden" / assignment)
    return hidden - _test_names(PROJECT_ROOT / "assignments" / assignment)


@pytest.mark.parametrize("assignment", [ASSIGNMENT, "04"])
def test_the_release_has_stubs_and_public_tests_but_no_solution_or_hidden_test(course, assignment):
    module = COURSE.assignment(assignment).module_name
    source = nbformat.read(course["root"] / "source" / assignment / f"{module}.ipynb", 4)
    release_text = (course["root"] / "release" / assignment / f"{module}.ipynb").read_text(encoding="utf-8")
    release = nbformat.reads(release_text, 4)
    text = "\n".join(cell.source for cell in release.cells)
    secrets = _secret_lines(source)
    assert secrets, "the reference has solution lines to look for"
    assert [line for line in secrets if line in text] == []
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", HIDDEN_MARK.strip()):
        assert marker not in release_text
    words = set(re.findall(r"\w+", release_text))
    assert _hidden_test_names(assignment) & words == set()
    assert text.count("raise NotImplementedError()") >= len(COURSE.assignment(assignment).tasks)
    assert "public tests passed" in text


def test_feedback_shows_points_and_failures_per_task_without_hidden_test_source(course):
    hidden_source = set()
    for path in (PROJECT_ROOT / "tests" / "hidden" / ASSIGNMENT).glob("test_*.py"):
        hidden_source |= {line.strip() for line in path.read_text(encoding="utf-8").splitlines()
                          if len(line.strip()) > 40 and not line.strip().startswith(("#", '"'))}
    # A hidden test may share a line with the reference, which a student's own notebook holds.
    hidden_source -= {line.strip() for line in LAYOUT.solution(COURSE.assignment(ASSIGNMENT))
                      .read_text(encoding="utf-8").splitlines()}
    for student in STUDENTS:
        page = (course["root"] / "feedback" / student / ASSIGNMENT / f"{NOTEBOOK}.html").read_text()
        for task in TASKS:
            assert f"Task {task}: " in page
        assert [line for line in hidden_source if line in page] == []
    bob = (course["root"] / "feedback" / "bob" / ASSIGNMENT / f"{NOTEBOOK}.html").read_text()
    assert "Task 02.fit: 0 / 4 points" in bob and "NotImplementedError" in bob
    dave = (course["root"] / "feedback" / "dave" / ASSIGNMENT / f"{NOTEBOOK}.html").read_text()
    assert "syntax error" in dave


def test_export_writes_one_row_per_student(course):
    with open(course["root"] / "grades.csv", newline="") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle) if row["assignment"] == ASSIGNMENT}
    assert set(rows) == set(STUDENTS)
    assert float(rows["alice"]["score"]) == 12.0 and float(rows["alice"]["max_score"]) == 12.0


def test_init_again_updates_sources_and_leaves_the_rest_alone(course):
    root = course["root"]
    kept = {path: path.stat().st_mtime_ns for folder in ("submitted", "autograded", "feedback", "release")
            for path in (root / folder).rglob("*") if path.is_file()}
    kept[root / "gradebook.db"] = (root / "gradebook.db").stat().st_mtime_ns
    source = root / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    source.write_text("{}", encoding="utf-8")  # an outdated source notebook
    written = init_course(root, LAYOUT, only=ASSIGNMENT)
    assert source in written and nbformat.read(source, 4).cells
    assert all(path.is_relative_to(root / "source") for path in written)
    assert {path: path.stat().st_mtime_ns for path in kept} == kept
