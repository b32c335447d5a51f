"""Hidden tests of log_softmax, nll and accuracy."""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch.nn import functional as F

from autograder.testkit.compare import assert_tensors_match
from autograder.testkit.probes import scratch
from autograder.testkit.strategies import logits_and_targets, tensors

DTYPES = [torch.float32, torch.float64]

# ---------------------------------------------------------------- log_softmax


@pytest.mark.task("02.log_softmax", weight=3)
@given(tensors())
def test_log_softmax_matches_torch(student, x):
    assert_tensors_match(student.log_softmax(x), torch.log_softmax(x, dim=-1), "log_softmax(x)")


@pytest.mark.task("02.log_softmax", weight=2)
@given(st.sampled_from([100.0, 1e3, 1e4]), logits_and_targets())
def test_log_softmax_is_stable_for_large_logits(student, scale, case):
    logits = case[0] * scale
    assert_tensors_match(student.log_softmax(logits), torch.log_softmax(logits, dim=-1),
                         f"log_softmax(x) with |x| up to {scale:g}", rtol=1e-4, atol=1e-3)


@pytest.mark.task("02.log_softmax")
@pytest.mark.parametrize("shape", [(3,), (2, 3, 4), (2, 1, 3, 5)], ids=str)
def test_log_softmax_of_large_logits_in_any_number_of_dimensions(student, shape):
    """Does the stable version also work for a single vector and for 3-d and 4-d inputs?"""
    generator = torch.Generator().manual_seed(len(shape))
    logits = torch.randn(shape, generator=generator) * 500 - 1000  # every exp underflows
    assert_tensors_match(student.log_softmax(logits), torch.log_softmax(logits, dim=-1),
                         f"log_softmax(x) for x of shape {shape} with entries near -1000",
                         rtol=1e-4, atol=1e-3)


@pytest.mark.task("02.log_softmax")
def test_log_softmax_keeps_device_and_dtype(student, device):
    for dtype in DTYPES:
        generator = torch.Generator().manual_seed(7)
        x = (torch.randn(5, 7, generator=generator, dtype=dtype) * 20).to(device)
        assert_tensors_match(student.log_softmax(x), torch.log_softmax(x, dim=-1),
                             f"log_softmax(x) for x of dtype {dtype} on {device}")


@pytest.mark.task("02.log_softmax", weight=2)
@given(logits_and_targets())
def test_gradient_flows_through_log_softmax(student, case):
    logits, _ = case
    upstream = torch.randn(logits.shape, generator=torch.Generator().manual_seed(0))
    x = logits.clone().requires_grad_(True)
    (torch.log_softmax(x, dim=-1) * upstream).sum().backward()
    got = student.probe(scratch.gradient_of_log_softmax, logits, upstream)
    assert_tensors_match(got, x.grad, "the gradient of log_softmax(x)", rtol=1e-4, atol=1e-5)


@pytest.mark.task("02.log_softmax")
@pytest.mark.parametrize("scale", [1e3, 1e5], ids=lambda scale: f"{scale:g}")
def test_gradient_of_log_softmax_is_finite_for_large_logits(student, scale):
    generator = torch.Generator().manual_seed(3)
    logits = torch.randn(4, 6, generator=generator) * scale
    upstream = torch.randn(4, 6, generator=generator)
    x = logits.clone().requires_grad_(True)
    (torch.log_softmax(x, dim=-1) * upstream).sum().backward()
    got = student.probe(scratch.gradient_of_log_softmax, logits, upstream)
    assert_tensors_match(got, x.grad, f"the gradient of log_softmax(x) with |x| up to about {scale:g}",
                         rtol=1e-4, atol=1e-4)


@pytest.mark.task("02.log_softmax", weight=2)
@given(tensors())
def test_log_softmax_leaves_its_input_unchanged(student, x):
    after = student.probe(scratch.input_after_log_softmax, x.clone())
    assert_tensors_match(after, x, "the input x after calling log_softmax(x) (it should not be "
                         "modified in place)", rtol=0, atol=0)


# ---------------------------------------------------------------- nll


@pytest.mark.task("02.nll")
@given(logits_and_targets())
def test_nll_matches_torch(student, case):
    logits, target = case
    log_probs = torch.log_softmax(logits, dim=1)
    assert_tensors_match(student.nll(log_probs, target), F.nll_loss(log_probs, target),
                         "nll(input, target)")


@pytest.mark.task("02.nll")
@given(logits_and_targets(n_classes=3, max_rows=40))
def test_nll_with_more_rows_than_classes(student, case):
    logits, target = case
    log_probs = torch.log_softmax(logits, dim=1)
    assert_tensors_match(student.nll(log_probs, target), F.nll_loss(log_probs, target),
                         f"nll(input, target) for input of shape {tuple(log_probs.shape)}")


@pytest.mark.task("02.nll")
@given(logits_and_targets())
def test_gradient_flows_through_nll(student, case):
    logits, target = case
    log_probs = torch.log_softmax(logits, dim=1)
    leaf = log_probs.clone().requires_grad_(True)
    F.nll_loss(leaf, target).backward()
    got = student.probe(scratch.gradient_of_nll, log_probs, target)
    assert_tensors_match(got, leaf.grad, "the gradient of nll(input, target) with respect to input")


@pytest.mark.task("02.nll")
def test_nll_is_a_scalar_on_the_inputs_device_and_dtype(student, device):
    for dtype in DTYPES:
        generator = torch.Generator().manual_seed(11)
        log_probs = torch.log_softmax(torch.randn(9, 4, generator=generator, dtype=dtype), dim=1)
        target = torch.randint(0, 4, (9,), generator=generator)
        log_probs, target = log_probs.to(device), target.to(device)
        assert_tensors_match(student.nll(log_probs, target), F.nll_loss(log_probs, target),
                             f"nll(input, target) for input of dtype {dtype} on {device}")


# ---------------------------------------------------------------- accuracy


@pytest.mark.task("02.accuracy", weight=2)
@given(logits_and_targets())
def test_accuracy_matches_torch(student, case):
    logits, target = case
    expected = (logits.argmax(dim=1) == target).float().mean()
    assert_tensors_match(student.accuracy(logits, target), expected, "accuracy(out, yb)")


@pytest.mark.task("02.accuracy")
@given(st.integers(1, 20), st.data())
def test_accuracy_counts_the_right_rows(student, rows, data):
    right = data.draw(st.integers(0, rows), label="rows predicted right")
    generator = torch.Generator().manual_seed(rows)
    out = torch.randn(rows, 5, generator=generator)
    labels = out.argmax(dim=1)
    labels[right:] = (labels[right:] + 1) % 5  # the rows after `right` are wrong
    assert_tensors_match(student.accuracy(out, labels), torch.tensor(right / rows),
                         f"accuracy(out, yb) when {right} of {rows} rows are right")


@pytest.mark.task("02.accuracy")
def test_accuracy_is_a_float_scalar_on_the_inputs_device(student, device):
    labels = torch.tensor([0, 1, 2, 0, 1, 2, 0, 1], device=device)
    for dtype in DTYPES:
        out = torch.randn(8, 3, generator=torch.Generator().manual_seed(5), dtype=dtype).to(device)
        expected = (out.argmax(dim=1) == labels).float().mean()
        result = student.accuracy(out, labels)
        what = f"accuracy(out, yb) for out of dtype {dtype} on {device}"
        assert_tensors_match(result, expected, what, check_dtype=False)
        assert result.dtype.is_floating_point, f"{what}: expected a float tensor, got dtype {result.dtype}"
