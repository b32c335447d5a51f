"""Hidden tests of evaluate_classification and evaluate_autoencoder (evaluate_regression: test_evaluate.py).

Each evaluation runs on a trusted model (autograder/testkit/probes/iris.py) built from a
state_dict, in eval mode unless a test says otherwise. Results are compared with
the reference's on the same model and data. Only evaluate_regression's text asks
for eval mode and torch.no_grad(): in train mode the trusted model masks half of
its inputs, so a prediction made in train mode shows in the numbers returned,
and the probe returns the model's outputs as computed, whose requires_grad
tells whether autograd recorded them.
"""


import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from autograder.testkit.cases.iris import check_keys, check_numbers, evaluate_both, start
from autograder.testkit.compare import assert_numbers_match
from autograder.testkit.strategies import tensors


def _check_confusion(confusion, expected, call):
    size = len(expected)
    assert isinstance(confusion, list) and all(isinstance(row, list) for row in confusion), (
        f"'confusion' of {call}: expected a nested list (confusion.tolist()), got "
        f"{type(confusion).__name__}")
    kinds = {type(count).__name__ for row in confusion for count in row}
    assert kinds <= {"int"}, f"'confusion' of {call}: expected Python ints, got {sorted(kinds)}"
    assert confusion == expected, (
        f"'confusion' of {call}: expected the {size} x {size} matrix {expected} (row i = true class i, "
        f"column j = predicted class j), got {confusion}")


def _one_hot(labels, n_classes):
    return torch.nn.functional.one_hot(labels, n_classes).float()


# ---------------------------------------------------------------- evaluate_classification


@st.composite
def classification_problems(draw):
    """(state_dict of a linear or 2-layer classifier, X, one-hot Y) with 2 to 6 classes."""
    n_in, rows, seed = draw(st.integers(1, 5)), draw(st.integers(1, 40)), draw(st.integers(0, 10**4))
    classes = draw(st.integers(2, 6))
    sizes = (n_in, draw(st.integers(2, 6)), classes) if draw(st.booleans()) else (n_in, classes)
    X = draw(tensors(shape=(rows, n_in), low=-3.0, high=3.0))
    labels = torch.randint(0, classes, (rows,), generator=torch.Generator().manual_seed(seed))
    return start(*sizes, seed=seed), X, _one_hot(labels, classes)


def _check_classification(got, expected, call):
    result = got["result"]
    check_keys(result, expected, call)
    assert_numbers_match(result["accuracy"], expected["accuracy"], f"'accuracy' of {call}")
    _check_confusion(result["confusion"], expected["confusion"], call)


@pytest.mark.task("04.evaluate_classification", weight=3)
@given(classification_problems(), st.booleans())
def test_evaluate_classification_matches_the_reference(student, reference, problem, sigmoid):
    state, X, Y = problem
    got, expected = evaluate_both(student, reference, "evaluate_classification", state, X, Y,
                              sigmoid_output=sigmoid)
    _check_classification(got, expected, f"evaluate_classification(model, X, Y_onehot) for {len(X)} "
                          f"row(s) and {Y.shape[1]} classes")


@pytest.mark.task("04.evaluate_classification", weight=2)
def test_evaluate_classification_rows_are_true_classes_and_columns_predictions(student, reference):
    """Four class-1 flowers taken for class 2 and one class-2 flower for class 0: is it not transposed?"""
    truth = torch.tensor([0, 0, 1, 1, 1, 1, 1, 2, 2, 2])
    predicted = torch.tensor([0, 0, 1, 2, 2, 2, 2, 2, 0, 2])
    X = _one_hot(predicted, 3) * 4 - 2  # an identity layer then predicts `predicted`
    state = {"l1.weight": torch.eye(3), "l1.bias": torch.zeros(3)}
    got, expected = evaluate_both(student, reference, "evaluate_classification", state, X,
                              _one_hot(truth, 3))
    _check_classification(got, expected, "evaluate_classification(model, X, Y_onehot) when true "
                          "classes 0 0 1 1 1 1 1 2 2 2 are predicted as 0 0 1 2 2 2 2 2 0 2")


