"""Facts read from the submission's syntax tree, in the grader, where the student's code cannot reach.

What a probe reports from inside the worker can be forged by the submission
(it shares the probe's process). Some facts are therefore confirmed from the
source as well: ``student_source`` gives the exact text the worker runs.
"""

from __future__ import annotations

import ast

GRADIENTS_OFF = {"no_grad", "inference_mode"}
"""Context managers and decorators (of torch) that turn gradient tracking off."""


def _top_level_functions(tree: ast.Module) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    return {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}


def _turns_off(node: ast.AST) -> bool:
    """Whether an expression is ``[torch.]no_grad()``, ``inference_mode()`` or ``set_grad_enabled(False)``."""
    target = node.func if isinstance(node, ast.Call) else node
    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
    if name in GRADIENTS_OFF:
        return True
    if name == "set_grad_enabled" and isinstance(node, ast.Call) and node.args:
        argument = node.args[0]
        return isinstance(argument, ast.Constant) and argument.value is False
    return False


def _called_names(function: ast.AST) -> set[str]:
    return {node.func.id for node in ast.walk(function)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}


def turns_gradients_off(source: str, function_name: str) -> bool:
    """Whether ``function_name`` (or a function of the module it calls) turns gradient tracking off.

    Looks for ``with torch.no_grad():``, ``torch.inference_mode()``,
    ``torch.set_grad_enabled(False)`` (as a ``with`` or a call) and the
    decorator forms, by any import alias. A source that does not parse gives False.
    """
    try:
        functions = _top_level_functions(ast.parse(source))
    except (SyntaxError, ValueError, RecursionError):
        return False
    seen, pending = set(), [function_name]
    while pending:
        name = pending.pop()
        if name in seen or name not in functions:
            continue
        seen.add(name)
        function = functions[name]
        if any(_turns_off(decorator) for decorator in function.decorator_list):
            return True
        for node in ast.walk(function):
            if isinstance(node, ast.With | ast.AsyncWith) and any(
                    _turns_off(item.context_expr) for item in node.items):
                return True
            if isinstance(node, ast.Call) and _turns_off(node):
                return True
        pending.extend(_called_names(function))
    return False
