"""Attack: replies that are views repeating one element billions of times.

torch.zeros(1).expand(65536, 65536) saves as a four-byte storage and a shape:
the reply is tiny, but any comparison in the grader that materialises it
needs 16 GB. Every tensor-returning function returns such a view (wrong in
any case): with honest replies it scores 0.
"""

import torch


def _view(*shape):  # ATTACK
    return torch.zeros(1).expand(*shape)


def linear_combination(xs, weights):
    return _view(65536, 65536)


def affine(x, W, b):
    return _view(65536, 65536)


def derivative(f, x0):
    return _view(2**17, 2**16)


def select_device(prefer="auto"):
    return torch.device("meta")


def make_loader(x, y, batch_size, shuffle=False, seed=None):
    return None


def train_step(model, loss_fn, optimizer, xb, yb):
    return _view(65536, 65536)
