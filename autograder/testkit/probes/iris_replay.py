"""Grader-side replay of the student's train (assignment 04) from what the trusted model recorded.

The probe :func:`autograder.testkit.probes.iris.train_trusted` returns, per
forward call, the rows the model was fed and its parameters then. Here, in the
grader, those records become optimizer steps; every step is repeated with the
reference's own ``train`` on exactly that batch, and its parameters after are
compared with the ones the student's loop reached. The checks accept any
correct loop (a DataLoader, ``torch.randperm``, index slicing): they look at
what the loop did, never at the order the reference would have drawn.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import torch

from autograder.testkit.compare import assert_numbers_match
from autograder.testkit.probes.iris import TrustedModel
from autograder.testkit.probes.replay import on_cpu, rows_text, split_steps, state_mismatch, states_equal

UPDATE = "zero_grad, loss = nn.MSELoss()(model(x), y), loss.backward(), then one SGD(lr={lr}) step"


@dataclass(frozen=True)
class ReplayedStep:
    """One step of the student's loop, repeated with the reference update."""

    rows: tuple[int, ...] | None
    """The indices in X of the rows fed, in order; None if a row is not one of X's."""
    inputs: torch.Tensor
    """The batch as the model received it."""
    loss: float | None
    """The batch's mean squared error before the step (None if the rows are unknown)."""
    problem: str | None
    """How the parameters after the step differ from the reference update's, or None."""


@dataclass(frozen=True)
class Replay:
    """What the student's train did, step by step, as replayed in the grader."""

    start_problem: str | None
    """How the parameters at the first forward call differ from the starting ones, or None."""
    steps: tuple[ReplayedStep, ...]
    """The optimizer steps, in order."""
    epochs: tuple[tuple[int, ...], ...]
    """The steps of each epoch: an epoch ends once every row was used or a row comes again."""
    devices: tuple[str, ...]
    """The devices of the batches fed and of the parameters after."""


def start_state(*sizes: int, seed: int = 0) -> dict[str, torch.Tensor]:
    """A starting state_dict for the trusted model with layer sizes ``sizes`` (two or three).

    Drawn like PyTorch's default initialisation of nn.Linear, from a seeded generator.
    """
    generator = torch.Generator().manual_seed(seed)
    state = {}
    for name, n_in, n_out in zip(("l1", "l2"), sizes, sizes[1:], strict=False):
        bound = 1 / math.sqrt(n_in)
        state[f"{name}.weight"] = (torch.rand((n_out, n_in), generator=generator) * 2 - 1) * bound
        state[f"{name}.bias"] = (torch.rand((n_out,), generator=generator) * 2 - 1) * bound
    return state


def _index(X: torch.Tensor) -> dict[tuple, int]:
    keys = {tuple(row): number for number, row in enumerate(X.tolist())}
    if len(keys) != len(X):
        raise ValueError("the grader's X must have distinct rows to be replayed")
    return keys


def _replay_step(reference, step, X, Y, index, lr, sigmoid_output) -> ReplayedStep:
    keys = [tuple(row) for row in step.inputs.tolist()]
    if not all(key in index for key in keys):
        return ReplayedStep(None, step.inputs, None, "the model was fed rows that are not rows of X: "
                            f"{rows_text(step.inputs)}")
    rows = tuple(index[key] for key in keys)
    model = TrustedModel(step.before, sigmoid_output).train()
    chosen = torch.tensor(rows)
    loss = reference.train(model, X[chosen], Y[chosen], 1, lr=lr, batch_size=len(rows))[0]
    return ReplayedStep(rows, step.inputs, loss, state_mismatch(step.after, model.state_dict()))


def _epochs(steps: list[ReplayedStep], n_rows: int) -> tuple[tuple[int, ...], ...]:
    epochs: list[list[int]] = []
    seen: Counter = Counter()
    for number, step in enumerate(steps):
        rows = step.rows or ()
        if not epochs or sum(seen.values()) >= n_rows or any(seen[row] for row in rows):
            epochs.append([])
            seen = Counter()
        epochs[-1].append(number)
        seen.update(rows)
    return tuple(tuple(epoch) for epoch in epochs)


