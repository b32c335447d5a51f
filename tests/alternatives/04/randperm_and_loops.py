"""Iris models, written with explicit loops and torch.randperm for the shuffling."""

import torch
from sklearn.datasets import load_iris
from torch import nn

KINDS = ["regression", "classification", "autoencoder"]


def load_split(kind):
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    iris = load_iris()
    rows_x, rows_y = [], []
    for features, species in zip(iris.data, iris.target):
        features = [float(value) for value in features]
        if kind == "regression":
            rows_x.append(features[:3])
            rows_y.append([features[3]])
        elif kind == "classification":
            target = [0.0, 0.0, 0.0]
            target[species] = 1.0
            rows_x.append(features)
            rows_y.append(target)
        else:
            rows_x.append(features)
            rows_y.append(list(features))
    X = torch.tensor(rows_x, dtype=torch.float32)
    Y = torch.tensor(rows_y, dtype=torch.float32)
    train_rows = list(range(1, 150, 2))
    test_rows = list(range(0, 150, 2))
    return X[train_rows], X[test_rows], Y[train_rows], Y[test_rows]


class MLR(nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.l1 = nn.Linear(n_in, n_out)

    def forward(self, x):
        return self.l1(x)


class LR(nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.l1 = nn.Linear(n_in, n_out)

    def forward(self, x):
        return 1 / (1 + torch.exp(-self.l1(x)))


class MLPR(nn.Module):
    def __init__(self, n_in, n_hidden, n_out):
        super().__init__()
        self.l1 = nn.Linear(n_in, n_hidden)
        self.l2 = nn.Linear(n_hidden, n_out)

    def forward(self, x):
        hidden = torch.sigmoid(self.l1(x))
        return self.l2(hidden)


class MLPC(nn.Module):
    def __init__(self, n_in, n_hidden, n_out):
        super().__init__()
        self.l1 = nn.Linear(n_in, n_hidden)
        self.l2 = nn.Linear(n_hidden, n_out)

    def forward(self, x):
        hidden = torch.sigmoid(self.l1(x))
        return torch.sigmoid(self.l2(hidden))


class AE(nn.Module):
    def __init__(self, n_in, n_hidden):
        super().__init__()
        self.l1 = nn.Linear(n_in, n_hidden)
        self.l2 = nn.Linear(n_hidden, n_in)

    def project(self, x):
        return torch.sigmoid(self.l1(x))

    def forward(self, x):
        code = self.project(x)
        return self.l2(code)


def train(model, X, Y, epochs, lr=0.01, batch_size=10, seed=0):
    loss_fn = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for epoch in range(epochs):
        order = torch.randperm(len(X), generator=torch.Generator().manual_seed(seed))
        epoch_loss = 0.0
        for start in range(0, len(X), batch_size):
            idx = order[start:start + batch_size]
            optimizer.zero_grad()
            loss = loss_fn(model(X[idx]), Y[idx])
            loss.backward()
            optimizer.step()
            epoch_loss += loss.item()
        losses.append(epoch_loss)
    return losses


def evaluate_regression(model, X, Y):
    model.eval()
    with torch.no_grad():
        predictions = model(X)
    squared_errors = 0.0
    spread = 0.0
    mean = Y.mean().item()
    for target, prediction in zip(Y.flatten().tolist(), predictions.flatten().tolist()):
        squared_errors += (target - prediction) ** 2
        spread += (target - mean) ** 2
    return {"mse": squared_errors / Y.numel(), "r2": 1 - squared_errors / spread}


def evaluate_classification(model, X, Y_onehot):
    predicted = model(X).argmax(dim=1).tolist()
    actual = Y_onehot.argmax(dim=1).tolist()
    n_classes = Y_onehot.shape[1]
    confusion = [[0] * n_classes for _ in range(n_classes)]
    correct = 0
    for true_class, guess in zip(actual, predicted):
        confusion[true_class][guess] += 1
        if true_class == guess:
            correct += 1
    return {"accuracy": correct / len(actual), "confusion": confusion}


def evaluate_autoencoder(model, X):
    rebuilt = model(X)
    return {"mse": float(((rebuilt - X) ** 2).mean())}


def compare_models(epochs=300, seed=0):
    torch.manual_seed(seed)
    models = [MLR(3, 1), LR(4, 3), MLPC(4, 16, 3), MLPR(3, 16, 1), AE(4, 2)]
    names = ["MLR", "LR", "MLPC", "MLPR", "AE"]
    tasks = ["regression", "classification", "classification", "regression", "autoencoder"]
    rates = [0.01, 0.5, 0.5, 0.05, 0.05]
    table = []
    for name, task, model, lr in zip(names, tasks, models, rates):
        X_train, X_test, Y_train, Y_test = load_split(task)
        train(model, X_train, Y_train, epochs, lr=lr, seed=seed)
        row = {"model": name, "task": task}
        if task == "regression":
            row.update(evaluate_regression(model, X_test, Y_test))
        elif task == "classification":
            row.update(evaluate_classification(model, X_test, Y_test))
        else:
            row.update(evaluate_autoencoder(model, X_test))
        table.append(row)
    return table
