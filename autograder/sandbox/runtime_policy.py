"""API policy, run-time part: forbidden functions refuse calls from the student's file.

Each forbidden name from course.yml is resolved in the worker. A function is
replaced by a guard; a module (``torch.nn``) has every public function and
class in it and its loaded submodules guarded. A guard raises
:class:`ForbiddenCall` when its caller's code lives in the submission's file,
and otherwise calls through, so torch's own internals and the trusted probes
are unaffected.

Names alone are not enough: ``torch._C._VariableFunctions.log_softmax``,
``torch._C.TensorBase.log_softmax`` and ``torch.ops.aten._log_softmax`` are the
same operation under names no policy lists. So a torch function mode also
watches every torch call the submission makes and refuses one whose function
shares its name with a forbidden function (``_log_softmax``,
``special_log_softmax`` and ``log_softmax`` alike) or belongs to a forbidden
module (``torch.nn`` and its C backend ``torch._C._nn``). Together with the
static check this catches ``getattr(torch, "log_" + "softmax")`` and other
dynamic tricks. Code that runs in the worker can still switch the mode off;
the static check and the review of flagged submissions stay the last line.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import os
import sys
import types
from pathlib import Path

import torch
from torch.overrides import TorchFunctionMode


class ForbiddenCall(RuntimeError):
    """The submission called a function that the assignment's API policy forbids."""


def _resolve(dotted: str):
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        owner = obj
        for name in parts[cut:]:
            owner, obj = obj, getattr(obj, name, None)
            if obj is None:
                return None, None, None
        return (owner if cut < len(parts) else None), parts[-1], obj
    return None, None, None


def _guard(function, name: str, reason: str, student_file: str):
    def from_student() -> bool:
        frame = sys._getframe(2)
        return frame is not None and frame.f_code.co_filename == student_file

    if inspect.isclass(function):
        original_init = function.__init__

        @functools.wraps(original_init)
        def guarded_init(self, *args, **kwargs):
            if from_student():
                raise ForbiddenCall(f"{name} is not allowed in this assignment: {reason}")
            original_init(self, *args, **kwargs)

        function.__init__ = guarded_init
        return function

    @functools.wraps(function)
    def guarded(*args, **kwargs):
        if from_student():
            raise ForbiddenCall(f"{name} is not allowed in this assignment: {reason}")
        return function(*args, **kwargs)

    return guarded


def _guard_module(module: types.ModuleType, reason: str, student_file: str) -> None:
    prefix = module.__name__
    for loaded_name, loaded in list(sys.modules.items()):
        if loaded is None or not (loaded_name == prefix or loaded_name.startswith(prefix + ".")):
            continue
        for attribute, value in list(vars(loaded).items()):
            if attribute.startswith("_") or isinstance(value, types.ModuleType):
                continue
            if getattr(value, "__module__", "") and not str(value.__module__).startswith(prefix):
                continue
            if callable(value):
                try:
                    setattr(loaded, attribute, _guard(value, f"{loaded_name}.{attribute}",
                                                      reason, student_file))
                except (AttributeError, TypeError):
                    continue


def operation_name(function) -> str:
    """The name of the operation behind a torch API object, stripped of its spelling.

    ``torch.log_softmax``, ``Tensor.log_softmax``, ``torch._log_softmax``,
    ``torch.special.log_softmax`` (``special_log_softmax``) and
    ``torch.ops.aten._log_softmax.default`` all give ``log_softmax``.
    """
    name = getattr(function, "__name__", "") or str(function)
    name = name.split("::")[-1].split(".")[0].lstrip("_")
    return name.removeprefix("special_")


_TORCH_FOLDER = os.path.dirname(torch.__file__) + os.sep


class ForbiddenOperations(TorchFunctionMode):
    """A torch function mode that refuses forbidden operations called from the student's file.

    The caller is the first frame outside torch's own package, so a call made
    through a Python wrapper of torch (``torch.ops``, ``F.log_softmax``) is
    charged to whoever called the wrapper, and calls made by the trusted probes
    pass.
    """

    def __init__(self, forbidden: tuple[tuple[str, str], ...], student_file: str):
        super().__init__()
        self.student_file = student_file
        self.by_operation: dict[str, tuple[str, str]] = {}
        self.modules: list[tuple[str, str, str]] = []
        for dotted, reason in forbidden:
            target = _resolve(dotted)[2]
            if isinstance(target, types.ModuleType):
                self.modules.append((dotted, dotted, reason))
                if dotted == "torch.nn":
                    self.modules.append(("torch._C._nn", dotted, reason))  # its C backend
            elif target is not None:
                self.by_operation.setdefault(operation_name(target), (dotted, reason))

    def __torch_function__(self, func, types, args=(), kwargs=None):
        rule = self._rule_for(func)
        if rule is not None and self._called_from_student():
            dotted, reason = rule
            raise ForbiddenCall(f"{dotted} is not allowed in this assignment: {reason}")
        return func(*args, **(kwargs or {}))

    def _rule_for(self, func) -> tuple[str, str] | None:
        rule = self.by_operation.get(operation_name(func))
        if rule is not None:
            return rule
        module = str(getattr(func, "__module__", "") or "")
        for package, dotted, reason in self.modules:
            if module == package or module.startswith(package + "."):
                return dotted, reason
        return None

    def _called_from_student(self) -> bool:
        frame = sys._getframe(2)
        while frame is not None and frame.f_code.co_filename.startswith(_TORCH_FOLDER):
            frame = frame.f_back
        return frame is not None and frame.f_code.co_filename == self.student_file


def install_guards(forbidden: tuple[tuple[str, str], ...], module_path: Path) -> None:
    """Guard every forbidden name and operation against calls from ``module_path``.

    The torch function mode stays on for the worker's whole life: a worker
    serves one submission and nothing else.
    """
    student_file = str(module_path)
    ForbiddenOperations(forbidden, student_file).__enter__()
    for dotted, reason in forbidden:
        owner, attribute, target = _resolve(dotted)
        if target is None:
            continue
        if isinstance(target, types.ModuleType):
            _guard_module(target, reason, student_file)
        elif owner is not None and callable(target):
            try:
                setattr(owner, attribute, _guard(target, dotted, reason, student_file))
            except (AttributeError, TypeError):
                continue
