"""Probes for assignment 02: what must run beside the student's scratch.py."""

from __future__ import annotations

import torch


def fit_and_return_params(module, x, y, weights, bias, **kwargs):
    """Run the student's ``fit`` on leaf copies of the parameters.

    Returns:
        (losses, weights after, bias after, weights.grad after, bias.grad after),
        so tests see the in-place updates and whether the gradients were zeroed.
    """
    weights = weights.detach().clone().requires_grad_(True)
    bias = bias.detach().clone().requires_grad_(True)
    losses = module.fit(x, y, weights, bias, **kwargs)
    return losses, weights.detach(), bias.detach(), _grad(weights), _grad(bias)


def _grad(tensor: torch.Tensor):
    return None if tensor.grad is None else tensor.grad.detach().clone()


def gradient_of_log_softmax(module, x, upstream):
    """d(sum(log_softmax(x) * upstream))/dx through the student's function."""
    x = x.detach().clone().requires_grad_(True)
    (module.log_softmax(x) * upstream).sum().backward()
    return _grad(x)


def init_params_facts(module, n_in, n_out, seed):
    """What init_params returned: values and whether each is a leaf requiring grad."""
    generator = torch.Generator().manual_seed(seed)
    weights, bias = module.init_params(n_in, n_out, generator=generator)
    return {
        "weights": weights.detach(),
        "bias": bias.detach(),
        "leaf_and_requires_grad": [weights.is_leaf and weights.requires_grad,
                                   bias.is_leaf and bias.requires_grad],
    }
