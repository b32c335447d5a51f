"""Attack: a submission named `grades`, so its report would land on grades.json."""

import torch


def linear_combination(xs, weights):
    return torch.zeros(())


def affine(x, W, b):
    return torch.zeros(())
