"""Hidden tests of fit: the reference's exact updates, in place, and training quality on MNIST.

The fit probes run the student's ``fit`` with trusted ``model``, ``nll`` and
``log_softmax``, so only the training loop itself is graded here.
"""

import math

import pytest
import torch

from autograder.testkit.compare import assert_tensors_match
from autograder.testkit.probes import scratch

FULL_MARKS_ACCURACY = 0.85
LOWEST_ACCURACY = 0.6
TRAINING_DIGITS = 3000  # of the sample's 4,000; the reference reaches 0.88 in a fraction of a second

# (rows, batch size, learning rate, epochs)
CASES = {
    "100 rows in batches of 16": (100, 16, 0.5, 2),
    "37 rows in batches of 10, 3 epochs": (37, 10, 0.1, 3),
    "65 rows in batches of 64 (last batch of 1)": (65, 64, 1.5, 2),
    "20 rows in one batch of up to 32": (20, 32, 0.3, 1),
    "48 rows in batches of 12": (48, 12, 0.05, 2),
}


def _problem(rows, n_in=6, n_out=4, seed=0):
    """Seeded inputs, labels and starting parameters (a non-zero bias, so its updates show)."""
    generator = torch.Generator().manual_seed(seed)
    x = torch.rand(rows, n_in, generator=generator)
    y = torch.randint(0, n_out, (rows,), generator=generator)
    weights = torch.randn(n_in, n_out, generator=generator) / math.sqrt(n_in)
    bias = torch.randn(n_out, generator=generator) / 10
    return x, y, weights, bias


def _reference_fit(reference, x, y, weights, bias, **kwargs):
    """(losses as a tensor, weights after, bias after) of the reference fit on copies."""
    weights = weights.clone().requires_grad_(True)
    bias = bias.clone().requires_grad_(True)
    losses = reference.fit(x, y, weights, bias, **kwargs)
    return torch.tensor(losses, dtype=torch.float64), weights.detach(), bias.detach()


def _loss_tensor(losses, expected_count, call):
    """The returned losses as a float64 tensor, after checking there is one per batch."""
    assert isinstance(losses, list | tuple), (
        f"{call}: expected a list of losses, got {type(losses).__name__}")
    assert len(losses) == expected_count, (
        f"{call}: expected a list of {expected_count} losses (one per batch in every epoch), "
        f"got {len(losses)}")
    try:
        return torch.tensor([float(value) for value in losses], dtype=torch.float64)
    except (TypeError, ValueError, RuntimeError):
        raise AssertionError(f"{call}: expected the losses as numbers, got {losses!r:.200}") from None


def _check_fit_matches(student, reference, x, y, weights, bias, call, **kwargs):
    """Run both fits from the same start and compare losses, weights and bias."""
    expected_losses, expected_w, expected_b = _reference_fit(reference, x, y, weights, bias, **kwargs)
    losses, got_w, got_b, _, _ = student.probe(scratch.fit_and_return_params, x, y, weights, bias,
                                               **kwargs)
    got_losses = _loss_tensor(losses, len(expected_losses), call)
    assert_tensors_match(got_losses, expected_losses, f"the losses returned by {call}",
                         rtol=1e-4, atol=1e-5)
    assert_tensors_match(got_w, expected_w, f"the weights after {call}", rtol=1e-4, atol=1e-5)
    assert_tensors_match(got_b, expected_b, f"the bias after {call}", rtol=1e-4, atol=1e-5)


def _call(rows, bs, lr, epochs):
    return f"fit(x, y, weights, bias, lr={lr}, epochs={epochs}, bs={bs}) with {rows} rows"


@pytest.mark.task("02.fit", weight=2)
@pytest.mark.parametrize("case", CASES.values(), ids=list(CASES))
def test_fit_makes_the_reference_updates(student, reference, case):
    rows, bs, lr, epochs = case
    x, y, weights, bias = _problem(rows, seed=rows)
    _check_fit_matches(student, reference, x, y, weights, bias, _call(rows, bs, lr, epochs),
                       lr=lr, epochs=epochs, bs=bs)


@pytest.mark.task("02.fit", weight=2)
def test_fit_uses_the_last_uneven_batch(student, reference):
    """Does a last batch of a single row take part in training?"""
    x, y, weights, bias = _problem(25, seed=1)
    call = _call(25, 8, 0.8, 1) + " (the last batch has 1 row)"
    _check_fit_matches(student, reference, x, y, weights, bias, call, lr=0.8, epochs=1, bs=8)


@pytest.mark.task("02.fit", weight=2)
def test_fit_uses_the_learning_rate(student, reference):
    x, y, weights, bias = _problem(30, seed=2)
    for lr in [0.01, 2.0]:
        _check_fit_matches(student, reference, x, y, weights, bias, _call(30, 10, lr, 1),
                           lr=lr, epochs=1, bs=10)


@pytest.mark.task("02.fit")
def test_fit_returns_one_python_float_per_batch(student):
    x, y, weights, bias = _problem(65)
    call = _call(65, 16, 0.5, 2)
    losses = student.probe(scratch.fit_and_return_params, x, y, weights, bias, lr=0.5, epochs=2, bs=16)[0]
    _loss_tensor(losses, 10, call)
    kinds = sorted({type(value).__name__ for value in losses if type(value) is not float})
    assert not kinds, f"{call}: expected every loss as a Python float (loss.item()), got {kinds}"


@pytest.mark.task("02.fit", weight=2)
def test_fit_updates_the_callers_tensors_in_place(student, reference):
    x, y, weights, bias = _problem(40, seed=3)
    call = _call(40, 16, 0.5, 1)
    _, got_w, got_b, _, _ = student.probe(scratch.fit_and_return_params, x, y, weights, bias,
                                          lr=0.5, epochs=1, bs=16)
    assert not torch.equal(got_w, weights) and not torch.equal(got_b, bias), (
        f"{call}: expected the caller's weights and bias to change in place, but "
        f"{'weights' if torch.equal(got_w, weights) else 'bias'} did not change")
    _, expected_w, expected_b = _reference_fit(reference, x, y, weights, bias, lr=0.5, epochs=1, bs=16)
    assert_tensors_match(got_w, expected_w, f"the caller's weights after {call}", rtol=1e-4, atol=1e-5)
    assert_tensors_match(got_b, expected_b, f"the caller's bias after {call}", rtol=1e-4, atol=1e-5)
    leaves = student.probe(scratch.leaves_after_fit, x, y, weights, bias, lr=0.5, epochs=1, bs=16)
    assert all(leaves), (f"{call}: expected weights and bias to stay leaf tensors that require "
                         f"grad, got {dict(zip(['weights', 'bias'], leaves, strict=True))}")


@pytest.mark.task("02.fit")
def test_fit_leaves_the_gradients_zeroed(student):
    x, y, weights, bias = _problem(50, seed=4)
    call = _call(50, 20, 0.5, 2)
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


@pytest.mark.task("02.fit", weight=2)
def test_fit_trains_logistic_regression_on_mnist(student, mnist, credit):
    (x_train, y_train), (x_test, y_test) = mnist
    x_train, y_train = x_train[:TRAINING_DIGITS], y_train[:TRAINING_DIGITS]
    weights = torch.randn(784, 10, generator=torch.Generator().manual_seed(0)) / 28
    bias = torch.zeros(10)
    call = f"fit on {len(x_train)} MNIST digits (lr=0.5, epochs=2, bs=64)"
    _, weights, bias, _, _ = student.probe(scratch.fit_and_return_params, x_train, y_train, weights, bias,
                                           lr=0.5, epochs=2, bs=64)
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
