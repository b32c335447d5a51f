"""What the forkserver imports once, so that each worker starts as a cheap fork.

torch, torchvision, matplotlib (Agg) and scikit-learn's Iris loader are what
the course's submissions and probes use; importing them here also builds
matplotlib's font cache before any worker loses the right to write it.
"""

import matplotlib

matplotlib.use("Agg")

import importlib  # noqa: E402
import pkgutil  # noqa: E402

import matplotlib.pyplot  # noqa: E402,F401
import sklearn.datasets  # noqa: E402,F401
import torch  # noqa: E402,F401
import torchvision  # noqa: E402,F401

import autograder.probes  # noqa: E402
import autograder.sandbox.worker  # noqa: E402,F401

for _probe_module in pkgutil.iter_modules(autograder.probes.__path__):
    importlib.import_module(f"autograder.probes.{_probe_module.name}")

import autograder.sandbox.dispatch_guard  # noqa: E402

autograder.sandbox.dispatch_guard.all_operators()  # the operator list, read once for every worker
