"""Confine the current process before it imports any student code.

Run first thing in a freshly forked worker. Each step is best effort and
reports what it achieved, so the grade report can list the protections that
were really active and ``--strict-sandbox`` can refuse to grade without one.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import site
import sys
import sysconfig
from pathlib import Path

import torch

from autograder.sandbox import landlock
from autograder.sandbox.mounts import isolate_mounts
from autograder.sandbox.settings import SandboxSettings

SANDBOX_UID_BASE = 200_000
_CLONE_NEWNET = 0x40000000
_PR_SET_SECUREBITS, _PR_CAPBSET_DROP = 28, 24
_SYS_CAPSET = 126  # x86_64
_CAPABILITY_VERSION_3 = 0x20080522
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
        "MPLBACKEND": "Agg", "MPLCONFIGDIR": str(work), "OMP_NUM_THREADS": str(threads),
    })


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
    applied = [f"limits: {settings.cpu_s} CPU s, +{settings.memory_mb} MB memory, "
               f"{settings.open_files} files, {settings.file_size_mb} MB per file"]
    return applied


def _mapped_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _cut_network() -> list[str]:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(_CLONE_NEWNET) == 0:
        return ["network namespace without interfaces"]
    return []


def _readable_by_others(path: Path) -> bool:
    """Whether every folder above ``path`` lets other users through (o+x)."""
    return all(folder.stat().st_mode & 0o001 for folder in [path, *path.parents])


def _drop_capabilities() -> None:
    """Give up every capability for good, while keeping uid 0 for file access."""
    libc = ctypes.CDLL(None, use_errno=True)
    locked_noroot = 0x1 | 0x2 | 0x4 | 0x8  # SECBIT_NOROOT(_LOCKED), SECBIT_NO_SETUID_FIXUP(_LOCKED)
    if libc.prctl(_PR_SET_SECUREBITS, locked_noroot, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECUREBITS) failed")
    for capability in range(64):
        libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0)
    header = (ctypes.c_uint32 * 2)(_CAPABILITY_VERSION_3, 0)
    nothing = (ctypes.c_uint32 * 6)()
    if libc.syscall(_SYS_CAPSET, ctypes.byref(header), ctypes.byref(nothing)) != 0:
        raise OSError(ctypes.get_errno(), "capset failed")


def _drop_privileges(uid: int, work: Path, processes: int) -> list[str]:
    """Become an unprivileged user, or, if Python lives where only root can read, drop capabilities."""
    installations = {Path(sys.prefix), Path(sys.base_prefix)}
    if all(_readable_by_others(path) for path in installations):
        os.chown(work, uid, uid)
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
        resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))
        return [f"privileges dropped to uid {uid}", f"limits: {processes} processes"]
    _drop_capabilities()
    return ["all capabilities dropped (uid 0 kept: Python is installed where only root can read)"]


def readable_paths(settings: SandboxSettings, submission: Path) -> list[Path]:
    """What the worker may read: Python, its libraries, the system, the submission."""
    prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, sysconfig.get_paths()["stdlib"],
                sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"],
                *site.getsitepackages()}
    system = ["/usr", "/lib", "/lib64", "/etc", "/dev/null", "/dev/urandom", "/dev/zero",
              "/proc/cpuinfo", "/sys/devices/system/cpu"]
    return [Path(p) for p in sorted(prefixes) + system] + [
        _AUTOGRADER_PACKAGE, submission, *settings.readable]


def confine(settings: SandboxSettings, work: Path, submission: Path) -> list[str]:
    """Apply every protection to this process; return the ones now active."""
    os.setsid()
    _silence_standard_streams()
    _scrub_environment(work, settings.torch_threads)
    torch.set_num_threads(settings.torch_threads)
    as_root = os.geteuid() == 0
    active = ["private working folder, scrubbed environment"]
    active += _set_limits(settings)
    if as_root:
        active += _cut_network()
        try:
            active += isolate_mounts(work, settings.disk_mb, readable_paths(settings, submission))
        except OSError:
            pass
        active += _drop_privileges(sandbox_uid(os.getpid()), work, settings.processes)
    try:
        active += landlock.restrict(readable_paths(settings, submission), [work])
    except OSError:
        pass
    os.chdir(work)
    return active
