"""Tensor comparison with feedback a student can act on.

Built on ``torch.testing.assert_close`` for the numerics; the message says
what was expected and what came back: type, shape, dtype, device, NaN/Inf,
and the largest absolute and relative error with its position.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import torch

from autograder.student.proxy import MissingFunction, StudentError, SubmissionNotLoaded

MAX_SHOWN_VALUES = 24
"""Tensors with at most this many values are printed in full in messages."""


def _describe(value: Any) -> str:
    if isinstance(value, torch.Tensor):
        return f"tensor of shape {tuple(value.shape)}, dtype {value.dtype}, on {value.device}"
    return f"{type(value).__name__} {value!r}"[:200]


def _non_finite(actual: torch.Tensor, expected: torch.Tensor) -> str | None:
    if not actual.is_floating_point():
        return None
    bad = ~torch.isfinite(actual) & torch.isfinite(expected)
    if not bad.any():
        return None
    where = tuple(int(i) for i in bad.nonzero()[0])
    return (f"{int(bad.sum())} value(s) are NaN or Inf where finite values were expected, "
            f"first at index {where}: got {actual[where].item()}, expected {expected[where].item()}")


def _largest_errors(actual: torch.Tensor, expected: torch.Tensor) -> str:
    difference = (actual.double() - expected.double()).abs()
    flat_index = int(difference.argmax())
    where = tuple(int(i) for i in torch.unravel_index(torch.tensor(flat_index), difference.shape))
    mismatched = int((~torch.isclose(actual.double(), expected.double(),
                                     rtol=1e-5, atol=1e-6, equal_nan=True)).sum())
    return (f"{mismatched} of {difference.numel()} values differ; largest absolute error "
            f"{difference.max().item():.3g} at index {where} (got {actual[where].item():.6g}, "
            f"expected {expected[where].item():.6g}){_largest_relative_error(difference, expected)}")


def _largest_relative_error(difference: torch.Tensor, expected: torch.Tensor) -> str:
    """The largest relative error where it means something: where the expected value is not 0."""
    nonzero = expected.double() != 0
    if not nonzero.any():
        return ""
    relative = (difference[nonzero] / expected.double()[nonzero].abs()).max().item()
    where = "" if nonzero.all() else " (where the expected value is not 0)"
    return f"; largest relative error {relative:.3g}{where}"


def mismatch(actual: Any, expected: torch.Tensor, *, rtol: float | None = None,
             atol: float | None = None, check_dtype: bool = True,
             check_device: bool = True) -> str | None:
    """Why ``actual`` does not match ``expected``, or None when it does."""
    if not isinstance(actual, torch.Tensor):
        return f"expected a {_describe(expected)}, got a {_describe(actual)}"
    if actual.shape != expected.shape:
        return f"expected shape {tuple(expected.shape)}, got shape {tuple(actual.shape)}"
    if check_dtype and actual.dtype != expected.dtype:
        return f"expected dtype {expected.dtype}, got dtype {actual.dtype}"
    if check_device and actual.device != expected.device:
        return f"expected a tensor on {expected.device}, got one on {actual.device}"
    actual_cpu, expected_cpu = actual.detach().cpu(), expected.detach().cpu()
    if actual_cpu.dtype != expected_cpu.dtype:
        actual_cpu = actual_cpu.to(expected_cpu.dtype)
    non_finite = _non_finite(actual_cpu, expected_cpu)
    if non_finite:
        return non_finite
    try:
        torch.testing.assert_close(actual_cpu, expected_cpu, rtol=rtol, atol=atol, equal_nan=True)
    except AssertionError:
        return _largest_errors(actual_cpu, expected_cpu)
    return None


def assert_tensors_match(actual: Any, expected: torch.Tensor, what: str = "the result",
                         **tolerances: Any) -> None:
    """Fail with a precise message unless ``actual`` matches ``expected``.

    Args:
        actual: what the student's code returned.
        expected: what the reference (or torch itself) returns.
        what: names the value in the message, e.g. "log_softmax(x)".
        **tolerances: ``rtol``, ``atol``, ``check_dtype``, ``check_device``.
    """
    problem = mismatch(actual, expected, **tolerances)
    if problem:
        raise AssertionError(f"{what}: {problem}")


def assert_numbers_match(actual: Any, expected: float, what: str = "the result",
                         rtol: float = 1e-5, atol: float = 1e-6) -> None:
    """Fail unless ``actual`` is a real number close to ``expected`` (bools are refused)."""
    if isinstance(actual, bool) or not isinstance(actual, int | float):
        raise AssertionError(f"{what}: expected a Python number, got a {_describe(actual)}")
    if not abs(actual - expected) <= atol + rtol * abs(expected):
        raise AssertionError(f"{what}: expected {expected:.6g}, got {actual:.6g}")


def expect_student_error(kind: type[BaseException], call, what: str) -> BaseException:
    """The error ``kind`` that ``call()`` raised; an AssertionError naming what happened instead.

    A stub's NotImplementedError and a submission that cannot be imported go
    through unchanged, so their feedback says so rather than "should raise".
    """
    try:
        result = call()
    except (NotImplementedError, SubmissionNotLoaded):
        raise
    except kind as error:
        return error
    except StudentError as error:
        raise AssertionError(f"{what} should raise {kind.__name__}, but raised {error}") from None
    raise AssertionError(f"{what} should raise {kind.__name__}, but returned {result!r}")


def _article(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


def shown(value: Any) -> str:
    """A value as a message shows an argument: with its type, e.g. ``2 (an int)``.

    Small tensors are printed in full with dtype and shape, larger ones by
    dtype and shape only.
    """
    if isinstance(value, torch.Tensor):
        kind = f"{str(value.dtype).removeprefix('torch.')} tensor of shape {tuple(value.shape)}"
        if value.device.type != "cpu":
            kind += f" on {value.device}"
        if value.numel() > MAX_SHOWN_VALUES:
            return _article(kind)
        return f"{value.detach().cpu()!r} ({_article(kind)})"
    if value is None:
        return "None"
    return f"{value!r} ({_article(type(value).__name__)})"


@contextlib.contextmanager
def calling(what: str) -> Iterator[None]:
    """Name the call and its arguments when the student's code raises inside the block.

    ``with calling("derivative(f, x0) with x0 = 2 (an int)"): ...`` turns the
    student's error into a failure that says which input raised it. A stub's
    NotImplementedError, a missing function and a submission that cannot be
    imported go through unchanged.
    """
    try:
        yield
    except (NotImplementedError, SubmissionNotLoaded, MissingFunction):
        raise
    except StudentError as error:
        raise AssertionError(f"{what} raised {error}") from None
