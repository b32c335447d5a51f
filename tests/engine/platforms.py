"""The platforms, simulated in a temporary folder, for the packaging tests.

Each simulation runs the generated entry point itself (run_autograder, the
workflow's shell steps, the GitLab job's script) with bash, as the platform
does, and stands in only for what needs the network or the platform: checking
out repositories, setting up Python, restoring the cache, GitHub Classroom's
reporter. The grader's environment is a stand-in too (a restored cache):
its ``python`` runs this interpreter and its ``pip`` only records what it was asked.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

import autograder
from autograder.package.ci import VENV_FOLDER
from tests.course_under_test import COURSE, LAYOUT

ENGINE_ROOT = Path(autograder.__file__).resolve().parent.parent
ASSIGNMENT = COURSE.assignment("02")
TIMEOUT_S = 600

BROKEN = "def log_softmax(x:\n    return x\n"
ACCURACY_UNSTARTED = '\n\ndef accuracy(out, yb):\n    raise NotImplementedError("Task 02.accuracy")\n'


def reference_source() -> str:
    """The reference solution of 02: full marks."""
    return LAYOUT.solution(ASSIGNMENT).read_text(encoding="utf-8")


def stub_source() -> str:
    """The stub students start from: no marks."""
    return LAYOUT.stub(ASSIGNMENT).read_text(encoding="utf-8")


def notebook_submission() -> Path:
    """A correct notebook in another idiom (the alternatives corpus): full marks."""
    return LAYOUT.alternatives("02") / "notebook.ipynb"


def environment(**extra: str) -> dict[str, str]:
    """This process's environment, the engine under test importable, plus ``extra``."""
    paths = [str(ENGINE_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths), **extra}


def fake_environment(workspace: Path) -> Path:
    """A restored grader environment in ``workspace``: returns the log of pip's calls."""
    bin_folder = workspace / VENV_FOLDER / "bin"
    bin_folder.mkdir(parents=True)
    pip_log = workspace.parent / "pip-calls.txt"
    _script(bin_folder / "python", f'exec {sys.executable} "$@"')
    _script(bin_folder / "pip", f'echo "$*" >> {pip_log}')
    return pip_log


def _script(path: Path, body: str) -> None:
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


def copy_from_course_repository(paths: list[str], destination: Path) -> None:
    """What a sparse checkout of the instructor's repository (this checkout) gives."""
    for relative in (path.lstrip("/") for path in paths):
        source = LAYOUT.root / relative
        if source.is_dir():
            shutil.copytree(source, destination / relative, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (destination / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / relative)


def run_bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """``script`` run by bash as GitHub's and GitLab's runners run a step (-e, pipefail)."""
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT_S)


@dataclass
class GitHubRun:
    """What a simulated run of a GitHub workflow left."""

    steps: dict[str, subprocess.CompletedProcess | str] = field(default_factory=dict)
    """Each step's completed shell (a run step), or what stood in for it."""
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    """Each step id's outputs, as written to $GITHUB_OUTPUT."""
    summary: str = ""
    """The job summary."""
    points: tuple[float, float] | None = None
    """(total, max) as GitHub Classroom's reporter computes them, if it ran."""
    reporter_status: str | None = None
    """The result's status the reporter read (``fail`` or ``error`` fail the job)."""


_EXPRESSION = re.compile(r"^\$\{\{ steps\.([\w-]+)\.outputs\.([\w-]+) \}\}$")
_CONDITIONS = {
    None: lambda run, failed: not failed,
    "${{ !cancelled() && steps.autograder.outputs.result != '' }}":
        lambda run, failed: bool(run.outputs.get("autograder", {}).get("result")),
}
"""The step conditions the workflow uses; a new one fails the simulation until it is added here."""


