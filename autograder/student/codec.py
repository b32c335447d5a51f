"""The byte format of the wire: plain data and tensors, nothing that can run code.

A message is a tree of typed records. Each record starts with a one-byte tag;
containers give their length first, tensors give their dtype, device, shape
and then their elements' raw bytes. Reading it back builds exactly these types
and no others, so there is nothing to unpickle and nothing to import: a
hostile payload can only be malformed or too large, and both are refused
before anything big is allocated.

Bounds, on both sides: at most ``limit`` bytes in all (a tensor counts every
element it shows, so a view that repeats its storage counts in full),
:data:`MAX_NODES` values (each reference to a shared list counts again) and
:data:`MAX_DEPTH` levels of nesting.
"""

from __future__ import annotations

import struct
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import torch

MAX_NODES = 1_000_000
MAX_DEPTH = 100
_MAGIC = b"AGW1"

DTYPES = (torch.float32, torch.float64, torch.float16, torch.bfloat16, torch.complex64, torch.complex128,
          torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8, torch.bool,
          torch.uint16, torch.uint32, torch.uint64)
"""The element types a tensor on the wire may have; a dtype value may be any of these too."""
_DTYPE_CODES = {dtype: code for code, dtype in enumerate(DTYPES)}
_ALL_DTYPES = tuple(value for value in vars(torch).values() if isinstance(value, torch.dtype))
_DTYPE_NAMES = {str(dtype): dtype for dtype in _ALL_DTYPES}

_INT64 = struct.Struct("<q")
_UINT32 = struct.Struct("<I")
_FLOAT = struct.Struct("<d")
_COMPLEX = struct.Struct("<dd")
_TENSOR_HEAD = struct.Struct("<BBB")  # dtype code, requires_grad, number of dimensions


class WireError(Exception):
    """A message could not be encoded, decoded or validated."""


class _Budget:
    """What one message may still hold: values, and bytes of elements and text."""

    def __init__(self, limit: int):
        self.nodes = MAX_NODES
        self.bytes = limit
        self.limit = limit

    def visit(self) -> None:
        self.nodes -= 1
        if self.nodes < 0:
            raise WireError(f"the message holds more than {MAX_NODES:,} values")

    def take(self, size: int, what: str) -> None:
        self.bytes -= size
        if self.bytes < 0:
            raise WireError(f"the message's {what} hold more than {self.limit / 2**20:.0f} MB")


# ------------------------------------------------------------------------------------------ writing

def encode(value: Any, limit: int) -> bytes:
    """``value`` in the wire format.

    Raises:
        WireError: a value outside the data contract, or more than the bounds allow.
    """
    if _count_values(value, {}, 0) > MAX_NODES:
        raise WireError(f"the message holds more than {MAX_NODES:,} values")
    parts = [_MAGIC]
    _write(value, parts, _Budget(limit), 0)
    return b"".join(parts)


def _count_values(value: Any, counted: dict[int, int], depth: int) -> int:
    """How many values writing ``value`` visits, each shared container counted once per reference.

    Each container is walked once (``counted`` remembers it by id), so a list
    shared sixty levels deep is counted in sixty steps, not 2**60.
    """
    kind = type(value)
    if kind not in (list, tuple, dict, OrderedDict):
        return 1
    if depth > MAX_DEPTH:
        raise WireError(f"the message nests deeper than {MAX_DEPTH} levels")
    identity = id(value)
    if identity not in counted:
        items = value.values() if kind in (dict, OrderedDict) else value
        counted[identity] = 0  # a container inside itself goes past MAX_DEPTH
        counted[identity] = 1 + len(value) * (kind in (dict, OrderedDict)) + sum(
            min(_count_values(item, counted, depth + 1), MAX_NODES + 1) for item in items)
    return counted[identity]


def _write(value: Any, parts: list, budget: _Budget, depth: int) -> None:
    budget.visit()
    if depth > MAX_DEPTH:
        raise WireError(f"the message nests deeper than {MAX_DEPTH} levels")
    writer = _WRITERS.get(type(value))
    if writer is None:
        raise WireError(f"a value of type {type(value).__name__} is not data")
    writer(value, parts, budget, depth + 1)


def _write_int(value: int, parts: list, budget: _Budget, depth: int) -> None:
    if -2**63 <= value < 2**63:
        parts += [b"i", _INT64.pack(value)]
    else:
        _write_text(b"I", str(value).encode("ascii"), parts, budget)


def _write_text(tag: bytes, data: bytes, parts: list, budget: _Budget) -> None:
    budget.take(len(data), "texts")
    parts += [tag, _UINT32.pack(len(data)), data]


