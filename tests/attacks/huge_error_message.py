"""Attack: every function raises with a 2 MB message, to bloat (or break) the report."""

import torch


class AssertionError(Exception):  # noqa: A001 - a fake, to look like a test's own failure
    pass


_BLOB = "Y" * 2 * 2**20


def linear_combination(xs, weights):
    raise RuntimeError(_BLOB)  # ATTACK


def affine(x, W, b):
    raise AssertionError(_BLOB)  # ATTACK


def derivative(f, x0):
    raise RuntimeError(_BLOB)  # ATTACK


def select_device(prefer="auto"):
    raise RuntimeError(_BLOB)  # ATTACK


def make_loader(x, y, batch_size, shuffle=False, seed=None):
    raise TypeError(_BLOB)  # ATTACK


def train_step(model, loss_fn, optimizer, xb, yb):
    return torch.zeros(())
