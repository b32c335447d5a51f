"""What the attack batch observes before and after grading: the checkout, processes, sockets, the grader.

Each function reads one kind of state; the batch compares what it read before
the corpus was graded with what it reads after.
"""

from __future__ import annotations

import ctypes
import hashlib
import multiprocessing.forkserver
import multiprocessing.resource_tracker
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from tests.course_under_test import LAYOUT

PROJECT_ROOT = LAYOUT.root
ATTACKS = LAYOUT.attacks
# Shared with the attack files (see attacks.yml).
CANARY = Path("/tmp/autograder-attack-canary.txt")
OUT = Path("/tmp/autograder-attacks-out")
PORT = 47613
ABSTRACT_SOCKET = "\0autograder-attacks-47613"
PATH_SOCKET = Path("/tmp/autograder-attacks-47613.sock")
MARK = "FORGED-BY-ATTACK"
PROCESS_PREFIX = "atk-"

_PR_SET_CHILD_SUBREAPER = 36
CANARY_MTIME_NS = 1_700_000_000 * 10**9
IGNORED_FOLDERS = {".git", "__pycache__", ".hypothesis", ".pytest_cache", ".ruff_cache"}



def checkout_files() -> dict[str, tuple]:
    """(size, mtime, mode, xattrs) of every file in the checkout, caches aside."""
    files = {}
    for folder, subfolders, names in os.walk(PROJECT_ROOT):
        subfolders[:] = [name for name in subfolders if name not in IGNORED_FOLDERS]
        for name in names:
            path = os.path.join(folder, name)
            try:
                status = os.lstat(path)
                xattrs = tuple(sorted(os.listxattr(path, follow_symlinks=False)))
            except OSError:
                continue
            files[os.path.relpath(path, PROJECT_ROOT)] = (status.st_size, status.st_mtime_ns,
                                                          status.st_mode, xattrs)
    return files


def git_files() -> dict[str, str] | None:
    """sha256 of every tracked and untracked (not ignored) file; a commit made meanwhile changes nothing."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                                cwd=PROJECT_ROOT, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    hashes = {}
    for name in sorted(set(listed.decode().split("\0")) - {""}):
        try:
            hashes[name] = hashlib.sha256((PROJECT_ROOT / name).read_bytes()).hexdigest()
        except OSError as error:
            hashes[name] = f"unreadable: {error.strerror}"
    return hashes


def canary_state() -> tuple:
    try:
        status = os.stat(CANARY)
        return oct(status.st_mode), status.st_mtime_ns, tuple(os.listxattr(CANARY)), CANARY.read_text()
    except OSError as error:
        return (f"unreadable: {error}",)


def processes() -> dict[int, dict]:
    """pid -> comm, ppid, start time (clock ticks) and executable of every process."""
    found = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        if fields[0] == "Z":  # dead, waiting to be reaped: not a survivor
            _reap(int(entry.name))
            continue
        try:
            exe = os.readlink(os.path.join(entry.path, "exe"))
        except OSError:
            exe = ""
        found[int(entry.name)] = {"comm": comm, "ppid": int(fields[1]), "start": int(fields[19]),
                                  "exe": exe}
    return found


def become_subreaper() -> None:
    """Orphans among this process's descendants are re-parented here, not to init: still ours."""
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _helpers_of_this_process() -> set[int]:
    """The forkserver and resource tracker: started by grading, meant to outlive it."""
    helpers = {getattr(multiprocessing.forkserver._forkserver, "_forkserver_pid", None),
               getattr(multiprocessing.resource_tracker._resource_tracker, "_pid", None)}
    return {pid for pid in helpers if pid}


