"""Assignment 01, written with plain Python loops where the reference vectorises."""

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def linear_combination(xs, weights):
    if len(xs) == 0:
        raise ValueError("xs is empty")
    if len(xs) != len(weights):
        raise ValueError(f"{len(xs)} tensors but {len(weights)} weights")
    total = torch.zeros_like(xs[0])
    for i in range(len(xs)):
        total = total + weights[i] * xs[i]
    return total


def affine(x, W, b):
    single = x.dim() == 1
    if single:
        x = x.unsqueeze(0)
    rows = []
    for i in range(x.shape[0]):
        outputs = []
        for j in range(W.shape[0]):
            outputs.append((x[i] * W[j]).sum() + b[j])
        rows.append(torch.stack(outputs))
    result = torch.stack(rows)
    return result[0] if single else result


def derivative(f, x0):
    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    y = f(x)
    y.backward()
    return float(x.grad)


def select_device(prefer="auto"):
    if prefer not in ("auto", "cpu", "cuda"):
        raise ValueError("prefer must be auto, cpu or cuda")
    if prefer == "cpu":
        return torch.device("cpu")
    has_gpu = torch.cuda.is_available()
    if prefer == "cuda" and not has_gpu:
        raise RuntimeError("no GPU available: cannot use cuda")
    if has_gpu:
        return torch.device("cuda")
    return torch.device("cpu")


def make_loader(x, y, batch_size, shuffle=False, seed=None):
    dataset = TensorDataset(x, y)
    if shuffle and seed is not None:
        g = torch.Generator()
        g.manual_seed(seed)
        return DataLoader(dataset, batch_size=batch_size, shuffle=True, generator=g)
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle)


def train_step(model: nn.Module, loss_fn, optimizer, xb, yb):
    optimizer.zero_grad()
    predictions = model(xb)
    loss = loss_fn(predictions, yb)
    loss.backward()
    optimizer.step()
    return float(loss.item())
