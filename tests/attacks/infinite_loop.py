"""Attack: loop forever in a call, ignoring signals and swallowing every exception.

select_device is right except for invalid names, where it never returns: only
the one test that asks for an invalid name may lose its points.
"""

import signal

import torch


def _forever():
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGALRM, signal.SIGHUP, signal.SIGXCPU):
        signal.signal(sig, signal.SIG_IGN)
    while True:  # ATTACK
        try:
            while True:
                pass
        except BaseException:  # noqa: BLE001
            continue


def linear_combination(xs, weights):
    return torch.zeros(())


def affine(x, W, b):
    return torch.zeros(())


def derivative(f, x0):
    return 0.0


def select_device(prefer="auto"):
    if prefer == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if prefer == "cpu":
        return torch.device("cpu")
    if prefer == "cuda":
        if not torch.cuda.is_available():
            raise RuntimeError("CUDA was requested but no GPU is available")
        return torch.device("cuda")
    _forever()


def make_loader(x, y, batch_size, shuffle=False, seed=None):
    return None


def train_step(model, loss_fn, optimizer, xb, yb):
    return 0.0
