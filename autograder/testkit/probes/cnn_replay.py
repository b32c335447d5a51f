"""Grader-side replay of train_one_epoch and fit (assignment 03) from what the trusted model recorded.

The probes in :mod:`autograder.testkit.probes.cnn` return, per forward call of
the trusted :class:`~autograder.testkit.probes.cnn.TinyClassifier`, the batch it
was fed and its parameters then. Here, in the grader, those records become
optimizer steps, and the reference's own ``train_one_epoch`` repeats them one
batch at a time with a single optimizer of the given settings (momentum
carries over from step to step, as it should). Every step's parameters are
compared with the reference's, and the losses the student's function should
report are computed from the parameters it actually had.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from autograder.testkit.probes.cnn import CRITERIA, tiny_model
from autograder.testkit.probes.replay import on_cpu, split_steps, state_mismatch, states_equal


@dataclass(frozen=True)
class ReplayedStep:
    """One step of the student's loop next to the reference's."""

    size: int
    """Rows in the batch."""
    loss: float
    """The criterion on the batch, in train mode, at the parameters the step started from."""
    problem: str | None
    """How the step differs from the reference's (other rows fed, other parameters after), or None."""


@dataclass(frozen=True)
class Replay:
    """What the student's loop did, step by step, as replayed in the grader."""

    start_problem: str | None
    """How the parameters at the first forward call differ from the starting ones, or None."""
    steps: tuple[ReplayedStep, ...]
    """The optimizer steps, in order."""
    devices: tuple[str, ...]
    """The devices of the batches fed and of the parameters after."""
    eval_mode_step: bool
    """Whether the first step that differs is what the same step in eval mode gives."""


def batches_of(inputs: torch.Tensor, labels: torch.Tensor, batch_size: int) -> list[tuple]:
    """The batches of the probes' fixed-order loader."""
    return [(inputs[start:start + batch_size], labels[start:start + batch_size])
            for start in range(0, len(inputs), batch_size)]


def _loss_at(state, inputs, labels, criterion: str) -> float:
    with torch.no_grad():
        return CRITERIA[criterion]()(tiny_model(state).train()(inputs), labels).item()


def _in_eval_mode(step, inputs, labels, criterion: str, settings: dict) -> bool:
    """Whether the step is the reference update made with the model in eval mode."""
    model = tiny_model(step.before).eval()
    optimizer = torch.optim.SGD(model.parameters(), **settings)
    CRITERIA[criterion]()(model(inputs), labels).backward()
    optimizer.step()
    return state_mismatch(step.after, model.state_dict()) is None


def replay(reference, got: dict, start: dict, batches: list[tuple], *, lr: float, momentum: float = 0.0,
           weight_decay: float = 0.0, criterion: str = "cross_entropy",
           new_optimizer_every: int | None = None) -> Replay:
    """Repeat the steps recorded in ``got`` with the reference update, batch after batch of ``batches``.

    ``new_optimizer_every`` builds a fresh optimizer every that many steps (to
    recognise a loop that did so).
    """
    records, settings = got["records"], {"lr": lr, "momentum": momentum, "weight_decay": weight_decay}
    devices = sorted({record["inputs"].device.type for record in records}
                     | {value.device.type for value in got["state_dict"].values()})
    first = records[0]["state"] if records else got["state_dict"]
    start_problem = None if states_equal(on_cpu(first), on_cpu(start)) else (
        state_mismatch(on_cpu(first), on_cpu(start), rtol=0, atol=0) or "other parameters")
    model, steps, eval_mode_step = tiny_model(start), [], False
    for number, step in enumerate(split_steps(records, got["state_dict"])):
        if number == 0 or (new_optimizer_every and number % new_optimizer_every == 0):
            optimizer = torch.optim.SGD(model.parameters(), **settings)
        inputs, labels = batches[number % len(batches)]
        reference.train_one_epoch(model, [(inputs, labels)], CRITERIA[criterion](), optimizer, "cpu")
        problem = None
        if step.inputs.shape != inputs.shape or not torch.equal(step.inputs, inputs):
            problem = (f"the model was fed other rows than batch {number % len(batches) + 1} of the "
                       "loader, which came next")
        problem = problem or state_mismatch(step.after, model.state_dict())
        if problem and not any(one.problem for one in steps):
            eval_mode_step = _in_eval_mode(step, inputs, labels, criterion, settings)
        steps.append(ReplayedStep(len(inputs), _loss_at(step.before, inputs, labels, criterion), problem))
    return Replay(start_problem, tuple(steps), tuple(devices), eval_mode_step)


def check_updates(run: Replay, call: str, n_steps: int, update: str, only_first: bool = False) -> None:
    """Fail unless the loop made exactly ``n_steps`` steps, each the reference's ``update``.

    With ``only_first`` only the first step is compared: it is the one step
    that no earlier step's leftover gradient can spoil, so a test of the mode,
    the device or the settings does not fail for a mistake in zeroing gradients.
    """
    assert run.start_problem is None, (
        f"{call}: the first forward call saw other parameters than the model started with "
        f"({run.start_problem})")
    assert len(run.steps) == n_steps, (
        f"{call}: expected {n_steps} optimizer step(s), one per batch, the parameters changed "
        f"{len(run.steps)} time(s)")
    for number, step in enumerate(run.steps[:1] if only_first else run.steps, 1):
        if step.problem:
            mode = (" (it is the step the model makes in eval mode: call net.train() first)"
                    if run.eval_mode_step else "")
            raise AssertionError(
                f"{call}: step {number} of {n_steps} (a batch of {step.size}) differs from {update}"
                f"{mode}: {step.problem}")


def mean_loss(steps: tuple[ReplayedStep, ...] | list[ReplayedStep]) -> float:
    """The mean loss per sample over ``steps``: each batch's loss weighed by its size."""
    return sum(step.loss * step.size for step in steps) / sum(step.size for step in steps)


def evaluation(state: dict, inputs: torch.Tensor, labels: torch.Tensor) -> tuple[float, float]:
    """(mean cross-entropy, accuracy) of the trusted model holding ``state``, in eval mode."""
    with torch.no_grad():
        logits = tiny_model(state).eval()(inputs)
    loss = torch.nn.functional.cross_entropy(logits, labels).item()
    return loss, (logits.argmax(dim=1) == labels).sum().item() / len(labels)
