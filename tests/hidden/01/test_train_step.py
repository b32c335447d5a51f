"""Hidden tests of train_step, on a trusted nn.Linear with a trusted loss and optimizer.

Each behaviour of the contract has tests of its own, early and late in the
file: the step (parameters after every call), clearing stale gradients first,
the loss before the update as a number, and that number as a Python float.
Tests of other behaviours clear the gradients between calls themselves, so a
missing zero_grad costs only the tests of zero_grad.
"""

import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from autograder.testkit.compare import assert_numbers_match, assert_tensors_match, calling
from autograder.testkit.probes import tensors as tensor_probes
from autograder.testkit.strategies import batches, tensors

STEP_HINT = ("optimizer.zero_grad(); loss = loss_fn(model(xb), yb); loss.backward(); optimizer.step(): "
             "use the model, loss_fn and optimizer you are given.")
ZERO_GRAD_HINT = "Call optimizer.zero_grad() first, before backward: gradients accumulate otherwise."
LOSS_HINT = "Return the loss computed before optimizer.step(), as loss.item()."
FLOAT_HINT = "Return loss.item(), a Python float, not the loss tensor."


@st.composite
def starts_and_batches(draw):
    """(a starting state_dict of the trusted nn.Linear, a batch (xb, yb) for it)."""
    xb, yb = draw(batches())
    n_in, n_out = xb.shape[1], yb.shape[1]
    state = {"weight": draw(tensors(shape=(n_out, n_in), low=-1.0, high=1.0)),
             "bias": draw(tensors(shape=(n_out,), low=-1.0, high=1.0))}
    return state, (xb, yb)


def start(n_in: int, n_out: int, seed: int = 0) -> dict:
    """A starting state_dict for the trusted nn.Linear(n_in, n_out)."""
    generator = torch.Generator().manual_seed(seed)
    return {"weight": torch.randn((n_out, n_in), generator=generator) / math.sqrt(n_in),
            "bias": torch.randn((n_out,), generator=generator)}


def split(x, y, size: int) -> list:
    return [(x[i:i + size], y[i:i + size]) for i in range(0, len(x), size)]


def seeded(rows: int, n_in: int, n_out: int, seed: int):
    generator = torch.Generator().manual_seed(seed)
    return torch.randn((rows, n_in), generator=generator), torch.randn((rows, n_out), generator=generator)


def run(student, reference, state, steps, lr, what, **options) -> tuple[dict, dict]:
    """(what the student's train_step did, what the reference's did) on the same trusted parts."""
    with calling(what):
        got = student.probe(tensor_probes.train_linear, state, steps, lr, **options)
    return got, tensor_probes.train_linear(reference, state, steps, lr, **options)


def check_parameters(got: dict, expected: dict, what: str) -> None:
    """The model's parameters after every call."""
    for number, (state, expected_state) in enumerate(zip(got["states"], expected["states"], strict=True), 1):
        for key, value in expected_state.items():
            assert_tensors_match(state[key], value, f"{what}: the model's {key} after call {number} "
                                 "of train_step")


def check_loss_values(got: dict, expected: dict, what: str) -> None:
    """Each returned loss, as a number (its type has tests of its own)."""
    for number, (loss, expected_loss) in enumerate(zip(got["losses"], expected["losses"], strict=True), 1):
        value = loss.item() if isinstance(loss, torch.Tensor) and loss.numel() == 1 else loss
        assert_numbers_match(value, expected_loss, f"{what}: the loss returned by call {number} "
                             "(the batch's loss before the update)")


def check_floats(got: dict, what: str) -> None:
    for number, loss in enumerate(got["losses"], 1):
        assert type(loss) is float, (f"{what}: train_step should return the loss as a Python float "
                                     f"(loss.item()); call {number} returned a {type(loss).__name__}: "
                                     f"{loss!r:.100}")


@pytest.mark.task("01.train_step", weight=2, hint=STEP_HINT)
@given(starts_and_batches(), st.sampled_from([0.01, 0.1, 0.5]))
def test_train_step_takes_one_sgd_step(student, reference, case, lr):
    state, (xb, yb) = case
    what = f"one step of SGD(lr={lr}) with MSELoss on a batch of {len(xb)} rows, from the state shown"
    check_parameters(*run(student, reference, state, [(xb, yb)], lr, what), what)


@pytest.mark.task("01.train_step", hint=LOSS_HINT)
@given(starts_and_batches())
def test_train_step_returns_the_loss_before_the_update(student, reference, case):
    state, (xb, yb) = case
    what = f"one step of SGD(lr=0.1) with MSELoss on a batch of {len(xb)} rows, from the state shown"
    check_loss_values(*run(student, reference, state, [(xb, yb)], 0.1, what), what)


@pytest.mark.task("01.train_step", hint=ZERO_GRAD_HINT)
@given(starts_and_batches(), st.sampled_from([1.0, -20.0, 100.0]))
def test_train_step_clears_stale_gradients(student, reference, case, stale):
    state, (xb, yb) = case
    what = f"one step from the state shown, whose .grad was left at {stale:g} by earlier code"
    got, expected = run(student, reference, state, [(xb, yb)], 0.1, what, stale_grad=stale)
    check_parameters(got, expected, what)


