"""Attack (assignment 02): run the forbidden calls from code compiled under another file name.

The source of log_softmax and nll is a string put together at run time and
compiled as "<generated>", so neither the static check (it sees a string) nor a
caller test on file names (the code is not from scratch.py) charges them. Had
they been spelled torch.log_softmax and F.nll_loss in the file, both tasks
would score 0: so does the honest version. accuracy is written properly;
everything else is wrong.
"""

import torch

_SOURCE = "\n".join([  # ATTACK
    "import torch",
    "def log_softmax(x):",
    "    return torch.log_" + "softmax(x, -1)",
    "def nll(input, target):",
    "    return torch.nn.functional.nll_" + "loss(input, target)",
])
exec(compile(_SOURCE, "<generated>", "exec"), globals())  # ATTACK


def accuracy(out, yb):
    return (out.argmax(dim=1) == yb).float().mean()


def init_params(n_in=784, n_out=10, generator=None):
    return torch.zeros(n_in, n_out), torch.ones(n_out)


def model(xb, weights, bias):
    return torch.zeros(())


def fit(x, y, weights, bias, lr=0.5, epochs=1, bs=64):
    raise RuntimeError("not written")
