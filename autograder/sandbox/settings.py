"""What a sandboxed worker may use, from course.yml's ``sandbox`` section."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class SandboxSettings:
    """Limits and paths of one worker."""

    call_timeout_s: float = 60.0
    """Wall time of one call into the student's code."""
    cpu_s: int = 600
    """CPU seconds for the worker's whole life (RLIMIT_CPU)."""
    memory_mb: int = 4096
    """Address space the worker may add beyond what torch already maps (RLIMIT_AS)."""
    processes: int = 256
    """Processes and threads of the sandbox user (RLIMIT_NPROC; when run as root)."""
    open_files: int = 256
    """Open file descriptors (RLIMIT_NOFILE)."""
    file_size_mb: int = 64
    """Largest file the worker may write (RLIMIT_FSIZE)."""
    torch_threads: int = 1
    """torch.set_num_threads in the worker: one per worker, so a class scales with cores."""
    disk_mb: int = 256
    """Size of the worker's work folder (a tmpfs, when run as root)."""
    reply_mb: int = 256
    """Largest reply the grader accepts (its archive's records, uncompressed)."""
    source_kb: int = 512
    """Largest submission source the worker imports."""
    readable: tuple[Path, ...] = field(default_factory=tuple)
    """Extra folders the worker may read (the offline data sets)."""
    forbidden: tuple[tuple[str, str], ...] = ()
    """The assignment's API policy as (dotted name, reason) pairs, enforced at run time."""


def settings_for(course, assignment, data_root: Path) -> SandboxSettings:
    """The worker settings of an assignment: course.yml's limits, its time limit and policy."""
    limits = course.sandbox
    return SandboxSettings(
        call_timeout_s=course.time_limit_for(assignment),
        cpu_s=limits.cpu_s,
        memory_mb=limits.memory_mb,
        processes=limits.processes,
        open_files=limits.open_files,
        file_size_mb=limits.file_size_mb,
        torch_threads=limits.torch_threads,
        reply_mb=limits.reply_mb,
        disk_mb=limits.disk_mb,
        source_kb=limits.source_kb,
        readable=(Path(data_root),),
        forbidden=tuple((rule.name, rule.reason) for rule in assignment.api_policy.forbidden),
    )
