"""Hidden tests of log_softmax, nll and accuracy."""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from autograder.compare import assert_tensors_match
from autograder.probes import p02
from autograder.strategies import logits_and_targets, tensors


@pytest.mark.task("02.log_softmax", weight=2)
@given(tensors())
def test_log_softmax_matches_torch(student, x):
    assert_tensors_match(student.log_softmax(x), torch.log_softmax(x, dim=-1), "log_softmax(x)")


@pytest.mark.task("02.log_softmax")
@given(st.sampled_from([100.0, 1e3, 1e4]), logits_and_targets())
def test_log_softmax_is_stable_for_large_logits(student, scale, case):
    logits = case[0] * scale
    assert_tensors_match(student.log_softmax(logits), torch.log_softmax(logits, dim=-1),
                         f"log_softmax(x) with |x| up to {scale:g}", rtol=1e-4, atol=1e-3)


@pytest.mark.task("02.log_softmax")
@given(logits_and_targets())
def test_gradient_flows_through_log_softmax(student, case):
    logits, _ = case
    upstream = torch.randn(logits.shape, generator=torch.Generator().manual_seed(0))
    x = logits.clone().requires_grad_(True)
    (torch.log_softmax(x, dim=-1) * upstream).sum().backward()
    got = student.probe(p02.gradient_of_log_softmax, logits, upstream)
    assert_tensors_match(got, x.grad, "the gradient of log_softmax(x)", rtol=1e-4, atol=1e-5)


@pytest.mark.task("02.nll")
@given(logits_and_targets())
def test_nll_matches_the_reference(student, reference, case):
    logits, target = case
    log_probs = torch.log_softmax(logits, dim=1)
    assert_tensors_match(student.nll(log_probs, target), reference.nll(log_probs, target),
                         "nll(input, target)")


@pytest.mark.task("02.accuracy")
@given(logits_and_targets())
def test_accuracy_matches_the_reference(student, reference, case):
    logits, target = case
    assert_tensors_match(student.accuracy(logits, target), reference.accuracy(logits, target),
                         "accuracy(out, yb)")
