"""Attack: print 50 MB at import and 5 MB in every call, through every stream. affine is right."""

import os
import sys

import torch

_MB = "x" * (2**20 - 1) + "\n"


def _flood(megabytes: int) -> None:
    for i in range(megabytes):  # ATTACK
        sys.stdout.write(_MB)
        print(_MB, file=sys.stderr)
        if i % 4 == 0:
            for fd in (1, 2):
                os.write(fd, _MB.encode())
    for path in ("/dev/tty", "/dev/stdout", "/dev/stderr", f"/proc/{os.getppid()}/fd/1"):
        try:
            with open(path, "w") as stream:
                stream.write(_MB)
        except OSError:
            pass


_flood(50)


def linear_combination(xs, weights):
    _flood(5)
    return torch.zeros(())


def affine(x, W, b):
    _flood(1)
    return x @ W.T + b


def derivative(f, x0):
    _flood(5)
    return 0.0


def select_device(prefer="auto"):
    _flood(5)
    return torch.device("meta")


def make_loader(x, y, batch_size, shuffle=False, seed=None):
    _flood(5)
    return None


def train_step(model, loss_fn, optimizer, xb, yb):
    _flood(5)
    return 0.0
