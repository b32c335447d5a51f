"""Public tests of assignment 02. Run them with `pytest assignments/02`.

The expected values come from torch itself (torch.log_softmax, F.nll_loss) or
are worked out by hand, never from your own functions.
"""

import math

import pytest
import torch
from torch.nn import functional as F
from torch.testing import assert_close

# ---------------------------------------------------------------- log_softmax


@pytest.mark.task("02.log_softmax")
def test_log_softmax_matches_torch(scratch):
    torch.manual_seed(0)
    x = torch.randn(8, 10)
    assert_close(scratch.log_softmax(x), torch.log_softmax(x, dim=-1))


@pytest.mark.task("02.log_softmax")
def test_log_softmax_is_stable_for_large_logits(scratch):
    result = scratch.log_softmax(torch.tensor([[1000.0, 0.0]]))
    assert torch.isfinite(result).all(), f"got {result}: did exp overflow?"
    assert_close(result, torch.tensor([[0.0, -1000.0]]))


@pytest.mark.task("02.log_softmax")
@pytest.mark.parametrize("scale", [1e2, 1e3, 1e4])
def test_log_softmax_matches_torch_for_large_magnitudes(scratch, scale):
    torch.manual_seed(1)
    x = torch.randn(6, 10) * scale
    x[0] = -x[0].abs()  # a row of only negative logits: exp underflows to 0
    result = scratch.log_softmax(x)
    assert torch.isfinite(result).all(), f"got non-finite values for logits of size {scale}"
    assert_close(result, torch.log_softmax(x, dim=-1))


@pytest.mark.task("02.log_softmax")
def test_log_softmax_works_over_the_last_dimension(scratch):
    torch.manual_seed(2)
    x = torch.randn(2, 3, 5)
    result = scratch.log_softmax(x)
    assert result.shape == (2, 3, 5)
    assert_close(result.exp().sum(dim=-1), torch.ones(2, 3))
    assert_close(result, torch.log_softmax(x, dim=-1))


# ---------------------------------------------------------------- nll


@pytest.mark.task("02.nll")
def test_nll_by_hand(scratch):
    logp = torch.tensor([[-0.1, -2.0, -3.0], [-1.5, -0.5, -4.0]])
    target = torch.tensor([0, 2])
    result = scratch.nll(logp, target)
    assert result.shape == (), "nll returns a scalar tensor"
    assert_close(result, torch.tensor((0.1 + 4.0) / 2))


@pytest.mark.task("02.nll")
def test_nll_matches_torch_nll_loss(scratch):
    torch.manual_seed(0)
    logp = torch.log_softmax(torch.randn(32, 10), dim=1)
    target = torch.randint(0, 10, (32,))
    assert_close(scratch.nll(logp, target), F.nll_loss(logp, target))


@pytest.mark.task("02.nll")
def test_nll_is_differentiable(scratch):
    logp = torch.zeros(4, 3, requires_grad=True)
    scratch.nll(logp, torch.tensor([0, 1, 2, 1])).backward()
    expected = torch.zeros(4, 3)
    expected[[0, 1, 2, 3], [0, 1, 2, 1]] = -0.25  # d(-mean)/d(picked entry) = -1/B
    assert_close(logp.grad, expected)


# ---------------------------------------------------------------- accuracy


@pytest.mark.task("02.accuracy")
def test_accuracy_by_hand(scratch):
    out = torch.tensor([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]])
    result = scratch.accuracy(out, torch.tensor([0, 1, 1, 0]))
    assert result.dtype.is_floating_point and result.shape == ()
    assert_close(result, torch.tensor(0.5))


@pytest.mark.task("02.accuracy")
def test_accuracy_is_one_when_every_row_is_right(scratch):
    torch.manual_seed(0)
    out = torch.randn(20, 10)
    assert_close(scratch.accuracy(out, out.argmax(dim=1)), torch.tensor(1.0))


# ---------------------------------------------------------------- init_params


@pytest.mark.task("02.init_params")
def test_init_params_shapes_and_scale(scratch):
    weights, bias = scratch.init_params(784, 10, generator=torch.Generator().manual_seed(0))
    expected = torch.randn(784, 10, generator=torch.Generator().manual_seed(0)) / math.sqrt(784)
    assert weights.shape == (784, 10) and bias.shape == (10,)
    assert_close(weights.detach(), expected)
    assert_close(bias.detach(), torch.zeros(10))


