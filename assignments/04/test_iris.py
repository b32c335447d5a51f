"""Public tests of assignment 04. Run them with `pytest assignments/04`."""

import copy

import pytest
import torch
from sklearn.datasets import load_iris
from torch import nn
from torch.nn import functional as F
from torch.testing import assert_close

IRIS = load_iris()
FEATURES = torch.tensor(IRIS.data, dtype=torch.float32)
SPECIES = torch.tensor(IRIS.target)

# ---------------------------------------------------------------- helpers


class Fixed(nn.Module):
    """A 'model' whose output is given in advance; records its mode and autograd state."""

    def __init__(self, output: torch.Tensor) -> None:
        super().__init__()
        self.output = output
        self.seen = []

    def forward(self, x):
        self.seen.append((self.training, torch.is_grad_enabled()))
        return self.output


def scores_for(classes: list[int]) -> torch.Tensor:
    """Outputs in (0, 1) whose largest entry in row i is classes[i]."""
    return F.one_hot(torch.tensor(classes), 3).float() * 0.8 + 0.1


def one_hot(classes: list[int]) -> torch.Tensor:
    return F.one_hot(torch.tensor(classes), 3).float()


# ---------------------------------------------------------------- 04.load_split


@pytest.mark.task("04.load_split")
def test_load_split_regression_predicts_petal_width_from_three_features(iris):
    X_train, X_test, Y_train, Y_test = iris.load_split("regression")
    assert [tuple(t.shape) for t in (X_train, X_test, Y_train, Y_test)] == [
        (75, 3),
        (75, 3),
        (75, 1),
        (75, 1),
    ]
    assert all(t.dtype == torch.float32 for t in (X_train, X_test, Y_train, Y_test))
    assert_close(X_train, FEATURES[1::2, :3])  # odd rows train
    assert_close(Y_test, FEATURES[0::2, 3:4])  # even rows test


@pytest.mark.task("04.load_split")
def test_load_split_classification_targets_are_one_hot_species(iris):
    X_train, X_test, Y_train, Y_test = iris.load_split("classification")
    assert_close(X_train, FEATURES[1::2])
    assert_close(X_test, FEATURES[0::2])
    assert Y_train.shape == (75, 3) and Y_train.dtype == torch.float32
    assert_close(Y_train, F.one_hot(SPECIES[1::2], 3).float())
    assert_close(Y_test, F.one_hot(SPECIES[0::2], 3).float())


@pytest.mark.task("04.load_split")
def test_load_split_autoencoder_targets_are_the_inputs(iris):
    X_train, X_test, Y_train, Y_test = iris.load_split("autoencoder")
    assert_close(X_train, FEATURES[1::2])
    assert_close(Y_train, X_train)
    assert_close(Y_test, FEATURES[0::2])


@pytest.mark.task("04.load_split")
def test_load_split_refuses_an_unknown_kind(iris):
    with pytest.raises(ValueError):
        iris.load_split("clustering")


# ---------------------------------------------------------------- 04.MLR ... 04.AE


@pytest.mark.task("04.MLR")
def test_mlr_is_one_linear_layer(iris):
    model = iris.MLR(3, 2)
    assert (model.l1.in_features, model.l1.out_features) == (3, 2)
    x = torch.randn(5, 3)
    assert_close(model(x), x @ model.l1.weight.T + model.l1.bias)


@pytest.mark.task("04.LR")
def test_lr_is_a_sigmoid_over_one_linear_layer(iris):
    model = iris.LR(4, 3)
    assert (model.l1.in_features, model.l1.out_features) == (4, 3)
    x = torch.randn(5, 4)
    assert_close(model(x), torch.sigmoid(x @ model.l1.weight.T + model.l1.bias))


@pytest.mark.task("04.MLPR")
def test_mlpr_has_a_sigmoid_hidden_layer_and_a_linear_output(iris):
    model = iris.MLPR(3, 8, 1)
    assert (model.l1.in_features, model.l1.out_features) == (3, 8)
    assert (model.l2.in_features, model.l2.out_features) == (8, 1)
    x = torch.randn(5, 3)
    hidden = torch.sigmoid(F.linear(x, model.l1.weight, model.l1.bias))
    assert_close(model(x), F.linear(hidden, model.l2.weight, model.l2.bias))


