"""Attack (assignment 02): call the forbidden log_softmax through names the API policy does not list.

The policy forbids torch.log_softmax, torch.nn, torch.Tensor.log_softmax...;
torch._C._VariableFunctions.log_softmax is the very same function, reached by a
name built at run time so the static check cannot see it either. Had the call
been spelled torch.log_softmax, log_softmax would score 0: so does the honest
version. Everything else is wrong.
"""

import torch

_hidden = getattr(getattr(torch._C, "_Variable" + "Functions"), "log_" + "softmax")  # ATTACK


def log_softmax(x):
    return _hidden(x, -1)


def nll(input, target):
    return torch.zeros(())


def accuracy(out, yb):
    return torch.zeros(())


def init_params(n_in=784, n_out=10, generator=None):
    return torch.zeros(n_in, n_out), torch.ones(n_out)


def model(xb, weights, bias):
    return torch.zeros(())


def fit(x, y, weights, bias, lr=0.5, epochs=1, bs=64):
    raise RuntimeError("not written")
