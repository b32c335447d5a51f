"""The test kit: what hidden tests import, apart from the grading engine.

- :mod:`autograder.testkit.compare`: tensor and number comparison with feedback;
- :mod:`autograder.testkit.strategies`: bounded hypothesis strategies;
- :mod:`autograder.testkit.probes`: trusted helpers that run beside the
  student's code, one module per topic of the course.

The kit may import the engine's public pieces (the student proxy's errors and
the probe decorator); the engine never imports the kit.
"""
