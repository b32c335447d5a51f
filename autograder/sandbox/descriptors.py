"""A clean descriptor table for the worker: its request pipe, and nothing else to reach out with.

A child of the multiprocessing forkserver inherits more than its own pipe:
the grader's end of the forkserver's "alive" pipe (a byte written there stops
the forkserver), the write end of the resource tracker's pipe (whose commands
make the tracker unlink shared memory and semaphores, and whose parse errors
it prints on the grader's stderr), the data pipe it was started from. Each is
closed before the submission is imported, and multiprocessing forgets them, so
a submission that starts processes of its own gets its own helpers, inside
the sandbox.
"""

from __future__ import annotations

import multiprocessing.forkserver
import multiprocessing.process
import multiprocessing.resource_tracker
import os
import resource

from autograder.sandbox.protections import Protection


def _forget_helpers() -> None:
    server = multiprocessing.forkserver._forkserver
    server._forkserver_alive_fd = None
    server._forkserver_address = None
    server._forkserver_pid = None
    server._inherited_fds = None
    tracker = multiprocessing.resource_tracker._resource_tracker
    tracker._fd = None
    tracker._pid = None
    parent = multiprocessing.process._parent_process
    if parent is not None:
        parent._sentinel = None


def close_inherited(keep: int) -> list[str]:
    """Close every descriptor but 0, 1, 2 and ``keep``; return the protection applied."""
    _forget_helpers()
    highest = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    if highest == resource.RLIM_INFINITY or highest > 1 << 20:
        highest = 1 << 20
    os.closerange(3, keep)
    os.closerange(keep + 1, highest)
    return [Protection.CLEAN_DESCRIPTORS]


def open_descriptors(highest: int = 4096) -> list[int]:
    """This process's open descriptors below ``highest`` (found without opening one)."""
    found = []
    for fd in range(highest):
        try:
            os.fstat(fd)
        except OSError:
            continue
        found.append(fd)
    return found
