"""Hidden tests of the model classes MLR, LR, MLPR, MLPC and AE.

Each test builds the student's model, loads into it the state_dict of a
reference model (l1.weight, l1.bias, l2.weight, l2.bias) and compares outputs,
gradients and parameters with the reference on the same inputs.
"""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from autograder.student import StudentError
from autograder.testkit.compare import assert_tensors_match
from autograder.testkit.probes import iris
from autograder.testkit.strategies import tensors

TOLERANCE = {"rtol": 1e-5, "atol": 1e-6}
SQUASHED = {"MLR": False, "LR": True, "MLPR": False, "MLPC": True, "AE": False}


def _call(name, args):
    return f"{name}({', '.join(str(arg) for arg in args)})"


def _reference_model(reference, name, args, seed, scale=1.0):
    """A reference model and its state_dict, filled with seeded normal values times ``scale``."""
    model = getattr(reference, name)(*args)
    generator = torch.Generator().manual_seed(seed)
    state = {key: torch.randn(value.shape, generator=generator) * scale
             for key, value in model.state_dict().items()}
    model.load_state_dict(state)
    return model, state


def _student_model(student, name, args, state):
    """The student's model with ``state`` loaded, failing with the keys it should accept."""
    model = getattr(student, name)(*args)
    try:
        model.load_state_dict(state)
    except StudentError as error:
        if isinstance(error, NotImplementedError):
            raise
        shapes = ", ".join(f"{key} {tuple(value.shape)}" for key, value in state.items())
        raise AssertionError(f"{_call(name, args)}.load_state_dict(...) with the reference's parameters "
                             f"({shapes}) failed: {error}") from None
    return model


def _check_output(student, reference, name, args, x, seed, scale=1.0, method="forward"):
    """The student's model.<method>(x) equals the reference's with the same parameters."""
    expected_model, state = _reference_model(reference, name, args, seed, scale)
    model = _student_model(student, name, args, state)
    if method == "forward":
        got, expected, what = model(x), expected_model(x), "model(x)"
    else:
        got, expected, what = model.project(x), expected_model.project(x), "model.project(x)"
    assert_tensors_match(got, expected.detach(), f"{what} for model = {_call(name, args)} holding the "
                         f"reference's parameters and x of shape {tuple(x.shape)}", **TOLERANCE)
    return got


@st.composite
def sizes_and_inputs(draw, kind: str):
    """(constructor arguments, input batch, seed) for a "linear", "mlp" or "autoencoder" model."""
    n_in, rows = draw(st.integers(1, 6)), draw(st.integers(1, 12))
    if kind == "autoencoder":
        args = (n_in, draw(st.integers(1, 5)))
    elif kind == "mlp":
        args = (n_in, draw(st.integers(1, 10)), draw(st.integers(1, 5)))
    else:
        args = (n_in, draw(st.integers(1, 5)))
    x = draw(tensors(shape=(rows, n_in), low=-4.0, high=4.0))
    return args, x, draw(st.integers(0, 2**16))


def _check_parameters(student, reference, name, args):
    call = _call(name, args)
    got = student.probe(iris.parameter_facts, name, *args)
    expected = iris.parameter_facts(reference, name, *args)
    assert got["shapes"] == expected["shapes"], (
        f"{call}: expected the parameters {expected['shapes']} (name: shape), got {got['shapes']}")
    assert got["trainable"] == expected["trainable"], (
        f"{call}: expected {expected['trainable']} trainable numbers, got {got['trainable']}")


def _check_gradients(student, reference, name, args, seed, method="forward"):
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn((7, args[0]), generator=generator) * 2
    _, state = _reference_model(reference, name, args, seed)
    if method == "project":
        out_features = args[1]  # the code
    else:
        out_features = args[0] if name == "AE" else args[-1]
    upstream = torch.randn((7, out_features), generator=generator)
    got = student.probe(iris.model_gradients, name, args, state, x, upstream, method=method)
    expected = iris.model_gradients(reference, name, args, state, x, upstream, method=method)
    what = f"sum({'model' if method == 'forward' else 'model.project'}(x) * u) for {_call(name, args)}"
    for key, wanted in expected["parameters"].items():
        grad = got["parameters"].get(key)
        if wanted is None:
            continue
        assert grad is not None, (f"the gradient of {what} did not reach {key}: is part of the "
                                  "computation detached or under torch.no_grad()?")
        assert_tensors_match(grad, wanted, f"the gradient of {what} with respect to {key}",
                             rtol=1e-4, atol=1e-5)
    assert got["input"] is not None, f"the gradient of {what} did not reach the input x"
    assert_tensors_match(got["input"], expected["input"], f"the gradient of {what} with respect to x",
                         rtol=1e-4, atol=1e-5)


