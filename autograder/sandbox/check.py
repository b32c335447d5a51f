"""Which protections this machine offers, for ``--strict-sandbox`` and the report."""

from __future__ import annotations

from collections.abc import Iterable

from autograder.errors import CourseError
from autograder.sandbox.mounts import worker_readable_folder
from autograder.sandbox.protections import Protection, missing
from autograder.sandbox.settings import SandboxSettings
from autograder.sandbox.transport import SandboxTransport
from autograder.student.proxy import StudentError


def available_protections() -> list[Protection]:
    """Start a worker on an empty module and return the protections it could apply."""
    with worker_readable_folder("sandbox-check-") as folder:
        empty = folder / "empty.py"
        empty.write_text("")
        transport = SandboxTransport(empty, SandboxSettings())
        try:
            return transport.protections
        finally:
            transport.close()


def missing_protections(active: Iterable[Protection | str]) -> list[str]:
    """The required protections absent from ``active``, described for a person."""
    return missing(active)


def require_full_sandbox() -> None:
    """Raise CourseError naming what is missing, unless every required protection is active."""
    try:
        missing = missing_protections(available_protections())
    except StudentError as error:  # the worker refused to start, saying why
        raise CourseError(f"--strict-sandbox: {error}") from None
    if missing:
        raise CourseError(f"--strict-sandbox: not available here: {'; '.join(missing)}")
