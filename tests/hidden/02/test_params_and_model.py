"""Hidden tests of init_params and model."""

import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from autograder.testkit.compare import assert_tensors_match, calling
from autograder.testkit.probes import scratch
from autograder.testkit.strategies import tensors

# ---------------------------------------------------------------- init_params


def _reference_params(reference, *sizes, seed):
    weights, bias = reference.init_params(*sizes, generator=torch.Generator().manual_seed(seed))
    return weights.detach(), bias.detach()


INIT_HINT = ("weights = torch.randn(n_in, n_out, generator=generator) / math.sqrt(n_in), then "
             "weights.requires_grad_(); bias = torch.zeros(n_out, requires_grad=True).")


@pytest.mark.task("02.init_params", weight=2, hint=INIT_HINT)
def test_init_params_matches_the_reference_with_a_seeded_generator(student, reference):
    for n_in, n_out, seed in [(784, 10, 0), (5, 3, 1), (12, 30, 2), (1, 1, 3)]:
        call = f"init_params({n_in}, {n_out}, generator=torch.Generator().manual_seed({seed}))"
        with calling(call):
            facts = student.probe(scratch.init_params_facts, n_in, n_out, seed=seed)
        weights, bias = _reference_params(reference, n_in, n_out, seed=seed)
        assert_tensors_match(facts["weights"], weights, f"the weights of {call} (exactly "
                             f"torch.randn({n_in}, {n_out}, generator=generator) / math.sqrt({n_in}))")
        assert_tensors_match(facts["bias"], bias, f"the bias of {call}")


@pytest.mark.task("02.init_params", hint="The defaults are n_in=784 and n_out=10. " + INIT_HINT)
def test_init_params_defaults_to_784_inputs_and_10_classes(student, reference):
    call = "init_params(generator=torch.Generator().manual_seed(4))"
    with calling(call):
        facts = student.probe(scratch.init_params_facts, seed=4)
    weights, bias = _reference_params(reference, seed=4)
    assert_tensors_match(facts["weights"], weights, f"the weights of {call} (of shape (784, 10))")
    assert_tensors_match(facts["bias"], bias, f"the bias of {call} (of shape (10,))")


@pytest.mark.task("02.init_params",
                  hint="Divide first, then call weights.requires_grad_(): a tensor computed from one "
                       "that requires grad is not a leaf, and backward leaves its .grad empty.")
def test_init_params_gives_leaf_tensors_that_require_grad(student):
    """Does backward fill .grad of both tensors, as it does for leaves that require grad?"""
    for n_in, n_out in [(20, 4), (784, 10)]:
        generator = torch.Generator().manual_seed(6)
        upstreams = [torch.randn(n_in, n_out, generator=generator), torch.randn(n_out, generator=generator)]
        with calling(f"init_params({n_in}, {n_out}, generator=...) and backward"):
            facts = student.probe(scratch.init_params_facts, n_in, n_out, seed=5, upstreams=upstreams)
        for name, grad, upstream in zip(["weights", "bias"], facts["gradients"], upstreams, strict=True):
            what = (f"init_params({n_in}, {n_out}): the gradient of sum({name} * g) for {name}, "
                    "after backward")
            assert grad is not None, (f"{what} is None: expected {name} to be a leaf tensor with "
                                      "requires_grad=True, whose .grad backward fills")
            assert_tensors_match(grad, upstream, what)


@pytest.mark.task("02.init_params",
                  hint="Divide standard normal weights by math.sqrt(n_in), the number of inputs; "
                       "the bias starts at zero.")
