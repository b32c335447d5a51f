"""API policy at the dispatcher: a forbidden operation's kernels replaced by a refusal.

Every way of calling an operator in PyTorch ends at a kernel that its
dispatcher picks: ``torch.log_softmax``, ``Tensor.log_softmax``,
``torch._C._VariableFunctions.log_softmax``, ``torch.ops.aten._log_softmax``,
``F.log_softmax``, a TorchScript function, a call from another thread, with
``torch._C.DisableTorchFunction`` or under ``inference_mode``. So in a worker
whose assignment forbids an operation, its kernels are replaced through the
dispatcher's own registration API (the one ``torch.library`` wraps) by a
function that raises :class:`ForbiddenCall`.

Which operators: for a forbidden function, every operator whose name holds
its operation's name as a whole word (``softmax`` covers ``_softmax``,
``_safe_softmax``, ``_masked_softmax``, ``_sparse_softmax``,
``special_softmax``, ``quantized::softmax``, and ``log_softmax``, from which
softmax is one ``exp`` away); for a forbidden module (``torch.nn``), the same
for every operator of its C backend (``torch._C._nn``), leaving out those
that ``torch`` itself offers under their own name, which the policy allows.
Backward kernels stay, so autograd through allowed operations is untouched.

Which kernels: the operator's backend kernels (CPU, CUDA, Meta, sparse,
nested, quantized...) and its composite kernels, so a composite that would
decompose into allowed operations (``linear`` into ``matmul``) is refused too.
The original kernels are not kept anywhere the worker could call them: a
worker runs a submission and nothing else, and trusted probes that need a
forbidden operation get it from the grader. The registration object is kept
alive outside Python's reach, so the submission cannot reset it.
"""

from __future__ import annotations

import ctypes
import functools
import re
from collections.abc import Iterable

import torch

_KEYS = (
    "CompositeImplicitAutograd", "CompositeImplicitAutogradNestedTensor",
    "CompositeExplicitAutograd", "CompositeExplicitAutogradNonFunctional",
    "CPU", "CUDA", "HIP", "XPU", "MPS", "Meta", "MkldnnCPU",
    "SparseCPU", "SparseCUDA", "SparseMeta", "SparseCsrCPU", "SparseCsrCUDA",
    "NestedTensorCPU", "NestedTensorCUDA", "QuantizedCPU", "QuantizedCUDA", "QuantizedMeta",
)
C_BACKENDS = {"torch.nn": "torch._C._nn", "torch.nn.functional": "torch._C._nn",
              "torch.special": "torch._C._special", "torch.linalg": "torch._C._linalg",
              "torch.fft": "torch._C._fft"}


class ForbiddenCall(RuntimeError):
    """The submission used a function or operation that the assignment's API policy forbids."""


class Family:
    """The operators that compute some operations: their names hold one as a whole word."""

    def __init__(self, operations: Iterable[str], allowed: Iterable[str] = ()):
        self.operations = sorted(operations)
        self.allowed = set(allowed)
        """Names left out although they match (what ``torch`` offers, for a module rule)."""
        words = "|".join(re.escape(name) for name in sorted(self.operations, key=len, reverse=True))
        self._pattern = re.compile(rf"(^|_)({words})(\d*d)?(_|$)")

    def __contains__(self, name: str) -> bool:
        """Whether an operator or function name belongs to the family; backward kernels never do."""
        name = name.split("::")[-1].split(".")[0]
        if "backward" in name or name in self.allowed:
            return False
        return bool(self.operations) and self._pattern.search(name) is not None

    def operators(self) -> list[str]:
        """Every registered operator overload (``ns::name.overload``) of the family."""
        return sorted(name for name in all_operators() if name in self)


@functools.cache
def all_operators() -> tuple[str, ...]:
    """Every operator overload registered with the dispatcher (``ns::name.overload``)."""
    return tuple(torch._C._dispatch_get_all_op_names())


def _base(qualified: str) -> str:
    """'aten::_softmax.out' -> '_softmax'."""
    return qualified.split("::", 1)[1].split(".", 1)[0]


def backend_operations(module_name: str) -> list[str]:
    """The operator names behind a module's C backend (``torch.nn`` -> ``torch._C._nn``'s functions)."""
    backend = C_BACKENDS.get(module_name)
    if backend is None:
        return []
    module = torch._C
    for part in backend.split(".")[2:]:
        module = getattr(module, part)
    operators = {_base(name) for name in all_operators()}
    return sorted(name for name in dir(module) if name in operators)


def public_torch_names() -> set[str]:
    """Names ``torch`` itself offers: a module rule leaves those operators alone."""
    return {name for name in dir(torch) if not name.startswith("__")}


def _known_keys() -> list[str]:
    """The keys of ``_KEYS`` that this build of torch knows."""
    known = []
    for key in _KEYS:
        try:
            torch._C._dispatch_has_kernel_for_dispatch_key("aten::add.Tensor", key)
        except RuntimeError:
            continue
        known.append(key)
    return known


def _refusal(message: str):
    def refuse(keyset, *args, **kwargs):
        raise ForbiddenCall(message)

    return refuse


def install(rules: dict[str, str]) -> list[str]:
    """Replace the kernels of every operator in ``rules`` (overload -> message); return them.

    Raises:
        RuntimeError: the dispatcher refused a registration.
    """
    libraries: dict[str, object] = {}
    keys = _known_keys()
    for qualified, message in rules.items():
        namespace, name = qualified.split("::", 1)
        library = libraries.get(namespace)
        if library is None:
            library = libraries[namespace] = torch._C._dispatch_library("IMPL", namespace, "")
        kernel = _refusal(message)
        for key in keys:
            if torch._C._dispatch_has_kernel_for_dispatch_key(qualified, key):
                library.impl(name, key, kernel, True)
    for library in libraries.values():
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(library))  # alive for good, with no Python name
    return sorted(rules)
