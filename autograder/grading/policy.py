"""API policy, static part: forbidden names found in the submission's source.

course.yml lists dotted names an assignment forbids (``torch.nn``,
``torch.log_softmax``, ``torch.Tensor.softmax``...). The source is parsed with
``ast``; imports and simple assignments are followed as aliases, so
``from torch.nn import functional as F; F.nll_loss`` resolves to
``torch.nn.functional.nll_loss``. A ``torch.Tensor.<method>`` entry forbids
calling that method on any value. Each violation is charged to the task whose
top-level function or class contains it, and to every task that calls that
function through helpers that are not tasks themselves (a task that calls
another task is not charged for it: that task loses its own points).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass

from autograder.course import Assignment, ForbiddenName

TENSOR_PREFIX = "torch.Tensor."


@dataclass(frozen=True)
class Violation:
    """One use of a forbidden name."""

    line: int
    """The line in the submission's module."""
    name: str
    """The forbidden name as resolved, e.g. ``torch.nn.functional.nll_loss``."""
    rule: ForbiddenName
    """The course.yml entry it breaks."""
    owner: str | None
    """The top-level function or class holding it; None at module level."""

    def describe(self, module_file: str) -> str:
        """'scratch.py line 12 uses torch.nn.functional.nll_loss: <reason>'."""
        return f"{module_file} line {self.line} uses {self.name}: {self.rule.reason}"


def find_violations(source: str, rules: list[ForbiddenName]) -> list[Violation]:
    """Every use of a forbidden name in ``source`` (which must parse)."""
    tree = ast.parse(source)
    finder = _Finder(rules)
    for statement in tree.body:
        finder.owner = _owner_of(statement)
        finder.visit(statement)
    return finder.found


def check_source(source: str, assignment: Assignment) -> dict[str, list[str]]:
    """Violations per task id, as feedback lines; empty when the policy is kept."""
    rules = assignment.api_policy.forbidden
    if not rules:
        return {}
    violations = find_violations(source, rules)
    if not violations:
        return {}
    calls = _top_level_references(ast.parse(source))
    task_names = {task.name for task in assignment.tasks}
    charged: dict[str, list[str]] = defaultdict(list)
    for violation in violations:
        for task in assignment.tasks:
            if violation.owner and violation.owner in _reachable(task.name, calls, task_names):
                charged[task.id].append(violation.describe(assignment.module))
    return dict(charged)


def _owner_of(statement: ast.stmt) -> str | None:
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return statement.name
    if isinstance(statement, ast.Assign | ast.AnnAssign):
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        names = [target.id for target in targets if isinstance(target, ast.Name)]
        return names[0] if names else None
    return None


def _top_level_references(tree: ast.Module) -> dict[str, set[str]]:
    """For each top-level definition, the names it mentions (a coarse call graph)."""
    graph: dict[str, set[str]] = {}
    for statement in tree.body:
        owner = _owner_of(statement)
        if owner:
            graph.setdefault(owner, set()).update(
                node.id for node in ast.walk(statement) if isinstance(node, ast.Name)
            )
    return graph


def _reachable(start: str, graph: dict[str, set[str]], stops: set[str]) -> set[str]:
    """Top-level names ``start`` reaches, not passing through other names in ``stops``."""
    seen, frontier = set(), [start]
    while frontier:
        name = frontier.pop()
        if name in seen or name not in graph or (name in stops and name != start):
            continue
        seen.add(name)
        frontier.extend(graph[name])
    return seen


class _Finder(ast.NodeVisitor):
    """Walks a module, resolving names through imports and aliases."""

    def __init__(self, rules: list[ForbiddenName]):
        self.rules = rules
        self.methods = {rule.name.removeprefix(TENSOR_PREFIX): rule for rule in rules
                        if rule.name.startswith(TENSOR_PREFIX)}
        self.aliases: dict[str, str] = {}
        self.owner: str | None = None
        self.found: list[Violation] = []

    def _flag(self, node: ast.AST, name: str) -> None:
        for rule in self.rules:
            if name == rule.name or name.startswith(rule.name + "."):
                self.found.append(Violation(node.lineno, name, rule, self.owner))
                return

    def resolve(self, node: ast.AST) -> str | None:
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self.resolve(node.value)
            return f"{base}.{node.attr}" if base else None
        return None

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._flag(node, alias.name)
            if alias.asname:
                self.aliases[alias.asname] = alias.name
            else:
                top = alias.name.split(".")[0]
                self.aliases[top] = top

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module is None or node.level:
            return
        for alias in node.names:
            full = f"{node.module}.{alias.name}"
            self._flag(node, full)
            self.aliases[alias.asname or alias.name] = full

    def visit_Assign(self, node: ast.Assign) -> None:
        self.generic_visit(node)
        resolved = self.resolve(node.value)
        for target in node.targets:
            if isinstance(target, ast.Name) and resolved:
                self.aliases[target.id] = resolved

    def visit_Attribute(self, node: ast.Attribute) -> None:
        resolved = self.resolve(node)
        if resolved:
            self._flag(node, resolved)
            return
        if node.attr in self.methods:
            rule = self.methods[node.attr]
            self.found.append(Violation(node.lineno, rule.name, rule, self.owner))
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load) and node.id in self.aliases:
            self._flag(node, self.aliases[node.id])

    def visit_Call(self, node: ast.Call) -> None:
        function = self.resolve(node.func) or (node.func.id if isinstance(node.func, ast.Name) else "")
        if function in ("__import__", "importlib.import_module") and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                self._flag(node, first.value)
        self.generic_visit(node)
