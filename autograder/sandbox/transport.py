"""The grader's side of the sandbox: a worker per submission, replaced when it fails.

A request goes down a pipe; the reply must come back within the call's wall
time. A worker that times out, exits, crashes or sends an oversized reply is
killed (with every process it started) and the call fails with a precise
message; the next call gets a fresh worker.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from pathlib import Path

from autograder.errors import GradingTimeout
from autograder.sandbox.cgroups import WorkerCgroup
from autograder.sandbox.forkserver import (
    forget_forkserver,
    forkserver_context,
    forkserver_pid,
    main_module_hidden,
)
from autograder.sandbox.mounts import sandbox_base
from autograder.sandbox.protections import Protection
from autograder.sandbox.settings import SandboxSettings
from autograder.sandbox.worker import serve
from autograder.student import wire
from autograder.student.proxy import GradingStopped, StudentError

_START_TIMEOUT_S = 60.0
MAX_FORKSERVER_LOSSES = 2
"""Losses of the forkserver during one submission's grading that stop it with score 0."""


class WorkerDied(StudentError):
    """The worker running the student's code ended during a call."""


class _ForkserverLost(Exception):
    """A worker could not be started: the forkserver is gone."""


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
                forget_forkserver()
                self._forkserver_lost()
                continue
            restarted = self._server_pid is not None and forkserver_pid() != self._server_pid
            self._server_pid = forkserver_pid()
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
