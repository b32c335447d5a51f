"""Does the forkserver preload what the graded assignment's reference imports, and only that?"""

import multiprocessing.forkserver
import sys

from autograder.sandbox import transport
from autograder.sandbox.transport import forkserver_context, main_module_hidden, modules_to_preload
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
    before = transport._forkserver_pid()
    assert not _child_has_wave(context)
    context = forkserver_context(["wave"])
    multiprocessing.forkserver.ensure_running()
    replaced = transport._forkserver_pid()
    assert replaced != before and _child_has_wave(context)
    forkserver_context(["wave"])
    multiprocessing.forkserver.ensure_running()
    assert transport._forkserver_pid() == replaced  # nothing new asked for: the same server
