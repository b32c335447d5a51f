"""A private mount namespace: the filesystem read-only, sockets hidden, a bounded work folder.

Run as root in a fresh worker, before privileges are dropped. In the
worker's own copy of the mount table (the host's is never touched):

- every mount becomes read-only, so chmod, chown, utime and xattr changes
  fail even on files a uid-0 worker owns (Landlock does not cover those);
- empty read-only tmpfs hide ``/tmp``, ``/run`` and the forkserver's socket
  folder, so no Unix socket there (the forkserver, system daemons) can be
  reached; Landlock does not cover connecting to pathname sockets;
- a folder only root may enter (``/root``, when Python or the virtual
  environment lives there) is covered the same way, and only what the worker
  must read below it (Python, the environment) is brought back, so the worker
  can run as an unprivileged user and sees nothing else of that folder;
- the work folder becomes a tmpfs of a fixed size, so the disk cannot be filled.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing.forkserver
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from autograder.sandbox.protections import Protection

_CLONE_NEWNS = 0x00020000
_MS_RDONLY, _MS_NOSUID, _MS_NODEV, _MS_NOEXEC, _MS_REMOUNT, _MS_BIND = 0x1, 0x2, 0x4, 0x8, 0x20, 0x1000
_MS_REC, _MS_PRIVATE = 0x4000, 0x40000
_SYS_MOUNT_SETATTR = 442  # x86_64 and aarch64
_AT_FDCWD, _AT_RECURSIVE = -100, 0x8000
_MOUNT_ATTR_RDONLY = 0x1
HIDDEN = ("/tmp", "/run", "/var/run", "/dev/shm")
SHARED_MEMORY = Path("/dev/shm")
"""Covered by a private, writable tmpfs of a fixed size: DataLoader worker processes need it."""
SANDBOX_BASE = Path("/var/tmp/autograder-sandbox")


def sandbox_base() -> Path | None:
    """Where grading folders go: outside the folders a root-run worker cannot see.

    None (the system's temp folder) when not root, where no mounts are changed.
    """
    if os.geteuid() != 0:
        return None
    SANDBOX_BASE.mkdir(mode=0o755, parents=True, exist_ok=True)
    resolved = SANDBOX_BASE.resolve()
    if any(resolved == Path(p) or Path(p) in resolved.parents for p in HIDDEN):
        return None
    return SANDBOX_BASE


@contextlib.contextmanager
def worker_readable_folder(prefix: str) -> Iterator[Path]:
    """A fresh private folder a worker can read (under :func:`sandbox_base`), removed afterwards.

    A sandboxed worker reads its submission in place, as an unprivileged user:
    the submission's folder must lie where that user may look.
    """
    with tempfile.TemporaryDirectory(prefix=prefix, dir=sandbox_base()) as folder:
        Path(folder).chmod(0o755)
        yield Path(folder)


class _MountAttr(ctypes.Structure):
    _fields_ = [("attr_set", ctypes.c_uint64), ("attr_clr", ctypes.c_uint64),
                ("propagation", ctypes.c_uint64), ("userns_fd", ctypes.c_uint64)]


def _check(result: int, what: str, libc) -> None:
    if result != 0:
        raise OSError(ctypes.get_errno(), f"{what} failed")


def _forkserver_socket_folder() -> Path | None:
    address = getattr(multiprocessing.forkserver._forkserver, "_forkserver_address", None)
    multiprocessing.forkserver._forkserver._forkserver_address = None
    return Path(address).parent if isinstance(address, str) and address.startswith("/") else None


def private_folders(paths: list[Path]) -> list[Path]:
    """The highest folders above ``paths`` that other users cannot pass through (``/root``)."""
    found = []
    for path in paths:
        for folder in reversed(Path(path).parents):
            try:
                passable = folder.stat().st_mode & 0o001
            except OSError:
                break
            if not passable:
                found.append(folder)
                break
    return sorted(set(found))


def _outermost(paths: list[Path]) -> list[Path]:
    """``paths`` without those that lie inside another of them."""
    unique = sorted(set(paths))
    return [path for path in unique if not any(other in path.parents for other in unique)]


def _hide(libc, folder: Path, keep: list[Path]) -> None:
    """Cover ``folder`` with an empty read-only tmpfs, bringing back the ``keep`` paths below it."""
    kept = [(path, path.is_dir(), os.open(path, os.O_PATH | os.O_CLOEXEC)) for path in _outermost(keep)
            if folder in path.parents and path.exists()]
    try:
        _check(libc.mount(b"tmpfs", str(folder).encode(), b"tmpfs", _MS_NOSUID | _MS_NODEV,
                          b"size=64k,mode=0555"), f"hiding {folder}", libc)
        for path, is_dir, fd in kept:
            if is_dir:
                path.mkdir(parents=True, exist_ok=True)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.touch()
            source = f"/proc/self/fd/{fd}".encode()
            _check(libc.mount(source, str(path).encode(), None, _MS_BIND | _MS_REC, None),
                   f"showing {path}", libc)
            _check(libc.mount(None, str(path).encode(), None,
                              _MS_REMOUNT | _MS_BIND | _MS_RDONLY, None), f"protecting {path}", libc)
        _check(libc.mount(None, str(folder).encode(), None, _MS_REMOUNT | _MS_RDONLY, None),
               f"protecting {folder}", libc)
    finally:
        for _, _, fd in kept:
            os.close(fd)


def isolate_mounts(work: Path, work_mb: int, keep: list[Path]) -> list[str]:
    """Enter a private mount namespace and apply the layout above; return what was applied.

    ``keep`` lists what the worker must still read below a hidden folder (the
    autograder package or Python itself, when they live in /tmp): each is
    brought back read-only, and nothing else of that folder.

    Raises:
        OSError: the namespace could not be created (then nothing was changed).
    """
    libc = ctypes.CDLL(None, use_errno=True)
    _check(libc.unshare(_CLONE_NEWNS), "unshare(CLONE_NEWNS)", libc)
    _check(libc.mount(None, b"/", None, _MS_REC | _MS_PRIVATE, None), "making mounts private", libc)
    attr = _MountAttr(_MOUNT_ATTR_RDONLY, 0, 0, 0)
    _check(libc.syscall(_SYS_MOUNT_SETATTR, _AT_FDCWD, b"/", _AT_RECURSIVE, ctypes.byref(attr),
                        ctypes.sizeof(attr)), "mount_setattr(read-only)", libc)
    applied = [Protection.MOUNT_NAMESPACE]
    kept = [Path(path).resolve() for path in keep]
    hidden = [Path(p) for p in HIDDEN] + private_folders(kept)
    socket_folder = _forkserver_socket_folder()
    if socket_folder is not None:
        hidden.append(socket_folder)
    shown = []
    for folder in hidden:
        if folder.is_dir() and not folder.is_symlink() and folder not in work.parents:
            _hide(libc, folder, kept)
            shown.append(str(folder))
    options = f"size={work_mb}m,mode=0755".encode()
    _check(libc.mount(b"tmpfs", str(work).encode(), b"tmpfs", _MS_NOSUID | _MS_NODEV, options),
           "mounting the work folder", libc)
    os.chdir(work)
    applied.append(Protection.WORK_FOLDER_SIZE)
    if SHARED_MEMORY.is_dir():
        shared = f"size={work_mb}m,mode=1777".encode()
        _check(libc.mount(b"tmpfs", bytes(SHARED_MEMORY), b"tmpfs", _MS_NOSUID | _MS_NODEV | _MS_NOEXEC,
                          shared), "mounting private shared memory", libc)
        applied.append(Protection.PRIVATE_SHARED_MEMORY)
    return applied
