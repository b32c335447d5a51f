"""Hidden tests of evaluate_regression; the other two evaluations are in test_evaluate_classes.py.

Each evaluation runs on a trusted model (autograder/testkit/probes/iris.py) built from a
state_dict, in eval mode unless a test says otherwise. Results are compared with
the reference's on the same model and data. Only evaluate_regression's text asks
for eval mode and torch.no_grad(): in train mode the trusted model masks half of
its inputs, so a prediction made in train mode shows in the numbers returned,
and the probe returns the model's outputs as computed, whose requires_grad
tells whether autograd recorded them.
"""

import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from autograder.testkit.cases.iris import check_keys, check_numbers, evaluate_both, start
from autograder.testkit.compare import assert_numbers_match
from autograder.testkit.probes import iris
from autograder.testkit.source import turns_gradients_off
from autograder.testkit.strategies import tensors

EVAL_HINT = "Call model.eval() before predicting: evaluate_regression's docstring asks for eval mode."
NO_GRAD_HINT = ("Predict under torch.no_grad(): evaluate_regression's docstring asks for no gradient "
                "tracking.")


def _train_mode_mse(state, X, Y):
    """The MSE a prediction made in train mode would give (the trusted model masks inputs then)."""
    model = iris.TrustedModel(state, train_effect=True).train()
    with torch.no_grad():
        return ((Y - model(X)) ** 2).mean().item()


def _check_eval_mode(student, reference, state, X, Y, call):
    """evaluate_regression on a model left in train mode gives the eval-mode MSE (R^2 has its own tests)."""
    got, expected = evaluate_both(student, reference, "evaluate_regression", state, X, Y, mode="train")
    check_keys(got["result"], expected, call)
    mse, in_train_mode = got["result"]["mse"], _train_mode_mse(state, X, Y)
    if isinstance(mse, float) and math.isclose(mse, in_train_mode, rel_tol=1e-4, abs_tol=1e-6):
        raise AssertionError(
            f"{call} on a model left in train mode returned the MSE of predictions made in train mode "
            f"({mse:.6g}); in eval mode it is {expected['mse']:.6g}: call model.eval() first")
    assert_numbers_match(mse, expected["mse"], f"'mse' of {call} on a model left in train mode "
                         "(predicting in eval mode)", rtol=1e-4, atol=1e-5)


def _check_no_grad(student, student_source, state, X, Y, call):
    """evaluate_regression's calls of the model return outputs that autograd did not record.

    The outputs are reported from the worker, where the submission could rewrite them; the
    source, read here, must turn gradient tracking off as well.
    """
    outputs = student.probe(iris.evaluate_trusted, "evaluate_regression", state, X, Y)["outputs"]
    assert outputs, f"{call} never called the model"
    tracked = sum(bool(output.requires_grad) for output in outputs)
    assert not tracked, (
        f"{call}: {tracked} of the model's {len(outputs)} output(s) were recorded by autograd "
        "(requires_grad=True); predict under torch.no_grad()")
    assert turns_gradients_off(student_source, "evaluate_regression"), (
        f"{call}: evaluate_regression turns gradient tracking off nowhere (no torch.no_grad(), "
        "torch.inference_mode() or torch.set_grad_enabled(False) in it or in what it calls)")


# ---------------------------------------------------------------- evaluate_regression


@st.composite
def regression_problems(draw):
    """(state_dict of a linear or 2-layer regressor, X, Y of shape (n, 1)), n >= 2."""
    n_in, rows, seed = draw(st.integers(1, 5)), draw(st.integers(2, 30)), draw(st.integers(0, 10**4))
    sizes = (n_in, draw(st.integers(1, 6)), 1) if draw(st.booleans()) else (n_in, 1)
    X = draw(tensors(shape=(rows, n_in), low=-3.0, high=3.0))
    Y = draw(tensors(shape=(rows, 1), low=-3.0, high=3.0))
    return start(*sizes, seed=seed), X, Y


@pytest.mark.task("04.evaluate_regression", weight=2)
@given(regression_problems())
def test_evaluate_regression_matches_the_reference(student, reference, problem):
    state, X, Y = problem
    got, expected = evaluate_both(student, reference, "evaluate_regression", state, X, Y)
    check_numbers(got["result"], expected, f"evaluate_regression(model, X, Y) for {len(X)} rows",
                   rtol=1e-4, atol=1e-5)


