"""Attack: a submission named `submissions`, so that its own report would land on the class's gradebook files."""

import torch


def linear_combination(xs, weights):
    return torch.zeros(())


def affine(x, W, b):
    return torch.zeros(())
