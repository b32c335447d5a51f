"""Public tests of assignment 01. Run them with `pytest assignments/01`."""

import math

import pytest
import torch
from torch import nn
from torch.nn import functional as F
from torch.testing import assert_close
from torch.utils.data import DataLoader, TensorDataset

# ---------------------------------------------------------------- linear_combination


@pytest.mark.task("01.linear_combination")
def test_linear_combination_of_vectors_by_hand(tensors):
    xs = [torch.tensor([1.0, 2.0]), torch.tensor([10.0, 20.0]), torch.tensor([0.5, -0.5])]
    result = tensors.linear_combination(xs, [2.0, -1.0, 4.0])
    assert_close(result, torch.tensor([-6.0, -18.0]))


@pytest.mark.task("01.linear_combination")
def test_linear_combination_accepts_a_weight_tensor(tensors):
    xs = [torch.ones(2, 3), torch.full((2, 3), 3.0)]
    result = tensors.linear_combination(xs, torch.tensor([0.5, 2.0]))
    assert_close(result, torch.full((2, 3), 6.5))


@pytest.mark.task("01.linear_combination")
def test_linear_combination_keeps_the_shape_of_its_inputs(tensors):
    torch.manual_seed(0)
    xs = [torch.randn(4, 2, 3) for _ in range(5)]
    weights = [0.1, -2.0, 3.0, 0.0, 1.5]
    expected = sum(w * x for w, x in zip(weights, xs, strict=True))
    result = tensors.linear_combination(xs, weights)
    assert result.shape == (4, 2, 3)
    assert_close(result, expected)


# ---------------------------------------------------------------- affine


@pytest.mark.task("01.affine")
def test_affine_matches_linear_on_a_batch(tensors):
    torch.manual_seed(0)
    x, W, b = torch.randn(5, 3), torch.randn(4, 3), torch.randn(4)
    result = tensors.affine(x, W, b)
    assert result.shape == (5, 4)
    assert_close(result, F.linear(x, W, b))


@pytest.mark.task("01.affine")
def test_affine_of_a_single_vector_has_shape_out(tensors):
    x = torch.tensor([1.0, 2.0])
    W = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    b = torch.tensor([0.5, 0.5, -3.0])
    assert_close(tensors.affine(x, W, b), torch.tensor([1.5, 2.5, 0.0]))


@pytest.mark.task("01.affine")
def test_affine_computes_what_nn_linear_computes(tensors):
    torch.manual_seed(0)
    layer = nn.Linear(6, 2)
    x = torch.randn(8, 6)
    with torch.no_grad():
        assert_close(tensors.affine(x, layer.weight, layer.bias), layer(x))


# ---------------------------------------------------------------- derivative


@pytest.mark.task("01.derivative")
def test_derivative_of_3x_squared_at_2_is_12(tensors):
    result = tensors.derivative(lambda x: 3 * x**2, 2.0)
    assert isinstance(result, float)
    assert result == pytest.approx(12.0)


@pytest.mark.task("01.derivative")
def test_derivative_of_sin_at_pi_is_minus_1(tensors):
    assert tensors.derivative(torch.sin, math.pi) == pytest.approx(-1.0, abs=1e-6)


@pytest.mark.task("01.derivative")
def test_derivative_of_a_composition_uses_the_chain_rule(tensors):
    # d/dx exp(x^2) = 2x exp(x^2); at 0.5 that is exp(0.25)
    result = tensors.derivative(lambda x: torch.exp(x**2), 0.5)
    assert result == pytest.approx(math.exp(0.25), rel=1e-5)


# ---------------------------------------------------------------- select_device


@pytest.mark.task("01.select_device")
def test_select_device_returns_the_device_asked_for(tensors, device):
    assert tensors.select_device(device) == torch.device(device)


@pytest.mark.task("01.select_device")
def test_select_device_auto_prefers_cuda_when_available(tensors):
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert tensors.select_device("auto").type == expected
    assert tensors.select_device().type == expected


@pytest.mark.task("01.select_device")
def test_select_device_refuses_cuda_without_a_gpu(tensors):
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    try:
        tensors.select_device("cuda")
    except NotImplementedError:
        raise
    except RuntimeError as error:
        assert "cuda" in str(error).lower() or "gpu" in str(error).lower(), (
            f"the message should say that CUDA is not available, not {str(error)!r}"
        )
    else:
        pytest.fail("select_device('cuda') should raise a RuntimeError when there is no GPU")


