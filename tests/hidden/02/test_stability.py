"""Hidden tests of log_softmax on large logits, run after the other tests of 02.

Stability is checked early (test_log_softmax.py) and again here, at the end
of the run, with inputs that also fail the usual half-fixes: shifting by the
maximum but dropping the log-sum-exp term, clamping the logits, shifting the
whole tensor by one number, or by the mean of a row.
"""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from autograder.testkit.compare import assert_tensors_match, calling
from autograder.testkit.probes import scratch
from autograder.testkit.strategies import large_logits, tensors

TIES_HINT = ("After subtracting the row maximum m, keep the log-sum-exp term: with near ties "
             "log(sum(exp(x - m))) is not 0. Clamping the logits changes them: don't.")


def stable_tolerance(x: torch.Tensor) -> dict:
    """Float32 rounding of logits as large as x's: about one unit in the last place of max |x|."""
    return {"rtol": 1e-4, "atol": 1e-3 + 2e-6 * float(x.abs().max())}


@st.composite
def large_logits_and_upstream(draw):
    """(large logits, upstream gradient of the same shape)."""
    logits = draw(large_logits())
    return logits, draw(tensors(shape=tuple(logits.shape), low=-1.0, high=1.0))


@pytest.mark.task("02.log_softmax", weight=2, hint=TIES_HINT)
@given(large_logits())
def test_log_softmax_of_near_ties_among_large_logits(student, x):
    """Rows like [1000, 1001, 1000]: the log-sum-exp term matters and nothing may overflow."""
    with calling("log_softmax(x) for the x shown below"):
        got = student.log_softmax(x)
    assert_tensors_match(got, torch.log_softmax(x, dim=-1),
                         "log_softmax(x) for large logits whose first row is a near tie",
                         **stable_tolerance(x))


@pytest.mark.task("02.log_softmax",
                  hint="Reduce over the last dimension (dim=-1, keepdim=True), whatever the number "
                       "of dimensions, and shift by the maximum so large logits stay finite.")
@given(st.sampled_from([(3,), (2, 3, 4), (2, 1, 3, 5)]).flatmap(lambda shape: large_logits(shape=shape)))
def test_log_softmax_of_large_logits_in_any_number_of_dimensions(student, x):
    """Does the stable version also work for a single vector and for 3-d and 4-d inputs?"""
    with calling(f"log_softmax(x) for x of shape {tuple(x.shape)}"):
        got = student.log_softmax(x)
    assert_tensors_match(got, torch.log_softmax(x, dim=-1),
                         f"log_softmax(x) for x of shape {tuple(x.shape)}", **stable_tolerance(x))


@pytest.mark.task("02.log_softmax",
                  hint="Shift each row by its own maximum (x.max(dim=-1, keepdim=True)), not the "
                       "whole tensor by one number.")
@given(large_logits(far_rows=True))
def test_log_softmax_of_rows_far_apart(student, x):
    """Rows around 10000 and -1000 in one batch: one shift for all of them underflows a row."""
    with calling("log_softmax(x) for the x shown below"):
        got = student.log_softmax(x)
    assert_tensors_match(got, torch.log_softmax(x, dim=-1),
                         "log_softmax(x) for rows thousands apart", **stable_tolerance(x))


@pytest.mark.task("02.log_softmax",
                  hint="With the maximum subtracted, exp never overflows and the gradient stays "
                       "finite: softmax(x) is the derivative's building block.")
@given(large_logits_and_upstream())
def test_gradient_of_log_softmax_is_finite_for_large_logits(student, case):
    logits, upstream = case
    x = logits.clone().requires_grad_(True)
    (torch.log_softmax(x, dim=-1) * upstream).sum().backward()
    with calling("backward through log_softmax(x) for the x shown below"):
        got = student.probe(scratch.gradient_of_log_softmax, logits, upstream)
    # The float32 rounding of logits near 10,000 (about 0.001) moves softmax by as much, relatively.
    assert_tensors_match(got, x.grad, "the gradient of sum(log_softmax(x) * g) for large logits x",
                         rtol=1e-4, atol=1e-4 + 1e-6 * float(logits.abs().max()))


@pytest.mark.task("02.log_softmax",
                  hint="(x - m) - log(sum(exp(x - m))) with m the row maximum: exact for one dominant "
                       "logit and for exact ties alike.")
def test_log_softmax_of_a_fixed_batch_of_large_logits(student):
    """Rows from one dominant logit to exact ties, all far beyond exp's range."""
    x = torch.tensor([[1000.0, 0.0, -1000.0], [1000.0, 1000.0, 1000.0], [-1000.0, -1001.0, -1000.0],
                      [5000.0, 4999.0, -5000.0], [-88.0, 89.0, 90.0]])
    with calling(f"log_softmax(x) for x = {x}"):
        got = student.log_softmax(x)
    assert_tensors_match(got, torch.log_softmax(x, dim=-1), f"log_softmax(x) for x = {x}",
                         **stable_tolerance(x))
