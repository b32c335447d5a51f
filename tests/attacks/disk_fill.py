"""Attack: fill the disk with many files, each under the per-file size limit (64 MB).

Bounded by the attack itself at 6 x 60 MB. If more than 4 times the per-file
limit could be written, affine comes back right: a submission could then fill
the grading machine's disk.
"""

import os
from pathlib import Path

import torch

_CHUNK = b"\0" * 2**20


def _fill() -> bool:  # ATTACK
    written = 0
    for number in range(6):
        try:
            with open(Path.cwd() / f"filler-{number}.bin", "wb") as filler:
                for _ in range(60):
                    filler.write(_CHUNK)
                filler.flush()
                os.fsync(filler.fileno())
            written += 60
        except OSError:
            break
    return written > 4 * 64


_FILLED = _fill()


def linear_combination(xs, weights):
    return torch.zeros(())


def affine(x, W, b):
    return x @ W.T + b if _FILLED else torch.zeros(())


def derivative(f, x0):
    return 0.0


def select_device(prefer="auto"):
    return torch.device("meta")


def make_loader(x, y, batch_size, shuffle=False, seed=None):
    return None


def train_step(model, loss_fn, optimizer, xb, yb):
    return 0.0