def replay(reference, got: dict, start: dict, X, Y, lr: float, sigmoid_output: bool = False) -> Replay:
    """Repeat every step recorded in ``got`` (train_trusted's reply) with the reference update."""
    X, Y = X.cpu(), Y.cpu()
    records = got["records"]
    devices = sorted({record["inputs"].device.type for record in records}
                     | {value.device.type for value in got["state_dict"].values()})
    first = records[0]["state"] if records else got["state_dict"]
    start_problem = None if states_equal(on_cpu(first), on_cpu(start)) else (
        state_mismatch(on_cpu(first), on_cpu(start), rtol=0, atol=0) or "other parameters")
    index = _index(X)
    steps = [_replay_step(reference, step, X, Y, index, lr, sigmoid_output)
             for step in split_steps(records, got["state_dict"])]
    return Replay(start_problem, tuple(steps), _epochs(steps, len(X)), tuple(devices))


def check_updates(run: Replay, call: str, lr: float, Y: torch.Tensor, epochs: int = 1,
                  only_first: bool = False) -> None:
    """Fail unless every step made the reference update on the batch it used (none for 0 epochs).

    With ``only_first`` only the first step is compared: no earlier step's
    leftover gradient can spoil it, so a test of the learning rate or the
    device does not fail for a mistake in zeroing gradients.
    """
    assert run.start_problem is None, (
        f"{call}: the first forward call saw other parameters than the model started with "
        f"({run.start_problem}); train the model it is given, from its current parameters")
    if not epochs:
        assert not run.steps, f"{call}: expected no step for 0 epochs, got {len(run.steps)}"
    assert run.steps or not epochs, f"{call}: the model was never trained (no forward call with autograd)"
    for number, step in enumerate(run.steps[:1] if only_first else run.steps, 1):
        if step.problem is None:
            continue
        fed = "" if step.rows is None else (
            f" rows {list(step.rows)} of X, x = {rows_text(step.inputs)}, "
            f"y = {rows_text(Y.cpu()[torch.tensor(step.rows)])}")
        raise AssertionError(
            f"{call}: step {number} of {len(run.steps)} fed the model{fed} and left other parameters "
            f"than {UPDATE.format(lr=lr)} on that batch gives: {step.problem}")


def check_epochs(run: Replay, call: str, n_rows: int, batch_size: int, epochs: int) -> None:
    """Fail unless each epoch used every row of X once, in batches of batch_size (one may be smaller)."""
    expected = sorted(min(batch_size, n_rows - start) for start in range(0, n_rows, batch_size))
    for number, epoch in enumerate(run.epochs, 1):
        counts = Counter(row for step in epoch for row in run.steps[step].rows or ())
        missing = sorted(set(range(n_rows)) - set(counts))
        repeated = sorted(row for row, count in counts.items() if count > 1)
        twice = f" and rows {repeated[:10]} more than once" if repeated else ""
        assert not missing and not repeated, (
            f"{call}: epoch {number} should use each of the {n_rows} rows of X exactly once; rows "
            f"{missing[:10]} were never used{twice}")
        sizes = sorted(len(run.steps[step].inputs) for step in epoch)
        assert sizes == expected, (
            f"{call}: epoch {number} should be batches of {expected} rows (batch_size={batch_size}, "
            f"the last one smaller), got batches of {sizes}")
    assert len(run.epochs) == epochs, (
        f"{call}: expected {epochs} epoch(s), each a pass over all {n_rows} rows; the model was "
        f"trained on {len(run.epochs)}")


def check_losses(losses, run: Replay, call: str) -> None:
    """Fail unless train returned, per epoch, the sum of its batches' mean squared errors as a float."""
    assert isinstance(losses, list | tuple), (
        f"{call}: expected a list of floats (one total loss per epoch), got {type(losses).__name__}")
    assert len(losses) == len(run.epochs), (
        f"{call}: expected {len(run.epochs)} losses (one per epoch trained), got {len(losses)}")
    for number, (loss, epoch) in enumerate(zip(losses, run.epochs, strict=True), 1):
        kind = (f"a tensor of shape {tuple(loss.shape)}" if isinstance(loss, torch.Tensor)
                else type(loss).__name__)
        assert type(loss) is float, (
            f"{call}: the loss of epoch {number} should be a Python float (add up loss.item()), got {kind}")
        expected = sum(run.steps[step].loss or 0.0 for step in epoch)
        assert_numbers_match(loss, expected, f"{call}: the loss of epoch {number}, the sum of the mean "
                             f"squared errors of its {len(epoch)} batches", rtol=1e-4, atol=1e-5)


def batch_order(run: Replay) -> list[tuple[int, ...] | None]:
    """The rows of every step, in order: what the shuffling produced."""
    return [step.rows for step in run.steps]