def _write_items(tag: bytes, items, parts: list, budget: _Budget, depth: int) -> None:
    parts += [tag, _UINT32.pack(len(items))]
    for item in items:
        _write(item, parts, budget, depth)


def _write_mapping(tag: bytes, mapping: dict, parts: list, budget: _Budget, depth: int) -> None:
    parts += [tag, _UINT32.pack(len(mapping))]
    for key, item in mapping.items():
        if type(key) not in (str, int):
            raise WireError(f"a dict key of type {type(key).__name__} is not data")
        _write(key, parts, budget, depth)
        _write(item, parts, budget, depth)


def _write_tensor(tensor: torch.Tensor, parts: list, budget: _Budget, depth: int) -> None:
    if tensor.layout != torch.strided or tensor.is_nested or tensor.is_quantized or tensor.is_meta:
        raise WireError(f"a {str(tensor.layout).removeprefix('torch.')} tensor is not data: "
                        "convert it with .to_dense()")
    if tensor.dtype not in _DTYPE_CODES:
        raise WireError(f"a tensor of {tensor.dtype} is not data: use one of "
                        f"{', '.join(str(dtype).removeprefix('torch.') for dtype in DTYPES)}")
    budget.take(tensor.numel() * tensor.element_size(), "tensor elements")  # before anything is copied
    flat = tensor.detach().resolve_conj().resolve_neg().to("cpu").reshape(-1)
    if flat.numel() and flat.stride(0) != 1:  # one element seen through a stride: reshape keeps it
        flat = flat.clone(memory_format=torch.contiguous_format)
    device = str(tensor.device).encode("ascii")
    parts += [b"X", _TENSOR_HEAD.pack(_DTYPE_CODES[tensor.dtype], tensor.requires_grad, tensor.dim()),
              _UINT32.pack(len(device)), device, *(_INT64.pack(size) for size in tensor.shape),
              flat.view(torch.uint8).numpy().tobytes()]


_WRITERS: dict[type, Callable[[Any, list, _Budget, int], None]] = {
    type(None): lambda value, parts, budget, depth: parts.append(b"N"),
    bool: lambda value, parts, budget, depth: parts.append(b"T" if value else b"F"),
    int: _write_int,
    float: lambda value, parts, budget, depth: parts.extend([b"f", _FLOAT.pack(value)]),
    complex: lambda value, parts, budget, depth: parts.extend([b"c", _COMPLEX.pack(value.real, value.imag)]),
    str: lambda value, parts, budget, depth: _write_text(b"s", value.encode("utf-8", "surrogatepass"),
                                                         parts, budget),
    bytes: lambda value, parts, budget, depth: _write_text(b"b", value, parts, budget),
    torch.device: lambda value, parts, budget, depth: _write_text(b"D", str(value).encode("ascii"), parts,
                                                                  budget),
    torch.dtype: lambda value, parts, budget, depth: _write_text(b"y", str(value).encode("ascii"), parts,
                                                                 budget),
    torch.Size: lambda value, parts, budget, depth: _write_items(b"z", value, parts, budget, depth),
    list: lambda value, parts, budget, depth: _write_items(b"l", value, parts, budget, depth),
    tuple: lambda value, parts, budget, depth: _write_items(b"t", value, parts, budget, depth),
    dict: lambda value, parts, budget, depth: _write_mapping(b"d", value, parts, budget, depth),
    OrderedDict: lambda value, parts, budget, depth: _write_mapping(b"o", value, parts, budget, depth),
    torch.Tensor: _write_tensor,
}


# ------------------------------------------------------------------------------------------ reading

def decode(payload: bytes, limit: int) -> Any:
    """The value ``payload`` encodes.

    Raises:
        WireError: ``payload`` is malformed, over the bounds, or holds more than one value.
    """
    if len(payload) > limit:
        raise WireError(f"the message is {len(payload) / 2**20:.0f} MB, over the {limit / 2**20:.0f} MB cap")
    if payload[:len(_MAGIC)] != _MAGIC:
        raise WireError("the message is not in the wire format")
    reader = _Reader(payload, _Budget(limit))
    value = reader.value(0)
    if reader.position != len(payload):
        raise WireError("the message has bytes after its value")
    return value


