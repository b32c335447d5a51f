"""Hidden tests of derivative and select_device."""

import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from autograder.testkit.compare import assert_numbers_match, calling, expect_student_error, shown
from autograder.testkit.probes import tensors as tensor_probes


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


# The analytic derivative of each trusted function of tensor_probes.FUNCTIONS.
DERIVATIVES = {
    "cube": (lambda x: 3 * x**2, "x ** 3"),
    "sin": (math.cos, "torch.sin(x)"),
    "tanh": (lambda x: 1 - math.tanh(x) ** 2, "torch.tanh(x)"),
    "exp_of_square": (lambda x: 2 * x * math.exp(x**2), "torch.exp(x ** 2)"),
    "log1p_of_square": (lambda x: 2 * x / (1 + x**2), "torch.log1p(x ** 2)"),
    "x_times_sigmoid": (lambda x: _sigmoid(x) + x * _sigmoid(x) * (1 - _sigmoid(x)),
                        "x * torch.sigmoid(x)"),
}

FORMULAS = {name: formula for name, (_, formula) in DERIVATIVES.items()}
FORMULAS["straight_through_round"] = "x + (torch.round(x) - x).detach()"

# Loose enough for a student who differentiates in float32 rather than float64.
TOLERANCE = {"rtol": 1e-4, "atol": 1e-5}

points = st.floats(-3, 3, allow_nan=False, allow_subnormal=False)


def _expect_device(got, expected: str, what: str) -> None:
    if not isinstance(got, torch.device):
        raise AssertionError(f"{what}: expected torch.device({expected!r}), got a "
                             f"{type(got).__name__} {got!r}")
    if got.type != expected:
        raise AssertionError(f"{what}: expected torch.device({expected!r}), got {got!r}")


# ---------------------------------------------------------------- derivative


def derivative_at(student, name: str, x0):
    """The student's derivative of the trusted function ``name`` at x0, the call named in any error."""
    formula = FORMULAS[name]
    with calling(f"derivative(lambda x: {formula}, x0) with x0 = {shown(x0)}"):
        return student.probe(tensor_probes.derivative_of, name, x0)


def value_of(result):
    """A one-element tensor as its number: the Python float is checked by a test of its own."""
    if isinstance(result, torch.Tensor) and result.numel() == 1 and result.is_floating_point():
        return result.item()
    return result


@pytest.mark.task("01.derivative", weight=2,
                  hint="x = torch.tensor(float(x0), requires_grad=True); f(x).backward(); x.grad is f'(x0).")
@given(st.sampled_from(sorted(DERIVATIVES)), points)
def test_derivative_matches_the_analytic_one(student, name, x0):
    exact, formula = DERIVATIVES[name]
    assert_numbers_match(value_of(derivative_at(student, name, x0)), exact(x0),
                         f"derivative(lambda x: {formula}, x0) with x0 = {shown(x0)}", **TOLERANCE)


@pytest.mark.task("01.derivative", hint="Return x.grad.item(), a Python float, not the tensor x.grad.")
def test_derivative_returns_a_python_float(student):
    got = derivative_at(student, "cube", 1.5)
    assert type(got) is float, (
        f"derivative(lambda x: x ** 3, x0) with x0 = 1.5 (a float) should return a Python float "
        f"(6.75), got a {type(got).__name__}: {got!r}; .item() turns a one-element tensor into a float")
    assert_numbers_match(got, 6.75, "derivative(lambda x: x ** 3, x0) with x0 = 1.5 (a float)")


@pytest.mark.task("01.derivative",
                  hint="x0 may be an int: only floating-point tensors can require gradients, so build "
                       "the tensor from float(x0) (or with dtype=torch.float64).")
