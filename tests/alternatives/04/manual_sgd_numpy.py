"""Iris models with the data prepared in numpy and the SGD update written by hand."""

import numpy as np
import torch
from sklearn.datasets import load_iris
from sklearn.metrics import confusion_matrix
from torch import nn


def load_split(kind):
    iris = load_iris()
    data = iris.data.astype(np.float32)
    if kind == "regression":
        X, Y = data[:, :3], data[:, 3:]
    elif kind == "classification":
        X, Y = data, np.eye(3, dtype=np.float32)[iris.target]
    elif kind == "autoencoder":
        X, Y = data, data.copy()
    else:
        raise ValueError(kind)
    X, Y = torch.from_numpy(X), torch.from_numpy(Y)
    return X[1::2].clone(), X[::2].clone(), Y[1::2].clone(), Y[::2].clone()


class MLR(nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.l1 = nn.Linear(n_in, n_out)

    def forward(self, x):
        return x @ self.l1.weight.T + self.l1.bias


class LR(MLR):
    def forward(self, x):
        return torch.sigmoid(super().forward(x))


class MLPR(nn.Module):
    def __init__(self, n_in, n_hidden, n_out):
        super().__init__()
        self.l1 = nn.Linear(n_in, n_hidden)
        self.l2 = nn.Linear(n_hidden, n_out)

    def forward(self, x):
        h = self.l1(x).sigmoid()
        return self.l2(h)


class MLPC(nn.Module):
    def __init__(self, n_in, n_hidden, n_out):
        super().__init__()
        self.l1 = nn.Linear(n_in, n_hidden)
        self.l2 = nn.Linear(n_hidden, n_out)

    def forward(self, x):
        return self.l2(self.l1(x).sigmoid()).sigmoid()


class AE(nn.Module):
    def __init__(self, n_in, n_hidden):
        super().__init__()
        self.l1 = nn.Linear(n_in, n_hidden)
        self.l2 = nn.Linear(n_hidden, n_in)

    def project(self, x):
        return self.l1(x).sigmoid()

    def forward(self, x):
        return self.l2(self.l1(x).sigmoid())


def train(model, X, Y, epochs, lr=0.01, batch_size=10, seed=0):
    g = torch.Generator().manual_seed(seed)
    n = X.shape[0]
    totals = []
    model.zero_grad()
    for _ in range(epochs):
        perm = torch.randperm(n, generator=g)
        total = 0.0
        for i in range(0, n, batch_size):
            batch = perm[i:i + batch_size]
            loss = ((model(X[batch]) - Y[batch]) ** 2).mean()
            loss.backward()
            with torch.no_grad():
                for p in model.parameters():
                    p -= lr * p.grad
                    p.grad.zero_()
            total += float(loss)
        totals.append(total)
    return totals


def evaluate_regression(model, X, Y):
    model.eval()
    with torch.inference_mode():
        y_hat = model(X)
        ss_res = torch.sum((Y - y_hat) ** 2)
        ss_tot = torch.sum((Y - Y.mean(0)) ** 2)
        return {"mse": float(ss_res / Y.numel()), "r2": float(1 - ss_res / ss_tot)}


def evaluate_classification(model, X, Y_onehot):
    model.eval()
    with torch.inference_mode():
        predicted = model(X).argmax(1).cpu().numpy()
    actual = Y_onehot.argmax(1).cpu().numpy()
    labels = list(range(Y_onehot.shape[1]))
    matrix = confusion_matrix(actual, predicted, labels=labels)
    return {"accuracy": float(np.mean(predicted == actual)), "confusion": matrix.tolist()}


def evaluate_autoencoder(model, X):
    model.eval()
    with torch.inference_mode():
        return {"mse": torch.mean((model(X) - X) ** 2).item()}


def compare_models(epochs=300, seed=0):
    torch.manual_seed(seed)
    mlr, lr_model, mlpc, mlpr, ae = MLR(3, 1), LR(4, 3), MLPC(4, 16, 3), MLPR(3, 16, 1), AE(4, 2)
    rows = []

    X_train, X_test, Y_train, Y_test = load_split("regression")
    train(mlr, X_train, Y_train, epochs, lr=0.01, seed=seed)
    rows.append({"model": "MLR", "task": "regression", **evaluate_regression(mlr, X_test, Y_test)})

    X_train, X_test, Y_train, Y_test = load_split("classification")
    train(lr_model, X_train, Y_train, epochs, lr=0.5, seed=seed)
    rows.append({"model": "LR", "task": "classification",
                 **evaluate_classification(lr_model, X_test, Y_test)})
    train(mlpc, X_train, Y_train, epochs, lr=0.5, seed=seed)
    rows.append({"model": "MLPC", "task": "classification",
                 **evaluate_classification(mlpc, X_test, Y_test)})

    X_train, X_test, Y_train, Y_test = load_split("regression")
    train(mlpr, X_train, Y_train, epochs, lr=0.05, seed=seed)
    rows.append({"model": "MLPR", "task": "regression", **evaluate_regression(mlpr, X_test, Y_test)})

    X_train, X_test, _, _ = load_split("autoencoder")
    train(ae, X_train, X_train, epochs, lr=0.05, seed=seed)
    rows.append({"model": "AE", "task": "autoencoder", **evaluate_autoencoder(ae, X_test)})
    return rows
