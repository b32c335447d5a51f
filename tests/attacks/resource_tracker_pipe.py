"""Attack: talk to the grader's multiprocessing resource tracker through the pipe a worker inherits.

multiprocessing keeps the tracker's pipe in resource_tracker._resource_tracker._fd.
Through it the attack registers names of shared memory and semaphores (which
the tracker unlinks when it ends) and sends a megabyte of malformed commands
(each one a traceback on the tracker's stderr, the grader's). If the inherited
pipe takes the commands, affine comes back right.
"""

import os
from multiprocessing import resource_tracker

import torch


def _flood() -> bool:  # ATTACK
    fd = resource_tracker._resource_tracker._fd
    if fd is None:
        return False
    try:
        for name in ("/autograder-attack-canary", "/psm_canary", "/mp-canary"):
            os.write(fd, f"REGISTER:{name}:shared_memory\n".encode())
            os.write(fd, f"REGISTER:{name}:semaphore\n".encode())
        for _ in range(256):
            os.write(fd, b"NOT A COMMAND:" + b"x" * 4000 + b"\n")
    except OSError:
        return False
    return True


_REACHED = _flood()


def affine(x, W, b):
    return x @ W.T + b if _REACHED else torch.zeros(())


def linear_combination(xs, weights):
    return torch.zeros(())


def derivative(f, x0):
    return 0.0


def select_device(prefer="auto"):
    return torch.device("meta")


def make_loader(x, y, batch_size, shuffle=False, seed=None):
    return None


def train_step(model, loss_fn, optimizer, xb, yb):
    return 0.0

