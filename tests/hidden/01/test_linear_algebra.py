"""Hidden tests of linear_combination and affine."""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch.nn import functional as F

from autograder.testkit.compare import assert_tensors_match, calling, expect_student_error
from autograder.testkit.probes import tensors as tensor_probes
from autograder.testkit.strategies import shapes, tensors

# Float32 sums of up to 5 products may round differently from the reference's order.
SUM_TOLERANCE = {"rtol": 1e-5, "atol": 1e-4}


@st.composite
def combinations(draw, min_dims: int = 0, weights_as_tensor: bool = False):
    """(k tensors of one shape, k weights as Python numbers or as a float32 tensor of shape (k,))."""
    shape = draw(shapes(min_dims=min_dims, max_dims=3, max_side=5))
    k = draw(st.integers(1, 5))
    xs = [draw(tensors(shape=shape)) for _ in range(k)]
    number = st.floats(-2, 2, allow_nan=False, allow_subnormal=False) | st.integers(-3, 3)
    weights = draw(st.lists(number, min_size=k, max_size=k))
    return xs, torch.tensor(weights, dtype=torch.float32) if weights_as_tensor else weights


@st.composite
def affine_inputs(draw, single: bool = False, dtype: torch.dtype = torch.float32):
    """(x of shape (n, in) or (in,), W of shape (out, in), b of shape (out,)), all of ``dtype``."""
    n, n_in, n_out = draw(st.integers(1, 8)), draw(st.integers(1, 6)), draw(st.integers(1, 6))
    x = draw(tensors(shape=(n_in,) if single else (n, n_in), low=-3, high=3, dtype=dtype))
    W = draw(tensors(shape=(n_out, n_in), low=-3, high=3, dtype=dtype))
    b = draw(tensors(shape=(n_out,), low=-3, high=3, dtype=dtype))
    return x, W, b


@st.composite
def affine_inputs_and_upstream(draw):
    """(x, W, b, an upstream gradient g of the output's shape (n, out))."""
    x, W, b = draw(affine_inputs())
    return x, W, b, draw(tensors(shape=(x.shape[0], W.shape[0]), low=-1, high=1))



def _describe_weights(weights) -> str:
    return ", ".join(f"{w:g}" for w in weights)


# ---------------------------------------------------------------- linear_combination


def _weighted_sum(xs, weights) -> torch.Tensor:
    """sum_i weights[i] * xs[i], added in float64 and returned in the dtype of xs."""
    total = sum(float(w) * x.double() for w, x in zip(weights, xs, strict=True))
    return total.to(xs[0].dtype)


COMBINATION_HINT = "Multiply each tensor by its weight and add them up; torch.stack(xs) can help."


@pytest.mark.task("01.linear_combination", weight=2, hint=COMBINATION_HINT)
@given(combinations())
def test_linear_combination_of_weights_given_as_numbers(student, case):
    xs, weights = case
    what = (f"linear_combination of {len(xs)} tensors of shape {tuple(xs[0].shape)} "
            f"with weights [{_describe_weights(weights)}]")
    with calling(what):
        got = student.linear_combination(xs, weights)
    assert_tensors_match(got, _weighted_sum(xs, weights), what, **SUM_TOLERANCE)


@pytest.mark.task("01.linear_combination",
                  hint="weights may be a 1-D tensor: reshape it to (k, 1, ..., 1) so it broadcasts "
                       "over the stacked tensors, or index it one weight at a time.")
@given(combinations(min_dims=1, weights_as_tensor=True))
def test_linear_combination_of_weights_given_as_a_tensor(student, case):
    xs, w = case
    what = (f"linear_combination of {len(xs)} tensors of shape {tuple(xs[0].shape)} with weights "
            f"given as the float32 tensor [{_describe_weights(w.tolist())}]")
    with calling(what):
        got = student.linear_combination(xs, w)
    assert_tensors_match(got, _weighted_sum(xs, w), what, **SUM_TOLERANCE)


@pytest.mark.task("01.linear_combination", hint=COMBINATION_HINT + " 0-d tensors and k = 1 included.")
def test_linear_combination_of_scalars_and_of_one_tensor(student):
    scalars = [torch.tensor(2.0), torch.tensor(-1.0), torch.tensor(0.5)]
    assert_tensors_match(student.linear_combination(scalars, [1.0, 3.0, 4.0]), torch.tensor(1.0),
                         "linear_combination of three 0-d tensors (expected a 0-d tensor)")
    one = torch.arange(6, dtype=torch.float32).reshape(2, 3)
    assert_tensors_match(student.linear_combination([one], [2.5]), one * 2.5,
                         "linear_combination of a single tensor of shape (2, 3)")


@pytest.mark.task("01.linear_combination",
                  hint="Build a new tensor: x.mul_() or total += ... on xs[0] changes the caller's tensor.")
