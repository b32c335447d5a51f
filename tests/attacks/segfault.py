"""Attack: crash the worker with SIGSEGV, SIGABRT, SIGFPE, in calls.

linear_combination and affine are right: only the crashing tests may lose points.
"""

import ctypes
import faulthandler
import os

import torch


def linear_combination(xs, weights):
    if len(xs) == 0 or len(xs) != len(weights):
        raise ValueError("need as many weights as tensors")
    w = torch.as_tensor(weights, device=xs[0].device)
    return (w.reshape(-1, *[1] * xs[0].dim()) * torch.stack(list(xs))).sum(dim=0)


def affine(x, W, b):
    return x @ W.T + b


def derivative(f, x0):
    return ctypes.string_at(0)  # ATTACK: reads address 0


def select_device(prefer="auto"):
    os.abort()  # ATTACK


def make_loader(x, y, batch_size, shuffle=False, seed=None):
    faulthandler._sigfpe()  # ATTACK


def train_step(model, loss_fn, optimizer, xb, yb):
    ctypes.memset(0, 0, 64)  # ATTACK: writes to address 0
