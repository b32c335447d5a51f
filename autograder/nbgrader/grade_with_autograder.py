"""``GradeWithAutograder``: nbgrader's autograde step, with the scores from the course autograder.

It takes the place of nbgrader's ``Execute`` in ``Autograde.autograde_preprocessors``
(``autograder nbgrader init`` writes that config). nbgrader's sanitize steps have
already run: outputs cleared, and every locked cell, test cells included, restored
from the gradebook (a deleted test cell is put back by
:class:`~autograder.nbgrader.restore_test_cells.RestoreTestCells`). This step then grades the notebook once,
exactly as ``autograder grade NN notebook.ipynb`` does (its code cells become the
module, the hidden tests run against it in the sandbox), and writes into each
autograded test cell two outputs: the task's feedback as stdout, and the task's
score as the cell's result. nbgrader's own ``SaveAutoGrades`` then reads them
with ``determine_grade``: a numeric ``execute_result`` is a partial score, so the
gradebook records exactly the grader's score. No output is ever ``stderr`` or an
error, which nbgrader would turn into 0.

The student's kernel does not run at all, for two reasons.

- Trust. In a kernel, the score is read from outputs that the student's own code
  produces, in the same process as the tests: it can install an IPython
  exception handler that hides failures, redefine the helpers the tests call,
  or monkeypatch torch; and any stderr line, such as a PyTorch ``UserWarning``,
  costs the whole cell. Here the verdict comes from the trusted grader process
  and the student's code runs only inside the sandbox's worker.
- Speed. A kernel costs a process start and ``import torch`` (seconds) per
  notebook; the grader forks a worker from a warm forkserver (tens of ms).
  ``benchmarks/nbgrader_autograde.py`` measures both.

A grade cell that is not a task's test cell (one an instructor added by hand)
gets 0 points and a note, since nothing would run it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import nbformat
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, Unicode

from autograder.api import grade
from autograder.build.cell_ids import grading_cell_id
from autograder.grading.results import GradeReport
from autograder.layout import CourseLayout
from autograder.nbgrader.feedback import scaled_score, task_feedback


class GradeWithAutograder(NbGraderPreprocessor):
    """Grade the notebook with the course autograder and write each task's score into its cell."""

    course_root = Unicode("", help="The course root (the folder holding course.yml); "
                          "empty: found from the working folder.").tag(config=True)
    sandbox = Bool(True, help="Run the student's code in the autograder's sandbox.").tag(config=True)
    device = Unicode("auto", help="Where device tests run: auto, cpu or cuda.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        """Grade once, then fill every autograded test cell."""
        layout = CourseLayout.locate(self.course_root or None)
        assignment = layout.load_course().assignment(resources["nbgrader"]["assignment"])
        report = self._grade(nb, layout, assignment.id, resources["nbgrader"]["notebook"])
        tasks = {grading_cell_id(task.id): task for task in report.tasks}
        for cell in nb.cells:
            if cell.cell_type != "code" or not utils.is_grade(cell) or utils.is_solution(cell):
                continue
            grade_id = cell.metadata["nbgrader"]["grade_id"]
            points = float(cell.metadata["nbgrader"]["points"])
            task = tasks.get(grade_id)
            if task is None:
                self.log.warning("Cell %s is not a task of course.yml: it scores 0", grade_id)
                text, score = f"Cell {grade_id} is not graded by the course autograder.\n", 0.0
            else:
                text = task_feedback(report, task, points, assignment.module)
                score = scaled_score(task, points)
            cell.outputs = _outputs(text, score)
            cell.execution_count = None
        self.log.info("Course autograder: %g / %g points", report.score, report.max_score)
        return nb, resources

    def _grade(self, nb: NotebookNode, layout: CourseLayout, assignment_id: str,
               notebook_id: str) -> GradeReport:
        with tempfile.TemporaryDirectory(prefix="nbgrader-") as folder:
            path = Path(folder) / f"{notebook_id}.ipynb"
            nbformat.write(nb, path)
            return grade(assignment_id, path, layout=layout, device=self.device, sandbox=self.sandbox)


def _outputs(text: str, score: float) -> list[NotebookNode]:
    """The feedback on stdout, then the score as the cell's value (nbgrader's partial credit)."""
    return [
        nbformat.v4.new_output("stream", name="stdout", text=text),
        nbformat.v4.new_output("execute_result", data={"text/plain": repr(float(score))},
                               execution_count=None),
    ]
