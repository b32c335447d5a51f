"""How many hidden tests each mutant fails: one mistake should fail the tests of one behaviour.

Run: ``python benchmarks/mutant_failures.py [01 02 ...] [--markdown FILE]``

Grades every mutant of tests/mutants/NN/mutants.yml in-process (no sandbox,
for speed) and prints, per mutant, the tasks it loses, the number of failed
tests per task and the total number of failed tests. With ``--markdown`` the
same tables are written to FILE, one section per assignment. A count, not an
assertion: compare the tables before and after a change of the hidden tests.
"""

from __future__ import annotations

import argparse
import tempfile
from dataclasses import dataclass
from pathlib import Path

from autograder.api import grade
from autograder.course import default_course
from tests.grader.mutants import Mutant, load_mutants

HEADERS = ("mutant", "tasks lost", "failed tests per task", "failed tests")


@dataclass(frozen=True)
class MutantFailures:
    """What grading one mutant cost it."""

    name: str
    """The mutant's name in mutants.yml."""
    lost: tuple[str, ...]
    """The tasks that scored below their maximum, in course.yml order, marked when by a policy violation."""
    failed: dict[str, int]
    """Failed (or erroring, or timed-out) tests per task, tasks without failures left out."""

    @property
    def total(self) -> int:
        """All failed tests of the mutant."""
        return sum(self.failed.values())

    def row(self) -> tuple[str, str, str, str]:
        """The mutant's row of the table."""
        per_task = ", ".join(f"{task} {count}" for task, count in self.failed.items())
        return self.name, ", ".join(self.lost) or "-", per_task or "-", str(self.total)


def failures_of(mutant: Mutant, folder: Path) -> MutantFailures:
    """Grade ``mutant`` in-process and count what it lost."""
    report = grade(mutant.assignment.id, mutant.write(folder), device="cpu", sandbox=False)
    lost = tuple(task.id + (" (API policy)" if task.violations else "")
                 for task in report.tasks if task.score < task.max_score - 1e-9)
    failed = {}
    for task in report.tasks:
        count = sum(test.status not in ("passed", "skipped") for test in task.tests)
        if count:
            failed[task.id] = count
    return MutantFailures(mutant.name, lost, failed)


def text_table(rows: list[tuple[str, ...]]) -> str:
    """Rows under HEADERS, in aligned columns."""
    table = [HEADERS, *rows]
    widths = [max(len(row[column]) for row in table) for column in range(len(HEADERS))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
                     for row in table)


def markdown_table(rows: list[tuple[str, ...]]) -> str:
    """Rows under HEADERS, as a Markdown table."""
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + " --- |" * len(HEADERS)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    """Grade the mutants of the chosen assignments and print (and write) the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    parser.add_argument("--markdown", type=Path, default=None, help="also write Markdown tables here")
    args = parser.parse_args()
    course = default_course()
    sections = []
    for key in args.assignments or sorted(course.assignments):
        assignment = course.assignment(key)
        with tempfile.TemporaryDirectory(prefix="mutants-") as folder:
            rows = [failures_of(mutant, Path(folder)).row() for mutant in load_mutants(assignment)]
        print(f"\n{assignment.id}: {assignment.title}\n{text_table(rows)}", flush=True)
        sections.append(f"## {assignment.id}: {assignment.title}\n\n{markdown_table(rows)}\n")
    if args.markdown:
        args.markdown.write_text("\n".join(sections))


if __name__ == "__main__":
    main()
