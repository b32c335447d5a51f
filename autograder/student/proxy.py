"""What hidden tests hold: the student's module behind a data-only call contract.

``student.nll(logits, target)`` sends the call to an executor and returns its
reply as plain data; an object that is not data comes back as a
:class:`Handle` whose methods are called the same way
(``net = student.Net(); net(x); net.state_dict()``). Trusted helpers that must
run next to the student's code are called with ``student.probe(fn, ...)``.

An exception raised by the student's code arrives as a :class:`StudentError`
that is also an instance of the matching built-in exception, so
``pytest.raises(ValueError)`` works as it would in-process.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from typing import Any, Protocol

import torch

from autograder.student import wire
from autograder.student.probes import is_probe, probe_name


class Transport(Protocol):
    """Carries one encoded request to an executor and returns the encoded reply."""

    def request(self, payload: bytes, label: str, timeout_s: float | None = None) -> bytes:
        """Send ``payload``; ``label`` names the call in timeout messages ("fit()").

        ``timeout_s`` shortens the call's own time limit (a submission's budget running out).
        A transport may set ``reply_bytes``, the size a reply may reach (compressed or not).
        """

    def close(self) -> None:
        """Release the executor (a worker process and everything it started)."""


class StudentError(Exception):
    """The student's code raised, or could not be loaded; the message is for the student."""

    type_name = "Exception"


class SubmissionNotLoaded(StudentError):
    """The submission has a syntax error or fails at import."""


class MissingFunction(StudentError, AttributeError):
    """The submission does not define a function or class that a test calls."""


class SandboxRefusal(StudentError, OSError):
    """The sandbox refused what the student's code tried (a write outside its folder, the network)."""


class GradingStopped(StudentError):
    """The submission's grading was stopped as a whole (it broke the sandbox); it scores 0."""


_ERROR_CLASSES: dict[str, type[StudentError]] = {}


def student_error(type_name: str, message: str) -> StudentError:
    """A StudentError that is also the named built-in exception, when there is one."""
    if type_name == "load":
        return SubmissionNotLoaded(message)
    if type_name == "MissingName":
        return MissingFunction(message)
    if type_name == "SandboxRefusal":
        return SandboxRefusal(message)
    if type_name not in _ERROR_CLASSES:
        builtin = getattr(builtins, type_name, None)
        is_exception = isinstance(builtin, type) and issubclass(builtin, Exception)
        bases = (StudentError, builtin) if is_exception else (StudentError,)
        _ERROR_CLASSES[type_name] = type(type_name, bases, {"type_name": type_name})
    return _ERROR_CLASSES[type_name](message)


class _Remote:
    """Shared request plumbing of modules and handles."""

    def __init__(self, transport: Transport, target: int | None):
        self._transport = transport
        self._target = target

    def _send(self, op: str, name: str, args: tuple = (), kwargs: dict | None = None) -> Any:
        message = {
            "op": op,
            "target": self._target,
            "name": name,
            "args": _to_markers(args),
            "kwargs": _to_markers(kwargs or {}),
        }
        label = f"{name}()" if op != "getattr" else name
        limit = getattr(self._transport, "reply_bytes", wire.MAX_REPLY_BYTES)
        reply = wire.loads(self._transport.request(wire.dumps(message), label), limit)
        if "error" in reply:
            raise student_error(reply["error"]["type"], reply["error"]["message"])
        return _from_markers(reply["ok"], self._transport)

    def __getattr__(self, name: str) -> Callable[..., Any]:
        # Private and protocol names (_repr_pretty_, __array__...) are never the
        # student's API; answering them remotely would confuse pretty-printers.
        if name.startswith("_"):
            raise AttributeError(name)

        def remote_call(*args: Any, **kwargs: Any) -> Any:
            return self._send("call", name, args, kwargs)

        remote_call.__name__ = name
        return remote_call

    def attribute(self, name: str) -> Any:
        """The value of an attribute (data or a handle), rather than a call."""
        return self._send("getattr", name)


class StudentModule(_Remote):
    """The student's module: attribute calls run the student's functions remotely."""

    def __init__(self, transport: Transport):
        super().__init__(transport, None)

    def __repr__(self) -> str:
        return "<the student's module>"

    def probe(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run a registered probe next to the student's code.

        The probe receives the student's module first, then ``args``; handles
        among the arguments arrive as the real objects.

        Raises:
            TypeError: ``function`` is not marked with ``@probe``.
        """
        if not is_probe(function):
            raise TypeError(f"{probe_name(function)} is not a probe: mark it with @probe")
        return self._send("probe", probe_name(function), args, kwargs)


class Handle(_Remote):
    """An object that stays with the student's code; its methods are called remotely."""

    def __init__(self, transport: Transport, handle_id: int, type_name: str):
        super().__init__(transport, handle_id)
        self.type_name = type_name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the remote object itself (``net(x)`` runs its forward)."""
        return self._send("call", "__call__", args, kwargs)

    def __repr__(self) -> str:
        return f"<remote {self.type_name}>"


def _to_markers(value: Any) -> Any:
    if isinstance(value, torch.Tensor):
        # A fresh tensor object: no Python attributes (hypothesis adds some) travel along.
        return value.detach().requires_grad_(value.requires_grad)
    if isinstance(value, Handle):
        return wire.handle_marker(value._target, value.type_name)
    if type(value) in (list, tuple):
        return type(value)(_to_markers(item) for item in value)
    if type(value) is dict:
        return {key: _to_markers(item) for key, item in value.items()}
    return value


def _from_markers(value: Any, transport: Transport) -> Any:
    if wire.is_handle_marker(value):
        return Handle(transport, value[wire.HANDLE_KEY], str(value["type"]))
    if type(value) in (list, tuple):
        return type(value)(_from_markers(item, transport) for item in value)
    if type(value) is dict:
        return {key: _from_markers(item, transport) for key, item in value.items()}
    return value