@pytest.mark.task("04.evaluate_classification")
def test_evaluate_classification_keeps_a_row_and_column_for_an_absent_class(student, reference):
    """Class 3 of 4 is neither in Y nor predicted: the confusion matrix is still 4 x 4."""
    truth = torch.tensor([0, 1, 2, 2, 1])
    predicted = torch.tensor([0, 2, 2, 1, 1])
    X = _one_hot(predicted, 4) * 4 - 2
    state = {"l1.weight": torch.eye(4), "l1.bias": torch.zeros(4)}
    got, expected = evaluate_both(student, reference, "evaluate_classification", state, X,
                              _one_hot(truth, 4))
    _check_classification(got, expected, "evaluate_classification(model, X, Y_onehot) with 4 classes "
                          "of which class 3 never occurs")


@pytest.mark.task("04.evaluate_classification")
def test_evaluate_classification_on_the_iris_test_split(student, reference):
    _, X_test, _, Y_test = reference.load_split("classification")
    state = start(4, 6, 3, seed=21, scale=2.0)
    got, expected = evaluate_both(student, reference, "evaluate_classification", state, X_test, Y_test,
                              sigmoid_output=True)
    _check_classification(got, expected, "evaluate_classification(model, X_test, Y_test) on Iris")


@pytest.mark.task("04.evaluate_classification")
def test_evaluate_classification_returns_a_python_float_accuracy(student, reference):
    X = torch.randn((9, 4), generator=torch.Generator().manual_seed(7))
    Y = _one_hot(torch.tensor([0, 1, 2, 0, 1, 2, 0, 1, 2]), 3)
    got, expected = evaluate_both(student, reference, "evaluate_classification", start(4, 3), X, Y)
    call = "evaluate_classification(model, X, Y_onehot)"
    check_keys(got["result"], expected, call)
    accuracy = got["result"]["accuracy"]
    assert type(accuracy) is float, (
        f"'accuracy' of {call}: expected a Python float, got {type(accuracy).__name__}")


# ---------------------------------------------------------------- evaluate_autoencoder


@st.composite
def autoencoder_problems(draw):
    """(state_dict of an n -> k -> n autoencoder or of an n -> n layer, X)."""
    n_in, rows, seed = draw(st.integers(1, 6)), draw(st.integers(1, 30)), draw(st.integers(0, 10**4))
    sizes = (n_in, draw(st.integers(1, 4)), n_in) if draw(st.booleans()) else (n_in, n_in)
    return start(*sizes, seed=seed), draw(tensors(shape=(rows, n_in), low=-4.0, high=4.0))


@pytest.mark.task("04.evaluate_autoencoder", weight=2)
@given(autoencoder_problems())
def test_evaluate_autoencoder_matches_the_reference(student, reference, problem):
    state, X = problem
    got, expected = evaluate_both(student, reference, "evaluate_autoencoder", state, X)
    check_numbers(got["result"], expected, f"evaluate_autoencoder(model, X) for X of shape "
                   f"{tuple(X.shape)}", rtol=1e-4, atol=1e-5)


@pytest.mark.task("04.evaluate_autoencoder")
def test_evaluate_autoencoder_on_the_iris_test_split(student, reference):
    _, X_test, _, _ = reference.load_split("autoencoder")
    got, expected = evaluate_both(student, reference, "evaluate_autoencoder", start(4, 2, 4, seed=3),
                              X_test)
    check_numbers(got["result"], expected, "evaluate_autoencoder(model, X_test) on Iris", rtol=1e-4,
                   atol=1e-5)


@pytest.mark.task("04.evaluate_autoencoder")
def test_evaluate_autoencoder_returns_a_python_float(student, reference):
    X = torch.randn((5, 4), generator=torch.Generator().manual_seed(9))
    got, expected = evaluate_both(student, reference, "evaluate_autoencoder", start(4, 4), X)
    call = "evaluate_autoencoder(model, X)"
    check_keys(got["result"], expected, call)
    assert type(got["result"]["mse"]) is float, (
        f"'mse' of {call}: expected a Python float (use .item()), got "
        f"{type(got['result']['mse']).__name__}")


@pytest.mark.task("04.evaluate_autoencoder")
def test_evaluate_autoencoder_on_a_device(student, reference, device):
    X = torch.randn((6, 4), generator=torch.Generator().manual_seed(10)).to(device)
    got, expected = evaluate_both(student, reference, "evaluate_autoencoder", start(4, 2, 4), X,
                              device=device)
    check_numbers(got["result"], expected, f"evaluate_autoencoder(model, X) on {device}", rtol=1e-4,
                   atol=1e-5)


