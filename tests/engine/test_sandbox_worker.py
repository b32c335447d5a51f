"""Does a worker start clean: only its request pipe, an unprivileged uid, a short list of readable files?"""

import multiprocessing
import multiprocessing.forkserver
import multiprocessing.resource_tracker
import os
import shutil
import signal
import tempfile
from pathlib import Path

import pytest

from autograder.sandbox.confine import _unreadable_to_others
from autograder.sandbox.descriptors import close_inherited, open_descriptors
from autograder.sandbox.mounts import private_folders, worker_readable_folder
from autograder.sandbox.settings import SandboxSettings
from autograder.sandbox.transport import SandboxTransport
from autograder.student import StudentModule
from autograder.student.proxy import GradingStopped

SOURCE = '''
import os

def descriptors():
    from autograder.sandbox.descriptors import open_descriptors
    return open_descriptors()

def ids():
    return [os.getuid(), os.geteuid(), os.getgid()]

def readable(path):
    try:
        with open(path, "rb") as opened:
            opened.read(1)
        return True
    except OSError:
        return False
'''


@pytest.fixture(scope="module")
def worker():
    """A sandboxed worker on a small module, and the transport that runs it."""
    with worker_readable_folder("worker-test-") as folder:
        path = folder / "probe.py"
        path.write_text(SOURCE)
        transport = SandboxTransport(path, SandboxSettings())
        yield StudentModule(transport), transport
        transport.close()


@pytest.fixture
def readable_folder():
    """A folder an unprivileged worker can read its module from."""
    with worker_readable_folder("worker-test-") as folder:
        yield folder


def test_the_worker_keeps_only_its_request_pipe(worker):
    student, _ = worker
    descriptors = student.descriptors()
    assert descriptors[:3] == [0, 1, 2] and len(descriptors) == 4, descriptors


def _close_in_child(connection, keep_open) -> None:
    close_inherited(connection.fileno())
    tracker = multiprocessing.resource_tracker._resource_tracker
    server = multiprocessing.forkserver._forkserver
    connection.send([open_descriptors(), tracker._fd, server._forkserver_alive_fd])


def test_close_inherited_leaves_the_standard_three_and_the_kept_pipe():
    extra = os.pipe()  # stands for the forkserver's and the tracker's pipes
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_close_in_child, args=(sender, extra))
    child.start()
    descriptors, tracker_fd, alive_fd = receiver.recv()
    child.join()
    for fd in extra:
        os.close(fd)
    assert descriptors == [0, 1, 2, sender.fileno()]
    assert tracker_fd is None and alive_fd is None


@pytest.mark.skipif(os.geteuid() != 0, reason="the privilege drop needs root")
def test_a_root_grader_runs_workers_as_an_unprivileged_user(worker):
    student, _ = worker
    assert all(number >= 200_000 for number in student.ids())


@pytest.mark.skipif(os.geteuid() != 0, reason="the privilege drop needs root")
def test_the_worker_reads_the_loader_cache_but_not_the_rest_of_etc(worker):
    student, _ = worker
    assert student.readable("/etc/ld.so.cache")
    assert not student.readable("/etc/shadow")
    assert not student.readable("/etc/passwd")


def test_folders_only_their_owner_may_enter_are_found():
    base = Path(tempfile.mkdtemp(dir="/var/tmp"))  # pytest's own folders are private themselves
    base.chmod(0o755)
    private = base / "home"
    inner = private / "python" / "lib"
    inner.mkdir(parents=True)
    private.chmod(0o700)
    try:
        assert private_folders([inner]) == [private]
        assert _unreadable_to_others([inner]) == [inner]
        private.chmod(0o755)
        assert private_folders([inner]) == [] and _unreadable_to_others([inner]) == []
    finally:
        shutil.rmtree(base)


def test_losing_the_forkserver_twice_stops_the_grading(readable_folder):
    path = readable_folder / "empty.py"
    path.write_text("def f():\n    return 1\n")
    transport = SandboxTransport(path, SandboxSettings())
    try:
        assert transport.protections
        for _ in range(2):
            os.kill(multiprocessing.forkserver._forkserver._forkserver_pid, signal.SIGKILL)
            transport.close()  # the next call needs a new worker, from a new forkserver
            try:
                StudentModule(transport).f()
            except GradingStopped as stopped:
                message = str(stopped)
        assert "lost 2 times" in message and "scores 0" in message
        with pytest.raises(GradingStopped):
            StudentModule(transport).f()
    finally:
        transport.close()
