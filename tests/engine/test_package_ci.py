"""Do the GitHub and GitLab jobs lint, validate, and grade a student's repository as the instructor would?

Each workflow is checked by actionlint (with shellcheck on its scripts) and by
the platform's JSON schema vendored in check-jsonschema (offline). Then a
student's repository is laid out in a temporary folder and the job's own shell
is run on it (see tests/engine/platforms.py for what stands in for the platform).
"""

import base64
import json
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from junitparser import Error, Failure, JUnitXml
from lxml import etree

from tests.course_under_test import LAYOUT
from tests.engine import platforms

SCRIPTS = Path(sysconfig.get_path("scripts"))
JENKINS_SCHEMA = Path(__file__).parent / "schemas" / "jenkins-junit-10.xsd"


def _package(platform: str, out: Path, *options: str) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "autograder", "package", platform, "02", "--out", str(out), "--course",
         str(LAYOUT.root), "--course-repo", "teacher/pytorch-course", "--device", "cpu", *options],
        capture_output=True, text=True, env=platforms.environment(), timeout=platforms.TIMEOUT_S)
    assert completed.returncode == 0, completed.stderr


def _check_schema(builtin: str, path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", builtin, str(path)],
        capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def _student_repository(folder: Path, source: str) -> Path:
    """A student's repository as a course template lays it out: the work in assignments/02."""
    (folder / "assignments" / "02").mkdir(parents=True)
    (folder / "assignments" / "02" / "scratch.py").write_text(source)
    (folder / "README.md").write_text("Assignment 02\n")
    return folder


@pytest.fixture(scope="module")
def github_repository(tmp_path_factory):
    repository = tmp_path_factory.mktemp("github") / "student"
    _package("github", repository, "--fail-under", "11.5")
    return repository


@pytest.fixture(scope="module")
def gitlab_repository(tmp_path_factory):
    repository = tmp_path_factory.mktemp("gitlab") / "student"
    _package("gitlab", repository)
    return repository


def test_actionlint_and_shellcheck_accept_the_workflow(github_repository):
    workflow = github_repository / ".github" / "workflows" / "autograde-02.yml"
    completed = subprocess.run([str(SCRIPTS / "actionlint"), "-shellcheck", str(SCRIPTS / "shellcheck"),
                                "-verbose", str(workflow)], capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stdout
    assert 'Rule "shellcheck" was disabled' not in completed.stdout + completed.stderr


def test_githubs_workflow_schema_accepts_the_workflow(github_repository):
    _check_schema("vendor.github-workflows", github_repository / ".github" / "workflows" / "autograde-02.yml")


def test_gitlabs_ci_schema_accepts_the_job(gitlab_repository):
    _check_schema("vendor.gitlab-ci", gitlab_repository / ".gitlab-ci.yml")


def test_a_push_is_graded_with_a_summary_annotations_and_classroom_points(github_repository, tmp_path):
    """The submission misses accuracy (1 point): 11 / 12, under the threshold of 11.5."""
    workspace = _student_repository(tmp_path / "workspace", platforms.reference_source()
                                    + platforms.ACCURACY_UNSTARTED)
    (workspace / ".github").symlink_to(github_repository / ".github")
    pip_calls = platforms.fake_environment(workspace)
    (tmp_path / "runner").mkdir()

    run = platforms.run_github_job(workspace / ".github" / "workflows" / "autograde-02.yml", workspace,
                                   tmp_path / "runner")

    grade = run.steps["autograder"]
    assert grade.returncode == 1, grade.stderr  # under --fail-under: the job fails
    assert "score 11 is under 11.5" in grade.stderr
    assert run.summary.startswith("## Assignment 02: 11 / 12")
    assert "::error title=02.accuracy%3A 0 / 1 points::not started" in grade.stdout
    assert "::notice title=Assignment 02::Score: 11 / 12 points" in grade.stdout
    assert run.points == (11, 12) and run.reporter_status == "pass"
    assert "install --quiet ./.autograder" in pip_calls.read_text()


def test_a_grader_that_cannot_grade_gives_classroom_0_points_and_the_reason(github_repository, tmp_path):
    workspace = _student_repository(tmp_path / "workspace", platforms.reference_source())
    (workspace / "assignments" / "01").mkdir()
    (workspace / "assignments" / "01" / "scratch.py").write_text("x = 1\n")  # two candidates
    (workspace / ".github").symlink_to(github_repository / ".github")
    platforms.fake_environment(workspace)
    (tmp_path / "runner").mkdir()

    run = platforms.run_github_job(workspace / ".github" / "workflows" / "autograde-02.yml", workspace,
                                   tmp_path / "runner")

    assert run.steps["autograder"].returncode == 2
    assert run.points == (0, 12) and run.reporter_status == "error"
    result = json.loads(base64.b64decode(run.outputs["autograder"]["result"]))
    assert "several scratch.py" in result["tests"][0]["message"]
    assert "## Assignment 02: not graded" in run.summary
    assert "::error title=Assignment 02 not graded::" in run.steps["autograder"].stdout


def test_gitlab_job_prints_the_score_and_keeps_a_junit_report_with_the_points(gitlab_repository, tmp_path):
    workspace = _student_repository(tmp_path / "workspace", platforms.reference_source()
                                    + platforms.ACCURACY_UNSTARTED)
    pip_calls = platforms.fake_environment(workspace)

    completed = platforms.run_gitlab_job(gitlab_repository / ".gitlab-ci.yml", workspace, tmp_path / "bin")

    assert completed.returncode == 0, completed.stderr
    assert "## Assignment 02: 11 / 12" in completed.stdout  # the student's view: hidden feedback withheld
    junit = workspace / "autograder-junit.xml"
    etree.XMLSchema(etree.parse(str(JENKINS_SCHEMA))).assertValid(etree.parse(str(junit)))
    xml = JUnitXml.fromfile(str(junit))
    cases = [case for suite in xml for case in suite]
    lost = [case for case in cases if any(isinstance(result, Failure | Error) for result in case.result)]
    assert xml.tests == len(cases) and xml.failures + xml.errors == len(lost) > 0
    assert {case.classname for case in lost} == {"02.accuracy"}
    assert all("point" in case.name for case in cases)
    assert (workspace / "autograder-report.md").read_text().startswith("## Assignment 02: 11 / 12")
    git_calls = (tmp_path / "git-calls.txt").read_text()
    assert "https://gitlab-ci-token:job-token@gitlab.example.com/teacher/pytorch-course.git" in git_calls
    assert "remote set-url origin https://gitlab.example.com/teacher/pytorch-course.git" in git_calls
    assert "install --quiet ./.autograder" in pip_calls.read_text()
