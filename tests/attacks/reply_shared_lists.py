"""Attack: replies of lists that share their items, two to the power of sixty leaves in a few bytes.

The worker's encoder is patched to pass values through, so torch.save pickles
a list of two references to a list of two references... sixty levels deep: a
few kilobytes on the wire, but anything that walks it in the grader (a type
check, a comparison) never ends. Every function is wrong as well: with honest
replies it scores 0.
"""

import torch

import autograder.student.wire as wire

wire.to_wire = lambda value, keep: value  # ATTACK: no data-only encoding in the worker


def _shared(depth=60):  # ATTACK
    value = [torch.zeros(())]
    for _ in range(depth):
        value = [value, value]
    return value


def linear_combination(xs, weights):
    return _shared()


def affine(x, W, b):
    return _shared()


def derivative(f, x0):
    return 0.0


def select_device(prefer="auto"):
    return torch.device("meta")


def make_loader(x, y, batch_size, shuffle=False, seed=None):
    return None


def train_step(model, loss_fn, optimizer, xb, yb):
    return _shared()

