"""The grader packaged for the platforms where students hand in their work.

Each platform grades exactly as the instructor's checkout does: the same
``autograder grade NN PATH --course ROOT`` against a self-contained course root
(course.yml, the reference solution and the hidden tests of one assignment),
with the engine installed from its own source.

- ``gradescope``: ``autograder-NN.zip`` with ``setup.sh``, ``run_autograder``,
  the course root and the engine (:mod:`autograder.package.gradescope`);
- ``github``: a GitHub Actions workflow for students' repositories that reports
  points to GitHub Classroom (:mod:`autograder.package.github`);
- ``gitlab``: a GitLab CI job with a JUnit report (:mod:`autograder.package.gitlab`).

Shared pieces: what goes into a course root and where the engine's source is
(:mod:`~autograder.package.bundle`), finding a student's file in whatever a
platform hands over (:mod:`~autograder.package.locate`), the shell the
entry points share (:mod:`~autograder.package.shell`) and YAML output
(:mod:`~autograder.package.yaml_file`).
"""
