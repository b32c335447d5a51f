"""Probes for assignment 01: what must run beside the student's tensors.py."""

from __future__ import annotations

import contextlib
from unittest import mock

import torch
from torch import nn

from autograder.student.probes import probe
from autograder.testkit.probes.shared import grad_of, leaf_copy, set_stale_gradients, state_of


def _cube(x):
    return x**3


def _exp_of_square(x):
    return torch.exp(x**2)


def _log1p_of_square(x):
    return torch.log1p(x**2)


def _x_times_sigmoid(x):
    return x * torch.sigmoid(x)


def _straight_through_round(x):
    # Its value is round(x), a step function, but autograd sees the identity:
    # the derivative by autograd is 1 everywhere, a finite difference gives 0.
    return x + (torch.round(x) - x).detach()


FUNCTIONS = {
    "cube": _cube,
    "sin": torch.sin,
    "tanh": torch.tanh,
    "exp_of_square": _exp_of_square,
    "log1p_of_square": _log1p_of_square,
    "x_times_sigmoid": _x_times_sigmoid,
    "straight_through_round": _straight_through_round,
}
"""The trusted functions a test may differentiate, by name (functions cannot be sent)."""


@probe
def derivative_of(module, name, x0):
    """The student's ``derivative`` of the trusted function ``FUNCTIONS[name]`` at ``x0``."""
    return module.derivative(FUNCTIONS[name], x0)


@probe
def linear_combination_and_inputs(module, xs, weights):
    """(the result, the tensors xs after the call): shows whether the inputs were changed."""
    result = module.linear_combination(xs, weights)
    return result, [x.detach().clone() for x in xs]


@probe
def affine_gradients(module, x, W, b, upstream):
    """Gradients of sum(affine(x, W, b) * upstream) for x, W and b, through the student's code."""
    x, W, b = (leaf_copy(t) for t in (x, W, b))
    (module.affine(x, W, b) * upstream).sum().backward()
    return [grad_of(t) for t in (x, W, b)]


def _simulated_cuda(module, available: bool, args: tuple):
    """Call select_device while every usual way of asking for a GPU gives the same answer."""
    answers = [
        (torch.cuda, "is_available", lambda: available),
        (torch.cuda, "device_count", lambda: int(available)),
        (getattr(torch, "accelerator", None), "is_available", lambda: available),
        (getattr(torch, "accelerator", None), "device_count", lambda: int(available)),
        (getattr(torch, "accelerator", None), "current_accelerator",
         lambda *_, **__: torch.device("cuda") if available else None),
    ]
    with contextlib.ExitStack() as stack:
        for owner, name, answer in answers:
            if owner is not None and hasattr(owner, name):
                stack.enter_context(mock.patch.object(owner, name, answer))
        return module.select_device(*args)


@probe
def select_device_with_gpu(module, *args):
    """``select_device(*args)`` while torch.cuda reports one available GPU."""
    return _simulated_cuda(module, True, args)


@probe
def select_device_without_gpu(module, *args):
    """``select_device(*args)`` while torch.cuda reports no GPU."""
    return _simulated_cuda(module, False, args)


@probe
def loader_batches(module, x, y, batch_size, *args, epochs=1, rng_state=None, **kwargs):
    """Build the student's loader and read it ``epochs`` times.

    With ``rng_state``, torch's global random state is set to it first, so the
    grader knows the state before the call without asking this process.

    Returns:
        {"classes": the qualified names of the loader's class and its bases,
         "len": len(loader) or None,
         "epochs": one list of (xb, yb) tuples per pass over the loader,
         "rng_after": torch's global random state after building and reading it
         (the grader compares it with the state it sent: a verdict computed here
         could be forged by the submission)}.
    """
    if rng_state is not None:
        torch.set_rng_state(rng_state)
    loader = module.make_loader(x, y, batch_size, *args, **kwargs)
    passes = [[tuple(batch) for batch in loader] for _ in range(epochs)]
    return {
        "classes": [f"{cls.__module__}.{cls.__qualname__}" for cls in type(loader).__mro__],
        "len": len(loader) if hasattr(loader, "__len__") else None,
        "epochs": passes,
        "rng_after": torch.get_rng_state(),
    }


LOSSES = {"mse": nn.MSELoss, "l1": nn.L1Loss}
"""The trusted loss functions a training probe may use, by name."""


def _optimizer(name: str, parameters, lr: float, momentum: float):
    if name == "sgd":
        return torch.optim.SGD(parameters, lr=lr, momentum=momentum)
    if name == "adam":
        return torch.optim.Adam(parameters, lr=lr)
    raise ValueError(f"unknown optimizer {name!r}")


@probe
def train_linear(module, state_dict, batches, lr, *, loss="mse", optimizer="sgd",
                 momentum=0.0, stale_grad=None, clear_between=False, device="cpu"):
    """Call ``module.train_step`` once per (xb, yb) batch on a trusted nn.Linear.

    The model starts from ``state_dict``; its optimizer and loss are trusted
    too. With ``stale_grad`` every parameter starts with a leftover gradient of
    that value, as after an earlier step that was never cleared. With
    ``clear_between`` the gradients are set to None before every call, so a
    test of something else does not depend on the student's zero_grad.

    Returns:
        {"losses": what each call returned, "states": the parameters after each call}.
    """
    out_features, in_features = state_dict["weight"].shape
    model = nn.Linear(in_features, out_features).to(device)
    model.load_state_dict(state_dict)
    chosen = _optimizer(optimizer, list(model.parameters()), lr, momentum)
    set_stale_gradients(model, stale_grad)
    loss_fn = LOSSES[loss]()
    losses, states = [], []
    for xb, yb in batches:
        if clear_between:
            model.zero_grad(set_to_none=True)
        losses.append(module.train_step(model, loss_fn, chosen, xb.to(device), yb.to(device)))
        states.append(state_of(model))
    return {"losses": losses, "states": states}
