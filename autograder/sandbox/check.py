"""Which protections this machine offers, for ``--strict-sandbox`` and the report."""

from __future__ import annotations

from autograder.errors import CourseError
from autograder.sandbox.mounts import worker_readable_folder
from autograder.sandbox.settings import SandboxSettings
from autograder.sandbox.transport import SandboxTransport
from autograder.student.proxy import StudentError

REQUIRED = {
    "landlock filesystem": "Landlock filesystem confinement (Linux 5.13+ with Landlock enabled)",
    "landlock TCP": "Landlock network rules (Linux 6.7+)",
    "limits:": "resource limits",
    "privileges dropped": "dropping privileges (run as root to enable)",
}


def available_protections() -> list[str]:
    """Start a worker on an empty module and return the protections it could apply."""
    with worker_readable_folder("sandbox-check-") as folder:
        empty = folder / "empty.py"
        empty.write_text("")
        transport = SandboxTransport(empty, SandboxSettings())
        try:
            return transport.protections
        finally:
            transport.close()


def missing_protections(active: list[str]) -> list[str]:
    """The required protections absent from ``active``, described for a person."""
    text = "\n".join(active)
    return [description for keys, description in REQUIRED.items()
            if not any(key in text for key in keys.split("|"))]


def require_full_sandbox() -> None:
    """Raise CourseError naming what is missing, unless every required protection is active."""
    try:
        missing = missing_protections(available_protections())
    except StudentError as error:  # the worker refused to start, saying why
        raise CourseError(f"--strict-sandbox: {error}") from None
    if missing:
        raise CourseError(f"--strict-sandbox: not available here: {'; '.join(missing)}")
