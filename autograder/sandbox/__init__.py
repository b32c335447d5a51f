"""The sandbox: student code runs in confined worker processes, never in the grader."""

from autograder.sandbox.settings import SandboxSettings, settings_for
from autograder.sandbox.transport import SandboxTransport, WorkerDied

__all__ = ["SandboxSettings", "SandboxTransport", "WorkerDied", "settings_for"]
