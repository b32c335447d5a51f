"""Do the stubs and the references run top to bottom offline, as a student's notebook would?

Each module is run as a script (``python scratch.py``), which runs every cell,
the demo at the end included, with every download refused (a proxy on a
closed port): the demo falls back to the MNIST sample that comes with the
course, and on a stub it names the first task still to write instead of
stopping with a traceback.
"""

import os
import subprocess
import sys

import pytest

from tests.course_under_test import ASSIGNMENTS, COURSE, LAYOUT

OFFLINE = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9",
           "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9"}


def _run(path, cwd):
    return subprocess.run([sys.executable, str(path)], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env={**os.environ, **OFFLINE, "MPLBACKEND": "Agg"})


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_stub_runs_to_the_end_and_names_a_task_to_write(assignment, tmp_path):
    completed = _run(LAYOUT.stub(COURSE.assignments[assignment]), tmp_path)
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert f"Task {assignment}." in completed.stdout and "is not written yet" in completed.stdout


def test_the_mnist_demo_of_02_trains_on_the_bundled_sample_offline(tmp_path):
    completed = _run(LAYOUT.solution(COURSE.assignments["02"]), tmp_path)
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert "using the 5,000 digits that come with the course" in completed.stdout
    accuracy = float(completed.stdout.rsplit("accuracy", 1)[1].strip())
    assert accuracy > 0.8, completed.stdout