def test_linear_combination_leaves_its_inputs_unchanged(student):
    xs = [torch.full((2, 3), 1.0), torch.full((2, 3), 2.0), torch.full((2, 3), -4.0)]
    originals = [x.clone() for x in xs]
    result, after = student.probe(tensor_probes.linear_combination_and_inputs, xs, [3.0, 0.5, 0.25])
    assert_tensors_match(result, torch.full((2, 3), 3.0), "linear_combination(xs, [3, 0.5, 0.25])")
    for i, (x, original) in enumerate(zip(after, originals, strict=True)):
        assert_tensors_match(x, original, f"xs[{i}] after the call (inputs must not be modified "
                             "in place; build a new tensor instead)")


@pytest.mark.task("01.linear_combination",
                  hint="Raise ValueError when xs is empty or len(xs) != len(weights).")
def test_linear_combination_rejects_mismatched_lengths(student):
    for n_xs, n_weights in [(0, 0), (3, 2), (2, 3)]:
        xs = [torch.ones(4) for _ in range(n_xs)]
        weights = [1.0] * n_weights
        expect_student_error(ValueError,
                             lambda xs=xs, weights=weights: student.linear_combination(xs, weights),
                             f"linear_combination of {n_xs} tensors with {n_weights} weights")


@pytest.mark.task("01.linear_combination", weight=2,
                  hint="Create any new tensor (the weights) on the device of xs.")
def test_linear_combination_stays_on_the_device_of_its_inputs(student, device):
    generator = torch.Generator().manual_seed(1)
    xs = [torch.randn(3, 4, generator=generator).to(device) for _ in range(3)]
    weights = [0.5, -1.0, 2.0]
    expected = sum(w * x for w, x in zip(weights, xs, strict=True))
    assert_tensors_match(student.linear_combination(xs, weights), expected,
                         f"linear_combination of tensors on {device}", **SUM_TOLERANCE)
    w = torch.tensor(weights, device=device)
    assert_tensors_match(student.linear_combination(xs, w), expected,
                         f"linear_combination of tensors on {device} with a weight tensor on {device}",
                         **SUM_TOLERANCE)


# ---------------------------------------------------------------- affine


AFFINE_HINT = "x @ W.T + b: W has shape (out, in), so it is transposed."


@pytest.mark.task("01.affine", weight=3, hint=AFFINE_HINT)
@given(affine_inputs())
def test_affine_of_a_batch_matches_torch(student, case):
    x, W, b = case
    what = f"affine(x, W, b) with x {tuple(x.shape)}, W {tuple(W.shape)}"
    with calling(what):
        got = student.affine(x, W, b)
    assert_tensors_match(got, F.linear(x, W, b), what, rtol=1e-5, atol=1e-4)


@pytest.mark.task("01.affine",
                  hint="@ treats a single vector of shape (in,) as a row; torch.mm does not take it.")
@given(affine_inputs(single=True))
def test_affine_of_a_single_vector_matches_torch(student, case):
    x, W, b = case
    what = (f"affine(x, W, b) for one input x of shape {tuple(x.shape)} and W {tuple(W.shape)} "
            "(expected shape (out,))")
    with calling(what):
        got = student.affine(x, W, b)
    assert_tensors_match(got, F.linear(x, W, b), what, rtol=1e-5, atol=1e-4)


@pytest.mark.task("01.affine", hint=AFFINE_HINT + " Tensor operations keep the inputs' dtype.")
@given(affine_inputs(dtype=torch.float64))
def test_affine_keeps_float64(student, case):
    x, W, b = case
    what = f"affine(x, W, b) with float64 x {tuple(x.shape)} and W {tuple(W.shape)}"
    with calling(what):
        got = student.affine(x, W, b)
    assert_tensors_match(got, F.linear(x, W, b), what)


@pytest.mark.task("01.affine",
                  hint="Compute with torch operations on the inputs (no NumPy, .detach() or .item()).")
@given(affine_inputs_and_upstream())
def test_gradients_flow_through_affine(student, case):
    x, W, b, upstream = case
    leaves = [t.clone().requires_grad_(True) for t in (x, W, b)]
    (F.linear(*leaves) * upstream).sum().backward()
    with calling("backward through affine(x, W, b)"):
        got = student.probe(tensor_probes.affine_gradients, x, W, b, upstream)
    for name, grad, leaf in zip(("x", "W", "b"), got, leaves, strict=True):
        if grad is None:
            raise AssertionError(f"no gradient reached {name} through affine(x, W, b): "
                                 "the result must be computed with torch operations on the inputs")
        assert_tensors_match(grad, leaf.grad, f"the gradient of sum(affine(x, W, b) * g) for {name}",
                             rtol=1e-4, atol=1e-4)


@pytest.mark.task("01.affine", weight=2, hint=AFFINE_HINT + " The result stays on the inputs' device.")
def test_affine_stays_on_the_device_of_its_inputs(student, device):
    generator = torch.Generator().manual_seed(2)
    x, W, b = (torch.randn(shape, generator=generator) for shape in [(5, 3), (4, 3), (4,)])
    expected = F.linear(x, W, b).to(device)
    assert_tensors_match(student.affine(x.to(device), W.to(device), b.to(device)), expected,
                         f"affine(x, W, b) with inputs on {device}", rtol=1e-5, atol=1e-4)
