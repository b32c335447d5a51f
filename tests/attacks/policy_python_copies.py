"""Attack (assignment 02): use torch's own pure-Python copies of the forbidden operations.

torch._refs and torch._decomp hold Python versions of log_softmax and
nll_loss (used by torch.compile) that never reach the operators' kernels.
log_softmax comes from torch._refs, nll from the decomposition table of
aten::nll_loss_forward; names are built at run time. Had they been spelled
torch.log_softmax and F.nll_loss, both tasks would score 0: so does the honest
version. accuracy is written properly; everything else is wrong.
"""

import importlib

import torch

_REFS = importlib.import_module("torch." + "_refs")  # ATTACK
_DECOMP = importlib.import_module("torch." + "_decomp")  # ATTACK


def log_softmax(x):
    return getattr(_REFS, "log_" + "softmax")(x, -1)


def nll(input, target):
    operator = getattr(torch.ops.aten, "nll_loss_" + "forward").default
    output, _ = _DECOMP.decomposition_table[operator](input, target, None, 1, -100)  # ATTACK
    return output


def accuracy(out, yb):
    return (out.argmax(dim=1) == yb).float().mean()


def init_params(n_in=784, n_out=10, generator=None):
    return torch.zeros(n_in, n_out), torch.ones(n_out)


def model(xb, weights, bias):
    return torch.zeros(())


def fit(x, y, weights, bias, lr=0.5, epochs=1, bs=64):
    raise RuntimeError("not written")