def _check_device(student, reference, name, args, device):
    expected_model, state = _reference_model(reference, name, args, seed=3)
    x = torch.randn((6, args[0]), generator=torch.Generator().manual_seed(4))
    expected = expected_model(x).detach().to(device)
    model = _student_model(student, name, args, state).to(device)
    assert_tensors_match(model(x.to(device)), expected, f"model(x) for model = {_call(name, args)}"
                         f".to({device!r}) and x on {device}", rtol=1e-4, atol=1e-5)


def _check_range(student, reference, name, args):
    """With large weights a sigmoid output stays in (0, 1); a linear one goes far beyond."""
    x = torch.randn((40, args[0]), generator=torch.Generator().manual_seed(9)) * 3
    _, state = _reference_model(reference, name, args, seed=8, scale=4.0)
    got = _student_model(student, name, args, state)(x)
    assert isinstance(got, torch.Tensor), f"{_call(name, args)}(x): expected a tensor, got {got!r:.100}"
    low, high = got.min().item(), got.max().item()
    if SQUASHED[name]:
        assert 0.0 <= low and high <= 1.0, (
            f"{_call(name, args)}(x): a sigmoid output should lie in (0, 1), got values from "
            f"{low:.3g} to {high:.3g}")
    else:
        assert low < 0.0 or high > 1.0, (
            f"{_call(name, args)}(x): a linear output should not be squashed into (0, 1), got "
            f"values from {low:.3g} to {high:.3g}")
    _check_output(student, reference, name, args, x, seed=8, scale=4.0)


# ---------------------------------------------------------------- MLR


@pytest.mark.task("04.MLR", weight=2)
@given(sizes_and_inputs("linear"))
def test_mlr_with_the_reference_parameters_gives_the_reference_output(student, reference, case):
    args, x, seed = case
    _check_output(student, reference, "MLR", args, x, seed)


@pytest.mark.task("04.MLR")
@pytest.mark.parametrize("args", [(3, 1), (4, 3), (1, 1)], ids=str)
def test_mlr_parameters(student, reference, args):
    _check_parameters(student, reference, "MLR", args)


@pytest.mark.task("04.MLR")
def test_mlr_output_is_linear(student, reference):
    _check_range(student, reference, "MLR", (3, 2))


@pytest.mark.task("04.MLR")
def test_gradients_flow_through_mlr(student, reference):
    _check_gradients(student, reference, "MLR", (3, 2), seed=10)


@pytest.mark.task("04.MLR")
def test_mlr_on_a_device(student, reference, device):
    _check_device(student, reference, "MLR", (3, 1), device)


# ---------------------------------------------------------------- LR


@pytest.mark.task("04.LR", weight=2)
@given(sizes_and_inputs("linear"))
def test_lr_with_the_reference_parameters_gives_the_reference_output(student, reference, case):
    args, x, seed = case
    _check_output(student, reference, "LR", args, x, seed)


@pytest.mark.task("04.LR")
@pytest.mark.parametrize("args", [(4, 3), (2, 1)], ids=str)
def test_lr_parameters(student, reference, args):
    _check_parameters(student, reference, "LR", args)


@pytest.mark.task("04.LR")
def test_lr_output_lies_between_0_and_1(student, reference):
    _check_range(student, reference, "LR", (4, 3))


@pytest.mark.task("04.LR")
def test_gradients_flow_through_lr(student, reference):
    _check_gradients(student, reference, "LR", (4, 3), seed=11)


@pytest.mark.task("04.LR")
def test_lr_on_a_device(student, reference, device):
    _check_device(student, reference, "LR", (4, 3), device)


# ---------------------------------------------------------------- MLPR


