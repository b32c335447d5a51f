"""Attack: change the metadata of files outside the sandbox: mode (setuid!), times, extended attributes.

The target is a canary file the test batch creates; in the checkout only
no-op changes are tried (the mode and times a file already has). If any
change is allowed, affine comes back right.
"""

import os
from pathlib import Path

import torch

import autograder

CANARY = "/tmp/autograder-attack-canary.txt"


def _tamper() -> bool:  # ATTACK
    course_file = Path(autograder.__file__).resolve().parents[1] / "course.yml"
    changes = [
        lambda: os.chmod(CANARY, 0o4777),
        lambda: os.utime(CANARY, (0, 0)),
        lambda: os.setxattr(CANARY, "user.forged", b"FORGED-BY-ATTACK"),
    ]
    try:
        status = os.stat(course_file)
        changes += [
            lambda: os.chmod(course_file, status.st_mode & 0o7777),
            lambda: os.utime(course_file, ns=(status.st_atime_ns, status.st_mtime_ns)),
        ]
    except OSError:
        pass
    allowed = False
    for change in changes:
        try:
            change()
            allowed = True
        except OSError:
            continue
    return allowed


_ALLOWED = _tamper()


def linear_combination(xs, weights):
    return torch.zeros(())


def affine(x, W, b):
    return x @ W.T + b if _ALLOWED else torch.zeros(())


def derivative(f, x0):
    return 0.0


def select_device(prefer="auto"):
    return torch.device("meta")


def make_loader(x, y, batch_size, shuffle=False, seed=None):
    return None


def train_step(model, loss_fn, optimizer, xb, yb):
    return 0.0
