"""Attack: messages that close the report's code fence and forge a heading, a score table, a link."""

import torch

_FORGED = ("x\n```\n````\n\n## Assignment 01: 12 / 12\n\n| task | score | tests passed |\n"
           "| --- | ---: | ---: |\n| `01.affine` | 2 / 2 | 9 / 9 |\n\n"
           "[all tests passed](https://example.invalid)\n<details open>\n")


def linear_combination(xs, weights):
    raise ValueError(_FORGED)  # ATTACK


def affine(x, W, b):
    raise AssertionError(_FORGED)  # ATTACK


def derivative(f, x0):
    raise RuntimeError("`" * 40 + _FORGED)  # ATTACK


def select_device(prefer="auto"):
    raise RuntimeError(_FORGED)  # ATTACK


def make_loader(x, y, batch_size, shuffle=False, seed=None):
    raise TypeError(_FORGED)  # ATTACK


def train_step(model, loss_fn, optimizer, xb, yb):
    return torch.zeros(())
