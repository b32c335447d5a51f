"""The data that crosses between the grader and the student's code.

Both directions carry *data only*: tensors, numbers, strings, bytes, None,
devices, dtypes, sizes, and lists/tuples/dicts of these, in the byte format of
:mod:`autograder.student.codec`, which reads back exactly these types and
nothing that can run code: the grader never unpickles anything from student
code. An object that is not data (a module, a DataLoader) stays with the
student's code and travels as a handle marker.
"""

from __future__ import annotations

from typing import Any

import torch

from autograder.student.codec import WireError, decode, encode

HANDLE_KEY = "__remote_handle__"
MAX_REPLY_BYTES = 256 * 1024 * 1024

_SCALARS = (type(None), bool, int, float, complex, str, bytes, torch.device, torch.dtype)

__all__ = ["HANDLE_KEY", "MAX_REPLY_BYTES", "WireError", "dumps", "handle_marker", "is_handle_marker",
           "loads", "to_wire"]


def dumps(value: Any, limit: int = MAX_REPLY_BYTES) -> bytes:
    """Encode plain data (WireError for anything else, or for more than ``limit`` bytes of it)."""
    return encode(value, limit)


def loads(payload: bytes, limit: int = MAX_REPLY_BYTES) -> Any:
    """Decode plain data: exactly the contract's types, at most ``limit`` bytes of it.

    Raises:
        WireError: the payload is too large or malformed.
    """
    return decode(payload, limit)


def to_wire(value: Any, keep: Any) -> Any:
    """Turn a result of student code into plain data; ``keep(obj)`` makes a handle marker.

    Tensors are detached (keeping ``requires_grad``) and parameters become plain
    tensors; tensor subclasses and other objects are kept as handles.
    """
    kind = type(value)
    if kind in _SCALARS or kind is torch.Size:
        return value
    if kind is torch.Tensor or kind is torch.nn.Parameter:
        return value.detach().requires_grad_(value.requires_grad)
    if kind in (list, tuple):
        return kind(to_wire(item, keep) for item in value)
    if isinstance(value, tuple):  # a namedtuple, e.g. what load_state_dict returns
        return tuple(to_wire(item, keep) for item in value)
    if isinstance(value, dict) and all(type(key) in (str, int) for key in value):
        return {key: to_wire(item, keep) for key, item in value.items()}
    return keep(value)


def handle_marker(handle_id: int, type_name: str) -> dict:
    """The plain-data stand-in for an object that stays with the student's code."""
    return {HANDLE_KEY: handle_id, "type": type_name}


def is_handle_marker(value: Any) -> bool:
    """Whether a decoded dict stands for a remote object."""
    return type(value) is dict and set(value) == {HANDLE_KEY, "type"}
