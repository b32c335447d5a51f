"""The in-process transport: the executor runs in the grader's own process.

Used by tests of the engine, by ``--no-sandbox`` and as the baseline of the
sandbox benchmark. Requests still go through the same bytes as the sandbox, so
a test behaves the same way on both (in-place changes never leak back, say).
"""

from __future__ import annotations

from pathlib import Path

from autograder.student.executor import Executor


class InProcessTransport:
    """Hands encoded requests straight to an executor in this process."""

    def __init__(self, module_path: Path):
        self.executor = Executor(module_path)

    def request(self, payload: bytes, label: str, timeout_s: float | None = None) -> bytes:
        """Answer a request in this process (the test's own time limit applies, not ``timeout_s``)."""
        return self.executor.handle(payload)

    def close(self) -> None:
        """Nothing to release in-process."""
