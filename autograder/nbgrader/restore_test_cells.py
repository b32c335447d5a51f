"""``RestoreTestCells``: put back the autograded test cells a student deleted.

A sanitize step of ``nbgrader autograde``, after nbgrader's ``OverwriteCells``.
Each test cell missing from the submission is rebuilt from the gradebook's
copy of the source cell and inserted after its task's solution cell (at the
end if that is gone too), so ``GradeWithAutograder`` grades every task: a
deleted test cell neither loses its points nor crashes the grading.

nbgrader's own ``OverwriteCells.add_missing_cells`` does the same, but it
inserts a cell after the cell that preceded it in the source notebook and
raises ``KeyError`` when that cell was deleted as well (a student who deletes
a solution cell and its test cell), which fails the whole submission.
"""

from __future__ import annotations

import nbformat
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.build.cell_ids import nbgrader_metadata, solution_id_of_test_cell


class RestoreTestCells(NbGraderPreprocessor):
    """Insert every autograded code cell of the source notebook that the submission lacks."""

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        """Find the gradebook's test cells, and restore those the notebook lacks."""
        info = resources["nbgrader"]
        present = {cell.metadata["nbgrader"].get("grade_id") for cell in nb.cells
                   if "nbgrader" in cell.metadata}
        with Gradebook(info["db_url"]) as gradebook:
            notebook = gradebook.find_notebook(info["notebook"], info["assignment"])
            solution_ids = {cell.name for cell in notebook.solution_cells}
            for grade_cell in notebook.grade_cells:
                if grade_cell.cell_type != "code" or grade_cell.name in present | solution_ids:
                    continue
                source = gradebook.find_source_cell(grade_cell.name, info["notebook"], info["assignment"])
                self.log.warning("Test cell %s was deleted: putting it back", grade_cell.name)
                cell = _test_cell(grade_cell.name, source.source, source.checksum, grade_cell.max_score)
                nb.cells.insert(_position(nb, grade_cell.name), cell)
        return nb, resources


def _test_cell(grade_id: str, source: str, checksum: str, points: float) -> NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata = NotebookNode({
        "deletable": False,
        "editable": False,
        "nbgrader": nbgrader_metadata(grade_id, grade=True, locked=True, points=points, checksum=checksum),
    })
    return cell


def _position(nb: NotebookNode, grade_id: str) -> int:
    """Just after the task's solution cell ('test-02-nll' follows 'task-02-nll'), else the end."""
    solution_id = solution_id_of_test_cell(grade_id)
    for index, cell in enumerate(nb.cells):
        if cell.metadata.get("nbgrader", {}).get("grade_id") == solution_id:
            return index + 1
    return len(nb.cells)