def run_github_job(workflow: Path, workspace: Path, runner_temp: Path) -> GitHubRun:
    """Run the workflow's one job on ``workspace`` (the student's repository, already checked out)."""
    job = next(iter(yaml.safe_load(workflow.read_text())["jobs"].values()))
    summary = runner_temp / "summary.md"
    summary.touch()
    base = environment(**job["env"], GITHUB_WORKSPACE=str(workspace), RUNNER_TEMP=str(runner_temp),
                       GITHUB_STEP_SUMMARY=str(summary), GITHUB_ACTIONS="true", CI="true")
    run, failed = GitHubRun(), False
    for number, step in enumerate(job["steps"]):
        name = step.get("id", str(number))
        if not _CONDITIONS[step.get("if")](run, failed):
            run.steps[name] = "skipped"
            continue
        if "uses" in step:
            run.steps[name] = _stand_in(step, run, workspace)
            continue
        output = runner_temp / f"output-{number}"
        output.touch()
        completed = run_bash(step["run"], workspace, {**base, "GITHUB_OUTPUT": str(output)})
        run.steps[name] = completed
        run.outputs[name] = dict(line.split("=", 1) for line in output.read_text().splitlines() if line)
        failed = failed or completed.returncode != 0
    run.summary = summary.read_text()
    return run


def _stand_in(step: dict, run: GitHubRun, workspace: Path) -> str:
    """What stands in for an action: a checkout, setup-python, the cache, Classroom's reporter."""
    action, inputs = step["uses"].split("@")[0], step.get("with", {})
    if action == "actions/checkout" and "repository" in inputs:
        copy_from_course_repository(inputs["sparse-checkout"].split(), workspace / inputs["path"])
        return f"checked out {inputs['repository']}"
    if action == "actions/setup-python":
        run.outputs[step["id"]] = {"python-version": f"{sys.version_info.major}.{sys.version_info.minor}"}
    if action == "classroom-resources/autograding-grading-reporter":
        _report_points(step, run)
    return f"stood in for {action}"


def _report_points(step: dict, run: GitHubRun) -> None:
    """Read the runners' results as the reporter does: base64 JSON in ``<ID>_RESULTS``."""
    total = maximum = 0.0
    for runner in step["with"]["runners"].split(","):
        value = step["env"][f"{runner.strip().upper()}_RESULTS"]
        source_step, output = _EXPRESSION.match(value).groups()
        results = json.loads(base64.b64decode(run.outputs[source_step][output]))
        run.reporter_status = results["status"]
        if results.get("max_score"):
            maximum += results["max_score"]
            total += sum(test["score"] for test in results["tests"])
    run.points = (total, maximum)


FAKE_GIT = """#!{python}
import shutil, sys
from pathlib import Path
arguments = sys.argv[1:]
with open({log!r}, "a") as log:
    log.write(" ".join(arguments) + "\\n")
if arguments[0] == "clone":
    Path(arguments[-1]).mkdir(parents=True)
elif arguments[2:4] == ["sparse-checkout", "set"]:
    for relative in (name.lstrip("/") for name in arguments[4:] if not name.startswith("--")):
        source, target = Path({source!r}) / relative, Path(arguments[1]) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target)
"""
"""A ``git`` that clones this checkout's files, and records its calls."""


def run_gitlab_job(ci_file: Path, workspace: Path, fake_bin: Path) -> subprocess.CompletedProcess:
    """Run the job's before_script and script in one bash, as GitLab's runner does."""
    job = next(iter(yaml.safe_load(ci_file.read_text()).values()))
    fake_bin.mkdir()
    _script(fake_bin / "git", "")
    (fake_bin / "git").write_text(FAKE_GIT.format(python=sys.executable, source=str(LAYOUT.root),
                                                  log=str(fake_bin.parent / "git-calls.txt")))
    predefined = {"CI": "true", "GITLAB_CI": "true", "CI_PROJECT_DIR": str(workspace),
                  "CI_SERVER_HOST": "gitlab.example.com", "CI_JOB_TOKEN": "job-token"}
    variables = {name: re.sub(r"\$(\w+)", lambda match: predefined.get(match[1], match[0]), value)
                 for name, value in job["variables"].items()}
    env = environment(**predefined, **variables, PATH=f"{fake_bin}{os.pathsep}{os.environ['PATH']}")
    return run_bash("\n".join([*job["before_script"], *job["script"]]), workspace, env)
