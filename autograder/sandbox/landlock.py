"""Landlock, through its three system calls: confine the filesystem and TCP.

Landlock lets an unprivileged process give up access rights for itself and
its future children: after ``restrict``, only the listed folders are readable
(or writable), TCP bind and connect are refused, and (from ABI 6) signals and
abstract Unix sockets cannot reach processes outside the sandbox. It is a
Linux feature (5.13+); elsewhere ``restrict`` reports it as unavailable.
"""

from __future__ import annotations

import ctypes
import os
import platform
from pathlib import Path

from autograder.sandbox.protections import Protection

_SYSCALLS = {"x86_64": (444, 445, 446), "aarch64": (444, 445, 446)}
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38

_READ_FILE, _READ_DIR, _EXECUTE = 1 << 2, 1 << 3, 1 << 0
_FILE_ONLY_RIGHTS_V1 = (1 << 0) | (1 << 1) | (1 << 2)  # execute, write, read
_ALL_FS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 5: (1 << 16) - 1}
_TRUNCATE, _IOCTL_DEV = 1 << 14, 1 << 15
_NET_BIND_TCP, _NET_CONNECT_TCP = 1 << 0, 1 << 1
_SCOPE_ABSTRACT_UNIX, _SCOPE_SIGNAL = 1 << 0, 1 << 1


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def abi_version() -> int:
    """The kernel's Landlock ABI version; 0 when Landlock is unavailable."""
    numbers = _SYSCALLS.get(platform.machine())
    if platform.system() != "Linux" or numbers is None:
        return 0
    version = _libc().syscall(numbers[0], None, ctypes.c_size_t(0), _CREATE_RULESET_VERSION)
    return max(int(version), 0)


def _fs_rights(abi: int) -> int:
    return _ALL_FS_BY_ABI[max(key for key in _ALL_FS_BY_ABI if key <= abi)]


def _file_rights(abi: int) -> int:
    rights = _FILE_ONLY_RIGHTS_V1
    if abi >= 3:
        rights |= _TRUNCATE
    if abi >= 5:
        rights |= _IOCTL_DEV
    return rights


def restrict(read_only: list[Path], read_write: list[Path]) -> list[str]:
    """Confine this process to the given folders, without TCP; return what was applied.

    Paths that do not exist are skipped. Raises OSError if the kernel refuses.
    """
    abi = abi_version()
    if abi < 1:
        return []
    libc = _libc()
    create, add_rule, restrict_self = _SYSCALLS[platform.machine()]
    handled_fs = _fs_rights(abi)
    attr = _RulesetAttr(handled_fs, (_NET_BIND_TCP | _NET_CONNECT_TCP) if abi >= 4 else 0,
                        (_SCOPE_ABSTRACT_UNIX | _SCOPE_SIGNAL) if abi >= 6 else 0)
    size = ctypes.sizeof(_RulesetAttr) if abi >= 6 else (16 if abi >= 4 else 8)
    ruleset = libc.syscall(create, ctypes.byref(attr), ctypes.c_size_t(size), 0)
    if ruleset < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset failed")
    try:
        read_rights = _READ_FILE | _READ_DIR | _EXECUTE
        for rights, paths in ((read_rights, read_only), (handled_fs, read_write)):
            for path in paths:
                _allow(libc, add_rule, ruleset, Path(path), rights, abi)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
        if libc.syscall(restrict_self, ruleset, 0) != 0:
            raise OSError(ctypes.get_errno(), "landlock_restrict_self failed")
    finally:
        os.close(ruleset)
    applied = [Protection.LANDLOCK_FILESYSTEM]
    if abi >= 4:
        applied.append(Protection.LANDLOCK_TCP)
    if abi >= 6:
        applied.append(Protection.LANDLOCK_SCOPE)
    return applied


def _allow(libc, add_rule: int, ruleset: int, path: Path, rights: int, abi: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return
    try:
        if not path.is_dir():
            rights &= _file_rights(abi)
        rule = _PathBeneathAttr(rights, fd)
        if libc.syscall(add_rule, ruleset, _RULE_PATH_BENEATH, ctypes.byref(rule), 0) != 0:
            raise OSError(ctypes.get_errno(), f"landlock_add_rule failed for {path}")
    finally:
        os.close(fd)
