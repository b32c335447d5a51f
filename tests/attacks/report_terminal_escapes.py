"""Attack: messages with terminal escapes: clear the screen, recolour, a clipboard write (OSC 52)."""

import torch

_ESCAPES = ("\x1b[2J\x1b[H\x1b[32mAll tests passed: 12 / 12\x1b[0m\x1b]52;c;cm0gLXJmIH4K\x07"
            "\x1b]0;title\x07\r\x1b[Kfake line\x9b31mC1 escape\x07\x08\x08 \u202enoitceles\u202c")


def linear_combination(xs, weights):
    raise ValueError(_ESCAPES)  # ATTACK


def affine(x, W, b):
    raise AssertionError(_ESCAPES)  # ATTACK


def derivative(f, x0):
    raise RuntimeError(_ESCAPES)  # ATTACK


def select_device(prefer="auto"):
    raise RuntimeError(_ESCAPES)  # ATTACK


def make_loader(x, y, batch_size, shuffle=False, seed=None):
    raise TypeError(_ESCAPES)  # ATTACK


def train_step(model, loss_fn, optimizer, xb, yb):
    return torch.zeros(())