class _Reader:
    """Reads records from a payload, checking each length against what is left."""

    def __init__(self, payload: bytes, budget: _Budget):
        self.data = memoryview(payload)
        self.position = len(_MAGIC)
        self.budget = budget

    def take(self, size: int) -> memoryview:
        end = self.position + size
        if size < 0 or end > len(self.data):
            raise WireError("the message ends in the middle of a value")
        chunk = self.data[self.position:end]
        self.position = end
        return chunk

    def unpack(self, layout: struct.Struct) -> tuple:
        return layout.unpack(self.take(layout.size))

    def count(self) -> int:
        (size,) = self.unpack(_UINT32)
        if size > self.budget.nodes:
            raise WireError(f"the message holds more than {MAX_NODES:,} values")
        return size

    def text(self) -> bytes:
        (size,) = self.unpack(_UINT32)
        self.budget.take(size, "texts")
        return bytes(self.take(size))

    def value(self, depth: int) -> Any:
        self.budget.visit()
        if depth > MAX_DEPTH:
            raise WireError(f"the message nests deeper than {MAX_DEPTH} levels")
        tag = bytes(self.take(1))
        reader = _READERS.get(tag)
        if reader is None:
            raise WireError(f"the message holds an unknown record {tag!r}")
        return reader(self, depth + 1)

    def mapping(self, kind: type, depth: int) -> dict:
        result = kind()
        for _ in range(self.count()):
            key = self.value(depth)
            if type(key) not in (str, int):
                raise WireError(f"a dict key of type {type(key).__name__} is not data")
            result[key] = self.value(depth)
        return result

    def tensor(self) -> torch.Tensor:
        code, requires_grad, dimensions = self.unpack(_TENSOR_HEAD)
        if code >= len(DTYPES) or requires_grad > 1:
            raise WireError("the message holds a malformed tensor")
        dtype, device = DTYPES[code], _device(self.text().decode("ascii", "replace"))
        shape = [self.unpack(_INT64)[0] for _ in range(dimensions)]
        if any(size < 0 for size in shape):
            raise WireError("the message holds a tensor of negative size")
        numel = 1
        for size in shape:
            numel *= size
        size = numel * dtype.itemsize
        self.budget.take(size, "tensor elements")  # the shape's bytes, before the elements are read
        chunk = self.take(size)
        tensor = torch.frombuffer(bytearray(chunk), dtype=dtype) if size else torch.empty(0, dtype=dtype)
        tensor = tensor.reshape(shape)
        if device.type != "cpu":
            tensor = _moved(tensor, device)
        if requires_grad:
            if not (dtype.is_floating_point or dtype.is_complex):
                raise WireError(f"a tensor of {dtype} cannot require gradients")
            tensor.requires_grad_(True)
        return tensor


def _device(name: str) -> torch.device:
    try:
        return torch.device(name)
    except (RuntimeError, ValueError):
        raise WireError(f"the message names an unknown device {name[:40]!r}") from None


def _moved(tensor: torch.Tensor, device: torch.device) -> torch.Tensor:
    try:
        return tensor.to(device)
    except (RuntimeError, AssertionError) as error:
        raise WireError(f"a tensor on {device} cannot be placed here: {str(error).splitlines()[0]}") from None


def _dtype(name: str) -> torch.dtype:
    if name not in _DTYPE_NAMES:
        raise WireError(f"the message names an unknown dtype {name[:40]!r}")
    return _DTYPE_NAMES[name]


def _integer(reader: _Reader, depth: int) -> int:
    digits = reader.text()
    if len(digits) > 4000 or not digits.lstrip(b"-").isdigit():
        raise WireError("the message holds a malformed integer")
    return int(digits)


_READERS: dict[bytes, Callable[[_Reader, int], Any]] = {
    b"N": lambda reader, depth: None,
    b"T": lambda reader, depth: True,
    b"F": lambda reader, depth: False,
    b"i": lambda reader, depth: reader.unpack(_INT64)[0],
    b"I": _integer,
    b"f": lambda reader, depth: reader.unpack(_FLOAT)[0],
    b"c": lambda reader, depth: complex(*reader.unpack(_COMPLEX)),
    b"s": lambda reader, depth: reader.text().decode("utf-8", "surrogatepass"),
    b"b": lambda reader, depth: reader.text(),
    b"D": lambda reader, depth: _device(reader.text().decode("ascii", "replace")),
    b"y": lambda reader, depth: _dtype(reader.text().decode("ascii", "replace")),
    b"z": lambda reader, depth: torch.Size([_size(reader.value(depth)) for _ in range(reader.count())]),
    b"l": lambda reader, depth: [reader.value(depth) for _ in range(reader.count())],
    b"t": lambda reader, depth: tuple(reader.value(depth) for _ in range(reader.count())),
    b"d": lambda reader, depth: reader.mapping(dict, depth),
    b"o": lambda reader, depth: reader.mapping(OrderedDict, depth),
    b"X": lambda reader, depth: reader.tensor(),
}


def _size(value: Any) -> int:
    if type(value) is not int:
        raise WireError("the message holds a torch.Size with a size that is not an int")
    return value
