"""Attack: the import takes just under the call limit and every call after it stalls, in a thread as well."""

import threading
import time

import torch

time.sleep(3.5)  # ATTACK: the import happens inside the first call


def _burn():
    while True:  # ATTACK: a thread that keeps a core busy for the worker's whole life
        sum(range(10_000))


threading.Thread(target=_burn, daemon=True).start()


def linear_combination(xs, weights):
    time.sleep(3.5)
    return torch.zeros(())


def affine(x, W, b):
    time.sleep(3.5)
    return torch.zeros(())


def derivative(f, x0):
    time.sleep(3.5)
    return 0.0


def select_device(prefer="auto"):
    time.sleep(3.5)
    return torch.device("meta")


def make_loader(x, y, batch_size, shuffle=False, seed=None):
    time.sleep(3.5)
    return []


def train_step(model, loss_fn, optimizer, xb, yb):
    time.sleep(3.5)
    return 0.0
