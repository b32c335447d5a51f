"""Probes for assignment 04: what must run beside the student's iris.py.

``train`` and the ``evaluate_*`` functions are probed on a trusted model
defined here and built from a state_dict, so that a mistake in the student's
MLR, LR, MLPR, MLPC or AE classes costs only those tasks.

Nothing a probe reports is taken on trust. For ``train`` the trusted model
keeps, at every forward call, the rows it was fed and its parameters at that
moment; the grader replays those batches with the reference update
(:mod:`autograder.testkit.probes.iris_replay`) and checks that the parameters
move exactly as one SGD step per batch would move them. For the evaluations
the probe returns the model's outputs as computed, so the grader reads from
them whether autograd recorded the call, and the trusted model can be given a
fixed effect in train mode, so a prediction made in train mode shows in the
numbers returned.
"""

from __future__ import annotations

import torch
from torch import nn

from autograder.student.probes import probe
from autograder.testkit.probes.iris_parts import trusted_parts
from autograder.testkit.probes.shared import (
    grad_of,
    leaf_copy,
    set_stale_gradients,
    state_of,
    swapped_attributes,
)

MODEL_CLASSES = ("MLR", "LR", "MLPR", "MLPC", "AE")
"""The student's model classes a probe may build, by name."""

EVALUATORS = ("evaluate_regression", "evaluate_classification", "evaluate_autoencoder")
"""The student's evaluation functions a probe may call, by name."""


def train_mode_mask(n_features: int, device=None) -> torch.Tensor:
    """The fixed effect of train mode: like dropout with p=0.5, but always the odd features dropped."""
    return (torch.arange(n_features, device=device) % 2 == 0).float() * 2


class TrustedModel(nn.Module):
    """l1, then (if the state_dict has l2) a sigmoid and l2, then optionally a sigmoid.

    Args:
        state_dict: l1.weight, l1.bias and optionally l2.weight, l2.bias.
        sigmoid_output: whether a sigmoid follows the last layer.
        train_effect: whether train mode masks the inputs with :func:`train_mode_mask`.
        record: whether each forward call keeps its inputs, the parameters it saw and
            whether autograd recorded it.
        keep_outputs: whether each forward call keeps its output, autograd history and all.
    """

    def __init__(self, state_dict: dict, sigmoid_output: bool = False, train_effect: bool = False,
                 record: bool = False, keep_outputs: bool = False):
        super().__init__()
        out_features, in_features = state_dict["l1.weight"].shape
        self.l1 = nn.Linear(in_features, out_features)
        self.l2 = None
        if "l2.weight" in state_dict:
            out_features, in_features = state_dict["l2.weight"].shape
            self.l2 = nn.Linear(in_features, out_features)
        self.load_state_dict({key: value.detach().cpu() for key, value in state_dict.items()})
        self.sigmoid_output, self.train_effect = sigmoid_output, train_effect
        self.record, self.keep_outputs = record, keep_outputs
        self.records: list[dict] = []
        self.outputs: list[torch.Tensor] = []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """The output for ``x``; keeps the call's inputs and parameters when recording."""
        record = {"inputs": x.detach().clone(), "state": state_of(self)} if self.record else None
        if self.training and self.train_effect:
            x = x * train_mode_mask(x.shape[-1], x.device)
        out = self.l1(x)
        if self.l2 is not None:
            out = self.l2(torch.sigmoid(out))
        out = torch.sigmoid(out) if self.sigmoid_output else out
        if record is not None:
            self.records.append({**record, "tracked": out.requires_grad})
        if self.keep_outputs:
            self.outputs.append(out)
        return out


@probe
def train_trusted(module, state_dict, X, Y, *args, sigmoid_output=False, stale_grad=None,
                  device="cpu", record=True, **kwargs):
    """Call ``module.train`` on a trusted model that starts from ``state_dict``, in train mode.

    With ``stale_grad`` every parameter starts with a leftover gradient of that
    value, as after an earlier backward pass that was never cleared.

    Returns:
        {"losses": what train returned, "records": per forward call the rows fed
        ("inputs") and the parameters then ("state"), empty unless ``record``,
        "state_dict": the trusted model's parameters after}.
    """
    model = TrustedModel(state_dict, sigmoid_output, record=record).to(device).train()
    set_stale_gradients(model, stale_grad)
    losses = module.train(model, X, Y, *args, **kwargs)
    return {"losses": losses, "records": model.records, "state_dict": state_of(model)}


@probe
def evaluate_trusted(module, evaluator, state_dict, X, *targets, sigmoid_output=False, mode="eval",
                     device="cpu"):
    """Call ``module.<evaluator>(model, X, *targets)`` on a trusted model left in ``mode``.

    In train mode the model masks its inputs (:func:`train_mode_mask`), so a
    prediction made without ``model.eval()`` gives other numbers.

    Returns:
        {"result": what the evaluator returned, "outputs": every output of the
        model as computed, with its autograd history (requires_grad) kept}.
    """
    if evaluator not in EVALUATORS:
        raise ValueError(f"{evaluator!r} is not one of {EVALUATORS}")
    model = TrustedModel(state_dict, sigmoid_output, train_effect=True, keep_outputs=True)
    model = model.to(device).train(mode == "train")
    result = getattr(module, evaluator)(model, X, *targets)
    return {"result": result, "outputs": list(model.outputs)}


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
def compare_models_table(module, epochs, seed, *, global_seeds=(None,), trusted=True):
    """``compare_models(epochs=epochs, seed=seed)``, once per entry of ``global_seeds``.

    Before each call ``torch.manual_seed(global_seed)`` runs unless the entry is
    None. With ``trusted`` the call runs with trusted load_split, model classes,
    train and evaluate_* in place of the student's, so that only compare_models
    itself is graded; without, everything is the student's.

    Returns:
        A list of what each call returned.
    """
    tables = []
    for global_seed in global_seeds:
        if global_seed is not None:
            torch.manual_seed(global_seed)
        with swapped_attributes(module, trusted_parts() if trusted else {}):
            tables.append(module.compare_models(epochs=epochs, seed=seed))
    return tables
