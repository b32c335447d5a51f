"""Trusted helpers that run next to the student's code and return data, one module per topic.

- :mod:`~autograder.testkit.probes.tensors`: assignment 01 (tensors and autograd);
- :mod:`~autograder.testkit.probes.scratch`: assignment 02 (a network from scratch);
- :mod:`~autograder.testkit.probes.cnn`, ``cnn_loaders``, ``cnn_parts``: assignment 03 (a CNN on MNIST);
- :mod:`~autograder.testkit.probes.iris`, ``iris_parts``: assignment 04 (Iris models);
- ``shared``: helpers the probe modules share.

Training loops are graded by record and replay: a trusted model records what
the student's loop fed it, and the grader replays each step with the
reference's update (``replay``, ``cnn_replay``, ``iris_replay``: these run in
the grader, never beside the student's code).

A probe is a function ``probe(module, *args, **kwargs)`` marked with
:func:`autograder.student.probes.probe`; only marked functions can be called
from a hidden test (``student.probe(scratch.fit_and_return_params, ...)``).
Probes do what must happen beside the student's code: autograd through their
function, loading a ``state_dict`` into their model, running their training
loop on seeded data. They never import the reference solutions, and what they
return is data for the grader to check, never evidence to believe.
"""
