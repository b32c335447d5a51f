"""Probes for assignment 02: what must run beside the student's scratch.py.

``fit`` calls the module's own ``model`` and ``nll`` (which call
``log_softmax``). The fit probes swap in trusted versions of these three for
the duration of the call, so that a mistake in one of them costs its own task
and not ``02.fit`` as well.
"""

from __future__ import annotations

import torch

from autograder.student.probes import probe
from autograder.testkit.probes.shared import grad_of, leaf_copy, swapped_attributes


def _trusted_log_softmax(x: torch.Tensor) -> torch.Tensor:
    shifted = x - x.amax(dim=-1, keepdim=True)
    return shifted - shifted.exp().sum(dim=-1, keepdim=True).log()


def _trusted_nll(input: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    rows = torch.arange(input.shape[0], device=input.device)
    return -input[rows, target].mean()


def _trusted_model(xb: torch.Tensor, weights: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    return _trusted_log_softmax(xb @ weights + bias)


_TRUSTED_HELPERS = {"log_softmax": _trusted_log_softmax, "nll": _trusted_nll,
                    "model": _trusted_model}


def _trusted_helpers(module):
    """Replace the module's log_softmax, nll and model by trusted ones, then restore them."""
    return swapped_attributes(module, _TRUSTED_HELPERS)


@probe
def fit_and_return_params(module, x, y, weights, bias, **kwargs):
    """Run the student's ``fit`` on leaf copies of the parameters, with trusted helpers.

    Returns:
        (losses, weights after, bias after, weights.grad after, bias.grad after),
        so tests see the in-place updates and whether the gradients were zeroed.
    """
    weights, bias = leaf_copy(weights), leaf_copy(bias)
    with _trusted_helpers(module):
        losses = module.fit(x, y, weights, bias, **kwargs)
    return losses, weights.detach(), bias.detach(), grad_of(weights), grad_of(bias)


@probe
def leaves_after_fit(module, x, y, weights, bias, **kwargs):
    """Whether the caller's weights and bias are still leaf tensors requiring grad after fit."""
    weights, bias = leaf_copy(weights), leaf_copy(bias)
    with _trusted_helpers(module):
        module.fit(x, y, weights, bias, **kwargs)
    return [weights.is_leaf and weights.requires_grad, bias.is_leaf and bias.requires_grad]


@probe
def gradient_of_log_softmax(module, x, upstream):
    """d(sum(log_softmax(x) * upstream))/dx through the student's function."""
    x = leaf_copy(x)
    (module.log_softmax(x) * upstream).sum().backward()
    return grad_of(x)


@probe
def input_after_log_softmax(module, x):
    """The input tensor as it is after the student's log_softmax (it should be unchanged)."""
    module.log_softmax(x)
    return x


@probe
def gradient_of_nll(module, log_probs, target):
    """The gradient of nll(log_probs, target) with respect to log_probs, through the student's nll."""
    log_probs = leaf_copy(log_probs)
    module.nll(log_probs, target).backward()
    return grad_of(log_probs)


@probe
def gradients_of_model(module, xb, weights, bias, upstream):
    """(d/d weights, d/d bias) of sum(model(xb, weights, bias) * upstream), None if absent."""
    weights, bias = leaf_copy(weights), leaf_copy(bias)
    (module.model(xb, weights, bias) * upstream).sum().backward()
    return grad_of(weights), grad_of(bias)


@probe
def init_params_facts(module, n_in=None, n_out=None, seed=0):
    """What init_params returned: values and whether each is a leaf requiring grad.

    Sizes left as None are not passed (``n_out`` only with ``n_in``), so the
    student's defaults apply.
    """
    sizes = [size for size in (n_in, n_out) if size is not None]
    generator = torch.Generator().manual_seed(seed)
    weights, bias = module.init_params(*sizes, generator=generator)
    return {
        "weights": weights.detach(),
        "bias": bias.detach(),
        "leaf_and_requires_grad": [weights.is_leaf and weights.requires_grad,
                                   bias.is_leaf and bias.requires_grad],
    }
