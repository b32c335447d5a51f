"""Attack: end the worker inside calls (os._exit, SystemExit, SIGKILL to itself, KeyboardInterrupt).

linear_combination and affine are right: only the tests that hit an exit may lose points.
"""

import os
import signal
import sys

import torch


def linear_combination(xs, weights):
    if len(xs) == 0 or len(xs) != len(weights):
        raise ValueError("need as many weights as tensors")
    w = torch.as_tensor(weights, device=xs[0].device)
    return (w.reshape(-1, *[1] * xs[0].dim()) * torch.stack(list(xs))).sum(dim=0)


def affine(x, W, b):
    return x @ W.T + b


def derivative(f, x0):
    os._exit(3)  # ATTACK


def select_device(prefer="auto"):
    sys.exit(0)  # ATTACK


def make_loader(x, y, batch_size, shuffle=False, seed=None):
    os.kill(os.getpid(), signal.SIGKILL)  # ATTACK


def train_step(model, loss_fn, optimizer, xb, yb):
    raise KeyboardInterrupt  # ATTACK
