"""Attack: every call sleeps just under the per-call limit, to hold a grading slot as long as possible."""

import time

import torch

_JUST_UNDER_S = 3.5  # the attack batch gives time attacks 4 s per call


def _stall():
    time.sleep(_JUST_UNDER_S)  # ATTACK


def linear_combination(xs, weights):
    _stall()
    return torch.zeros(())


def affine(x, W, b):
    _stall()
    return torch.zeros(())


def derivative(f, x0):
    _stall()
    return 0.0


def select_device(prefer="auto"):
    _stall()
    return torch.device("meta")


def make_loader(x, y, batch_size, shuffle=False, seed=None):
    _stall()
    return []


def train_step(model, loss_fn, optimizer, xb, yb):
    _stall()
    return 0.0
