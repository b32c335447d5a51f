"""The grader's side of the sandbox: a worker per submission, replaced when it fails.

A request goes down a pipe; the reply must come back within the call's wall
time. A worker that times out, exits, crashes or sends an oversized reply is
killed (with every process it started) and the call fails with a precise
message; the next call gets a fresh worker.
"""

from __future__ import annotations

import ast
import importlib.util
import multiprocessing
import multiprocessing.forkserver
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from autograder.errors import GradingTimeout
from autograder.sandbox.cgroups import WorkerCgroup
from autograder.sandbox.mounts import sandbox_base
from autograder.sandbox.protections import Protection
from autograder.sandbox.settings import SandboxSettings
from autograder.sandbox.worker import serve
from autograder.student import wire
from autograder.student.proxy import GradingStopped, StudentError

_START_TIMEOUT_S = 60.0
MAX_FORKSERVER_LOSSES = 2
"""Losses of the forkserver during one submission's grading that stop it with score 0."""
_context = None
_preloaded: set[str] = set()
"""Modules the forkserver imports besides autograder.sandbox.preload (what the graded assignments use)."""


class WorkerDied(StudentError):
    """The worker running the student's code ended during a call."""


class _ForkserverLost(Exception):
    """A worker could not be started: the forkserver is gone."""


def _forkserver_pid() -> int | None:
    return multiprocessing.forkserver._forkserver._forkserver_pid


