"""Assignment 02 with torch.logsumexp, torch.gather, sum-then-divide and a split-based loop."""

import math

import torch


def log_softmax(x):
    return x - torch.logsumexp(x, dim=-1, keepdim=True)


def nll(input, target):
    picked = torch.gather(input, 1, target.unsqueeze(1)).squeeze(1)
    return -picked.sum() / input.shape[0]


def accuracy(out, yb):
    correct = (torch.argmax(out, dim=1) == yb).sum()
    return correct.float() / yb.shape[0]


def init_params(n_in=784, n_out=10, generator=None):
    weights = (torch.randn(n_in, n_out, generator=generator) / math.sqrt(n_in)).requires_grad_()
    bias = torch.zeros(n_out).requires_grad_()
    return weights, bias


def model(xb, weights, bias):
    return log_softmax(torch.addmm(bias, xb, weights))


def fit(x, y, weights, bias, lr=0.5, epochs=2, bs=64):
    history = []
    for _ in range(epochs):
        for xb, yb in zip(x.split(bs), y.split(bs)):
            loss = nll(model(xb, weights, bias), yb)
            loss.backward()
            with torch.no_grad():
                weights.sub_(lr * weights.grad)
                bias.sub_(lr * bias.grad)
            weights.grad = None
            bias.grad = None
            history.append(loss.item())
    return history
