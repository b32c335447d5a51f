# -*- coding: utf-7 -*-
"""Attack (assignment 01): code the static check reads as a comment, which Python decodes as code.

The coding declaration makes Python decode this file as UTF-7, where the
comment at the end holds line breaks (+AAo-) and a correct linear_combination
and affine. Read as UTF-8, as the grader reads it, that line is a comment and
every function is wrong: with the declaration ignored, it scores 0.
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

# +AAo-def linear+AF8-combination(xs, weights):+AAo-    return sum(w +ACo- x for w, x in zip(weights, xs))+AAo-def affine(x, W, b):+AAo-    return x +AEA- W.T +- b+AAo-# ATTACK  # noqa: E501
