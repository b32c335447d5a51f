"""Generate the student stubs ``assignments/NN/<module>.py`` from ``solutions/NN``.

Each solution region becomes ``raise NotImplementedError("Task NN.<name>")``,
done by nbgrader's own ClearSolutions preprocessor; jupytext writes the result
back in percent format. Signatures, docstrings and the teaching text stay.
"""

from __future__ import annotations

import copy
from pathlib import Path

import jupytext
from nbgrader.preprocessors import ClearSolutions

from autograder.build.solution_cells import mark_solution_cells, read_solution_notebook
from autograder.course import Assignment, Course
from autograder.layout import CourseLayout

_CLEAN_PY = {"notebook_metadata_filter": "-all", "cell_metadata_filter": "-all"}


def code_stub(task_id: str) -> str:
    """What a solution region of ``task_id`` becomes in the stub."""
    return f'# YOUR CODE HERE\nraise NotImplementedError("Task {task_id}")'


def stub_source(solution_path: Path, assignment: Assignment) -> str:
    """The stub module's text for one reference solution file."""
    notebook = read_solution_notebook(solution_path)
    mark_solution_cells(notebook, assignment, solution_path)
    resources = {"language": "python"}
    for index, cell in enumerate(notebook.cells):
        task_id = cell.metadata.get("course_task")
        if task_id:
            clear = ClearSolutions(code_stub={"python": code_stub(task_id)})
            notebook.cells[index], _ = clear.preprocess_cell(copy.deepcopy(cell), resources, index)
    notebook.metadata["jupytext"] = dict(_CLEAN_PY)
    return jupytext.writes(notebook, fmt="py:percent")


def build_stubs(layout: CourseLayout, course: Course, only: str | None = None) -> list[Path]:
    """Write the stub of every assignment (or of ``only``); return the paths written."""
    assignments = [course.assignment(only)] if only else list(course.assignments.values())
    written = []
    for assignment in assignments:
        target = layout.stub(assignment)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(stub_source(layout.solution(assignment), assignment), encoding="utf-8")
        written.append(target)
    return written