@pytest.mark.task("04.MLPC")
def test_mlpc_has_sigmoids_on_the_hidden_layer_and_the_output(iris):
    model = iris.MLPC(4, 8, 3)
    assert (model.l1.in_features, model.l1.out_features) == (4, 8)
    assert (model.l2.in_features, model.l2.out_features) == (8, 3)
    x = torch.randn(5, 4)
    hidden = torch.sigmoid(F.linear(x, model.l1.weight, model.l1.bias))
    assert_close(model(x), torch.sigmoid(F.linear(hidden, model.l2.weight, model.l2.bias)))


@pytest.mark.task("04.MLPC")
def test_mlpc_runs_on_the_device(iris, device):
    model = iris.MLPC(4, 8, 3)
    x = torch.randn(5, 4)
    expected = model(x)
    output = model.to(device)(x.to(device))
    assert output.device.type == device
    assert_close(output.cpu(), expected, atol=1e-5, rtol=1e-4)


@pytest.mark.task("04.AE")
def test_ae_rebuilds_its_input_through_the_hidden_layer(iris):
    model = iris.AE(4, 2)
    assert (model.l1.in_features, model.l1.out_features) == (4, 2)
    assert (model.l2.in_features, model.l2.out_features) == (2, 4)
    x = torch.randn(5, 4)
    hidden = torch.sigmoid(F.linear(x, model.l1.weight, model.l1.bias))
    assert_close(model(x), F.linear(hidden, model.l2.weight, model.l2.bias))


@pytest.mark.task("04.AE")
def test_ae_project_returns_the_two_hidden_units(iris):
    model = iris.AE(4, 2)
    x = torch.randn(5, 4)
    code = model.project(x)
    assert code.shape == (5, 2)
    assert_close(code, torch.sigmoid(F.linear(x, model.l1.weight, model.l1.bias)))


# ---------------------------------------------------------------- 04.train


@pytest.mark.task("04.train")
def test_train_returns_one_total_loss_per_epoch(iris):
    X, Y = FEATURES[:20, :3], FEATURES[:20, 3:]
    losses = iris.train(nn.Linear(3, 1), X, Y, epochs=4)
    assert len(losses) == 4
    assert all(isinstance(loss, float) for loss in losses)


@pytest.mark.task("04.train")
def test_train_with_one_batch_of_all_rows_makes_full_batch_sgd_steps(iris):
    """With batch_size = len(X) the order of the rows does not matter: one SGD step on all rows per epoch."""
    X, Y = FEATURES[:25, :3], FEATURES[:25, 3:]
    torch.manual_seed(0)
    model = nn.Linear(3, 1)
    expected_model = copy.deepcopy(model)
    optimizer = torch.optim.SGD(expected_model.parameters(), lr=0.01)
    expected_losses = []
    for _ in range(3):
        optimizer.zero_grad()
        loss = F.mse_loss(expected_model(X), Y)
        loss.backward()
        optimizer.step()
        expected_losses.append(loss.item())

    losses = iris.train(model, X, Y, epochs=3, lr=0.01, batch_size=25, seed=7)
    assert losses == pytest.approx(expected_losses, rel=1e-5)
    assert_close(model.weight, expected_model.weight)
    assert_close(model.bias, expected_model.bias)


@pytest.mark.task("04.train")
def test_train_repeats_with_the_same_seed_and_not_with_another(iris):
    X, Y = FEATURES[:25, :3], FEATURES[:25, 3:]
    torch.manual_seed(0)
    start = nn.Linear(3, 1)
    runs = {seed: iris.train(copy.deepcopy(start), X, Y, epochs=2, batch_size=10, seed=seed)
            for seed in (7, 7, 8)}  # the dict keeps the last run of seed 7
    again = iris.train(copy.deepcopy(start), X, Y, epochs=2, batch_size=10, seed=7)
    assert again == runs[7]
    assert runs[8] != runs[7]


@pytest.mark.task("04.train")
def test_train_lowers_the_loss(iris):
    X, Y = FEATURES[1::2, :3], FEATURES[1::2, 3:]
    torch.manual_seed(0)
    losses = iris.train(nn.Linear(3, 1), X, Y, epochs=20)
    assert losses[-1] < losses[0]


# ---------------------------------------------------------------- 04.evaluate_*


