"""A control group per worker: caps its processes and memory, and kills them all at the end.

Used when the grader runs as root and the kernel exposes the pids and memory
controllers (cgroup v1 or v2). A fork bomb then stops at ``pids.max``, a
memory bomb at the memory limit, and ``kill_all`` reaches every process the
submission started, however it detached itself.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from autograder.sandbox.protections import Protection

CGROUP_ROOT = Path("/sys/fs/cgroup")


_PROTECTION_OF = {"pids": Protection.CGROUP_PROCESSES, "memory": Protection.CGROUP_MEMORY}


class WorkerCgroup:
    """One worker's control groups (pids and memory)."""

    def __init__(self, name: str, max_processes: int, memory_bytes: int):
        self.folders: list[Path] = []
        self.active: list[str] = []
        unified = (CGROUP_ROOT / "cgroup.controllers").exists()
        layout = {"pids": CGROUP_ROOT, "memory": CGROUP_ROOT} if unified else {
            "pids": CGROUP_ROOT / "pids", "memory": CGROUP_ROOT / "memory"}
        limits = {
            "pids": ("pids.max", str(max_processes)),
            "memory": ("memory.max" if unified else "memory.limit_in_bytes", str(memory_bytes)),
        }
        for controller, parent in layout.items():
            folder = parent / name
            try:
                folder.mkdir(exist_ok=True)
                (folder / limits[controller][0]).write_text(limits[controller][1])
            except OSError:
                continue
            if folder not in self.folders:
                self.folders.append(folder)
            self.active.append(_PROTECTION_OF[controller])

    def add(self, pid: int) -> None:
        """Move a process (before it runs student code) into the groups."""
        for folder in self.folders:
            (folder / "cgroup.procs").write_text(str(pid))

    def pids(self) -> set[int]:
        """Every process currently in the groups."""
        found: set[int] = set()
        for folder in self.folders:
            try:
                found |= {int(line) for line in (folder / "cgroup.procs").read_text().split()}
            except OSError:
                continue
        return found

    def kill_all(self, patience_s: float = 5.0) -> None:
        """SIGKILL every process in the groups until none is left, then remove the groups."""
        deadline = time.monotonic() + patience_s
        while (remaining := self.pids()) and time.monotonic() < deadline:
            for pid in remaining:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.01)
        for folder in self.folders:
            try:
                folder.rmdir()
            except OSError:
                pass