def _reap(pid: int) -> None:
    """Collect a dead child (orphans are re-parented to this process while it is a subreaper)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def survivors(before: dict[int, dict], after: dict[int, dict]) -> list[str]:
    """Processes started during the batch below this process and still alive (helpers aside)."""
    me, helpers = os.getpid(), _helpers_of_this_process()

    def descends_from_me(pid: int) -> bool:
        seen = set()
        while pid in after and pid not in seen:
            seen.add(pid)
            pid = after[pid]["ppid"]
            if pid == me:
                return True
        return False

    return [f"{pid} {info['comm']} (parent {info['ppid']}, {info['exe']})"
            for pid, info in after.items()
            if pid not in helpers and not (pid in before and before[pid]["start"] == info["start"])
            and (descends_from_me(pid) or info["comm"].startswith(PROCESS_PREFIX))]


def forged_files() -> list[Path]:
    """Files an attack may have planted: FORGED_* names, or the marker in a small file, where attacks aim."""
    folders = [PROJECT_ROOT, PROJECT_ROOT.parent, Path(tempfile.gettempdir()), Path("/tmp"), OUT,
               Path("/autograder/results"), Path.home()]
    folders += [PROJECT_ROOT / "tests" / "hidden" / assignment for assignment in ("01", "02")]
    folders += [PROJECT_ROOT / "solutions" / assignment for assignment in ("01", "02")]
    folders += [PROJECT_ROOT / "autograder", ATTACKS, ATTACKS.parent]
    found = []
    for folder in dict.fromkeys(folders):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if not entry.is_file(follow_symlinks=False):
                continue
            if entry.name.startswith("FORGED") or entry.name in ("results.json", "forge_results.json",
                                                                 "conftest.py"):
                try:
                    with open(entry.path, errors="replace") as candidate:
                        planted = entry.name.startswith("FORGED") or MARK in candidate.read(4096)
                except OSError:
                    continue
                if planted:
                    found.append(Path(entry.path))
    return found


class Listeners:
    """TCP and UDP on 127.0.0.1:PORT and two Unix sockets, recording whatever reaches them."""

    def __init__(self):
        self.reached: list[str] = []
        self.unavailable: list[str] = []
        self._stop = threading.Event()
        self._threads = []
        PATH_SOCKET.unlink(missing_ok=True)
        specs = [("tcp", socket.AF_INET, socket.SOCK_STREAM, ("127.0.0.1", PORT)),
                 ("udp", socket.AF_INET, socket.SOCK_DGRAM, ("127.0.0.1", PORT)),
                 ("abstract unix", socket.AF_UNIX, socket.SOCK_STREAM, ABSTRACT_SOCKET),
                 ("pathname unix", socket.AF_UNIX, socket.SOCK_STREAM, str(PATH_SOCKET))]
        for name, family, kind, address in specs:
            listener = socket.socket(family, kind)
            try:
                listener.bind(address)
                if kind == socket.SOCK_STREAM:
                    listener.listen()
            except OSError:
                self.unavailable.append(name)
                listener.close()
                continue
            listener.settimeout(0.1)
            thread = threading.Thread(target=self._serve, args=(name, listener), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, name: str, listener: socket.socket) -> None:
        with listener:
            while not self._stop.is_set():
                try:
                    if listener.type == socket.SOCK_DGRAM:
                        data, _ = listener.recvfrom(256)
                    else:
                        connection, _ = listener.accept()
                        with connection:
                            connection.settimeout(0.5)
                            try:
                                data = connection.recv(256)
                            except OSError:
                                data = b""
                    self.reached.append(f"{name}: {data[:40]!r}")
                except OSError:
                    continue

    def close(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()
        PATH_SOCKET.unlink(missing_ok=True)


def _student_modules() -> set[str]:
    """Modules imported from a file by the autograder (its ``_submission_`` names), the references aside."""
    solutions = PROJECT_ROOT / "solutions"
    return {f"{name} ({module.__file__})" for name, module in list(sys.modules.items())
            if name.startswith("_submission_") and module is not None
            and solutions not in Path(getattr(module, "__file__", None) or "/").resolve().parents}


def grader_state() -> dict:
    handlers = {}
    for number in signal.valid_signals():
        try:
            handlers[int(number)] = repr(signal.getsignal(number))
        except (OSError, ValueError):
            continue
    return {
        "forkserver": multiprocessing.forkserver._forkserver._forkserver_pid,
        "resource tracker": multiprocessing.resource_tracker._resource_tracker._pid,
        "pid": os.getpid(),
        "cwd": os.getcwd(),
        "environ": dict(os.environ),
        "handlers": handlers,
        "timer": signal.getitimer(signal.ITIMER_REAL),
        "student_modules": _student_modules(),
    }
