"""Build mutant submissions from tests/mutants/NN/mutants.yml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from autograder.course import Assignment
from autograder.layout import CourseLayout


@dataclass(frozen=True)
class Mutant:
    """A wrong submission and the tasks it must (and may) lose."""

    layout: CourseLayout
    assignment: Assignment
    name: str
    why: str
    replacements: tuple[tuple[str, str], ...]
    loses: frozenset[str]
    may_lose: frozenset[str]

    def source(self) -> str:
        """The reference with this mutant's replacements applied."""
        text = self.layout.solution(self.assignment).read_text()
        for old, new in self.replacements:
            count = text.count(old)
            if count != 1:
                raise AssertionError(f"mutant {self.name}: {old!r} occurs {count} times in the reference")
            text = text.replace(old, new)
        return text

    def write(self, folder: Path) -> Path:
        """Write the mutant as a .py submission; return its path."""
        path = folder / f"{self.name}.py"
        path.write_text(self.source())
        return path


def load_mutants(layout: CourseLayout, assignment: Assignment) -> list[Mutant]:
    """The mutants of one assignment, in file order."""
    path = layout.mutants(assignment.id)
    if not path.exists():
        return []
    entries = yaml.safe_load(path.read_text()) or {}
    return [
        Mutant(
            layout=layout,
            assignment=assignment,
            name=name,
            why=entry["why"],
            replacements=tuple((step["old"], step["new"]) for step in entry["replace"]),
            loses=frozenset(entry["loses"]),
            may_lose=frozenset(entry.get("may_lose", [])),
        )
        for name, entry in entries.items()
    ]
