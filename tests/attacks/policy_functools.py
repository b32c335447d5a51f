"""Attack (assignment 02): reach the forbidden operations through standard-library wrappers.

log_softmax is a functools.partial of a function found by a name built at run
time, called through functools.reduce; nll is dispatched by
functools.singledispatch to torch.nn.functional.nll_loss, itself imported by a
name built at run time. A caller test on the submission's stack frames sees
only functools at the call. Had they been spelled torch.log_softmax and
F.nll_loss, both tasks would score 0: so does the honest version. accuracy is
written properly; everything else is wrong.
"""

import functools
import importlib

import torch

_LOG_SOFTMAX = functools.partial(getattr(torch, "log_" + "soft" + "max"), dim=-1)  # ATTACK
_F = importlib.import_module("torch." + "nn" + ".functional")  # ATTACK


@functools.singledispatch
def _nll(input, target):
    return getattr(_F, "nll_" + "loss")(input, target)  # ATTACK


def log_softmax(x):
    return functools.reduce(lambda value, step: step(value), [_LOG_SOFTMAX], x)


def nll(input, target):
    return _nll(input, target)


def accuracy(out, yb):
    return (out.argmax(dim=1) == yb).float().mean()


def init_params(n_in=784, n_out=10, generator=None):
    return torch.zeros(n_in, n_out), torch.ones(n_out)


def model(xb, weights, bias):
    return torch.zeros(())


def fit(x, y, weights, bias, lr=0.5, epochs=1, bs=64):
    raise RuntimeError("not written")