@pytest.mark.task("04.evaluate_regression")
def test_evaluate_regression_gives_mse_and_r2_computed_by_hand(iris):
    """One error of 1 among targets 1, 2, 3, 4: MSE 1/4, R^2 = 1 - 1/5."""
    Y = torch.tensor([[1.0], [2.0], [3.0], [4.0]])
    model = Fixed(torch.tensor([[1.0], [2.0], [3.0], [5.0]]))
    result = iris.evaluate_regression(model, torch.zeros(4, 3), Y)
    assert result["mse"] == pytest.approx(0.25)
    assert result["r2"] == pytest.approx(0.8)


@pytest.mark.task("04.evaluate_regression")
def test_evaluate_regression_predicting_the_mean_scores_r2_zero(iris):
    Y = torch.tensor([[1.0], [2.0], [3.0], [6.0]])
    result = iris.evaluate_regression(Fixed(torch.full((4, 1), 3.0)), torch.zeros(4, 3), Y)
    assert result["mse"] == pytest.approx(14 / 4)  # squared errors 4 + 1 + 0 + 9
    assert result["r2"] == pytest.approx(0.0, abs=1e-6)


@pytest.mark.task("04.evaluate_regression")
def test_evaluate_regression_runs_in_eval_mode_without_gradients(iris):
    model = Fixed(torch.tensor([[1.0], [2.0]])).train()
    iris.evaluate_regression(model, torch.zeros(2, 3), torch.tensor([[1.0], [3.0]]))
    assert model.seen == [(False, False)]


@pytest.mark.task("04.evaluate_classification")
def test_evaluate_classification_counts_by_true_row_and_predicted_column(iris):
    """True 0, 1, 2, 2, 1 predicted as 0, 2, 2, 2, 1: one class-1 flower taken for class 2."""
    model = Fixed(scores_for([0, 2, 2, 2, 1]))
    result = iris.evaluate_classification(model, torch.zeros(5, 4), one_hot([0, 1, 2, 2, 1]))
    assert result["accuracy"] == pytest.approx(0.8)
    assert result["confusion"] == [[1, 0, 0], [0, 1, 1], [0, 0, 2]]


@pytest.mark.task("04.evaluate_classification")
def test_evaluate_classification_returns_a_float_and_plain_ints(iris):
    model = Fixed(scores_for([0, 1, 2]))
    result = iris.evaluate_classification(model, torch.zeros(3, 4), one_hot([0, 1, 2]))
    assert isinstance(result["accuracy"], float) and result["accuracy"] == pytest.approx(1.0)
    assert result["confusion"] == [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
    assert all(type(count) is int for row in result["confusion"] for count in row)


@pytest.mark.task("04.evaluate_autoencoder")
def test_evaluate_autoencoder_is_the_mean_squared_reconstruction_error(iris):
    X = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert iris.evaluate_autoencoder(Fixed(X.clone()), X)["mse"] == pytest.approx(0.0)
    zeros = Fixed(torch.zeros(2, 2))
    assert iris.evaluate_autoencoder(zeros, X)["mse"] == pytest.approx((1 + 4 + 9 + 16) / 4)


@pytest.mark.task("04.evaluate_autoencoder")
def test_evaluate_autoencoder_returns_a_python_float(iris):
    result = iris.evaluate_autoencoder(Fixed(torch.zeros(2, 2)), torch.ones(2, 2))
    assert isinstance(result["mse"], float) and result["mse"] == pytest.approx(1.0)


# ---------------------------------------------------------------- 04.compare_models


@pytest.mark.task("04.compare_models")
def test_compare_models_returns_one_row_per_model(iris):
    rows = iris.compare_models(epochs=2)
    assert [(row["model"], row["task"]) for row in rows] == [
        ("MLR", "regression"),
        ("LR", "classification"),
        ("MLPC", "classification"),
        ("MLPR", "regression"),
        ("AE", "autoencoder"),
    ]
    metrics = {"regression": {"mse", "r2"}, "classification": {"accuracy", "confusion"}}
    for row in rows:
        assert set(row) == {"model", "task"} | metrics.get(row["task"], {"mse"}), row["model"]


@pytest.mark.task("04.compare_models")
def test_compare_models_repeats_with_the_same_seed(iris):
    assert iris.compare_models(epochs=2, seed=3) == iris.compare_models(epochs=2, seed=3)
