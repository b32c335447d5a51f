"""The protections a sandboxed worker can have, each named once.

A worker reports which of them it could apply on this machine; the report
lists them, and ``--strict-sandbox`` refuses to grade without the
:data:`REQUIRED` ones. docs/sandbox.md says what each one stops.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum


class Protection(str, Enum):
    """One protection of a worker; the value is how reports name it."""

    PRIVATE_FOLDER = "private working folder, scrubbed environment, silenced output"
    CLEAN_DESCRIPTORS = "clean descriptor table: only the request pipe"
    RESOURCE_LIMITS = "resource limits: CPU time, memory, open files, file size"
    PROCESS_LIMIT = "process limit of the sandbox user"
    CGROUP_PROCESSES = "control group: process count"
    CGROUP_MEMORY = "control group: memory"
    NETWORK_NAMESPACE = "network namespace without interfaces"
    MOUNT_NAMESPACE = "private mount namespace, every mount read-only, /tmp and /run hidden"
    WORK_FOLDER_SIZE = "work folder of a fixed size"
    PRIVATE_SHARED_MEMORY = "private shared memory (/dev/shm) of a fixed size"
    UNPRIVILEGED_USER = "unprivileged user"
    LANDLOCK_FILESYSTEM = "Landlock filesystem rules"
    LANDLOCK_TCP = "Landlock TCP rules"
    LANDLOCK_SCOPE = "Landlock signal and abstract-socket scoping"
    RUNTIME_POLICY = "API policy enforced at the dispatcher"

    def __str__(self) -> str:
        return self.value


REQUIRED: dict[Protection, str] = {
    Protection.LANDLOCK_FILESYSTEM: "Landlock filesystem confinement (Linux 5.13+ with Landlock enabled)",
    Protection.LANDLOCK_TCP: "Landlock network rules (Linux 6.7+)",
    Protection.RESOURCE_LIMITS: "resource limits",
    Protection.UNPRIVILEGED_USER: "dropping privileges (run as root to enable)",
}
"""What ``--strict-sandbox`` requires, with what a person should know when one is missing."""


def missing(active: Iterable[Protection | str]) -> list[str]:
    """The required protections absent from ``active``, described for a person."""
    present = {Protection(item) for item in active}
    return [description for protection, description in REQUIRED.items() if protection not in present]