def _forget_forkserver() -> None:
    """Drop a forkserver that no longer answers (reaping it if it is ours); the next start makes one."""
    server = multiprocessing.forkserver._forkserver
    if server._forkserver_pid is not None:
        try:
            os.kill(server._forkserver_pid, signal.SIGKILL)
            os.waitpid(server._forkserver_pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
    if server._forkserver_alive_fd is not None:
        os.close(server._forkserver_alive_fd)
    server._forkserver_address = server._forkserver_alive_fd = server._forkserver_pid = None


def forkserver_context(modules: Iterable[str] = ()):
    """The multiprocessing context whose server preloads torch, the autograder and ``modules`` once.

    A server running without one of ``modules`` is replaced by one that
    imports everything asked for so far (no worker may be running from it).
    """
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
    missing = set(modules) - _preloaded
    if missing:
        if _forkserver_pid() is not None:
            _forget_forkserver()
        _preloaded.update(missing)
    _context.set_forkserver_preload(["autograder.sandbox.preload", *sorted(_preloaded)])
    return _context


def warm_up(modules: Iterable[str] = ()) -> None:
    """Start the forkserver now, preloading ``modules`` too, so its imports overlap with test collection."""
    forkserver_context(modules)
    multiprocessing.forkserver.ensure_running()


def modules_to_preload(source: Path) -> list[str]:
    """The installed, non-standard modules a (reference) source imports at its top level.

    ``from matplotlib.figure import Figure`` gives ``matplotlib.figure`` and,
    for a worker that draws, ``matplotlib.pyplot``; a source that cannot be
    read or parsed gives none.
    """
    try:
        tree = ast.parse(source.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return []
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    if any(name.split(".")[0] == "matplotlib" for name in names):
        names.add("matplotlib.pyplot")
    return sorted(name for name in names if name.split(".")[0] not in sys.stdlib_module_names
                  and name.split(".")[0] not in ("torch", "__future__") and _installed(name))


def _installed(name: str) -> bool:
    try:
        return importlib.util.find_spec(name.split(".")[0]) is not None
    except (ImportError, ValueError):
        return False


@contextmanager
def main_module_hidden() -> Iterator[None]:
    """Keep the forkserver from re-importing ``__main__`` (a CLI, a test runner) per worker."""
    main = sys.modules["__main__"]
    saved = {key: main.__dict__[key] for key in ("__file__", "__spec__") if key in main.__dict__}
    main.__dict__.pop("__file__", None)
    main.__spec__ = None
    try:
        yield
    finally:
        main.__dict__.update(saved)


def _describe_exit(exitcode: int | None, label: str) -> str:
    if exitcode is None:
        return f"the worker stopped answering during {label}"
    if exitcode < 0:
        name = signal.Signals(-exitcode).name
        cause = {"SIGKILL": " (killed: out of memory, CPU time or processes?)",
                 "SIGSEGV": " (a segmentation fault)", "SIGXCPU": " (CPU time limit reached)"}
        return f"your code crashed the worker during {label}: {name}{cause.get(name, '')}"
    return f"your code ended the worker during {label} with exit status {exitcode}"


class _Worker:
    """One live worker process and its pipe."""

    def __init__(self, module_path: Path, settings: SandboxSettings):
        self.home = Path(tempfile.mkdtemp(prefix="worker-", dir=sandbox_base()))
        self.home.chmod(0o755)
        self.module_path = module_path  # read in place: the worker may only read its folder
        work = self.home / "work"
        work.mkdir()
        context = forkserver_context()
        self.connection, child = context.Pipe()
        self.process = context.Process(target=serve, args=(child, self.module_path, work, settings),
                                       daemon=True)
        try:
            with main_module_hidden():
                self.process.start()
        except (OSError, EOFError) as error:  # the forkserver is gone or stopped answering
            self.connection.close()
            shutil.rmtree(self.home, ignore_errors=True)
            raise _ForkserverLost(str(error)) from None
        finally:
            child.close()
        self.cgroup = None
        try:
            self.protections = self._start(settings)
        except BaseException:
            self.stop()
            raise

    def _start(self, settings: SandboxSettings) -> list[str]:
        """Put the worker in its control groups, let it go and read what protects it."""
        if os.geteuid() == 0:
            self.cgroup = WorkerCgroup(f"autograder-{self.process.pid}", settings.processes,
                                       settings.memory_mb * 2**20)
            self.cgroup.add(self.process.pid)
        self.connection.send_bytes(b"go")
        if not self.connection.poll(_START_TIMEOUT_S):
            raise RuntimeError("the sandbox worker did not start")
        started = wire.loads(self.connection.recv_bytes())
        if "refused" in started:
            raise GradingStopped(str(started["refused"]))
        return ([Protection(value) for value in started["protections"]]
                + (self.cgroup.active if self.cgroup else []))

    def stop(self) -> None:
        """Kill the worker and everything it started; remove its folders."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        if self.cgroup is not None:
            self.cgroup.kill_all()
        self.connection.close()
        shutil.rmtree(self.home, ignore_errors=True)


class SandboxTransport:
    """Requests to the student's code in a confined worker process."""

    def __init__(self, module_path: Path, settings: SandboxSettings):
        self.module_path = Path(module_path)
        self.settings = settings
        self.reply_bytes = settings.reply_mb * 2**20
        """What a reply may weigh, as sent and as its archive's records hold it."""
        self._worker: _Worker | None = None
        self._server_pid: int | None = None
        self._losses = 0
        self._stopped: str | None = None

    @property
    def protections(self) -> list[Protection]:
        """The protections of the current (or a freshly started) worker."""
        return self._live_worker().protections

    def _live_worker(self) -> _Worker:
        if self._stopped is not None:
            raise GradingStopped(self._stopped)
        if self._worker is None:
            self._worker = self._start_worker()
        return self._worker

    def _start_worker(self) -> _Worker:
        """A fresh worker; the forkserver's loss while this submission runs counts against it."""
        while True:
            try:
                worker = _Worker(self.module_path, self.settings)
            except _ForkserverLost:
                _forget_forkserver()
                self._forkserver_lost()
                continue
            restarted = self._server_pid is not None and _forkserver_pid() != self._server_pid
            self._server_pid = _forkserver_pid()
            if restarted:
                try:
                    self._forkserver_lost()
                except GradingStopped:
                    worker.stop()
                    raise
            return worker

    def _forkserver_lost(self) -> None:
        self._losses += 1
        if self._losses >= MAX_FORKSERVER_LOSSES:
            self._stopped = (f"grading stopped: the sandbox's process server was lost {self._losses} "
                             "times while this submission ran, so it scores 0")
            raise GradingStopped(self._stopped)

    def request(self, payload: bytes, label: str, timeout_s: float | None = None) -> bytes:
        """Send one request; raise GradingTimeout or WorkerDied if the worker fails it.

        The call may take the settings' ``call_timeout_s``, or ``timeout_s`` if that is shorter.
        """
        worker = self._live_worker()
        limit = self.settings.call_timeout_s if timeout_s is None else min(timeout_s,
                                                                           self.settings.call_timeout_s)
        try:
            worker.connection.send_bytes(payload)
            if not worker.connection.poll(limit):
                if limit < self.settings.call_timeout_s:
                    raise GradingTimeout(f"{label} was stopped after {limit:g} s: the submission's "
                                         "time budget ran out")
                raise GradingTimeout(f"{label} timed out after {limit:g} s")
            return worker.connection.recv_bytes(maxlength=self.reply_bytes)
        except (EOFError, BrokenPipeError, ConnectionResetError):
            worker.process.join(2)
            message = _describe_exit(worker.process.exitcode, label)
            self._replace()
            raise WorkerDied(message) from None
        except OSError as error:  # recv_bytes refused a reply over the cap
            self._replace()
            raise wire.WireError(f"the reply of {label} is over {self.settings.reply_mb} MB") from error
        except BaseException:
            self._replace()
            raise

    def _replace(self) -> None:
        if self._worker is not None:
            self._worker.stop()
            self._worker = None

    def close(self) -> None:
        """End the worker and every process the submission started."""
        self._replace()