@pytest.mark.task("01.train_step", hint=FLOAT_HINT)
def test_train_step_returns_a_python_float(student, reference):
    """Having taken its step, does train_step return the loss as a Python float?"""
    x, y = seeded(12, 3, 2, seed=7)
    what = "two steps of SGD(lr=0.1) with MSELoss"
    got, expected = run(student, reference, start(3, 2), split(x, y, 6), 0.1, what, clear_between=True)
    check_parameters(got, expected, what)
    check_floats(got, what)


@pytest.mark.task("01.train_step", hint="Call optimizer.step() on the optimizer you are given: it knows "
                                        "momentum and Adam; a hand-written update does not.")
def test_train_step_uses_the_optimizer_it_is_given(student, reference):
    x, y = seeded(24, 3, 1, seed=4)
    for what, options in [("three steps with SGD(lr=0.05, momentum=0.9)", {"momentum": 0.9}),
                          ("three steps with Adam(lr=0.05)", {"optimizer": "adam"})]:
        check_parameters(*run(student, reference, start(3, 1), split(x, y, 8), 0.05, what,
                              clear_between=True, **options), what)


@pytest.mark.task("01.train_step", hint="Compute the loss with the loss_fn you are given.")
def test_train_step_uses_the_loss_function_it_is_given(student, reference):
    x, y = seeded(12, 3, 2, seed=5)
    what = "two steps with nn.L1Loss() as loss_fn"
    check_parameters(*run(student, reference, start(3, 2), split(x, y, 6), 0.1, what, loss="l1",
                          clear_between=True), what)


@pytest.mark.task("01.train_step", hint=STEP_HINT + " Keep everything on the device it is given on.")
def test_train_step_on_a_device(student, reference, device):
    x, y = seeded(16, 3, 2, seed=6)
    state = {key: value.to(device) for key, value in start(3, 2).items()}
    what = f"two steps with the model and the batches on {device}"
    check_parameters(*run(student, reference, state, split(x, y, 8), 0.1, what, device=device,
                          clear_between=True), what)


@pytest.mark.task("01.train_step", hint=ZERO_GRAD_HINT)
def test_train_step_three_steps_in_a_row(student, reference):
    """Three calls, the first after earlier code left gradients behind: each step uses its own batch's."""
    x, y = seeded(30, 4, 2, seed=3)
    what = "three train_step calls in a row with SGD(lr=0.2), batches of 10 rows, after stale gradients"
    check_parameters(*run(student, reference, start(4, 2), split(x, y, 10), 0.2, what, stale_grad=5.0),
                     what)


@pytest.mark.task("01.train_step", hint=LOSS_HINT)
def test_train_step_losses_over_three_steps(student, reference):
    x, y = seeded(30, 4, 2, seed=8)
    what = "three steps of SGD(lr=0.3) with batches of 10 rows"
    check_loss_values(*run(student, reference, start(4, 2), split(x, y, 10), 0.3, what,
                           clear_between=True), what)


def line_steps(epochs: int = 20) -> list:
    generator = torch.Generator().manual_seed(0)
    x = torch.linspace(-1, 1, 256).unsqueeze(1)
    y = 3 * x - 0.5 + 0.1 * torch.randn(x.shape, generator=generator)
    steps = []
    for _ in range(epochs):
        order = torch.randperm(256, generator=generator)
        steps += split(x[order], y[order], 32)
    return steps


@pytest.mark.task("01.train_step", hint=STEP_HINT)
def test_train_step_fits_a_line(student, credit):
    what = "20 epochs of train_step on y = 3 x - 0.5"
    with calling(what):
        got = student.probe(tensor_probes.train_linear, {"weight": torch.zeros(1, 1), "bias": torch.zeros(1)},
                            line_steps(), 0.1)
    slope, intercept = got["states"][-1]["weight"].item(), got["states"][-1]["bias"].item()
    errors = (abs(slope - 3), abs(intercept + 0.5))  # NaN fails both comparisons below
    fitted = f"{what} fitted y = {slope:.3f} x + {intercept:.3f}"
    assert all(error < 0.5 for error in errors), f"{fitted}; slope and intercept should both be within 0.05"
    if not all(error < 0.05 for error in errors):
        credit.award(0.5, f"{fitted}: within 0.5 but not within 0.05 of both")


@pytest.mark.task("01.train_step", hint=FLOAT_HINT)
def test_train_step_returns_a_python_float_at_every_step(student, reference):
    """Having taken its steps, does train_step return a Python float every time?"""
    what = "2 epochs of train_step on y = 3 x - 0.5"
    got, expected = run(student, reference, {"weight": torch.zeros(1, 1), "bias": torch.zeros(1)},
                        line_steps(epochs=2), 0.1, what, clear_between=True)
    check_parameters(got, expected, what)
    check_floats(got, what)
