# coding: shift_jis
"""Attack (assignment 01): a string the static check reads whole, which Shift JIS ends early.

Read as UTF-8, _NOTE is one string with an escaped quote in it. Decoded as
Shift JIS, as the declaration asks, the byte after the accented letter starts
a two-byte character that swallows the backslash, so the string ends there
and the rest of the line runs: exec of a correct linear_combination and
affine. With the declaration ignored, every function is wrong: it scores 0.
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


_NOTE = "Á\"; exec('def linear_combination(xs, weights): return sum(w * x for w, x in zip(weights, xs))'); exec('def affine(x, W, b): return x @ W.T + b');  #"  # ATTACK  # noqa: E501
