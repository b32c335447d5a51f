"""Hidden tests of nll and accuracy."""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch.nn import functional as F

from autograder.testkit.compare import assert_tensors_match, calling
from autograder.testkit.probes import scratch
from autograder.testkit.strategies import logits_and_targets, tensors

DTYPES = [torch.float32, torch.float64]
PICK_HINT = "Pick input[torch.arange(B), target], one entry per row, then take minus the mean."


@st.composite
def log_probs_and_targets(draw, n_classes: int | None = None, max_rows: int = 16):
    """(log-probabilities of shape (n, C), as nll receives them, int64 targets of shape (n,))."""
    logits, target = draw(logits_and_targets(n_classes=n_classes, max_rows=max_rows))
    return torch.log_softmax(logits, dim=1), target


# ---------------------------------------------------------------- nll


@pytest.mark.task("02.nll", hint=PICK_HINT)
@given(log_probs_and_targets())
def test_nll_matches_torch(student, case):
    log_probs, target = case
    with calling(f"nll(input, target) for input of shape {tuple(log_probs.shape)}"):
        got = student.nll(log_probs, target)
    assert_tensors_match(got, F.nll_loss(log_probs, target), "nll(input, target)")


@pytest.mark.task("02.nll",
                  hint="input[:, target] picks a (B, B) block; index rows and columns together "
                       "with input[torch.arange(B), target].")
@given(log_probs_and_targets(n_classes=3, max_rows=40))
def test_nll_with_more_rows_than_classes(student, case):
    log_probs, target = case
    what = f"nll(input, target) for input of shape {tuple(log_probs.shape)}"
    with calling(what):
        got = student.nll(log_probs, target)
    assert_tensors_match(got, F.nll_loss(log_probs, target), what)


@pytest.mark.task("02.nll", hint="Index and average with torch operations, so autograd can follow.")
@given(log_probs_and_targets())
def test_gradient_flows_through_nll(student, case):
    log_probs, target = case
    leaf = log_probs.clone().requires_grad_(True)
    F.nll_loss(leaf, target).backward()
    with calling("backward through nll(input, target)"):
        got = student.probe(scratch.gradient_of_nll, log_probs, target)
    assert_tensors_match(got, leaf.grad, "the gradient of nll(input, target) with respect to input")


@pytest.mark.task("02.nll",
                  hint="Build the row indices on input's device (torch.arange(B, device=input.device)); "
                       "the mean of input's entries keeps its dtype.")
def test_nll_is_a_scalar_on_the_inputs_device_and_dtype(student, device):
    for dtype in DTYPES:
        generator = torch.Generator().manual_seed(11)
        log_probs = torch.log_softmax(torch.randn(9, 4, generator=generator, dtype=dtype), dim=1)
        target = torch.randint(0, 4, (9,), generator=generator)
        log_probs, target = log_probs.to(device), target.to(device)
        what = f"nll(input, target) for input of dtype {dtype} on {device}"
        with calling(what):
            got = student.nll(log_probs, target)
        assert_tensors_match(got, F.nll_loss(log_probs, target), what)


# ---------------------------------------------------------------- accuracy


def _value_of(result):
    """A returned Python number as a float32 tensor: its type is checked by a test of its own."""
    if isinstance(result, int | float) and not isinstance(result, bool):
        return torch.tensor(float(result))
    return result


@pytest.mark.task("02.accuracy", weight=2,
                  hint="Compare out.argmax(dim=1) with yb, then take the mean of a float tensor.")
@given(logits_and_targets())
def test_accuracy_matches_torch(student, case):
    logits, target = case
    expected = (logits.argmax(dim=1) == target).float().mean()
    with calling(f"accuracy(out, yb) for out of shape {tuple(logits.shape)}"):
        got = student.accuracy(logits, target)
    assert_tensors_match(_value_of(got), expected, "accuracy(out, yb)", check_dtype=False)


@st.composite
def partly_right_predictions(draw):
    """(out of shape (rows, 5), labels whose first `right` rows match out's argmax, right)."""
    rows = draw(st.integers(1, 20))
    right = draw(st.integers(0, rows))
    out = draw(tensors(shape=(rows, 5), low=-3.0, high=3.0))
    labels = out.argmax(dim=1)
    labels[right:] = (labels[right:] + 1) % 5  # the rows after `right` are wrong
    return out, labels, right


@pytest.mark.task("02.accuracy", hint="The fraction of rows right: count them, divide by the rows.")
@given(partly_right_predictions())
def test_accuracy_counts_the_right_rows(student, case):
    out, labels, right = case
    what = f"accuracy(out, yb) when {right} of {len(out)} rows are right"
    with calling(what):
        got = student.accuracy(out, labels)
    assert_tensors_match(_value_of(got), torch.tensor(right / len(out)), what, check_dtype=False)


@pytest.mark.task("02.accuracy",
                  hint="Return a float tensor (.float().mean()), not a Python number (.item()).")
def test_accuracy_is_a_float_scalar_on_the_inputs_device(student, device):
    labels = torch.tensor([0, 1, 2, 0, 1, 2, 0, 1], device=device)
    for dtype in DTYPES:
        out = torch.randn(8, 3, generator=torch.Generator().manual_seed(5), dtype=dtype).to(device)
        expected = (out.argmax(dim=1) == labels).float().mean()
        what = f"accuracy(out, yb) for out of dtype {dtype} on {device}"
        with calling(what):
            result = student.accuracy(out, labels)
        assert_tensors_match(result, expected, what, check_dtype=False)
        assert result.dtype.is_floating_point, f"{what}: expected a float tensor, got dtype {result.dtype}"
