"""API policy, run-time part: forbidden functions refuse calls from the student's file.

Each forbidden name from course.yml is resolved in the worker. A function is
replaced by a guard; a module (``torch.nn``) has every public function and
class in it and its loaded submodules guarded. A guard raises
:class:`ForbiddenCall` when its caller's code lives in the submission's file,
and otherwise calls through, so torch's own internals and the trusted probes
are unaffected. Together with the static check this catches
``getattr(torch, "log_" + "softmax")`` and other dynamic tricks.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import sys
import types
from pathlib import Path


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


def install_guards(forbidden: tuple[tuple[str, str], ...], module_path: Path) -> None:
    """Guard every forbidden name against calls from ``module_path``."""
    student_file = str(module_path)
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
