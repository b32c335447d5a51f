"""GitLab CI: a job that grades a student's project on every push.

``autograder package gitlab NN --out REPO --course-repo GROUP/PROJECT`` writes
``REPO/.gitlab-ci.yml``. The job clones the grader and the hidden tests from the
instructor's private project (with ``$AUTOGRADER_COURSE_TOKEN``, a masked CI/CD
variable holding a read-only token, else the job's own ``$CI_JOB_TOKEN`` if the
instructor's project allows the students' projects), restores the grader's
environment from the cache, grades the student's file, prints the report with
its score in the job log and keeps a JUnit report, with each test's points in
its name, as the job's test report.
"""

from __future__ import annotations

from pathlib import Path

from autograder.package.bundle import Packaged
from autograder.package.ci import (
    VENV_FOLDER,
    CourseSource,
    fetched_paths,
    install_step,
    job_environment,
    locate_and_grade,
)
from autograder.package.shell import render
from autograder.package.yaml_file import to_yaml

JUNIT_FILE = "autograder-junit.xml"
MARKDOWN_FILE = "autograder-report.md"
IMAGE = "python:{python}"
"""The job's image: Debian with Python, git and bash."""

def package_gitlab(target: Packaged, source: CourseSource, repository: Path) -> Path:
    """Write ``.gitlab-ci.yml`` into ``repository``; return its path."""
    repository.mkdir(parents=True, exist_ok=True)
    path = repository / ".gitlab-ci.yml"
    header = (f"Grades assignment {target.assignment.id} on every push: the score in the job log, a JUnit\n"
              f"test report with the points. Written by `autograder package gitlab {target.assignment.id}`; "
              "see docs/deploy.md.")
    path.write_text(to_yaml(pipeline(target, source), header), encoding="utf-8")
    return path


def pipeline(target: Packaged, source: CourseSource) -> dict:
    """The CI configuration as data: one job, ``autograde-NN``."""
    reports = f"--format markdown --report junit={JUNIT_FILE} --report markdown={MARKDOWN_FILE}"
    fetch = render("gitlab_fetch.sh", TOKEN=source.token, PATHS=" ".join(fetched_paths(target)))
    variables = {
        **job_environment(target, source),
        "AUTOGRADER_COURSE_REPO": source.repository,
        "AUTOGRADER_COURSE_REF": source.ref,
        "PIP_CACHE_DIR": "$CI_PROJECT_DIR/.cache/pip",
    }
    return {
        f"autograde-{target.assignment.id}": {
            "image": IMAGE.format(python=source.python),
            "variables": variables,
            "cache": {"key": f"autograder-{target.assignment.id}-python-{source.python}",
                      "paths": [f"{VENV_FOLDER}/", ".cache/pip/"]},
            "before_script": [fetch, install_step(target)],
            "script": [render("gitlab_grade.sh", LOCATE_AND_GRADE=locate_and_grade(reports))],
            "artifacts": {
                "when": "always",
                "expire_in": "30 days",
                "paths": [MARKDOWN_FILE, JUNIT_FILE],
                "reports": {"junit": JUNIT_FILE},
            },
        },
    }
