"""Iris models in a functional style: F.one_hot, F.mse_loss, torch.bincount, decorators."""

import torch
import torch.nn.functional as F
from sklearn.datasets import load_iris
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def load_split(kind: str):
    data = load_iris()
    features = torch.from_numpy(data.data).float()
    species = torch.from_numpy(data.target).long()
    builders = {
        "regression": lambda: (features[:, 0:3], features[:, 3].unsqueeze(1)),
        "classification": lambda: (features, F.one_hot(species, num_classes=3).to(torch.float32)),
        "autoencoder": lambda: (features, features),
    }
    if kind not in builders:
        raise ValueError("bad kind")
    X, Y = builders[kind]()
    odd, even = torch.arange(1, 150, 2), torch.arange(0, 150, 2)
    return X.index_select(0, odd), X.index_select(0, even), Y.index_select(0, odd), Y.index_select(0, even)


class MLR(nn.Module):
    def __init__(self, n_in: int, n_out: int) -> None:
        super().__init__()
        self.l1 = nn.Linear(n_in, n_out)

    def forward(self, x):
        return F.linear(x, self.l1.weight, self.l1.bias)


class LR(nn.Module):
    def __init__(self, n_in: int, n_out: int) -> None:
        super().__init__()
        self.l1 = nn.Linear(n_in, n_out)
        self.squash = nn.Sigmoid()

    def forward(self, x):
        return self.squash(self.l1(x))


class MLPR(nn.Module):
    def __init__(self, n_in: int, n_hidden: int, n_out: int) -> None:
        super().__init__()
        self.l1 = nn.Linear(n_in, n_hidden)
        self.act = nn.Sigmoid()
        self.l2 = nn.Linear(n_hidden, n_out)

    def forward(self, x):
        return self.l2(self.act(self.l1(x)))


class MLPC(MLPR):
    def forward(self, x):
        return self.act(super().forward(x))


class AE(nn.Module):
    def __init__(self, n_in: int, n_hidden: int) -> None:
        super().__init__()
        self.l1 = nn.Linear(n_in, n_hidden)
        self.l2 = nn.Linear(n_hidden, n_in)

    def forward(self, x):
        return self.l2(self.project(x))

    def project(self, x):
        return F.sigmoid(self.l1(x))


def train(model, X, Y, epochs, lr=0.01, batch_size=10, seed=0):
    generator = torch.Generator()
    generator.manual_seed(seed)
    batches = DataLoader(TensorDataset(X, Y), batch_size=batch_size, shuffle=True, generator=generator)
    optimizer = torch.optim.SGD(model.parameters(), lr)
    history = []
    for _ in range(epochs):
        batch_losses = []
        for xb, yb in batches:
            loss = F.mse_loss(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            batch_losses.append(loss.item())
        history.append(sum(batch_losses))
    return history


@torch.no_grad()
def evaluate_regression(model, X, Y):
    model.train(False)
    predictions = model(X)
    mse = F.mse_loss(predictions, Y)
    r2 = 1 - torch.sum((Y - predictions) ** 2) / torch.sum((Y - torch.mean(Y, dim=0)) ** 2)
    return {"mse": mse.item(), "r2": r2.item()}


@torch.no_grad()
def evaluate_classification(model, X, Y_onehot):
    n_classes = Y_onehot.size(1)
    predicted = torch.argmax(model(X), dim=1)
    actual = torch.argmax(Y_onehot, dim=1)
    counts = torch.bincount(actual * n_classes + predicted, minlength=n_classes * n_classes)
    return {
        "accuracy": (predicted == actual).float().mean().item(),
        "confusion": counts.reshape(n_classes, n_classes).tolist(),
    }


@torch.no_grad()
def evaluate_autoencoder(model, X):
    return {"mse": F.mse_loss(model(X), X).item()}


PLAN = [
    ("MLR", "regression", lambda: MLR(3, 1), 0.01),
    ("LR", "classification", lambda: LR(4, 3), 0.5),
    ("MLPC", "classification", lambda: MLPC(4, 16, 3), 0.5),
    ("MLPR", "regression", lambda: MLPR(3, 16, 1), 0.05),
    ("AE", "autoencoder", lambda: AE(4, 2), 0.05),
]
EVALUATORS = {
    "regression": lambda model, split: evaluate_regression(model, split[1], split[3]),
    "classification": lambda model, split: evaluate_classification(model, split[1], split[3]),
    "autoencoder": lambda model, split: evaluate_autoencoder(model, split[1]),
}


def compare_models(epochs=300, seed=0):
    torch.manual_seed(seed)
    results = []
    for name, task, build, lr in PLAN:
        model = build()
        split = load_split(task)
        train(model, split[0], split[2], epochs, lr=lr, seed=seed)
        results.append(dict(model=name, task=task, **EVALUATORS[task](model, split)))
    return results
