"""Read a reference solution as notebook cells and find the task of each solution cell.

A solution module is jupytext percent format; a code cell that holds a
``### BEGIN SOLUTION`` region defines exactly one top-level function or class,
whose name is the task (``log_softmax`` in assignment 02 is ``02.log_softmax``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import jupytext
from nbformat import NotebookNode

from autograder.build.cell_ids import nbgrader_metadata, solution_cell_id
from autograder.course import Assignment
from autograder.errors import CourseError

BEGIN_SOLUTION = "### BEGIN SOLUTION"


def read_solution_notebook(path: Path) -> NotebookNode:
    """The reference module as a notebook (jupytext's own percent-format reader)."""
    if not path.is_file():
        raise CourseError(f"no reference solution at {path}")
    return jupytext.read(path, fmt="py:percent")


def has_solution_region(cell: NotebookNode) -> bool:
    """Whether a code cell holds a ``### BEGIN SOLUTION`` region."""
    return cell.cell_type == "code" and BEGIN_SOLUTION in cell.source


def task_of_cell(cell: NotebookNode, assignment: Assignment, path: Path) -> str:
    """The course.yml task id of a solution cell, from the one function or class it defines.

    Raises:
        CourseError: the cell defines no or several top-level functions/classes,
            or course.yml lacks the task.
    """
    try:
        tree = ast.parse(cell.source)
    except SyntaxError as error:
        raise CourseError(f"{path}: a solution cell has a syntax error: {error.msg}") from None
    names = [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    ]
    if len(names) != 1:
        found = ", ".join(names) or "nothing"
        raise CourseError(
            f"{path}: a solution cell must define exactly one function or class (found {found})"
        )
    task_id = f"{assignment.id}.{names[0]}"
    try:
        assignment.task(task_id)
    except KeyError:
        raise CourseError(
            f"{path}: `{names[0]}` holds a solution but course.yml has no task {task_id}") from None
    return task_id


def mark_solution_cells(notebook: NotebookNode, assignment: Assignment, path: Path) -> None:
    """Give every solution cell nbgrader's solution metadata, keyed by its task."""
    for cell in notebook.cells:
        if has_solution_region(cell):
            task_id = task_of_cell(cell, assignment, path)
            cell.metadata["nbgrader"] = nbgrader_metadata(solution_cell_id(task_id), solution=True)
            cell.metadata["course_task"] = task_id
