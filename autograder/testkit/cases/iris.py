"""Cases of assignment 04's evaluation tests: trusted models' starting states and result checks."""

from __future__ import annotations

import math

import torch

from autograder.testkit.compare import assert_numbers_match
from autograder.testkit.probes import iris


def _layer(n_in: int, n_out: int, generator: torch.Generator, name: str, scale: float = 1.0) -> dict:
    return {f"{name}.weight": torch.randn((n_out, n_in), generator=generator) * scale / math.sqrt(n_in),
            f"{name}.bias": torch.randn((n_out,), generator=generator) * scale}


def start(*sizes: int, seed: int = 0, scale: float = 1.0) -> dict:
    """The state_dict of the trusted model with layer sizes ``sizes`` (two or three of them)."""
    generator = torch.Generator().manual_seed(seed)
    state = _layer(sizes[0], sizes[1], generator, "l1", scale)
    if len(sizes) == 3:
        state.update(_layer(sizes[1], sizes[2], generator, "l2", scale))
    return state


def evaluate_both(student, reference, evaluator: str, state: dict, X, *targets, **options):
    """(the student's probe reply, the reference's result) for the same trusted model and data."""
    got = student.probe(iris.evaluate_trusted, evaluator, state, X, *targets, **options)
    expected = iris.evaluate_trusted(reference, evaluator, state, X, *targets, **options)["result"]
    return got, expected


def check_keys(result, expected: dict, call: str) -> None:
    """``result`` is a dict with exactly the reference's keys."""
    assert isinstance(result, dict), f"{call}: expected a dict, got {type(result).__name__}"
    assert set(result) == set(expected), (
        f"{call}: expected a dict with the keys {sorted(expected)}, got the keys {sorted(result)}")


def check_numbers(result, expected: dict, call: str, **tolerances) -> None:
    """``result`` has the reference's keys, and its numbers match the reference's."""
    check_keys(result, expected, call)
    for key, wanted in expected.items():
        if isinstance(wanted, float):
            assert_numbers_match(result[key], wanted, f"{key!r} of {call}", **tolerances)