@pytest.mark.task("04.evaluate_regression")
def test_evaluate_regression_of_a_least_squares_fit_on_iris(student, reference):
    _, X_test, _, Y_test = reference.load_split("regression")
    ones = torch.ones(len(X_test), 1)
    solution = torch.linalg.lstsq(torch.cat([X_test, ones], dim=1), Y_test).solution
    state = {"l1.weight": solution[:3].T.contiguous(), "l1.bias": solution[3].clone()}
    got, expected = evaluate_both(student, reference, "evaluate_regression", state, X_test, Y_test)
    check_numbers(got["result"], expected, "evaluate_regression(model, X_test, Y_test) for a "
                   f"least-squares fit (R^2 {expected['r2']:.3f})", rtol=1e-4, atol=1e-5)


@pytest.mark.task("04.evaluate_regression")
def test_evaluate_regression_of_perfect_predictions(student, reference):
    generator = torch.Generator().manual_seed(1)
    X = torch.randn((10, 2), generator=generator)
    state = start(2, 1, seed=2)
    Y = X @ state["l1.weight"].T + state["l1.bias"]
    got, expected = evaluate_both(student, reference, "evaluate_regression", state, X, Y)
    check_numbers(got["result"], expected, "evaluate_regression(model, X, Y) when model(X) == Y "
                   "(MSE 0, R^2 1)", atol=1e-5)


@pytest.mark.task("04.evaluate_regression", hint=EVAL_HINT)
def test_evaluate_regression_predicts_in_eval_mode(student, reference):
    X, Y = torch.randn((6, 3), generator=torch.Generator().manual_seed(3)), torch.arange(6.0)[:, None]
    _check_eval_mode(student, reference, start(3, 4, 1), X, Y, "evaluate_regression(model, X, Y)")


@pytest.mark.task("04.evaluate_regression", hint=NO_GRAD_HINT)
def test_evaluate_regression_does_not_track_gradients(student, student_source):
    X, Y = torch.randn((6, 3), generator=torch.Generator().manual_seed(3)), torch.arange(6.0)[:, None]
    _check_no_grad(student, student_source, start(3, 4, 1), X, Y, "evaluate_regression(model, X, Y)")


@pytest.mark.task("04.evaluate_regression")
def test_evaluate_regression_returns_python_floats(student, reference):
    X, Y = torch.randn((8, 3), generator=torch.Generator().manual_seed(4)), torch.arange(8.0)[:, None]
    got, expected = evaluate_both(student, reference, "evaluate_regression", start(3, 1), X, Y)
    call = "evaluate_regression(model, X, Y)"
    check_keys(got["result"], expected, call)
    for key, value in got["result"].items():
        assert type(value) is float, (
            f"{key!r} of {call}: expected a Python float (use .item()), got {type(value).__name__}")


@pytest.mark.task("04.evaluate_regression")
def test_evaluate_regression_on_a_device(student, reference, device):
    generator = torch.Generator().manual_seed(5)
    X, Y = torch.randn((9, 3), generator=generator).to(device), torch.randn((9, 1), generator=generator)
    got, expected = evaluate_both(student, reference, "evaluate_regression", start(3, 4, 1), X,
                              Y.to(device), device=device)
    check_numbers(got["result"], expected, f"evaluate_regression(model, X, Y) on {device}",
                   rtol=1e-4, atol=1e-5)


# ---------------------------------------------------------------- evaluate_regression again, last


@pytest.mark.task("04.evaluate_regression", hint=EVAL_HINT)
def test_evaluate_regression_on_iris_predicts_in_eval_mode(student, reference):
    _, X_test, _, Y_test = reference.load_split("regression")
    _check_eval_mode(student, reference, start(3, 5, 1, seed=12), X_test, Y_test,
                     "evaluate_regression(model, X_test, Y_test) on Iris")


@pytest.mark.task("04.evaluate_regression", hint=NO_GRAD_HINT)
def test_evaluate_regression_on_iris_does_not_track_gradients(student, student_source, reference):
    _, X_test, _, Y_test = reference.load_split("regression")
    _check_no_grad(student, student_source, start(3, 1, seed=13), X_test, Y_test,
                   "evaluate_regression(model, X_test, Y_test) on Iris")
