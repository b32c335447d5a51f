"""Trusted stand-ins for the parts of iris.py that compare_models uses.

The compare_models probes swap these in for the student's load_split, model
classes, train and evaluate_* functions, so that compare_models is graded on
what it does itself (which models, sizes, rates, seeding and splits) and a
mistake in one of those parts costs its own task only. They follow the
assignment's text, shuffling as ``DataLoader(..., shuffle=True, generator=...)`` does.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def load_split(kind: str):
    """(X_train, X_test, Y_train, Y_test) of the Iris data for ``kind``."""
    from sklearn.datasets import load_iris  # here: the forkserver imports scikit-learn for 04 only

    iris = load_iris()
    features = torch.tensor(iris.data, dtype=torch.float32)
    if kind == "regression":
        X, Y = features[:, :3], features[:, 3:4]
    elif kind == "classification":
        X, Y = features, nn.functional.one_hot(torch.tensor(iris.target), 3).float()
    elif kind == "autoencoder":
        X, Y = features, features.clone()
    else:
        raise ValueError(f"unknown kind {kind!r}")
    return X[1::2], X[0::2], Y[1::2], Y[0::2]


class _Layers(nn.Module):
    """l1 (n_in -> n_hidden or n_out), optionally l2; sigmoids where ``squash`` says."""

    def __init__(self, sizes: tuple[int, ...], squash: str) -> None:
        super().__init__()
        self.l1 = nn.Linear(sizes[0], sizes[1])
        if len(sizes) == 3:
            self.l2 = nn.Linear(sizes[1], sizes[2])
        self.squash = squash

    def project(self, x: torch.Tensor) -> torch.Tensor:
        """sigmoid(l1(x)), the hidden layer."""
        return torch.sigmoid(self.l1(x))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """The output, squashed by a sigmoid when ``squash`` is "output"."""
        out = self.l2(self.project(x)) if hasattr(self, "l2") else self.l1(x)
        return torch.sigmoid(out) if self.squash == "output" else out


def _classes() -> dict[str, Callable[..., nn.Module]]:
    return {"MLR": lambda n_in, n_out: _Layers((n_in, n_out), "none"),
            "LR": lambda n_in, n_out: _Layers((n_in, n_out), "output"),
            "MLPR": lambda n_in, n_hidden, n_out: _Layers((n_in, n_hidden, n_out), "none"),
            "MLPC": lambda n_in, n_hidden, n_out: _Layers((n_in, n_hidden, n_out), "output"),
            "AE": lambda n_in, n_hidden: _Layers((n_in, n_hidden, n_in), "none")}


def train(model, X, Y, epochs, lr=0.01, batch_size=10, seed=0):
    """SGD on nn.MSELoss over the batches of a DataLoader shuffled by a seeded generator."""
    loader = DataLoader(TensorDataset(X, Y), batch_size=batch_size, shuffle=True,
                        generator=torch.Generator().manual_seed(seed))
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        total = 0.0
        for inputs, targets in loader:
            optimizer.zero_grad()
            loss = nn.functional.mse_loss(model(inputs), targets)
            loss.backward()
            optimizer.step()
            total += loss.item()
        losses.append(total)
    return losses


def evaluate_regression(model, X, Y):
    """{"mse", "r2"} of the model's predictions."""
    with torch.no_grad():
        residual = Y - model(X)
    ss_tot = ((Y - Y.mean(dim=0)) ** 2).sum().item()
    return {"mse": (residual**2).mean().item(), "r2": 1.0 - (residual**2).sum().item() / ss_tot}


def evaluate_classification(model, X, Y_onehot):
    """{"accuracy", "confusion"} of the model's predictions."""
    with torch.no_grad():
        predicted = model(X).argmax(dim=1)
    actual, n_classes = Y_onehot.argmax(dim=1), Y_onehot.shape[1]
    confusion = torch.zeros(n_classes, n_classes, dtype=torch.long)
    confusion.index_put_((actual, predicted), torch.ones_like(actual), accumulate=True)
    return {"accuracy": (predicted == actual).sum().item() / len(actual), "confusion": confusion.tolist()}


def evaluate_autoencoder(model, X):
    """{"mse"} of the reconstruction."""
    with torch.no_grad():
        return {"mse": ((model(X) - X) ** 2).mean().item()}


def trusted_parts() -> dict[str, Callable]:
    """Every part compare_models uses, by the name it has in iris.py."""
    return {"load_split": load_split, "train": train, "evaluate_regression": evaluate_regression,
            "evaluate_classification": evaluate_classification,
            "evaluate_autoencoder": evaluate_autoencoder, **_classes()}
