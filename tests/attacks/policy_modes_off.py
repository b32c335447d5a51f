"""Attack (assignment 02): switch off what a Python-level guard would rely on, then call the operators.

log_softmax runs under torch._C.DisableTorchFunction (no torch function mode
sees it) through torch._C._VariableFunctions, under inference_mode and below
autograd's dispatch key; nll goes straight to torch._C._nn.nll_loss_nd, the C
function behind F.nll_loss. Names are built at run time. Had they been spelled
torch.log_softmax and F.nll_loss, both tasks would score 0: so does the honest
version. accuracy is written properly; everything else is wrong.
"""

import torch

_FUNCTIONS = getattr(torch._C, "_Variable" + "Functions")  # ATTACK
_NN = getattr(torch._C, "_" + "nn")  # ATTACK


def log_softmax(x):
    with torch._C.DisableTorchFunction(), torch._C._AutoDispatchBelowAutograd():  # ATTACK
        return getattr(_FUNCTIONS, "log_" + "softmax")(x, -1)


def nll(input, target):
    with torch.inference_mode():  # ATTACK
        return getattr(_NN, "nll_loss" + "_nd")(input.detach(), target, None, 1, -100)


def accuracy(out, yb):
    return (out.argmax(dim=1) == yb).float().mean()


def init_params(n_in=784, n_out=10, generator=None):
    return torch.zeros(n_in, n_out), torch.ones(n_out)


def model(xb, weights, bias):
    return torch.zeros(())


def fit(x, y, weights, bias, lr=0.5, epochs=1, bs=64):
    raise RuntimeError("not written")