@pytest.mark.task("02.init_params")
def test_init_params_gives_leaf_tensors_that_require_grad(scratch):
    weights, bias = scratch.init_params(5, 3)
    for name, tensor in [("weights", weights), ("bias", bias)]:
        assert tensor.requires_grad, f"{name} should require grad"
        assert tensor.is_leaf, f"{name} should be a leaf tensor: divide before requires_grad_()"


# ---------------------------------------------------------------- model


@pytest.mark.task("02.model")
def test_model_is_log_softmax_of_an_affine_map(scratch):
    torch.manual_seed(0)
    xb, weights, bias = torch.rand(16, 784), torch.randn(784, 10) / 28, torch.randn(10)
    out = scratch.model(xb, weights, bias)
    assert out.shape == (16, 10)
    assert_close(out, torch.log_softmax(xb @ weights + bias, dim=-1))


@pytest.mark.task("02.model")
def test_model_lets_gradients_reach_the_parameters(scratch):
    torch.manual_seed(0)
    weights = torch.randn(4, 3).requires_grad_()
    bias = torch.zeros(3, requires_grad=True)
    scratch.model(torch.rand(5, 4), weights, bias).sum().backward()
    assert weights.grad is not None and bias.grad is not None


# ---------------------------------------------------------------- fit


def _problem(n=100, n_in=5, n_out=3):
    """A small random classification problem and fresh parameters."""
    torch.manual_seed(0)
    x, y = torch.rand(n, n_in), torch.randint(0, n_out, (n,))
    weights = (torch.randn(n_in, n_out) / math.sqrt(n_in)).requires_grad_()
    bias = torch.zeros(n_out, requires_grad=True)
    return x, y, weights, bias


def _sgd_by_hand(x, y, weights, bias, lr, epochs, bs):
    """The expected run, written with torch's own log_softmax and nll_loss."""
    w, b = weights.detach().clone().requires_grad_(), bias.detach().clone().requires_grad_()
    losses = []
    for _ in range(epochs):
        for start in range(0, len(x), bs):
            xb, yb = x[start : start + bs], y[start : start + bs]
            loss = F.nll_loss(torch.log_softmax(xb @ w + b, dim=1), yb)
            grad_w, grad_b = torch.autograd.grad(loss, [w, b])
            with torch.no_grad():
                w -= grad_w * lr
                b -= grad_b * lr
            losses.append(loss.item())
    return losses, w.detach(), b.detach()


@pytest.mark.task("02.fit")
def test_fit_returns_one_float_per_batch(scratch):
    x, y, weights, bias = _problem(n=100)
    losses = scratch.fit(x, y, weights, bias, lr=0.1, epochs=3, bs=32)
    assert isinstance(losses, list) and all(isinstance(v, float) for v in losses)
    assert len(losses) == 3 * 4, "100 rows in batches of 32 make 4 batches (the last has 4)"


@pytest.mark.task("02.fit")
def test_fit_matches_sgd_written_by_hand(scratch):
    x, y, weights, bias = _problem(n=100)
    expected_losses, expected_w, expected_b = _sgd_by_hand(x, y, weights, bias, 0.5, 2, 16)
    losses = scratch.fit(x, y, weights, bias, lr=0.5, epochs=2, bs=16)
    assert_close(torch.tensor(losses), torch.tensor(expected_losses))
    assert_close(weights.detach(), expected_w)
    assert_close(bias.detach(), expected_b)


@pytest.mark.task("02.fit")
def test_fit_updates_in_place_and_leaves_zero_gradients(scratch):
    x, y, weights, bias = _problem(n=50)
    before = weights.detach().clone()
    scratch.fit(x, y, weights, bias, lr=0.5, epochs=1, bs=25)
    assert not torch.equal(weights.detach(), before), "the caller's weights should change"
    assert weights.is_leaf and bias.is_leaf
    assert_close(weights.grad, torch.zeros_like(weights))
    assert_close(bias.grad, torch.zeros_like(bias))