@pytest.mark.task("04.MLPR", weight=2)
@given(sizes_and_inputs("mlp"))
def test_mlpr_with_the_reference_parameters_gives_the_reference_output(student, reference, case):
    args, x, seed = case
    _check_output(student, reference, "MLPR", args, x, seed)


@pytest.mark.task("04.MLPR")
@pytest.mark.parametrize("args", [(3, 16, 1), (4, 5, 2)], ids=str)
def test_mlpr_parameters(student, reference, args):
    _check_parameters(student, reference, "MLPR", args)


@pytest.mark.task("04.MLPR")
def test_mlpr_output_is_linear(student, reference):
    _check_range(student, reference, "MLPR", (3, 8, 1))


@pytest.mark.task("04.MLPR")
def test_gradients_flow_through_mlpr(student, reference):
    _check_gradients(student, reference, "MLPR", (3, 6, 2), seed=12)


@pytest.mark.task("04.MLPR")
def test_mlpr_on_a_device(student, reference, device):
    _check_device(student, reference, "MLPR", (3, 16, 1), device)


# ---------------------------------------------------------------- MLPC


@pytest.mark.task("04.MLPC", weight=2)
@given(sizes_and_inputs("mlp"))
def test_mlpc_with_the_reference_parameters_gives_the_reference_output(student, reference, case):
    args, x, seed = case
    _check_output(student, reference, "MLPC", args, x, seed)


@pytest.mark.task("04.MLPC")
@pytest.mark.parametrize("args", [(4, 16, 3), (4, 8, 3), (2, 3, 5)], ids=str)
def test_mlpc_parameters(student, reference, args):
    _check_parameters(student, reference, "MLPC", args)


@pytest.mark.task("04.MLPC")
def test_mlpc_output_lies_between_0_and_1(student, reference):
    _check_range(student, reference, "MLPC", (4, 8, 3))


@pytest.mark.task("04.MLPC")
def test_gradients_flow_through_mlpc(student, reference):
    _check_gradients(student, reference, "MLPC", (4, 8, 3), seed=13)


@pytest.mark.task("04.MLPC")
def test_mlpc_on_a_device(student, reference, device):
    _check_device(student, reference, "MLPC", (4, 16, 3), device)


# ---------------------------------------------------------------- AE


@pytest.mark.task("04.AE", weight=2)
@given(sizes_and_inputs("autoencoder"))
def test_ae_with_the_reference_parameters_rebuilds_like_the_reference(student, reference, case):
    args, x, seed = case
    _check_output(student, reference, "AE", args, x, seed)


@pytest.mark.task("04.AE", weight=2)
@given(sizes_and_inputs("autoencoder"))
def test_ae_project_gives_the_reference_code(student, reference, case):
    args, x, seed = case
    code = _check_output(student, reference, "AE", args, x, seed, method="project")
    assert tuple(code.shape) == (len(x), args[1]), (
        f"{_call('AE', args)}.project(x): expected shape {(len(x), args[1])}, got {tuple(code.shape)}")


@pytest.mark.task("04.AE")
@pytest.mark.parametrize("args", [(4, 2), (4, 3), (6, 1)], ids=str)
def test_ae_parameters(student, reference, args):
    _check_parameters(student, reference, "AE", args)


@pytest.mark.task("04.AE")
def test_ae_project_lies_between_0_and_1_and_output_is_linear(student, reference):
    x = torch.randn((40, 4), generator=torch.Generator().manual_seed(9)) * 3
    code = _check_output(student, reference, "AE", (4, 2), x, seed=8, scale=4.0, method="project")
    assert 0.0 <= code.min().item() and code.max().item() <= 1.0, (
        f"AE(4, 2).project(x): the code sigmoid(l1(x)) should lie in (0, 1), got values from "
        f"{code.min().item():.3g} to {code.max().item():.3g}")
    _check_range(student, reference, "AE", (4, 2))


@pytest.mark.task("04.AE")
def test_gradients_flow_through_ae(student, reference):
    _check_gradients(student, reference, "AE", (4, 2), seed=14)


@pytest.mark.task("04.AE")
def test_gradients_flow_through_ae_project(student, reference):
    _check_gradients(student, reference, "AE", (4, 3), seed=15, method="project")


@pytest.mark.task("04.AE")
def test_ae_on_a_device(student, reference, device):
    _check_device(student, reference, "AE", (4, 2), device)
