"""Does the Gradescope zip grade as the instructor's checkout does, and always leave a results.json?

The zip is made by the instructor's command, unzipped into a simulated
/autograder root in a temporary folder, and its run_autograder is run for a
correct file under another name, the stub inside a whole repository, a
notebook, a file with a syntax error, and a machine whose Python is missing.
Every results.json is validated against a schema written from Gradescope's
specification.
"""

import json
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import jsonschema
import pytest

from tests.course_under_test import LAYOUT
from tests.engine import platforms

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "gradescope-results.schema.json").read_text())
SHELLCHECK = Path(sysconfig.get_path("scripts")) / "shellcheck"


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    out = tmp_path_factory.mktemp("package")
    completed = subprocess.run(
        [sys.executable, "-m", "autograder", "package", "gradescope", "02", "--out", str(out),
         "--course", str(LAYOUT.root), "--device", "cpu"],
        capture_output=True, text=True, env=platforms.environment(), timeout=platforms.TIMEOUT_S)
    assert completed.returncode == 0, completed.stderr
    return out / "autograder-02.zip"


@pytest.fixture(scope="module")
def source(archive, tmp_path_factory):
    """The zip unzipped where Gradescope puts it (permissions included)."""
    target = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(archive) as bundle:
        for entry in bundle.infolist():
            path = Path(bundle.extract(entry, target))
            path.chmod(entry.external_attr >> 16 & 0o777)
    return target


def _run_autograder(source: Path, root: Path, hand_in, python: str = sys.executable) -> dict:
    """Lay out /autograder with ``hand_in(submission_folder)``, run run_autograder, read results.json."""
    shutil.copytree(source, root / "source")
    shutil.copy2(source / "run_autograder", root / "run_autograder")
    (root / "submission").mkdir()
    hand_in(root / "submission")
    completed = subprocess.run(
        [str(root / "run_autograder")], capture_output=True, text=True, timeout=platforms.TIMEOUT_S,
        env=platforms.environment(AUTOGRADER_GRADESCOPE_ROOT=str(root), AUTOGRADER_PYTHON=python))
    assert completed.returncode == 0, completed.stderr
    results = json.loads((root / "results" / "results.json").read_text())
    jsonschema.validate(results, SCHEMA)
    return results


def test_the_zip_holds_the_scripts_the_course_root_of_02_and_the_engine(archive):
    names = set(zipfile.ZipFile(archive).namelist())
    assert {"setup.sh", "run_autograder", "course/course.yml", "course/solutions/02/scratch.py",
            "engine/pyproject.toml", "engine/autograder/package/scripts/run_autograder"} <= names
    hidden = {name for name in names if name.startswith("course/tests/hidden/")}
    expected = {f"course/tests/hidden/02/{path.name}" for path in LAYOUT.hidden_tests("02").glob("*.py")}
    assert hidden == expected
    assert not [name for name in names if "__pycache__" in name or name.startswith("course/assignments")]


def test_the_scripts_are_executable_and_pass_bash_and_shellcheck(archive, source):
    modes = {entry.filename: entry.external_attr >> 16 for entry in zipfile.ZipFile(archive).infolist()}
    assert modes["run_autograder"] & 0o111 and modes["setup.sh"] & 0o111
    for script in ("setup.sh", "run_autograder"):
        subprocess.run(["bash", "-n", str(source / script)], check=True)
        checked = subprocess.run([str(SHELLCHECK), str(source / script)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stdout


def test_setup_installs_cpu_torch_then_the_engine_and_checks_the_reference(source):
    """setup.sh downloads PyTorch, so it is read here, not run."""
    lines = [line.strip() for line in (source / "setup.sh").read_text().splitlines()]
    torch = next(i for i, line in enumerate(lines) if "torch torchvision" in line)
    engine = next(i for i, line in enumerate(lines) if line.endswith('install --quiet "$SOURCE/engine"'))
    check = next(i for i, line in enumerate(lines) if "-m autograder grade 02" in line)
    assert "--index-url https://download.pytorch.org/whl/cpu" in lines[torch]
    assert "Linux-x86_64" in lines[torch - 1]
    assert torch < engine < check
    assert "--fail-under 12" in lines[check + 1] and '--course "$SOURCE/course"' in lines[check + 1]


def test_a_correct_file_under_another_name_scores_full_marks(source, tmp_path):
    results = _run_autograder(source, tmp_path / "autograder", lambda folder: (
        folder / "my_work.py").write_text(platforms.reference_source()))
    assert results["score"] == 12 == results["extra_data"]["max_score"]
    assert all(test["status"] == "passed" for test in results["tests"])
    assert [test["number"] for test in results["tests"]][:2] == ["1.1", "1.2"]


def test_the_stub_inside_a_whole_repository_scores_nothing(source, tmp_path):
    """A submission from GitHub is the student's repository: the module is found where it lies."""
    def repository(folder):
        (folder / "assignments" / "02").mkdir(parents=True)
        (folder / "assignments" / "02" / "scratch.py").write_text(platforms.stub_source())
        (folder / "README.md").write_text("my work\n")
    results = _run_autograder(source, tmp_path / "autograder", repository)
    assert results["score"] == 0 and results["tests"]
    assert "NotImplementedError" in results["tests"][0]["output"]


def test_a_notebook_scores_full_marks(source, tmp_path):
    results = _run_autograder(source, tmp_path / "autograder", lambda folder: shutil.copy2(
        platforms.notebook_submission(), folder / "scratch.ipynb"))
    assert results["score"] == 12


def test_a_syntax_error_scores_0_with_the_line(source, tmp_path):
    results = _run_autograder(source, tmp_path / "autograder", lambda folder: (
        folder / "scratch.py").write_text(platforms.BROKEN))
    assert results["score"] == 0
    assert "scratch.py line 1: syntax error" in results["output"]


def test_a_grader_that_cannot_start_still_writes_score_0_and_the_reason(source, tmp_path):
    results = _run_autograder(source, tmp_path / "autograder", lambda folder: (
        folder / "scratch.py").write_text(platforms.reference_source()), python=str(tmp_path / "no-python"))
    assert results["score"] == 0 and results["tests"] == []
    assert results["output"].startswith("Not graded: the grader stopped (exit status 127)")
    assert "no-python" in results["output"]


def test_two_candidate_files_score_0_and_say_which(source, tmp_path):
    def two(folder):
        for name in ("a", "b"):
            (folder / name).mkdir()
            (folder / name / "scratch.py").write_text("x = 1\n")
    results = _run_autograder(source, tmp_path / "autograder", two)
    assert results["score"] == 0
    assert "several scratch.py (a/scratch.py, b/scratch.py)" in results["output"]
