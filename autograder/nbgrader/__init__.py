"""The nbgrader path: the course directory, its source notebooks, and autograding through our grader.

- :mod:`~autograder.nbgrader.course_dir`: ``autograder nbgrader init DIR``.
- :mod:`~autograder.nbgrader.source_notebook`: solution module -> nbgrader source notebook.
- :mod:`~autograder.nbgrader.public_tests`: the visible part of each test cell.
- :mod:`~autograder.nbgrader.restore_test_cells`: the sanitize step that puts back deleted test cells.
- :mod:`~autograder.nbgrader.grade_with_autograder`: the autograde step that replaces ``Execute``.
- :mod:`~autograder.nbgrader.feedback`: the per-task feedback text written into test cells.
- :mod:`~autograder.nbgrader.cli`: the ``autograder nbgrader`` sub-commands.

Nothing here is imported by ``autograder`` itself; nbgrader is imported only by
the autograde step.
"""
