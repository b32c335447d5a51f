"""Attack: allocate (and touch) memory until something stops it, inside one call.

linear_combination is right except for an empty list, where it allocates 256 MB
blocks forever instead of raising ValueError: only that test may lose points.
"""

import torch


def linear_combination(xs, weights):
    if len(xs) == 0:
        hog = []
        while True:  # ATTACK: ends with MemoryError/RuntimeError or the OOM killer
            hog.append(torch.ones(2**26))
    if len(xs) != len(weights):
        raise ValueError("need as many weights as tensors")
    w = torch.as_tensor(weights, device=xs[0].device)
    return (w.reshape(-1, *[1] * xs[0].dim()) * torch.stack(list(xs))).sum(dim=0)


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
