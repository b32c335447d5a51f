"""Hidden tests of log_softmax: values, shapes, dtype and device, gradients, the input left alone.

Its stability on large logits, and its work over the last of any number of
dimensions, are checked here and again at the end of the run
(test_stability.py), so a submission right only on its first calls keeps few points.
"""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from autograder.testkit.compare import assert_tensors_match, calling, shown
from autograder.testkit.probes import scratch
from autograder.testkit.strategies import large_logits, tensors

DTYPES = [torch.float32, torch.float64]
SHIFT_HINT = ("Subtract each row's maximum before exponentiating, and keep the log-sum-exp term: "
              "(x - m) - log(sum(exp(x - m))) over the last dimension.")


def stable_tolerance(x: torch.Tensor) -> dict:
    """Float32 rounding of logits as large as x's: about one unit in the last place of max |x|."""
    return {"rtol": 1e-4, "atol": 1e-3 + 2e-6 * float(x.abs().max())}


@st.composite
def logits_and_upstream(draw, large: bool = False):
    """(logits, upstream gradient of the same shape) for d(sum(log_softmax(x) * g))/dx."""
    logits = draw(large_logits() if large else tensors(shape=(draw(st.integers(1, 8)),
                                                                draw(st.integers(2, 10)))))
    return logits, draw(tensors(shape=tuple(logits.shape), low=-1.0, high=1.0))


@pytest.mark.task("02.log_softmax", weight=2,
                  hint="log_softmax(x) = x - log(sum(exp(x))) over the last dimension (dim=-1).")
@given(st.tuples(st.integers(1, 8), st.integers(2, 10)).flatmap(lambda shape: tensors(shape=shape)))
def test_log_softmax_matches_torch(student, x):
    with calling(f"log_softmax(x) for x of shape {tuple(x.shape)}"):
        got = student.log_softmax(x)
    assert_tensors_match(got, torch.log_softmax(x, dim=-1), "log_softmax(x)")


@pytest.mark.task("02.log_softmax", weight=2, hint=SHIFT_HINT)
@given(large_logits())
def test_log_softmax_is_stable_for_large_logits(student, x):
    with calling("log_softmax(x) for the x shown below"):
        got = student.log_softmax(x)
    assert_tensors_match(got, torch.log_softmax(x, dim=-1),
                         f"log_softmax(x) with |x| up to {float(x.abs().max()):g}", **stable_tolerance(x))


@pytest.mark.task("02.log_softmax",
                  hint="Reduce over the last dimension (dim=-1, keepdim=True), whatever the number "
                       "of dimensions: dim=1 is the last one only for a batch.")
@given(st.sampled_from([(5,), (2, 3, 4), (2, 1, 3, 5)]).flatmap(lambda shape: tensors(shape=shape)))
def test_log_softmax_over_the_last_of_any_number_of_dimensions(student, x):
    """Does it work for a single vector and for 3-d and 4-d inputs, classes last?"""
    with calling(f"log_softmax(x) for x of shape {tuple(x.shape)}"):
        got = student.log_softmax(x)
    assert_tensors_match(got, torch.log_softmax(x, dim=-1), f"log_softmax(x) for x of shape {tuple(x.shape)}")


@pytest.mark.task("02.log_softmax",
                  hint="Build the result from x with tensor operations only: it then keeps x's "
                       "dtype and device.")
def test_log_softmax_keeps_device_and_dtype(student, device):
    for dtype in DTYPES:
        generator = torch.Generator().manual_seed(7)
        x = (torch.randn(5, 7, generator=generator, dtype=dtype) * 20).to(device)
        what = f"log_softmax(x) for x of dtype {dtype} on {device}"
        with calling(what):
            got = student.log_softmax(x)
        assert_tensors_match(got, torch.log_softmax(x, dim=-1), what)


@pytest.mark.task("02.log_softmax", weight=2,
                  hint="Use differentiable torch operations on x (no .detach(), .item() or NumPy).")
@given(logits_and_upstream())
def test_gradient_flows_through_log_softmax(student, case):
    logits, upstream = case
    x = logits.clone().requires_grad_(True)
    (torch.log_softmax(x, dim=-1) * upstream).sum().backward()
    with calling("backward through log_softmax(x)"):
        got = student.probe(scratch.gradient_of_log_softmax, logits, upstream)
    assert_tensors_match(got, x.grad, "the gradient of sum(log_softmax(x) * g) for x",
                         rtol=1e-4, atol=1e-5)


@pytest.mark.task("02.log_softmax",
                  hint="x - m makes a new tensor; x -= m would change the caller's logits.")
@given(st.tuples(st.integers(1, 8), st.integers(2, 10)).flatmap(lambda shape: tensors(shape=shape)))
def test_log_softmax_leaves_its_input_unchanged(student, x):
    with calling(f"log_softmax(x) for x = {shown(x)}"):
        after = student.probe(scratch.input_after_log_softmax, x.clone())
    assert_tensors_match(after, x, "the input x after calling log_softmax(x) (it should not be "
                         "modified in place)", rtol=0, atol=0)
