"""Hidden tests of train_step, on a trusted nn.Linear with a trusted loss and optimizer."""

import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from autograder.testkit.compare import assert_numbers_match, assert_tensors_match
from autograder.testkit.probes import tensors as tensor_probes
from autograder.testkit.strategies import batches


def _start(n_in: int, n_out: int, seed: int = 0) -> dict:
    """A starting state_dict for the trusted nn.Linear(n_in, n_out)."""
    generator = torch.Generator().manual_seed(seed)
    return {"weight": torch.randn((n_out, n_in), generator=generator) / math.sqrt(n_in),
            "bias": torch.randn((n_out,), generator=generator)}


def _split(x, y, size: int) -> list:
    return [(x[i:i + size], y[i:i + size]) for i in range(0, len(x), size)]


def _check_training(got: dict, expected: dict, what: str) -> None:
    losses, expected_losses = got["losses"], expected["losses"]
    assert isinstance(losses, list) and len(losses) == len(expected_losses), (
        f"{what}: expected {len(expected_losses)} losses, got {losses!r}")
    for i, (loss, expected_loss) in enumerate(zip(losses, expected_losses, strict=True)):
        if isinstance(loss, torch.Tensor):
            raise AssertionError(f"{what}: train_step should return the loss as a Python float "
                                 f"(loss.item()), got a tensor {loss!r}")
        assert_numbers_match(loss, expected_loss, f"{what}: the loss returned by call {i + 1} "
                             "(the batch's loss before the update)")
    for key, value in expected["state_dict"].items():
        assert_tensors_match(got["state_dict"][key], value,
                             f"{what}: the model's {key} after {len(losses)} call(s) of train_step")


def _compare(student, reference, start, steps, lr, what, **options) -> None:
    got = student.probe(tensor_probes.train_linear, start, steps, lr, **options)
    expected = tensor_probes.train_linear(reference, start, steps, lr, **options)
    _check_training(got, expected, what)


@pytest.mark.task("01.train_step")
@given(batches(), st.sampled_from([0.01, 0.1, 0.5]))
def test_train_step_takes_one_sgd_step(student, reference, batch, lr):
    xb, yb = batch
    _compare(student, reference, _start(xb.shape[1], yb.shape[1]), [(xb, yb)], lr,
             f"one step of SGD(lr={lr}) with MSELoss on a batch of {len(xb)} rows")


@pytest.mark.task("01.train_step")
@given(batches(), st.sampled_from([1.0, -20.0, 100.0]))
def test_train_step_clears_stale_gradients(student, reference, batch, stale):
    xb, yb = batch
    _compare(student, reference, _start(xb.shape[1], yb.shape[1]), [(xb, yb)], 0.1,
             f"one step from parameters whose .grad was left at {stale:g} by an earlier step",
             stale_grad=stale)


@pytest.mark.task("01.train_step")
def test_train_step_three_steps_in_a_row(student, reference):
    generator = torch.Generator().manual_seed(3)
    x, y = torch.randn((30, 4), generator=generator), torch.randn((30, 2), generator=generator)
    _compare(student, reference, _start(4, 2), _split(x, y, 10), 0.2,
             "three train_step calls with SGD(lr=0.2), batches of 10 rows")


@pytest.mark.task("01.train_step")
def test_train_step_uses_the_optimizer_it_is_given(student, reference):
    generator = torch.Generator().manual_seed(4)
    x, y = torch.randn((24, 3), generator=generator), torch.randn((24, 1), generator=generator)
    steps = _split(x, y, 8)
    _compare(student, reference, _start(3, 1), steps, 0.05,
             "three steps with SGD(lr=0.05, momentum=0.9)", momentum=0.9)
    _compare(student, reference, _start(3, 1), steps, 0.05, "three steps with Adam(lr=0.05)",
             optimizer="adam")


@pytest.mark.task("01.train_step")
def test_train_step_uses_the_loss_function_it_is_given(student, reference):
    generator = torch.Generator().manual_seed(5)
    x, y = torch.randn((12, 3), generator=generator), torch.randn((12, 2), generator=generator)
    _compare(student, reference, _start(3, 2), _split(x, y, 6), 0.1,
             "two steps with nn.L1Loss() as loss_fn", loss="l1")


@pytest.mark.task("01.train_step", weight=2)
def test_train_step_on_a_device(student, reference, device):
    generator = torch.Generator().manual_seed(6)
    x, y = torch.randn((16, 3), generator=generator), torch.randn((16, 2), generator=generator)
    start = {key: value.to(device) for key, value in _start(3, 2).items()}
    got = student.probe(tensor_probes.train_linear, start, _split(x, y, 8), 0.1, device=device)
    expected = tensor_probes.train_linear(reference, start, _split(x, y, 8), 0.1, device=device)
    _check_training(got, expected, f"two steps with the model and the batches on {device}")


@pytest.mark.task("01.train_step")
def test_train_step_fits_a_line(student, credit):
    generator = torch.Generator().manual_seed(0)
    x = torch.linspace(-1, 1, 256).unsqueeze(1)
    y = 3 * x - 0.5 + 0.1 * torch.randn(x.shape, generator=generator)
    steps = []
    for _ in range(20):
        order = torch.randperm(256, generator=generator)
        steps += _split(x[order], y[order], 32)
    got = student.probe(tensor_probes.train_linear, {"weight": torch.zeros(1, 1), "bias": torch.zeros(1)},
                        steps, 0.1)
    slope, intercept = got["state_dict"]["weight"].item(), got["state_dict"]["bias"].item()
    errors = (abs(slope - 3), abs(intercept + 0.5))  # NaN fails both comparisons below
    fitted = f"20 epochs of train_step fitted y = {slope:.3f} x + {intercept:.3f} to y = 3 x - 0.5"
    assert all(error < 0.5 for error in errors), (
        f"{fitted}; slope and intercept should both be within 0.05")
    if not all(error < 0.05 for error in errors):
        credit.award(0.5, f"{fitted}: within 0.5 but not within 0.05 of both")
