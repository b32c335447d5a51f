"""Probes for assignment 04: what must run beside the student's iris.py.

``train`` and the ``evaluate_*`` functions are probed on a trusted model
defined here and built from a state_dict, so that a mistake in the student's
MLR, LR, MLPR, MLPC or AE classes costs only those tasks. The trusted model
records the mode and the autograd state of every call, so tests can see
whether an evaluation ran in eval mode under ``torch.no_grad()``.
"""

from __future__ import annotations

import torch
from torch import nn

from autograder.student.probes import probe
from autograder.testkit.probes.shared import grad_of, leaf_copy, set_stale_gradients, state_of

MODEL_CLASSES = ("MLR", "LR", "MLPR", "MLPC", "AE")
"""The student's model classes a probe may build, by name."""

EVALUATORS = ("evaluate_regression", "evaluate_classification", "evaluate_autoencoder")
"""The student's evaluation functions a probe may call, by name."""


class _Trusted(nn.Module):
    """l1, then (if the state_dict has l2) a sigmoid and l2, then optionally a sigmoid."""

    def __init__(self, state_dict: dict, sigmoid_output: bool):
        super().__init__()
        out_features, in_features = state_dict["l1.weight"].shape
        self.l1 = nn.Linear(in_features, out_features)
        self.l2 = None
        if "l2.weight" in state_dict:
            out_features, in_features = state_dict["l2.weight"].shape
            self.l2 = nn.Linear(in_features, out_features)
        self.load_state_dict(state_dict)
        self.sigmoid_output = sigmoid_output
        self.seen: list[tuple[bool, bool]] = []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.seen.append((self.training, torch.is_grad_enabled()))
        out = self.l1(x)
        if self.l2 is not None:
            out = self.l2(torch.sigmoid(out))
        return torch.sigmoid(out) if self.sigmoid_output else out


def _trusted(state_dict: dict, sigmoid_output: bool, device) -> _Trusted:
    model = _Trusted({key: value.detach().cpu() for key, value in state_dict.items()}, sigmoid_output)
    return model.to(device).train()


@probe
def train_trusted(module, state_dict, X, Y, *args, sigmoid_output=False, stale_grad=None,
                  device="cpu", **kwargs):
    """Call ``module.train`` on a trusted model that starts from ``state_dict``.

    With ``stale_grad`` every parameter starts with a leftover gradient of that
    value, as after an earlier backward pass that was never cleared.

    Returns:
        {"losses": what train returned, "state_dict": the trusted model's parameters after}.
    """
    model = _trusted(state_dict, sigmoid_output, device)
    set_stale_gradients(model, stale_grad)
    losses = module.train(model, X, Y, *args, **kwargs)
    return {"losses": losses, "state_dict": state_of(model)}


@probe
def evaluate_trusted(module, evaluator, state_dict, X, *targets, sigmoid_output=False, device="cpu"):
    """Call ``module.<evaluator>(model, X, *targets)`` on a trusted model left in train mode.

    Returns:
        {"result": what the evaluator returned, "seen": (training, grad enabled) of
        every forward call}.
    """
    if evaluator not in EVALUATORS:
        raise ValueError(f"{evaluator!r} is not one of {EVALUATORS}")
    model = _trusted(state_dict, sigmoid_output, device)
    result = getattr(module, evaluator)(model, X, *targets)
    return {"result": result, "seen": list(model.seen)}


def _model(module, class_name, args, state_dict):
    if class_name not in MODEL_CLASSES:
        raise ValueError(f"{class_name!r} is not one of {MODEL_CLASSES}")
    model = getattr(module, class_name)(*args)
    if state_dict is not None:
        model.load_state_dict(state_dict)
    return model


@probe
def model_gradients(module, class_name, args, state_dict, x, upstream, method="forward"):
    """Gradients of sum(model.<method>(x) * upstream) through the student's model.

    Returns:
        {"output": the output, "parameters": {name: its gradient or None},
        "input": the gradient with respect to x or None}.
    """
    if method not in ("forward", "project"):
        raise ValueError(f"unknown method {method!r}")
    model = _model(module, class_name, args, state_dict)
    x = leaf_copy(x)
    output = getattr(model, method)(x)
    if output.requires_grad:  # otherwise no gradient reaches anything: reported as None below
        (output * upstream).sum().backward()
    grads = {name: grad_of(parameter) for name, parameter in model.named_parameters()}
    return {"output": output.detach(), "parameters": grads,
            "input": grad_of(x)}


@probe
def parameter_facts(module, class_name, *args):
    """What ``class_name(*args)`` holds: parameter names and shapes, and how many numbers it learns."""
    model = _model(module, class_name, args, None)
    return {
        "shapes": {name: tuple(parameter.shape) for name, parameter in model.named_parameters()},
        "trainable": sum(parameter.numel() for parameter in model.parameters()
                         if parameter.requires_grad),
    }


@probe
def compare_models_after_reseeding(module, global_seeds, epochs, seed):
    """``compare_models(epochs, seed)`` once after each ``torch.manual_seed(global_seed)``."""
    tables = []
    for global_seed in global_seeds:
        torch.manual_seed(global_seed)
        tables.append(module.compare_models(epochs=epochs, seed=seed))
    return tables
