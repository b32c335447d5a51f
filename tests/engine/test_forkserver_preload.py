"""Does the forkserver preload what the graded assignment's reference imports, and only that?"""

import multiprocessing.forkserver
import subprocess
import sys

import pytest

from autograder.grading import runner
from autograder.sandbox import forkserver
from autograder.sandbox.forkserver import forkserver_context, main_module_hidden, modules_to_preload
from tests.course_under_test import COURSE, LAYOUT


def _preloaded(assignment_id):
    return modules_to_preload(LAYOUT.solution(COURSE.assignment(assignment_id)))


def test_each_assignment_preloads_the_modules_its_reference_imports():
    assert _preloaded("01") == [] and _preloaded("02") == []
    assert {"torchvision", "matplotlib.figure", "matplotlib.pyplot"} <= set(_preloaded("03"))
    assert _preloaded("04") == ["sklearn.datasets"]


def test_a_source_that_does_not_parse_preloads_nothing(tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text("import torchvision\ndef f(:\n")
    assert modules_to_preload(broken) == [] and modules_to_preload(tmp_path / "missing.py") == []


def _has_wave(queue):
    queue.put("wave" in sys.modules)


def _child_has_wave(context) -> bool:
    queue = context.Queue()
    with main_module_hidden():
        child = context.Process(target=_has_wave, args=(queue,))
        child.start()
    child.join(60)
    return queue.get(timeout=5)


def test_a_forkserver_without_a_needed_module_is_replaced_by_one_that_preloads_it():
    """``wave`` stands for a module no assignment of the course imports."""
    context = forkserver_context()
    multiprocessing.forkserver.ensure_running()
    before = forkserver.forkserver_pid()
    assert not _child_has_wave(context)
    context = forkserver_context(["wave"])
    multiprocessing.forkserver.ensure_running()
    replaced = forkserver.forkserver_pid()
    assert replaced != before and _child_has_wave(context)
    forkserver_context(["wave"])
    multiprocessing.forkserver.ensure_running()
    assert forkserver.forkserver_pid() == replaced  # nothing new asked for: the same server


@pytest.fixture
def fresh_forkserver(monkeypatch):
    """No forkserver running and nothing preloaded yet; afterwards, the next user starts its own."""
    forkserver.forget_forkserver()
    monkeypatch.setattr(forkserver, "_preloaded", set())
    yield
    forkserver.forget_forkserver()


def test_a_single_grading_starts_one_forkserver_for_the_source_check_and_the_workers(fresh_forkserver,
                                                                                     monkeypatch):
    """The reference's modules are preloaded before the source check starts its helper: no restart.

    ``colorsys`` stands for a module the reference imports.
    """
    monkeypatch.setattr(runner, "modules_to_preload", lambda source: ["colorsys"])
    replaced = []
    forget = forkserver.forget_forkserver

    def forget_and_count():
        replaced.append(forkserver.forkserver_pid())
        forget()

    monkeypatch.setattr(forkserver, "forget_forkserver", forget_and_count)
    report = runner.grade("01", LAYOUT.solutions("01"), layout=LAYOUT, course=COURSE,
                          options=runner.GradingOptions(device="cpu"))
    assert report.score == report.max_score
    assert forkserver._preloaded == {"colorsys"}, "the reference's modules were not preloaded"
    assert replaced == [], "the forkserver was started again for the workers"


def test_the_forkserver_module_does_not_import_torch():
    """A command starts the forkserver first, so that its imports and the command's overlap."""
    probe = "import sys, autograder.sandbox.forkserver; print('torch' in sys.modules)"
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert completed.stdout.strip() == "False"
