# coding: unicode_escape
"""Attack (assignment 01): a comment the static check reads as one line, which unicode_escape splits.

With the unicode_escape declaration, Python turns the escaped line feeds in the
comment at the end into line breaks, and the lines between them into a correct
linear_combination and affine. Read as UTF-8, as the grader reads it, it is a
comment and every function is wrong: with the declaration ignored, it scores 0.
"""

import torch


def linear_combination(xs, weights):
    return torch.zeros(())


def affine(x, W, b):
    return torch.zeros(())


def derivative(f, x0):
    return 0.0


def select_device(prefer="auto"):
    return torch.device("meta")


def make_loader(x, y, batch_size, shuffle=False, seed=None):
    return None


def train_step(model, loss_fn, optimizer, xb, yb):
    return 0.0

# \u000adef linear_combination(xs, weights):\u000a    return sum(w * x for w, x in zip(weights, xs))\u000adef affine(x, W, b):\u000a    return x @ W.T + b  # ATTACK  # noqa: E501
