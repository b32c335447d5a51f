"""Confine the current process before it imports any student code.

Run first thing in a freshly forked worker. Each step is best effort and
reports what it achieved, so the grade report can list the protections that
were really active and ``--strict-sandbox`` can refuse to grade without one.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import resource
import signal
import site
import sys
import sysconfig
import tempfile
from pathlib import Path

import torch

from autograder.sandbox import landlock
from autograder.sandbox.mounts import SHARED_MEMORY, isolate_mounts
from autograder.sandbox.protections import Protection
from autograder.sandbox.settings import SandboxSettings

SANDBOX_UID_BASE = 200_000
_CLONE_NEWNET = 0x40000000
_AUTOGRADER_PACKAGE = Path(__file__).resolve().parent.parent


def sandbox_uid(worker_pid: int) -> int:
    """The unprivileged uid a worker runs as: unique while the worker lives."""
    return SANDBOX_UID_BASE + worker_pid


def _silence_standard_streams() -> None:
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)


def _scrub_environment(work: Path, threads: int) -> None:
    os.environ.clear()
    os.environ.update({
        "PATH": "/usr/bin:/bin", "HOME": str(work), "TMPDIR": str(work), "LANG": "C.UTF-8",
        "USER": "student", "LOGNAME": "student", "MPLBACKEND": "Agg", "MPLCONFIGDIR": str(work),
        "OMP_NUM_THREADS": str(threads),
    })
    # Temporary folders chosen before the fork (tempfile's, multiprocessing's for its sockets)
    # lie outside the sandbox: new ones go in the work folder.
    tempfile.tempdir = str(work)
    multiprocessing.current_process()._config.pop("tempdir", None)
    # Processes the submission starts (DataLoader workers) are plain forks of this worker:
    # the forkserver it came from is out of its reach.
    multiprocessing.set_start_method("fork", force=True)


def _set_limits(settings: SandboxSettings) -> list[str]:
    mapped = _mapped_bytes()
    limits = {
        resource.RLIMIT_CPU: settings.cpu_s,
        resource.RLIMIT_AS: mapped + settings.memory_mb * 2**20,
        resource.RLIMIT_NOFILE: settings.open_files,
        resource.RLIMIT_FSIZE: settings.file_size_mb * 2**20,
        resource.RLIMIT_CORE: 0,
    }
    for kind, value in limits.items():
        resource.setrlimit(kind, (value, value))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an oversized write fails instead of killing
    return [Protection.RESOURCE_LIMITS]


def _mapped_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _cut_network() -> list[Protection]:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(_CLONE_NEWNET) == 0:
        return [Protection.NETWORK_NAMESPACE]
    return []


class ConfinementError(Exception):
    """The worker cannot be confined as it must be; the message says why, in one line."""


def _unreadable_to_others(paths: list[Path]) -> list[Path]:
    """The paths another user could not read: a folder above them, or they, lack the rights."""
    found = []
    for path in paths:
        try:
            if not path.exists():
                continue
            blocked = any(not folder.stat().st_mode & 0o001 for folder in path.parents)
            needed = 0o005 if path.is_dir() else 0o004
            if blocked or path.stat().st_mode & needed != needed:
                found.append(path)
        except OSError:
            found.append(path)
    return found


def _drop_privileges(uid: int, work: Path, processes: int, readable: list[Path]) -> list[Protection]:
    """Become a unique unprivileged user, once every path the worker needs is readable to it.

    Raises:
        ConfinementError: a needed path is readable by root only (no private mount showed it).
    """
    unreadable = _unreadable_to_others(readable)
    if unreadable:
        raise ConfinementError(
            f"the sandbox cannot run student code as an unprivileged user: {unreadable[0]} is "
            "readable by root only (grade as root on Linux 5.12+, whose private mounts show it, "
            "or install Python and its packages where every user can read them)")
    os.chown(work, uid, uid)
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))
    return [Protection.UNPRIVILEGED_USER, Protection.PROCESS_LIMIT]


SYSTEM_READABLE = ("/usr", "/lib", "/lib64", "/etc/ld.so.cache", "/etc/ld.so.conf",
                   "/etc/ld.so.conf.d", "/etc/localtime", "/dev/null", "/dev/urandom", "/dev/zero",
                   "/proc/cpuinfo", "/sys/devices/system/cpu")
"""What the worker reads of the system: libraries, the loader's cache, the time zone, CPU facts."""


def readable_paths(settings: SandboxSettings, submission: Path) -> list[Path]:
    """What the worker may read: Python, its libraries, a few system files, the submission."""
    prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, sysconfig.get_paths()["stdlib"],
                sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"],
                *site.getsitepackages()}
    return [Path(p) for p in sorted(prefixes) + list(SYSTEM_READABLE)] + [
        _AUTOGRADER_PACKAGE, submission, *settings.readable]


def confine(settings: SandboxSettings, work: Path, submission: Path) -> list[Protection]:
    """Apply every protection to this process; return the ones now active.

    Raises:
        ConfinementError: as root, the worker cannot drop to an unprivileged user.
    """
    os.setsid()
    _silence_standard_streams()
    _scrub_environment(work, settings.torch_threads)
    torch.set_num_threads(settings.torch_threads)
    as_root = os.geteuid() == 0
    active = [Protection.PRIVATE_FOLDER]
    active += _set_limits(settings)
    if as_root:
        active += _cut_network()
        try:
            active += isolate_mounts(work, settings.disk_mb, readable_paths(settings, submission))
        except OSError:
            pass
        active += _drop_privileges(sandbox_uid(os.getpid()), work, settings.processes,
                                   readable_paths(settings, submission))
    # The private /dev/shm (root only) holds what DataLoader worker processes share.
    writable = [work, SHARED_MEMORY] if Protection.PRIVATE_SHARED_MEMORY in active else [work]
    try:
        active += landlock.restrict(readable_paths(settings, submission), writable)
    except OSError:
        pass
    os.chdir(work)
    return active
