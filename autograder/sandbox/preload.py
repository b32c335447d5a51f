"""What the forkserver imports once, so that each worker starts as a cheap fork.

torch and the worker's own modules, always. What else an assignment's code
uses (torchvision, matplotlib, scikit-learn: the imports of its reference
solution) the forkserver is asked to preload next to this module, by name
(:func:`autograder.sandbox.forkserver.forkserver_context`), so that grading
assignment 01 does not pay for importing torchvision. matplotlib draws with
Agg, and importing it here builds its font cache before any worker loses the
right to write it.
"""

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import torch  # noqa: E402,F401
import torch._dynamo  # noqa: E402,F401 - the first optimizer a worker builds would import it

import autograder.sandbox.worker  # noqa: E402,F401
from autograder.student.probes import load_probes  # noqa: E402

load_probes()

import autograder.sandbox.dispatch_guard  # noqa: E402

autograder.sandbox.dispatch_guard.all_operators()  # the operator list, read once for every worker
