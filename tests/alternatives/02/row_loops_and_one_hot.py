"""Assignment 02 written row by row: a loop for log_softmax, one-hot rows for nll, autograd.grad in fit."""

import math

import torch


def log_softmax(x):
    rows = x.reshape(-1, x.shape[-1])
    out = []
    for row in rows:
        biggest = row.max()
        out.append(row - biggest - torch.log(torch.sum(torch.exp(row - biggest))))
    return torch.stack(out).reshape(x.shape)


def nll(input, target):
    one_hot = torch.eye(input.shape[1], dtype=input.dtype, device=input.device)[target]
    return -(input * one_hot).sum(dim=1).mean()


def accuracy(out, yb):
    predictions = out.max(dim=1).indices
    return torch.mean((predictions == yb).to(torch.float32))


def init_params(n_in=784, n_out=10, generator=None):
    w = torch.randn(n_in, n_out, generator=generator)
    w /= math.sqrt(n_in)
    w.requires_grad = True
    b = torch.zeros(n_out)
    b.requires_grad = True
    return w, b


def model(xb, weights, bias):
    logits = xb @ weights + bias
    return log_softmax(logits)


def fit(x, y, weights, bias, lr=0.5, epochs=2, bs=64):
    losses = []
    n = len(x)
    for epoch in range(epochs):
        start = 0
        while start < n:
            xb, yb = x[start:start + bs], y[start:start + bs]
            loss = nll(model(xb, weights, bias), yb)
            grad_w, grad_b = torch.autograd.grad(loss, [weights, bias])
            with torch.no_grad():
                weights -= lr * grad_w
                bias -= lr * grad_b
            losses.append(float(loss))
            start += bs
    return losses
