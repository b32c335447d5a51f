"""The worker process: confine itself, then answer requests against the submission.

Started by the forkserver (whose preload already imported torch and this
module), so a worker costs a fork. It first closes every descriptor it
inherited but its request pipe. Its first message from the grader is the
go-ahead, sent once the grader has put it into its control groups; it replies
with the protections it could apply (or, if it cannot be confined as it must,
with the reason), then serves requests until the pipe closes. Each request is
handled as student code (:mod:`autograder.sandbox.activity`).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
from multiprocessing.connection import Connection
from pathlib import Path

from autograder.sandbox import activity
from autograder.sandbox.confine import ConfinementError, confine
from autograder.sandbox.descriptors import close_inherited
from autograder.sandbox.protections import Protection
from autograder.sandbox.runtime_policy import install_guards
from autograder.sandbox.settings import SandboxSettings
from autograder.student import wire
from autograder.student.executor import Executor

_PR_SET_PDEATHSIG = 1


def _die_with_the_forkserver() -> None:
    """If the grader (and so its forkserver) goes, the worker goes too, not left as an orphan."""
    parent = os.getppid()
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the forkserver ended before the request took effect
        os._exit(1)


def serve(connection: Connection, module_path: Path, work: Path, settings: SandboxSettings) -> None:
    """The worker's main function."""
    _die_with_the_forkserver()
    clean = close_inherited(connection.fileno())
    # The grader ends the worker as a daemon; to itself it is not one, so the submission may
    # start processes (DataLoader workers), within the sandbox's process limit.
    multiprocessing.current_process().daemon = False
    activity.start_serving()
    connection.recv_bytes()  # the go-ahead: we are in our control groups now
    executor = Executor(module_path, max_source_bytes=settings.source_kb * 1024, sandboxed=True)
    try:
        protections = clean + confine(settings, work, module_path.parent)
        if settings.forbidden:
            guarded = install_guards(settings.forbidden)
            if guarded:
                protections.append(Protection.RUNTIME_POLICY)
    except ConfinementError as error:
        connection.send_bytes(wire.dumps({"refused": str(error)}))
        return
    except RuntimeError as error:  # the dispatcher refused a registration
        connection.send_bytes(wire.dumps({"refused": f"the API policy cannot be enforced: {error}"}))
        return
    connection.send_bytes(wire.dumps({"protections": [protection.value for protection in protections]}))
    while True:
        try:
            request = connection.recv_bytes()
        except (EOFError, OSError):
            return
        with activity.student_code():
            reply = executor.handle(request)
        connection.send_bytes(reply)
