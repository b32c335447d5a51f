"""The forkserver that starts sandbox workers: which modules it preloads, and starting it early.

Kept apart from the transport, and free of torch, so that a command can start
the forkserver before it imports torch itself: the server's imports (torch,
the autograder, what the assignment's reference imports) then overlap the
command's own.
"""

from __future__ import annotations

import ast
import importlib.util
import multiprocessing
import multiprocessing.forkserver
import os
import signal
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

_context = None
_preloaded: set[str] = set()
"""Modules the forkserver imports besides autograder.sandbox.preload (what the graded assignments use)."""


def forkserver_pid() -> int | None:
    """The running forkserver's process id; None before it starts or after it is forgotten."""
    return multiprocessing.forkserver._forkserver._forkserver_pid


def forget_forkserver() -> None:
    """Drop a forkserver that no longer answers (reaping it if it is ours); the next start makes one."""
    server = multiprocessing.forkserver._forkserver
    if server._forkserver_pid is not None:
        try:
            os.kill(server._forkserver_pid, signal.SIGKILL)
            os.waitpid(server._forkserver_pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
    if server._forkserver_alive_fd is not None:
        os.close(server._forkserver_alive_fd)
    server._forkserver_address = server._forkserver_alive_fd = server._forkserver_pid = None


def forkserver_context(modules: Iterable[str] = ()):
    """The multiprocessing context whose server preloads torch, the autograder and ``modules`` once.

    A server running without one of ``modules`` is replaced by one that
    imports everything asked for so far (no worker may be running from it).
    """
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
    missing = set(modules) - _preloaded
    if missing:
        if forkserver_pid() is not None:
            forget_forkserver()
        _preloaded.update(missing)
    _context.set_forkserver_preload(["autograder.sandbox.preload", *sorted(_preloaded)])
    return _context


def warm_up(modules: Iterable[str] = ()) -> None:
    """Start the forkserver now, preloading ``modules`` too: its imports overlap what the caller does next.

    Returns at once: only the first worker (or helper) started waits for the preloading to end.
    """
    forkserver_context(modules)
    with main_module_hidden():
        multiprocessing.forkserver.ensure_running()


def modules_to_preload(source: Path) -> list[str]:
    """The installed, non-standard modules a (reference) source imports at its top level.

    ``from matplotlib.figure import Figure`` gives ``matplotlib.figure`` and,
    for a worker that draws, ``matplotlib.pyplot``; a source that cannot be
    read or parsed gives none.
    """
    try:
        tree = ast.parse(source.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return []
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    if any(name.split(".")[0] == "matplotlib" for name in names):
        names.add("matplotlib.pyplot")
    return sorted(name for name in names if name.split(".")[0] not in sys.stdlib_module_names
                  and name.split(".")[0] not in ("torch", "__future__") and _installed(name))


def _installed(name: str) -> bool:
    try:
        return importlib.util.find_spec(name.split(".")[0]) is not None
    except (ImportError, ValueError):
        return False


@contextmanager
def main_module_hidden() -> Iterator[None]:
    """Keep the forkserver from re-importing ``__main__`` (a CLI, a test runner) per worker."""
    main = sys.modules["__main__"]
    saved = {key: main.__dict__[key] for key in ("__file__", "__spec__") if key in main.__dict__}
    main.__dict__.pop("__file__", None)
    main.__spec__ = None
    try:
        yield
    finally:
        main.__dict__.update(saved)
