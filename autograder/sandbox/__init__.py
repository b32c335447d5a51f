"""The sandbox: student code runs in confined worker processes, never in the grader.

The package imports nothing itself: :mod:`autograder.sandbox.forkserver` must
load without torch, so that a command starts the forkserver first.
"""
