"""Hidden tests of what fit leaves behind: the caller's tensors trained in place, and MNIST learnt.

The probes run the student's ``fit`` with trusted ``model``, ``nll`` and
``log_softmax``, so only the training loop itself is graded here.
"""

import math

import pytest
import torch

from autograder.testkit.compare import assert_tensors_match, calling
from autograder.testkit.probes import scratch

FULL_MARKS_ACCURACY = 0.85
LOWEST_ACCURACY = 0.6
TRAINING_DIGITS = 3000  # of the sample's 4,000; the reference reaches 0.88 in a fraction of a second


def problem(rows, n_in=6, n_out=4, seed=0):
    """Seeded inputs, labels and starting parameters (a non-zero bias, so its updates show)."""
    generator = torch.Generator().manual_seed(seed)
    x = torch.rand(rows, n_in, generator=generator)
    y = torch.randint(0, n_out, (rows,), generator=generator)
    weights = torch.randn(n_in, n_out, generator=generator) / math.sqrt(n_in)
    bias = torch.randn(n_out, generator=generator) / 10
    return x, y, weights, bias


def one_step(reference, x, y, weights, bias, lr):
    """The weights and bias after one reference step on the whole of x."""
    weights, bias = weights.clone().requires_grad_(True), bias.clone().requires_grad_(True)
    reference.nll(reference.model(x, weights, bias), y).backward()
    return (weights - weights.grad * lr).detach(), (bias - bias.grad * lr).detach()


@pytest.mark.task("02.fit",
                  hint="Update the caller's tensors in place (weights -= ... under torch.no_grad()); "
                       "weights = weights - ... makes a new tensor the caller never sees.")
def test_fit_updates_the_callers_tensors_in_place(student, reference):
    """After one step (one batch, one epoch), are the caller's own tensors the updated ones?"""
    x, y, weights, bias = problem(16, seed=3)
    call = "fit(x, y, weights, bias, lr=1.0, epochs=1, bs=16) on 16 rows (one step)"
    with calling(call):
        _, got_w, got_b, _, _ = student.probe(scratch.fit_and_return_params, x, y, weights, bias,
                                              lr=1.0, epochs=1, bs=16)
    expected_w, expected_b = one_step(reference, x, y, weights, bias, 1.0)
    assert not torch.equal(got_w, weights) or not torch.equal(got_b, bias), (
        f"{call}: the caller's weights and bias did not change; update them in place")
    assert_tensors_match(got_w, expected_w, f"the caller's weights after {call}", rtol=1e-4, atol=1e-5)
    assert_tensors_match(got_b, expected_b, f"the caller's bias after {call}", rtol=1e-4, atol=1e-5)


@pytest.mark.task("02.fit",
                  hint="Change weights and bias only under torch.no_grad() and in place: they stay "
                       "leaf tensors that require grad, ready for the next backward.")
def test_fit_keeps_weights_and_bias_leaves_that_require_grad(student):
    """After fit, does a backward pass still fill the .grad of the caller's weights and bias?"""
    x, y, weights, bias = problem(40, seed=3)
    generator = torch.Generator().manual_seed(9)
    upstreams = [torch.randn(weights.shape, generator=generator),
                 torch.randn(bias.shape, generator=generator)]
    call = "fit(x, y, weights, bias, lr=0.5, epochs=1, bs=16) on 40 rows"
    with calling(call):
        grads = student.probe(scratch.gradients_after_fit, x, y, weights, bias, upstreams,
                              lr=0.5, epochs=1, bs=16)
    for name, grad, upstream in zip(["weights", "bias"], grads, upstreams, strict=True):
        what = f"after {call}, the gradient of sum({name} * g) for {name}"
        assert grad is not None, (f"{what} is None: {name} should still be a leaf tensor with "
                                  "requires_grad=True")
        assert_tensors_match(grad, upstream, what)


@pytest.mark.task("02.fit",
                  hint="Zero both gradients after every update (weights.grad.zero_()), so fit leaves "
                       "them at zero.")
def test_fit_leaves_the_gradients_zeroed(student):
    x, y, weights, bias = problem(50, seed=4)
    call = "fit(x, y, weights, bias, lr=0.5, epochs=2, bs=20) on 50 rows"
    with calling(call):
        _, _, _, grad_w, grad_b = student.probe(scratch.fit_and_return_params, x, y, weights, bias,
                                                lr=0.5, epochs=2, bs=20)
    for name, grad in [("weights", grad_w), ("bias", grad_b)]:
        if grad is not None:  # None is what set_to_none leaves: zeroed as well
            assert_tensors_match(grad, torch.zeros_like(grad),
                                 f"{name}.grad after {call} (zero it after every step)")


# ---------------------------------------------------------------- training quality


@pytest.fixture(scope="module")
def mnist(mnist_root):
    """((x_train, y_train), (x_test, y_test)) of the MNIST sample, flattened to [0, 1]."""
    from torchvision import datasets

    def flat(split):
        return split.data.reshape(len(split.data), -1).float() / 255, split.targets

    return (flat(datasets.MNIST(mnist_root, train=True, download=False)),
            flat(datasets.MNIST(mnist_root, train=False, download=False)))


@pytest.mark.task("02.fit", weight=2,
                  hint="Two epochs of the loop with lr=0.5 and bs=64 reach about 0.88 on the sample.")
def test_fit_trains_logistic_regression_on_mnist(student, mnist, credit):
    (x_train, y_train), (x_test, y_test) = mnist
    x_train, y_train = x_train[:TRAINING_DIGITS], y_train[:TRAINING_DIGITS]
    weights = torch.randn(784, 10, generator=torch.Generator().manual_seed(0)) / 28
    bias = torch.zeros(10)
    call = f"fit on {len(x_train)} MNIST digits (lr=0.5, epochs=2, bs=64)"
    with calling(call):
        _, weights, bias, _, _ = student.probe(scratch.fit_and_return_params, x_train, y_train, weights,
                                               bias, lr=0.5, epochs=2, bs=64)
    assert torch.isfinite(weights).all() and torch.isfinite(bias).all(), (
        f"{call}: the weights or bias contain NaN or Inf after training")
    accuracy = ((x_test @ weights + bias).argmax(dim=1) == y_test).float().mean().item()
    assert accuracy >= LOWEST_ACCURACY, (
        f"{call}: expected a test accuracy of at least {FULL_MARKS_ACCURACY} "
        f"({LOWEST_ACCURACY} for partial credit), got {accuracy:.3f}")
    if accuracy < FULL_MARKS_ACCURACY:
        fraction = (accuracy - LOWEST_ACCURACY) / (FULL_MARKS_ACCURACY - LOWEST_ACCURACY)
        credit.award(fraction, f"{call}: test accuracy {accuracy:.3f}; "
                     f"{FULL_MARKS_ACCURACY} earns full marks")
