"""Attack: end the worker process at import, before any function exists."""

import os

os._exit(0)  # ATTACK: no cleanup, no exception for the importer to catch


def linear_combination(xs, weights):
    return None


def affine(x, W, b):
    return None


def derivative(f, x0):
    return None


def select_device(prefer="auto"):
    return None


def make_loader(x, y, batch_size, shuffle=False, seed=None):
    return None


def train_step(model, loss_fn, optimizer, xb, yb):
    return None
