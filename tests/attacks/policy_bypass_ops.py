"""Attack (assignment 02): reach forbidden operations below every public name.

log_softmax goes through torch.ops.aten._log_softmax, the operator itself, and
nll through torch._C._nn.nll_loss_nd, the C function behind
torch.nn.functional.nll_loss. Had they been spelled torch.log_softmax and
F.nll_loss, both tasks would score 0: so does the honest version. accuracy is
written properly and keeps its point; everything else is wrong.
"""

import torch


def log_softmax(x):
    return torch.ops.aten._log_softmax.default(x, -1, False)  # ATTACK


def nll(input, target):
    return torch._C._nn.nll_loss_nd(input, target, None, 1, -100)  # ATTACK


def accuracy(out, yb):
    return (out.argmax(dim=1) == yb).float().mean()


def init_params(n_in=784, n_out=10, generator=None):
    return torch.zeros(n_in, n_out), torch.ones(n_out)


def model(xb, weights, bias):
    return torch.zeros(())


def fit(x, y, weights, bias, lr=0.5, epochs=1, bs=64):
    raise RuntimeError("not written")
