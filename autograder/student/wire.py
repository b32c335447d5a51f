"""The data that crosses between the grader and the student's code.

Both directions carry *data only*: tensors, numbers, strings, bytes, None,
devices, dtypes, sizes, and lists/tuples/dicts of these. Bytes are produced by
``torch.save`` and read back with ``torch.load(weights_only=True)``, which
refuses anything but plain data: the grader never unpickles an arbitrary
object from student code. An object that is not data (a module, a DataLoader)
stays with the student's code and travels as a handle marker.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import torch

HANDLE_KEY = "__remote_handle__"
MAX_REPLY_BYTES = 256 * 1024 * 1024

_SCALARS = (type(None), bool, int, float, complex, str, bytes, torch.device, torch.dtype)


class WireError(Exception):
    """A message could not be encoded, decoded or validated."""


def dumps(value: Any) -> bytes:
    """Serialize plain data with ``torch.save``."""
    buffer = io.BytesIO()
    torch.save(value, buffer)
    return buffer.getvalue()


def loads(payload: bytes, limit: int = MAX_REPLY_BYTES) -> Any:
    """Read plain data with ``torch.load(weights_only=True)`` and check every leaf's type.

    Before anything is loaded, the archive's directory must show stored (not
    compressed) records whose sizes add up to at most ``limit``; after, the
    data must hold at most ``limit`` bytes of tensor elements and
    :data:`MAX_NODES` values, counting each reference to a shared value.

    Raises:
        WireError: the payload is too large, not loadable as plain data, or
            holds a type outside the data contract (a tensor subclass, say).
    """
    if len(payload) > limit:
        raise WireError(f"the reply is {len(payload) / 2**20:.0f} MB, over the {limit / 2**20:.0f} MB cap")
    check_archive(payload, limit)
    try:
        value = torch.load(io.BytesIO(payload), weights_only=True, map_location=None)
    except Exception as error:  # torch raises several types for a bad payload
        raise WireError(f"the reply is not plain data: {str(error).splitlines()[0]}") from None
    check_plain(value, _Budget(limit))
    return value


def check_archive(payload: bytes, limit: int) -> None:
    """Raise WireError unless ``payload`` is a zip archive of stored records, ``limit`` bytes in all."""
    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            records = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise WireError(f"the reply is not a torch.save archive: {error}") from None
    if len(records) > MAX_RECORDS:
        raise WireError(f"the reply's archive has {len(records):,} records, over {MAX_RECORDS:,}")
    for record in records:
        if record.compress_type != zipfile.ZIP_STORED or record.compress_size != record.file_size:
            raise WireError(f"the reply's archive compresses {record.filename}: only stored records "
                            "are accepted")
    total = sum(record.file_size for record in records)
    if total > limit:
        raise WireError(f"the reply's archive holds {total / 2**20:.0f} MB, over the "
                        f"{limit / 2**20:.0f} MB cap")


MAX_RECORDS = 100_000
MAX_NODES = 1_000_000


class _Budget:
    """What one reply may still hold: values visited, and bytes of tensor elements."""

    def __init__(self, limit: int):
        self.nodes = MAX_NODES
        self.tensor_bytes = limit
        self.limit = limit

    def visit(self) -> None:
        self.nodes -= 1
        if self.nodes < 0:
            raise WireError(f"the reply holds more than {MAX_NODES:,} values")

    def tensor(self, tensor: torch.Tensor) -> None:
        self.tensor_bytes -= tensor.numel() * tensor.element_size()
        if self.tensor_bytes < 0:
            raise WireError(f"the reply's tensors hold more than {self.limit / 2**20:.0f} MB of "
                            "elements (a view repeats its storage's elements)")


def check_plain(value: Any, budget: _Budget | None = None) -> None:
    """Raise WireError unless ``value`` is plain data, with exact (not subclassed) types.

    A ``budget`` also bounds the values visited and the tensors' elements.
    """
    budget = budget or _Budget(MAX_REPLY_BYTES)
    budget.visit()
    kind = type(value)
    if kind in _SCALARS or kind is torch.Size:
        return
    if kind is torch.Tensor:
        budget.tensor(value)
        return
    if kind in (list, tuple):
        for item in value:
            check_plain(item, budget)
        return
    if kind is dict or kind.__name__ == "OrderedDict" and kind.__module__ == "collections":
        for key, item in value.items():
            if type(key) not in (str, int):
                raise WireError(f"a dict key of type {type(key).__name__} is not data")
            check_plain(item, budget)
        return
    raise WireError(f"a value of type {kind.__name__} is not data")


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
