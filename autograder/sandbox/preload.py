"""What the forkserver imports once, so that each worker starts as a cheap fork.

torch, torchvision, matplotlib (Agg) and scikit-learn's Iris loader are what
the course's submissions and probes use; importing them here also builds
matplotlib's font cache before any worker loses the right to write it.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot  # noqa: E402,F401
import sklearn.datasets  # noqa: E402,F401
import torch  # noqa: E402,F401
import torchvision  # noqa: E402,F401

import autograder.sandbox.worker  # noqa: E402,F401
from autograder.student.probes import load_probes  # noqa: E402

load_probes()

import autograder.sandbox.dispatch_guard  # noqa: E402

autograder.sandbox.dispatch_guard.all_operators()  # the operator list, read once for every worker
