"""GitHub Classroom and Actions: a workflow that grades a student's repository on every push.

``autograder package github NN --out REPO --course-repo OWNER/NAME`` writes
``REPO/.github/workflows/autograde-NN.yml``, for the template repository that
GitHub Classroom copies for each student. On a push it fetches the grader and
the hidden tests from the instructor's private repository (a read-only token in
a repository or organisation secret), restores the grader's environment from
the cache (else installs it, PyTorch CPU-only), grades the student's file,
appends the Markdown report to the job summary, annotates the tasks that lost
points, and hands the points to GitHub Classroom.

Points reach Classroom as its own graders send them: the grading step's
``result`` output is base64-encoded JSON (:mod:`autograder.export.classroom`),
read by ``classroom-resources/autograding-grading-reporter`` through the
``AUTOGRADER_RESULTS`` variable; the reporter writes ``Points x/y`` on the
check run of the job ``run-autograding-tests``, the name it looks for.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from autograder.package.bundle import Packaged
from autograder.package.ci import (
    COURSE_FOLDER,
    VENV_FOLDER,
    CourseSource,
    fetched_paths,
    install_step,
    job_environment,
    locate_and_grade,
)
from autograder.package.shell import functions, render
from autograder.package.yaml_file import to_yaml

WORKFLOW_NAME = "Autograding Tests"
JOB_ID = "run-autograding-tests"
"""The job whose check run GitHub Classroom's reporter updates with the points."""
STEP_ID = "autograder"
"""The grading step; the reporter reads ``<STEP_ID>_RESULTS``."""
REPORTER = "classroom-resources/autograding-grading-reporter@v1"

def workflow_path(repository: Path, assignment_id: str) -> Path:
    """Where the workflow of assignment ``assignment_id`` goes in a repository."""
    return repository / ".github" / "workflows" / f"autograde-{assignment_id}.yml"


def package_github(target: Packaged, source: CourseSource, repository: Path) -> Path:
    """Write the workflow into ``repository``; return its path."""
    path = workflow_path(repository, target.assignment.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    header = (f"Grades assignment {target.assignment.id} on every push and reports the points to GitHub "
              f"Classroom.\nWritten by `autograder package github {target.assignment.id}`; "
              "see docs/deploy.md.")
    path.write_text(to_yaml(workflow(target, source), header), encoding="utf-8")
    return path


def workflow(target: Packaged, source: CourseSource) -> dict:
    """The workflow as data."""
    environment = {**job_environment(target, source), "AUTOGRADER_MAX_SCORE": f"{target.max_score:g}"}
    return {
        "name": WORKFLOW_NAME,
        "on": ["push", "workflow_dispatch", "repository_dispatch"],
        "permissions": {"checks": "write", "actions": "read", "contents": "read"},
        "jobs": {JOB_ID: {
            "runs-on": "ubuntu-latest",
            "if": "github.actor != 'github-classroom[bot]'",
            "timeout-minutes": 30,
            "env": environment,
            "defaults": {"run": {"shell": "bash"}},
            "steps": _steps(target, source),
        }},
    }


def _steps(target: Packaged, source: CourseSource) -> list[dict]:
    reports = ('--format github --report markdown="$GITHUB_STEP_SUMMARY" '
               '--report classroom="$reports/classroom.json"')
    grade = render("github_grade.sh", FUNCTIONS=functions(), LOCATE_AND_GRADE=locate_and_grade(reports))
    return [
        {"name": "Check out the submission", "uses": "actions/checkout@v4",
         "with": {"persist-credentials": False}},
        {"name": "Fetch the grader and the hidden tests", "uses": "actions/checkout@v4", "with": {
            "repository": source.repository, "ref": source.ref,
            "token": f"${{{{ secrets.{source.token} }}}}", "path": COURSE_FOLDER,
            "persist-credentials": False, "sparse-checkout-cone-mode": False,
            "sparse-checkout": "".join(f"{path}\n" for path in fetched_paths(target))}},
        {"name": "Set up Python", "id": "python", "uses": "actions/setup-python@v5",
         "with": {"python-version": source.python}},
        {"name": "Restore the grader's environment", "uses": "actions/cache@v4",
         "with": {"path": VENV_FOLDER, "key": _cache_key(target)}},
        {"name": "Install the grader", "run": install_step(target)},
        {"name": f"Grade assignment {target.assignment.id}", "id": STEP_ID, "run": grade},
        {"name": "Report the points to GitHub Classroom",
         "if": f"${{{{ !cancelled() && steps.{STEP_ID}.outputs.result != '' }}}}",
         "uses": REPORTER,
         "env": {f"{STEP_ID.upper()}_RESULTS": f"${{{{ steps.{STEP_ID}.outputs.result }}}}"},
         "with": {"runners": STEP_ID}},
    ]


def _cache_key(target: Packaged) -> str:
    """The environment's cache key: the OS, the exact Python, and what the engine depends on."""
    if target.engine is None:
        engine = f"${{{{ hashFiles('{COURSE_FOLDER}/pyproject.toml') }}}}"
    else:
        engine = hashlib.sha256(target.engine.encode()).hexdigest()[:16]
    return f"autograder-${{{{ runner.os }}}}-python-${{{{ steps.python.outputs.python-version }}}}-{engine}"
