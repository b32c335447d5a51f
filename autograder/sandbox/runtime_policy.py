"""API policy, run-time part: what course.yml forbids refuses to run while student code may run.

Two layers, both keyed on one process-wide state that the worker sets around
every request (:mod:`autograder.sandbox.activity`), never on stack frames:

- At the dispatcher (:mod:`autograder.sandbox.dispatch_guard`): the kernels
  of every forbidden operation (``torch.log_softmax`` and its relatives, the
  operators behind ``torch.nn``) refuse, however they are reached and from
  whichever thread.
- By name: a forbidden module (``torch.nn``, ``torch.optim``) has every public
  function and class in it and its loaded submodules replaced by a guard, and
  so does a forbidden function that no operator stands behind. torch's own
  pure-Python copies of the forbidden operations (``torch._refs``,
  ``torch._decomp``) are guarded by name too.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import sys
import types

from autograder.sandbox import dispatch_guard
from autograder.sandbox.activity import student_code_may_run
from autograder.sandbox.dispatch_guard import ForbiddenCall

__all__ = ["ForbiddenCall", "install_guards", "operation_name"]

PYTHON_COPIES = ("torch._refs", "torch._decomp")
_GUARDED = "_autograder_guard"


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


def _guard(function, message: str):
    """``function`` refusing to run while student code may run (a class: its ``__init__``).

    A function guarded already keeps its first guard and message.
    """
    if getattr(function, _GUARDED, False) or getattr(getattr(function, "__init__", None), _GUARDED, False):
        return function
    if inspect.isclass(function):
        original_init = function.__init__

        def guarded_init(self, *args, **kwargs):
            if student_code_may_run():
                raise ForbiddenCall(message)
            original_init(self, *args, **kwargs)

        setattr(guarded_init, _GUARDED, True)
        function.__init__ = guarded_init
        return function

    def guarded(*args, **kwargs):
        if student_code_may_run():
            raise ForbiddenCall(message)
        return function(*args, **kwargs)

    functools.update_wrapper(guarded, function)
    del guarded.__wrapped__
    setattr(guarded, _GUARDED, True)
    return guarded


def _guard_module(prefix: str, message: str, only=None) -> None:
    """Guard the public callables of a module and its loaded submodules (those ``only`` accepts)."""
    for loaded_name, loaded in list(sys.modules.items()):
        if loaded is None or not (loaded_name == prefix or loaded_name.startswith(prefix + ".")):
            continue
        for attribute, value in list(vars(loaded).items()):
            if isinstance(value, types.ModuleType) or not callable(value):
                continue
            if only is None and (attribute.startswith("_") or not _defined_under(value, prefix)):
                continue
            if only is not None and not only(attribute):
                continue
            try:
                setattr(loaded, attribute, _guard(value, message))
            except (AttributeError, TypeError):
                continue


def _defined_under(value, prefix: str) -> bool:
    module = str(getattr(value, "__module__", "") or "")
    return not module or module == prefix or module.startswith(prefix + ".")


def _guard_decomposition_tables(family: dispatch_guard.Family, message: str) -> None:
    tables = getattr(sys.modules.get("torch._decomp"), "global_decomposition_table", {})
    for table in tables.values():
        for operator, function in list(table.items()):
            if str(getattr(operator, "__name__", "")) in family:
                table[operator] = _guard(function, message)


def operation_name(function) -> str:
    """The name of the operation behind a torch API object, stripped of its spelling.

    ``torch.log_softmax``, ``Tensor.log_softmax``, ``torch._log_softmax``,
    ``torch.special.log_softmax`` (``special_log_softmax``) and
    ``torch.ops.aten._log_softmax.default`` all give ``log_softmax``.
    """
    name = getattr(function, "__name__", "") or str(function)
    name = name.split("::")[-1].split(".")[0].lstrip("_")
    return name.removeprefix("special_")


def _families(forbidden: tuple[tuple[str, str], ...]) -> dict[str, dispatch_guard.Family]:
    """The operator family of each forbidden name that has one, by refusal message."""
    families = {}
    for dotted, reason in forbidden:
        target = _resolve(dotted)[2]
        if isinstance(target, types.ModuleType):
            family = dispatch_guard.Family(dispatch_guard.backend_operations(dotted),
                                           allowed=dispatch_guard.public_torch_names())
        elif target is not None:
            family = dispatch_guard.Family([operation_name(target)])
            if not family.operators():  # a pure-Python function: guarded by name only
                continue
        else:
            continue
        known = [operations for operations in families.values() if operations.operations == family.operations]
        if family.operations and not known:
            families[_message(dotted, reason)] = family
    return families


def _message(dotted: str, reason: str) -> str:
    return f"{dotted} is not allowed in this assignment: {reason}"


def install_guards(forbidden: tuple[tuple[str, str], ...]) -> list[str]:
    """Guard every forbidden operation, module and name for the rest of this process.

    Returns:
        The operator overloads now refused at the dispatcher.
    """
    families = _families(forbidden)
    rules: dict[str, str] = {}
    for message, family in families.items():
        for overload in family.operators():
            rules.setdefault(overload, message)
        for copies in PYTHON_COPIES:
            _guard_module(copies, message, only=family.__contains__)
        _guard_decomposition_tables(family, message)
    guarded = dispatch_guard.install(rules)
    at_the_dispatcher = {name for family in families.values() for name in family.operations}
    for dotted, reason in forbidden:
        owner, attribute, target = _resolve(dotted)
        if isinstance(target, types.ModuleType):
            _guard_module(dotted, _message(dotted, reason))
        elif owner is not None and callable(target) and operation_name(target) not in at_the_dispatcher:
            try:
                setattr(owner, attribute, _guard(target, _message(dotted, reason)))
            except (AttributeError, TypeError):
                continue
    return guarded
