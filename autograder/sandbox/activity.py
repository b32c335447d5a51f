"""Whether the student's code may be running in this process: one state for the whole worker.

The worker marks each request it serves (the submission's import, every call
and probe, the encoding of the reply) with :func:`student_code`. The state is
process-wide, not thread-local, and it is set by the worker, not guessed from
stack frames: a thread the submission starts, code compiled under another file
name and calls made through a standard-library wrapper all run while it is on.

Outside requests only the worker's own loop runs, in the thread that serves
requests; any other thread was started by the submission, so it counts as
student code at all times.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

_state = {"depth": 0, "serving_thread": None}


def start_serving() -> None:
    """Record the calling thread as the one that serves requests (the worker's main thread)."""
    _state["serving_thread"] = threading.get_ident()


@contextmanager
def student_code() -> Iterator[None]:
    """Mark the duration of one request as student code, for every thread of the process."""
    _state["depth"] += 1
    try:
        yield
    finally:
        _state["depth"] -= 1


def student_code_may_run() -> bool:
    """True during a request, and at any time in a thread other than the serving one."""
    return _state["depth"] > 0 or threading.get_ident() != _state["serving_thread"]