@pytest.mark.task("01.select_device")
def test_select_device_rejects_unknown_names(tensors):
    with pytest.raises(ValueError):
        tensors.select_device("tpu")


# ---------------------------------------------------------------- make_loader


def _xy(n=10):
    x = torch.arange(n, dtype=torch.float32).unsqueeze(1)  # (n, 1), row i holds i
    return x, torch.arange(n)


@pytest.mark.task("01.make_loader")
def test_make_loader_without_shuffle_keeps_order_and_a_short_last_batch(tensors):
    x, y = _xy(10)
    batches = list(tensors.make_loader(x, y, batch_size=4))
    assert [len(xb) for xb, _ in batches] == [4, 4, 2]
    assert_close(torch.cat([xb for xb, _ in batches]), x)
    assert_close(torch.cat([yb for _, yb in batches]), y)


@pytest.mark.task("01.make_loader")
def test_make_loader_same_seed_gives_same_order(tensors):
    x, y = _xy(50)
    first = [yb for _, yb in tensors.make_loader(x, y, 8, shuffle=True, seed=3)]
    second = [yb for _, yb in tensors.make_loader(x, y, 8, shuffle=True, seed=3)]
    for a, b in zip(first, second, strict=True):
        assert_close(a, b)
    order = torch.cat(first)
    assert sorted(order.tolist()) == list(range(50)), "a shuffle is a permutation of the rows"
    assert order.tolist() != list(range(50)), "shuffle=True should change the order"


@pytest.mark.task("01.make_loader")
def test_make_loader_shuffles_like_a_seeded_generator(tensors):
    x, y = _xy(30)
    expected = DataLoader(
        TensorDataset(x, y), batch_size=7, shuffle=True, generator=torch.Generator().manual_seed(5)
    )
    loader = tensors.make_loader(x, y, 7, shuffle=True, seed=5)
    for (xb, yb), (ex, ey) in zip(loader, expected, strict=True):
        assert_close(xb, ex)
        assert_close(yb, ey)


# ---------------------------------------------------------------- train_step


def _regression_setup():
    torch.manual_seed(0)
    model = nn.Linear(3, 1)
    xb, yb = torch.randn(16, 3), torch.randn(16, 1)
    return model, xb, yb


def _expected_step(model, xb, yb, lr):
    """Loss and parameters after one SGD step, computed by hand."""
    w, b = model.weight.detach().clone(), model.bias.detach().clone()
    w.requires_grad_()
    b.requires_grad_()
    loss = ((xb @ w.T + b - yb) ** 2).mean()
    loss.backward()
    return loss.item(), w.detach() - lr * w.grad, b.detach() - lr * b.grad


@pytest.mark.task("01.train_step")
def test_train_step_returns_the_loss_as_a_float(tensors):
    model, xb, yb = _regression_setup()
    expected_loss, _, _ = _expected_step(model, xb, yb, lr=0.1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loss = tensors.train_step(model, nn.MSELoss(), optimizer, xb, yb)
    assert isinstance(loss, float)
    assert loss == pytest.approx(expected_loss, rel=1e-5)


@pytest.mark.task("01.train_step")
def test_train_step_takes_one_sgd_step(tensors):
    model, xb, yb = _regression_setup()
    _, expected_w, expected_b = _expected_step(model, xb, yb, lr=0.1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    tensors.train_step(model, nn.MSELoss(), optimizer, xb, yb)
    assert_close(model.weight.detach(), expected_w)
    assert_close(model.bias.detach(), expected_b)


@pytest.mark.task("01.train_step")
def test_train_step_clears_stale_gradients_first(tensors):
    model, xb, yb = _regression_setup()
    _, expected_w, expected_b = _expected_step(model, xb, yb, lr=0.1)
    for parameter in model.parameters():
        parameter.grad = torch.full_like(parameter, 100.0)  # left over from an earlier step
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    tensors.train_step(model, nn.MSELoss(), optimizer, xb, yb)
    assert_close(model.weight.detach(), expected_w)
    assert_close(model.bias.detach(), expected_b)
