"""Time budgets: a submission's total wall time, and functions that keep timing out.

Each call into student code has its own time limit (course.yml's
``time_limit_s``). That alone lets a submission whose every call sleeps just
under the limit hold a grading slot for an hour. So each submission also has
a total budget: past it, every remaining call fails at once as a timeout with
a clear message. And a function that timed out is not called again: its
other tests fail at once, saying so; nor is any call made again for a task
whose tests timed out (a probe that runs the hanging function under another
name would otherwise wait out its own limit). A call limit is sized for a
loaded machine, many times what the reference needs, so one timeout is
already a verdict; course.yml's ``give_up_after_timeouts`` allows more.

A function the submission lacks, or leaves as the stub (it raises the stub's
own ``NotImplementedError("Task NN.name")``), answers every call the same way:
its first answer is kept and given again without a round trip to the worker.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable

from autograder.errors import GradingTimeout
from autograder.student import wire
from autograder.student.proxy import Transport

_FINAL_ERRORS = {"MissingName": None, "NotImplementedError": re.compile(
    r"(?:NotImplementedError: )?Task \d\d\.\w+(?: \([^()]*\))?")}
"""Errors that a module function gives on every call: missing, or the untouched stub (its message)."""


class SubmissionClock:
    """The wall-time budget of one submission's grading, started when it is created."""

    def __init__(self, budget_s: float | None):
        """``budget_s`` None means no budget."""
        self.budget_s = budget_s
        self.started = time.monotonic()

    def remaining(self) -> float | None:
        """Seconds left, never below 0; None without a budget."""
        if self.budget_s is None:
            return None
        return max(0.0, self.budget_s - (time.monotonic() - self.started))

    def check(self, label: str) -> None:
        """Raise GradingTimeout if the budget is spent."""
        if self.remaining() == 0.0:
            raise GradingTimeout(f"the submission's time budget of {self.budget_s:g} s is spent: "
                                 f"{label} was not called")


class BudgetedTransport:
    """Wraps a transport: honours the submission's budget and stops calling functions that hang."""

    def __init__(self, inner: Transport, clock: SubmissionClock,
                 max_timeouts: int = 1,
                 current_task: Callable[[], str | None] = lambda: None):
        """Wrap ``inner``; give a function or task up after ``max_timeouts`` timeouts.

        ``current_task`` names the task of the test running now, if any.
        """
        self.inner, self.clock, self.max_timeouts = inner, clock, max_timeouts
        self.current_task = current_task
        self.timeouts: Counter[str] = Counter()
        self.task_timeouts: Counter[str] = Counter()
        self.settled: dict[str, bytes] = {}

    def request(self, payload: bytes, label: str) -> bytes:
        """Send a request unless the budget is spent or ``label`` or its task timed out too often."""
        if label in self.settled and _module_level(payload):
            return self.settled[label]
        self.clock.check(label)
        task = self.current_task()
        if self.timeouts[label] >= self.max_timeouts:
            times = self.timeouts[label]
            raise GradingTimeout(f"{label} is not called again: it timed out"
                                 f"{'' if times == 1 else f' {times} times'}")
        if task is not None and self.task_timeouts[task] >= self.max_timeouts:
            calls = self.task_timeouts[task]
            raise GradingTimeout(f"{label} was not called: {'a call' if calls == 1 else f'{calls} calls'}"
                                 f" in {task}'s tests timed out")
        try:
            reply = self.inner.request(payload, label, timeout_s=self.clock.remaining())
        except GradingTimeout:
            self.timeouts[label] += 1
            if task is not None:
                self.task_timeouts[task] += 1
            raise
        if _final_error(reply) and _module_level(payload):
            self.settled[label] = reply
        return reply

    def close(self) -> None:
        """Close the wrapped transport."""
        self.inner.close()


def _module_level(payload: bytes) -> bool:
    """Whether a request (ours, trusted) calls or reads a name of the student's module itself."""
    message = wire.loads(payload)
    return message.get("target") is None and message.get("op") in ("call", "getattr")


def _final_error(reply: bytes) -> bool:
    """Whether ``reply`` is an error the same call would give again (see the module)."""
    if not any(name.encode() in reply for name in _FINAL_ERRORS):
        return False
    try:
        error = wire.loads(reply).get("error")
    except Exception:  # noqa: BLE001 - a reply that does not read is not ours to keep
        return False
    if not isinstance(error, dict) or error.get("type") not in _FINAL_ERRORS:
        return False
    pattern = _FINAL_ERRORS[error["type"]]
    return pattern is None or bool(pattern.fullmatch(str(error.get("message", ""))))
