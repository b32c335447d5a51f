"""Do the reference solutions of 03 and 04 actually learn?

These run the references end to end on the offline data, so that a change to a
solution (or to the data) that breaks training shows up here rather than in a
student's notebook. No timing is asserted.
"""

import pytest
import torch

from autograder.submission import import_module_file
from tests.course_under_test import LAYOUT


@pytest.fixture(scope="module")
def cnn():
    return import_module_file(LAYOUT.solutions("03") / "cnn.py")


@pytest.fixture(scope="module")
def iris():
    return import_module_file(LAYOUT.solutions("04") / "iris.py")


def test_reference_cnn_reaches_93_percent_on_held_out_digits(cnn, mnist_root):
    """Three epochs on the 4,000 training digits, judged on the 1,000 test digits."""
    torch.manual_seed(0)
    train_loader, test_loader = cnn.make_loaders(mnist_root)
    history = cnn.fit(cnn.Net(), train_loader, test_loader, epochs=3, lr=0.05)
    assert history["test_accuracy"][-1] >= 0.93, history
    assert history["train_loss"][-1] < history["train_loss"][0], history


def test_reference_mlpc_classifies_iris_test_flowers(iris):
    torch.manual_seed(0)
    X_train, X_test, Y_train, Y_test = iris.load_split("classification")
    model = iris.MLPC(4, 16, 3)
    iris.train(model, X_train, Y_train, epochs=300, lr=0.5)
    result = iris.evaluate_classification(model, X_test, Y_test)
    assert result["accuracy"] >= 0.9, result


def test_reference_mlr_explains_petal_width(iris):
    torch.manual_seed(0)
    X_train, X_test, Y_train, Y_test = iris.load_split("regression")
    model = iris.MLR(3, 1)
    iris.train(model, X_train, Y_train, epochs=300, lr=0.01)
    result = iris.evaluate_regression(model, X_test, Y_test)
    assert result["r2"] >= 0.85, result


def test_reference_compare_models_gives_sensible_metrics(iris):
    """The default comparison: every model clearly better than guessing."""
    rows = {row["model"]: row for row in iris.compare_models()}
    assert rows["MLR"]["r2"] >= 0.85 and rows["MLPR"]["r2"] >= 0.85, rows
    assert rows["LR"]["accuracy"] >= 0.8 and rows["MLPC"]["accuracy"] >= 0.9, rows
    assert rows["AE"]["mse"] < 0.3, rows
