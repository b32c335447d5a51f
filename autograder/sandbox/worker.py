"""The worker process: confine itself, then answer requests against the submission.

Started by the forkserver (whose preload already imported torch and this
module), so a worker costs a fork. Its first message from the grader is the
go-ahead, sent once the grader has put it into its control groups; it replies
with the protections it could apply, then serves requests until the pipe closes.
"""

from __future__ import annotations

from multiprocessing.connection import Connection
from pathlib import Path

from autograder.sandbox.confine import confine
from autograder.sandbox.runtime_policy import install_guards
from autograder.sandbox.settings import SandboxSettings
from autograder.student import wire
from autograder.student.executor import Executor


def serve(connection: Connection, module_path: Path, work: Path, settings: SandboxSettings) -> None:
    """The worker's main function."""
    connection.recv_bytes()  # the go-ahead: we are in our control groups now
    executor = Executor(module_path)  # its probe table is read before any confinement
    protections = confine(settings, work, module_path.parent)
    if settings.forbidden:
        install_guards(settings.forbidden, module_path)
        protections.append("API policy enforced at run time")
    connection.send_bytes(wire.dumps(protections))
    while True:
        try:
            request = connection.recv_bytes()
        except (EOFError, OSError):
            return
        connection.send_bytes(executor.handle(request))
