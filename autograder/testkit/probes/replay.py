"""Grader-side helpers to replay what a trusted model recorded beside the student's training loop.

A trusted model in a probe keeps, at every forward call, the inputs it was fed,
its parameters at that moment and whether autograd recorded the call. Those
records are data, not a verdict: the grader splits them into optimizer steps
here and the assignment's replay module repeats each step with the reference
update, so the records only count when they chain from the starting
parameters to the final ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from autograder.testkit.compare import mismatch


@dataclass(frozen=True)
class Step:
    """One optimizer step the training loop took, as read from the records."""

    inputs: torch.Tensor
    """The batch of the last forward call before the parameters changed."""
    before: dict[str, torch.Tensor]
    """The parameters during that forward call."""
    after: dict[str, torch.Tensor]
    """The parameters at the next forward call, or at the end."""


def on_cpu(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """The same parameters, on the CPU."""
    return {key: value.detach().cpu() for key, value in state.items()}


def states_equal(first: dict[str, torch.Tensor], second: dict[str, torch.Tensor]) -> bool:
    """Whether two recorded states hold exactly the same tensors."""
    return first.keys() == second.keys() and all(
        torch.equal(first[key].cpu(), second[key].cpu()) for key in first)


def split_steps(records: list[dict], final_state: dict[str, torch.Tensor]) -> list[Step]:
    """The optimizer steps behind ``records`` (each {"inputs", "state", "tracked"}) ending in ``final_state``.

    A forward call that autograd recorded ("tracked") starts a step; the step
    ends at the next forward call, or at the end. Calls made under
    torch.no_grad() (an evaluation, say) start none.
    """
    steps = []
    for number, record in enumerate(records):
        if record.get("tracked", True):
            after = records[number + 1]["state"] if number + 1 < len(records) else final_state
            steps.append(Step(record["inputs"].detach().cpu(), on_cpu(record["state"]), on_cpu(after)))
    return steps


def state_mismatch(got: dict[str, torch.Tensor], expected: dict[str, torch.Tensor],
                   rtol: float = 1e-4, atol: float = 1e-5) -> str | None:
    """Why ``got`` differs from ``expected`` (the first parameter that does), or None."""
    for key, value in expected.items():
        problem = mismatch(got.get(key), value, rtol=rtol, atol=atol, check_device=False)
        if problem:
            return f"{key}: {problem}"
    return None


def rows_text(tensor: torch.Tensor, limit: int = 3) -> str:
    """The first rows of a batch as a short list, for a failure message."""
    rows = [[round(value, 4) for value in row] for row in tensor[:limit].tolist()]
    more = f" and {len(tensor) - limit} more" if len(tensor) > limit else ""
    return f"{rows}{more}"
