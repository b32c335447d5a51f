"""Attack: a submission named `grades.csv`, aiming its report at the class's CSV."""

import torch


def linear_combination(xs, weights):
    return torch.zeros(())


def affine(x, W, b):
    return torch.zeros(())