def test_init_params_without_a_generator_has_the_right_scale(student):
    with calling("init_params(784, 10)"):
        weights, bias = student.init_params(784, 10)
    assert isinstance(weights, torch.Tensor) and weights.shape == (784, 10), (
        f"init_params(784, 10): expected weights of shape (784, 10), got {_shape_of(weights)}")
    assert_tensors_match(bias, torch.zeros(10), "the bias of init_params(784, 10)")
    assert weights.requires_grad and bias.requires_grad, (
        "init_params(784, 10): expected weights and bias with requires_grad=True, got "
        f"requires_grad={weights.requires_grad} and {bias.requires_grad}")
    spread = weights.detach().std().item()
    expected = 1 / math.sqrt(784)
    assert 0.9 * expected < spread < 1.1 * expected, (
        f"init_params(784, 10): expected weights with standard deviation about 1/sqrt(784) = "
        f"{expected:.4f}, got {spread:.4f}")


def _shape_of(value):
    return tuple(value.shape) if isinstance(value, torch.Tensor) else type(value).__name__


# ---------------------------------------------------------------- model


@st.composite
def affine_problems(draw):
    """(xb, weights, bias) with independent batch, input and class sizes."""
    rows, n_in, n_out = draw(st.integers(1, 8)), draw(st.integers(1, 8)), draw(st.integers(2, 8))
    xb = draw(tensors(shape=(rows, n_in), low=0.0, high=1.0))
    weights = draw(tensors(shape=(n_in, n_out), low=-3.0, high=3.0))
    bias = draw(tensors(shape=(n_out,), low=-3.0, high=3.0))
    return xb, weights, bias


@st.composite
def affine_problems_and_upstream(draw):
    """(xb, weights, bias, an upstream gradient g of the output's shape)."""
    xb, weights, bias = draw(affine_problems())
    return xb, weights, bias, draw(tensors(shape=(xb.shape[0], weights.shape[1]), low=-1.0, high=1.0))


MODEL_HINT = "model(xb, weights, bias) is log_softmax(xb @ weights + bias): call your log_softmax."


@pytest.mark.task("02.model", weight=2, hint=MODEL_HINT)
@given(affine_problems())
def test_model_is_log_softmax_of_xb_weights_plus_bias(student, problem):
    xb, weights, bias = problem
    with calling("model(xb, weights, bias) for the inputs shown below"):
        got = student.probe(scratch.model_output, xb, weights, bias)
    assert_tensors_match(got, torch.log_softmax(xb @ weights + bias, dim=-1),
                         f"model(xb, weights, bias) for xb {tuple(xb.shape)} and weights "
                         f"{tuple(weights.shape)}")


@pytest.mark.task("02.model", hint=MODEL_HINT + " It works on any device its inputs are on.")
def test_model_on_an_mnist_sized_batch(student, device):
    generator = torch.Generator().manual_seed(8)
    xb = torch.rand(64, 784, generator=generator).to(device)
    weights = (torch.randn(784, 10, generator=generator) / 28).to(device)
    bias = torch.randn(10, generator=generator).to(device)
    what = f"model(xb, weights, bias) for a batch of 64 images on {device}"
    with calling(what):
        got = student.probe(scratch.model_output, xb, weights, bias)
    assert_tensors_match(got, torch.log_softmax(xb @ weights + bias, dim=-1), what,
                         rtol=1e-4, atol=1e-5)


@pytest.mark.task("02.model",
                  hint="Use weights and bias as they are (no .detach() or .data), so gradients reach them.")
@given(affine_problems_and_upstream())
def test_gradients_reach_weights_and_bias_through_model(student, problem):
    xb, weights, bias, upstream = problem
    w, b = weights.clone().requires_grad_(True), bias.clone().requires_grad_(True)
    (torch.log_softmax(xb @ w + b, dim=-1) * upstream).sum().backward()
    with calling("backward through model(xb, weights, bias) for the inputs shown below"):
        grad_w, grad_b = student.probe(scratch.gradients_of_model, xb, weights, bias, upstream)
    for name, got, expected in [("weights", grad_w, w.grad), ("bias", grad_b, b.grad)]:
        assert got is not None, (f"no gradient reached {name} through model(xb, weights, bias): "
                                 f"was {name} detached?")
        assert_tensors_match(got, expected, f"the gradient of model(xb, weights, bias) with respect "
                             f"to {name}", rtol=1e-4, atol=1e-5)
