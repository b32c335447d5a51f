"""Per-test wall-time limits."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from autograder.errors import GradingTimeout


@contextmanager
def wall_time_limit(seconds: float, label: str) -> Iterator[None]:
    """Raise GradingTimeout in this thread after ``seconds`` (in-process grading).

    Works in the main thread of a POSIX process; elsewhere it does nothing,
    and the sandbox's own per-call timeout is the real guard.
    """
    usable = hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    if not usable or seconds <= 0:
        yield
        return

    def expire(signum, frame):
        raise GradingTimeout(f"{label} timed out after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
