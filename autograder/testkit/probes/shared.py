"""Helpers the probe modules share: swapping in trusted functions, copying tensors and state."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from types import ModuleType

import torch
from torch import nn

_ABSENT = object()


@contextlib.contextmanager
def swapped_attributes(module: ModuleType, replacements: dict[str, Callable]) -> Iterator[None]:
    """Set ``module.<name>`` to each replacement for the duration, then restore the originals.

    Probes use it so that, say, the student's ``fit`` runs with trusted
    helpers and a mistake in a helper costs only the helper's own task.
    """
    saved = {name: module.__dict__.get(name, _ABSENT) for name in replacements}
    for name, replacement in replacements.items():
        setattr(module, name, replacement)
    try:
        yield
    finally:
        for name, original in saved.items():
            if original is _ABSENT:
                delattr(module, name)
            else:
                setattr(module, name, original)


def leaf_copy(tensor: torch.Tensor) -> torch.Tensor:
    """A detached copy of ``tensor`` that is a leaf requiring grad."""
    return tensor.detach().clone().requires_grad_(True)


def grad_of(tensor: torch.Tensor) -> torch.Tensor | None:
    """A copy of ``tensor.grad``, or None when it has none."""
    return None if tensor.grad is None else tensor.grad.detach().clone()


def state_of(model: nn.Module) -> dict[str, torch.Tensor]:
    """A detached copy of the model's state_dict."""
    return {key: value.detach().clone() for key, value in model.state_dict().items()}


def set_stale_gradients(model: nn.Module, value: float | None) -> None:
    """Give every parameter a leftover gradient of ``value`` (None: leave them alone)."""
    if value is None:
        return
    for parameter in model.parameters():
        parameter.grad = torch.full_like(parameter, value)


def plain_number(value):
    """A float subclass (numpy.float64, say) as a plain float; anything else unchanged."""
    return float(value) if isinstance(value, float) and not isinstance(value, bool) else value