def test_derivative_at_an_integer_point(student):
    for name, x0, expected in [("cube", 2, 12.0), ("sin", 0, 1.0), ("exp_of_square", -1, -2 * math.e)]:
        formula = DERIVATIVES[name][1]
        assert_numbers_match(value_of(derivative_at(student, name, x0)), expected,
                             f"derivative(lambda x: {formula}, x0) with x0 = {shown(x0)}", **TOLERANCE)


@pytest.mark.task("01.derivative",
                  hint="Differentiate with autograd (backward, then x.grad), not with a finite difference.")
def test_derivative_is_computed_by_autograd(student):
    for x0 in (0.3, 1.25, -2.2):
        assert_numbers_match(
            value_of(derivative_at(student, "straight_through_round", x0)), 1.0,
            f"derivative(lambda x: x + (torch.round(x) - x).detach(), x0) with x0 = {shown(x0)}: "
            "autograd only sees the identity and gives 1, while a finite difference of the values "
            "gives 0; the derivative must come from backward()", **TOLERANCE)


# ---------------------------------------------------------------- select_device


@pytest.mark.task("01.select_device",
                  hint="Return a torch.device: torch.device('cuda' if torch.cuda.is_available() else 'cpu') "
                       "for 'auto', the default.")
def test_select_device_auto_on_this_machine(student):
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    _expect_device(student.select_device("auto"), expected,
                   f"select_device('auto') on a machine {'with' if expected == 'cuda' else 'without'} a GPU")
    _expect_device(student.select_device(), expected, "select_device() (prefer defaults to 'auto')")


@pytest.mark.task("01.select_device",
                  hint="For 'auto', ask torch.cuda.is_available() when called: cuda if it says True.")
def test_select_device_auto_picks_cuda_when_a_gpu_is_present(student):
    _expect_device(student.probe(tensor_probes.select_device_with_gpu, "auto"), "cuda",
                   "select_device('auto') while torch.cuda.is_available() is True")
    _expect_device(student.probe(tensor_probes.select_device_with_gpu), "cuda",
                   "select_device() while torch.cuda.is_available() is True")
    _expect_device(student.probe(tensor_probes.select_device_without_gpu, "auto"), "cpu",
                   "select_device('auto') while torch.cuda.is_available() is False")


@pytest.mark.task("01.select_device",
                  hint="'cpu' gives torch.device('cpu') and 'cuda' torch.device('cuda'), as torch.device "
                       "objects rather than strings.")
def test_select_device_obeys_cpu_and_cuda(student):
    got = student.select_device("cpu")
    _expect_device(got, "cpu", "select_device('cpu')")
    assert got == torch.device("cpu"), f"select_device('cpu'): expected torch.device('cpu'), got {got!r}"
    _expect_device(student.probe(tensor_probes.select_device_with_gpu, "cuda"), "cuda",
                   "select_device('cuda') while torch.cuda.is_available() is True")
    _expect_device(student.probe(tensor_probes.select_device_with_gpu, "cpu"), "cpu",
                   "select_device('cpu') while torch.cuda.is_available() is True")


@pytest.mark.task("01.select_device",
                  hint="Asking for 'cuda' without a GPU raises RuntimeError with a message that says so.")
def test_select_device_cuda_without_a_gpu_raises_runtime_error(student):
    error = expect_student_error(
        RuntimeError, lambda: student.probe(tensor_probes.select_device_without_gpu, "cuda"),
        "select_device('cuda') while torch.cuda.is_available() is False")
    message = str(error).lower()
    assert "cuda" in message or "gpu" in message, (
        f"the RuntimeError of select_device('cuda') without a GPU should say that CUDA or a GPU "
        f"is not available; its message was {str(error)!r}")


@pytest.mark.task("01.select_device",
                  hint="Any name other than 'auto', 'cpu' and 'cuda' raises ValueError.")
def test_select_device_rejects_other_names(student):
    for name in ("tpu", "gpu", "", "mps", "best"):
        expect_student_error(ValueError, lambda name=name: student.select_device(name),
                             f"select_device({name!r})")
