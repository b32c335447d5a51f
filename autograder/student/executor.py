"""The side that runs next to the student's code and answers requests with data.

A request names an operation on the student's module or on an object kept
from an earlier reply, with arguments that are plain data or handle markers.
The executor is the same whether it runs in the grader's process (for tests
and ``--no-sandbox``) or in a sandboxed worker: only the transport differs.

Operations:
    ``call``: call a module attribute (``target`` None) or a kept object's
        method, ``name`` ``"__call__"`` calling the object itself.
    ``getattr``: read an attribute of the module or of a kept object.
    ``probe``: run a registered probe (:mod:`autograder.student.probes`) with the module.
"""

from __future__ import annotations

import errno
import socket
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

from autograder.student import wire
from autograder.student.probes import DEFAULT_PROBE_PACKAGES, load_probes
from autograder.submission import SubmissionLoadError, describe_exception, import_module_file


class Executor:
    """Imports one submission's module and serves requests against it."""

    def __init__(self, module_path: Path, probe_packages: Iterable[str] = DEFAULT_PROBE_PACKAGES,
                 max_source_bytes: int | None = None, sandboxed: bool = False):
        self.module_path = Path(module_path)
        self.max_source_bytes = max_source_bytes
        self.sandboxed = sandboxed
        self._module: ModuleType | None = None
        self._load_error: str | None = None
        self._kept: dict[int, Any] = {}
        self._probes = load_probes(probe_packages)  # taken before the submission is imported

    def module(self) -> ModuleType:
        """The student's module, imported on first use; SubmissionLoadError if it cannot be."""
        if self._module is None and self._load_error is None:
            try:
                self._module = import_module_file(self.module_path, self.max_source_bytes)
            except SubmissionLoadError as error:
                self._load_error = str(error)
        if self._load_error is not None:
            raise SubmissionLoadError(self._load_error)
        return self._module

    def handle(self, request: bytes) -> bytes:
        """Answer one encoded request with an encoded reply; never raises."""
        try:
            message = wire.loads(request)
            value = self._dispatch(message)
            return wire.dumps({"ok": wire.to_wire(value, self._keep)})
        except BaseException as error:  # noqa: BLE001 - any student failure becomes a reply
            return wire.dumps({"error": self._describe(error)})

    def _dispatch(self, message: dict) -> Any:
        operation = message["op"]
        args = self._resolve(message.get("args", ()))
        kwargs = self._resolve(message.get("kwargs", {}))
        if operation == "probe":
            if message["name"] not in self._probes:
                raise PermissionError(f"{message['name']} is not a probe")
            return self._probes[message["name"]](self.module(), *args, **kwargs)
        target = self._target(message.get("target"))
        if operation == "getattr":
            return getattr(target, message["name"])
        if operation == "call":
            function = target if message["name"] == "__call__" else self._member(target, message["name"])
            return function(*args, **kwargs)
        raise ValueError(f"unknown operation {operation!r}")

    def _target(self, handle_id: int | None) -> Any:
        if handle_id is None:
            return self.module()
        if handle_id not in self._kept:
            raise LookupError(f"no object with handle {handle_id}")
        return self._kept[handle_id]

    def _member(self, target: Any, name: str) -> Any:
        if isinstance(target, ModuleType):
            if not hasattr(target, name):
                raise MissingName(f"{self.module_path.name} defines no function or class `{name}`")
            return getattr(target, name)
        return getattr(target, name)

    def _keep(self, obj: Any) -> dict:
        handle_id = len(self._kept) + 1
        self._kept[handle_id] = obj
        return wire.handle_marker(handle_id, type(obj).__name__)

    def _resolve(self, value: Any) -> Any:
        if wire.is_handle_marker(value):
            return self._target(value[wire.HANDLE_KEY])
        if type(value) in (list, tuple):
            return type(value)(self._resolve(item) for item in value)
        if type(value) is dict:
            return {key: self._resolve(item) for key, item in value.items()}
        return value

    def _describe(self, error: BaseException) -> dict:
        kind = "load" if isinstance(error, SubmissionLoadError) else type(error).__name__
        if isinstance(error, SubmissionLoadError | MissingName):
            message = str(error)
        else:
            message = describe_exception(error, self.module_path)
        refusal = sandbox_refusal(error) if self.sandboxed else None
        if refusal is not None:
            kind, message = "SandboxRefusal", f"{refusal}: {message}"
        return {"type": kind, "message": shorten(message)}


MAX_MESSAGE_CHARS = 2000

_FILE_REFUSALS = {errno.EACCES, errno.EPERM, errno.EROFS}
_NETWORK_REFUSALS = {errno.ENETUNREACH, errno.ENETDOWN, errno.EHOSTUNREACH, errno.EADDRNOTAVAIL,
                     errno.ECONNREFUSED}


def sandbox_refusal(error: BaseException) -> str | None:
    """What the sandbox refused, in plain words, when ``error`` is its refusal; else None."""
    if not isinstance(error, OSError):
        return None
    if error.errno in _NETWORK_REFUSALS or isinstance(error, socket.gaierror):
        return "the sandbox has no network"
    if error.errno in _FILE_REFUSALS:
        return ("the sandbox refused this: your code may write only in its working folder (the "
                "current folder, also $TMPDIR) and read only Python, its libraries, your submission "
                "and the course's data sets")
    return None


def shorten(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """``text`` cut to ``limit`` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... [{len(text) - limit} more characters cut]"


class MissingName(AttributeError):
    """The submission lacks a function or class the tests need."""
