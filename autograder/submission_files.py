"""Reading a submission's files as they are, never through a link.

A submission is graded from the files it holds. A symbolic link (to the
reference solution, say) is refused, and so is a hard link (a second name for
a file that lives elsewhere: a regular file with more than one name), a FIFO
or a device. Files are opened with ``O_NOFOLLOW``, inside a folder opened the
same way, so a checked path cannot be swapped for a link before it is read;
and their size is bounded before a byte is parsed. Every refusal is a
:class:`~autograder.errors.CourseError` whose one line says why.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from autograder.errors import CourseError

MAX_SOURCE_BYTES = 8 * 2**20
"""The largest module source read from a submission."""
MAX_NOTEBOOK_BYTES = 64 * 2**20
"""The largest notebook read (outputs and images included)."""

_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
_READ_FLAGS = os.O_RDONLY | _NO_FOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_FOLDER_FLAGS = os.O_RDONLY | _NO_FOLLOW | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)


def symbolic_link_refusal(path: Path) -> CourseError:
    """The error for a submission, or a file in one, that is a symbolic link."""
    return CourseError(f"{path} is a symbolic link: a submission is graded from its own files, "
                       "never from what a link points to")


def kind_of(path: Path) -> str:
    """``link``, ``folder``, ``file`` or ``other`` for ``path`` itself, without following a link.

    Raises:
        CourseError: nothing is at ``path``.
    """
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        raise CourseError(f"no submission at {path}") from None
    except OSError as error:
        raise CourseError(f"cannot read {path}: {error.strerror}") from None
    if stat.S_ISLNK(mode):
        return "link"
    if stat.S_ISDIR(mode):
        return "folder"
    return "file" if stat.S_ISREG(mode) else "other"


@contextlib.contextmanager
def open_folder(path: Path) -> Iterator[int]:
    """A descriptor of the folder ``path`` itself (not of a link's target), closed on exit.

    Raises:
        CourseError: ``path`` is a symbolic link or not a readable folder.
    """
    try:
        descriptor = os.open(path, _FOLDER_FLAGS)
    except OSError as error:
        raise _refusal(path, error) from None
    try:
        yield descriptor
    finally:
        os.close(descriptor)


def read_file(path: Path, limit: int, *, folder: int | None = None) -> bytes:
    """The bytes of the regular file ``path``, opened without following a link.

    Args:
        path: the file; with ``folder``, its name is taken relative to that folder.
        limit: the largest size accepted, in bytes.
        folder: a descriptor from :func:`open_folder` that holds the file.

    Raises:
        CourseError: the file is a symbolic or hard link, not a regular file, too
            large or unreadable.
    """
    target = path.name if folder is not None else path
    try:
        descriptor = os.open(target, _READ_FLAGS, dir_fd=folder)
    except OSError as error:
        raise _refusal(path, error) from None
    with os.fdopen(descriptor, "rb") as file:
        _check_regular(path, os.fstat(file.fileno()), limit)
        data = file.read(limit + 1)
    if len(data) > limit:
        raise _too_large(path, limit)
    return data


def exists_in(folder: int, name: str) -> bool:
    """Whether the folder holds an entry called ``name`` (a link counts, whatever it points to)."""
    try:
        os.lstat(name, dir_fd=folder)
    except FileNotFoundError:
        return False
    return True


def _check_regular(path: Path, info: os.stat_result, limit: int) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise CourseError(f"{path} is not a regular file")
    if info.st_nlink > 1:
        raise CourseError(f"{path} is a hard link ({info.st_nlink} names for one file): a submission "
                          "is graded from files of its own, never from another name for a file elsewhere")
    if info.st_size > limit:
        raise _too_large(path, limit)


def _too_large(path: Path, limit: int) -> CourseError:
    return CourseError(f"{path} is larger than {limit // 2**20} MiB, the most a submission file may hold")


def _refusal(path: Path, error: OSError) -> CourseError:
    if error.errno == errno.ELOOP:
        return symbolic_link_refusal(path)
    if error.errno == errno.ENOENT:
        return CourseError(f"no submission at {path}")
    if error.errno == errno.ENOTDIR:
        return CourseError(f"{path} is not a folder")
    return CourseError(f"cannot read {path}: {error.strerror}")
